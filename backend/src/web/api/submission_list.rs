//! `GET /api/submissions`: one page of submissions, newest first, with an opaque keyset
//! cursor. A resident sees their own; an API client with `submissions:read` sees all.

use axum::Json;
use axum::extract::{Query, State};
use serde::Deserialize;
use serde_json::{Value, json};
use time::format_description::well_known::Rfc3339;

use crate::auth::api_token::Scope;
use crate::db::submissions::{self, Listing};
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::web::cursor;
use crate::web::extract::Requester;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct ListQuery {
    /// Only this service's submissions.
    pub service: Option<String>,
    /// The `next` of the previous page.
    #[param(pattern = "^[A-Za-z0-9_-]*$")]
    pub after: Option<String>,
    /// Page size, 1 to 200 (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u64>,
}

#[utoipa::path(get, path = "/api/submissions", tag = "submissions", params(ListQuery),
    responses((status = 401, description = "no login where one is needed, or a bearer token that is not a live API client's"), (status = 200, description = "`{items, next}`; `next` is null on the last page"),
        (status = 400, description = "bad cursor or limit"), (status = 403, description = "an API client without `submissions:read`")))]
pub async fn list(
    app: State<AppState>,
    who: Requester,
    Query(q): Query<ListQuery>,
) -> AppResult<Json<Value>> {
    let owner = match &who.client {
        Some(_) => {
            who.require_scope(Scope::SubmissionsRead)?;
            None
        }
        None => Some(who.owner.as_str()),
    };
    let limit = q.limit.unwrap_or(50);
    if !(1..=200).contains(&limit) {
        return Err(AppError::bad_request(
            "limit",
            "`limit` musi mieć wartość od 1 do 200.",
        ));
    }
    let after = cursor::decode::<time::OffsetDateTime>(q.after.as_deref())?;
    let rows = submissions::list(
        &app.db,
        Listing {
            owner,
            service: q.service.as_deref(),
        },
        after,
        limit + 1,
    )
    .await?;
    let more = rows.len() as u64 > limit;
    let page = &rows[..rows.len().min(limit as usize)];
    let with_data = who.client.is_some();
    let ids: Vec<String> = page.iter().map(|s| s.id.clone()).collect();
    let cases = crate::db::cases::by_submissions(&app.db, &ids).await?;
    let items: Vec<Value> = page
        .iter()
        .map(|s| {
            let mut item = json!({
                "id": s.id,
                "service_id": s.service_id,
                "service_version": s.service_version,
                "receipt_id": s.receipt_id,
                "identity_level": s.identity_level,
                "filed_at": s.filed_at.format(&Rfc3339).unwrap_or_default(),
            });
            if let Some(c) = cases.iter().find(|c| c.submission_id == s.id) {
                item["case"] = json!({
                    "sign": c.sign,
                    "status": c.status,
                    "status_label": crate::domain::case::Status::parse(&c.status).map(crate::domain::case::Status::label_pl),
                    "outcome": c.outcome,
                    "due_on": c.due_on.to_string(),
                });
            }
            // integrations take the data over; a resident has it on the receipt already
            if with_data {
                item["data"] = serde_json::from_str(&s.data).unwrap_or(Value::Null);
            }
            item
        })
        .collect();
    let next = more
        .then(|| page.last().map(|s| cursor::encode(&s.filed_at, &s.id)))
        .flatten();
    Ok(Json(json!({ "items": items, "next": next })))
}
