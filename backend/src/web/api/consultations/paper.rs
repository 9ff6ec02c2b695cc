//! Paper answers typed in at the office, with four eyes: `POST /api/consultations/{id}/paper`
//! (a clerk types in a card), `GET …/paper` (the cards, `state=pending` is the second
//! clerk's queue), `POST …/paper/{entry}/accept` and `…/reject` (another clerk decides).
//! The rules live in `participation::paper` and `participation::consultations::paper`.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use serde::Deserialize;
use serde_json::Value;

use crate::error::AppResult;
use crate::participation::consultations::paper::Answers;
use crate::participation::paper::{NewCard, Verdict};
use crate::state::AppState;
use crate::web::api::paper as shared;
use crate::web::extract::{ApiJson, Requester};

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PaperCardRequest {
    /// The number written on the card (1 to 64 characters, once per consultation).
    pub card: String,
    /// The PESEL written on the card; checked, turned into the consultation's keyed hash
    /// and not stored.
    pub pesel: String,
    /// `{answers}`: the card's answers, by the questionnaire's field ids.
    #[schema(value_type = Object)]
    pub data: Value,
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RejectRequest {
    /// Why the card does not count (1 to 1000 characters).
    pub reason: String,
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct PaperQuery {
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

#[utoipa::path(post, path = "/api/consultations/{id}/paper", tag = "consultations", params(("id" = String, Path)), request_body = PaperCardRequest,
    responses((status = 201, description = "the card, pending until another clerk decides it"), (status = 401, description = "not logged in"),
        (status = 403, description = "not a clerk or the coordinator"), (status = 404, description = "unknown consultation"),
        (status = 409, description = "outside its window, or a card with this number is typed in already"),
        (status = 422, description = "a bad card number or PESEL, or answers that break the questionnaire's rules, by field")))]
pub async fn enter(
    app: State<AppState>,
    who: Requester,
    Path(id): Path<String>,
    ApiJson(req): ApiJson<PaperCardRequest>,
) -> AppResult<(StatusCode, Json<Value>)> {
    let card = NewCard {
        card: &req.card,
        pesel: &req.pesel,
        data: &req.data,
    };
    shared::enter(&app, &Answers, &who, &id, card).await
}

#[utoipa::path(get, path = "/api/consultations/{id}/paper", tag = "consultations", params(("id" = String, Path), PaperQuery),
    responses((status = 200, description = "`{items, next}`: cards oldest first"), (status = 400, description = "bad state, cursor or limit"),
        (status = 401, description = "not logged in"), (status = 403, description = "not a clerk or the coordinator"),
        (status = 404, description = "unknown consultation"), (status = 409, description = "outside its window")))]
pub async fn list(
    app: State<AppState>,
    who: Requester,
    Path(id): Path<String>,
    Query(q): Query<PaperQuery>,
) -> AppResult<Json<Value>> {
    shared::list(
        &app,
        &Answers,
        &who,
        &id,
        q.state.as_deref(),
        q.after.as_deref(),
        q.limit,
    )
    .await
}

#[utoipa::path(post, path = "/api/consultations/{id}/paper/{entry}/accept", tag = "consultations", params(("id" = String, Path), ("entry" = String, Path)),
    responses((status = 200, description = "the card, `accepted`, or `duplicate` with the reason when the person's voice counts already"),
        (status = 401, description = "not logged in"), (status = 403, description = "the clerk who typed it in, or not a clerk"),
        (status = 404, description = "unknown consultation or card"), (status = 409, description = "decided already, or outside the window")))]
pub async fn accept(
    app: State<AppState>,
    who: Requester,
    Path((id, entry)): Path<(String, String)>,
) -> AppResult<Json<Value>> {
    shared::decide(&app, &Answers, &who, &id, &entry, Verdict::Accept).await
}

#[utoipa::path(post, path = "/api/consultations/{id}/paper/{entry}/reject", tag = "consultations", params(("id" = String, Path), ("entry" = String, Path)), request_body = RejectRequest,
    responses((status = 200, description = "the card, `rejected` with the reason"),
        (status = 401, description = "not logged in"), (status = 403, description = "the clerk who typed it in, or not a clerk"),
        (status = 404, description = "unknown consultation or card"), (status = 409, description = "decided already, or outside the window"),
        (status = 422, description = "no reason")))]
pub async fn reject(
    app: State<AppState>,
    who: Requester,
    Path((id, entry)): Path<(String, String)>,
    ApiJson(req): ApiJson<RejectRequest>,
) -> AppResult<Json<Value>> {
    let verdict = Verdict::Reject {
        reason: &req.reason,
    };
    shared::decide(&app, &Answers, &who, &id, &entry, verdict).await
}
