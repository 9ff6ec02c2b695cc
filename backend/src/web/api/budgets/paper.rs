//! Paper voting cards and paper support lists typed in with four eyes: `POST
//! /api/budgets/{id}/paper/ballots` (a clerk types in one card), `GET …/paper/ballots`
//! (`state=pending` is the second clerk's queue), `POST …/paper/ballots/{entry}/accept`
//! and `…/reject` (another clerk decides); the same under `…/paper/supports` for one
//! signature of a support list. Who counts when a person votes on both channels is in
//! `participation::budget::paper`.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use serde::Deserialize;
use serde_json::Value;

use crate::error::AppResult;
use crate::participation::budget::paper::{Ballots, Supports};
use crate::participation::paper::{NewCard, Verdict};
use crate::state::AppState;
use crate::web::api::paper;
use crate::web::extract::{ApiJson, Requester};

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BallotCardRequest {
    /// The number printed on the card (once per edition).
    pub card: String,
    /// The voter's PESEL from the card: checked, turned into the edition's keyed hash (one
    /// ballot per person across paper and online), never stored.
    pub pesel: String,
    /// What the card says: `{declares_residence, area, choices: {pool: [{project}]}}`.
    #[schema(value_type = crate::participation::budget::paper::Card)]
    pub data: Value,
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SupportCardRequest {
    /// The list's sheet and line, e.g. `3/12` (once per edition).
    pub card: String,
    /// The PESEL beside the signature: the edition's keyed hash, never stored.
    pub pesel: String,
    /// `{project}`: the project the list supports.
    #[schema(value_type = crate::participation::budget::paper::Signature)]
    pub data: Value,
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RejectCard {
    /// Why what was typed in does not match the paper (1 to 1000 characters).
    pub reason: String,
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct CardsQuery {
    /// `pending`, `accepted`, `duplicate` or `rejected`; all when absent.
    #[param(pattern = "^(pending|accepted|duplicate|rejected)$")]
    pub state: Option<String>,
    /// The `next` of the previous page.
    #[param(pattern = "^[A-Za-z0-9_-]*$")]
    pub after: Option<String>,
    /// Page size, 1 to 500 (default 100).
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<u64>,
}

#[utoipa::path(post, path = "/api/budgets/{id}/paper/ballots", tag = "budgets", params(("id" = String, Path)), request_body = BallotCardRequest,
    responses((status = 201, description = "the card, pending until another clerk accepts it"), (status = 401, description = "not logged in"),
        (status = 403, description = "not a clerk"), (status = 404, description = "unknown edition"),
        (status = 409, description = "before voting or after the results, or this card is typed in already"),
        (status = 422, description = "a bad card number or PESEL, or an area, pool or project the card cannot name (a typing error), by field")))]
pub async fn enter_ballot(
    app: State<AppState>,
    who: Requester,
    Path(id): Path<String>,
    ApiJson(req): ApiJson<BallotCardRequest>,
) -> AppResult<(StatusCode, Json<Value>)> {
    let card = NewCard {
        card: &req.card,
        pesel: &req.pesel,
        data: &req.data,
    };
    paper::enter(&app, &Ballots, &who, &id, card).await
}

#[utoipa::path(get, path = "/api/budgets/{id}/paper/ballots", tag = "budgets", params(("id" = String, Path), CardsQuery),
    responses((status = 200, description = "`{items, next}`: cards oldest first; a decided card's content is erased (the ballot is secret)"),
        (status = 400, description = "bad state, cursor or limit"), (status = 401, description = "not logged in"),
        (status = 403, description = "not a clerk"), (status = 404, description = "unknown edition"), (status = 409, description = "before voting or after the results")))]
pub async fn list_ballots(
    app: State<AppState>,
    who: Requester,
    Path(id): Path<String>,
    Query(q): Query<CardsQuery>,
) -> AppResult<Json<Value>> {
    let (state, after) = (q.state.as_deref(), q.after.as_deref());
    paper::list(&app, &Ballots, &who, &id, state, after, q.limit).await
}

#[utoipa::path(post, path = "/api/budgets/{id}/paper/ballots/{entry}/accept", tag = "budgets", params(("id" = String, Path), ("entry" = String, Path)),
    responses((status = 200, description = "the card: `accepted` (a valid ballot), `duplicate` (the person's ballot is recorded already: an invalid ballot), or `rejected` with the reason when the card breaks its pool's rule or names pools not the voter's (an invalid ballot)"),
        (status = 401, description = "not logged in"), (status = 403, description = "the clerk who typed it in, or not a clerk"),
        (status = 404, description = "unknown edition or card"), (status = 409, description = "decided already, or after the results")))]
pub async fn accept_ballot(
    app: State<AppState>,
    who: Requester,
    Path((id, entry)): Path<(String, String)>,
) -> AppResult<Json<Value>> {
    paper::decide(&app, &Ballots, &who, &id, &entry, Verdict::Accept).await
}

#[utoipa::path(post, path = "/api/budgets/{id}/paper/ballots/{entry}/reject", tag = "budgets", params(("id" = String, Path), ("entry" = String, Path)), request_body = RejectCard,
    responses((status = 200, description = "the card, `rejected` with the reason: typed in wrongly, it is not counted (type it in again)"),
        (status = 401, description = "not logged in"), (status = 403, description = "the clerk who typed it in, or not a clerk"),
        (status = 404, description = "unknown edition or card"), (status = 409, description = "decided already, or after the results"),
        (status = 422, description = "no reason")))]
pub async fn reject_ballot(
    app: State<AppState>,
    who: Requester,
    Path((id, entry)): Path<(String, String)>,
    ApiJson(req): ApiJson<RejectCard>,
) -> AppResult<Json<Value>> {
    let verdict = Verdict::Reject {
        reason: &req.reason,
    };
    paper::decide(&app, &Ballots, &who, &id, &entry, verdict).await
}

#[utoipa::path(post, path = "/api/budgets/{id}/paper/supports", tag = "budgets", params(("id" = String, Path)), request_body = SupportCardRequest,
    responses((status = 201, description = "the signature, pending until another clerk accepts it"), (status = 401, description = "not logged in"),
        (status = 403, description = "not a clerk"), (status = 404, description = "unknown edition"),
        (status = 409, description = "outside intake and evaluation, the project is evaluated formally already, or this line is typed in already"),
        (status = 422, description = "a bad line number or PESEL, or a project not of this edition, by field")))]
pub async fn enter_support(
    app: State<AppState>,
    who: Requester,
    Path(id): Path<String>,
    ApiJson(req): ApiJson<SupportCardRequest>,
) -> AppResult<(StatusCode, Json<Value>)> {
    let card = NewCard {
        card: &req.card,
        pesel: &req.pesel,
        data: &req.data,
    };
    paper::enter(&app, &Supports, &who, &id, card).await
}

#[utoipa::path(get, path = "/api/budgets/{id}/paper/supports", tag = "budgets", params(("id" = String, Path), CardsQuery),
    responses((status = 200, description = "`{items, next}`: signatures oldest first"), (status = 400, description = "bad state, cursor or limit"),
        (status = 401, description = "not logged in"), (status = 403, description = "not a clerk"), (status = 404, description = "unknown edition"),
        (status = 409, description = "outside intake and evaluation")))]
pub async fn list_supports(
    app: State<AppState>,
    who: Requester,
    Path(id): Path<String>,
    Query(q): Query<CardsQuery>,
) -> AppResult<Json<Value>> {
    let (state, after) = (q.state.as_deref(), q.after.as_deref());
    paper::list(&app, &Supports, &who, &id, state, after, q.limit).await
}

#[utoipa::path(post, path = "/api/budgets/{id}/paper/supports/{entry}/accept", tag = "budgets", params(("id" = String, Path), ("entry" = String, Path)),
    responses((status = 200, description = "the signature: `accepted`, `duplicate` when the person supports the project already (online or on another list), or `rejected` when the project was evaluated meanwhile"),
        (status = 401, description = "not logged in"), (status = 403, description = "the clerk who typed it in, or not a clerk"),
        (status = 404, description = "unknown edition or signature"), (status = 409, description = "decided already, or outside intake and evaluation")))]
pub async fn accept_support(
    app: State<AppState>,
    who: Requester,
    Path((id, entry)): Path<(String, String)>,
) -> AppResult<Json<Value>> {
    paper::decide(&app, &Supports, &who, &id, &entry, Verdict::Accept).await
}

#[utoipa::path(post, path = "/api/budgets/{id}/paper/supports/{entry}/reject", tag = "budgets", params(("id" = String, Path), ("entry" = String, Path)), request_body = RejectCard,
    responses((status = 200, description = "the signature, `rejected` with the reason"), (status = 401, description = "not logged in"),
        (status = 403, description = "the clerk who typed it in, or not a clerk"), (status = 404, description = "unknown edition or signature"),
        (status = 409, description = "decided already, or outside intake and evaluation"), (status = 422, description = "no reason")))]
pub async fn reject_support(
    app: State<AppState>,
    who: Requester,
    Path((id, entry)): Path<(String, String)>,
    ApiJson(req): ApiJson<RejectCard>,
) -> AppResult<Json<Value>> {
    let verdict = Verdict::Reject {
        reason: &req.reason,
    };
    paper::decide(&app, &Supports, &who, &id, &entry, verdict).await
}
