//! Live validation of Polish identifiers, the same validators the forms use.

use axum::extract::Path;
use serde_json::Value;

use crate::domain::identifier::{self, IdentifierKind};
use crate::error::{AppError, AppResult};

/// Checks a PESEL, NIP, REGON, postal code or e-delivery address.
#[utoipa::path(get, path = "/api/identifiers/{kind}/{value}", tag = "identifiers",
    params(("kind" = String, Path, description = "pesel | nip | regon | postal-code | ade"), ("value" = String, Path)),
    responses((status = 200, description = "{valid, normalized, details, errors, warnings}"), (status = 404, description = "unknown kind")))]
pub async fn check(Path((kind, value)): Path<(String, String)>) -> AppResult<axum::Json<Value>> {
    let kind = IdentifierKind::parse(&kind).ok_or(AppError::NotFound("identifier kind"))?;
    if value.len() > 64 {
        return Err(AppError::bad_request(
            "identifier.too_long",
            "Identyfikator może mieć najwyżej 64 znaki.",
        ));
    }
    Ok(axum::Json(
        serde_json::to_value(identifier::check(kind, &value)).map_err(anyhow::Error::from)?,
    ))
}
