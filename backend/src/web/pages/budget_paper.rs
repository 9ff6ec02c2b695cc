//! Paper in the participatory budget from the browser, with four eyes (issue 15 §3):
//! `/budzet/{id}/karty` (voting cards, from the first day of voting until the protocol) and
//! `/budzet/{id}/listy` (signatures of paper support lists, during intake and evaluation).
//! A clerk (role `clerk`) or the coordinator types in a card; the same code as the API
//! checks it (`participation::paper::enter` with `budget::paper::{Ballots, Supports}`) and a
//! refusal comes back on the page with what was typed. The page lists what waits for a
//! second clerk, who accepts or rejects each (`POST …/{entry}`); the one who typed it in sees
//! it waiting, without the buttons. Outside its window the page answers the API's 409.

use std::collections::BTreeMap;

use axum::extract::{Path, RawForm, RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde_json::{Value, json};

use super::budget_take_part::ballot_of;
use super::{render, ui};
use crate::db::budget::projects as project_store;
use crate::db::entity::paper_entry;
use crate::domain::budget::{BallotKind, Status};
use crate::domain::identity::Identity;
use crate::error::{AppError, AppResult};
use crate::forms::FieldError;
use crate::participation::budget::paper::{Ballots, Supports};
use crate::participation::budget::{Loaded, load};
use crate::participation::paper::{self, NewCard, Verdict};
use crate::state::AppState;
use crate::web::extract::Requester;

/// Which paper the page is for.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Sheet {
    /// Voting cards.
    Cards,
    /// Signatures of support lists.
    Lists,
}

impl Sheet {
    fn path(self) -> &'static str {
        match self {
            Self::Cards => "karty",
            Self::Lists => "listy",
        }
    }

    /// The projects a sheet names: those on the ballot, or those still collecting supports.
    fn statuses(self) -> &'static [Status] {
        match self {
            Self::Cards => &[Status::Admitted, Status::AdmittedOnAppeal],
            Self::Lists => &[Status::Submitted],
        }
    }

    async fn pending(
        self,
        app: &AppState,
        me: &Identity,
        id: &str,
    ) -> AppResult<Vec<paper_entry::Model>> {
        let pending = Some(crate::db::paper::PENDING);
        match self {
            Self::Cards => paper::list(app, &Ballots, me, id, pending, None, 200).await,
            Self::Lists => paper::list(app, &Supports, me, id, pending, None, 200).await,
        }
    }
}

fn me(who: &Requester) -> AppResult<&Identity> {
    who.identity.as_ref().ok_or(AppError::Unauthenticated)
}

fn pairs(raw: &[u8]) -> Vec<(String, String)> {
    url::form_urlencoded::parse(raw).into_owned().collect()
}

fn value(pairs: &[(String, String)], key: &str) -> String {
    pairs
        .iter()
        .find(|(k, _)| k == key)
        .map_or(String::new(), |(_, v)| v.trim().to_owned())
}

/// What a decided-on sheet's entry says, in words, for the comparison with the paper.
fn summary(sheet: Sheet, data: &Value, titles: &BTreeMap<String, String>) -> String {
    let title = |id: &str| titles.get(id).cloned().unwrap_or_else(|| id.to_owned());
    match sheet {
        Sheet::Lists => title(data["project"].as_str().unwrap_or_default()),
        Sheet::Cards => {
            let mut parts = Vec::new();
            if let Some(area) = data["area"].as_str() {
                parts.push(format!("obszar {area}"));
            }
            if let Some(pools) = data["choices"].as_object() {
                for (pool, picks) in pools {
                    let names: Vec<String> = picks
                        .as_array()
                        .map(Vec::as_slice)
                        .unwrap_or_default()
                        .iter()
                        .map(|p| match p[1].as_u64() {
                            Some(points) if points > 1 => {
                                format!(
                                    "{} ({points} pkt)",
                                    title(p[0].as_str().unwrap_or_default())
                                )
                            }
                            _ => title(p[0].as_str().unwrap_or_default()),
                        })
                        .collect();
                    parts.push(format!("{pool}: {}", names.join(", ")));
                }
            }
            if let Some(status) = data["status"].as_str().filter(|s| *s != "valid") {
                parts.push(format!("karta nieważna ({status})"));
            }
            parts.join("; ")
        }
    }
}

/// How the page is shown: after a refusal (what was typed, the errors) or afresh.
struct Shown<'a> {
    typed: &'a Value,
    errors: &'a [FieldError],
    notice: Option<&'a str>,
    status: StatusCode,
}

async fn page(
    app: &AppState,
    who: &Requester,
    sheet: Sheet,
    id: &str,
    shown: Shown<'_>,
) -> AppResult<Response> {
    let Shown {
        typed,
        errors,
        notice,
        status,
    } = shown;
    let me = me(who)?;
    let pending = sheet.pending(app, me, id).await?;
    let l: Loaded = load(app, id).await?;
    let projects = project_store::with_status(&app.db, &l.row.id, sheet.statuses()).await?;
    let titles: BTreeMap<String, String> = projects
        .iter()
        .map(|p| (p.id.clone(), p.title.clone()))
        .collect();
    let mine = crate::auth::owner_of(me);
    let waiting: Vec<Value> = pending
        .iter()
        .map(|e| {
            let mut v = paper::view(e);
            v["mine"] = json!(e.entered_by == mine);
            v["summary"] = json!(summary(sheet, &v["data"], &titles));
            v
        })
        .collect();
    let pools: Vec<Value> = l
        .edition
        .pools
        .iter()
        .map(|p| {
            let listed: Vec<Value> = projects
                .iter()
                .filter(|x| x.pool_code == p.code)
                .map(|x| {
                    // what a refused card had here, shown again
                    let key = format!("{}:{}", p.code, x.id);
                    let picked = typed["picked"]
                        .as_array()
                        .is_some_and(|a| a.iter().any(|v| v.as_str() == Some(key.as_str())));
                    let points = typed["points"][&key].as_str().unwrap_or_default();
                    json!({ "id": x.id, "title": x.title, "picked": picked, "points": points })
                })
                .collect();
            json!({ "code": p.code, "name": p.name, "ballot": p.ballot,
                    "points": matches!(p.ballot, BallotKind::Points { .. }), "projects": listed })
        })
        .collect();
    let areas: Vec<Value> = app
        .catalogue
        .areas
        .areas
        .iter()
        .map(|a| json!({ "code": a.code, "name": a.name.get(who.lang) }))
        .collect();
    let heading = match sheet {
        Sheet::Cards => "Karty do głosowania",
        Sheet::Lists => "Listy poparcia",
    };
    Ok(render(
        app,
        status,
        "budget/paper.html",
        &json!({
            "ui": ui(who.lang), "title": format!("{heading}: {}", l.edition.title),
            "heading": heading, "cards": sheet == Sheet::Cards, "path": sheet.path(),
            "edition": { "id": l.row.id, "title": l.edition.title },
            "waiting": waiting, "pools": pools, "areas": areas,
            "projects": projects.iter().map(|p| json!({ "id": p.id, "title": p.title })).collect::<Vec<_>>(),
            "typed": {
                "card": typed["card"].as_str().unwrap_or_default(),
                "pesel": typed["pesel"].as_str().unwrap_or_default(),
                "area": typed["area"].as_str().unwrap_or_default(),
                "project": typed["project"].as_str().unwrap_or_default(),
                "declares_residence": typed["declares_residence"].as_bool().unwrap_or(false),
            },
            "errors": errors, "notice": notice,
        }),
    ))
}

/// The page afresh, with the notice of what was just done (`?wpisano`, `?sprawdzono`).
fn fresh(q: Option<&str>) -> Shown<'static> {
    Shown {
        typed: &Value::Null,
        errors: &[],
        notice: notice(q),
        status: StatusCode::OK,
    }
}

fn notice(q: Option<&str>) -> Option<&'static str> {
    match q {
        Some(q) if q.contains("wpisano=") => {
            Some("Wpis został zapisany i czeka na sprawdzenie przez drugiego urzędnika.")
        }
        Some(q) if q.contains("sprawdzono=") => Some("Decyzja została zapisana."),
        _ => None,
    }
}

/// `GET /budzet/{id}/karty`.
pub async fn cards(
    app: State<AppState>,
    who: Requester,
    Path(id): Path<String>,
    RawQuery(q): RawQuery,
) -> AppResult<Response> {
    page(&app, &who, Sheet::Cards, &id, fresh(q.as_deref())).await
}

/// `GET /budzet/{id}/listy`.
pub async fn lists(
    app: State<AppState>,
    who: Requester,
    Path(id): Path<String>,
    RawQuery(q): RawQuery,
) -> AppResult<Response> {
    page(&app, &who, Sheet::Lists, &id, fresh(q.as_deref())).await
}

/// After typing in: back to the page, or the page again with the refusal and what was typed.
async fn entered(
    app: &AppState,
    who: &Requester,
    sheet: Sheet,
    id: &str,
    typed: &Value,
    done: AppResult<paper_entry::Model>,
) -> AppResult<Response> {
    let (errors, status) = match done {
        Ok(_) => {
            let to = format!("/budzet/{id}/{}?wpisano=tak", sheet.path());
            return Ok(Redirect::to(&to).into_response());
        }
        Err(AppError::Validation(out)) => (out.errors, StatusCode::UNPROCESSABLE_ENTITY),
        Err(AppError::Conflict(message)) => (
            vec![FieldError {
                path: "card".into(),
                code: "paper.card".into(),
                message,
            }],
            StatusCode::CONFLICT,
        ),
        Err(e) => return Err(e),
    };
    let shown = Shown {
        typed,
        errors: &errors,
        notice: None,
        status,
    };
    page(app, who, sheet, id, shown).await
}

/// `POST /budzet/{id}/karty`: a voting card as typed in (the ballot page's fields).
pub async fn enter_card(
    app: State<AppState>,
    who: Requester,
    Path(id): Path<String>,
    RawForm(raw): RawForm,
) -> AppResult<Response> {
    let me = me(&who)?;
    let pairs = pairs(&raw);
    let ballot = ballot_of(&pairs);
    let choices: BTreeMap<&String, Vec<Value>> = ballot
        .choices
        .iter()
        .map(|(pool, picks)| {
            let picks = picks
                .iter()
                .map(|c| match c.points {
                    Some(p) => json!({ "project": c.project, "points": p }),
                    None => json!({ "project": c.project }),
                })
                .collect();
            (pool, picks)
        })
        .collect();
    let data = json!({ "declares_residence": ballot.declares_residence, "area": ballot.area, "choices": choices });
    let picked: Vec<String> = pairs
        .iter()
        .filter_map(|(k, v)| k.strip_prefix("wybor:").map(|pool| format!("{pool}:{v}")))
        .collect();
    let points: BTreeMap<String, String> = pairs
        .iter()
        .filter_map(|(k, v)| {
            k.strip_prefix("punkty:")
                .map(|key| (key.to_owned(), v.clone()))
        })
        .collect();
    let typed = json!({ "card": value(&pairs, "card"), "pesel": value(&pairs, "pesel"),
        "declares_residence": ballot.declares_residence, "area": ballot.area.clone().unwrap_or_default(),
        "picked": picked, "points": points });
    let card = value(&pairs, "card");
    let pesel = value(&pairs, "pesel");
    let new = NewCard {
        card: &card,
        pesel: &pesel,
        data: &data,
    };
    let done = paper::enter(&app, &Ballots, me, &id, new).await;
    entered(&app, &who, Sheet::Cards, &id, &typed, done).await
}

/// `POST /budzet/{id}/listy`: one signature of a support list.
pub async fn enter_signature(
    app: State<AppState>,
    who: Requester,
    Path(id): Path<String>,
    RawForm(raw): RawForm,
) -> AppResult<Response> {
    let me = me(&who)?;
    let pairs = pairs(&raw);
    let (card, pesel, project) = (
        value(&pairs, "card"),
        value(&pairs, "pesel"),
        value(&pairs, "project"),
    );
    let typed = json!({ "card": card, "pesel": pesel, "project": project });
    let data = json!({ "project": project });
    let new = NewCard {
        card: &card,
        pesel: &pesel,
        data: &data,
    };
    let done = paper::enter(&app, &Supports, me, &id, new).await;
    entered(&app, &who, Sheet::Lists, &id, &typed, done).await
}

/// The second clerk's accept or reject of `entry` on `sheet`, then back to the sheet.
async fn decide<I: paper::Instrument>(
    app: &AppState,
    who: &Requester,
    inst: &I,
    sheet: Sheet,
    (id, entry): (String, String),
    raw: &[u8],
) -> AppResult<Response> {
    let me = me(who)?;
    let pairs = pairs(raw);
    let reason = value(&pairs, "reason");
    let v = if value(&pairs, "verdict") == "reject" {
        Verdict::Reject { reason: &reason }
    } else {
        Verdict::Accept
    };
    paper::decide(app, inst, me, &id, &entry, v).await?;
    let to = format!("/budzet/{id}/{}?sprawdzono=tak", sheet.path());
    Ok(Redirect::to(&to).into_response())
}

/// `POST /budzet/{id}/karty/{entry}`: the second clerk accepts or rejects a card.
pub async fn decide_card(
    app: State<AppState>,
    who: Requester,
    Path(ids): Path<(String, String)>,
    RawForm(raw): RawForm,
) -> AppResult<Response> {
    decide(&app, &who, &Ballots, Sheet::Cards, ids, &raw).await
}

/// `POST /budzet/{id}/listy/{entry}`: the second clerk accepts or rejects a signature.
pub async fn decide_signature(
    app: State<AppState>,
    who: Requester,
    Path(ids): Path<(String, String)>,
    RawForm(raw): RawForm,
) -> AppResult<Response> {
    decide(&app, &who, &Supports, Sheet::Lists, ids, &raw).await
}
