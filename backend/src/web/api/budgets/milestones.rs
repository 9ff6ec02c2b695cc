//! `GET/POST /api/budgets/{id}/projects/{project}/milestones`: the implementation of a
//! winning project, followed publicly.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::Deserialize;
use serde_json::{Value, json};

use crate::db::budget::milestones as store;
use crate::db::entity::budget_milestone as row;
use crate::domain::budget::Implementation;
use crate::error::{AppError, AppResult};
use crate::participation::budget::implementation::{self, NewMilestone};
use crate::participation::budget::{load, projects};
use crate::state::AppState;
use crate::web::extract::{ApiJson, Requester};

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MilestoneRequest {
    /// `YYYY-MM-DD`.
    #[schema(format = Date)]
    pub on_day: String,
    /// `planned`, `in_progress`, `done` or `abandoned`.
    #[schema(pattern = "^(planned|in_progress|done|abandoned)$")]
    pub state: String,
    pub note: String,
}

pub fn view(m: &row::Model) -> Value {
    let state = Implementation::parse(&m.state);
    json!({
        "id": m.id,
        "on_day": m.on_day.to_string(),
        "state": m.state,
        "state_label": state.map(Implementation::label),
        "note": m.note,
        "by": m.created_by,
    })
}

#[utoipa::path(post, path = "/api/budgets/{id}/projects/{project}/milestones", tag = "budgets",
    params(("id" = String, Path), ("project" = String, Path)), request_body = MilestoneRequest,
    responses((status = 201, description = "the milestone"), (status = 400, description = "a malformed day or an unknown state"),
        (status = 401, description = "not logged in"), (status = 403, description = "not a clerk or the coordinator"),
        (status = 404, description = "unknown edition or project"),
        (status = 409, description = "before the results, a project not selected, or 50 milestones already"),
        (status = 422, description = "no note, or a day before the results or more than 10 years after")))]
pub async fn add(
    app: State<AppState>,
    who: Requester,
    Path((id, project)): Path<(String, String)>,
    ApiJson(req): ApiJson<MilestoneRequest>,
) -> AppResult<(StatusCode, Json<Value>)> {
    let on_day = crate::forms::expr::parse_date(&req.on_day).ok_or_else(|| {
        AppError::bad_request("on_day", "`on_day` to data w formacie RRRR-MM-DD.")
    })?;
    let state = Implementation::parse(&req.state).ok_or_else(|| {
        AppError::bad_request(
            "state",
            "`state` to planned, in_progress, done albo abandoned.",
        )
    })?;
    let m = implementation::add(
        &app,
        who.identity.as_ref(),
        &id,
        &project,
        NewMilestone {
            on_day,
            state,
            note: &req.note,
        },
    )
    .await?;
    Ok((StatusCode::CREATED, Json(view(&m))))
}

#[utoipa::path(get, path = "/api/budgets/{id}/projects/{project}/milestones", tag = "budgets",
    params(("id" = String, Path), ("project" = String, Path)),
    responses((status = 200, description = "`{items}`: the milestones by day (at most 50)"), (status = 404, description = "unknown edition or project")))]
pub async fn list(
    app: State<AppState>,
    Path((id, project)): Path<(String, String)>,
) -> AppResult<Json<Value>> {
    let l = load(&app, &id).await?;
    let p = projects::find(&app, &l, &project).await?;
    let items: Vec<Value> = store::of(&app.db, &p.id).await?.iter().map(view).collect();
    Ok(Json(json!({ "items": items })))
}
