//! `POST /api/initiatives/{id}/supports`: a resident supports it.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::Deserialize;
use serde_json::{Value, json};

use crate::domain::initiative::Declaration;
use crate::error::AppResult;
use crate::participation::initiative::support;
use crate::state::AppState;
use crate::web::extract::{ApiJson, Requester};

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SupportRequest {
    /// I live in the gmina permanently.
    pub permanent_resident: bool,
    /// I am a Polish citizen or a citizen of another EU state.
    pub eu_citizen: bool,
}

#[utoipa::path(post, path = "/api/initiatives/{id}/supports", tag = "initiatives", params(("id" = String, Path)), request_body = SupportRequest,
    responses((status = 201, description = "supported; the counts"), (status = 401, description = "not logged in"),
        (status = 403, description = "not a resident with a PESEL, or under 18 (the message gives the day)"), (status = 404, description = "unknown initiative"),
        (status = 409, description = "supported already, or filed"), (status = 422, description = "residence or citizenship not declared")))]
pub async fn post(
    app: State<AppState>,
    who: Requester,
    Path(id): Path<String>,
    ApiJson(req): ApiJson<SupportRequest>,
) -> AppResult<(StatusCode, Json<Value>)> {
    let declared = Declaration {
        permanent_resident: req.permanent_resident,
        eu_citizen: req.eu_citizen,
    };
    let counts = support::online(&app, who.identity.as_ref(), &id, declared).await?;
    Ok((
        StatusCode::CREATED,
        Json(
            json!({ "supports": counts, "message": "dziękujemy: Twoje poparcie zostało zapisane" }),
        ),
    ))
}
