//! A service's start page: what you need, how long it takes, the legal basis.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde_json::json;

use super::{message_page, render, ui};
use crate::db::drafts;
use crate::domain::level::IdentityLevel;
use crate::error::AppResult;
use crate::state::AppState;
use crate::web::auth::login_url;
use crate::web::extract::Requester;
use crate::web::view;

pub async fn get(app: State<AppState>, who: Requester, Path(id): Path<String>) -> Response {
    let Some(svc) = app.catalogue.get_listed(&id) else {
        let t = ui(who.lang)["not_found"].as_str().unwrap_or("").to_owned();
        return message_page(&app, who.lang, StatusCode::NOT_FOUND, &t, "");
    };
    let s = view::full(svc, who.lang);
    render(
        &app,
        StatusCode::OK,
        "start.html",
        &json!({ "ui": ui(who.lang), "service": s, "title": s["title"] }),
    )
}

/// Starts a draft and goes to its first step; a service that needs an identity sends an
/// anonymous visitor to log in first (the draft follows them into the session).
pub async fn post(
    app: State<AppState>,
    who: Requester,
    Path(id): Path<String>,
) -> AppResult<Response> {
    let svc = crate::web::api::service(&app, &id)?;
    let d = drafts::create(&app.db, &who.owner, &svc, &json!({})).await?;
    let first = svc
        .def
        .steps
        .first()
        .map(|s| s.id.clone())
        .unwrap_or_else(|| "sprawdz".into());
    let first_url = format!("/uslugi/{id}/wniosek/{}/{first}", d.id);
    let required = svc.def.identity_level;
    if who.identity.is_none() && required > IdentityLevel::None {
        return Ok(Redirect::to(&login_url(required.as_str(), &first_url)).into_response());
    }
    Ok(Redirect::to(&first_url).into_response())
}
