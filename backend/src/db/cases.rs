//! Cases: numbers from gap-free counters, the case row, and its hash-chained history.
//! Everything here runs inside the caller's transaction.

use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DbBackend, DbErr, EntityTrait, QueryFilter,
    QueryOrder, Statement,
};
use serde_json::Value;
use sha2::{Digest, Sha256};
use time::{Date, OffsetDateTime};

use super::entity::{case_event, case_file};

/// Who did something, as the history records it.
#[derive(Debug, Clone)]
pub struct Actor {
    /// `provider:subject`, `client:<id>` or `system`.
    pub id: String,
    pub name: String,
    pub position: String,
}

impl Actor {
    pub fn system() -> Self {
        Self {
            id: "system".into(),
            name: "okienko".into(),
            position: "system".into(),
        }
    }
}

pub struct NewCase {
    pub submission_id: String,
    pub service_id: String,
    pub owner: String,
    pub unit: String,
    pub jrwa: String,
    pub year: i32,
    pub term: String,
    pub started_on: Date,
    pub due_on: Date,
    /// `due_on` before the move to a working day (art. 57 § 4 KPA).
    pub term_end: Date,
    pub access_code_hash: String,
    pub filed_at: OffsetDateTime,
    /// What was verified of the filing's signed files (`filing::signatures`), kept in the
    /// first entry of the case's history.
    pub signatures: Vec<Value>,
}

/// What registration gave a submission.
#[derive(Debug, Clone)]
pub struct Registered {
    pub case_id: String,
    pub register_no: i64,
    pub year: i32,
    pub sign: String,
    /// The number within the sign.
    pub seq: i64,
}

/// Gives new cases their register numbers and the numbers of their signs, in one statement:
/// each counter is bumped by how many of `cases` it numbers (or started there) and its row
/// stays locked until the transaction ends. Registers are locked before signs, each kind in
/// name order, so concurrent filers on any node wait in turn without deadlock, and a
/// rolled-back filing gives its numbers back: no gaps, no repeats. The caller keeps the
/// locks short by numbering last. Numbers go to `cases` in their order.
///
/// `before` are writes that need no number (the submissions and their attachments); on
/// PostgreSQL they travel in the same statement, saving a round trip.
pub async fn number(
    txn: &impl ConnectionTrait,
    before: Vec<Statement>,
    cases: &[&NewCase],
) -> Result<Vec<Registered>, DbErr> {
    let backend = txn.get_database_backend();
    let register = |c: &NewCase| format!("register:{}", c.year);
    let sign = |c: &NewCase| format!("case:{}.{}.{}", c.unit, c.jrwa, c.year);
    // name -> how many numbers this statement takes from it
    let mut registers = std::collections::BTreeMap::<String, i64>::new();
    let mut signs = std::collections::BTreeMap::<String, i64>::new();
    for c in cases {
        *registers.entry(register(c)).or_default() += 1;
        *signs.entry(sign(c)).or_default() += 1;
    }
    let counts: Vec<(String, i64)> = registers.into_iter().chain(signs).collect();
    let placeholder = |n: usize| match backend {
        DbBackend::Postgres => format!("${n}"),
        _ => "?".to_owned(),
    };
    let rows_sql = (0..counts.len())
        .map(|i| format!("({}, {})", placeholder(2 * i + 1), placeholder(2 * i + 2)))
        .collect::<Vec<_>>()
        .join(", ");
    let bump = Statement::from_sql_and_values(
        backend,
        format!(
            "INSERT INTO sequence_counter (name, last) VALUES {rows_sql} ON CONFLICT (name) DO UPDATE SET last = sequence_counter.last + excluded.last RETURNING name, last"
        ),
        counts
            .iter()
            .flat_map(|(name, n)| [name.clone().into(), (*n).into()]),
    );
    // name -> the next number to give
    let mut next = std::collections::HashMap::<String, i64>::new();
    for r in super::query_after(txn, before, bump).await? {
        let name = r.try_get::<String>("", "name")?;
        let last = r.try_get::<i64>("", "last")?;
        let taken = counts
            .iter()
            .find(|(n, _)| *n == name)
            .map_or(0, |(_, k)| *k);
        next.insert(name, last - taken + 1);
    }
    let mut take = |name: String| -> Result<i64, DbErr> {
        let n = next
            .get_mut(&name)
            .ok_or_else(|| DbErr::RecordNotFound(format!("the counter {name}")))?;
        *n += 1;
        Ok(*n - 1)
    };
    cases
        .iter()
        .map(|c| {
            let register_no = take(register(c))?;
            let seq = take(sign(c))?;
            Ok(Registered {
                case_id: uuid::Uuid::now_v7().to_string(),
                register_no,
                year: c.year,
                sign: format!("{}.{}.{}.{}", c.unit, c.jrwa, seq, c.year),
                seq,
            })
        })
        .collect()
}

/// The rows that open a numbered case: the case itself and the first entry of its history
/// (`register`, which starts the hash chain). The caller inserts them with the others of
/// its transaction.
pub fn opening(
    c: &NewCase,
    reg: &Registered,
) -> Result<(case_file::ActiveModel, case_event::ActiveModel), DbErr> {
    let to_i32 = |n: i64| i32::try_from(n).map_err(|_| DbErr::Custom(format!("{n} overflows")));
    let case = case_file::ActiveModel {
        id: Set(reg.case_id.clone()),
        sign: Set(reg.sign.clone()),
        unit: Set(c.unit.clone()),
        jrwa: Set(c.jrwa.clone()),
        seq: Set(to_i32(reg.seq)?),
        year: Set(c.year),
        register_no: Set(to_i32(reg.register_no)?),
        submission_id: Set(c.submission_id.clone()),
        service_id: Set(c.service_id.clone()),
        owner: Set(c.owner.clone()),
        status: Set("registered".into()),
        outcome: Set(None),
        assignee: Set(None),
        term: Set(c.term.clone()),
        started_on: Set(c.started_on),
        due_on: Set(c.due_on),
        term_end: Set(Some(c.term_end)),
        paused_days: Set(0),
        paused_since: Set(None),
        access_code_hash: Set(c.access_code_hash.clone()),
        decided_at: Set(None),
        version: Set(1),
        filed_at: Set(c.filed_at),
        updated_at: Set(c.filed_at),
    };
    let mut detail = serde_json::json!({ "register_no": format!("{}/{}", reg.register_no, reg.year), "sign": reg.sign });
    if !c.signatures.is_empty() {
        detail["signatures"] = Value::Array(c.signatures.clone());
    }
    let first = entry(
        &reg.case_id,
        None,
        &Actor::system(),
        Entry {
            action: "register",
            status: "registered",
            detail: &detail,
            at: c.filed_at,
            document_id: None,
        },
    );
    Ok((case, active_event(&first)))
}

/// The hash of an entry: SHA-256 over the previous hash and the entry's own fields, so a
/// changed, removed or reordered entry breaks every hash after it.
pub fn entry_hash(prev: &str, e: &case_event::Model) -> String {
    let mut h = Sha256::new();
    for part in [
        prev,
        &e.case_id,
        &e.seq.to_string(),
        &e.at.unix_timestamp_nanos().to_string(),
        &e.actor,
        &e.actor_name,
        &e.position,
        &e.action,
        &e.status,
        &e.detail,
        e.document_id.as_deref().unwrap_or(""),
    ] {
        h.update(part.as_bytes());
        h.update([0x1f]);
    }
    crate::forms::catalogue::hex(&h.finalize())
}

pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// Appends to a case's history. The caller holds the case row (its version bump), so
/// appends to one case never race.
/// One history entry to append.
pub struct Entry<'a> {
    pub action: &'a str,
    /// The case's status after the action.
    pub status: &'a str,
    pub detail: &'a Value,
    pub at: OffsetDateTime,
    pub document_id: Option<String>,
}

pub async fn append(
    txn: &impl ConnectionTrait,
    case_id: &str,
    actor: &Actor,
    entry_: Entry<'_>,
) -> Result<case_event::Model, DbErr> {
    let last = case_event::Entity::find()
        .filter(case_event::Column::CaseId.eq(case_id))
        .order_by_desc(case_event::Column::Seq)
        .one(txn)
        .await?;
    let e = entry(case_id, last.as_ref(), actor, entry_);
    case_event::Entity::insert(active_event(&e))
        .exec_without_returning(txn)
        .await?;
    Ok(e)
}

/// The history entry after `last` (the first when there is none), with its hash.
fn entry(
    case_id: &str,
    last: Option<&case_event::Model>,
    actor: &Actor,
    entry: Entry<'_>,
) -> case_event::Model {
    let Entry {
        action,
        status,
        detail,
        at,
        document_id,
    } = entry;
    let (seq, prev) = last.map_or((1, GENESIS.to_owned()), |l| (l.seq + 1, l.hash.clone()));
    // timestamps keep microseconds, as both databases store them
    let at = at
        .replace_nanosecond(at.nanosecond() / 1000 * 1000)
        .unwrap_or(at);
    let mut e = case_event::Model {
        id: uuid::Uuid::now_v7().to_string(),
        case_id: case_id.to_owned(),
        seq,
        at,
        actor: actor.id.clone(),
        actor_name: actor.name.clone(),
        position: actor.position.clone(),
        action: action.to_owned(),
        status: status.to_owned(),
        detail: detail.to_string(),
        document_id,
        prev_hash: prev.clone(),
        hash: String::new(),
    };
    e.hash = entry_hash(&prev, &e);
    e
}

fn active_event(e: &case_event::Model) -> case_event::ActiveModel {
    case_event::ActiveModel {
        id: Set(e.id.clone()),
        case_id: Set(e.case_id.clone()),
        seq: Set(e.seq),
        at: Set(e.at),
        actor: Set(e.actor.clone()),
        actor_name: Set(e.actor_name.clone()),
        position: Set(e.position.clone()),
        action: Set(e.action.clone()),
        status: Set(e.status.clone()),
        detail: Set(e.detail.clone()),
        document_id: Set(e.document_id.clone()),
        prev_hash: Set(e.prev_hash.clone()),
        hash: Set(e.hash.clone()),
    }
}

/// The first entry of a case's history whose chain does not hold, if any.
pub fn first_broken(events: &[case_event::Model]) -> Option<i32> {
    let mut prev = GENESIS.to_owned();
    for (i, e) in events.iter().enumerate() {
        let expected_seq = i32::try_from(i + 1).unwrap_or(i32::MAX);
        if e.seq != expected_seq || e.prev_hash != prev || entry_hash(&prev, e) != e.hash {
            return Some(e.seq);
        }
        prev = e.hash.clone();
    }
    None
}

pub async fn history(
    db: &impl ConnectionTrait,
    case_id: &str,
) -> Result<Vec<case_event::Model>, DbErr> {
    case_event::Entity::find()
        .filter(case_event::Column::CaseId.eq(case_id))
        .order_by_asc(case_event::Column::Seq)
        .all(db)
        .await
}

pub async fn by_sign(
    db: &impl ConnectionTrait,
    sign: &str,
) -> Result<Option<case_file::Model>, DbErr> {
    case_file::Entity::find()
        .filter(case_file::Column::Sign.eq(sign))
        .one(db)
        .await
}

pub async fn by_submission(
    db: &impl ConnectionTrait,
    submission_id: &str,
) -> Result<Option<case_file::Model>, DbErr> {
    case_file::Entity::find()
        .filter(case_file::Column::SubmissionId.eq(submission_id))
        .one(db)
        .await
}

/// The cases of these submissions (a page of "my submissions").
pub async fn by_submissions(
    db: &impl ConnectionTrait,
    submission_ids: &[String],
) -> Result<Vec<case_file::Model>, DbErr> {
    if submission_ids.is_empty() {
        return Ok(Vec::new());
    }
    case_file::Entity::find()
        .filter(case_file::Column::SubmissionId.is_in(submission_ids.iter().cloned()))
        .all(db)
        .await
}

/// Every case id, for `cases verify-history`, in pages of `limit` after `after`.
pub async fn ids_after(
    db: &impl ConnectionTrait,
    after: Option<&str>,
    limit: u64,
) -> Result<Vec<(String, String)>, DbErr> {
    use sea_orm::QuerySelect;
    let mut q = case_file::Entity::find()
        .select_only()
        .column(case_file::Column::Id)
        .column(case_file::Column::Sign)
        .order_by_asc(case_file::Column::Id)
        .limit(limit);
    if let Some(a) = after {
        q = q.filter(case_file::Column::Id.gt(a));
    }
    q.into_tuple().all(db).await
}

/// Moves a case on, only if nobody changed it since `version` (optimistic locking).
/// `false` means a stale page: nothing was written.
pub async fn update_if_version(
    txn: &impl ConnectionTrait,
    id: &str,
    version: i32,
    changes: Vec<(case_file::Column, sea_orm::sea_query::SimpleExpr)>,
) -> Result<bool, DbErr> {
    let mut q = case_file::Entity::update_many()
        .col_expr(case_file::Column::Version, Expr::value(version + 1))
        .col_expr(case_file::Column::UpdatedAt, Expr::value(super::now()));
    for (col, v) in changes {
        q = q.col_expr(col, v);
    }
    let res = q
        .filter(case_file::Column::Id.eq(id))
        .filter(case_file::Column::Version.eq(version))
        .exec(txn)
        .await?;
    Ok(res.rows_affected == 1)
}

/// Which cases a queue shows.
#[derive(Debug, Default)]
pub struct QueueFilter<'a> {
    /// Only these units (`None`: all, for API clients and administrators).
    pub units: Option<&'a [String]>,
    pub status: Option<&'a str>,
    pub service: Option<&'a str>,
    /// Only cases assigned to this actor, or (with `or_unassigned`) not assigned at all.
    pub assignee: Option<&'a str>,
    pub or_unassigned: bool,
    /// Only open cases whose due date is before this day (overdue) ...
    pub due_before: Option<Date>,
    /// ... or on or before this day (due this week).
    pub due_by: Option<Date>,
}

/// One page of a queue sorted by deadline, after the keyset `(due_on, id)`; served by the
/// index `(unit, due_on, id)`.
pub async fn queue(
    db: &impl ConnectionTrait,
    f: QueueFilter<'_>,
    after: Option<(Date, String)>,
    limit: u64,
) -> Result<Vec<case_file::Model>, DbErr> {
    use sea_orm::{Condition, QuerySelect};
    let mut q = case_file::Entity::find();
    if let Some(units) = f.units {
        q = q.filter(case_file::Column::Unit.is_in(units.iter().cloned()));
    }
    if let Some(s) = f.status {
        q = q.filter(case_file::Column::Status.eq(s));
    }
    if let Some(s) = f.service {
        q = q.filter(case_file::Column::ServiceId.eq(s));
    }
    if let Some(a) = f.assignee {
        let mine = case_file::Column::Assignee.eq(a);
        q = q.filter(if f.or_unassigned {
            Condition::any()
                .add(mine)
                .add(case_file::Column::Assignee.is_null())
        } else {
            Condition::all().add(mine)
        });
    }
    let open = [
        "registered",
        "assigned",
        "in_progress",
        "awaiting_applicant",
    ];
    if let Some(d) = f.due_before {
        q = q
            .filter(case_file::Column::DueOn.lt(d))
            .filter(case_file::Column::Status.is_in(open));
    }
    if let Some(d) = f.due_by {
        q = q
            .filter(case_file::Column::DueOn.lte(d))
            .filter(case_file::Column::Status.is_in(open));
    }
    if let Some((due, id)) = after {
        // `due_on >= due` is what the index can seek to; the OR only trims that day's rows
        q = q.filter(case_file::Column::DueOn.gte(due)).filter(
            Condition::any().add(case_file::Column::DueOn.gt(due)).add(
                Condition::all()
                    .add(case_file::Column::DueOn.eq(due))
                    .add(case_file::Column::Id.gt(id)),
            ),
        );
    }
    q.order_by_asc(case_file::Column::DueOn)
        .order_by_asc(case_file::Column::Id)
        .limit(limit)
        .all(db)
        .await
}

pub async fn add_document(
    txn: &impl ConnectionTrait,
    d: super::entity::case_document::Model,
) -> Result<(), DbErr> {
    use super::entity::case_document;
    case_document::Entity::insert(case_document::ActiveModel {
        id: Set(d.id),
        case_id: Set(d.case_id),
        kind: Set(d.kind),
        title: Set(d.title),
        storage_key: Set(d.storage_key),
        sha3_256: Set(d.sha3_256),
        size: Set(d.size),
        created_at: Set(d.created_at),
    })
    .exec_without_returning(txn)
    .await?;
    Ok(())
}

pub async fn documents(
    db: &impl ConnectionTrait,
    case_id: &str,
) -> Result<Vec<super::entity::case_document::Model>, DbErr> {
    use super::entity::case_document;
    case_document::Entity::find()
        .filter(case_document::Column::CaseId.eq(case_id))
        .order_by_asc(case_document::Column::CreatedAt)
        .all(db)
        .await
}
