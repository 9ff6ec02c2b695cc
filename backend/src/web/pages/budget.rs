//! `/budzet` (editions), `/budzet/{id}` (one, with its pools and projects),
//! `/budzet/{id}/projekty/{project}` (a project's status, evaluation and appeal) and
//! `/budzet/{id}/wyniki` (the protocol). Taking part is through the API for now
//! (docs/budget.md).

use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde_json::{Value, json};

use super::{render, ui};
use crate::db::budget::{editions as store, projects as project_store};
use crate::domain::budget::{Edition, Phase, zloty};
use crate::error::{AppError, AppResult};
use crate::forms::FieldError;
use crate::participation::budget::{Loaded, load, phase_of, projects, results, today};
use crate::state::AppState;
use crate::web::api::budgets::{edition_view, project_view};
use crate::web::extract::Requester;

pub async fn list(app: State<AppState>, who: Requester) -> AppResult<Response> {
    let day = today();
    let items: Vec<Value> = store::list(&app.db, None, 100)
        .await?
        .iter()
        .filter_map(|r| {
            let e: Edition = serde_json::from_str(&r.body).ok()?;
            Some(json!({
                "id": r.id,
                "title": r.title,
                "phase": phase_of(r, &e, day).label(),
                "voting_opens": r.voting_opens_on.to_string(),
                "voting_closes": r.voting_closes_on.to_string(),
            }))
        })
        .collect();
    Ok(render(
        &app,
        StatusCode::OK,
        "budget/list.html",
        &json!({ "ui": ui(who.lang), "title": "Budżet obywatelski", "items": items }),
    ))
}

pub async fn edition(
    app: State<AppState>,
    who: Requester,
    Path(id): Path<String>,
) -> AppResult<Response> {
    let l = load(&app, &id).await?;
    // the first 500 projects; the API pages through the rest
    let projects: Vec<Value> = project_store::page(&app.db, &l.row.id, None, 500)
        .await?
        .iter()
        .map(|p| project_view(p, false))
        .collect();
    let view = edition_view(&app, &l, who.lang);
    Ok(render(
        &app,
        StatusCode::OK,
        "budget/edition.html",
        &json!({
            "ui": ui(who.lang),
            "title": l.edition.title,
            "e": view,
            "projects": projects,
        }),
    ))
}

pub async fn project(
    app: State<AppState>,
    who: Requester,
    Path((id, project)): Path<(String, String)>,
    RawQuery(query): RawQuery,
) -> AppResult<Response> {
    let l = load(&app, &id).await?;
    let notice = match query.as_deref() {
        Some("poparcie=zapisane") => Some("Dziękujemy: Twoje poparcie jest zapisane."),
        Some("poparcie=juz") => Some("Już popierasz ten projekt; liczy się jedno poparcie."),
        _ => None,
    };
    let errors: Vec<FieldError> = notice
        .map(|n| FieldError {
            path: String::new(),
            code: "notice".into(),
            message: n.into(),
        })
        .into_iter()
        .collect();
    project_page(&app, &who, &l, &project, &errors, StatusCode::OK).await
}

/// A project's page; `messages` are a refusal's errors or, with code `notice`, a notice.
pub async fn project_page(
    app: &AppState,
    who: &Requester,
    l: &Loaded,
    project: &str,
    messages: &[FieldError],
    status: StatusCode,
) -> AppResult<Response> {
    let p = projects::find(app, l, project).await?;
    let (notices, errors): (Vec<&FieldError>, Vec<&FieldError>) =
        messages.iter().partition(|m| m.code == "notice");
    let intake = l.phase(today()) == Phase::Intake;
    let pool = l.edition.pool(&p.pool_code).map(|pl| pl.name.clone());
    let milestones: Vec<Value> = crate::db::budget::milestones::of(&app.db, &p.id)
        .await?
        .iter()
        .map(crate::web::api::budgets::milestones::view)
        .collect();
    Ok(render(
        app,
        status,
        "budget/project.html",
        &json!({
            "ui": ui(who.lang),
            "title": p.title,
            "edition": { "id": l.row.id, "title": l.edition.title },
            "pool": pool,
            "p": project_view(&p, false),
            "milestones": milestones,
            "supports_open": intake,
            "logged_in": who.identity.is_some(),
            "login": crate::web::auth::login_url("substantial", &format!("/budzet/{}/projekty/{}", l.row.id, p.id)),
            "notice": notices.first().map(|n| n.message.clone()),
            "errors": errors,
        }),
    ))
}

pub async fn results(
    app: State<AppState>,
    who: Requester,
    Path(id): Path<String>,
) -> AppResult<Response> {
    let l = load(&app, &id).await?;
    let mut protocol = results::protocol(&l).ok_or(AppError::NotFound("protocol"))?;
    // amounts as the page prints them
    for pool in protocol["pools"].as_array_mut().into_iter().flatten() {
        for key in ["amount", "spent", "leftover"] {
            pool[format!("{key}_text")] = zloty(pool[key].as_u64().unwrap_or(0)).into();
        }
        for p in pool["projects"].as_array_mut().into_iter().flatten() {
            p["cost_text"] = zloty(p["cost"].as_u64().unwrap_or(0)).into();
        }
    }
    Ok(render(
        &app,
        StatusCode::OK,
        "budget/results.html",
        &json!({
            "ui": ui(who.lang),
            "title": format!("Wyniki: {}", l.edition.title),
            "edition": { "id": l.row.id, "title": l.edition.title },
            "r": protocol,
        }),
    ))
}
