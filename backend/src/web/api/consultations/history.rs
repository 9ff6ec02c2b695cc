//! `GET /api/consultations/{id}/history`: who created, edited, published, moved, answered
//! the comments of and reported on a consultation, hash-chained, with whether the chain is
//! whole. Public like the consultation.

use axum::Json;
use axum::extract::{Path, State};
use serde_json::{Value, json};
use time::format_description::well_known::Rfc3339;

use crate::db::participation_history as history;
use crate::error::AppResult;
use crate::participation::consultations::visible;
use crate::state::AppState;
use crate::web::extract::Requester;

#[utoipa::path(get, path = "/api/consultations/{id}/history", tag = "consultations", params(("id" = String, Path)),
    responses((status = 401, description = "no login where one is needed, or a bearer token that is not a live API client's"), (status = 200, description = "`{items, verified, first_break}`: the entries in order, and the first entry where the hash chain breaks, if any"),
        (status = 404, description = "unknown consultation, or a draft not yours")))]
pub async fn get(
    app: State<AppState>,
    who: Requester,
    Path(id): Path<String>,
) -> AppResult<Json<Value>> {
    let c = visible(&app, who.identity.as_ref(), &id).await?;
    Ok(Json(view(&history::list(&app.db, &c.id).await?)))
}

/// A participation instrument's history as the API shows it (consultations, budgets).
pub fn view(entries: &[crate::db::entity::participation_event::Model]) -> Value {
    let first_break = history::first_break(entries);
    let items: Vec<Value> = entries
        .iter()
        .map(|e| {
            json!({
                "seq": e.seq,
                "at": e.at.format(&Rfc3339).unwrap_or_default(),
                "by": e.actor_name,
                "action": e.action,
                "detail": e.detail,
                "hash": e.hash,
            })
        })
        .collect();
    json!({
        "items": items,
        "verified": first_break.is_none(),
        "first_break": first_break,
    })
}
