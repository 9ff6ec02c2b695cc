//! Closing the loop (PARTICIPATION.md §7): the office follows each winning project's
//! implementation publicly, milestone by milestone, after the results.

use time::Date;

use super::projects::find;
use super::{actor, load, office, outside, refused, today};
use crate::db::budget::milestones as store;
use crate::db::entity::budget_milestone as row;
use crate::db::participation_history::{self as history, Entry};
use crate::domain::budget::{Implementation, Phase, Refusal, Status, TEXT_MAX};
use crate::domain::identity::Identity;
use crate::error::{AppError, AppResult};
use crate::state::AppState;

/// The most milestones a project has.
pub const MAX: u64 = 50;

/// A milestone as the clerk gives it.
pub struct NewMilestone<'a> {
    pub on_day: Date,
    pub state: Implementation,
    pub note: &'a str,
}

pub async fn add(
    app: &AppState,
    who: Option<&Identity>,
    id: &str,
    project: &str,
    m: NewMilestone<'_>,
) -> AppResult<row::Model> {
    let who = office(who)?;
    let l = load(app, id).await?;
    let phase = l.phase(today());
    if phase != Phase::Results {
        return Err(outside(
            "realizację projektów śledzi się",
            format!("po ogłoszeniu wyników ({})", l.edition.windows.results_on),
            phase,
        ));
    }
    let p = find(app, &l, project).await?;
    if p.status != Status::Selected.as_str() {
        return Err(AppError::Conflict(
            "realizację śledzi się dla projektów wybranych w głosowaniu".into(),
        ));
    }
    let mut refusals = Vec::new();
    let note = m.note.trim();
    if note.is_empty() || note.chars().count() > TEXT_MAX {
        refusals.push(Refusal {
            path: "note".into(),
            code: "milestone.note",
            message: format!("opisz etap, od 1 do {TEXT_MAX} znaków"),
        });
    }
    let results = l.edition.windows.results_on;
    if m.on_day < results || m.on_day.year() > results.year() + 10 {
        refusals.push(Refusal {
            path: "on_day".into(),
            code: "milestone.day",
            message: format!(
                "etap przypada po ogłoszeniu wyników ({results}) i najwyżej 10 lat później"
            ),
        });
    }
    if !refusals.is_empty() {
        return Err(refused(refusals));
    }
    if store::count(&app.db, &p.id).await? >= MAX {
        return Err(AppError::Conflict(format!(
            "projekt ma już {MAX} etapów realizacji"
        )));
    }
    let (actor, name) = actor(who);
    let txn = sea_orm::TransactionTrait::begin(&app.db).await?;
    let added = store::add(&txn, &p.id, m.on_day, m.state.as_str(), note, &name).await?;
    history::append(
        &txn,
        &l.row.id,
        Entry {
            actor: &actor,
            actor_name: &name,
            action: "milestone",
            detail: format!("project {}: {} on {}", p.id, m.state.as_str(), m.on_day),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(added)
}
