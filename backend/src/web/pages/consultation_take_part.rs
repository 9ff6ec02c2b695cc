//! Taking part in the pages: `/konsultacje/{id}/odpowiedz` (the questionnaire on one page;
//! a second answer replaces the first and says so) and `POST /konsultacje/{id}/uwagi` (a
//! comment on a paragraph). The rules are the API's (`participation::consultations`).

use axum::extract::{Path, RawForm, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde_json::{Map, Value, json};

use super::consultation_texts::{text, texts};
use super::{form_data, message_page, render, step::field_view, ui};
use crate::error::{AppError, AppResult};
use crate::forms::FieldError;
use crate::forms::definition::FieldType;
use crate::participation::consultations::take_part::Declaration;
use crate::participation::consultations::{content, take_part, visible};
use crate::state::AppState;
use crate::web::extract::Requester;

async fn form(
    app: &AppState,
    who: &Requester,
    id: &str,
    data: &Map<String, Value>,
    errors: &[FieldError],
    status: StatusCode,
) -> AppResult<Response> {
    who.identity.as_ref().ok_or(AppError::Unauthenticated)?;
    let c = visible(app, who.identity.as_ref(), id).await?;
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
        .map(|f| field_view(&svc, f, &f.id, data.get(&f.id), errors, who.lang, false))
        .collect();
    Ok(render(
        app,
        status,
        "consultation_answer.html",
        &json!({
            "ui": ui(who.lang),
            "t": texts(who.lang),
            "title": body.subject,
            "id": c.id,
            "fields": fields,
            "errors": errors,
            "declaration": declaration_view(app, &body, who.lang),
        }),
    ))
}

/// The declaration of residence from a form's `lives_in_gmina` box and `area` choice.
pub fn declaration(pairs: &[(String, String)]) -> Declaration {
    let value = |k: &str| {
        pairs
            .iter()
            .find(|(key, _)| key == k)
            .map(|(_, v)| v.clone())
    };
    Declaration {
        lives_in_gmina: value("lives_in_gmina").as_deref() == Some("yes"),
        area: value("area").filter(|a| !a.is_empty()),
    }
}

/// What the page's declaration offers: whether residents declare, and the areas to pick.
pub fn declaration_view(
    app: &AppState,
    body: &crate::domain::consultation::Consultation,
    lang: crate::domain::lang::Lang,
) -> Value {
    use crate::domain::consultation::{Participants, Scope};
    let areas: Vec<Value> = match &body.scope {
        Scope::Gmina => Vec::new(),
        Scope::Areas { areas } => areas
            .iter()
            .map(|code| json!({ "code": code, "name": app.catalogue.areas.get(code).map(|a| a.name.get(lang)) }))
            .collect(),
    };
    json!({ "residents": body.participants() == Participants::Residents, "areas": areas })
}

/// The questionnaire; a visitor not logged in is sent to log in and comes back to it.
pub async fn get(
    app: State<AppState>,
    who: Requester,
    Path(id): Path<String>,
) -> AppResult<Response> {
    if who.identity.is_none() {
        visible(&app, None, &id).await?;
        let back = format!("/konsultacje/{id}/odpowiedz");
        let to = crate::web::auth::login_url("substantial", &back);
        return Ok(Redirect::to(&to).into_response());
    }
    form(&app, &who, &id, &Map::new(), &[], StatusCode::OK).await
}

pub async fn post(
    app: State<AppState>,
    who: Requester,
    Path(id): Path<String>,
    RawForm(raw): RawForm,
) -> AppResult<Response> {
    let pairs: Vec<(String, String)> = url::form_urlencoded::parse(&raw).into_owned().collect();
    let c = visible(&app, who.identity.as_ref(), &id).await?;
    let (body, questionnaire) = content(&app, &c).await?;
    let svc = crate::forms::questionnaire::compile(
        &app.catalogue,
        &c.id,
        &body.subject,
        "questionnaire.yaml",
        &questionnaire,
    )
    .map_err(|p| anyhow::anyhow!("stored questionnaire of {} does not compile: {p:?}", c.id))?;
    let mut data = Map::new();
    for step in &svc.def.steps {
        form_data::merge_step(&svc, &step.id, &pairs, &mut data)?;
    }
    let declaration = declaration(&pairs);
    let answered = take_part::answer(
        &app,
        who.identity.as_ref(),
        &id,
        &Value::Object(data.clone()),
        Some(&declaration),
        who.lang,
    )
    .await;
    match answered {
        Ok(a) => {
            let said = if a.replaced {
                "answer_replaced"
            } else {
                "answer_saved"
            };
            Ok(message_page(
                &app,
                who.lang,
                StatusCode::OK,
                text(who.lang, "thanks"),
                text(who.lang, said),
            ))
        }
        Err(AppError::Validation(out)) => {
            form(
                &app,
                &who,
                &id,
                &data,
                &out.errors,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e) => Err(e),
    }
}

pub async fn comment(
    app: State<AppState>,
    who: Requester,
    Path(id): Path<String>,
    RawForm(raw): RawForm,
) -> AppResult<Response> {
    let pairs: Vec<(String, String)> = url::form_urlencoded::parse(&raw).into_owned().collect();
    let value = |k: &str| {
        pairs
            .iter()
            .find(|(key, _)| key == k)
            .map_or("", |(_, v)| v.as_str())
    };
    let made = take_part::comment(
        &app,
        who.identity.as_ref(),
        &id,
        take_part::NewComment {
            anchor: value("anchor"),
            text: value("text"),
            show_name: value("show_name") == "yes",
            declaration: Some(&declaration(&pairs)),
        },
    )
    .await;
    match made {
        Ok(_) => Ok(Redirect::to(&format!("/konsultacje/{id}#uwagi")).into_response()),
        Err(AppError::Validation(out)) => {
            super::consultations::detail(
                &app,
                &who,
                &id,
                &out.errors,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e) => Err(e),
    }
}

/// `POST /konsultacje/{id}/uwagi/{comment}/zglos`: a resident reports a comment.
pub async fn report(
    app: State<AppState>,
    who: Requester,
    Path((id, comment)): Path<(String, String)>,
    RawForm(raw): RawForm,
) -> AppResult<Response> {
    let reason = url::form_urlencoded::parse(&raw)
        .find(|(k, _)| k == "reason")
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default();
    crate::participation::consultations::moderation::report(
        &app,
        who.identity.as_ref(),
        &id,
        &comment,
        &reason,
    )
    .await?;
    Ok(message_page(
        &app,
        who.lang,
        StatusCode::OK,
        text(who.lang, "report_thanks"),
        text(who.lang, "report_checked"),
    ))
}
