//! The council (issue 16 §2 and §2b, docs/council.md): its committee for complaints,
//! motions and petitions working the council's cases (u.s.g. art. 18b), the calendar of
//! sessions the council office keeps, and the session itself with electronic votes (art.
//! 14), every change in the session's hash-chained history (`participation_event`).
//!
//! Who is who comes from the settings (`council`): the members, each with the account they
//! log in with, the committee's members and the chair; the council office is the clerks of
//! `council.office_unit`.

pub mod agenda;
pub mod committee;
pub mod live;
pub mod resolution;
pub mod room;
pub mod view;

use sea_orm::ConnectionTrait;

use crate::config::Councillor;
use crate::db::cases::Actor;
use crate::db::entity::council_session as session;
use crate::domain::identity::{Identity, Role};
use crate::domain::ids::SessionId;
use crate::error::{AppError, AppResult};
use crate::state::AppState;

/// The account a person logs in with, as the settings name councillors: `provider:subject`.
pub fn login_of(id: &Identity) -> String {
    format!("{}:{}", id.provider, id.subject)
}

/// A member of the council logged in with the councillor role; anyone else is refused.
pub fn councillor<'a>(app: &'a AppState, who: Option<&Identity>) -> AppResult<&'a Councillor> {
    let id = who.ok_or(AppError::Unauthenticated)?;
    if !id.has_role(Role::Councillor) {
        return Err(AppError::Forbidden(
            "to jest dla radnych: zaloguj się kontem radnego (rola councillor)".into(),
        ));
    }
    app.settings.council.member(&login_of(id)).ok_or_else(|| {
        AppError::Forbidden(
            "to konto nie należy do żadnego z członków rady (ustawienie council.members)".into(),
        )
    })
}

/// How the history and letters name a councillor.
pub fn councillor_actor(c: &Councillor, position: &str) -> Actor {
    Actor {
        id: c.login.clone(),
        name: c.name.clone(),
        position: position.to_owned(),
    }
}

/// The council office: clerks of `council.office_unit`, and administrators.
pub fn office(app: &AppState, who: Option<&Identity>) -> AppResult<Actor> {
    let id = who.ok_or(AppError::Unauthenticated)?;
    let admin = id.has_role(Role::Admin);
    let clerk = id.has_role(Role::Clerk)
        && id.unit.as_deref() == Some(app.settings.council.office_unit.as_str());
    if !(admin || clerk) {
        return Err(AppError::Forbidden(
            "kalendarz sesji prowadzi biuro rady (pracownicy komórki council.office_unit)".into(),
        ));
    }
    Ok(Actor {
        id: login_of(id),
        name: id.full_name(),
        position: if admin { "administrator" } else { "biuro rady" }.into(),
    })
}

/// A member of the committee for complaints, motions and petitions (u.s.g. art. 18b), or
/// the council office that serves it.
pub fn committee_or_office(app: &AppState, who: Option<&Identity>) -> AppResult<Actor> {
    if let Ok(actor) = office(app, who) {
        return Ok(actor);
    }
    let c = councillor(app, who)?;
    if !c.committee {
        return Err(AppError::Forbidden(
            "to jest dla członków komisji skarg, wniosków i petycji (art. 18b ustawy o samorządzie gminnym)".into(),
        ));
    }
    Ok(councillor_actor(
        c,
        "członek komisji skarg, wniosków i petycji",
    ))
}

/// The chair of `s`: the one the office named for it, else the council's chair.
pub fn chair_of<'a>(
    council: &'a crate::config::Council,
    s: &session::Model,
) -> Option<&'a Councillor> {
    match &s.chair {
        Some(login) => council.member(login),
        None => council.members.iter().find(|m| m.chair),
    }
}

/// The session `id`, or 404 (an id that is not one is a 404 too).
pub async fn session(app: &AppState, id: &str) -> AppResult<session::Model> {
    let id = SessionId::parse(id).ok_or(AppError::NotFound("session"))?;
    crate::db::council::session(&app.db, &id.to_string())
        .await?
        .ok_or(AppError::NotFound("session"))
}

/// Appends to the session's history (the caller holds the session's lock).
pub async fn record(
    txn: &impl ConnectionTrait,
    session_id: &str,
    actor: &Actor,
    action: &str,
    detail: serde_json::Value,
) -> AppResult<()> {
    record_all(txn, session_id, &[(actor.clone(), action, detail)]).await
}

/// Appends several entries to the session's history in their order (the caller holds the
/// session's lock): each `(actor, action, detail)`.
pub async fn record_all(
    txn: &impl ConnectionTrait,
    session_id: &str,
    entries: &[(Actor, &str, serde_json::Value)],
) -> AppResult<()> {
    let entries = entries
        .iter()
        .map(
            |(actor, action, detail)| crate::db::participation_history::Entry {
                actor: &actor.id,
                actor_name: &actor.name,
                action,
                detail: detail.to_string(),
            },
        )
        .collect();
    crate::db::participation_history::append_all(txn, session_id, entries).await?;
    Ok(())
}

/// A text a person typed: trimmed, not empty, at most `max` characters; the refusal names
/// the field.
pub fn text<'a>(raw: &'a str, field: &'static str, max: usize) -> AppResult<&'a str> {
    let t = raw.trim();
    if t.is_empty() {
        return Err(AppError::bad_request(field, format!("podaj `{field}`")));
    }
    if t.chars().count() > max {
        return Err(AppError::bad_request(
            field,
            format!("`{field}` może mieć najwyżej {max} znaków"),
        ));
    }
    Ok(t)
}
