//! `GET /api/consultations/requests` and `GET /api/consultations/requests/{id}`: public.

use axum::Json;
use axum::extract::{Path, Query, State};
use serde::Deserialize;
use serde_json::{Value, json};

use super::public;
use crate::db::consultation_requests::{self as store, COLLECTING, FILED};
use crate::error::{AppError, AppResult};
use crate::participation::consultations::request::find;
use crate::state::AppState;
use crate::web::api::initiatives::page_params;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct ListQuery {
    /// `collecting` or `filed`; both when absent or empty.
    #[param(pattern = "^(collecting|filed)?$")]
    pub state: Option<String>,
    /// The `next` of the previous page.
    #[param(
        pattern = "^([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})?$"
    )]
    pub after: Option<String>,
    /// Page size, 1 to 100 (default 20).
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<u64>,
}

#[utoipa::path(get, path = "/api/consultations/requests", tag = "consultations", params(ListQuery),
    responses((status = 200, description = "`{items, next}`, newest first"), (status = 400, description = "bad state, cursor or limit")))]
pub async fn list(app: State<AppState>, Query(q): Query<ListQuery>) -> AppResult<Json<Value>> {
    let state = match q.state.as_deref().filter(|s| !s.is_empty()) {
        None => None,
        Some(s @ (COLLECTING | FILED)) => Some(s),
        Some(_) => {
            return Err(AppError::bad_request(
                "state",
                "`state` to `collecting` albo `filed`.",
            ));
        }
    };
    let (after, limit) = page_params(q.after.as_deref(), q.limit)?;
    let rows = store::page(&app.db, state, after.as_deref(), limit + 1).await?;
    let more = rows.len() as u64 > limit;
    let page = &rows[..rows.len().min(limit as usize)];
    let mut items = Vec::with_capacity(page.len());
    for r in page {
        let supports = store::supports(&app.db, &r.id).await?;
        items.push(public(&app, r, supports).await?);
    }
    let next = more.then(|| page.last().map(|r| r.id.clone())).flatten();
    Ok(Json(json!({ "items": items, "next": next })))
}

#[utoipa::path(get, path = "/api/consultations/requests/{id}", tag = "consultations", params(("id" = String, Path)),
    responses((status = 200, description = "the request, its supports counted, and its case once filed"), (status = 404, description = "unknown request")))]
pub async fn get(app: State<AppState>, Path(id): Path<String>) -> AppResult<Json<Value>> {
    let r = find(&app, &id).await?;
    let supports = store::supports(&app.db, &r.id).await?;
    Ok(Json(public(&app, &r, supports).await?))
}
