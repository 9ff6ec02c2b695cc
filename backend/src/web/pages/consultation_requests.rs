//! `/konsultacje/wnioski`: residents' requests to start a consultation (issue 14 §3): the
//! list, the form to file one, a request's page with the support form, and the support
//! that reaches the threshold files it as a case (`api::consultations::requests::file`).
//! Refusals are shown on the page, in Polish, by field, with what was typed kept.

use axum::extract::{Path, RawForm, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde_json::{Value, json};

use super::consultation_take_part::declaration;
use super::{render, ui};
use crate::db::consultation_requests::{self as store, COLLECTING};
use crate::domain::identity::Role;
use crate::domain::lang::Lang;
use crate::error::{AppError, AppResult};
use crate::forms::FieldError;
use crate::participation::consultations::request::create::{Filing, create};
use crate::participation::consultations::request::{find, support};
use crate::participation::consultations::take_part::Declaration;
use crate::state::AppState;
use crate::web::api::consultations::requests::file::lodge_after_support;
use crate::web::api::consultations::requests::public;
use crate::web::extract::Requester;

fn fields(raw: &[u8]) -> Vec<(String, String)> {
    url::form_urlencoded::parse(raw).into_owned().collect()
}

fn value<'a>(pairs: &'a [(String, String)], k: &str) -> &'a str {
    pairs
        .iter()
        .find(|(key, _)| key == k)
        .map_or("", |(_, v)| v.as_str())
}

/// The areas to choose from.
fn areas(app: &AppState) -> Vec<Value> {
    app.catalogue
        .areas
        .areas
        .iter()
        .map(|a| json!({ "code": a.code, "name": a.name.get(Lang::Pl) }))
        .collect()
}

/// Errors by field, for the messages beside the fields.
fn by_field(errors: &[FieldError]) -> Value {
    let mut m = serde_json::Map::new();
    for e in errors {
        m.entry(e.path.clone())
            .or_insert_with(|| json!(e.message.clone()));
    }
    Value::Object(m)
}

/// `GET /konsultacje/wnioski`.
pub async fn list(app: State<AppState>, who: Requester) -> AppResult<Response> {
    let rows = store::page(&app.db, None, None, 100).await?;
    let mut items = Vec::with_capacity(rows.len());
    for r in &rows {
        let supports = store::supports(&app.db, &r.id).await?;
        items.push(public(&app, r, supports).await?);
    }
    Ok(render(
        &app,
        StatusCode::OK,
        "consultation_requests.html",
        &json!({
            "ui": ui(who.lang),
            "title": "Wnioski mieszkańców o przeprowadzenie konsultacji",
            "items": items,
            "threshold": app.settings.consultations.request_threshold,
        }),
    ))
}

/// `GET /konsultacje/wnioski/nowy`.
pub async fn new(app: State<AppState>, who: Requester) -> AppResult<Response> {
    form_page(&app, &who, &Value::Null, &[], StatusCode::OK)
}

fn form_page(
    app: &AppState,
    who: &Requester,
    entered: &Value,
    errors: &[FieldError],
    status: StatusCode,
) -> AppResult<Response> {
    let me = who.identity.as_ref().ok_or(AppError::Unauthenticated)?;
    if !me.has_role(Role::Resident) {
        return Err(AppError::Forbidden(
            "wniosek o konsultacje składa mieszkaniec gminy zalogowany przez węzeł krajowy".into(),
        ));
    }
    Ok(render(
        app,
        status,
        "consultation_request_new.html",
        &json!({
            "ui": ui(who.lang),
            "title": "Wniosek o przeprowadzenie konsultacji",
            "areas": areas(app),
            "threshold": app.settings.consultations.request_threshold,
            "v": entered,
            "errors": errors,
            "e": by_field(errors),
        }),
    ))
}

/// `POST /konsultacje/wnioski/nowy`.
pub async fn create_post(
    app: State<AppState>,
    who: Requester,
    RawForm(raw): RawForm,
) -> AppResult<Response> {
    let pairs = fields(&raw);
    let area = value(&pairs, "request_area").trim();
    let f = Filing {
        subject: value(&pairs, "subject").to_owned(),
        justification: value(&pairs, "justification").to_owned(),
        area: (!area.is_empty()).then(|| area.to_owned()),
        declaration: Some(Declaration {
            lives_in_gmina: value(&pairs, "lives_in_gmina") == "yes",
            // one declares living in the area the request concerns
            area: (value(&pairs, "lives_in_area") == "yes" && !area.is_empty())
                .then(|| area.to_owned()),
        }),
    };
    match create(&app, who.identity.as_ref(), &f).await {
        Ok(r) => {
            let supports = store::supports(&app.db, &r.id).await?;
            lodge_after_support(&app, &r, supports).await;
            Ok(Redirect::to(&format!("/konsultacje/wnioski/{}?zlozony=tak", r.id)).into_response())
        }
        Err(AppError::Validation(out)) => {
            let entered = json!({
                "subject": f.subject, "justification": f.justification,
                "request_area": area, "lives_in_gmina": value(&pairs, "lives_in_gmina") == "yes",
                "lives_in_area": value(&pairs, "lives_in_area") == "yes",
            });
            form_page(
                &app,
                &who,
                &entered,
                &out.errors,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
        }
        Err(e) => Err(e),
    }
}

/// `GET /konsultacje/wnioski/{id}`.
pub async fn get(
    app: State<AppState>,
    who: Requester,
    Path(id): Path<String>,
    axum::extract::RawQuery(q): axum::extract::RawQuery,
) -> AppResult<Response> {
    let notice = q
        .as_deref()
        .is_some_and(|q| q.contains("zlozony=tak"))
        .then(|| {
            "Wniosek został zapisany wraz z Twoim poparciem. Przekaż link do tej strony innym mieszkańcom.".to_owned()
        });
    detail(&app, &who, &id, &[], notice, StatusCode::OK).await
}

async fn detail(
    app: &AppState,
    who: &Requester,
    id: &str,
    errors: &[FieldError],
    notice: Option<String>,
    status: StatusCode,
) -> AppResult<Response> {
    let r = find(app, id).await?;
    let supports = store::supports(&app.db, &r.id).await?;
    let resident = who
        .identity
        .as_ref()
        .is_some_and(|w| w.has_role(Role::Resident));
    let collecting = r.state == COLLECTING;
    let threshold = u64::try_from(r.threshold).unwrap_or(u64::MAX);
    Ok(render(
        app,
        status,
        "consultation_request.html",
        &json!({
            "ui": ui(who.lang),
            "title": r.subject,
            "r": public(app, &r, supports).await?,
            "collecting": collecting,
            "can_support": collecting && resident,
            "login": crate::web::auth::login_url("substantial", &format!("/konsultacje/wnioski/{}", r.id)),
            "missing": threshold.saturating_sub(supports),
            "errors": errors,
            "e": by_field(errors),
            "notice": notice,
        }),
    ))
}

/// `POST /konsultacje/wnioski/{id}/poparcie`.
pub async fn support_post(
    app: State<AppState>,
    who: Requester,
    Path(id): Path<String>,
    RawForm(raw): RawForm,
) -> AppResult<Response> {
    let pairs = fields(&raw);
    let d = declaration(&pairs);
    match support::online(&app, who.identity.as_ref(), &id, Some(&d)).await {
        Ok((r, supports)) => {
            let filed = lodge_after_support(&app, &r, supports).await;
            let notice = match filed.as_ref().and_then(|f| f.claims.registration.as_ref()) {
                Some(reg) => format!(
                    "Dziękujemy: Twoje poparcie zostało zapisane. Wniosek ma już wymaganą liczbę poparć i trafił do urzędu jako sprawa {} (termin: {}).",
                    reg.case_sign, reg.due_on
                ),
                None => "Dziękujemy: Twoje poparcie zostało zapisane.".to_owned(),
            };
            detail(&app, &who, &id, &[], Some(notice), StatusCode::OK).await
        }
        Err(AppError::Validation(out)) => {
            detail(
                &app,
                &who,
                &id,
                &out.errors,
                None,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(AppError::Forbidden(m)) => {
            detail(&app, &who, &id, &[], Some(m), StatusCode::FORBIDDEN).await
        }
        Err(AppError::Conflict(m)) => {
            detail(&app, &who, &id, &[], Some(m), StatusCode::CONFLICT).await
        }
        Err(e) => Err(e),
    }
}
