//! API clients: integrations holding a signed token. The row is what revocation and
//! expiry are checked against on every request.

use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait,
    QueryFilter, QueryOrder,
};

use super::entity::api_client;

pub async fn create(
    db: &impl ConnectionTrait,
    id: &str,
    name: &str,
    scopes: &str,
    expires_at: time::OffsetDateTime,
) -> Result<api_client::Model, DbErr> {
    api_client::ActiveModel {
        id: Set(id.to_owned()),
        name: Set(name.to_owned()),
        scopes: Set(scopes.to_owned()),
        created_at: Set(super::now()),
        expires_at: Set(expires_at),
        revoked_at: Set(None),
    }
    .insert(db)
    .await
}

/// The client if it exists, is not revoked and has not expired.
pub async fn find_active(
    db: &impl ConnectionTrait,
    id: &str,
) -> Result<Option<api_client::Model>, DbErr> {
    api_client::Entity::find_by_id(id.to_owned())
        .filter(api_client::Column::RevokedAt.is_null())
        .filter(api_client::Column::ExpiresAt.gt(super::now()))
        .one(db)
        .await
}

/// Revokes a client; `false` when there is no such client or it was already revoked.
pub async fn revoke(db: &impl ConnectionTrait, id: &str) -> Result<bool, DbErr> {
    use sea_orm::sea_query::Expr;
    let res = api_client::Entity::update_many()
        .col_expr(api_client::Column::RevokedAt, Expr::value(super::now()))
        .filter(api_client::Column::Id.eq(id))
        .filter(api_client::Column::RevokedAt.is_null())
        .exec(db)
        .await?;
    Ok(res.rows_affected == 1)
}

pub async fn list(db: &impl ConnectionTrait) -> Result<Vec<api_client::Model>, DbErr> {
    api_client::Entity::find()
        .order_by_asc(api_client::Column::CreatedAt)
        .all(db)
        .await
}
