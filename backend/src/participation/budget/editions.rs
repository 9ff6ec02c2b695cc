//! Setting an edition up from the council's resolution, and changing it until the first
//! ballot. Every save runs the validators of `domain::budget` (each refusal names its
//! article or ruling); once a ballot is cast the rules are frozen and a change is refused.

use super::{Loaded, actor, coordinator, load, refused};
use crate::db::budget::{editions as store, projects};
use crate::db::participation_history::{self as history, Entry};
use crate::domain::budget::{Edition, Refusal, Status};
use crate::domain::identity::Identity;
use crate::domain::ids::EditionId;
use crate::error::{AppError, AppResult};
use crate::state::AppState;

fn check(app: &AppState, e: &Edition) -> AppResult<()> {
    let refusals = e.check(&app.catalogue.areas);
    if refusals.is_empty() {
        Ok(())
    } else {
        Err(refused(refusals))
    }
}

pub async fn create(app: &AppState, who: Option<&Identity>, e: &Edition) -> AppResult<Loaded> {
    let who = coordinator(who)?;
    check(app, e)?;
    let id = EditionId::new();
    let txn = sea_orm::TransactionTrait::begin(&app.db).await?;
    let row = store::create(
        &txn,
        id,
        &crate::auth::owner_of(who),
        &crate::auth::random_token(),
        e,
    )
    .await?;
    let (actor, name) = actor(who);
    history::append(
        &txn,
        &row.id,
        Entry {
            actor: &actor,
            actor_name: &name,
            action: "created",
            detail: format!(
                "from resolution {}; rule {}",
                e.legal_basis.resolution,
                serde_json::to_string(&e.rule).unwrap_or_default()
            ),
        },
    )
    .await?;
    txn.commit().await?;
    tracing::info!(budget.edition = %row.id, "budget edition created");
    Ok(Loaded {
        row,
        edition: e.clone(),
    })
}

/// A new version of the settings; `version` is the one the coordinator edited.
pub async fn edit(
    app: &AppState,
    who: Option<&Identity>,
    id: &str,
    version: Option<i32>,
    e: &Edition,
) -> AppResult<Loaded> {
    let who = coordinator(who)?;
    let current = load(app, id).await?;
    if let Some(frozen) = current.row.frozen_at {
        return Err(frozen_since(frozen));
    }
    if version.is_some_and(|v| v != current.row.version) {
        return Err(AppError::Conflict(format!(
            "edycję w międzyczasie zmieniono (jest w wersji {}); wczytaj ją ponownie",
            current.row.version
        )));
    }
    check(app, e)?;
    // a pool that projects were proposed to stays
    let proposed = projects::with_status(&app.db, &current.row.id, &Status::ALL).await?;
    let orphaned: Vec<Refusal> = proposed
        .iter()
        .filter(|p| e.pool(&p.pool_code).is_none())
        .map(|p| Refusal {
            path: "pools".into(),
            code: "pool.has_projects",
            message: format!(
                "w puli {} zgłoszono projekt „{}”: nie można jej usunąć",
                p.pool_code, p.title
            ),
        })
        .collect();
    if !orphaned.is_empty() {
        return Err(refused(orphaned));
    }
    let txn = sea_orm::TransactionTrait::begin(&app.db).await?;
    if !store::update(&txn, &current.row, e).await? {
        // a ballot came in, or another save, between reading and writing
        let now = load(app, id).await?;
        return Err(match now.row.frozen_at {
            Some(frozen) => frozen_since(frozen),
            None => {
                AppError::Conflict("edycję w międzyczasie zmieniono; wczytaj ją ponownie".into())
            }
        });
    }
    let (actor, name) = actor(who);
    history::append(
        &txn,
        &current.row.id,
        Entry {
            actor: &actor,
            actor_name: &name,
            action: "edited",
            detail: format!("version {}", current.row.version + 1),
        },
    )
    .await?;
    txn.commit().await?;
    load(app, id).await
}

/// The refusal of a change after the first ballot: the vote is equal only if its rules
/// are the same for every voter.
fn frozen_since(at: time::OffsetDateTime) -> AppError {
    AppError::Conflict(format!(
        "zasady głosowania zamrożono przy pierwszym głosie, {}: ich zmiana naruszyłaby równość głosowania (art. 5a ust. 7 pkt 4 u.s.g.)",
        crate::domain::clock::in_poland(at).date()
    ))
}
