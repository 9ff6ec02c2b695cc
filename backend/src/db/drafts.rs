//! Drafts: saved, not yet submitted data, owned by one applicant.

use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait,
    QueryFilter,
};
use serde_json::Value;

use super::entity::draft;
use crate::domain::ids::DraftId;
use crate::forms::Service;

pub async fn create(
    db: &impl ConnectionTrait,
    owner: &str,
    svc: &Service,
    data: &Value,
) -> Result<draft::Model, DbErr> {
    let now = super::now();
    draft::ActiveModel {
        id: Set(DraftId::new().to_string()),
        owner: Set(owner.to_owned()),
        service_id: Set(svc.def.id.clone()),
        service_version: Set(svc.def.version as i32),
        definition_hash: Set(svc.hash.clone()),
        data: Set(data.to_string()),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(db)
    .await
}

/// The draft, only if `owner` owns it: anyone else gets `None` (a 404, never a 403).
pub async fn find_owned(
    db: &impl ConnectionTrait,
    id: DraftId,
    owner: &str,
) -> Result<Option<draft::Model>, DbErr> {
    draft::Entity::find_by_id(id.to_string())
        .filter(draft::Column::Owner.eq(owner))
        .one(db)
        .await
}

pub async fn update(
    db: &impl ConnectionTrait,
    model: draft::Model,
    data: &Value,
) -> Result<draft::Model, DbErr> {
    let mut am: draft::ActiveModel = model.into();
    am.data = Set(data.to_string());
    am.updated_at = Set(super::now());
    am.update(db).await
}

pub async fn delete(db: &impl ConnectionTrait, id: DraftId, owner: &str) -> Result<bool, DbErr> {
    let r = draft::Entity::delete_many()
        .filter(draft::Column::Id.eq(id.to_string()))
        .filter(draft::Column::Owner.eq(owner))
        .exec(db)
        .await?;
    Ok(r.rows_affected > 0)
}

/// Hands an anonymous browser's drafts to the person who just logged in on it, so a login
/// in the middle of a form loses nothing.
pub async fn reassign(db: &impl ConnectionTrait, from: &str, to: &str) -> Result<u64, DbErr> {
    use sea_orm::sea_query::Expr;
    let res = draft::Entity::update_many()
        .col_expr(draft::Column::Owner, Expr::value(to))
        .filter(draft::Column::Owner.eq(from))
        .exec(db)
        .await?;
    Ok(res.rows_affected)
}
