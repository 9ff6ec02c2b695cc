//! `POST /api/initiatives`: a resident registers the committee's initiative.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde_json::Value;

use super::public;
use crate::error::AppResult;
use crate::participation::initiative::register::{self, Registration};
use crate::state::AppState;
use crate::web::extract::{ApiJson, Requester};

#[utoipa::path(post, path = "/api/initiatives", tag = "initiatives", request_body = Registration,
    responses((status = 201, description = "registered; collecting supports"), (status = 401, description = "not logged in"),
        (status = 403, description = "not a resident"), (status = 422, description = "a field breaks its rule, by field (the committee's size names the resolution)")))]
pub async fn post(
    app: State<AppState>,
    who: Requester,
    ApiJson(req): ApiJson<Registration>,
) -> AppResult<(StatusCode, Json<Value>)> {
    let i = register::register(&app, who.identity.as_ref(), &req).await?;
    Ok((StatusCode::CREATED, Json(public(&i, &Default::default()))))
}
