//! The office's verification of a filed initiative's supports: `GET
//! /api/initiatives/{id}/supports` (keyset pages), `PUT .../supports/{support}/verdict`, and
//! `POST .../register-check` with the voters' register's PESELs as CSV.

use axum::Json;
use axum::extract::{Path, Query, State};
use serde::Deserialize;
use serde_json::{Value, json};

use super::page_params;
use crate::db::initiatives as store;
use crate::error::{AppError, AppResult};
use crate::participation::initiative::{find, office, verify};
use crate::state::AppState;
use crate::web::extract::{ApiJson, Requester};

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct SupportsQuery {
    /// The `next` of the previous page.
    #[param(
        pattern = "^([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})?$"
    )]
    pub after: Option<String>,
    /// Page size, 1 to 100 (default 20).
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<u64>,
}

#[utoipa::path(get, path = "/api/initiatives/{id}/supports", tag = "initiatives", params(("id" = String, Path), SupportsQuery),
    responses((status = 200, description = "`{items, next}` in the order given"), (status = 400, description = "bad cursor or limit"),
        (status = 401, description = "not logged in"), (status = 403, description = "not a clerk"), (status = 404, description = "unknown initiative")))]
pub async fn list(
    app: State<AppState>,
    who: Requester,
    Path(id): Path<String>,
    Query(q): Query<SupportsQuery>,
) -> AppResult<Json<Value>> {
    office(who.identity.as_ref())?;
    let i = find(&app, &id).await?;
    let (after, limit) = page_params(q.after.as_deref(), q.limit)?;
    let rows = store::supports(&app.db, &i.id, after.as_deref(), limit + 1).await?;
    let more = rows.len() as u64 > limit;
    let page = &rows[..rows.len().min(limit as usize)];
    let items: Vec<Value> = page
        .iter()
        .map(|s| {
            json!({
                "id": s.id, "channel": s.channel, "name": s.name, "address": s.address,
                "pesel": s.pesel, "supported_on": s.supported_on.to_string(),
                "verdict": s.verdict, "reason": s.reason,
            })
        })
        .collect();
    let next = more.then(|| page.last().map(|s| s.id.clone())).flatten();
    Ok(Json(json!({ "items": items, "next": next })))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VerdictRequest {
    pub accepted: bool,
    /// Why a support is rejected (required then).
    pub reason: Option<String>,
}

#[utoipa::path(put, path = "/api/initiatives/{id}/supports/{support}/verdict", tag = "initiatives",
    params(("id" = String, Path), ("support" = String, Path)), request_body = VerdictRequest,
    responses((status = 200, description = "recorded; the counts"), (status = 401, description = "not logged in"), (status = 403, description = "not a clerk"),
        (status = 404, description = "unknown initiative or support"), (status = 409, description = "not filed yet"), (status = 422, description = "a rejection without its reason")))]
pub async fn verdict(
    app: State<AppState>,
    who: Requester,
    Path((id, support)): Path<(String, String)>,
    ApiJson(req): ApiJson<VerdictRequest>,
) -> AppResult<Json<Value>> {
    let counts = verify::one(
        &app,
        who.identity.as_ref(),
        &id,
        &support,
        req.accepted,
        req.reason.as_deref(),
    )
    .await?;
    Ok(Json(json!({ "supports": counts })))
}

#[utoipa::path(post, path = "/api/initiatives/{id}/register-check", tag = "initiatives", params(("id" = String, Path)),
    request_body(content = String, content_type = "text/csv", description = "the voters' register's PESELs, one per line (first column)"),
    responses((status = 200, description = "pending supports accepted or rejected; the counts", body = verify::Checked), (status = 401, description = "not logged in"),
        (status = 403, description = "not a clerk"), (status = 404, description = "unknown initiative"), (status = 409, description = "not filed yet"),
        (status = 413, description = "too large"), (status = 415, description = "not text/csv"), (status = 422, description = "bad PESELs, by line")))]
pub async fn register_check(
    app: State<AppState>,
    who: Requester,
    Path(id): Path<String>,
    headers: axum::http::HeaderMap,
    body: String,
) -> AppResult<Json<verify::Checked>> {
    let csv = headers
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| t.starts_with("text/csv") || t.starts_with("text/plain"));
    if !csv {
        return Err(AppError::UnsupportedMediaType(
            "Wyślij dane z nagłówkiem `Content-Type: text/csv`.".into(),
        ));
    }
    Ok(Json(
        verify::against_register(&app, who.identity.as_ref(), &id, &body).await?,
    ))
}
