//! Paper support lists typed in with four eyes: `POST /api/initiatives/{id}/paper` (a clerk
//! types in one signature), `GET …/paper` (`state=pending` is the second clerk's queue),
//! `POST …/paper/{entry}/accept` and `…/reject` (another clerk decides).

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use serde::Deserialize;
use serde_json::Value;

use crate::error::AppResult;
use crate::participation::initiative::paper::Supports;
use crate::participation::paper::{NewCard, Verdict};
use crate::state::AppState;
use crate::web::api::paper;
use crate::web::extract::{ApiJson, Requester};

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SignatureRequest {
    /// The list's sheet and line, e.g. `3/12` (once per initiative).
    pub card: String,
    /// The PESEL beside the signature: checked, turned into the initiative's keyed hash,
    /// kept only where the council's resolution requires it.
    pub pesel: String,
    /// `{name, address, signed_on}` as written on the list (`signed_on` as `YYYY-MM-DD`).
    #[schema(value_type = Object)]
    pub data: Value,
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RejectSignature {
    /// Why the signature does not count (1 to 1000 characters).
    pub reason: String,
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct SignaturesQuery {
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

#[utoipa::path(post, path = "/api/initiatives/{id}/paper", tag = "initiatives", params(("id" = String, Path)), request_body = SignatureRequest,
    responses((status = 201, description = "the signature, pending until another clerk decides it"), (status = 401, description = "not logged in"),
        (status = 403, description = "not a clerk, or the signatory is under 18 (the message gives the day)"), (status = 404, description = "unknown initiative"),
        (status = 409, description = "filed already, or this line is typed in already"), (status = 422, description = "a bad PESEL, name, address or date, by field")))]
pub async fn enter(
    app: State<AppState>,
    who: Requester,
    Path(id): Path<String>,
    ApiJson(req): ApiJson<SignatureRequest>,
) -> AppResult<(StatusCode, Json<Value>)> {
    let card = NewCard {
        card: &req.card,
        pesel: &req.pesel,
        data: &req.data,
    };
    paper::enter(&app, &Supports, &who, &id, card).await
}

#[utoipa::path(get, path = "/api/initiatives/{id}/paper", tag = "initiatives", params(("id" = String, Path), SignaturesQuery),
    responses((status = 200, description = "`{items, next}`: signatures oldest first"), (status = 400, description = "bad state, cursor or limit"),
        (status = 401, description = "not logged in"), (status = 403, description = "not a clerk"), (status = 404, description = "unknown initiative"),
        (status = 409, description = "filed already")))]
pub async fn list(
    app: State<AppState>,
    who: Requester,
    Path(id): Path<String>,
    Query(q): Query<SignaturesQuery>,
) -> AppResult<Json<Value>> {
    let (state, after) = (q.state.as_deref(), q.after.as_deref());
    paper::list(&app, &Supports, &who, &id, state, after, q.limit).await
}

#[utoipa::path(post, path = "/api/initiatives/{id}/paper/{entry}/accept", tag = "initiatives", params(("id" = String, Path), ("entry" = String, Path)),
    responses((status = 200, description = "the signature, `accepted`, or `duplicate` with the reason when the person supports it already"),
        (status = 401, description = "not logged in"), (status = 403, description = "the clerk who typed it in, or not a clerk"),
        (status = 404, description = "unknown initiative or signature"), (status = 409, description = "decided already, or filed")))]
pub async fn accept(
    app: State<AppState>,
    who: Requester,
    Path((id, entry)): Path<(String, String)>,
) -> AppResult<Json<Value>> {
    paper::decide(&app, &Supports, &who, &id, &entry, Verdict::Accept).await
}

#[utoipa::path(post, path = "/api/initiatives/{id}/paper/{entry}/reject", tag = "initiatives", params(("id" = String, Path), ("entry" = String, Path)), request_body = RejectSignature,
    responses((status = 200, description = "the signature, `rejected` with the reason"), (status = 401, description = "not logged in"),
        (status = 403, description = "the clerk who typed it in, or not a clerk"), (status = 404, description = "unknown initiative or signature"),
        (status = 409, description = "decided already, or filed"), (status = 422, description = "no reason")))]
pub async fn reject(
    app: State<AppState>,
    who: Requester,
    Path((id, entry)): Path<(String, String)>,
    ApiJson(req): ApiJson<RejectSignature>,
) -> AppResult<Json<Value>> {
    let verdict = Verdict::Reject {
        reason: &req.reason,
    };
    paper::decide(&app, &Supports, &who, &id, &entry, verdict).await
}
