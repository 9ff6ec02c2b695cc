//! `GET /api/initiatives` and `GET /api/initiatives/{id}`: public.

use axum::Json;
use axum::extract::{Path, Query, State};
use serde::Deserialize;
use serde_json::{Value, json};

use super::{page_params, public};
use crate::db::initiatives as store;
use crate::error::AppResult;
use crate::participation::initiative::find;
use crate::state::AppState;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct ListQuery {
    /// The `next` of the previous page.
    #[param(
        pattern = "^([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})?$"
    )]
    pub after: Option<String>,
    /// Page size, 1 to 100 (default 20).
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<u64>,
}

#[utoipa::path(get, path = "/api/initiatives", tag = "initiatives", params(ListQuery),
    responses((status = 200, description = "`{items, next}`, oldest first"), (status = 400, description = "bad cursor or limit")))]
pub async fn list(app: State<AppState>, Query(q): Query<ListQuery>) -> AppResult<Json<Value>> {
    let (after, limit) = page_params(q.after.as_deref(), q.limit)?;
    let rows = store::page(&app.db, after.as_deref(), limit + 1).await?;
    let more = rows.len() as u64 > limit;
    let page = &rows[..rows.len().min(limit as usize)];
    let mut items = Vec::with_capacity(page.len());
    for i in page {
        let counts = store::counts(&app.db, &i.id).await?;
        items.push(json!({
            "id": i.id, "state": i.state, "title": i.title,
            "threshold": i.threshold, "supports": counts.total(),
        }));
    }
    let next = more.then(|| page.last().map(|i| i.id.clone())).flatten();
    Ok(Json(json!({ "items": items, "next": next })))
}

#[utoipa::path(get, path = "/api/initiatives/{id}", tag = "initiatives", params(("id" = String, Path)),
    responses((status = 200, description = "the initiative, its committee and its supports counted"), (status = 404, description = "unknown initiative")))]
pub async fn get(app: State<AppState>, Path(id): Path<String>) -> AppResult<Json<Value>> {
    let i = find(&app, &id).await?;
    let counts = store::counts(&app.db, &i.id).await?;
    Ok(Json(public(&i, &counts)))
}
