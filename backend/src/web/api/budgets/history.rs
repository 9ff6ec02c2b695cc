//! `GET /api/budgets/{id}/history`: every action on an edition, hash-chained: its setup
//! and edits, the worker's moves, proposals, evaluations, appeals, the freeze at the first
//! ballot, the tally's seed and ties, the results. Public like the edition.

use axum::Json;
use axum::extract::{Path, State};
use serde_json::Value;

use crate::db::participation_history as history;
use crate::error::AppResult;
use crate::participation::budget::load;
use crate::state::AppState;

#[utoipa::path(get, path = "/api/budgets/{id}/history", tag = "budgets", params(("id" = String, Path)),
    responses((status = 200, description = "`{items, verified, first_break}`: the entries in order, and the first entry where the hash chain breaks, if any"),
        (status = 404, description = "unknown edition")))]
pub async fn get(app: State<AppState>, Path(id): Path<String>) -> AppResult<Json<Value>> {
    let l = load(&app, &id).await?;
    Ok(Json(crate::web::api::consultations::history::view(
        &history::list(&app.db, &l.row.id).await?,
    )))
}
