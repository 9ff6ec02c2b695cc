//! `/konsultacje` (published consultations by phase) and `/konsultacje/{id}` (one, with its
//! document, questions and, once published, its report). Answering is through the API for
//! now (docs/consultations.md).

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde_json::{Value, json};

use super::{render, ui};
use crate::db::consultations as store;
use crate::domain::consultation::{Form, Phase};
use crate::error::AppResult;
use crate::forms::FieldError;
use crate::participation::consultations::{content, phase_of, today, visible};
use crate::state::AppState;
use crate::web::extract::Requester;

fn phase_label(p: Phase) -> &'static str {
    match p {
        Phase::Draft => "projekt",
        Phase::Announced => "ogłoszone",
        Phase::Open => "trwają",
        Phase::Closed => "zakończone",
        Phase::Reported => "raport opublikowany",
    }
}

pub async fn list(app: State<AppState>, who: Requester) -> AppResult<Response> {
    let day = today();
    let rows = store::list(
        &app.db,
        &[
            Phase::Draft,
            Phase::Announced,
            Phase::Open,
            Phase::Closed,
            Phase::Reported,
        ],
        None,
        100,
    )
    .await?;
    let items: Vec<Value> = rows
        .iter()
        .filter(|c| phase_of(c, day) != Phase::Draft)
        .map(|c| {
            json!({
                "id": c.id,
                "subject": c.subject,
                "phase": phase_label(phase_of(c, day)),
                "opens_on": c.opens_on.to_string(),
                "closes_on": c.closes_on.to_string(),
            })
        })
        .collect();
    Ok(render(
        &app,
        StatusCode::OK,
        "consultations.html",
        &json!({ "ui": ui(who.lang), "title": "Konsultacje społeczne", "items": items }),
    ))
}

pub async fn get(
    app: State<AppState>,
    who: Requester,
    Path(id): Path<String>,
) -> AppResult<Response> {
    detail(&app, &who, &id, &[], StatusCode::OK).await
}

/// The consultation's page, with `errors` of a comment that was refused.
pub async fn detail(
    app: &AppState,
    who: &Requester,
    id: &str,
    errors: &[FieldError],
    status: StatusCode,
) -> AppResult<Response> {
    let c = visible(app, who.identity.as_ref(), id).await?;
    let (body, questionnaire) = content(app, &c).await?;
    let view = crate::web::api::consultations::view(
        app,
        &c,
        &body,
        &questionnaire,
        store::count_by_channel(&app.db, &c.id).await?,
        who.lang,
    );
    let questions: Vec<Value> = crate::forms::questionnaire::compile(
        &app.catalogue,
        &c.id,
        &body.subject,
        "questionnaire.yaml",
        &questionnaire,
    )
    .map(|svc| {
        svc.fields()
            .map(|f| json!({ "id": f.id, "label": f.label.get(who.lang), "required": f.required }))
            .collect()
    })
    .unwrap_or_default();
    let report: Option<Value> = c
        .report
        .as_deref()
        .and_then(|r| serde_json::from_str(r).ok());
    let comments: Vec<Value> = store::comments(&app.db, &c.id, false)
        .await?
        .iter()
        .map(crate::web::api::consultations::comments::comment_view)
        .collect();
    let phase = phase_of(&c, today());
    let open = phase == Phase::Open;
    Ok(render(
        app,
        status,
        "consultation.html",
        &json!({
            "ui": ui(who.lang),
            "title": body.subject,
            "c": view,
            "phase": phase_label(phase),
            "open": open,
            "takes_comments": open && body.forms.contains(&Form::Comments),
            "paragraphs": body.document.lines().collect::<Vec<_>>(),
            "questions": questions,
            "comments": comments,
            "errors": errors,
            "report": report,
            "declaration": super::consultation_take_part::declaration_view(app, &body, who.lang),
            "meetings": crate::db::consultation_meetings::list(&app.db, &c.id)
                .await?
                .iter()
                .map(crate::web::api::consultations::meetings::meeting_view)
                .collect::<Vec<_>>(),
        }),
    ))
}
