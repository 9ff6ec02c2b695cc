//! `POST /api/initiatives/{id}/file`: the representative files the draft at the threshold;
//! it becomes a case with its sign, its 3-month term and a signed receipt.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde_json::Value;

use crate::error::{AppError, AppResult};
use crate::participation::initiative::file::{SERVICE, filed, filing_data};
use crate::state::AppState;
use crate::web::api::submissions::filed_json;
use crate::web::extract::Requester;

#[utoipa::path(post, path = "/api/initiatives/{id}/file", tag = "initiatives", params(("id" = String, Path)),
    responses((status = 201, description = "filed; the receipt"), (status = 401, description = "not logged in, or identity level too low"),
        (status = 403, description = "not the representative who registered it"), (status = 404, description = "unknown initiative"),
        (status = 409, description = "below the threshold (the message gives both numbers), or filed already")))]
pub async fn post(
    app: State<AppState>,
    who: Requester,
    Path(id): Path<String>,
) -> AppResult<(StatusCode, Json<Value>)> {
    let (i, data) = filing_data(&app, who.identity.as_ref(), &id).await?;
    let svc = app
        .catalogue
        .get(SERVICE)
        .cloned()
        .ok_or_else(|| AppError::Internal(anyhow::anyhow!("the catalogue lacks {SERVICE}")))?;
    let key = format!("initiative-{}", i.id);
    let done = crate::filing::file(&app, &svc, &who, &key, data, Vec::new()).await?;
    filed(&app, &i, &done.submission_id).await?;
    Ok((StatusCode::CREATED, Json(filed_json(&done))))
}
