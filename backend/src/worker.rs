//! The worker: drains the outbox. `okienko worker` runs it in production (any number of
//! them beside the web nodes); `okienko serve` in development runs one inside.

use std::time::Duration as StdDuration;

use serde_json::Value;
use time::{Duration, OffsetDateTime};

use crate::db::entity::outbox;
use crate::db::{mailboxes, outbox as jobs};
use crate::state::AppState;

/// Does every job due at `now` once; returns how many succeeded. `now` is a parameter so
/// that tests can move the clock to day 14. The jobs of a claimed batch run side by side
/// (e-mails wait on the SMTP server, not on us) and are marked done together.
pub async fn run_due(app: &AppState, now: OffsetDateTime) -> anyhow::Result<usize> {
    // consultations move at their dates (in Polish legal time) on every pass
    let today = crate::domain::clock::in_poland(now).date();
    if let Err(e) = crate::participation::consultations::phases::advance(&app.db, today).await {
        // the outbox goes on; the next pass tries the moves again
        tracing::error!(error = %e, "moving consultations failed");
    }
    // budget editions too, and their results on the results day
    if let Err(e) = crate::participation::budget::phases::advance(app, today).await {
        tracing::error!(error = %format!("{e:#}"), "moving budget editions failed");
    }
    let mut done = 0;
    loop {
        let batch = jobs::claim(&app.db, now, Duration::minutes(5), BATCH).await?;
        if batch.is_empty() {
            return Ok(done);
        }
        // one message's jobs (notice, reminders, deemed delivery) stay in due order
        let mut groups: indexmap::IndexMap<String, Vec<outbox::Model>> = indexmap::IndexMap::new();
        for job in batch {
            let key = serde_json::from_str::<Value>(&job.payload)
                .ok()
                .and_then(|p| p["message_id"].as_str().map(str::to_owned))
                .unwrap_or_else(|| job.id.clone());
            groups.entry(key).or_default().push(job);
        }
        let mut running = tokio::task::JoinSet::new();
        for (_, group) in groups {
            let app = app.clone();
            running.spawn(async move {
                let mut results = Vec::new();
                for job in group {
                    let result = run(&app, &job, now).await;
                    results.push((job, result));
                }
                results
            });
        }
        let mut finished = Vec::new();
        while let Some(joined) = running.join_next().await {
            finished.extend(joined?);
        }
        let mut succeeded = Vec::new();
        for (job, result) in finished {
            match result {
                Ok(()) => succeeded.push(job.id),
                Err(e) => {
                    tracing::warn!(job.kind = %job.kind, job.id = %job.id, attempts = job.attempts, error = %format!("{e:#}"), "outbox job failed; will retry");
                    metrics::counter!("okienko_outbox_failures_total", "kind" => job.kind.clone())
                        .increment(1);
                    jobs::failed(&app.db, &job, &format!("{e:#}"), now).await?;
                }
            }
        }
        jobs::done(&app.db, &succeeded, now).await?;
        done += succeeded.len();
    }
}

/// Jobs claimed at a time, and so run side by side at most.
const BATCH: u64 = 32;

async fn run(app: &AppState, job: &outbox::Model, now: OffsetDateTime) -> anyhow::Result<()> {
    let p: Value = serde_json::from_str(&job.payload)?;
    if job.kind == "filing_receipt" {
        let email = p["email"].as_str().unwrap_or_default();
        let receipt = p["receipt_id"].as_str().unwrap_or_default();
        let sign = p["case_sign"].as_str().unwrap_or_default();
        return crate::mail::filing_receipt(app, email, receipt, sign).await;
    }
    if job.kind == jobs::CRISIS_CENTRE_NOTICE {
        return crate::crisis_centre::send(app, &p).await;
    }
    if job.kind == crate::edoreczenia::letters::NATIONAL_LETTER {
        return crate::edoreczenia::letters::send(app, &p, now).await;
    }
    if job.kind == crate::participation::consultations::subscriptions::ANNOUNCEMENT {
        return crate::participation::consultations::subscriptions::send(app, &p).await;
    }
    if job.kind == crate::edoreczenia::polling::POLL {
        return crate::edoreczenia::polling::poll(app, &p, now).await;
    }
    let message_id = p["message_id"].as_str().unwrap_or_default();
    let mailbox = p["mailbox"].as_str().unwrap_or_default();
    let Some((copy, message)) = mailboxes::copy_in(&app.db, mailbox, message_id).await? else {
        return Ok(()); // the message is gone: nothing to do
    };
    match job.kind.as_str() {
        "notice" | "reminder" | "last_call" => {
            // reminders only for what is still unopened
            if job.kind != "notice" && copy.status != "awaiting" {
                return Ok(());
            }
            let Some(mb) = mailboxes::by_address(&app.db, mailbox).await? else {
                return Ok(());
            };
            let Some(email) = mb.email.as_deref().filter(|e| !e.is_empty()) else {
                return Ok(()); // no e-mail address: the mailbox itself is the channel
            };
            crate::mail::notice(app, email, &job.kind, &mb, &message, &copy).await?;
            Ok(())
        }
        "deemed_delivery" => {
            use sea_orm::TransactionTrait;
            // deemed delivered on the 15th day after it became available (u.d.e. art. 42
            // ust. 2), not when the worker happened to run
            let at = crate::delivery::deemed_at(&copy);
            if at > now {
                anyhow::bail!("not due before {at}");
            }
            let txn = app.db.begin().await?;
            crate::delivery::mark_delivered(&txn, app, &copy, &message, "deemed", at).await?;
            txn.commit().await?;
            Ok(())
        }
        other => anyhow::bail!("unknown job kind `{other}`"),
    }
}

/// Runs forever, every few seconds; errors are logged and the loop goes on.
pub async fn run_forever(app: AppState) {
    let mut every = tokio::time::interval(StdDuration::from_secs(5));
    loop {
        every.tick().await;
        if let Err(e) = run_due(&app, OffsetDateTime::now_utc()).await {
            tracing::error!(error = %format!("{e:#}"), "worker pass failed");
        }
    }
}
