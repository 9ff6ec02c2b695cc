//! `/inicjatywy`: the citizens' legislative initiatives (u.s.g. art. 41a): the list, an
//! initiative's page that promotes it (with the support form and, for its representative,
//! filing), and the committee's registration form.

use axum::extract::{Path, RawForm, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde_json::{Value, json};

use super::{render, ui};
use crate::db::initiatives as store;
use crate::domain::identity::Role;
use crate::domain::initiative::Declaration;
use crate::error::{AppError, AppResult};
use crate::forms::FieldError;
use crate::participation::initiative::register::{self, Member, Registration};
use crate::participation::initiative::{file, find, support};
use crate::state::AppState;
use crate::web::extract::Requester;

/// The rows of the registration form's committee table.
const MEMBER_ROWS: usize = 10;

fn state_label(state: &str) -> &'static str {
    match state {
        store::COLLECTING => "zbiera poparcie",
        _ => "złożona w radzie gminy",
    }
}

fn fields(raw: &[u8]) -> Vec<(String, String)> {
    url::form_urlencoded::parse(raw).into_owned().collect()
}

fn value<'a>(pairs: &'a [(String, String)], k: &str) -> &'a str {
    pairs
        .iter()
        .find(|(key, _)| key == k)
        .map_or("", |(_, v)| v.as_str())
}

pub async fn list(app: State<AppState>, who: Requester) -> AppResult<Response> {
    let rows = store::page(&app.db, None, 100).await?;
    let mut items = Vec::with_capacity(rows.len());
    for i in &rows {
        let counts = store::counts(&app.db, &i.id).await?;
        items.push(json!({
            "id": i.id, "title": i.title, "state": state_label(&i.state),
            "supports": counts.total(), "threshold": i.threshold,
        }));
    }
    Ok(render(
        &app,
        StatusCode::OK,
        "initiatives.html",
        &json!({ "ui": ui(who.lang), "title": "Obywatelska inicjatywa uchwałodawcza", "items": items }),
    ))
}

pub async fn get(
    app: State<AppState>,
    who: Requester,
    Path(id): Path<String>,
) -> AppResult<Response> {
    detail(&app, &who, &id, &[], None, StatusCode::OK).await
}

/// The initiative's page, with `errors` of a refused support and a `notice`.
async fn detail(
    app: &AppState,
    who: &Requester,
    id: &str,
    errors: &[FieldError],
    notice: Option<String>,
    status: StatusCode,
) -> AppResult<Response> {
    let i = find(app, id).await?;
    let counts = store::counts(&app.db, &i.id).await?;
    let resident = who
        .identity
        .as_ref()
        .is_some_and(|w| w.has_role(Role::Resident));
    let representative = who
        .identity
        .as_ref()
        .is_some_and(|w| crate::auth::owner_of(w) == i.created_by);
    let collecting = i.state == store::COLLECTING;
    let threshold = u64::try_from(i.threshold).unwrap_or(u64::MAX);
    Ok(render(
        app,
        status,
        "initiative.html",
        &json!({
            "ui": ui(who.lang),
            "title": i.title,
            "i": crate::web::api::initiatives::public(&i, &counts),
            "state": state_label(&i.state),
            "collecting": collecting,
            "can_support": collecting && resident,
            "login": crate::web::auth::login_url("substantial", &format!("/inicjatywy/{}", i.id)),
            "can_file": collecting && representative && counts.total() >= threshold,
            "missing": threshold.saturating_sub(counts.total()),
            "errors": errors,
            "notice": notice,
        }),
    ))
}

/// `POST /inicjatywy/{id}/poparcie`: the support form.
pub async fn support(
    app: State<AppState>,
    who: Requester,
    Path(id): Path<String>,
    RawForm(raw): RawForm,
) -> AppResult<Response> {
    let pairs = fields(&raw);
    let declared = Declaration {
        permanent_resident: value(&pairs, "permanent_resident") == "yes",
        eu_citizen: value(&pairs, "eu_citizen") == "yes",
    };
    match support::online(&app, who.identity.as_ref(), &id, declared).await {
        Ok(_) => Ok(Redirect::to(&format!("/inicjatywy/{id}?poparcie=zapisane")).into_response()),
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

/// `POST /inicjatywy/{id}/zlozenie`: the representative files the draft.
pub async fn file(
    app: State<AppState>,
    who: Requester,
    Path(id): Path<String>,
) -> AppResult<Response> {
    let (i, data) = file::filing_data(&app, who.identity.as_ref(), &id).await?;
    let svc = app.catalogue.get(file::SERVICE).cloned().ok_or_else(|| {
        AppError::Internal(anyhow::anyhow!("the catalogue lacks {}", file::SERVICE))
    })?;
    let done = crate::filing::file(
        &app,
        &svc,
        &who,
        &format!("initiative-{}", i.id),
        data,
        Vec::new(),
    )
    .await?;
    file::filed(&app, &i, &done.submission_id).await?;
    Ok(Redirect::to(&format!("/potwierdzenie/{}", done.receipt_id)).into_response())
}

/// `GET /inicjatywy/nowa`: the committee's registration form.
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
    let who_id = who.identity.as_ref().ok_or(AppError::Unauthenticated)?;
    if !who_id.has_role(Role::Resident) {
        return Err(AppError::Forbidden(
            "inicjatywę zgłasza komitet mieszkańców, zalogowany przez węzeł krajowy".into(),
        ));
    }
    Ok(render(
        app,
        status,
        "initiative_new.html",
        &json!({
            "ui": ui(who.lang),
            "title": "Zgłoszenie obywatelskiej inicjatywy uchwałodawczej",
            "rows": (0..MEMBER_ROWS).collect::<Vec<_>>(),
            "min_committee": app.settings.initiative.min_committee,
            "v": entered,
            "errors": errors,
        }),
    ))
}

/// `POST /inicjatywy/nowa`.
pub async fn create(
    app: State<AppState>,
    who: Requester,
    RawForm(raw): RawForm,
) -> AppResult<Response> {
    let pairs = fields(&raw);
    let representative = value(&pairs, "representative");
    let members: Vec<Member> = (0..MEMBER_ROWS)
        .filter_map(|n| {
            let name = value(&pairs, &format!("name_{n}")).trim();
            let residence = value(&pairs, &format!("residence_{n}")).trim();
            (!name.is_empty() || !residence.is_empty()).then(|| Member {
                name: name.to_owned(),
                residence: residence.to_owned(),
                representative: representative == n.to_string(),
            })
        })
        .collect();
    let r = Registration {
        title: value(&pairs, "title").to_owned(),
        draft: value(&pairs, "draft").to_owned(),
        justification: value(&pairs, "justification").to_owned(),
        members,
    };
    match register::register(&app, who.identity.as_ref(), &r).await {
        Ok(i) => Ok(Redirect::to(&format!("/inicjatywy/{}", i.id)).into_response()),
        Err(AppError::Validation(out)) => {
            let entered: serde_json::Map<String, Value> = pairs
                .iter()
                .map(|(k, v)| (k.clone(), Value::String(v.clone())))
                .collect();
            form_page(
                &app,
                &who,
                &Value::Object(entered),
                &out.errors,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
        }
        Err(e) => Err(e),
    }
}
