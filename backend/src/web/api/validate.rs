//! Validation without filing: every error at once, plus computed values.

use axum::extract::{Path, State};
use serde_json::{Map, Value, json};

use super::service;
use crate::error::AppResult;
use crate::filing::data_of;
use crate::state::AppState;
use crate::web::extract::{ApiJson, Requester};

/// Validates `{"data": {...}}`; answers 200 with `valid`, `errors`, `warnings` and `computed`.
#[utoipa::path(post, path = "/api/services/{id}/validate", tag = "services", params(("id" = String, Path)),
    request_body = super::drafts::FormBody,
    responses((status = 429, description = "an anonymous client address over `limits.validate_per_minute` (`Retry-After`)"), (status = 401, description = "no login where one is needed, or a bearer token that is not a live API client's"), (status = 200, description = "{valid, errors[{path, code, message}], warnings, computed}"), (status = 400, description = "malformed body"), (status = 404, description = "unknown service")))]
pub async fn validate(
    app: State<AppState>,
    who: Requester,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<Map<String, Value>>,
) -> AppResult<axum::Json<Value>> {
    let svc = service(&app, &id)?;
    let data = data_of(body)?;
    let out =
        crate::filing::validate_off_runtime(svc, data, who.lang, who.identity.clone()).await?;
    Ok(axum::Json(
        json!({ "valid": out.valid, "errors": out.errors, "warnings": out.warnings, "computed": out.computed }),
    ))
}
