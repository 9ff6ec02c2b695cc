//! `GET /api/council/sessions/{id}/history`: every change of a session (planned, edited,
//! opened, each attendance, each vote opened, cast and closed, resolutions), hash-chained,
//! with whether the chain is whole. Public, like the session.

use axum::Json;
use axum::extract::{Path, State};
use serde_json::{Value, json};
use time::format_description::well_known::Rfc3339;

use crate::db::participation_history as history;
use crate::error::AppResult;
use crate::state::AppState;

#[utoipa::path(get, path = "/api/council/sessions/{id}/history", tag = "council", params(("id" = String, Path)),
    responses((status = 200, description = "`{items, verified, first_break}`"), (status = 404, description = "no such session")))]
pub async fn get(app: State<AppState>, Path(id): Path<String>) -> AppResult<Json<Value>> {
    let s = crate::participation::council::session(&app, &id).await?;
    let entries = history::list(&app.db, &s.id).await?;
    let first_break = history::first_break(&entries);
    let items: Vec<Value> = entries
        .iter()
        .map(|e| {
            json!({
                "seq": e.seq,
                "at": e.at.format(&Rfc3339).unwrap_or_default(),
                "by": e.actor_name,
                "action": e.action,
                "detail": serde_json::from_str::<Value>(&e.detail).unwrap_or(Value::Null),
                "hash": e.hash,
            })
        })
        .collect();
    Ok(Json(json!({
        "items": items,
        "verified": first_break.is_none(),
        "first_break": first_break,
    })))
}
