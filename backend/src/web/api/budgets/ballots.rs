//! `POST /api/budgets/{id}/ballots`: a resident's one ballot, answered with its signed
//! receipt.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde_json::Value;

use crate::error::AppResult;
use crate::participation::budget::voting::{self, Ballot};
use crate::state::AppState;
use crate::web::extract::{ApiJson, Requester};

#[utoipa::path(post, path = "/api/budgets/{id}/ballots", tag = "budgets", params(("id" = String, Path)), request_body = Ballot,
    responses((status = 201, description = "the ballot's receipt, signed (`jws`); `okienko receipt verify` checks it. Keep it: nothing links the ballot to you, so it cannot be shown again"),
        (status = 401, description = "not logged in"), (status = 403, description = "not a resident"),
        (status = 404, description = "unknown edition"),
        (status = 409, description = "outside the voting window, or you have voted already (a ballot cannot be changed)"),
        (status = 422, description = "no declaration of residence, a pool not yours, or a ballot breaking its pool's rule (too many projects, over the amount, too many points)")))]
pub async fn cast(
    app: State<AppState>,
    who: Requester,
    Path(id): Path<String>,
    ApiJson(req): ApiJson<Ballot>,
) -> AppResult<(StatusCode, Json<Value>)> {
    let receipt = voting::cast(&app, who.identity.as_ref(), &id, &req).await?;
    Ok((StatusCode::CREATED, Json(receipt)))
}
