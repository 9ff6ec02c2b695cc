//! `/konsole/konsultacje/{id}/karty`: paper cards in the browser, with four eyes. A clerk
//! (role `clerk`) or the coordinator (`admin`) types in a card: its number, the PESEL
//! written on it, its answers to the (frozen) questionnaire and the declaration signed on
//! it; the same code as the API checks it (`participation::paper::enter`), and each
//! refusal comes back beside its field with everything typed kept. The page also lists the
//! cards waiting for a second clerk, who accepts or rejects each
//! (`POST …/karty/{entry}`, `actions::decide_card`); the clerk who typed a card in sees it
//! waiting, without the buttons.

use axum::extract::{Path, RawForm, RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde_json::{Map, Value, json};

use super::super::consultation_take_part::{declaration, declaration_view};
use super::super::step::field_view;
use super::super::{form_data, render, ui};
use crate::error::{AppError, AppResult};
use crate::forms::FieldError;
use crate::forms::definition::FieldType;
use crate::participation::consultations::paper::{Answers, handles_paper};
use crate::participation::consultations::{content, open_now, visible};
use crate::participation::paper::{self, NewCard};
use crate::state::AppState;
use crate::web::extract::Requester;

/// What was typed in, to show again after a refusal.
#[derive(Default)]
struct Typed {
    card: String,
    pesel: String,
    answers: Map<String, Value>,
    lives_in_gmina: bool,
    area: String,
}

async fn page(
    app: &AppState,
    who: &Requester,
    id: &str,
    typed: &Typed,
    errors: &[FieldError],
    notice: Option<&str>,
    status: StatusCode,
) -> AppResult<Response> {
    let me = who.identity.as_ref().ok_or(AppError::Unauthenticated)?;
    if !handles_paper(me) {
        return Err(AppError::Forbidden(
            "karty papierowe wpisują i przyjmują urzędnicy (rola clerk) i koordynator konsultacji"
                .into(),
        ));
    }
    let c = visible(app, Some(me), id).await?;
    open_now(&c)?;
    let (body, questionnaire) = content(app, &c).await?;
    let svc = crate::forms::questionnaire::compile(
        &app.catalogue,
        &c.id,
        &body.subject,
        "questionnaire.yaml",
        &questionnaire,
    )
    .map_err(|p| anyhow::anyhow!("stored questionnaire of {} does not compile: {p:?}", c.id))?;
    let fields: Vec<Value> = svc
        .fields()
        .filter(|f| !matches!(f.kind, FieldType::Group | FieldType::File))
        .map(|f| {
            field_view(
                &svc,
                f,
                &f.id,
                typed.answers.get(&f.id),
                errors,
                who.lang,
                false,
            )
        })
        .collect();
    let mine = crate::auth::owner_of(me);
    let cards: Vec<Value> = paper::list(app, &Answers, me, &c.id, Some("pending"), None, 200)
        .await?
        .iter()
        .map(|e| {
            let mut v = paper::view(e);
            v["mine"] = json!(e.entered_by == mine);
            // the answers as typed in, for the comparison with the paper
            let summary = v["data"]["answers"]
                .as_object()
                .map(|a| {
                    a.iter()
                        .map(|(k, x)| format!("{k}: {x}"))
                        .collect::<Vec<_>>()
                        .join("; ")
                })
                .unwrap_or_default();
            v["summary"] = json!(summary);
            v
        })
        .collect();
    let mut e = Map::new();
    for err in errors {
        if let Some(list) = e
            .entry(err.path.clone())
            .or_insert_with(|| json!([]))
            .as_array_mut()
        {
            list.push(json!(err.message));
        }
    }
    Ok(render(
        app,
        status,
        "console_paper.html",
        &json!({
            "ui": ui(who.lang),
            "title": format!("Karty papierowe: {}", body.subject),
            "id": c.id,
            "fields": fields,
            "declaration": declaration_view(app, &body, who.lang),
            "typed": { "card": typed.card, "pesel": typed.pesel, "lives_in_gmina": typed.lives_in_gmina, "area": typed.area },
            "cards": cards,
            "errors": errors,
            "e": e,
            "notice": notice,
            "coordinator": crate::participation::consultations::is_coordinator(me),
        }),
    ))
}

/// `GET /konsole/konsultacje/{id}/karty`.
pub async fn get(
    app: State<AppState>,
    who: Requester,
    Path(id): Path<String>,
    RawQuery(q): RawQuery,
) -> AppResult<Response> {
    let notice = match q.as_deref() {
        Some(q) if q.contains("wpisano=") => {
            Some("Karta została wpisana i czeka na sprawdzenie przez drugiego urzędnika.")
        }
        Some(q) if q.contains("sprawdzono=") => Some("Decyzja w sprawie karty została zapisana."),
        _ => None,
    };
    page(
        &app,
        &who,
        &id,
        &Typed::default(),
        &[],
        notice,
        StatusCode::OK,
    )
    .await
}

/// `POST /konsole/konsultacje/{id}/karty`: a clerk types in a card.
pub async fn post(
    app: State<AppState>,
    who: Requester,
    Path(id): Path<String>,
    RawForm(raw): RawForm,
) -> AppResult<Response> {
    let me = who.identity.as_ref().ok_or(AppError::Unauthenticated)?;
    let pairs: Vec<(String, String)> = url::form_urlencoded::parse(&raw).into_owned().collect();
    let value = |k: &str| {
        pairs
            .iter()
            .find(|(n, _)| n == k)
            .map_or(String::new(), |(_, v)| v.clone())
    };
    let c = visible(&app, Some(me), &id).await?;
    let (body, questionnaire) = content(&app, &c).await?;
    let svc = crate::forms::questionnaire::compile(
        &app.catalogue,
        &c.id,
        &body.subject,
        "questionnaire.yaml",
        &questionnaire,
    )
    .map_err(|p| anyhow::anyhow!("stored questionnaire of {} does not compile: {p:?}", c.id))?;
    let mut answers = Map::new();
    for step in &svc.def.steps {
        form_data::merge_step(&svc, &step.id, &pairs, &mut answers)?;
    }
    let d = declaration(&pairs);
    let data = json!({
        "answers": Value::Object(answers.clone()),
        "declaration": { "lives_in_gmina": d.lives_in_gmina, "area": d.area },
    });
    let typed = Typed {
        card: value("card"),
        pesel: value("pesel"),
        answers,
        lives_in_gmina: d.lives_in_gmina,
        area: d.area.clone().unwrap_or_default(),
    };
    let card = NewCard {
        card: &typed.card,
        pesel: typed.pesel.trim(),
        data: &data,
    };
    match paper::enter(&app, &Answers, me, &c.id, card).await {
        Ok(_) => Ok(
            Redirect::to(&format!("/konsole/konsultacje/{}/karty?wpisano=tak", c.id))
                .into_response(),
        ),
        Err(AppError::Validation(out)) => {
            page(
                &app,
                &who,
                &id,
                &typed,
                &out.errors,
                None,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(AppError::Conflict(m)) => {
            page(
                &app,
                &who,
                &id,
                &typed,
                &[FieldError {
                    path: "card".into(),
                    code: "paper.card".into(),
                    message: m,
                }],
                None,
                StatusCode::CONFLICT,
            )
            .await
        }
        Err(e) => Err(e),
    }
}
