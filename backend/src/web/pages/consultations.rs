//! `/konsultacje` (published consultations by phase) and `/konsultacje/{id}` (one, with its
//! document, questions and, once published, its report). Answering is through the API for
//! now (docs/consultations.md).

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde_json::{Value, json};

use super::consultation_texts::{phase_label, text, texts};
use super::{render, ui};
use crate::db::consultations as store;
use crate::domain::consultation::{Form, Phase};
use crate::domain::lang::Lang;
use crate::error::AppResult;
use crate::forms::FieldError;
use crate::participation::consultations::{content, phase_of, today, visible};
use crate::state::AppState;
use crate::web::cursor;
use crate::web::extract::Requester;

/// A consultation as a row of the list and the archive.
fn list_item(c: &crate::db::entity::consultation::Model, phase: Phase, lang: Lang) -> Value {
    json!({
        "id": c.id,
        "subject": c.subject,
        "phase": phase_label(phase, lang),
        "opens_on": c.opens_on.to_string(),
        "closes_on": c.closes_on.to_string(),
    })
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
        .map(|c| list_item(c, phase_of(c, day), who.lang))
        .collect();
    Ok(render(
        &app,
        StatusCode::OK,
        "consultations.html",
        &json!({ "ui": ui(who.lang), "t": texts(who.lang), "title": text(who.lang, "consultations"), "items": items }),
    ))
}

#[derive(Debug, serde::Deserialize)]
pub struct ArchiveQuery {
    /// The `next` of the previous page.
    pub po: Option<String>,
}

/// `/konsultacje/archiwum`: archived consultations, latest opening first, 50 a page by
/// keyset (`consultation_phase`), each still read-only with its report.
pub async fn archive(
    app: State<AppState>,
    who: Requester,
    Query(q): Query<ArchiveQuery>,
) -> AppResult<Response> {
    let after = cursor::decode::<time::Date>(q.po.as_deref())?;
    let rows = store::list(&app.db, &[Phase::Archived], after, 51).await?;
    let (page, next) = cursor::page(rows, 50, |c| (c.opens_on, c.id.clone()));
    let items: Vec<Value> = page
        .iter()
        .map(|c| list_item(c, Phase::Archived, who.lang))
        .collect();
    Ok(render(
        &app,
        StatusCode::OK,
        "consultations.html",
        &json!({ "ui": ui(who.lang), "t": texts(who.lang), "title": text(who.lang, "archive"), "archive": true, "items": items, "next": next }),
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
            "t": texts(who.lang),
            "title": body.subject,
            "c": view,
            "phase": phase_label(phase, who.lang),
            "open": open,
            "takes_comments": open && body.forms.contains(&Form::Comments),
            "paragraphs": body.document.lines().collect::<Vec<_>>(),
            "questions": questions,
            "comments": comments,
            "errors": errors,
            "report": report,
            "declaration": super::consultation_take_part::declaration_view(app, &body, who.lang),
            "documents": crate::participation::consultations::documents::list_of(app, &c)
                .await?
                .iter()
                .map(|d| crate::web::api::consultations::documents::document_view(d, who.lang))
                .collect::<Vec<_>>(),
            "meetings": crate::db::consultation_meetings::list(&app.db, &c.id)
                .await?
                .iter()
                .map(crate::web::api::consultations::meetings::meeting_view)
                .collect::<Vec<_>>(),
        }),
    ))
}
