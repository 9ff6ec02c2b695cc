//! The office's evaluation and the appeals: `POST …/evaluation`, `POST …/appeal`,
//! `POST …/appeal/decision` and `PUT …/conflict-group` of a project.

use axum::Json;
use axum::extract::{Path, State};
use serde::Deserialize;
use serde_json::Value;

use super::project_view;
use crate::domain::budget::Stage;
use crate::error::AppResult;
use crate::participation::budget::evaluation::{self, Evaluation};
use crate::state::AppState;
use crate::web::extract::{ApiJson, Requester};

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EvaluationRequest {
    /// `formal`, then `merit`.
    pub stage: Stage,
    pub positive: bool,
    pub reasons: String,
    /// The office's cost in grosze (merit stage), with `cost_reason`.
    #[serde(default)]
    pub corrected_cost: Option<u64>,
    #[serde(default)]
    pub cost_reason: Option<String>,
}

#[utoipa::path(post, path = "/api/budgets/{id}/projects/{project}/evaluation", tag = "budgets",
    params(("id" = String, Path), ("project" = String, Path)), request_body = EvaluationRequest,
    responses((status = 200, description = "the project, evaluated"), (status = 401, description = "not logged in"),
        (status = 403, description = "not a clerk or the coordinator"), (status = 404, description = "unknown edition or project"),
        (status = 409, description = "outside the evaluation window, or not the stage the project is at"),
        (status = 422, description = "no reasons, too few supports for a positive formal evaluation, or a bad corrected cost")))]
pub async fn evaluate(
    app: State<AppState>,
    who: Requester,
    Path((id, project)): Path<(String, String)>,
    ApiJson(req): ApiJson<EvaluationRequest>,
) -> AppResult<Json<Value>> {
    let p = evaluation::evaluate(
        &app,
        who.identity.as_ref(),
        &id,
        &project,
        Evaluation {
            stage: req.stage,
            positive: req.positive,
            reasons: &req.reasons,
            corrected_cost: req.corrected_cost,
            cost_reason: req.cost_reason.as_deref(),
        },
    )
    .await?;
    Ok(Json(project_view(&p, false)))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AppealRequest {
    pub text: String,
}

#[utoipa::path(post, path = "/api/budgets/{id}/projects/{project}/appeal", tag = "budgets",
    params(("id" = String, Path), ("project" = String, Path)), request_body = AppealRequest,
    responses((status = 200, description = "the project, appealed"), (status = 401, description = "not logged in"),
        (status = 404, description = "unknown, or not your project"),
        (status = 409, description = "outside the appeals window, or the project was not refused"),
        (status = 422, description = "an empty or too long appeal")))]
pub async fn appeal(
    app: State<AppState>,
    who: Requester,
    Path((id, project)): Path<(String, String)>,
    ApiJson(req): ApiJson<AppealRequest>,
) -> AppResult<Json<Value>> {
    let p = evaluation::appeal(&app, who.identity.as_ref(), &id, &project, &req.text).await?;
    Ok(Json(project_view(&p, true)))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DecisionRequest {
    /// Upheld: the project goes on the ballot.
    pub upheld: bool,
    pub reasons: String,
}

#[utoipa::path(post, path = "/api/budgets/{id}/projects/{project}/appeal/decision", tag = "budgets",
    params(("id" = String, Path), ("project" = String, Path)), request_body = DecisionRequest,
    responses((status = 200, description = "the project after the decision"), (status = 401, description = "not logged in"),
        (status = 403, description = "not a clerk or the coordinator"), (status = 404, description = "unknown edition or project"),
        (status = 409, description = "no appeal waiting, or voting has begun"), (status = 422, description = "no reasons")))]
pub async fn decide(
    app: State<AppState>,
    who: Requester,
    Path((id, project)): Path<(String, String)>,
    ApiJson(req): ApiJson<DecisionRequest>,
) -> AppResult<Json<Value>> {
    let p = evaluation::decide_appeal(
        &app,
        who.identity.as_ref(),
        &id,
        &project,
        req.upheld,
        &req.reasons,
    )
    .await?;
    Ok(Json(project_view(&p, false)))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ConflictGroupRequest {
    /// The group's name (e.g. the plot), or null to take the project out of its group.
    pub group: Option<String>,
}

#[utoipa::path(put, path = "/api/budgets/{id}/projects/{project}/conflict-group", tag = "budgets",
    params(("id" = String, Path), ("project" = String, Path)), request_body = ConflictGroupRequest,
    responses((status = 200, description = "the project in its group"), (status = 401, description = "not logged in"),
        (status = 403, description = "not a clerk or the coordinator"), (status = 404, description = "unknown edition or project"),
        (status = 409, description = "voting has begun, or the project is not admitted"), (status = 422, description = "a too long name")))]
pub async fn conflict_group(
    app: State<AppState>,
    who: Requester,
    Path((id, project)): Path<(String, String)>,
    ApiJson(req): ApiJson<ConflictGroupRequest>,
) -> AppResult<Json<Value>> {
    let p = evaluation::conflict_group(
        &app,
        who.identity.as_ref(),
        &id,
        &project,
        req.group.as_deref(),
    )
    .await?;
    Ok(Json(project_view(&p, false)))
}
