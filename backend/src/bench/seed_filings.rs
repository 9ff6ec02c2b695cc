//! `okienko bench seed-filings`: filings as `okienko verify` finds them after a peak, for
//! timing it at scale (docs/performance.md). Each is a submission with one attachment row,
//! a receipt signed by the node's key over its digest and attachment, and a case with its
//! first history entry hashed into its chain: what verify reads and checks for a filing.
//! The attachment rows all name one stored file (verify reads it each time, as it would
//! read each filing's own); the cases are numbered in year 2098, apart from okienko's.

use std::time::Instant;

use object_store::ObjectStoreExt;
use sea_orm::{EntityTrait, TransactionTrait};

use crate::db::cases::{GENESIS, entry_hash};
use crate::db::entity::{attachment, case_event, case_file, receipt, submission};
use crate::receipt::ReceiptClaims;
use crate::receipt::claims::{
    Applicant, AttachmentRef, Authority, Digest3, Registration, ServiceRef, canonical_json,
    sha3_hex,
};
use crate::state::AppState;

const BATCH: u64 = 1000;
const YEAR: i32 = 2098;
const FILE_KEY: &str = "bench/seed-attachment.pdf";
const FILE: &[u8] = b"%PDF-1.4\n% okienko bench seed-filings\n%%EOF\n";

/// Writes `rows` filings after those already seeded; prints the pace.
pub async fn seed_filings(app: &AppState, rows: u64) -> anyhow::Result<()> {
    app.storage
        .put(
            &object_store::path::Path::from(FILE_KEY),
            FILE.to_vec().into(),
        )
        .await?;
    let sha = sha3_hex(FILE);
    let t = Instant::now();
    let mut done = 0;
    while done < rows {
        let n = BATCH.min(rows - done);
        let batch: Vec<Filing> = (done..done + n)
            .map(|i| filing(app, i, &sha))
            .collect::<anyhow::Result<_>>()?;
        let txn = app.db.begin().await?;
        submission::Entity::insert_many(
            batch
                .iter()
                .map(|f| submission::ActiveModel::from(f.submission.clone())),
        )
        .exec_without_returning(&txn)
        .await?;
        attachment::Entity::insert_many(
            batch
                .iter()
                .map(|f| attachment::ActiveModel::from(f.attachment.clone())),
        )
        .exec_without_returning(&txn)
        .await?;
        receipt::Entity::insert_many(
            batch
                .iter()
                .map(|f| receipt::ActiveModel::from(f.receipt.clone())),
        )
        .exec_without_returning(&txn)
        .await?;
        case_file::Entity::insert_many(
            batch
                .iter()
                .map(|f| case_file::ActiveModel::from(f.case.clone())),
        )
        .exec_without_returning(&txn)
        .await?;
        case_event::Entity::insert_many(
            batch
                .iter()
                .map(|f| case_event::ActiveModel::from(f.event.clone())),
        )
        .exec_without_returning(&txn)
        .await?;
        txn.commit().await?;
        done += n;
        if done % 100_000 == 0 || done == rows {
            println!("{done} filings in {:.0} s", t.elapsed().as_secs_f64());
        }
    }
    Ok(())
}

struct Filing {
    submission: submission::Model,
    attachment: attachment::Model,
    receipt: receipt::Model,
    case: case_file::Model,
    event: case_event::Model,
}

fn filing(app: &AppState, i: u64, sha: &str) -> anyhow::Result<Filing> {
    let id = uuid::Uuid::now_v7();
    let submission_id = id.to_string();
    let receipt_id = format!("UPO-{YEAR}-{}", id.simple().to_string().to_uppercase());
    // whole seconds: as the database gives it back
    let now = time::OffsetDateTime::now_utc();
    let at = now.replace_nanosecond(0).unwrap_or(now);
    let data = serde_json::json!({ "seed": i, "subject": "Wniosek", "note": "bench seed-filings" });
    let seq = i32::try_from(i + 1)?;
    let sign = format!("FN.3120.{seq}.{YEAR}");
    let rfc3339 = at
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default();
    let claims = ReceiptClaims {
        iss: app.settings.base_url(),
        sub: receipt_id.clone(),
        iat: at.unix_timestamp(),
        receipt_id: receipt_id.clone(),
        submission_id: submission_id.clone(),
        authority: Authority {
            name: app.settings.authority.name.clone(),
            ade: None,
        },
        applicant: Applicant {
            name: Some("Mieszkaniec Testowy".into()),
            pesel: None,
            level: "substantial".into(),
        },
        service: ServiceRef {
            id: "bench-seed".into(),
            version: 1,
            title: "bench".into(),
            definition_hash: "seed".into(),
        },
        filed_at: rfc3339.clone(),
        generated_at: rfc3339,
        digest: Digest3 {
            alg: "SHA3-256".into(),
            submission: sha3_hex(canonical_json(&data).as_bytes()),
        },
        attachments: vec![AttachmentRef {
            field: "attachments".into(),
            name: "seed.pdf".into(),
            size: FILE.len() as u64,
            sha3_256: sha.to_owned(),
        }],
        registration: Some(Registration {
            register_no: format!("{seq}/{YEAR}"),
            case_sign: sign.clone(),
            due_on: "2098-12-31".into(),
            access_code: "seed".into(),
        }),
    };
    let jws = crate::receipt::verify::sign(&app.keys, &claims)?;
    let case_id = uuid::Uuid::now_v7().to_string();
    let mut event = case_event::Model {
        id: uuid::Uuid::now_v7().to_string(),
        case_id: case_id.clone(),
        seq: 1,
        at,
        actor: "system".into(),
        actor_name: "okienko".into(),
        position: "system".into(),
        action: "register".into(),
        status: "registered".into(),
        detail: serde_json::json!({ "register_no": format!("{seq}/{YEAR}"), "sign": sign })
            .to_string(),
        document_id: None,
        prev_hash: GENESIS.to_owned(),
        hash: String::new(),
    };
    event.hash = entry_hash(GENESIS, &event);
    let day = at.date();
    Ok(Filing {
        submission: submission::Model {
            id: submission_id.clone(),
            owner: format!("seed-{}", i % 1000),
            service_id: "bench-seed".into(),
            service_version: 1,
            definition_hash: "seed".into(),
            data: data.to_string(),
            applicant: "{}".into(),
            identity_level: "substantial".into(),
            receipt_id: receipt_id.clone(),
            idempotency_key: None,
            request_hash: "seed".into(),
            filed_at: at,
        },
        attachment: attachment::Model {
            id: uuid::Uuid::now_v7().to_string(),
            submission_id: submission_id.clone(),
            field: "attachments".into(),
            position: 0,
            name: "seed.pdf".into(),
            content_type: "application/pdf".into(),
            size: FILE.len() as i64,
            sha3_256: sha.to_owned(),
            storage_key: FILE_KEY.into(),
        },
        receipt: receipt::Model {
            id: receipt_id,
            submission_id: submission_id.clone(),
            jws,
            created_at: at,
        },
        case: case_file::Model {
            id: case_id,
            sign,
            unit: "FN".into(),
            jrwa: "3120".into(),
            seq,
            year: YEAR,
            register_no: seq,
            submission_id,
            service_id: "bench-seed".into(),
            owner: format!("seed-{}", i % 1000),
            status: "registered".into(),
            outcome: None,
            assignee: None,
            term: "P1M".into(),
            started_on: day,
            due_on: day,
            term_end: None,
            paused_days: 0,
            paused_since: None,
            access_code_hash: "seed".into(),
            decided_at: None,
            version: 1,
            filed_at: at,
            updated_at: at,
        },
        event,
    })
}
