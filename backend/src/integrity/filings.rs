//! Filings and deliveries: each receipt against its signature, the stored submission and
//! its attachments' rows; each attachment's bytes against its hash; each evidence against
//! its signature and the message it names.

use object_store::ObjectStoreExt;
use sea_orm::ConnectionTrait;

use super::{PAGE, Report};
use crate::db::integrity::{self, Filing};
use crate::delivery::EvidenceClaims;
use crate::receipt::ReceiptClaims;
use crate::receipt::claims::{canonical_json, sha3_hex};
use crate::receipt::verify::Published;
use crate::state::AppState;

pub async fn verify(
    app: &AppState,
    jwks: &serde_json::Value,
    attachments: bool,
    report: &mut Report,
) -> anyhow::Result<()> {
    let keys = std::sync::Arc::new(Published::parse(jwks)?);
    let mut after: Option<String> = None;
    loop {
        let page = integrity::filings_after(&app.db, after.as_deref(), PAGE).await?;
        let Some(last) = page.last() else { break };
        after = Some(last.submission.id.clone());
        if attachments {
            for f in &page {
                for a in &f.attachments {
                    stored_bytes(app, a, report).await;
                }
            }
        }
        // the signatures are the CPU's work: off the runtime, beside the next read
        let keys = keys.clone();
        let problems = tokio::task::spawn_blocking(move || {
            let problems: Vec<String> = page
                .iter()
                .flat_map(|f| receipt_problems(&keys, f))
                .collect();
            (page.len() as u64, problems)
        });
        let (n, problems) = problems.await?;
        report.count("receipts", n);
        for p in problems {
            report.problem(p);
        }
    }
    Ok(())
}

/// What is wrong with one filing's receipt: nothing, if it is signed by a published key and
/// attests exactly the stored submission and attachments.
pub fn receipt_problems(keys: &Published, f: &Filing) -> Vec<String> {
    let s = &f.submission;
    let Some(r) = &f.receipt else {
        return vec![format!("submission {}: no receipt", s.id)];
    };
    let claims: ReceiptClaims = match keys.claims(&r.jws) {
        Ok(c) => c,
        Err(e) => return vec![format!("receipt {} of submission {}: {e}", r.id, s.id)],
    };
    let mut out = Vec::new();
    let mut wrong =
        |what: &str| out.push(format!("receipt {} of submission {}: {what}", r.id, s.id));
    if claims.submission_id != s.id || claims.receipt_id != r.id || s.receipt_id != r.id {
        wrong("names another submission or receipt");
    }
    match serde_json::from_str::<serde_json::Value>(&s.data) {
        Ok(data) if sha3_hex(canonical_json(&data).as_bytes()) == claims.digest.submission => {}
        Ok(_) => wrong("the stored submission differs from what the receipt attests"),
        Err(_) => wrong("the stored submission is not JSON"),
    }
    let rows: Vec<(&str, &str, u64, &str)> = f
        .attachments
        .iter()
        .map(|a| {
            (
                a.field.as_str(),
                a.name.as_str(),
                a.size as u64,
                a.sha3_256.as_str(),
            )
        })
        .collect();
    let attested: Vec<(&str, &str, u64, &str)> = claims
        .attachments
        .iter()
        .map(|a| {
            (
                a.field.as_str(),
                a.name.as_str(),
                a.size,
                a.sha3_256.as_str(),
            )
        })
        .collect();
    if rows != attested {
        wrong("the stored attachments differ from those the receipt attests");
    }
    out
}

async fn stored_bytes(
    app: &AppState,
    a: &crate::db::entity::attachment::Model,
    report: &mut Report,
) {
    report.count("attachments", 1);
    let path = object_store::path::Path::from(a.storage_key.as_str());
    let bytes = match app.storage.get(&path).await {
        Ok(got) => got.bytes().await,
        Err(e) => Err(e),
    };
    match bytes {
        Ok(b) if b.len() as i64 == a.size && sha3_hex(&b) == a.sha3_256 => {}
        Ok(_) => report.problem(format!(
            "attachment {} of submission {}: the stored bytes differ from their hash",
            a.id, a.submission_id
        )),
        Err(e) => report.problem(format!(
            "attachment {} of submission {}: not in object storage ({e})",
            a.id, a.submission_id
        )),
    }
}

pub async fn evidences(
    db: &impl ConnectionTrait,
    jwks: &serde_json::Value,
    report: &mut Report,
) -> anyhow::Result<()> {
    let keys = Published::parse(jwks)?;
    let mut after: Option<String> = None;
    loop {
        let page = integrity::evidences_after(db, after.as_deref(), PAGE).await?;
        let Some(last) = page.last() else { break };
        after = Some(last.id.clone());
        for e in &page {
            report.count("evidences", 1);
            match keys.claims::<EvidenceClaims>(&e.jws) {
                Ok(c)
                    if c.sub == e.id
                        && c.message_id == e.message_id
                        && c.code == e.code
                        && c.mailbox == e.mailbox => {}
                Ok(_) => report.problem(format!(
                    "evidence {} ({} of message {}): its signed claims name another evidence",
                    e.id, e.code, e.message_id
                )),
                Err(err) => report.problem(format!(
                    "evidence {} ({} of message {}): {err}",
                    e.id, e.code, e.message_id
                )),
            }
        }
    }
    Ok(())
}
