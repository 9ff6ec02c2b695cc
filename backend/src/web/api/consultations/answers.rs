//! `GET /api/consultations/{id}/answers`: the answers, oldest first, keyset-paged, for
//! the consultation's author and the coordinator. Participants appear by no name or key.

use axum::Json;
use axum::extract::{Path, Query, State};
use serde::Deserialize;
use serde_json::{Value, json};
use time::format_description::well_known::Rfc3339;

use crate::db::consultations as store;
use crate::error::{AppError, AppResult};
use crate::participation::consultations::{coordinator, may_edit, visible};
use crate::state::AppState;
use crate::web::cursor;
use crate::web::extract::Requester;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct AnswersQuery {
    /// The `next` of the previous page.
    #[param(pattern = "^[A-Za-z0-9_-]*$")]
    pub after: Option<String>,
    /// Page size, 1 to 500 (default 100).
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<u64>,
}

#[utoipa::path(get, path = "/api/consultations/{id}/answers", tag = "consultations", params(("id" = String, Path), AnswersQuery),
    responses((status = 401, description = "no login where one is needed, or a bearer token that is not a live API client's"), (status = 200, description = "`{items, next}`; each answer with the version it answered"),
        (status = 400, description = "bad cursor or limit"), (status = 403, description = "not its author or the coordinator"),
        (status = 404, description = "unknown consultation")))]
pub async fn list(
    app: State<AppState>,
    who: Requester,
    Path(id): Path<String>,
    Query(q): Query<AnswersQuery>,
) -> AppResult<Json<Value>> {
    let me = coordinator(who.identity.as_ref())?;
    let c = visible(&app, Some(me), &id).await?;
    if !may_edit(me, &c) {
        return Err(AppError::Forbidden(
            "Odpowiedzi czyta autor konsultacji albo koordynator konsultacji.".into(),
        ));
    }
    let limit = q.limit.unwrap_or(100);
    if !(1..=500).contains(&limit) {
        return Err(AppError::bad_request(
            "limit",
            "`limit` musi mieć wartość od 1 do 500.",
        ));
    }
    let after = cursor::decode::<time::OffsetDateTime>(q.after.as_deref())?;
    let rows = store::answers(&app.db, &c.id, after, limit + 1).await?;
    let more = rows.len() as u64 > limit;
    let page = &rows[..rows.len().min(limit as usize)];
    let items: Vec<Value> = page
        .iter()
        .map(|a| {
            json!({
                "id": a.id,
                "version": a.version,
                "data": serde_json::from_str::<Value>(&a.data).unwrap_or(Value::Null),
                "answered_at": a.created_at.format(&Rfc3339).unwrap_or_default(),
                "changed_at": a.updated_at.format(&Rfc3339).unwrap_or_default(),
            })
        })
        .collect();
    let next = more
        .then(|| page.last().map(|a| cursor::encode(&a.created_at, &a.id)))
        .flatten();
    Ok(Json(json!({ "items": items, "next": next })))
}
