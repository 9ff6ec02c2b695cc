//! The evidences of letters sent through the national service, brought into their cases:
//! after sending, the outbox polls the letter's evidences until they settle its delivery;
//! a delivery (collected, or deemed under u.d.e. art. 42 ust. 2) becomes the case's
//! `delivered` entry dated at that moment, so every term that runs from delivery (a call
//! to supplement, KPA art. 64 § 2; a fee notice, UDIP art. 15) starts from it.

use serde_json::{Value, json};
use time::{Duration, OffsetDateTime};

use super::evidence::{self, Deadline, Outcome};
use crate::db::{cases, outbox};

/// The outbox job that polls a national letter's evidences.
pub const POLL: &str = "national_evidences";
/// How often a letter's evidences are asked for until they settle its delivery.
const EVERY: Duration = Duration::hours(1);
/// Past this (the 14 days of art. 42 ust. 2 and a margin), polling stops with a warning.
const GIVE_UP_AFTER: Duration = Duration::days(30);

/// Schedules the first poll of a letter sent at `sent_at`, in the sender's transaction.
pub async fn schedule(
    txn: &impl sea_orm::ConnectionTrait,
    case_sign: &str,
    document_id: &str,
    message_id: &str,
    sent_at: OffsetDateTime,
) -> Result<(), sea_orm::DbErr> {
    let job = json!({ "case_sign": case_sign, "document_id": document_id, "message_id": message_id,
        "sent_at": sent_at.unix_timestamp() });
    outbox::enqueue(txn, POLL, &job, sent_at + EVERY).await
}

/// One poll: asks for the letter's evidences; records a settled delivery, or polls again.
pub async fn poll(
    app: &crate::state::AppState,
    p: &Value,
    now: OffsetDateTime,
) -> anyhow::Result<()> {
    let client = app
        .edoreczenia
        .as_ref()
        .ok_or_else(|| anyhow::anyhow!("edoreczenia.base_url is not set on this worker"))?;
    let from = app
        .settings
        .authority
        .ade
        .as_deref()
        .ok_or_else(|| anyhow::anyhow!("authority.ade is not set"))?;
    let message_id = p["message_id"].as_str().unwrap_or_default();
    let found = client.evidences(from, message_id).await?;
    let items: Vec<_> = found.iter().filter_map(evidence::of).collect();
    let sign = p["case_sign"].as_str().unwrap_or_default();
    let document_id = p["document_id"].as_str().unwrap_or_default();
    match evidence::summarise(&items) {
        Some(o) if o.state.is_final() => record(app, sign, document_id, o, now).await,
        _ => {
            let sent_at = p["sent_at"]
                .as_i64()
                .and_then(|t| OffsetDateTime::from_unix_timestamp(t).ok())
                .unwrap_or(now);
            if now - sent_at > GIVE_UP_AFTER {
                tracing::warn!(case.sign = %sign, edoreczenia.message_id = %message_id, "no settled delivery 30 days after sending; polling stops");
                return Ok(());
            }
            use sea_orm::TransactionTrait;
            let txn = app.db.begin().await?;
            outbox::enqueue(&txn, POLL, p, now + EVERY).await?;
            txn.commit().await?;
            Ok(())
        }
    }
}

/// Writes a settled delivery into the case, once: `delivered` at the moment terms run from
/// (with the call's `answer_by` when the letter is a call), or `delivery_failed`.
pub async fn record(
    app: &crate::state::AppState,
    case_sign: &str,
    document_id: &str,
    o: Outcome,
    now: OffsetDateTime,
) -> anyhow::Result<()> {
    use sea_orm::TransactionTrait;
    let Some(case) = cases::by_sign(&app.db, case_sign).await? else {
        return Ok(());
    };
    let txn = app.db.begin().await?;
    let history = cases::history(&txn, &case.id).await?;
    let settled = history.iter().any(|e| {
        matches!(e.action.as_str(), "delivered" | "delivery_failed")
            && e.document_id.as_deref() == Some(document_id)
    });
    if settled {
        return Ok(());
    }
    let (action, at, mut detail) = match o.deadline {
        Deadline::RunsFrom(at) => (
            "delivered",
            at,
            json!({ "how": o.state.as_str(), "channel": "e-doreczenia", "document_id": document_id }),
        ),
        _ => (
            "delivery_failed",
            now,
            json!({ "channel": "e-doreczenia", "document_id": document_id }),
        ),
    };
    if action == "delivered"
        && let Some(answer_by) =
            crate::delivery::call_answer_by(&txn, app, &case, Some(document_id), at).await?
    {
        detail["answer_by"] = json!(answer_by.to_string());
    }
    cases::append(
        &txn,
        &case.id,
        &cases::Actor::system(),
        cases::Entry {
            action,
            status: &case.status,
            detail: &detail,
            at,
            document_id: Some(document_id.to_owned()),
        },
    )
    .await?;
    txn.commit().await?;
    tracing::info!(case.sign = %case.sign, action, "national delivery settled");
    Ok(())
}
