//! `GET /dev-idp/logout`: RP-initiated logout. The dev IdP keeps no session of its own, so
//! it only sends the browser back, and only to this okienko.

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use crate::state::AppState;
use crate::web::extract::Language;
use crate::web::pages::message_page;

#[derive(Debug, Deserialize)]
pub struct LogoutQuery {
    post_logout_redirect_uri: Option<String>,
}

pub async fn get(
    app: State<AppState>,
    Language(lang): Language,
    Query(q): Query<LogoutQuery>,
) -> Response {
    if app.dev_idp.is_none() {
        return StatusCode::NOT_FOUND.into_response();
    }
    let base = format!("{}/", app.settings.base_url());
    match q.post_logout_redirect_uri {
        Some(u) if u.starts_with(&base) => Redirect::to(&u).into_response(),
        _ => message_page(
            &app,
            lang,
            StatusCode::OK,
            "dev-idp",
            "Wylogowano. / Logged out.",
        ),
    }
}
