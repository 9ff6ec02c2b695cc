//! The calendar: `GET/POST /api/council/sessions`, `GET/PATCH /api/council/sessions/{id}`,
//! and the office's `POST /api/council/sessions/{id}/open` and `/close`.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use serde::Deserialize;
use serde_json::{Value, json};

use super::view;
use crate::error::{AppError, AppResult};
use crate::participation::council::agenda::{self, EditSessionRequest, NewSessionRequest};
use crate::participation::council::room;
use crate::participation::council::view::{SessionView, pl_time, status_label};
use crate::state::AppState;
use crate::web::cursor;
use crate::web::extract::{ApiJson, Requester};

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
pub struct CalendarQuery {
    /// `upcoming` (from today, soonest first; the default) or `past` (newest first).
    #[param(pattern = "^(upcoming|past)?$")]
    pub when: Option<String>,
    #[param(pattern = "^[A-Za-z0-9_-]*$")]
    pub after: Option<String>,
    /// Page size, 1–100 (20).
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<u64>,
}

/// One page of the calendar and the cursor of the next.
pub async fn page(app: &AppState, q: &CalendarQuery) -> AppResult<(Vec<Value>, Option<String>)> {
    let past = match q.when.as_deref().filter(|s| !s.is_empty()) {
        None | Some("upcoming") => false,
        Some("past") => true,
        Some(_) => {
            return Err(AppError::bad_request(
                "when",
                "`when` to upcoming albo past",
            ));
        }
    };
    let after = cursor::decode::<time::OffsetDateTime>(q.after.as_deref())?;
    let limit = crate::web::cursor::limit(q.limit, 20, 100)?;
    let (rows, next) = agenda::calendar(app, past, after, limit).await?;
    let items = rows
        .iter()
        .map(|s| {
            json!({
                "id": s.id, "title": s.title, "starts_at_pl": pl_time(s.starts_at),
                "place": s.place, "status": s.status, "status_label": status_label(&s.status),
            })
        })
        .collect();
    Ok((items, next.map(|(at, id)| cursor::encode(&at, &id))))
}

#[utoipa::path(get, path = "/api/council/sessions", tag = "council", params(CalendarQuery),
    responses((status = 200, description = "`{items, next}`: the calendar of sessions"), (status = 400, description = "a filter or cursor that is not valid")))]
pub async fn list(app: State<AppState>, Query(q): Query<CalendarQuery>) -> AppResult<Json<Value>> {
    let (items, next) = page(&app, &q).await?;
    Ok(Json(json!({ "items": items, "next": next })))
}

#[utoipa::path(post, path = "/api/council/sessions", tag = "council", request_body = NewSessionRequest,
    responses((status = 201, description = "the planned session", body = SessionView), (status = 400, description = "a field that is empty, too long or not a date"),
        (status = 401, description = "not logged in"), (status = 403, description = "not the council office")))]
pub async fn create(
    app: State<AppState>,
    who: Requester,
    ApiJson(r): ApiJson<NewSessionRequest>,
) -> AppResult<(StatusCode, Json<SessionView>)> {
    let s = agenda::create(&app, who.identity.as_ref(), &r).await?;
    Ok((StatusCode::CREATED, Json(view(&app, &s.id).await?)))
}

#[utoipa::path(get, path = "/api/council/sessions/{id}", tag = "council", params(("id" = String, Path)),
    responses((status = 200, description = "the session: agenda, attendance and quorum, votes with their results and named lists", body = SessionView),
        (status = 404, description = "no such session")))]
pub async fn get(app: State<AppState>, Path(id): Path<String>) -> AppResult<Json<SessionView>> {
    Ok(Json(view(&app, &id).await?))
}

#[utoipa::path(patch, path = "/api/council/sessions/{id}", tag = "council", params(("id" = String, Path)), request_body = EditSessionRequest,
    responses((status = 200, description = "the session as changed", body = SessionView), (status = 400, description = "a field that is not valid"),
        (status = 401, description = "not logged in"), (status = 403, description = "not the council office"), (status = 404, description = "no such session"),
        (status = 409, description = "the date, place or title of a session that has started")))]
pub async fn edit(
    app: State<AppState>,
    who: Requester,
    Path(id): Path<String>,
    ApiJson(r): ApiJson<EditSessionRequest>,
) -> AppResult<Json<SessionView>> {
    let s = agenda::edit(&app, who.identity.as_ref(), &id, &r).await?;
    Ok(Json(view(&app, &s.id).await?))
}

#[utoipa::path(post, path = "/api/council/sessions/{id}/open", tag = "council", params(("id" = String, Path)),
    responses((status = 200, description = "the session, open", body = SessionView), (status = 401, description = "not logged in"),
        (status = 403, description = "not the council office"), (status = 404, description = "no such session"), (status = 409, description = "not a planned session")))]
pub async fn open(
    app: State<AppState>,
    who: Requester,
    Path(id): Path<String>,
) -> AppResult<Json<SessionView>> {
    let s = room::set_status(&app, who.identity.as_ref(), &id, "open").await?;
    Ok(Json(view(&app, &s.id).await?))
}

#[utoipa::path(post, path = "/api/council/sessions/{id}/close", tag = "council", params(("id" = String, Path)),
    responses((status = 200, description = "the session, closed", body = SessionView), (status = 401, description = "not logged in"),
        (status = 403, description = "not the council office"), (status = 404, description = "no such session"),
        (status = 409, description = "not an open session, or a vote under way")))]
pub async fn close(
    app: State<AppState>,
    who: Requester,
    Path(id): Path<String>,
) -> AppResult<Json<SessionView>> {
    let s = room::set_status(&app, who.identity.as_ref(), &id, "closed").await?;
    Ok(Json(view(&app, &s.id).await?))
}
