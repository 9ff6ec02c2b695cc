//! The transactional outbox: side effects (e-mail notices, deemed delivery) are rows
//! written in the transaction that causes them; the worker claims due rows, does the work
//! and marks them done, retrying with backoff on failure.

use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect,
};
use serde_json::Value;
use time::{Duration, OffsetDateTime};

use super::entity::outbox;

pub async fn enqueue(
    txn: &impl ConnectionTrait,
    kind: &str,
    payload: &Value,
    due_at: OffsetDateTime,
) -> Result<(), DbErr> {
    outbox::Entity::insert(outbox::ActiveModel {
        id: Set(uuid::Uuid::now_v7().to_string()),
        kind: Set(kind.to_owned()),
        payload: Set(payload.to_string()),
        due_at: Set(due_at),
        attempts: Set(0),
        locked_until: Set(None),
        done_at: Set(None),
        last_error: Set(None),
    })
    .exec_without_returning(txn)
    .await?;
    Ok(())
}

/// Claims up to `limit` due jobs for `lease`: a claimed job is invisible to other workers
/// until the lease ends, so a crashed worker's jobs come back. The claim is one UPDATE per
/// job guarded by its previous lease, so two workers never both win a job.
pub async fn claim(
    db: &impl ConnectionTrait,
    now: OffsetDateTime,
    lease: Duration,
    limit: u64,
) -> Result<Vec<outbox::Model>, DbErr> {
    use sea_orm::Condition;
    let due = outbox::Entity::find()
        .filter(outbox::Column::DoneAt.is_null())
        .filter(outbox::Column::DueAt.lte(now))
        .filter(
            Condition::any()
                .add(outbox::Column::LockedUntil.is_null())
                .add(outbox::Column::LockedUntil.lt(now)),
        )
        .order_by_asc(outbox::Column::DueAt)
        .limit(limit)
        .all(db)
        .await?;
    let mut claimed = Vec::new();
    for job in due {
        let mut q = outbox::Entity::update_many()
            .col_expr(outbox::Column::LockedUntil, Expr::value(now + lease))
            .col_expr(outbox::Column::Attempts, Expr::value(job.attempts + 1))
            .filter(outbox::Column::Id.eq(job.id.clone()))
            .filter(outbox::Column::DoneAt.is_null());
        q = match job.locked_until {
            Some(l) => q.filter(outbox::Column::LockedUntil.eq(l)),
            None => q.filter(outbox::Column::LockedUntil.is_null()),
        };
        if q.exec(db).await?.rows_affected == 1 {
            claimed.push(outbox::Model {
                attempts: job.attempts + 1,
                ..job
            });
        }
    }
    Ok(claimed)
}

pub async fn done(db: &impl ConnectionTrait, id: &str, now: OffsetDateTime) -> Result<(), DbErr> {
    outbox::Entity::update_many()
        .col_expr(outbox::Column::DoneAt, Expr::value(now))
        .col_expr(
            outbox::Column::LastError,
            Expr::value(Option::<String>::None),
        )
        .filter(outbox::Column::Id.eq(id))
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
