//! `GET /api/consultations/{id}/comments`: the comments, in the order they came, with the
//! office's position once written. Public like the consultation (moderation after
//! publication, the default of issue 14); the author's name only where they agreed.

use axum::Json;
use axum::extract::{Path, State};
use serde_json::{Value, json};
use time::format_description::well_known::Rfc3339;

use crate::db::consultations as store;
use crate::error::AppResult;
use crate::participation::consultations::visible;
use crate::state::AppState;
use crate::web::extract::Requester;

#[utoipa::path(get, path = "/api/consultations/{id}/comments", tag = "consultations", params(("id" = String, Path)),
    responses((status = 200, description = "`{items}`: anchor, text, author (with consent), position and justification"),
        (status = 404, description = "unknown consultation")))]
pub async fn list(
    app: State<AppState>,
    who: Requester,
    Path(id): Path<String>,
) -> AppResult<Json<Value>> {
    let c = visible(&app, who.identity.as_ref(), &id).await?;
    let items: Vec<Value> = store::comments(&app.db, &c.id)
        .await?
        .into_iter()
        .map(|k| {
            json!({
                "id": k.id,
                "anchor": k.anchor,
                "text": k.body,
                "author": k.author_name,
                "created_at": k.created_at.format(&Rfc3339).unwrap_or_default(),
                "position": k.position,
                "justification": k.justification,
            })
        })
        .collect();
    Ok(Json(json!({ "items": items })))
}
