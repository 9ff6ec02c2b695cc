//! `/konsole/konsultacje/{id}/edycja`: editing a draft (or an announced consultation, until
//! it opens) in the browser. Every save is a new version through the API's own code
//! (`participation::consultations::save::edit`) with the version the editor loaded, so a
//! colleague's save in between is refused rather than overwritten; each refusal comes back
//! beside its field, and a refusal of the whole save (frozen, edited meanwhile) above the
//! form, with everything typed kept.

use axum::extract::{Path, RawForm, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};

use super::draft_form::{self, Mode};
use crate::error::{AppError, AppResult};
use crate::participation::consultations::{
    content, coordinator, may_edit, phase_of, save, today, visible,
};
use crate::state::AppState;
use crate::web::extract::Requester;

pub async fn get(
    app: State<AppState>,
    who: Requester,
    Path(id): Path<String>,
) -> AppResult<Response> {
    let me = coordinator(who.identity.as_ref())?;
    let c = visible(&app, Some(me), &id).await?;
    if !may_edit(me, &c) {
        return Err(AppError::Forbidden(
            "projekt konsultacji edytuje jego autor albo koordynator".into(),
        ));
    }
    let phase = phase_of(&c, today());
    if !phase.editable() {
        return Err(AppError::Conflict(format!(
            "konsultacja trwa od {} i jest zamrożona: mieszkańcy odpowiadają na pytania, które widzieli",
            c.opens_on
        )));
    }
    let (body, questionnaire) = content(&app, &c).await?;
    Ok(draft_form::page(
        &app,
        &who,
        Mode::Edit {
            id: &c.id,
            version: c.version,
        },
        &draft_form::values_of(&body, &questionnaire),
        &[],
        None,
        StatusCode::OK,
    ))
}

pub async fn post(
    app: State<AppState>,
    who: Requester,
    Path(id): Path<String>,
    RawForm(raw): RawForm,
) -> AppResult<Response> {
    coordinator(who.identity.as_ref())?;
    let pairs: Vec<(String, String)> = url::form_urlencoded::parse(&raw).into_owned().collect();
    let version = pairs
        .iter()
        .find(|(k, _)| k == "version")
        .and_then(|(_, v)| v.parse::<i32>().ok());
    let values = draft_form::values(&pairs);
    let mode = || Mode::Edit {
        id: &id,
        version: version.unwrap_or_default(),
    };
    let c = match draft_form::consultation(&values) {
        Ok(c) => c,
        Err(errors) => {
            return Ok(draft_form::page(
                &app,
                &who,
                mode(),
                &values,
                &errors,
                None,
                StatusCode::UNPROCESSABLE_ENTITY,
            ));
        }
    };
    let questionnaire = values["questionnaire"].as_str().unwrap_or_default();
    match save::edit(&app, who.identity.as_ref(), &id, version, &c, questionnaire).await {
        Ok(_) => {
            Ok(Redirect::to(&format!("/konsole/konsultacje/{id}?zapisano=tak")).into_response())
        }
        Err(AppError::Validation(out)) => Ok(draft_form::page(
            &app,
            &who,
            mode(),
            &values,
            &out.errors,
            None,
            StatusCode::UNPROCESSABLE_ENTITY,
        )),
        Err(AppError::Conflict(m)) => Ok(draft_form::page(
            &app,
            &who,
            mode(),
            &values,
            &[],
            Some(&conflict(&m)),
            StatusCode::CONFLICT,
        )),
        Err(e) => Err(e),
    }
}

/// The save's 409 in Polish: frozen since it opened, or saved by someone else meanwhile
/// (the participation layer's messages are the API's, in English).
fn conflict(m: &str) -> String {
    if m.contains("frozen") {
        "Konsultacja już się rozpoczęła i jest zamrożona: nie można jej zmienić. Twoje zmiany są poniżej.".into()
    } else {
        "Ktoś zapisał tę konsultację w międzyczasie. Twoje zmiany są poniżej: otwórz projekt ponownie w nowej karcie, porównaj i zapisz jeszcze raz.".into()
    }
}
