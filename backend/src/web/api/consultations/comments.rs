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
    responses((status = 200, description = "`{items}`: anchor, text, author (with consent), status, position and justification; a hidden comment with the reason instead of its text; comments waiting for moderation are not listed"),
        (status = 404, description = "unknown consultation")))]
pub async fn list(
    app: State<AppState>,
    who: Requester,
    Path(id): Path<String>,
) -> AppResult<Json<Value>> {
    let c = visible(&app, who.identity.as_ref(), &id).await?;
    let items: Vec<Value> = store::comments(&app.db, &c.id, false)
        .await?
        .iter()
        .map(comment_view)
        .collect();
    Ok(Json(json!({ "items": items })))
}

/// A comment as the public sees it: a hidden one keeps its place with the reason, not its
/// text.
pub fn comment_view(k: &crate::db::entity::consultation_comment::Model) -> Value {
    let hidden = k.status == "hidden";
    json!({
        "id": k.id,
        "anchor": k.anchor,
        "text": (!hidden).then_some(&k.body),
        "author": (!hidden).then_some(&k.author_name),
        "status": k.status,
        "hidden_because": hidden.then_some(&k.moderation_reason),
        "created_at": k.created_at.format(&Rfc3339).unwrap_or_default(),
        "position": k.position,
        "justification": k.justification,
    })
}
