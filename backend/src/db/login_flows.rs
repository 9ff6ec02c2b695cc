//! Logins on their way through a provider. The row is taken (read and deleted in one
//! statement's worth of work) by the callback, so each `state` works once.

use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait,
    QueryFilter,
};

use super::entity::login_flow;

pub struct Pending {
    pub provider: String,
    pub pkce_verifier: String,
    pub nonce: String,
    pub return_to: String,
    pub anon_owner: Option<String>,
}

pub async fn start(
    db: &impl ConnectionTrait,
    state_hash: &str,
    p: Pending,
    ttl: time::Duration,
) -> Result<(), DbErr> {
    let now = super::now();
    login_flow::ActiveModel {
        state_hash: Set(state_hash.to_owned()),
        provider: Set(p.provider),
        pkce_verifier: Set(p.pkce_verifier),
        nonce: Set(p.nonce),
        return_to: Set(p.return_to),
        anon_owner: Set(p.anon_owner),
        created_at: Set(now),
        expires_at: Set(now + ttl),
    }
    .insert(db)
    .await?;
    Ok(())
}

/// The pending login for `state_hash`, removed so that it cannot be used again. Only the
/// caller that actually deleted the row gets it, so two racing callbacks cannot both win.
pub async fn take(db: &impl ConnectionTrait, state_hash: &str) -> Result<Option<Pending>, DbErr> {
    let Some(row) = login_flow::Entity::find_by_id(state_hash.to_owned())
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let deleted = login_flow::Entity::delete_by_id(state_hash.to_owned())
        .exec(db)
        .await?;
    if deleted.rows_affected != 1 || row.expires_at <= super::now() {
        return Ok(None);
    }
    Ok(Some(Pending {
        provider: row.provider,
        pkce_verifier: row.pkce_verifier,
        nonce: row.nonce,
        return_to: row.return_to,
        anon_owner: row.anon_owner,
    }))
}

pub async fn delete_expired(db: &impl ConnectionTrait) -> Result<u64, DbErr> {
    let res = login_flow::Entity::delete_many()
        .filter(login_flow::Column::ExpiresAt.lte(super::now()))
        .exec(db)
        .await?;
    Ok(res.rows_affected)
}
