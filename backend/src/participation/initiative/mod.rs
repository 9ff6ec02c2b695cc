//! The citizens' legislative initiative (u.s.g. art. 41a; docs/initiative.md): a committee
//! of residents registers a draft resolution, residents with the right to vote for the
//! council support it (online, once each, by a keyed hash), the committee files it at the
//! threshold, and the office verifies every support against the voters' register.
//!
//! Who may do what: any logged-in resident registers one (and is its representative);
//! initiatives are public from registration; residents support it while it collects; its
//! representative files it; clerks and administrators verify the supports.

pub mod file;
pub mod paper;
pub mod register;
pub mod support;
pub mod verify;

use crate::db::entity::initiative as row;
use crate::domain::clock;
use crate::domain::identity::{Identity, Role};
use crate::error::{AppError, AppResult};
use crate::state::AppState;

/// Today in Polish legal time.
pub fn today() -> time::Date {
    clock::in_poland(time::OffsetDateTime::now_utc()).date()
}

/// An initiative by id; an unknown or malformed id is a 404.
pub async fn find(app: &AppState, id: &str) -> AppResult<row::Model> {
    if uuid::Uuid::try_parse(id).is_err() {
        return Err(AppError::NotFound("initiative"));
    }
    crate::db::initiatives::find(&app.db, id)
        .await?
        .ok_or(AppError::NotFound("initiative"))
}

/// Refuses (401/403) anyone but a clerk or an administrator.
pub fn office(who: Option<&Identity>) -> AppResult<&Identity> {
    let who = who.ok_or(AppError::Unauthenticated)?;
    if who.has_role(Role::Clerk) || who.has_role(Role::Admin) {
        Ok(who)
    } else {
        Err(AppError::Forbidden("poparcia sprawdzają urzędnicy".into()))
    }
}

/// A person's key in one initiative (`participation::keyed`): the same person online and
/// on a paper list meets here, and the key means nothing outside this initiative.
pub fn supporter_key(secret: &str, pesel: &crate::domain::pesel::Pesel) -> String {
    crate::participation::keyed::key(secret, &crate::participation::keyed::Subject::Pesel(pesel))
}
