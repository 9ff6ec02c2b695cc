//! `GET /dev-idp/.well-known/openid-configuration` and `GET /dev-idp/jwks`.

use axum::Json;
use axum::extract::State;
use serde_json::{Value, json};

use crate::error::{AppError, AppResult};
use crate::state::AppState;

pub async fn configuration(app: State<AppState>) -> AppResult<Json<Value>> {
    app.dev_idp.as_ref().ok_or(AppError::NotFound("dev-idp"))?;
    let iss = super::issuer(&app.settings.base_url());
    Ok(Json(json!({
        "issuer": iss,
        "authorization_endpoint": format!("{iss}/authorize"),
        "token_endpoint": format!("{iss}/token"),
        "jwks_uri": format!("{iss}/jwks"),
        "end_session_endpoint": format!("{iss}/logout"),
        "response_types_supported": ["code"],
        "response_modes_supported": ["query"],
        "grant_types_supported": ["authorization_code"],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": ["EdDSA"],
        "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
        "code_challenge_methods_supported": ["S256"],
        "scopes_supported": ["openid", "profile", "email", "pesel", "roles"],
        "claims_supported": ["sub", "given_name", "family_name", "birthdate", "email", "pesel", "acr", "roles", "unit"],
        "acr_values_supported": [
            "http://eidas.europa.eu/LoA/low",
            "http://eidas.europa.eu/LoA/substantial",
            "http://eidas.europa.eu/LoA/high"
        ],
        "authorization_response_iss_parameter_supported": true,
    })))
}

pub async fn jwks(app: State<AppState>) -> AppResult<Json<Value>> {
    let idp = app.dev_idp.as_ref().ok_or(AppError::NotFound("dev-idp"))?;
    Ok(Json(idp.keys.jwks()))
}
