//! `POST /api/consultations` (a new draft) and `PUT /api/consultations/{id}` (a new version).

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::Deserialize;
use serde_json::Value;

use super::view;
use crate::domain::consultation::Consultation;
use crate::error::AppResult;
use crate::participation::consultations::save;
use crate::state::AppState;
use crate::web::extract::{ApiJson, Requester};

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SaveRequest {
    /// kind, subject, legal_basis {resolution, adopted_on, link}, scope {kind: gmina | areas,
    /// areas}, dates {announced_on, opens_on, closes_on, report_due_on}, forms, participants,
    /// document.
    pub consultation: Consultation,
    /// The questionnaire: `steps` (and `checks`) of a form definition, YAML or JSON.
    pub questionnaire: String,
    /// On edits: the version being edited; a newer one makes this a 409.
    #[serde(default)]
    pub version: Option<i32>,
}

#[utoipa::path(post, path = "/api/consultations", tag = "consultations", request_body = SaveRequest,
    responses((status = 201, description = "the draft"), (status = 401, description = "not logged in"),
        (status = 403, description = "not a councillor or coordinator"),
        (status = 422, description = "rules broken: each with its field, rule code and article; questionnaire problems as `questionnaire.yaml:line:col`")))]
pub async fn create(
    app: State<AppState>,
    who: Requester,
    ApiJson(req): ApiJson<SaveRequest>,
) -> AppResult<(StatusCode, Json<Value>)> {
    let c = save::create(
        &app,
        who.identity.as_ref(),
        &req.consultation,
        &req.questionnaire,
    )
    .await?;
    Ok((
        StatusCode::CREATED,
        Json(view(
            &app,
            &c,
            &req.consultation,
            &req.questionnaire,
            (0, 0),
            who.lang,
        )),
    ))
}

#[utoipa::path(put, path = "/api/consultations/{id}", tag = "consultations", params(("id" = String, Path)), request_body = SaveRequest,
    responses((status = 403, description = "not a councillor or the coordinator"), (status = 401, description = "no login where one is needed, or a bearer token that is not a live API client's"), (status = 200, description = "the new version"), (status = 404, description = "unknown, or someone else's draft"),
        (status = 409, description = "opened (frozen), or edited meanwhile"), (status = 422, description = "rules broken")))]
pub async fn edit(
    app: State<AppState>,
    who: Requester,
    Path(id): Path<String>,
    ApiJson(req): ApiJson<SaveRequest>,
) -> AppResult<Json<Value>> {
    let c = save::edit(
        &app,
        who.identity.as_ref(),
        &id,
        req.version,
        &req.consultation,
        &req.questionnaire,
    )
    .await?;
    Ok(Json(view(
        &app,
        &c,
        &req.consultation,
        &req.questionnaire,
        (0, 0),
        who.lang,
    )))
}
