//! Submissions, their attachments and receipts: written together in one transaction.

use sea_orm::{
    ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, QueryTrait, TransactionTrait,
};

use super::cases::{NewCase, Registered};
use super::entity::{attachment, receipt, submission};

/// Everything one filing writes. The receipt's JWS is made inside the transaction, once
/// registration has given the case its numbers (see `insert`).
pub struct NewFiling {
    pub submission: submission::Model,
    pub attachments: Vec<attachment::Model>,
    pub receipt: receipt::Model,
    pub case: NewCase,
    /// Where to e-mail the filing confirmation (through the outbox), if anywhere.
    pub notice_email: Option<String>,
}

/// Writes a filing atomically: either all its rows exist or none do.
pub async fn insert<F>(
    db: &sea_orm::DatabaseConnection,
    filing: NewFiling,
    sign: F,
) -> Result<Registered, DbErr>
where
    F: FnOnce(&Registered) -> anyhow::Result<String>,
{
    let backend = db.get_database_backend();
    let txn = TransactionTrait::begin(db).await?;
    // what needs no number goes first, with the numbering at its end: the counters' row
    // locks are taken last and held only for the signature and one more statement (two
    // statements in all, each one round trip on PostgreSQL)
    let mut first =
        vec![submission::Entity::insert(to_active_submission(filing.submission)).build(backend)];
    if !filing.attachments.is_empty() {
        first.push(
            attachment::Entity::insert_many(
                filing.attachments.into_iter().map(to_active_attachment),
            )
            .build(backend),
        );
    }
    let registered = super::cases::number(&txn, first, &filing.case).await?;
    let jws = sign(&registered).map_err(|e| DbErr::Custom(format!("signing: {e}")))?;
    let filed_at = filing.case.filed_at;
    let mut rest = super::cases::opening(filing.case, &registered, backend)?;
    if let Some(email) = &filing.notice_email {
        rest.push(super::outbox::job(
            "filing_receipt",
            &serde_json::json!({ "receipt_id": filing.receipt.id, "email": email, "case_sign": registered.sign }),
            filed_at,
            backend,
        ));
    }
    rest.push(
        receipt::Entity::insert(receipt::ActiveModel {
            id: Set(filing.receipt.id),
            submission_id: Set(filing.receipt.submission_id),
            jws: Set(jws),
            created_at: Set(filing.receipt.created_at),
        })
        .build(backend),
    );
    super::execute_all(&txn, rest).await?;
    txn.commit().await?;
    Ok(registered)
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

/// A submission by id, for staff who already passed the case's access check.
pub async fn by_id(
    db: &impl ConnectionTrait,
    id: &str,
) -> Result<Option<submission::Model>, DbErr> {
    submission::Entity::find_by_id(id.to_owned()).one(db).await
}
