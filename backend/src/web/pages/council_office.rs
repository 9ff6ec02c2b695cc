//! The council office's pages (issue 16 §2): `/rada/biuro` (the calendar with a form for a
//! new session) and `/rada/biuro/sesje/{id}` (one session: its date, place, recording and
//! minutes, opening and closing it, adding agenda items, recording the resolution of an
//! adopted item). Each form runs the same code as the API (`participation::council`); a
//! refusal comes back on the page beside what was typed, a success redirects (post,
//! redirect, get). Who may: the council office (clerks of `council.office_unit`) and
//! administrators, on every page and form (the committee adds items from its own pages);
//! everyone else gets 401/403, checked before the form is read; a wrong id 404.

use axum::extract::{Path, RawForm, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde_json::{Value, json};

use super::council_committee::fields;
use super::{render, ui};
use crate::domain::lang::Lang;
use crate::error::{AppError, AppResult};
use crate::forms::FieldError;
use crate::participation::council::agenda::{
    self, EditSessionRequest, NewItemRequest, NewSessionRequest,
};
use crate::participation::council::resolution::{self, ResolutionRequest};
use crate::participation::council::{office, room};
use crate::state::AppState;
use crate::web::api::council::view;
use crate::web::extract::{Language, Requester};

type Form = std::collections::HashMap<String, String>;

/// A refusal the office can correct on the page (a field, a state that does not allow it),
/// as the page's error summary; anything else goes on to the error pages.
fn correctable(e: AppError) -> AppResult<Vec<FieldError>> {
    let one = |path: &str, message: String| FieldError {
        path: path.to_owned(),
        code: "council.office".to_owned(),
        message,
    };
    match e {
        AppError::BadRequest { code, message } => Ok(vec![one(code, message)]),
        AppError::Validation(out) => Ok(out.errors),
        AppError::Conflict(message) => Ok(vec![one("content", message)]),
        e => Err(e),
    }
}

/// `Some(text)` for a filled field, `None` for an empty or missing one.
fn given(f: &Form, key: &str) -> Option<String> {
    f.get(key).filter(|v| !v.is_empty()).cloned()
}

pub async fn calendar(
    app: State<AppState>,
    Language(lang): Language,
    who: Requester,
) -> AppResult<Response> {
    office(&app, who.identity.as_ref())?;
    calendar_page(&app, lang, &Form::new(), &[], StatusCode::OK).await
}

async fn calendar_page(
    app: &AppState,
    lang: Lang,
    typed: &Form,
    errors: &[FieldError],
    status: StatusCode,
) -> AppResult<Response> {
    let row = |s: &crate::db::entity::council_session::Model| {
        json!({ "id": s.id, "title": s.title, "starts_at_pl": crate::participation::council::view::pl_time(s.starts_at),
            "place": s.place, "status_label": crate::participation::council::view::status_label(&s.status) })
    };
    let (upcoming, _) = agenda::calendar(app, false, None, 50).await?;
    let (past, _) = agenda::calendar(app, true, None, 10).await?;
    Ok(render(
        app,
        status,
        "council/office.html",
        &json!({ "ui": ui(lang), "title": "Biuro rady: sesje", "council": app.settings.council.name,
            "groups": [
                { "caption": "Sesje nadchodzące", "empty": "Nie zaplanowano żadnej sesji.",
                  "list": upcoming.iter().map(row).collect::<Vec<_>>() },
                { "caption": "Ostatnie sesje odbyte", "empty": "Brak sesji odbytych.",
                  "list": past.iter().map(row).collect::<Vec<_>>() },
            ],
            "typed": typed, "errors": errors }),
    ))
}

pub async fn create(
    app: State<AppState>,
    Language(lang): Language,
    who: Requester,
    RawForm(body): RawForm,
) -> AppResult<Response> {
    let f = fields(&body);
    let r = NewSessionRequest {
        title: f.get("title").cloned().unwrap_or_default(),
        starts_at: f.get("starts_at").cloned().unwrap_or_default(),
        place: f.get("place").cloned().unwrap_or_default(),
    };
    match agenda::create(&app, who.identity.as_ref(), &r).await {
        Ok(s) => Ok(Redirect::to(&format!("/rada/biuro/sesje/{}", s.id)).into_response()),
        Err(e) => {
            let errors = correctable(e)?;
            calendar_page(&app, lang, &f, &errors, StatusCode::UNPROCESSABLE_ENTITY).await
        }
    }
}

pub async fn session(
    app: State<AppState>,
    Language(lang): Language,
    who: Requester,
    Path(id): Path<String>,
) -> AppResult<Response> {
    office(&app, who.identity.as_ref())?;
    session_page(&app, lang, &id, &Value::Null, &[], StatusCode::OK).await
}

/// The office's page of session `id`; `typed` holds what a refused form said, under the
/// form's name, so it is shown again.
async fn session_page(
    app: &AppState,
    lang: Lang,
    id: &str,
    typed: &Value,
    errors: &[FieldError],
    status: StatusCode,
) -> AppResult<Response> {
    let s = view(app, id).await?;
    // items adopted by their last closed vote and still without a resolution
    let awaiting: Vec<&str> = s
        .items
        .iter()
        .filter(|i| i.resolution_no.is_none())
        .filter(|i| {
            i.votes
                .iter()
                .rfind(|v| v.status == "closed")
                .is_some_and(|v| v.adopted == Some(true))
        })
        .map(|i| i.id.as_str())
        .collect();
    let members: Vec<Value> = app
        .settings
        .council
        .members
        .iter()
        .map(|m| json!({ "login": m.login, "name": m.name }))
        .collect();
    Ok(render(
        app,
        status,
        "council/office_session.html",
        &json!({ "ui": ui(lang), "title": format!("Biuro rady: {}", s.title), "council": app.settings.council.name,
            "s": s, "awaiting": awaiting, "members": members, "typed": typed, "errors": errors }),
    ))
}

/// Runs one of the session page's forms: a redirect back on success, the page with the
/// refusal and what was typed otherwise.
async fn on_session<T>(
    app: &AppState,
    lang: Lang,
    id: &str,
    form: &str,
    f: &Form,
    done: AppResult<T>,
) -> AppResult<Response> {
    match done {
        Ok(_) => Ok(Redirect::to(&format!("/rada/biuro/sesje/{id}")).into_response()),
        Err(e) => {
            let errors = correctable(e)?;
            let typed = json!({ form: f });
            session_page(
                app,
                lang,
                id,
                &typed,
                &errors,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
    }
}

/// The session's particulars: before it opens its title, date and place; at any time its
/// chair, the recording's and the minutes' links. Empty fields are left as they are.
pub async fn edit(
    app: State<AppState>,
    Language(lang): Language,
    who: Requester,
    Path(id): Path<String>,
    RawForm(body): RawForm,
) -> AppResult<Response> {
    office(&app, who.identity.as_ref())?;
    let f = fields(&body);
    let r = EditSessionRequest {
        title: given(&f, "title"),
        starts_at: given(&f, "starts_at"),
        place: given(&f, "place"),
        chair: given(&f, "chair"),
        recording_url: given(&f, "recording_url"),
        minutes_url: given(&f, "minutes_url"),
    };
    let done = agenda::edit(&app, who.identity.as_ref(), &id, &r).await;
    on_session(&app, lang, &id, "edit", &f, done).await
}

/// Opening (`to=open`) or closing (`to=closed`) the session.
pub async fn status(
    app: State<AppState>,
    Language(lang): Language,
    who: Requester,
    Path(id): Path<String>,
    RawForm(body): RawForm,
) -> AppResult<Response> {
    // who may comes before what was sent
    office(&app, who.identity.as_ref())?;
    let f = fields(&body);
    let to = match f.get("to").map(String::as_str) {
        Some(to @ ("open" | "closed")) => to,
        _ => {
            return Err(AppError::bad_request(
                "to",
                "`to` to open (otwarcie sesji) albo closed (zamknięcie)",
            ));
        }
    };
    let done = room::set_status(&app, who.identity.as_ref(), &id, to).await;
    on_session(&app, lang, &id, "status", &f, done).await
}

pub async fn add_item(
    app: State<AppState>,
    Language(lang): Language,
    who: Requester,
    Path(id): Path<String>,
    RawForm(body): RawForm,
) -> AppResult<Response> {
    office(&app, who.identity.as_ref())?;
    let f = fields(&body);
    // an item dealing with a council's case is put on the agenda from the case's page
    // (`/rada/komisja/{sign}`), which knows the case's version
    let r = NewItemRequest {
        title: f.get("title").cloned().unwrap_or_default(),
        case_sign: None,
        case_version: None,
        majority: given(&f, "majority"),
        secret_basis: given(&f, "secret_basis"),
    };
    let done = agenda::add_item(&app, who.identity.as_ref(), &id, &r).await;
    on_session(&app, lang, &id, "item", &f, done).await
}

pub async fn record_resolution(
    app: State<AppState>,
    Language(lang): Language,
    who: Requester,
    Path((id, item)): Path<(String, String)>,
    RawForm(body): RawForm,
) -> AppResult<Response> {
    office(&app, who.identity.as_ref())?;
    let f = fields(&body);
    let r = ResolutionRequest {
        number: f.get("number").cloned().unwrap_or_default(),
        text: f.get("text").cloned().unwrap_or_default(),
        outcome: given(&f, "outcome"),
    };
    let done = resolution::record_resolution(&app, who.identity.as_ref(), &id, &item, &r).await;
    on_session(&app, lang, &id, &format!("resolution_{item}"), &f, done).await
}
