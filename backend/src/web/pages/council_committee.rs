//! The committee's pages for its members and the council office: `/rada/komisja` (the
//! queue by deadline), `/rada/komisja/{sign}` (a case: its opinion and putting it on a
//! session's agenda) and their forms, answered by a redirect back (post/redirect/get).

use axum::extract::{Path, Query, RawForm, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde_json::json;

use super::{render, ui};
use crate::error::AppResult;
use crate::participation::council::agenda::{self, NewItemRequest};
use crate::participation::council::committee;
use crate::state::AppState;
use crate::web::api::council::queue::{QueueQuery, page};
use crate::web::extract::{Language, Requester};

/// The fields of a urlencoded form body.
pub fn fields(body: &[u8]) -> std::collections::HashMap<String, String> {
    url::form_urlencoded::parse(body)
        .map(|(k, v)| (k.into_owned(), v.trim().to_owned()))
        .collect()
}

pub async fn queue(
    app: State<AppState>,
    Language(lang): Language,
    who: Requester,
    Query(q): Query<QueueQuery>,
) -> AppResult<Response> {
    let (items, next) = page(&app, &who, &q).await?;
    Ok(render(
        &app,
        StatusCode::OK,
        "council/queue.html",
        &json!({ "ui": ui(lang), "title": "Komisja skarg, wniosków i petycji", "items": items,
            "next": next.map(|c| format!("/rada/komisja?after={c}")) }),
    ))
}

pub async fn case(
    app: State<AppState>,
    Language(lang): Language,
    who: Requester,
    Path(sign): Path<String>,
) -> AppResult<Response> {
    let c = committee::one(&app, who.identity.as_ref(), &sign).await?;
    let (sessions, _) = agenda::calendar(&app, false, None, 20).await?;
    let sessions: Vec<_> = sessions
        .iter()
        .filter(|s| s.status != "closed")
        .map(|s| json!({ "id": s.id, "label": format!("{} ({})", s.title, crate::participation::council::view::pl_time(s.starts_at)) }))
        .collect();
    Ok(render(
        &app,
        StatusCode::OK,
        "council/case.html",
        &json!({ "ui": ui(lang), "title": format!("Sprawa {}", c.sign), "c": c, "sessions": sessions }),
    ))
}

pub async fn opinion(
    app: State<AppState>,
    who: Requester,
    Path(sign): Path<String>,
    RawForm(body): RawForm,
) -> AppResult<Response> {
    let f = fields(&body);
    let version = f.get("version").and_then(|v| v.parse().ok()).unwrap_or(-1);
    let text = f.get("opinion").map_or("", String::as_str);
    committee::opinion(&app, who.identity.as_ref(), &sign, version, text).await?;
    Ok(Redirect::to(&format!("/rada/komisja/{sign}")).into_response())
}

pub async fn put_on_agenda(
    app: State<AppState>,
    who: Requester,
    Path(sign): Path<String>,
    RawForm(body): RawForm,
) -> AppResult<Response> {
    let f = fields(&body);
    let session = f.get("session").cloned().unwrap_or_default();
    let r = NewItemRequest {
        title: f.get("title").cloned().unwrap_or_default(),
        case_sign: Some(sign.clone()),
        case_version: f.get("version").and_then(|v| v.parse().ok()),
        majority: f.get("majority").cloned().filter(|m| !m.is_empty()),
        // a case's item is voted openly: secret ballots are for elections (u.s.g. art. 19)
        secret_basis: None,
    };
    agenda::add_item(&app, who.identity.as_ref(), &session, &r).await?;
    Ok(Redirect::to(&format!("/rada/komisja/{sign}")).into_response())
}
