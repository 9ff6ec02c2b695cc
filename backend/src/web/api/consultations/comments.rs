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

#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
pub struct CommentsQuery {
    /// The `next` of the previous page.
    #[param(pattern = "^[A-Za-z0-9_-]*$")]
    pub after: Option<String>,
    /// Page size, 1 to 500 (default 100).
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<u64>,
}

#[utoipa::path(get, path = "/api/consultations/{id}/comments", tag = "consultations", params(("id" = String, Path), CommentsQuery),
    responses((status = 401, description = "no login where one is needed, or a bearer token that is not a live API client's"), (status = 400, description = "bad cursor or limit"), (status = 200, description = "`{items, next}`, keyset-paged: anchor, text, author (with consent), status, position and justification; a hidden comment with the reason instead of its text; comments waiting for moderation are not listed"),
        (status = 404, description = "unknown consultation")))]
pub async fn list(
    app: State<AppState>,
    who: Requester,
    Path(id): Path<String>,
    axum::extract::Query(q): axum::extract::Query<CommentsQuery>,
) -> AppResult<Json<Value>> {
    let c = visible(&app, who.identity.as_ref(), &id).await?;
    let limit = crate::web::cursor::limit(q.limit, 100, 500)?;
    let after = crate::web::cursor::decode::<time::OffsetDateTime>(q.after.as_deref())?;
    let rows = store::comments_page(&app.db, &c.id, after, limit + 1).await?;
    let (page, next) = crate::web::cursor::page(rows, limit, |k| (k.created_at, k.id.clone()));
    let items: Vec<Value> = page.iter().map(comment_view).collect();
    Ok(Json(json!({ "items": items, "next": next })))
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
