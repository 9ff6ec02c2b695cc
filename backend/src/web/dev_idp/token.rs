//! `POST /dev-idp/token`: exchanges a code (once, within two minutes, with the PKCE
//! verifier and the client's secret) for an EdDSA-signed ID token.

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use serde::Deserialize;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::config::{DEV_CLIENT_ID, DEV_CLIENT_SECRET};
use crate::state::AppState;

#[derive(Debug, Deserialize)]
pub struct TokenRequest {
    #[serde(default)]
    grant_type: String,
    #[serde(default)]
    code: String,
    #[serde(default)]
    redirect_uri: String,
    #[serde(default)]
    code_verifier: String,
    client_id: Option<String>,
    client_secret: Option<String>,
}

fn oauth_error(status: StatusCode, error: &str, description: &str) -> Response {
    (
        status,
        Json(json!({ "error": error, "error_description": description })),
    )
        .into_response()
}

/// The client's id and secret from HTTP Basic (form-urlencoded inside, RFC 6749 §2.3.1)
/// or from the form body.
fn client_credentials(headers: &HeaderMap, r: &TokenRequest) -> Option<(String, String)> {
    if let Some(basic) = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Basic "))
    {
        let decoded = String::from_utf8(STANDARD.decode(basic.trim()).ok()?).ok()?;
        let (id, secret) = decoded.split_once(':')?;
        let dec = |s: &str| {
            url::form_urlencoded::parse(format!("x={s}").as_bytes())
                .next()
                .map(|(_, v)| v.into_owned())
        };
        return Some((dec(id)?, dec(secret)?));
    }
    Some((r.client_id.clone()?, r.client_secret.clone()?))
}

pub async fn post(
    app: State<AppState>,
    headers: HeaderMap,
    axum::Form(r): axum::Form<TokenRequest>,
) -> Response {
    let Some(idp) = app.dev_idp.as_deref() else {
        return StatusCode::NOT_FOUND.into_response();
    };
    if client_credentials(&headers, &r) != Some((DEV_CLIENT_ID.into(), DEV_CLIENT_SECRET.into())) {
        return oauth_error(
            StatusCode::UNAUTHORIZED,
            "invalid_client",
            "unknown client or wrong secret",
        );
    }
    if r.grant_type != "authorization_code" {
        return oauth_error(
            StatusCode::BAD_REQUEST,
            "unsupported_grant_type",
            "only authorization_code",
        );
    }
    // a code works once: taken out before anything else is checked
    let grant = idp.grants.lock().ok().and_then(|mut g| g.remove(&r.code));
    let Some(grant) = grant.filter(|g| g.expires > std::time::Instant::now()) else {
        return oauth_error(
            StatusCode::BAD_REQUEST,
            "invalid_grant",
            "unknown, used or expired code",
        );
    };
    if grant.redirect_uri != r.redirect_uri {
        return oauth_error(
            StatusCode::BAD_REQUEST,
            "invalid_grant",
            "redirect_uri differs",
        );
    }
    let challenge = URL_SAFE_NO_PAD.encode(Sha256::digest(r.code_verifier.as_bytes()));
    if challenge != grant.code_challenge {
        return oauth_error(
            StatusCode::BAD_REQUEST,
            "invalid_grant",
            "PKCE verifier does not match",
        );
    }
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    let p = &grant.persona;
    let has = |s: &str| grant.scopes.iter().any(|x| x == s);
    let mut claims = json!({
        "iss": super::issuer(&app.settings.base_url()),
        "sub": p.id,
        "aud": DEV_CLIENT_ID,
        "azp": DEV_CLIENT_ID,
        "iat": now,
        "auth_time": now,
        "exp": now + 300,
        "acr": format!("http://eidas.europa.eu/LoA/{}", grant.level.as_str()),
        "amr": grant.amr,
    });
    let mut add = |k: &str, v: Value| {
        if let Some(o) = claims.as_object_mut() {
            o.insert(k.to_owned(), v);
        }
    };
    if let Some(n) = &grant.nonce {
        add("nonce", json!(n));
    }
    if has("profile") {
        add("given_name", json!(p.given_name));
        add("family_name", json!(p.family_name));
        if let Some(b) = &p.birth_date {
            add("birthdate", json!(b));
        }
    }
    if has("email") {
        add("email", json!(p.email));
    }
    if has("pesel")
        && let Some(pesel) = &p.pesel
    {
        add("pesel", json!(pesel));
    }
    if has("roles") {
        add("roles", json!(p.roles));
        if let Some(u) = &p.unit {
            add("unit", json!(u));
        }
    }
    let id_token = match idp.keys.active().and_then(|(kid, key)| {
        let mut h = jsonwebtoken::Header::new(jsonwebtoken::Algorithm::EdDSA);
        h.kid = Some(kid);
        Ok(jsonwebtoken::encode(&h, &claims, &key)?)
    }) {
        Ok(t) => t,
        Err(e) => {
            tracing::error!(error = %e, "dev-idp could not sign");
            return oauth_error(
                StatusCode::INTERNAL_SERVER_ERROR,
                "server_error",
                "signing failed",
            );
        }
    };
    Json(json!({
        "access_token": crate::auth::random_token(),
        "token_type": "Bearer",
        "expires_in": 300,
        "id_token": id_token,
        "scope": grant.scopes.join(" "),
    }))
    .into_response()
}
