//! The phases the dates move a consultation through: draft → announced → open → closed.
//! The worker calls [`advance`] on every pass; each move is a conditional update, so it
//! happens exactly once however many nodes run it. (Closed → reported is the report's;
//! reported → archived is the worker's again, on the `archives_on` the report set.)

use sea_orm::TransactionTrait;

use super::{dates_of, phase_of};
use crate::db::consultations as store;
use crate::domain::consultation::Phase;

/// Moves every published consultation whose date has come; returns how many moved.
pub async fn advance(
    db: &sea_orm::DatabaseConnection,
    today: time::Date,
) -> Result<usize, sea_orm::DbErr> {
    let mut moved = 0;
    for c in store::due_to_move(db, today).await? {
        let from = Phase::parse(&c.phase).unwrap_or(Phase::Draft);
        let to = phase_of(&c, today);
        if to == from {
            continue;
        }
        // the move and its history entry together, or neither
        let txn = db.begin().await?;
        let moved_now = store::move_phase(&txn, &c.id, from, to).await?;
        if moved_now
            && from == Phase::Draft
            && let Some(body) = super::stored_body(&txn, &c).await?
        {
            // out of draft on its announcement day: its subscribers hear of it
            super::subscriptions::announce(&txn, &c, &body, crate::db::now()).await?;
        }
        if moved_now && to == Phase::Closed {
            // the statistics are fixed with the close, in its transaction
            super::statistics::fix(&txn, &c, today).await?;
            // an anonymous consultation's answers leave the order they came in
            if super::stored_body(&txn, &c)
                .await?
                .is_some_and(|b| b.anonymous)
            {
                store::shuffle_answers(&txn, &c.id).await?;
            }
        }
        if moved_now {
            record_move(&txn, &c.id, (from, to), today).await?;
        }
        txn.commit().await?;
        if moved_now {
            tracing::info!(consultation.id = %c.id, from = from.as_str(), to = to.as_str(), closes_on = %dates_of(&c).closes_on, "consultation moved");
            moved += 1;
        }
    }
    Ok(moved + archive(db, today).await?)
}

/// Archives every reported consultation whose `archives_on` has come, each once.
async fn archive(
    db: &sea_orm::DatabaseConnection,
    today: time::Date,
) -> Result<usize, sea_orm::DbErr> {
    let (from, to) = (Phase::Reported, Phase::Archived);
    let mut moved = 0;
    for c in store::due_to_archive(db, today).await? {
        let txn = db.begin().await?;
        if !store::archive(&txn, &c.id).await? {
            continue;
        }
        record_move(&txn, &c.id, (from, to), today).await?;
        txn.commit().await?;
        tracing::info!(consultation.id = %c.id, archives_on = ?c.archives_on, "consultation archived");
        moved += 1;
    }
    Ok(moved)
}

/// The worker's move in the consultation's history, in the move's transaction.
async fn record_move(
    txn: &impl sea_orm::ConnectionTrait,
    id: &str,
    (from, to): (Phase, Phase),
    today: time::Date,
) -> Result<(), sea_orm::DbErr> {
    crate::db::participation_history::append(
        txn,
        id,
        crate::db::participation_history::moved(from.as_str(), to.as_str(), today),
    )
    .await
}
