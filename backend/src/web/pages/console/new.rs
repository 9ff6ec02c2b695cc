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

use super::super::{render, ui};
use crate::domain::consultation::{Consultation, Kind, STRATEGY_MIN_DAYS};
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
        "areas": [], "forms": forms, "anonymous": false, "moderation": "after",
        "document": "", "questionnaire": QUESTIONNAIRE,
    })
}

fn page(
    app: &AppState,
    who: &Requester,
    values: &Value,
    errors: &[FieldError],
    status: StatusCode,
) -> Response {
    let kinds: Vec<&str> = Kind::ALL.iter().map(|k| k.as_str()).collect();
    let areas: Vec<Value> = app
        .catalogue
        .areas
        .areas
        .iter()
        .map(|a| json!({ "code": a.code, "name": a.name.get(who.lang) }))
        .collect();
    render(
        app,
        status,
        "console_consultation_new.html",
        &json!({
            "ui": ui(who.lang), "title": "Nowa konsultacja", "v": values, "kinds": kinds,
            "areas": areas, "all_forms": ["comments", "open_meeting", "expert_panel", "workshop", "study_walk", "survey", "geo_survey", "interview", "consultation_point", "designer_hours"],
            "errors": errors,
        }),
    )
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
    Ok(page(&app, &who, &template(kind), &[], StatusCode::OK))
}

pub async fn post(
    app: State<AppState>,
    who: Requester,
    RawForm(raw): RawForm,
) -> AppResult<Response> {
    coordinator(who.identity.as_ref())?;
    let pairs: Vec<(String, String)> = url::form_urlencoded::parse(&raw).into_owned().collect();
    let one = |k: &str| {
        pairs
            .iter()
            .find(|(n, _)| n == k)
            .map_or("", |(_, v)| v.as_str())
            .to_owned()
    };
    let many = |k: &str| {
        pairs
            .iter()
            .filter(|(n, _)| n == k)
            .map(|(_, v)| v.clone())
            .collect::<Vec<_>>()
    };
    let values = json!({
        "kind": one("kind"), "subject": one("subject"), "resolution": one("resolution"),
        "adopted_on": one("adopted_on"), "link": one("link"), "announced_on": one("announced_on"),
        "opens_on": one("opens_on"), "closes_on": one("closes_on"), "report_due_on": one("report_due_on"),
        "areas": many("areas"), "forms": many("forms"), "anonymous": one("anonymous") == "yes",
        "moderation": if one("moderation") == "before" { "before" } else { "after" },
        "document": one("document"), "questionnaire": one("questionnaire"),
    });
    let areas = many("areas");
    let consultation = json!({
        "kind": values["kind"], "subject": values["subject"],
        "legal_basis": { "resolution": values["resolution"], "adopted_on": values["adopted_on"], "link": values["link"] },
        "scope": if areas.is_empty() { json!({ "kind": "gmina" }) } else { json!({ "kind": "areas", "areas": areas }) },
        "dates": { "announced_on": values["announced_on"], "opens_on": values["opens_on"], "closes_on": values["closes_on"], "report_due_on": values["report_due_on"] },
        "forms": values["forms"], "anonymous": values["anonymous"], "moderation": values["moderation"],
        "document": values["document"],
    });
    let parsed: Result<Consultation, _> = serde_json::from_value(consultation);
    let c = match parsed {
        Ok(c) => c,
        Err(e) => {
            let errors = [FieldError {
                path: "adopted_on".into(),
                code: "consultation.form".into(),
                message: format!("sprawdź rodzaj i daty (RRRR-MM-DD): {e}"),
            }];
            return Ok(page(
                &app,
                &who,
                &values,
                &errors,
                StatusCode::UNPROCESSABLE_ENTITY,
            ));
        }
    };
    match save::create(&app, who.identity.as_ref(), &c, &one("questionnaire")).await {
        Ok(row) => Ok(Redirect::to(&format!("/konsole/konsultacje/{}", row.id)).into_response()),
        Err(AppError::Validation(out)) => Ok(page(
            &app,
            &who,
            &values,
            &out.errors,
            StatusCode::UNPROCESSABLE_ENTITY,
        )),
        Err(e) => Err(e),
    }
}
