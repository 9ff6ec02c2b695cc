//! `GET /auth/callback`: the provider sends the browser back with a code. The pending
//! login is taken by its `state` and the browser's login cookie (so a replay, or a callback
//! in a browser that did not start the login, finds nothing), the code exchanged, the ID
//! token verified, and a new session begun under a new id.

use axum::extract::{Query, State};
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::failed;
use crate::auth::{LoginError, owner_of, random_token, sha256_hex};
use crate::db::sessions::{self, Lifetime, NewSession};
use crate::db::{drafts, login_flows};
use crate::error::AppResult;
use crate::state::AppState;
use crate::web::cookies::{self, LOGIN_COOKIE};
use crate::web::extract::{Requester, SESSION_COOKIE};

#[derive(Debug, Deserialize)]
pub struct CallbackQuery {
    pub code: Option<String>,
    pub state: Option<String>,
    pub iss: Option<String>,
    pub error: Option<String>,
    pub error_description: Option<String>,
}

/// The login cookie is left to expire (15 minutes; the next login replaces it): a back
/// button or a reload of this URL then finds the used state and says so (`unknown_state`),
/// instead of claiming another browser started the login.
pub async fn get(
    app: State<AppState>,
    who: Requester,
    headers: HeaderMap,
    q: Query<CallbackQuery>,
) -> AppResult<Response> {
    finish(&app, who, &headers, q).await
}

async fn finish(
    app: &AppState,
    who: Requester,
    headers: &HeaderMap,
    Query(q): Query<CallbackQuery>,
) -> AppResult<Response> {
    let Some(binding) = cookies::get(app, headers, LOGIN_COOKIE) else {
        let e = LoginError::NotThisBrowser;
        tracing::warn!(
            reason = e.code(),
            "login failed: the callback came without the login cookie"
        );
        return Ok(failed::page(app, who.lang, &e));
    };
    let pending = match &q.state {
        Some(s) => login_flows::take(&app.db, &super::flow_key(s, &binding)).await?,
        None => None,
    };
    let Some(pending) = pending else {
        tracing::warn!(
            reason = "unknown_state",
            "login failed: state unknown, expired or replayed"
        );
        return Ok(failed::page(app, who.lang, &LoginError::UnknownState));
    };
    let outcome = async {
        if let Some(error) = &q.error {
            return Err(LoginError::Provider {
                error: error.clone(),
            });
        }
        let provider = app
            .providers
            .get(&pending.provider)
            .ok_or_else(|| LoginError::UnknownProvider(pending.provider.clone()))?;
        let code = q.code.as_deref().ok_or(LoginError::UnknownState)?;
        provider
            .finish(
                code,
                &pending.pkce_verifier,
                &pending.nonce,
                q.iss.as_deref(),
            )
            .await
    }
    .await;
    let finished = match outcome {
        Ok(f) => f,
        Err(e) => {
            tracing::warn!(
                provider = %pending.provider,
                reason = e.code(),
                detail = %e,
                provider_says = q.error_description.as_deref().unwrap_or(""),
                "login failed"
            );
            return Ok(failed::page(app, who.lang, &e));
        }
    };

    // a new session id at every login; the old session, if any, ends
    if let Some(old) = &who.session {
        sessions::delete(&app.db, &old.token_hash).await?;
    }
    let token = random_token();
    let auth = &app.settings.auth;
    sessions::create(
        &app.db,
        NewSession {
            token_hash: &sha256_hex(&token),
            identity: &finished.identity,
            id_token: Some(&finished.id_token),
        },
        Lifetime {
            idle: time::Duration::minutes(i64::from(auth.idle_timeout_mins)),
            absolute: time::Duration::hours(i64::from(auth.absolute_lifetime_hours)),
        },
    )
    .await?;
    if let Some(anon) = &pending.anon_owner {
        drafts::reassign(&app.db, anon, &owner_of(&finished.identity)).await?;
    }
    // every resident has an e-delivery mailbox from their first login
    if finished
        .identity
        .has_role(crate::domain::identity::Role::Resident)
    {
        crate::delivery::resident_mailbox(
            &app.db,
            &owner_of(&finished.identity),
            &finished.identity,
        )
        .await?;
    }
    tracing::info!(
        provider = %pending.provider,
        level = finished.identity.level.as_str(),
        roles = ?finished.identity.roles,
        "logged in"
    );
    metrics::counter!("okienko_logins_total", "provider" => pending.provider.clone()).increment(1);
    let mut res = Redirect::to(&pending.return_to).into_response();
    if let Some(v) = cookies::header(app, SESSION_COOKIE, &token, None) {
        res.headers_mut().append(header::SET_COOKIE, v);
    }
    Ok(res)
}
