//! Resolves the session cookie once per request: the live session goes into the request's
//! extensions (for `Requester`), its idle expiry moves on, a dead cookie is cleared, and
//! pages learn who is looking (`viewer()`) for the header and the idle-timeout warning.

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{HeaderValue, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use crate::auth::sha256_hex;
use crate::db::sessions::{self, Live};
use crate::error::AppError;
use crate::state::AppState;
use crate::web::extract::SESSION_COOKIE;

/// The live session of this request.
#[derive(Debug, Clone)]
pub struct Current {
    pub token_hash: String,
    pub live: Live,
}

/// What a page shows of the person looking at it.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Viewer {
    pub logged_in: bool,
    pub name: String,
    pub level: String,
    pub roles: Vec<&'static str>,
    /// Seconds until the idle timeout, and how long before it the page warns.
    pub idle_secs: i64,
    pub warn_secs: i64,
    /// Logging in from this page comes back to it.
    pub login_href: String,
}

tokio::task_local! {
    static VIEWER: Viewer;
}

/// The viewer of the page being rendered (the default outside a request).
pub fn viewer() -> Viewer {
    VIEWER.try_with(Clone::clone).unwrap_or_default()
}

/// The cookie that ends a session in the browser.
pub fn clear_cookie(state: &AppState) -> HeaderValue {
    crate::web::cookies::clear(state, SESSION_COOKIE)
}

pub async fn resolve(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    // static files need no session: no database round trip for each stylesheet
    if req.uri().path().starts_with("/assets/") {
        return next.run(req).await;
    }
    let mut current = None;
    let mut stale = false;
    if let Some(c) = crate::web::cookies::get(&state, req.headers(), SESSION_COOKIE) {
        let hash = sha256_hex(&c);
        match sessions::live(&state.db, &hash).await {
            Ok(Some(mut live)) => {
                let idle =
                    time::Duration::minutes(i64::from(state.settings.auth.idle_timeout_mins));
                // one write per half minute at most, not one per request
                if crate::db::now() - live.last_seen_at > time::Duration::seconds(30) {
                    match sessions::touch(&state.db, &hash, idle, live.expires_at).await {
                        Ok(until) => live.idle_expires_at = until,
                        Err(e) => return AppError::from(e).into_response(),
                    }
                }
                current = Some(Current {
                    token_hash: hash,
                    live,
                });
            }
            Ok(None) => stale = true,
            Err(e) => return AppError::from(e).into_response(),
        }
    }
    let viewer = viewer_of(&state, current.as_ref(), &req);
    req.extensions_mut().insert(current.map(Arc::new));
    let mut res = VIEWER.scope(viewer, next.run(req)).await;
    if stale {
        res.headers_mut()
            .append(header::SET_COOKIE, clear_cookie(&state));
    }
    res
}

fn viewer_of(state: &AppState, current: Option<&Current>, req: &Request) -> Viewer {
    let here = req
        .uri()
        .path_and_query()
        .map_or("/".to_owned(), |p| p.as_str().to_owned());
    let login_href = format!(
        "/auth/login?provider=national&return_to={}",
        url::form_urlencoded::byte_serialize(here.as_bytes()).collect::<String>()
    );
    let Some(c) = current else {
        return Viewer {
            login_href,
            ..Viewer::default()
        };
    };
    let id = &c.live.identity;
    Viewer {
        logged_in: true,
        name: id.full_name(),
        level: id.level.as_str().to_owned(),
        roles: id.roles.iter().map(|r| r.as_str()).collect(),
        idle_secs: (c.live.idle_expires_at - crate::db::now()).whole_seconds(),
        warn_secs: i64::from(state.settings.auth.idle_warning_mins) * 60,
        login_href,
    }
}
