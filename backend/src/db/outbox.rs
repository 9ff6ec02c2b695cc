//! The transactional outbox: side effects (e-mail notices, deemed delivery) are rows
//! written in the transaction that causes them; the worker claims due rows, does the work
//! and marks them done, retrying with backoff on failure.

use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
};
use serde_json::Value;
use time::{Duration, OffsetDateTime};

use super::entity::outbox;

/// The job that e-mails a filing to an outside crisis management centre.
pub const CRISIS_CENTRE_NOTICE: &str = "crisis_centre_notice";

pub async fn enqueue(
    txn: &impl ConnectionTrait,
    kind: &str,
    payload: &Value,
    due_at: OffsetDateTime,
) -> Result<(), DbErr> {
    txn.execute_raw(job(kind, payload, due_at, txn.get_database_backend()))
        .await?;
    Ok(())
}

/// The INSERT of a job, for callers that batch their writes (`db::execute_all`).
pub fn job(
    kind: &str,
    payload: &Value,
    due_at: OffsetDateTime,
    backend: sea_orm::DbBackend,
) -> sea_orm::Statement {
    use sea_orm::QueryTrait;
    outbox::Entity::insert(new_job(kind, payload, due_at)).build(backend)
}

/// The row of a new job, for a caller inserting several at once.
pub fn new_job(kind: &str, payload: &Value, due_at: OffsetDateTime) -> outbox::ActiveModel {
    outbox::ActiveModel {
        id: Set(uuid::Uuid::now_v7().to_string()),
        kind: Set(kind.to_owned()),
        payload: Set(payload.to_string()),
        due_at: Set(due_at),
        attempts: Set(0),
        locked_until: Set(None),
        done_at: Set(None),
        last_error: Set(None),
    }
}

/// Claims up to `limit` due jobs for `lease`, oldest first, in one statement: a claimed
/// job is invisible to other workers until the lease ends, so a crashed worker's jobs come
/// back. On PostgreSQL `FOR UPDATE SKIP LOCKED` lets workers claim side by side without
/// waiting on each other or winning the same job; SQLite has one writer at a time.
pub async fn claim(
    db: &impl ConnectionTrait,
    now: OffsetDateTime,
    lease: Duration,
    limit: u64,
) -> Result<Vec<outbox::Model>, DbErr> {
    let backend = db.get_database_backend();
    let sql = match backend {
        sea_orm::DatabaseBackend::Postgres => {
            "UPDATE outbox SET locked_until = $1, attempts = attempts + 1 WHERE id IN (
               SELECT id FROM outbox WHERE done_at IS NULL AND due_at <= $2
                 AND (locked_until IS NULL OR locked_until < $2)
               ORDER BY due_at LIMIT $3 FOR UPDATE SKIP LOCKED)
             RETURNING *"
        }
        _ => {
            "UPDATE outbox SET locked_until = ?, attempts = attempts + 1 WHERE id IN (
               SELECT id FROM outbox WHERE done_at IS NULL AND due_at <= ?
                 AND (locked_until IS NULL OR locked_until < ?)
               ORDER BY due_at LIMIT ?)
             RETURNING *"
        }
    };
    let limit = i64::try_from(limit).unwrap_or(i64::MAX);
    let values: Vec<sea_orm::Value> = match backend {
        sea_orm::DatabaseBackend::Postgres => vec![(now + lease).into(), now.into(), limit.into()],
        _ => vec![(now + lease).into(), now.into(), now.into(), limit.into()],
    };
    let mut jobs = outbox::Entity::find()
        .from_raw_sql(sea_orm::Statement::from_sql_and_values(
            backend, sql, values,
        ))
        .all(db)
        .await?;
    jobs.sort_by_key(|j| j.due_at);
    Ok(jobs)
}

/// Marks jobs done, in one statement.
pub async fn done(
    db: &impl ConnectionTrait,
    ids: &[String],
    now: OffsetDateTime,
) -> Result<(), DbErr> {
    if ids.is_empty() {
        return Ok(());
    }
    outbox::Entity::update_many()
        .col_expr(outbox::Column::DoneAt, Expr::value(now))
        .col_expr(
            outbox::Column::LastError,
            Expr::value(Option::<String>::None),
        )
        .filter(outbox::Column::Id.is_in(ids.iter().cloned()))
        .exec(db)
        .await?;
    Ok(())
}

/// A failed attempt: try again after a backoff that grows with the attempts (1, 2, 4 ...
/// minutes, at most an hour); the error is kept for the administrator.
pub async fn failed(
    db: &impl ConnectionTrait,
    job: &outbox::Model,
    error: &str,
    now: OffsetDateTime,
) -> Result<(), DbErr> {
    let minutes = 2_i64
        .saturating_pow(u32::try_from(job.attempts.max(1) - 1).unwrap_or(6))
        .min(60);
    outbox::Entity::update_many()
        .col_expr(
            outbox::Column::DueAt,
            Expr::value(now + Duration::minutes(minutes)),
        )
        .col_expr(
            outbox::Column::LockedUntil,
            Expr::value(Option::<OffsetDateTime>::None),
        )
        .col_expr(
            outbox::Column::LastError,
            Expr::value(error.chars().take(2000).collect::<String>()),
        )
        .filter(outbox::Column::Id.eq(job.id.clone()))
        .exec(db)
        .await?;
    Ok(())
}

pub async fn pending(db: &impl ConnectionTrait) -> Result<Vec<outbox::Model>, DbErr> {
    outbox::Entity::find()
        .filter(outbox::Column::DoneAt.is_null())
        .order_by_asc(outbox::Column::DueAt)
        .all(db)
        .await
}
