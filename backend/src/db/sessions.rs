//! Server-side sessions: the cookie holds a random token, the table its SHA-256 and the
//! identity, so several okienko nodes share sessions through the database.

use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait,
    QueryFilter,
};

use super::entity::session;
use crate::domain::identity::Identity;

pub async fn create(
    db: &impl ConnectionTrait,
    token_hash: &str,
    identity: &Identity,
    ttl: time::Duration,
) -> Result<(), DbErr> {
    let now = super::now();
    session::ActiveModel {
        id_hash: Set(token_hash.to_owned()),
        identity: Set(serde_json::to_string(identity).unwrap_or_default()),
        created_at: Set(now),
        expires_at: Set(now + ttl),
    }
    .insert(db)
    .await?;
    Ok(())
}

/// The identity of a live session.
pub async fn identity(
    db: &impl ConnectionTrait,
    token_hash: &str,
) -> Result<Option<Identity>, DbErr> {
    let row = session::Entity::find_by_id(token_hash.to_owned())
        .filter(session::Column::ExpiresAt.gt(super::now()))
        .one(db)
        .await?;
    Ok(row.and_then(|r| serde_json::from_str(&r.identity).ok()))
}
