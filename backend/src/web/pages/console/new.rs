//! `/konsole/konsultacje/nowa`: drafting a consultation in the browser from its kind's
//! template (dates with the kind's window, the forms it needs, a starter questionnaire).
//! Saving runs the same checks as the API (`participation::consultations::save`); the
//! refusals come back on the form, by field, with what was typed.

use axum::extract::{Query, RawForm, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use serde_json::{Value, json};
use time::Duration;

use super::draft_form::{self, Mode};
use crate::domain::consultation::{Kind, STRATEGY_MIN_DAYS};
use crate::error::{AppError, AppResult};
use crate::forms::FieldError;
use crate::participation::consultations::{coordinator, save, today};
use crate::state::AppState;
use crate::web::extract::Requester;

/// The starter questionnaire of a new consultation.
const QUESTIONNAIRE: &str = "steps:\n  - id: pytania\n    title: { pl: Pytania }\n    fields:\n      - { id: popieram, type: yes_no, label: { pl: Czy popierasz projekt? }, required: true }\n      - { id: uwagi, type: textarea, label: { pl: Uwagi }, max_length: 2000 }\n";

#[derive(Debug, Deserialize)]
pub struct NewQuery {
    pub rodzaj: Option<String>,
}

/// The form's values for a new consultation of `kind`.
fn template(kind: Kind) -> Value {
    let opens = today() + Duration::days(14);
    let days = if kind == Kind::DevelopmentStrategy {
        STRATEGY_MIN_DAYS
    } else {
        21
    };
    let closes = opens + Duration::days(days);
    let forms: &[&str] = if kind == Kind::PlanningAct {
        &["comments", "open_meeting", "study_walk"]
    } else {
        &["comments", "survey"]
    };
    json!({
        "kind": kind.as_str(), "subject": "", "resolution": "", "adopted_on": "", "link": "",
        "announced_on": (today() + Duration::days(7)).to_string(), "opens_on": opens.to_string(),
        "closes_on": closes.to_string(), "report_due_on": (closes + Duration::days(30)).to_string(),
        "areas": [], "forms": forms, "participants": "", "anonymous": false, "moderation": "after",
        "results_while_open": false,
        "document": "", "questionnaire": QUESTIONNAIRE,
    })
}

pub async fn get(
    app: State<AppState>,
    who: Requester,
    Query(q): Query<NewQuery>,
) -> AppResult<Response> {
    coordinator(who.identity.as_ref())?;
    let kind = q
        .rodzaj
        .as_deref()
        .and_then(Kind::parse)
        .unwrap_or(Kind::InformalOpen);
    Ok(draft_form::page(
        &app,
        &who,
        Mode::New,
        &template(kind),
        &[],
        None,
        StatusCode::OK,
    ))
}

pub async fn post(
    app: State<AppState>,
    who: Requester,
    RawForm(raw): RawForm,
) -> AppResult<Response> {
    coordinator(who.identity.as_ref())?;
    let pairs: Vec<(String, String)> = url::form_urlencoded::parse(&raw).into_owned().collect();
    let values = draft_form::values(&pairs);
    let refused = |errors: &[FieldError]| {
        draft_form::page(
            &app,
            &who,
            Mode::New,
            &values,
            errors,
            None,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
    };
    let c = match draft_form::consultation(&values) {
        Ok(c) => c,
        Err(errors) => return Ok(refused(&errors)),
    };
    let questionnaire = values["questionnaire"].as_str().unwrap_or_default();
    match save::create(&app, who.identity.as_ref(), &c, questionnaire).await {
        Ok(row) => Ok(Redirect::to(&format!("/konsole/konsultacje/{}", row.id)).into_response()),
        Err(AppError::Validation(out)) => Ok(refused(&out.errors)),
        Err(e) => Err(e),
    }
}
