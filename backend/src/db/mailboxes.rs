//! Mailboxes, messages, each holder's copy, and evidences. Runs in the caller's transaction.

use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect,
};
use time::OffsetDateTime;

use super::entity::{evidence, mailbox, message, message_copy};

/// The mailbox of `owner`, created with a fresh address on first use.
pub async fn ensure(
    txn: &impl ConnectionTrait,
    kind: &str,
    owner: &str,
    name: &str,
    email: Option<&str>,
    new_address: impl Fn() -> String,
) -> Result<mailbox::Model, DbErr> {
    if let Some(m) = by_owner(txn, owner).await? {
        return Ok(m);
    }
    // a random address may (very rarely) be taken: try again with another
    for _ in 0..5 {
        let address = new_address();
        if mailbox::Entity::find_by_id(address.clone())
            .one(txn)
            .await?
            .is_some()
        {
            continue;
        }
        let row = mailbox::Model {
            address,
            kind: kind.to_owned(),
            owner: owner.to_owned(),
            name: name.to_owned(),
            email: email.map(str::to_owned),
            created_at: super::now(),
        };
        mailbox::Entity::insert(mailbox::ActiveModel {
            address: Set(row.address.clone()),
            kind: Set(row.kind.clone()),
            owner: Set(row.owner.clone()),
            name: Set(row.name.clone()),
            email: Set(row.email.clone()),
            created_at: Set(row.created_at),
        })
        .on_conflict(
            sea_orm::sea_query::OnConflict::column(mailbox::Column::Owner)
                .do_nothing()
                .to_owned(),
        )
        .exec_without_returning(txn)
        .await?;
        // another request may have created it at the same moment: the stored one wins
        return by_owner(txn, owner)
            .await?
            .ok_or_else(|| DbErr::RecordNotFound(format!("mailbox of {owner}")));
    }
    Err(DbErr::Custom(
        "no free mailbox address after 5 tries".into(),
    ))
}

pub async fn by_owner(
    db: &impl ConnectionTrait,
    owner: &str,
) -> Result<Option<mailbox::Model>, DbErr> {
    mailbox::Entity::find()
        .filter(mailbox::Column::Owner.eq(owner))
        .one(db)
        .await
}

pub async fn by_address(
    db: &impl ConnectionTrait,
    address: &str,
) -> Result<Option<mailbox::Model>, DbErr> {
    mailbox::Entity::find_by_id(address.to_owned())
        .one(db)
        .await
}

pub struct NewMessage<'a> {
    pub sender: &'a str,
    pub recipients: &'a [String],
    pub subject: &'a str,
    pub body: &'a str,
    pub case_sign: Option<&'a str>,
    pub document_id: Option<&'a str>,
    pub thread_id: Option<&'a str>,
    pub ref_to: Option<&'a str>,
    pub sha3_256: &'a str,
    pub at: OffsetDateTime,
}

/// Stores a message: the sender's copy in `sent`, each addressee's in `inbox`, available
/// at once (status `awaiting` until opened or deemed delivered).
pub async fn send(
    txn: &impl ConnectionTrait,
    m: NewMessage<'_>,
) -> Result<(message::Model, Vec<message_copy::Model>), DbErr> {
    let id = uuid::Uuid::now_v7().to_string();
    let row = message::Model {
        id: id.clone(),
        thread_id: m.thread_id.map_or_else(|| id.clone(), str::to_owned),
        ref_to: m.ref_to.map(str::to_owned),
        sender: m.sender.to_owned(),
        subject: m.subject.to_owned(),
        body: m.body.to_owned(),
        case_sign: m.case_sign.map(str::to_owned),
        document_id: m.document_id.map(str::to_owned),
        sha3_256: m.sha3_256.to_owned(),
        draft_recipients: None,
        created_at: m.at,
    };
    message::Entity::insert(message::ActiveModel {
        id: Set(row.id.clone()),
        thread_id: Set(row.thread_id.clone()),
        ref_to: Set(row.ref_to.clone()),
        sender: Set(row.sender.clone()),
        subject: Set(row.subject.clone()),
        body: Set(row.body.clone()),
        case_sign: Set(row.case_sign.clone()),
        document_id: Set(row.document_id.clone()),
        sha3_256: Set(row.sha3_256.clone()),
        draft_recipients: Set(None),
        created_at: Set(row.created_at),
    })
    .exec_without_returning(txn)
    .await?;
    let mut copies = Vec::new();
    let holders = std::iter::once((m.sender.to_owned(), "sent", "sent")).chain(
        m.recipients
            .iter()
            .map(|r| (r.clone(), "inbox", "awaiting")),
    );
    for (mailbox, folder, status) in holders {
        let c = message_copy::Model {
            id: uuid::Uuid::now_v7().to_string(),
            message_id: id.clone(),
            mailbox,
            folder: folder.to_owned(),
            status: status.to_owned(),
            created_at: m.at,
            available_at: (folder == "inbox").then_some(m.at),
            opened_at: None,
            delivered_at: None,
            deemed_at: None,
        };
        message_copy::Entity::insert(message_copy::ActiveModel {
            id: Set(c.id.clone()),
            message_id: Set(c.message_id.clone()),
            mailbox: Set(c.mailbox.clone()),
            folder: Set(c.folder.clone()),
            status: Set(c.status.clone()),
            created_at: Set(c.created_at),
            available_at: Set(c.available_at),
            opened_at: Set(None),
            delivered_at: Set(None),
            deemed_at: Set(None),
        })
        .exec_without_returning(txn)
        .await?;
        copies.push(c);
    }
    Ok((row, copies))
}

/// Records an evidence once: a second one for the same message, mailbox and code is
/// ignored (`false`), which makes retried jobs harmless.
pub async fn add_evidence(txn: &impl ConnectionTrait, e: evidence::Model) -> Result<bool, DbErr> {
    let res = evidence::Entity::insert(evidence::ActiveModel {
        id: Set(e.id),
        message_id: Set(e.message_id),
        mailbox: Set(e.mailbox),
        code: Set(e.code),
        at: Set(e.at),
        jws: Set(e.jws),
    })
    .on_conflict(
        sea_orm::sea_query::OnConflict::columns([
            evidence::Column::MessageId,
            evidence::Column::Mailbox,
            evidence::Column::Code,
        ])
        .do_nothing()
        .to_owned(),
    )
    .exec_without_returning(txn)
    .await?;
    Ok(res == 1)
}

pub async fn evidences(
    db: &impl ConnectionTrait,
    message_id: &str,
) -> Result<Vec<evidence::Model>, DbErr> {
    evidence::Entity::find()
        .filter(evidence::Column::MessageId.eq(message_id))
        .order_by_asc(evidence::Column::At)
        .all(db)
        .await
}

/// Marks an addressee's copy delivered (opened or deemed), only if still awaiting; `false`
/// when it was delivered already.
pub async fn deliver(
    txn: &impl ConnectionTrait,
    copy_id: &str,
    status: &str,
    at: OffsetDateTime,
) -> Result<bool, DbErr> {
    let mut q = message_copy::Entity::update_many()
        .col_expr(message_copy::Column::Status, Expr::value(status))
        .col_expr(message_copy::Column::DeliveredAt, Expr::value(at));
    q = if status == "delivered" {
        q.col_expr(message_copy::Column::OpenedAt, Expr::value(at))
    } else {
        q.col_expr(message_copy::Column::DeemedAt, Expr::value(at))
    };
    let res = q
        .filter(message_copy::Column::Id.eq(copy_id))
        .filter(message_copy::Column::Status.eq("awaiting"))
        .exec(txn)
        .await?;
    Ok(res.rows_affected == 1)
}

/// A mailbox's copy of a message, with the message.
pub async fn copy_in(
    db: &impl ConnectionTrait,
    mailbox: &str,
    message_id: &str,
) -> Result<Option<(message_copy::Model, message::Model)>, DbErr> {
    let Some(c) = message_copy::Entity::find()
        .filter(message_copy::Column::Mailbox.eq(mailbox))
        .filter(message_copy::Column::MessageId.eq(message_id))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let m = message::Entity::find_by_id(message_id.to_owned())
        .one(db)
        .await?;
    Ok(m.map(|m| (c, m)))
}

/// Whether `mailbox` holds a copy of any message of thread `thread_id`.
pub async fn holds_thread(
    db: &impl ConnectionTrait,
    mailbox: &str,
    thread_id: &str,
) -> Result<bool, DbErr> {
    let ids: Vec<String> = message::Entity::find()
        .select_only()
        .column(message::Column::Id)
        .filter(message::Column::ThreadId.eq(thread_id))
        .into_tuple()
        .all(db)
        .await?;
    if ids.is_empty() {
        return Ok(false);
    }
    Ok(message_copy::Entity::find()
        .filter(message_copy::Column::Mailbox.eq(mailbox))
        .filter(message_copy::Column::MessageId.is_in(ids))
        .one(db)
        .await?
        .is_some())
}

pub async fn copy_by_id(
    db: &impl ConnectionTrait,
    id: &str,
) -> Result<Option<message_copy::Model>, DbErr> {
    message_copy::Entity::find_by_id(id.to_owned())
        .one(db)
        .await
}

/// One page of a folder, newest first, after the keyset `(created_at, id)`.
pub async fn folder(
    db: &impl ConnectionTrait,
    mailbox: &str,
    folder: &str,
    after: Option<(OffsetDateTime, String)>,
    limit: u64,
) -> Result<Vec<(message_copy::Model, message::Model)>, DbErr> {
    use sea_orm::Condition;
    let mut q = message_copy::Entity::find()
        .filter(message_copy::Column::Mailbox.eq(mailbox))
        .filter(message_copy::Column::Folder.eq(folder));
    if let Some((at, id)) = after {
        q = q.filter(message_copy::Column::CreatedAt.lte(at)).filter(
            Condition::any()
                .add(message_copy::Column::CreatedAt.lt(at))
                .add(
                    Condition::all()
                        .add(message_copy::Column::CreatedAt.eq(at))
                        .add(message_copy::Column::Id.lt(id)),
                ),
        );
    }
    let copies = q
        .order_by_desc(message_copy::Column::CreatedAt)
        .order_by_desc(message_copy::Column::Id)
        .limit(limit)
        .all(db)
        .await?;
    let ids: Vec<String> = copies.iter().map(|c| c.message_id.clone()).collect();
    let messages = message::Entity::find()
        .filter(message::Column::Id.is_in(ids))
        .all(db)
        .await?;
    Ok(copies
        .into_iter()
        .filter_map(|c| {
            let m = messages.iter().find(|m| m.id == c.message_id)?.clone();
            Some((c, m))
        })
        .collect())
}

/// Every copy of a message (the sender's and each addressee's).
pub async fn copies_of(
    db: &impl ConnectionTrait,
    message_id: &str,
) -> Result<Vec<message_copy::Model>, DbErr> {
    message_copy::Entity::find()
        .filter(message_copy::Column::MessageId.eq(message_id))
        .all(db)
        .await
}

/// A case's messages with every copy, oldest first (the case page shows their delivery).
pub async fn of_case(
    db: &impl ConnectionTrait,
    case_sign: &str,
) -> Result<Vec<(message::Model, Vec<message_copy::Model>)>, DbErr> {
    let messages = message::Entity::find()
        .filter(message::Column::CaseSign.eq(case_sign))
        .order_by_asc(message::Column::CreatedAt)
        .all(db)
        .await?;
    let ids: Vec<String> = messages.iter().map(|m| m.id.clone()).collect();
    let copies = message_copy::Entity::find()
        .filter(message_copy::Column::MessageId.is_in(ids))
        .all(db)
        .await?;
    Ok(messages
        .into_iter()
        .map(|m| {
            let mine = copies
                .iter()
                .filter(|c| c.message_id == m.id)
                .cloned()
                .collect();
            (m, mine)
        })
        .collect())
}

/// A draft in `sender`'s `drafts` folder; its addressees wait in `draft_recipients`.
pub async fn create_draft(
    txn: &impl ConnectionTrait,
    sender: &str,
    recipients: &[String],
    subject: &str,
    body: &str,
    case_sign: Option<&str>,
    at: OffsetDateTime,
) -> Result<message::Model, DbErr> {
    let id = uuid::Uuid::now_v7().to_string();
    let row = message::Model {
        id: id.clone(),
        thread_id: id.clone(),
        ref_to: None,
        sender: sender.to_owned(),
        subject: subject.to_owned(),
        body: body.to_owned(),
        case_sign: case_sign.map(str::to_owned),
        document_id: None,
        sha3_256: String::new(),
        draft_recipients: Some(serde_json::to_string(recipients).unwrap_or_default()),
        created_at: at,
    };
    message::Entity::insert(message::ActiveModel {
        id: Set(row.id.clone()),
        thread_id: Set(row.thread_id.clone()),
        ref_to: Set(None),
        sender: Set(row.sender.clone()),
        subject: Set(row.subject.clone()),
        body: Set(row.body.clone()),
        case_sign: Set(row.case_sign.clone()),
        document_id: Set(None),
        sha3_256: Set(String::new()),
        draft_recipients: Set(row.draft_recipients.clone()),
        created_at: Set(at),
    })
    .exec_without_returning(txn)
    .await?;
    message_copy::Entity::insert(message_copy::ActiveModel {
        id: Set(uuid::Uuid::now_v7().to_string()),
        message_id: Set(id),
        mailbox: Set(sender.to_owned()),
        folder: Set("drafts".into()),
        status: Set("draft".into()),
        created_at: Set(at),
        available_at: Set(None),
        opened_at: Set(None),
        delivered_at: Set(None),
        deemed_at: Set(None),
    })
    .exec_without_returning(txn)
    .await?;
    Ok(row)
}

pub async fn add_attachment(
    txn: &impl ConnectionTrait,
    a: super::entity::message_attachment::Model,
) -> Result<(), DbErr> {
    use super::entity::message_attachment as ma;
    ma::Entity::insert(ma::ActiveModel {
        id: Set(a.id),
        message_id: Set(a.message_id),
        name: Set(a.name),
        content_type: Set(a.content_type),
        size: Set(a.size),
        sha3_256: Set(a.sha3_256),
        storage_key: Set(a.storage_key),
    })
    .exec_without_returning(txn)
    .await?;
    Ok(())
}

pub async fn attachments(
    db: &impl ConnectionTrait,
    message_id: &str,
) -> Result<Vec<super::entity::message_attachment::Model>, DbErr> {
    use super::entity::message_attachment as ma;
    ma::Entity::find()
        .filter(ma::Column::MessageId.eq(message_id))
        .order_by_asc(ma::Column::Id)
        .all(db)
        .await
}

/// Sends a draft: its digest is fixed, the sender's copy moves to `sent`, and each
/// addressee gets an inbox copy, available now. `None` when it is not a draft any more.
pub async fn send_draft(
    txn: &impl ConnectionTrait,
    draft: &message::Model,
    sha3_256: &str,
    at: OffsetDateTime,
) -> Result<Option<Vec<String>>, DbErr> {
    let recipients: Vec<String> = draft
        .draft_recipients
        .as_deref()
        .and_then(|r| serde_json::from_str(r).ok())
        .unwrap_or_default();
    let moved = message_copy::Entity::update_many()
        .col_expr(message_copy::Column::Folder, Expr::value("sent"))
        .col_expr(message_copy::Column::Status, Expr::value("sent"))
        .col_expr(message_copy::Column::CreatedAt, Expr::value(at))
        .filter(message_copy::Column::MessageId.eq(draft.id.clone()))
        .filter(message_copy::Column::Folder.eq("drafts"))
        .exec(txn)
        .await?;
    if moved.rows_affected != 1 {
        return Ok(None);
    }
    message::Entity::update_many()
        .col_expr(
            message::Column::DraftRecipients,
            Expr::value(Option::<String>::None),
        )
        .col_expr(message::Column::Sha3256, Expr::value(sha3_256))
        .col_expr(message::Column::CreatedAt, Expr::value(at))
        .filter(message::Column::Id.eq(draft.id.clone()))
        .exec(txn)
        .await?;
    for r in &recipients {
        message_copy::Entity::insert(message_copy::ActiveModel {
            id: Set(uuid::Uuid::now_v7().to_string()),
            message_id: Set(draft.id.clone()),
            mailbox: Set(r.clone()),
            folder: Set("inbox".into()),
            status: Set("awaiting".into()),
            created_at: Set(at),
            available_at: Set(Some(at)),
            opened_at: Set(None),
            delivered_at: Set(None),
            deemed_at: Set(None),
        })
        .exec_without_returning(txn)
        .await?;
    }
    Ok(Some(recipients))
}

/// Moves a mailbox's copy between `inbox`/`sent` and `trash`; the legal state (delivered,
/// awaiting) is untouched: throwing a letter away is not opening it.
pub async fn move_copy(
    db: &impl ConnectionTrait,
    copy: &message_copy::Model,
    to: &str,
) -> Result<(), DbErr> {
    message_copy::Entity::update_many()
        .col_expr(message_copy::Column::Folder, Expr::value(to))
        .filter(message_copy::Column::Id.eq(copy.id.clone()))
        .exec(db)
        .await?;
    Ok(())
}
