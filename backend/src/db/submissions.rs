//! Submissions, their attachments and receipts: written together in one transaction.

use sea_orm::{
    ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, QueryTrait, TransactionTrait,
};

use super::cases::{NewCase, Registered};
use super::entity::{attachment, case_event, case_file, outbox, receipt, submission};

/// Everything one filing writes. The receipt's JWS is made inside the transaction, once
/// registration has given the case its numbers (see `insert`).
pub struct NewFiling {
    pub submission: submission::Model,
    pub attachments: Vec<attachment::Model>,
    pub receipt: receipt::Model,
    pub case: NewCase,
    /// Where to e-mail the filing confirmation (through the outbox), if anywhere.
    pub notice_email: Option<String>,
    /// An outside body the filing is sent on to by e-mail (through the outbox): the
    /// voivodeship's crisis centre for a simplified assembly (`crisis_centre.rs`).
    pub forward_to: Option<String>,
    /// The fee the filing owes (issue 21): candidate rows of its debt, each under another
    /// number (`payments::debts::draw`), the first whose number is free written in this
    /// transaction with the case's id as its source. Empty when nothing is owed.
    pub fee: Vec<super::payments::Debt>,
}

/// Signs a filing's receipt once its case is numbered; called again with other numbers if
/// the filing has to be written a second time.
pub type Signer = Box<dyn Fn(&Registered) -> anyhow::Result<String> + Send + Sync>;

/// A filing waiting to be written, with the way to sign its receipt.
pub struct Pending {
    pub filing: NewFiling,
    pub sign: Signer,
}

/// What writing a filing gave it: its numbers and its signed receipt.
#[derive(Debug, Clone)]
pub struct Written {
    pub registered: Registered,
    pub jws: String,
}

/// Writes filings in one transaction: either all their rows exist or none do. The
/// statements are multi-row, so writing many costs the database little more than writing
/// one: two statements in all (one round trip each on PostgreSQL), with the counters' row
/// locks taken in the first one's end and held only for the signatures and the second.
pub async fn insert(
    db: &sea_orm::DatabaseConnection,
    filings: &[&Pending],
) -> Result<Vec<Written>, DbErr> {
    if filings.is_empty() {
        return Ok(vec![]);
    }
    let backend = db.get_database_backend();
    let txn = TransactionTrait::begin(db).await?;
    let mut first = vec![
        submission::Entity::insert_many(
            filings
                .iter()
                .map(|p| to_active_submission(p.filing.submission.clone())),
        )
        .build(backend),
    ];
    let attachments: Vec<attachment::ActiveModel> = filings
        .iter()
        .flat_map(|p| {
            p.filing
                .attachments
                .iter()
                .cloned()
                .map(to_active_attachment)
        })
        .collect();
    if !attachments.is_empty() {
        first.push(attachment::Entity::insert_many(attachments).build(backend));
    }
    let cases: Vec<&NewCase> = filings.iter().map(|p| &p.filing.case).collect();
    let numbers = super::cases::number(&txn, first, &cases).await?;

    let (mut case_rows, mut history, mut jobs, mut receipts, mut written) =
        (vec![], vec![], vec![], vec![], vec![]);
    for (p, registered) in filings.iter().zip(numbers) {
        let jws = (p.sign)(&registered).map_err(|e| DbErr::Custom(format!("signing: {e}")))?;
        let f = &p.filing;
        let (case, entry) = super::cases::opening(&f.case, &registered)?;
        case_rows.push(case);
        history.push(entry);
        if let Some(email) = &f.notice_email {
            jobs.push(super::outbox::new_job(
                "filing_receipt",
                &serde_json::json!({ "receipt_id": f.receipt.id, "email": email, "case_sign": registered.sign }),
                f.case.filed_at,
            ));
        }
        if let Some(to) = &f.forward_to {
            jobs.push(super::outbox::new_job(
                super::outbox::CRISIS_CENTRE_NOTICE,
                &serde_json::json!({ "submission_id": f.submission.id, "receipt_id": f.receipt.id, "to": to, "case_sign": registered.sign }),
                f.case.filed_at,
            ));
        }
        receipts.push(receipt::ActiveModel {
            id: Set(f.receipt.id.clone()),
            submission_id: Set(f.receipt.submission_id.clone()),
            jws: Set(jws.clone()),
            created_at: Set(f.receipt.created_at),
        });
        written.push(Written { registered, jws });
    }
    let mut rest = vec![
        case_file::Entity::insert_many(case_rows).build(backend),
        case_event::Entity::insert_many(history).build(backend),
    ];
    if !jobs.is_empty() {
        rest.push(outbox::Entity::insert_many(jobs).build(backend));
    }
    rest.push(receipt::Entity::insert_many(receipts).build(backend));
    super::execute_all(&txn, rest).await?;
    for (p, w) in filings.iter().zip(&written) {
        open_fee(&txn, &p.filing.fee, &w.registered.case_id).await?;
    }
    txn.commit().await?;
    Ok(written)
}

/// Writes a filing's fee debt under the first free number of its candidates (a statement
/// each, and only for filings that owe one).
async fn open_fee(
    txn: &sea_orm::DatabaseTransaction,
    candidates: &[super::payments::Debt],
    case_id: &str,
) -> Result<(), DbErr> {
    if candidates.is_empty() {
        return Ok(());
    }
    for c in candidates {
        let mut debt = c.clone();
        debt.source_ref = case_id.to_owned();
        if super::payments::insert_debts(txn, std::slice::from_ref(&debt)).await? == 1 {
            return Ok(());
        }
    }
    Err(DbErr::Custom(
        "no free debt number among the fee's candidates".into(),
    ))
}

fn to_active_submission(m: submission::Model) -> submission::ActiveModel {
    submission::ActiveModel {
        id: Set(m.id),
        owner: Set(m.owner),
        service_id: Set(m.service_id),
        service_version: Set(m.service_version),
        definition_hash: Set(m.definition_hash),
        data: Set(m.data),
        applicant: Set(m.applicant),
        identity_level: Set(m.identity_level),
        receipt_id: Set(m.receipt_id),
        idempotency_key: Set(m.idempotency_key),
        request_hash: Set(m.request_hash),
        filed_at: Set(m.filed_at),
    }
}

fn to_active_attachment(m: attachment::Model) -> attachment::ActiveModel {
    attachment::ActiveModel {
        id: Set(m.id),
        submission_id: Set(m.submission_id),
        field: Set(m.field),
        position: Set(m.position),
        name: Set(m.name),
        content_type: Set(m.content_type),
        size: Set(m.size),
        sha3_256: Set(m.sha3_256),
        storage_key: Set(m.storage_key),
    }
}

/// An earlier filing by the same owner with the same idempotency key.
pub async fn find_by_idempotency_key(
    db: &impl ConnectionTrait,
    owner: &str,
    key: &str,
) -> Result<Option<(submission::Model, receipt::Model)>, DbErr> {
    let Some(s) = submission::Entity::find()
        .filter(submission::Column::Owner.eq(owner))
        .filter(submission::Column::IdempotencyKey.eq(key))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let r = receipt::Entity::find_by_id(s.receipt_id.clone())
        .one(db)
        .await?;
    Ok(r.map(|r| (s, r)))
}

/// An earlier anonymous filing with the same stored key (`anon:` and the key's hash),
/// whoever its owner cookie was.
pub async fn find_by_anonymous_key(
    db: &impl ConnectionTrait,
    stored_key: &str,
) -> Result<Option<(submission::Model, receipt::Model)>, DbErr> {
    let Some(s) = submission::Entity::find()
        .filter(submission::Column::IdempotencyKey.eq(stored_key))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let r = receipt::Entity::find_by_id(s.receipt_id.clone())
        .one(db)
        .await?;
    Ok(r.map(|r| (s, r)))
}

/// A receipt with its submission, only for the submission's owner.
pub async fn receipt_owned(
    db: &impl ConnectionTrait,
    receipt_id: &str,
    owner: &str,
) -> Result<Option<(receipt::Model, submission::Model)>, DbErr> {
    let Some(r) = receipt::Entity::find_by_id(receipt_id.to_owned())
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let s = submission::Entity::find_by_id(r.submission_id.clone())
        .filter(submission::Column::Owner.eq(owner))
        .one(db)
        .await?;
    Ok(s.map(|s| (r, s)))
}

pub async fn attachments_of(
    db: &impl ConnectionTrait,
    submission_id: &str,
) -> Result<Vec<attachment::Model>, DbErr> {
    attachment::Entity::find()
        .filter(attachment::Column::SubmissionId.eq(submission_id))
        .order_by_asc(attachment::Column::Field)
        .order_by_asc(attachment::Column::Position)
        .all(db)
        .await
}

/// Which submissions a listing covers.
pub struct Listing<'a> {
    /// One owner's, or (for an API client with `submissions:read`) everyone's.
    pub owner: Option<&'a str>,
    pub service: Option<&'a str>,
}

/// One page of submissions, newest first, after the keyset `(filed_at, id)`. Served by the
/// indexes `(owner, filed_at, id)` and `(filed_at, id)`.
pub async fn list(
    db: &impl ConnectionTrait,
    which: Listing<'_>,
    after: Option<(time::OffsetDateTime, String)>,
    limit: u64,
) -> Result<Vec<submission::Model>, DbErr> {
    let mut q = submission::Entity::find();
    if let Some(owner) = which.owner {
        q = q.filter(submission::Column::Owner.eq(owner));
    }
    if let Some(service) = which.service {
        q = q.filter(submission::Column::ServiceId.eq(service));
    }
    if let Some((at, id)) = after {
        // the range the index can seek to; the OR only trims rows of the same instant
        q = q.filter(submission::Column::FiledAt.lte(at)).filter(
            Condition::any()
                .add(submission::Column::FiledAt.lt(at))
                .add(
                    Condition::all()
                        .add(submission::Column::FiledAt.eq(at))
                        .add(submission::Column::Id.lt(id)),
                ),
        );
    }
    q.order_by_desc(submission::Column::FiledAt)
        .order_by_desc(submission::Column::Id)
        .limit(limit)
        .all(db)
        .await
}

/// The submission a receipt number stands for, for staff who already passed the access
/// check of a case that names it (a correction's `filing` field, checked at filing to be
/// the same owner's filing of the same service).
pub async fn by_receipt(
    db: &impl ConnectionTrait,
    receipt_id: &str,
) -> Result<Option<submission::Model>, DbErr> {
    // by the receipt's primary key, then the submission's: no scan of submissions
    let Some(r) = receipt::Entity::find_by_id(receipt_id.to_owned())
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    submission::Entity::find_by_id(r.submission_id)
        .one(db)
        .await
}

/// A submission by id, for staff who already passed the case's access check.
pub async fn by_id(
    db: &impl ConnectionTrait,
    id: &str,
) -> Result<Option<submission::Model>, DbErr> {
    submission::Entity::find_by_id(id.to_owned()).one(db).await
}
