//! Receipts as JSON or PDF, and the public keys that verify them.

use axum::extract::{Path, State};
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use crate::db::submissions;
use crate::domain::ids::ReceiptId;
use crate::error::{AppError, AppResult};
use crate::receipt::{pdf, verify};
use crate::state::AppState;
use crate::web::extract::Requester;

/// A receipt, to its owner only: JSON by default, PDF with `Accept: application/pdf` or `.pdf`.
#[utoipa::path(get, path = "/api/receipts/{id}", tag = "submissions", params(("id" = String, Path, description = "receipt id, optionally ending in .pdf")),
    responses((status = 401, description = "no login where one is needed, or a bearer token that is not a live API client's"), (status = 200, description = "the receipt (JSON or PDF)"), (status = 404, description = "no such receipt of yours")))]
pub async fn get(
    app: State<AppState>,
    who: Requester,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> AppResult<Response> {
    let (id, want_pdf) = match id.strip_suffix(".pdf") {
        Some(i) => (i.to_owned(), true),
        None => (
            id,
            headers
                .get(header::ACCEPT)
                .and_then(|a| a.to_str().ok())
                .is_some_and(|a| a.contains("application/pdf")),
        ),
    };
    let id = ReceiptId::parse(&id).ok_or(AppError::NotFound("receipt"))?;
    let (r, s) = submissions::receipt_owned(&app.db, id.as_str(), &who.owner)
        .await?
        .ok_or(AppError::NotFound("receipt"))?;
    let claims = verify::verify(&r.jws, &app.keys.jwks())
        .map_err(|e| anyhow::anyhow!("stored receipt {}: {e}", r.id))?;
    let data: Value = serde_json::from_str(&s.data).unwrap_or_default();
    if want_pdf {
        let bytes = pdf::render(&claims, &r.jws, &data)?;
        let disposition = format!("inline; filename=\"{}.pdf\"", r.id);
        return Ok((
            [
                (header::CONTENT_TYPE, "application/pdf".to_owned()),
                (header::CONTENT_DISPOSITION, disposition),
            ],
            bytes,
        )
            .into_response());
    }
    Ok(axum::Json(
        json!({ "id": r.id, "submission_id": s.id, "jws": r.jws, "claims": claims, "data": data }),
    )
    .into_response())
}

/// The public keys of receipts and evidence (JWK Set, RFC 7517).
#[utoipa::path(get, path = "/.well-known/jwks.json", tag = "submissions", responses((status = 200, description = "JWK Set")))]
pub async fn jwks(app: State<AppState>) -> impl IntoResponse {
    (
        [(header::CACHE_CONTROL, "public, max-age=300")],
        axum::Json(app.keys.jwks()),
    )
}
