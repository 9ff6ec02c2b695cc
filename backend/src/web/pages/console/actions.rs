//! The console's buttons: publishing a draft, moderating a comment, deciding a paper card,
//! the office's position on a comment and publishing the report. Each calls the same code as the API and returns to the consultation's console
//! page; a refusal is shown as an error page by `html_errors`.

use axum::extract::{Path, RawForm, State};
use axum::response::{IntoResponse, Redirect, Response};

use crate::domain::consultation::Position;
use crate::error::{AppError, AppResult};
use crate::participation::consultations::moderation::{self, Decision};
use crate::participation::consultations::paper::Answers;
use crate::participation::consultations::{publish, report};
use crate::participation::paper::{self, Verdict};
use crate::state::AppState;
use crate::web::extract::Requester;

fn field(raw: &[u8], name: &str) -> String {
    url::form_urlencoded::parse(raw)
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default()
}

fn back(id: &str) -> Response {
    Redirect::to(&format!("/konsole/konsultacje/{id}")).into_response()
}

pub async fn publish(
    app: State<AppState>,
    who: Requester,
    Path(id): Path<String>,
) -> AppResult<Response> {
    publish::publish(&app, who.identity.as_ref(), &id).await?;
    Ok(back(&id))
}

pub async fn moderate(
    app: State<AppState>,
    who: Requester,
    Path((id, comment)): Path<(String, String)>,
    RawForm(raw): RawForm,
) -> AppResult<Response> {
    let reason = field(&raw, "reason");
    let decision = if field(&raw, "decision") == "hide" {
        Decision::Hide { reason: &reason }
    } else {
        Decision::Publish
    };
    moderation::decide(&app, who.identity.as_ref(), &id, &comment, decision).await?;
    Ok(back(&id))
}

/// The office's position on a comment, after closing (u.p.z.p. art. 8k).
pub async fn position(
    app: State<AppState>,
    who: Requester,
    Path((id, comment)): Path<(String, String)>,
    RawForm(raw): RawForm,
) -> AppResult<Response> {
    let position: Position =
        serde_json::from_value(serde_json::Value::String(field(&raw, "position")))
            .map_err(|_| AppError::bad_request("position", "wybierz stanowisko"))?;
    report::position(
        &app,
        who.identity.as_ref(),
        &id,
        &comment,
        position,
        &field(&raw, "justification"),
    )
    .await?;
    Ok(back(&id))
}

/// Publishes the report; refused while a comment waits for moderation or has no position.
pub async fn publish_report(
    app: State<AppState>,
    who: Requester,
    Path(id): Path<String>,
) -> AppResult<Response> {
    report::publish(&app, who.identity.as_ref(), &id).await?;
    Ok(back(&id))
}

pub async fn decide_card(
    app: State<AppState>,
    who: Requester,
    Path((id, entry)): Path<(String, String)>,
    RawForm(raw): RawForm,
) -> AppResult<Response> {
    let me = who
        .identity
        .as_ref()
        .ok_or(crate::error::AppError::Unauthenticated)?;
    let reason = field(&raw, "reason");
    let verdict = if field(&raw, "verdict") == "reject" {
        Verdict::Reject { reason: &reason }
    } else {
        Verdict::Accept
    };
    paper::decide(&app, &Answers, me, &id, &entry, verdict).await?;
    // back to the cards: a clerk deciding them is not a coordinator, and the next card
    // waits there
    Ok(Redirect::to(&format!("/konsole/konsultacje/{id}/karty?sprawdzono=tak")).into_response())
}
