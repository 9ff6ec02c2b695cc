//! Taking part in the participatory budget from the pages: `/budzet/{id}/zglos` (the
//! project form), `POST /budzet/{id}/projekty/{project}/poparcie` (a support) and
//! `/budzet/{id}/glosuj` (the ballot, answered with its signed receipt). The rules are
//! `participation::budget`'s, as for the API; refusals come back on the page.

use std::collections::BTreeMap;

use axum::extract::{Path, RawForm, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde_json::{Value, json};

use super::{render, ui};
use crate::db::budget::projects as project_store;
use crate::domain::budget::{BallotKind, Phase, Status};
use crate::error::{AppError, AppResult};
use crate::forms::FieldError;
use crate::participation::budget::voting::{Ballot, Choice};
use crate::participation::budget::{Loaded, load, projects, today, voting};
use crate::state::AppState;
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

/// The errors of a refusal a page shows: field errors as they are, anything else as one.
fn shown(e: AppError) -> AppResult<(Vec<FieldError>, StatusCode)> {
    let one = |code: &str, m: String, status| {
        Ok((
            vec![FieldError {
                path: String::new(),
                code: code.into(),
                message: m,
            }],
            status,
        ))
    };
    match e {
        AppError::Validation(out) => Ok((out.errors, StatusCode::UNPROCESSABLE_ENTITY)),
        AppError::Conflict(m) => one("conflict", m, StatusCode::CONFLICT),
        AppError::Forbidden(m) => one("forbidden", m, StatusCode::FORBIDDEN),
        other => Err(other),
    }
}

fn login(path: &str) -> String {
    crate::web::auth::login_url("substantial", path)
}

/// The project form's page, with what was typed and its errors.
async fn propose_page(
    app: &AppState,
    who: &Requester,
    l: &Loaded,
    typed: Value,
    errors: &[FieldError],
    status: StatusCode,
) -> AppResult<Response> {
    let pools: Vec<Value> = l
        .edition
        .pools
        .iter()
        .map(|p| json!({ "code": p.code, "name": p.name, "amount": crate::domain::budget::zloty(p.amount) }))
        .collect();
    Ok(render(
        app,
        status,
        "budget/propose.html",
        &json!({
            "ui": ui(who.lang),
            "title": "Zgłoś projekt",
            "edition": { "id": l.row.id, "title": l.edition.title, "windows": l.edition.windows },
            "open": l.phase(today()) == Phase::Intake,
            "logged_in": who.identity.is_some(),
            "login": login(&format!("/budzet/{}/zglos", l.row.id)),
            "pools": pools,
            "v": typed,
            "errors": errors,
        }),
    ))
}

pub async fn propose_form(
    app: State<AppState>,
    who: Requester,
    Path(id): Path<String>,
) -> AppResult<Response> {
    let l = load(&app, &id).await?;
    propose_page(&app, &who, &l, json!({}), &[], StatusCode::OK).await
}

const PROJECT_FIELDS: [&str; 6] = ["tytul", "pula", "miejsce", "opis", "koszt", "beneficjenci"];

pub async fn propose(
    app: State<AppState>,
    who: Requester,
    Path(id): Path<String>,
    RawForm(raw): RawForm,
) -> AppResult<Response> {
    let pairs = fields(&raw);
    let data: serde_json::Map<String, Value> = PROJECT_FIELDS
        .iter()
        .map(|k| ((*k).to_owned(), Value::String(value(&pairs, k).to_owned())))
        .collect();
    let data = Value::Object(data);
    match projects::propose(&app, who.identity.as_ref(), &id, &data, who.lang).await {
        Ok((l, p)) => {
            Ok(Redirect::to(&format!("/budzet/{}/projekty/{}", l.row.id, p.id)).into_response())
        }
        Err(e) => {
            let l = load(&app, &id).await?;
            let (errors, status) = shown(e)?;
            propose_page(&app, &who, &l, data, &errors, status).await
        }
    }
}

/// `POST /budzet/{id}/projekty/{project}/poparcie`.
pub async fn support(
    app: State<AppState>,
    who: Requester,
    Path((id, project)): Path<(String, String)>,
) -> AppResult<Response> {
    let back = format!("/budzet/{id}/projekty/{project}");
    match projects::support(&app, who.identity.as_ref(), &id, &project).await {
        Ok((_, true)) => Ok(Redirect::to(&format!("{back}?poparcie=zapisane")).into_response()),
        Ok((_, false)) => Ok(Redirect::to(&format!("{back}?poparcie=juz")).into_response()),
        Err(AppError::Unauthenticated) => Ok(Redirect::to(&login(&back)).into_response()),
        Err(e) => {
            let (errors, status) = shown(e)?;
            let l = load(&app, &id).await?;
            super::budget::project_page(&app, &who, &l, &project, &errors, status).await
        }
    }
}

/// The ballot: every pool with its projects on the ballot.
async fn ballot_page(
    app: &AppState,
    who: &Requester,
    l: &Loaded,
    errors: &[FieldError],
    status: StatusCode,
) -> AppResult<Response> {
    let on_ballot = project_store::with_status(
        &app.db,
        &l.row.id,
        &[Status::Admitted, Status::AdmittedOnAppeal],
    )
    .await?;
    let pools: Vec<Value> = l
        .edition
        .pools
        .iter()
        .map(|p| {
            let projects: Vec<Value> = on_ballot
                .iter()
                .filter(|x| x.pool_code == p.code)
                .map(|x| json!({ "id": x.id, "title": x.title, "cost": crate::domain::budget::zloty(u64::try_from(x.corrected_cost.unwrap_or(x.cost)).unwrap_or(0)) }))
                .collect();
            json!({
                "code": p.code,
                "name": p.name,
                "area": p.area,
                "amount": crate::domain::budget::zloty(p.amount),
                "ballot": p.ballot,
                "points": matches!(p.ballot, BallotKind::Points { .. }),
                "projects": projects,
            })
        })
        .collect();
    let areas: Vec<Value> = app
        .catalogue
        .areas
        .areas
        .iter()
        .map(|a| json!({ "code": a.code, "name": a.name.get(who.lang) }))
        .collect();
    Ok(render(
        app,
        status,
        "budget/vote.html",
        &json!({
            "ui": ui(who.lang),
            "title": format!("Głosowanie: {}", l.edition.title),
            "edition": { "id": l.row.id, "title": l.edition.title, "windows": l.edition.windows,
                         "pesel": l.edition.pesel_on_ballot },
            "open": l.phase(today()) == Phase::Voting,
            "logged_in": who.identity.is_some(),
            "login": login(&format!("/budzet/{}/glosuj", l.row.id)),
            "pools": pools,
            "areas": areas,
            "errors": errors,
        }),
    ))
}

pub async fn ballot_form(
    app: State<AppState>,
    who: Requester,
    Path(id): Path<String>,
) -> AppResult<Response> {
    let l = load(&app, &id).await?;
    ballot_page(&app, &who, &l, &[], StatusCode::OK).await
}

/// The ballot from the form: `wybor:POOL` (a project, once per checked box) and
/// `punkty:POOL:PROJECT` (points) fields.
pub(super) fn ballot_of(pairs: &[(String, String)]) -> Ballot {
    let mut choices: BTreeMap<String, Vec<Choice>> = BTreeMap::new();
    for (k, v) in pairs {
        if let Some(pool) = k.strip_prefix("wybor:") {
            choices.entry(pool.to_owned()).or_default().push(Choice {
                project: v.clone(),
                points: None,
            });
        } else if let Some((pool, project)) = k
            .strip_prefix("punkty:")
            .and_then(|rest| rest.split_once(':'))
        {
            let points = v.trim().parse::<u64>().unwrap_or(0);
            if !v.trim().is_empty() && points > 0 {
                choices.entry(pool.to_owned()).or_default().push(Choice {
                    project: project.to_owned(),
                    points: Some(points),
                });
            }
        }
    }
    let text = |k: &str| Some(value(pairs, k).trim().to_owned()).filter(|s| !s.is_empty());
    Ballot {
        declares_residence: value(pairs, "declares_residence") == "yes",
        area: text("area"),
        pesel: text("pesel"),
        choices,
        child: None,
    }
}

/// The receipt's choices as the page prints them: per pool, the projects' titles.
async fn receipt_rows(app: &AppState, id: &str, receipt: &Value) -> AppResult<Vec<Value>> {
    let l = load(app, id).await?;
    let titles: BTreeMap<String, String> = project_store::with_status(
        &app.db,
        &l.row.id,
        &[Status::Admitted, Status::AdmittedOnAppeal],
    )
    .await?
    .into_iter()
    .map(|p| (p.id, p.title))
    .collect();
    let choices: BTreeMap<String, Vec<(String, u64)>> =
        serde_json::from_value(receipt["choices"].clone()).unwrap_or_default();
    Ok(choices
        .iter()
        .map(|(pool, picks)| {
            let projects: Vec<String> = picks
                .iter()
                .map(|(p, points)| {
                    let title = titles.get(p).map_or(p.as_str(), String::as_str);
                    if *points > 1 {
                        format!("{title} ({points} pkt)")
                    } else {
                        title.to_owned()
                    }
                })
                .collect();
            let name = l
                .edition
                .pool(pool)
                .map_or(pool.as_str(), |p| p.name.as_str());
            json!({ "pool": name, "projects": projects.join(", ") })
        })
        .collect())
}

pub async fn vote(
    app: State<AppState>,
    who: Requester,
    Path(id): Path<String>,
    RawForm(raw): RawForm,
) -> AppResult<Response> {
    let ballot = ballot_of(&fields(&raw));
    match voting::cast(&app, who.identity.as_ref(), &id, &ballot).await {
        Ok(receipt) => {
            let rows = receipt_rows(&app, &id, &receipt).await?;
            Ok(render(
                &app,
                StatusCode::CREATED,
                "budget/receipt.html",
                &json!({
                    "ui": ui(who.lang),
                    "title": "Głos oddany",
                    "r": receipt,
                    "rows": rows,
                    "document": serde_json::to_string_pretty(&receipt).unwrap_or_default(),
                }),
            ))
        }
        Err(AppError::Unauthenticated) => {
            Ok(Redirect::to(&login(&format!("/budzet/{id}/glosuj"))).into_response())
        }
        Err(e) => {
            let (errors, status) = shown(e)?;
            let l = load(&app, &id).await?;
            ballot_page(&app, &who, &l, &errors, status).await
        }
    }
}
