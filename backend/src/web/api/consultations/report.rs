//! The report: `PUT /api/consultations/{id}/comments/{comment}/position` (the office's
//! position on one comment), `POST /api/consultations/{id}/report` (publish, refused
//! while a comment has none) and `GET /api/consultations/{id}/report` (public).

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use serde_json::Value;

use crate::domain::consultation::Position;
use crate::error::{AppError, AppResult};
use crate::participation::consultations::{report, report_pdf, visible};
use crate::state::AppState;
use crate::web::extract::{ApiJson, Requester};

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PositionRequest {
    /// `accepted`, `partly_accepted` or `rejected`.
    pub position: Position,
    pub justification: String,
}

#[utoipa::path(put, path = "/api/consultations/{id}/comments/{comment}/position", tag = "consultations",
    params(("id" = String, Path), ("comment" = String, Path)), request_body = PositionRequest,
    responses((status = 403, description = "not a councillor or the coordinator"), (status = 401, description = "no login where one is needed, or a bearer token that is not a live API client's"), (status = 204, description = "recorded"), (status = 404, description = "unknown consultation or comment"),
        (status = 409, description = "not closed, or reported already"), (status = 422, description = "no justification")))]
pub async fn position(
    app: State<AppState>,
    who: Requester,
    Path((id, comment)): Path<(String, String)>,
    ApiJson(req): ApiJson<PositionRequest>,
) -> AppResult<StatusCode> {
    report::position(
        &app,
        who.identity.as_ref(),
        &id,
        &comment,
        req.position,
        &req.justification,
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(post, path = "/api/consultations/{id}/report", tag = "consultations", params(("id" = String, Path)),
    responses((status = 403, description = "not a councillor or the coordinator"), (status = 401, description = "no login where one is needed, or a bearer token that is not a live API client's"), (status = 201, description = "the published report"), (status = 409, description = "not closed, or published already"),
        (status = 422, description = "comments without a position, each named (u.p.z.p. art. 8k)")))]
pub async fn publish(
    app: State<AppState>,
    who: Requester,
    Path(id): Path<String>,
) -> AppResult<(StatusCode, Json<Value>)> {
    let r = report::publish(&app, who.identity.as_ref(), &id).await?;
    Ok((StatusCode::CREATED, Json(r)))
}

#[utoipa::path(get, path = "/api/consultations/{id}/report", tag = "consultations", params(("id" = String, Path)),
    responses((status = 401, description = "no login where one is needed, or a bearer token that is not a live API client's"), (status = 200, description = "the report: every comment with the office's position"), (status = 404, description = "unknown consultation, or no report yet")))]
pub async fn get(
    app: State<AppState>,
    who: Requester,
    Path(id): Path<String>,
) -> AppResult<Json<Value>> {
    let c = visible(&app, who.identity.as_ref(), &id).await?;
    let text = c.report.ok_or(AppError::NotFound("report"))?;
    let report: Value = serde_json::from_str(&text).map_err(anyhow::Error::from)?;
    Ok(Json(report))
}

#[utoipa::path(get, path = "/api/consultations/{id}/report.pdf", tag = "consultations", params(("id" = String, Path)),
    responses((status = 401, description = "no login where one is needed, or a bearer token that is not a live API client's"), (status = 200, description = "application/pdf (PDF/UA-1): the report for reading and printing, every comment with the office's position, and the report's JWS; the signature is the JSON's"),
        (status = 404, description = "unknown consultation, or no report yet")))]
pub async fn pdf(
    app: State<AppState>,
    who: Requester,
    Path(id): Path<String>,
) -> AppResult<Response> {
    let Json(report) = get(app.clone(), who, Path(id.clone())).await?;
    let bytes = report_pdf::render(&report)?;
    Ok(crate::web::api::cases::pdf_response(
        &format!("raport-z-konsultacji-{id}.pdf"),
        bytes.into(),
    ))
}
