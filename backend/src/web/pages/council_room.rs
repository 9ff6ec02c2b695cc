//! The session room for councillors, `/rada/sesje/{id}/glosowanie`: signing in, the
//! voting pad (for, against, abstain on the vote under way, from one's own device) and,
//! for the chair, opening and closing votes. Each form answers with a redirect back.

use axum::extract::{Path, RawForm, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde_json::json;

use super::council_committee::fields;
use super::{render, ui};
use crate::error::AppResult;
use crate::participation::council::{chair_of, councillor, room, session};
use crate::state::AppState;
use crate::web::api::council::view;
use crate::web::extract::{Language, Requester};

fn back(id: &str) -> Response {
    Redirect::to(&format!("/rada/sesje/{id}/glosowanie")).into_response()
}

pub async fn pad(
    app: State<AppState>,
    Language(lang): Language,
    who: Requester,
    Path(id): Path<String>,
) -> AppResult<Response> {
    let me = councillor(&app, who.identity.as_ref())?;
    let row = session(&app, &id).await?;
    let is_chair = chair_of(&app.settings.council, &row).is_some_and(|c| c.login == me.login);
    let s = view(&app, &id).await?;
    let present = crate::db::council_votes::present(&app.db, &row.id)
        .await?
        .iter()
        .any(|a| a.login == me.login);
    let my_vote = match &s.current {
        Some(v) => crate::db::council_votes::ballot(&app.db, &v.id, &me.login)
            .await?
            .map(|b| b.choice),
        None => None,
    };
    Ok(render(
        &app,
        StatusCode::OK,
        "council/pad.html",
        &json!({ "ui": ui(lang), "title": format!("Głosowanie: {}", s.title), "s": s,
            "me": { "name": me.name, "login": me.login }, "chair": is_chair,
            "present": present, "my_vote": my_vote }),
    ))
}

pub async fn sign_in(
    app: State<AppState>,
    who: Requester,
    Path(id): Path<String>,
) -> AppResult<Response> {
    room::sign_in(&app, who.identity.as_ref(), &id).await?;
    Ok(back(&id))
}

pub async fn cast(
    app: State<AppState>,
    who: Requester,
    Path((id, vote)): Path<(String, String)>,
    RawForm(body): RawForm,
) -> AppResult<Response> {
    let me = councillor(&app, who.identity.as_ref())?;
    let f = fields(&body);
    let choice = f.get("choice").map_or("", String::as_str);
    room::cast(&app, who.identity.as_ref(), &id, &vote, &me.login, choice).await?;
    Ok(back(&id))
}

pub async fn open_vote(
    app: State<AppState>,
    who: Requester,
    Path(id): Path<String>,
    RawForm(body): RawForm,
) -> AppResult<Response> {
    let f = fields(&body);
    let item = f.get("item").map_or("", String::as_str);
    room::open_vote(&app, who.identity.as_ref(), &id, item).await?;
    Ok(back(&id))
}

pub async fn close_vote(
    app: State<AppState>,
    who: Requester,
    Path((id, vote)): Path<(String, String)>,
) -> AppResult<Response> {
    room::close_vote(&app, who.identity.as_ref(), &id, &vote).await?;
    Ok(back(&id))
}
