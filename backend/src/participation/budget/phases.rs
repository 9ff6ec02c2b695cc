//! The phases the windows move an edition through, and the results on their day. The
//! worker calls [`advance`] on every pass; each move is a conditional update, so it happens
//! exactly once however many nodes run it, with its history entry in the same transaction.

use sea_orm::TransactionTrait;

use super::phase_of;
use crate::db::budget::editions as store;
use crate::domain::budget::{Edition, Phase};
use crate::state::AppState;

/// Moves every edition whose date has come, and publishes the results of those whose
/// results day has come; returns how many moved.
pub async fn advance(app: &AppState, today: time::Date) -> anyhow::Result<usize> {
    let mut moved = 0;
    for row in store::unfinished(&app.db).await? {
        let Ok(edition) = serde_json::from_str::<Edition>(&row.body) else {
            tracing::error!(budget.edition = %row.id, "stored settings do not parse");
            continue;
        };
        let from = Phase::parse(&row.phase).unwrap_or(Phase::Announced);
        let to = phase_of(&row, &edition, today);
        if to != from {
            let txn = app.db.begin().await?;
            let moved_now = store::move_phase(&txn, &row.id, from, to).await?;
            if moved_now {
                crate::db::participation_history::append(
                    &txn,
                    &row.id,
                    crate::db::participation_history::moved(from.as_str(), to.as_str(), today),
                )
                .await?;
            }
            txn.commit().await?;
            if moved_now {
                tracing::info!(budget.edition = %row.id, from = from.as_str(), to = to.as_str(), "budget edition moved");
                moved += 1;
            }
        }
        if to == Phase::Counting && today >= edition.windows.results_on {
            // read again: the move above changed the row; a failed tally is logged and
            // tried again on the next pass, the other editions go on
            let published = match super::load(app, &row.id).await {
                Ok(l) => super::results::publish(app, &l).await,
                Err(e) => Err(anyhow::anyhow!("{e}")),
            };
            if let Err(e) = published {
                tracing::error!(budget.edition = %row.id, error = %format!("{e:#}"), "budget tally failed");
            }
        }
    }
    Ok(moved)
}
