//! The signing keys every node shares (issue 18 §1): read all of a purpose, add one (a
//! second insert of the same `kid` is a no-op, so two nodes importing the same legacy key
//! agree), and reseal one under another key-encryption key.

use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
};

use super::entity::signing_key;

pub use signing_key::Model as StoredKey;

/// Every key of `purpose`, oldest first (the last one signs).
pub async fn all(db: &impl ConnectionTrait, purpose: &str) -> Result<Vec<StoredKey>, DbErr> {
    signing_key::Entity::find()
        .filter(signing_key::Column::Purpose.eq(purpose))
        .order_by_asc(signing_key::Column::CreatedAt)
        .order_by_asc(signing_key::Column::Kid)
        .all(db)
        .await
}

/// Every key of every purpose, for resealing them all.
pub async fn every(db: &impl ConnectionTrait) -> Result<Vec<StoredKey>, DbErr> {
    signing_key::Entity::find()
        .order_by_asc(signing_key::Column::CreatedAt)
        .all(db)
        .await
}

/// Adds `key` unless a key with its `kid` exists.
pub async fn add(db: &impl ConnectionTrait, key: StoredKey) -> Result<(), DbErr> {
    let row = signing_key::ActiveModel {
        kid: Set(key.kid),
        purpose: Set(key.purpose),
        public_key: Set(key.public_key),
        sealed: Set(key.sealed),
        kek_id: Set(key.kek_id),
        created_at: Set(key.created_at),
    };
    signing_key::Entity::insert(row)
        .on_conflict(
            OnConflict::column(signing_key::Column::Kid)
                .do_nothing()
                .to_owned(),
        )
        .exec_without_returning(db)
        .await?;
    Ok(())
}

/// Replaces the sealed private half of `kid` (a new key-encryption key).
pub async fn reseal(
    db: &impl ConnectionTrait,
    kid: &str,
    sealed: String,
    kek_id: &str,
) -> Result<(), DbErr> {
    signing_key::Entity::update_many()
        .col_expr(signing_key::Column::Sealed, Expr::value(sealed))
        .col_expr(signing_key::Column::KekId, Expr::value(kek_id))
        .filter(signing_key::Column::Kid.eq(kid))
        .exec(db)
        .await?;
    Ok(())
}
