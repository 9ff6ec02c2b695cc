//! The participatory budget (budżet obywatelski, u.s.g. art. 5a; PARTICIPATION.md §3):
//! editions, pools, projects, evaluation with appeals, ballots, and the tally.
//!
//! Who may do what: the coordinator (role `admin`) sets an edition up from the council's
//! resolution; clerks (role `clerk`) and the coordinator evaluate projects, decide appeals
//! and mark conflict groups; logged-in residents propose, support and vote; everyone reads
//! editions, projects and, once published, the protocol.

pub mod editions;
pub mod evaluation;
pub mod export;
pub mod implementation;
pub mod import;
pub mod pabulib;
pub mod paper;
pub mod phases;
pub mod project_form;
pub mod projects;
pub mod protocol_pdf;
pub mod results;
pub mod signature;
pub mod tally;
pub mod voting;

use crate::db::budget::editions as store;
use crate::db::entity::budget_edition as row;
use crate::domain::budget::{Edition, Phase};
use crate::domain::identity::{Identity, Role};
use crate::domain::ids::EditionId;
use crate::error::{AppError, AppResult};
use crate::state::AppState;

pub use crate::participation::consultations::{actor, refused, today};

/// An edition's row with its settings.
pub struct Loaded {
    pub row: row::Model,
    pub edition: Edition,
}

impl Loaded {
    /// Where the edition is on `today`: its stored phase, moved on by its windows where the
    /// worker has not done so yet.
    pub fn phase(&self, today: time::Date) -> Phase {
        phase_of(&self.row, &self.edition, today)
    }
}

pub fn phase_of(row: &row::Model, edition: &Edition, today: time::Date) -> Phase {
    Phase::parse(&row.phase)
        .unwrap_or(Phase::Announced)
        .at(&edition.windows, today)
}

/// An edition by its id; anything else is a 404. Editions are public from their creation
/// (the council's resolution is).
pub async fn load(app: &AppState, id: &str) -> AppResult<Loaded> {
    let id = EditionId::parse(id).ok_or(AppError::NotFound("budget edition"))?;
    let row = store::find(&app.db, id)
        .await?
        .ok_or(AppError::NotFound("budget edition"))?;
    let edition: Edition = serde_json::from_str(&row.body)
        .map_err(|e| anyhow::anyhow!("budget edition {}: stored settings: {e}", row.id))?;
    Ok(Loaded { row, edition })
}

/// Refuses (401/403) anyone but the coordinator (`admin`).
pub fn coordinator(who: Option<&Identity>) -> AppResult<&Identity> {
    let who = who.ok_or(AppError::Unauthenticated)?;
    if who.has_role(Role::Admin) {
        Ok(who)
    } else {
        Err(AppError::Forbidden(
            "edycję budżetu obywatelskiego ustala tylko jego koordynator (rola admin)".into(),
        ))
    }
}

/// Refuses (401/403) anyone but a clerk or the coordinator.
pub fn office(who: Option<&Identity>) -> AppResult<&Identity> {
    let who = who.ok_or(AppError::Unauthenticated)?;
    if who.has_role(Role::Clerk) || who.has_role(Role::Admin) {
        Ok(who)
    } else {
        Err(AppError::Forbidden(
            "projekty oceniają i odwołania rozstrzygają tylko urzędnicy i koordynator".into(),
        ))
    }
}

/// Refuses (401/403) anyone but a logged-in resident.
pub fn resident(who: Option<&Identity>) -> AppResult<&Identity> {
    let who = who.ok_or(AppError::Unauthenticated)?;
    if who.has_role(Role::Resident) {
        Ok(who)
    } else {
        Err(AppError::Forbidden(
            "biorą udział mieszkańcy zalogowani przez węzeł krajowy".into(),
        ))
    }
}

/// A 409 naming the window an action belongs to and where the edition is.
pub fn outside(action: &str, window: String, phase: Phase) -> AppError {
    AppError::Conflict(format!(
        "{action} {window}; edycja jest teraz na etapie „{}” (`{}`)",
        phase.label(),
        phase.as_str()
    ))
}

/// A person's key in one edition (`participation::keyed`): one person, one support per
/// project and one ballot, and the key means nothing outside the edition.
pub fn person_key(row: &row::Model, who: &Identity) -> AppResult<String> {
    Ok(crate::participation::keyed::person_key(secret(row)?, who))
}

/// The key of the edition's keyed hashes; forgotten once the results are published.
pub fn secret(row: &row::Model) -> AppResult<&str> {
    if row.secret.is_empty() {
        return Err(AppError::Conflict(
            "wyniki edycji są ogłoszone; nic więcej nie można w niej zrobić".into(),
        ));
    }
    Ok(&row.secret)
}
