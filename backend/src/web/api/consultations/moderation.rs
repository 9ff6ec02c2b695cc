//! Moderation: `POST /api/consultations/{id}/comments/{comment}/reports` (a resident
//! reports a comment), `PUT …/comments/{comment}/moderation` (the coordinator publishes or
//! hides it) and `GET /api/consultations/{id}/moderation` (the queue). The rules live in
//! `participation::consultations::moderation`.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use serde::Deserialize;
use serde_json::{Value, json};

use super::comments::comment_view;
use crate::error::AppResult;
use crate::participation::consultations::moderation::{self, Decision};
use crate::state::AppState;
use crate::web::cursor;
use crate::web::extract::{ApiJson, Requester};

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReportRequest {
    /// What is wrong with the comment (1 to 1000 characters).
    pub reason: String,
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ModerationRequest {
    /// `publish` or `hide`.
    #[schema(pattern = "^(publish|hide)$")]
    pub decision: String,
    /// Why it is hidden (required to hide; 1 to 1000 characters).
    #[serde(default)]
    pub reason: String,
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct QueueQuery {
    /// The `next` of the previous page.
    #[param(pattern = "^[A-Za-z0-9_-]*$")]
    pub after: Option<String>,
    /// Page size, 1 to 200 (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u64>,
}

#[utoipa::path(post, path = "/api/consultations/{id}/comments/{comment}/reports", tag = "consultations",
    params(("id" = String, Path), ("comment" = String, Path)), request_body = ReportRequest,
    responses((status = 204, description = "reported; the coordinator will review it"), (status = 401, description = "not logged in"),
        (status = 403, description = "not a resident"), (status = 404, description = "unknown consultation or comment"),
        (status = 409, description = "reported by you already, or hidden already"), (status = 422, description = "no reason, or a too-long one")))]
pub async fn report(
    app: State<AppState>,
    who: Requester,
    Path((id, comment)): Path<(String, String)>,
    ApiJson(req): ApiJson<ReportRequest>,
) -> AppResult<StatusCode> {
    moderation::report(&app, who.identity.as_ref(), &id, &comment, &req.reason).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(put, path = "/api/consultations/{id}/comments/{comment}/moderation", tag = "consultations",
    params(("id" = String, Path), ("comment" = String, Path)), request_body = ModerationRequest,
    responses((status = 200, description = "the comment as it now shows"), (status = 400, description = "a decision other than publish or hide"),
        (status = 401, description = "not logged in"), (status = 403, description = "not its author or the coordinator"),
        (status = 404, description = "unknown consultation or comment"), (status = 409, description = "the report is published"),
        (status = 422, description = "hiding without a reason")))]
pub async fn decide(
    app: State<AppState>,
    who: Requester,
    Path((id, comment)): Path<(String, String)>,
    ApiJson(req): ApiJson<ModerationRequest>,
) -> AppResult<Json<Value>> {
    let decision = match req.decision.as_str() {
        "publish" => Decision::Publish,
        "hide" => Decision::Hide {
            reason: &req.reason,
        },
        _ => {
            return Err(crate::error::AppError::bad_request(
                "decision",
                "`decision` to `publish` albo `hide`.",
            ));
        }
    };
    let k = moderation::decide(&app, who.identity.as_ref(), &id, &comment, decision).await?;
    Ok(Json(comment_view(&k)))
}

#[utoipa::path(get, path = "/api/consultations/{id}/moderation", tag = "consultations", params(("id" = String, Path), QueueQuery),
    responses((status = 200, description = "`{items, next}`: comments waiting for publication and reported ones, oldest first, with the reports' reasons"),
        (status = 400, description = "bad cursor or limit"), (status = 401, description = "not logged in"),
        (status = 403, description = "not its author or the coordinator"), (status = 404, description = "unknown consultation")))]
pub async fn queue(
    app: State<AppState>,
    who: Requester,
    Path(id): Path<String>,
    Query(q): Query<QueueQuery>,
) -> AppResult<Json<Value>> {
    let limit = cursor::limit(q.limit, 50, 200)?;
    let after = cursor::decode::<time::OffsetDateTime>(q.after.as_deref())?;
    let rows = moderation::queue(&app, who.identity.as_ref(), &id, after, limit + 1).await?;
    let (page, next) = cursor::page(rows, limit, |(k, _)| (k.created_at, k.id.clone()));
    let items: Vec<Value> = page
        .iter()
        .map(|(k, reasons)| {
            let mut v = comment_view(k);
            // the coordinator reads what waits, text and all
            v["text"] = json!(k.body);
            v["reports"] = json!(k.reports);
            v["report_reasons"] = json!(reasons);
            v
        })
        .collect();
    Ok(Json(json!({ "items": items, "next": next })))
}
