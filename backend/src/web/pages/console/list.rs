//! `/konsole/konsultacje`: the councillors' and the coordinator's console, consultations by
//! phase (a councillor's own drafts and every published one; the coordinator's: all),
//! with how many took part, a page at a time.

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use serde_json::{Value, json};

use super::super::{render, ui};
use crate::db::consultations as store;
use crate::domain::consultation::Phase;
use crate::domain::identity::Role;
use crate::error::{AppError, AppResult};
use crate::participation::consultations::coordinator;
use crate::state::AppState;
use crate::web::cursor;
use crate::web::extract::Requester;

#[derive(Debug, Deserialize)]
pub struct ListQuery {
    pub faza: Option<String>,
    pub po: Option<String>,
}

/// The phases as the console names them.
pub const PHASES: [(Phase, &str); 6] = [
    (Phase::Draft, "Projekty"),
    (Phase::Announced, "Ogłoszone"),
    (Phase::Open, "Trwające"),
    (Phase::Closed, "Zakończone"),
    (Phase::Reported, "Z raportem"),
    (Phase::Archived, "W archiwum"),
];

pub async fn get(
    app: State<AppState>,
    who: Requester,
    Query(q): Query<ListQuery>,
) -> AppResult<Response> {
    let me = coordinator(who.identity.as_ref())?;
    let phase = match q.faza.as_deref() {
        None | Some("") => Phase::Open,
        Some(p) => Phase::parse(p).ok_or_else(|| AppError::bad_request("faza", "nieznana faza"))?,
    };
    let after = cursor::decode::<time::Date>(q.po.as_deref())?;
    let author = (!me.has_role(Role::Admin)).then(|| crate::auth::owner_of(me));
    let rows = store::console(&app.db, phase, author.as_deref(), after, 51).await?;
    let (page, next) = cursor::page(rows, 50, |c| (c.opens_on, c.id.clone()));
    let mut items = Vec::new();
    for c in &page {
        let (online, paper) = store::count_by_channel(&app.db, &c.id).await?;
        items.push(json!({
            "id": c.id, "subject": c.subject, "kind": c.kind,
            "opens_on": c.opens_on.to_string(), "closes_on": c.closes_on.to_string(),
            "online": online, "paper": paper,
        }));
    }
    let tabs: Vec<Value> = PHASES
        .iter()
        .map(|(p, label)| json!({ "phase": p.as_str(), "label": label, "current": *p == phase }))
        .collect();
    let label = PHASES
        .iter()
        .find(|(p, _)| *p == phase)
        .map_or("", |(_, l)| *l);
    Ok(render(
        &app,
        StatusCode::OK,
        "console_consultations.html",
        &json!({
            "ui": ui(who.lang), "title": "Konsola konsultacji", "tabs": tabs,
            "phase": phase.as_str(), "phase_label": label, "items": items, "next": next,
        }),
    ))
}
