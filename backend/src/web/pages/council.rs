//! The council's public pages: `/rada/sesje` (the calendar), `/rada/sesje/{id}` (a
//! session: agenda, attendance, votes with their named lists, resolutions, recording and
//! minutes) and `/rada/sesje/{id}/ekran` (the room's screen, kept current by server-sent
//! events; it shows the state at loading without JavaScript).

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde_json::json;

use super::{render, ui};
use crate::error::AppResult;
use crate::state::AppState;
use crate::web::api::council::sessions::{CalendarQuery, page};
use crate::web::api::council::view;
use crate::web::extract::Language;

pub async fn list(
    app: State<AppState>,
    Language(lang): Language,
    Query(q): Query<CalendarQuery>,
) -> AppResult<Response> {
    let past = q.when.as_deref() == Some("past");
    let (items, next) = page(&app, &q).await?;
    let when = if past { "past" } else { "upcoming" };
    let next_href = next.map(|c| format!("/rada/sesje?when={when}&after={c}"));
    Ok(render(
        &app,
        StatusCode::OK,
        "council/sessions.html",
        &json!({ "ui": ui(lang), "title": "Sesje rady", "council": app.settings.council.name,
            "items": items, "next": next_href, "past": past }),
    ))
}

pub async fn get(
    app: State<AppState>,
    Language(lang): Language,
    Path(id): Path<String>,
) -> AppResult<Response> {
    let s = view(&app, &id).await?;
    Ok(render(
        &app,
        StatusCode::OK,
        "council/session.html",
        &json!({ "ui": ui(lang), "title": s.title, "council": app.settings.council.name, "s": s }),
    ))
}

pub async fn screen(
    app: State<AppState>,
    Language(lang): Language,
    Path(id): Path<String>,
) -> AppResult<Response> {
    let s = view(&app, &id).await?;
    // the last result, as the screen's script shows it after each change
    let last = s
        .items
        .iter()
        .flat_map(|i| &i.votes)
        .filter(|v| v.status == "closed")
        .max_by(|a, b| a.closed_at.cmp(&b.closed_at));
    Ok(render(
        &app,
        StatusCode::OK,
        "council/screen.html",
        &json!({ "ui": ui(lang), "title": format!("Ekran sali: {}", s.title), "s": s, "last": last }),
    ))
}
