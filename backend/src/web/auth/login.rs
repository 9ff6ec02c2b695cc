//! `GET /auth/login?provider=national&return_to=/...&level=substantial`: a new login flow
//! (PKCE, state, nonce kept server-side) and a redirect to the provider.

use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::failed;
use crate::auth::{LoginError, sha256_hex};
use crate::db::login_flows::{self, Pending};
use crate::domain::level::IdentityLevel;
use crate::error::AppResult;
use crate::state::AppState;
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
    login_flows::start(
        &app.db,
        &sha256_hex(&started.state),
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
    Ok(Redirect::to(started.url.as_str()).into_response())
}
