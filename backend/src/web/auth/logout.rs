//! `POST /auth/logout`: the session ends here, then at the provider (RP-initiated logout)
//! when it offers an end-session endpoint. `POST /auth/refresh` keeps an idle session alive.

use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};

use crate::db::sessions;
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::web::extract::Requester;
use crate::web::session::clear_cookie;

pub async fn post(app: State<AppState>, who: Requester) -> AppResult<Response> {
    let Some(current) = &who.session else {
        return Ok(Redirect::to("/").into_response());
    };
    sessions::delete(&app.db, &current.token_hash).await?;
    let id = &current.live.identity;
    tracing::info!(provider = %id.provider, "logged out");
    let after = format!("{}/?wylogowano=1", app.settings.base_url());
    let target = match app.providers.get(&id.provider) {
        Some(p) => p
            .logout_url(current.live.id_token.as_deref(), &after)
            .await
            .map_or(after, |u| u.to_string()),
        None => after,
    };
    let mut res = Redirect::to(&target).into_response();
    res.headers_mut()
        .append(header::SET_COOKIE, clear_cookie(&app));
    Ok(res)
}

/// Activity without a page load (the idle warning's "stay logged in"): the session layer
/// has already moved the idle expiry on; this answers how long it now has.
pub async fn refresh(who: Requester) -> AppResult<Response> {
    let current = who.session.ok_or(AppError::Unauthenticated)?;
    let left = (current.live.idle_expires_at - crate::db::now()).whole_seconds();
    Ok((
        StatusCode::OK,
        axum::Json(serde_json::json!({ "idle_secs": left })),
    )
        .into_response())
}
