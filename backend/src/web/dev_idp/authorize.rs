//! `GET /dev-idp/authorize`: checks the request as a provider must (client, redirect URI,
//! PKCE S256), then shows the persona picker, or, with a `login_hint` naming a persona,
//! logs in at once. `POST /dev-idp/authorize`: the picked persona gets a code. Staff
//! personas first answer a TOTP step (`totp.rs`), and their ID token says so in `amr`.

use std::time::{Duration, Instant};

use axum::Form;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::{DevIdp, Grant};
use crate::config::DEV_CLIENT_ID;
use crate::domain::level::IdentityLevel;
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::web::extract::Language;
use crate::web::pages::{message_page, render, ui};

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct AuthRequest {
    #[serde(default)]
    pub response_type: String,
    #[serde(default)]
    pub client_id: String,
    #[serde(default)]
    pub redirect_uri: String,
    #[serde(default)]
    pub scope: String,
    #[serde(default)]
    pub state: String,
    pub nonce: Option<String>,
    #[serde(default)]
    pub code_challenge: String,
    #[serde(default)]
    pub code_challenge_method: String,
    pub acr_values: Option<String>,
    pub login_hint: Option<String>,
    /// Only in the picker's form: the chosen persona.
    pub persona: Option<String>,
    /// Only in the picker's form: "Cancel" was pressed.
    pub cancel: Option<String>,
    /// Only in the TOTP step's form: the six digits.
    pub totp: Option<String>,
}

/// The highest level asked for in `acr_values`.
fn requested_level(acr_values: Option<&str>) -> Option<IdentityLevel> {
    acr_values?
        .split(' ')
        .filter_map(IdentityLevel::parse)
        .max()
}

/// Problems that must not be sent back to an unchecked redirect URI: shown here instead.
fn check_client(app: &AppState, r: &AuthRequest) -> Result<(), String> {
    if r.client_id != DEV_CLIENT_ID {
        return Err(format!("unknown client_id `{}`", r.client_id));
    }
    if r.redirect_uri != format!("{}/auth/callback", app.settings.base_url()) {
        return Err(format!(
            "redirect_uri `{}` is not registered",
            r.redirect_uri
        ));
    }
    Ok(())
}

/// Problems reported to the client at its (checked) redirect URI.
fn check_request(r: &AuthRequest) -> Result<(), &'static str> {
    if r.response_type != "code" {
        return Err("unsupported_response_type");
    }
    if !r.scope.split(' ').any(|s| s == "openid") {
        return Err("invalid_scope");
    }
    if r.code_challenge.is_empty() || r.code_challenge_method != "S256" {
        return Err("invalid_request");
    }
    Ok(())
}

fn back_with_error(app: &AppState, r: &AuthRequest, error: &str) -> Response {
    let mut url = match url::Url::parse(&r.redirect_uri) {
        Ok(u) => u,
        Err(_) => return StatusCode::BAD_REQUEST.into_response(),
    };
    url.query_pairs_mut()
        .append_pair("error", error)
        .append_pair("state", &r.state)
        .append_pair("iss", &super::issuer(&app.settings.base_url()));
    Redirect::to(url.as_str()).into_response()
}

fn idp(app: &AppState) -> AppResult<&DevIdp> {
    app.dev_idp.as_deref().ok_or(AppError::NotFound("dev-idp"))
}

pub async fn get(
    app: State<AppState>,
    Language(lang): Language,
    Query(r): Query<AuthRequest>,
) -> AppResult<Response> {
    let idp = idp(&app)?;
    if let Err(why) = check_client(&app, &r) {
        return Ok(message_page(
            &app,
            lang,
            StatusCode::BAD_REQUEST,
            "dev-idp",
            &why,
        ));
    }
    if let Err(e) = check_request(&r) {
        return Ok(back_with_error(&app, &r, e));
    }
    if let Some(p) = r.login_hint.as_deref().and_then(|h| idp.persona(h)) {
        if p.is_staff() {
            return Ok(totp_step(&app, lang, &r, &p.id, StatusCode::OK));
        }
        return Ok(grant(&app, idp, &r, p.id.clone(), &["pwd"]));
    }
    let wanted = requested_level(r.acr_values.as_deref());
    let personas: Vec<_> = idp
        .personas
        .iter()
        .map(|p| {
            json!({ "id": p.id, "name": format!("{} {}", p.given_name, p.family_name),
                "pesel": p.pesel, "roles": p.roles.join(", "), "unit": p.unit,
                "level": wanted.map_or(p.level, |w| w.max(p.level)).as_str() })
        })
        .collect();
    Ok(render(
        &app,
        StatusCode::OK,
        "dev_idp.html",
        &json!({ "ui": ui(lang), "title": "dev-idp", "request": r, "personas": personas,
            "wanted": wanted.map(IdentityLevel::as_str) }),
    ))
}

pub async fn post(
    app: State<AppState>,
    Language(lang): Language,
    Form(r): Form<AuthRequest>,
) -> AppResult<Response> {
    let idp = idp(&app)?;
    if let Err(why) = check_client(&app, &r) {
        return Err(AppError::bad_request("dev_idp.client", why));
    }
    if let Err(e) = check_request(&r) {
        return Ok(back_with_error(&app, &r, e));
    }
    match r.persona.clone() {
        Some(id) if r.cancel.is_none() && idp.persona(&id).is_some_and(|p| p.is_staff()) => {
            match r.totp.as_deref() {
                Some(code) if super::totp::check(&id, code) => {
                    Ok(grant(&app, idp, &r, id, &["pwd", "otp"]))
                }
                Some(_) => Ok(totp_step(
                    &app,
                    lang,
                    &r,
                    &id,
                    StatusCode::UNPROCESSABLE_ENTITY,
                )),
                None => Ok(totp_step(&app, lang, &r, &id, StatusCode::OK)),
            }
        }
        Some(id) if r.cancel.is_none() && idp.persona(&id).is_some() => {
            Ok(grant(&app, idp, &r, id, &["pwd"]))
        }
        // "Cancel" on the picker
        _ => Ok(back_with_error(&app, &r, "access_denied")),
    }
}

/// The second step of a staff persona: the code of its authenticator (TOTP).
fn totp_step(
    app: &AppState,
    lang: crate::domain::lang::Lang,
    r: &AuthRequest,
    persona: &str,
    status: StatusCode,
) -> Response {
    render(
        app,
        status,
        "dev_idp_totp.html",
        &json!({ "ui": ui(lang), "title": "dev-idp", "request": r, "persona": persona,
            "secret": super::totp::secret_base32(persona), "wrong": status != StatusCode::OK }),
    )
}

/// Issues a code for `persona`, who authenticated by `amr`, and sends the browser back to
/// the client with it.
fn grant(app: &AppState, idp: &DevIdp, r: &AuthRequest, persona: String, amr: &[&str]) -> Response {
    let Some(p) = idp.persona(&persona).cloned() else {
        return back_with_error(app, r, "access_denied");
    };
    // a real node would make the person use a stronger means; the dev IdP vouches for it
    let level = requested_level(r.acr_values.as_deref()).map_or(p.level, |w| w.max(p.level));
    let code = crate::auth::random_token();
    if let Ok(mut grants) = idp.grants.lock() {
        grants.retain(|_, g| g.expires > Instant::now());
        grants.insert(
            code.clone(),
            Grant {
                persona: p,
                level,
                scopes: r.scope.split(' ').map(str::to_owned).collect(),
                nonce: r.nonce.clone(),
                code_challenge: r.code_challenge.clone(),
                redirect_uri: r.redirect_uri.clone(),
                expires: Instant::now() + Duration::from_secs(120),
                amr: amr.iter().map(|a| (*a).to_owned()).collect(),
            },
        );
    }
    let mut url = match url::Url::parse(&r.redirect_uri) {
        Ok(u) => u,
        Err(_) => return StatusCode::BAD_REQUEST.into_response(),
    };
    url.query_pairs_mut()
        .append_pair("code", &code)
        .append_pair("state", &r.state)
        .append_pair("iss", &super::issuer(&app.settings.base_url()));
    Redirect::to(url.as_str()).into_response()
}
