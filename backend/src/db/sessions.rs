//! Server-side sessions: the cookie holds a random token, the table its SHA-256 and the
//! identity, so several okienko nodes share sessions through the database. A session ends
//! at whichever comes first: its idle expiry (moved on by activity) or its absolute expiry.

use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, DbErr,
    EntityTrait, QueryFilter,
};
use time::{Duration, OffsetDateTime};

use super::entity::session;
use crate::domain::identity::Identity;

/// How long a session may live, idle and in all.
#[derive(Debug, Clone, Copy)]
pub struct Lifetime {
    pub idle: Duration,
    pub absolute: Duration,
}

pub struct NewSession<'a> {
    pub token_hash: &'a str,
    pub identity: &'a Identity,
    pub id_token: Option<&'a str>,
}

/// A live session as a request sees it.
#[derive(Debug, Clone)]
pub struct Live {
    pub identity: Identity,
    pub id_token: Option<String>,
    pub idle_expires_at: OffsetDateTime,
    pub expires_at: OffsetDateTime,
    pub last_seen_at: OffsetDateTime,
}

pub async fn create(
    db: &impl ConnectionTrait,
    new: NewSession<'_>,
    life: Lifetime,
) -> Result<(), DbErr> {
    let now = super::now();
    session::ActiveModel {
        id_hash: Set(new.token_hash.to_owned()),
        provider: Set(new.identity.provider.clone()),
        identity: Set(serde_json::to_string(new.identity).unwrap_or_default()),
        id_token: Set(new.id_token.map(str::to_owned)),
        created_at: Set(now),
        last_seen_at: Set(now),
        idle_expires_at: Set((now + life.idle).min(now + life.absolute)),
        expires_at: Set(now + life.absolute),
    }
    .insert(db)
    .await?;
    Ok(())
}

/// The session behind `token_hash`, if it has neither idled out nor reached its end.
pub async fn live(db: &impl ConnectionTrait, token_hash: &str) -> Result<Option<Live>, DbErr> {
    let now = super::now();
    let row = session::Entity::find_by_id(token_hash.to_owned())
        .filter(session::Column::ExpiresAt.gt(now))
        .filter(session::Column::IdleExpiresAt.gt(now))
        .one(db)
        .await?;
    Ok(row.and_then(|r| {
        Some(Live {
            identity: serde_json::from_str(&r.identity).ok()?,
            id_token: r.id_token,
            idle_expires_at: r.idle_expires_at,
            expires_at: r.expires_at,
            last_seen_at: r.last_seen_at,
        })
    }))
}

/// Moves the idle expiry on from now, never past the absolute end.
pub async fn touch(
    db: &impl ConnectionTrait,
    token_hash: &str,
    idle: Duration,
    expires_at: OffsetDateTime,
) -> Result<OffsetDateTime, DbErr> {
    let now = super::now();
    let idle_expires_at = (now + idle).min(expires_at);
    session::Entity::update_many()
        .col_expr(session::Column::LastSeenAt, Expr::value(now))
        .col_expr(session::Column::IdleExpiresAt, Expr::value(idle_expires_at))
        .filter(session::Column::IdHash.eq(token_hash))
        .exec(db)
        .await?;
    Ok(idle_expires_at)
}

pub async fn delete(db: &impl ConnectionTrait, token_hash: &str) -> Result<(), DbErr> {
    session::Entity::delete_by_id(token_hash.to_owned())
        .exec(db)
        .await?;
    Ok(())
}

/// Removes sessions that have ended either way; run now and then by the server.
pub async fn delete_ended(db: &impl ConnectionTrait) -> Result<u64, DbErr> {
    let now = super::now();
    let res = session::Entity::delete_many()
        .filter(
            Condition::any()
                .add(session::Column::ExpiresAt.lte(now))
                .add(session::Column::IdleExpiresAt.lte(now)),
        )
        .exec(db)
        .await?;
    Ok(res.rows_affected)
}
