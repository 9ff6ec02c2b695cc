//! `GET /auth/login?provider=national&return_to=/...&level=substantial`: a new login flow
//! (PKCE, state, nonce kept server-side) and a redirect to the provider. The flow is
//! bound to this browser by a short-lived login cookie (see [`super::flow_key`]).

use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::failed;
use crate::auth::{LoginError, random_token};
use crate::db::login_flows::{self, Pending};
use crate::domain::level::IdentityLevel;
use crate::error::AppResult;
use crate::state::AppState;
use crate::web::cookies::{self, LOGIN_COOKIE};
use crate::web::extract::Requester;

#[derive(Debug, Deserialize)]
pub struct LoginQuery {
    pub provider: Option<String>,
    pub return_to: Option<String>,
    /// The level of assurance the next step needs (step-up).
    pub level: Option<String>,
    pub login_hint: Option<String>,
}

/// How long a login may take at the provider.
const FLOW_TTL: time::Duration = time::Duration::minutes(15);

pub async fn get(
    app: State<AppState>,
    who: Requester,
    Query(q): Query<LoginQuery>,
) -> AppResult<Response> {
    let name = q.provider.as_deref().unwrap_or("national");
    let Some(provider) = app.providers.get(name) else {
        let e = LoginError::UnknownProvider(name.to_owned());
        tracing::warn!(reason = e.code(), detail = %e, "login failed");
        return Ok(failed::page(&app, who.lang, &e));
    };
    let level = q.level.as_deref().and_then(IdentityLevel::parse);
    let started = match provider.start(level, q.login_hint.as_deref()).await {
        Ok(s) => s,
        Err(e) => {
            tracing::warn!(provider = name, reason = e.code(), detail = %e, "login failed");
            return Ok(failed::page(&app, who.lang, &e));
        }
    };
    let binding = random_token();
    login_flows::start(
        &app.db,
        &super::flow_key(&started.state, &binding),
        Pending {
            provider: name.to_owned(),
            pkce_verifier: started.pkce_verifier,
            nonce: started.nonce,
            return_to: super::safe_return_to(q.return_to.as_deref()),
            anon_owner: who.identity.is_none().then(|| who.anon_owner.clone()),
        },
        FLOW_TTL,
    )
    .await?;
    metrics::counter!("okienko_logins_started_total", "provider" => name.to_owned()).increment(1);
    let mut res = Redirect::to(started.url.as_str()).into_response();
    if let Some(v) = cookies::header(&app, LOGIN_COOKIE, &binding, Some(FLOW_TTL.whole_seconds())) {
        res.headers_mut().append(axum::http::header::SET_COOKIE, v);
    }
    Ok(res)
}
