//! `/api/budgets/{id}/projects`: residents propose and edit projects and support them
//! during intake; everyone reads them, a page at a time.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use serde::Deserialize;
use serde_json::{Value, json};

use super::editions::{ListQuery, limit};
use super::project_view;
use crate::db::budget::projects as store;
use crate::error::AppResult;
use crate::participation::budget::{load, projects};
use crate::state::AppState;
use crate::web::cursor;
use crate::web::extract::{ApiJson, Requester};

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProjectRequest {
    /// The project form's answers by field id: tytul, pula (a pool code), miejsce, opis,
    /// koszt (zł), beneficjenci; the edition's `project_form` lists them.
    #[schema(value_type = Object)]
    pub data: Value,
}

fn mine(who: &Requester, author: &str) -> bool {
    who.identity
        .as_ref()
        .is_some_and(|i| crate::auth::owner_of(i) == author)
}

#[utoipa::path(post, path = "/api/budgets/{id}/projects", tag = "budgets", params(("id" = String, Path)), request_body = ProjectRequest,
    responses((status = 201, description = "the project, submitted"), (status = 401, description = "not logged in"),
        (status = 403, description = "not a resident"), (status = 404, description = "unknown edition"),
        (status = 409, description = "outside the intake window, which the message gives"),
        (status = 422, description = "the form's errors by field, or a cost above the pool")))]
pub async fn create(
    app: State<AppState>,
    who: Requester,
    Path(id): Path<String>,
    ApiJson(req): ApiJson<ProjectRequest>,
) -> AppResult<(StatusCode, Json<Value>)> {
    let (_, p) = projects::propose(&app, who.identity.as_ref(), &id, &req.data, who.lang).await?;
    Ok((StatusCode::CREATED, Json(project_view(&p, true))))
}

#[utoipa::path(put, path = "/api/budgets/{id}/projects/{project}", tag = "budgets",
    params(("id" = String, Path), ("project" = String, Path)), request_body = ProjectRequest,
    responses((status = 200, description = "the project's new content"), (status = 401, description = "not logged in"),
        (status = 404, description = "unknown, or not your project"),
        (status = 409, description = "intake has closed, or the project is being evaluated"),
        (status = 422, description = "the form's errors by field")))]
pub async fn edit(
    app: State<AppState>,
    who: Requester,
    Path((id, project)): Path<(String, String)>,
    ApiJson(req): ApiJson<ProjectRequest>,
) -> AppResult<Json<Value>> {
    let (_, p) = projects::edit(
        &app,
        who.identity.as_ref(),
        &id,
        &project,
        &req.data,
        who.lang,
    )
    .await?;
    Ok(Json(project_view(&p, true)))
}

#[utoipa::path(get, path = "/api/budgets/{id}/projects/{project}", tag = "budgets",
    params(("id" = String, Path), ("project" = String, Path)),
    responses((status = 401, description = "no login where one is needed, or a bearer token that is not a live API client's"), (status = 200, description = "the project with its status, evaluation and appeal"), (status = 404, description = "unknown edition or project")))]
pub async fn get(
    app: State<AppState>,
    who: Requester,
    Path((id, project)): Path<(String, String)>,
) -> AppResult<Json<Value>> {
    let l = load(&app, &id).await?;
    let p = projects::find(&app, &l, &project).await?;
    Ok(Json(project_view(&p, mine(&who, &p.author))))
}

#[utoipa::path(get, path = "/api/budgets/{id}/projects", tag = "budgets", params(("id" = String, Path), ListQuery),
    responses((status = 401, description = "no login where one is needed, or a bearer token that is not a live API client's"), (status = 200, description = "`{items, next}`, in the order they were proposed"), (status = 400, description = "bad cursor or limit"),
        (status = 404, description = "unknown edition")))]
pub async fn list(
    app: State<AppState>,
    who: Requester,
    Path(id): Path<String>,
    Query(q): Query<ListQuery>,
) -> AppResult<Json<Value>> {
    let limit = limit(q.limit)?;
    let l = load(&app, &id).await?;
    let after = cursor::decode::<time::OffsetDateTime>(q.after.as_deref())?;
    let rows = store::page(&app.db, &l.row.id, after, limit + 1).await?;
    let more = rows.len() as u64 > limit;
    let page = &rows[..rows.len().min(limit as usize)];
    let items: Vec<Value> = page
        .iter()
        .map(|p| project_view(p, mine(&who, &p.author)))
        .collect();
    let next = more
        .then(|| page.last().map(|p| cursor::encode(&p.created_at, &p.id)))
        .flatten();
    Ok(Json(json!({ "items": items, "next": next })))
}

#[utoipa::path(post, path = "/api/budgets/{id}/projects/{project}/supports", tag = "budgets",
    params(("id" = String, Path), ("project" = String, Path)),
    responses((status = 201, description = "supported: `supports` is the count now"), (status = 200, description = "you supported it already (`first: false`)"),
        (status = 401, description = "not logged in"), (status = 403, description = "not a resident"),
        (status = 404, description = "unknown edition or project"), (status = 409, description = "outside the intake window")))]
pub async fn support(
    app: State<AppState>,
    who: Requester,
    Path((id, project)): Path<(String, String)>,
) -> AppResult<(StatusCode, Json<Value>)> {
    let (p, first) = projects::support(&app, who.identity.as_ref(), &id, &project).await?;
    let status = if first {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((
        status,
        Json(json!({ "supports": p.supports, "first": first })),
    ))
}
