//! Content-addressed store of every service definition version that was ever loaded.

use sea_orm::{ActiveValue::Set, ConnectionTrait, DbErr, EntityTrait, sea_query::OnConflict};

use super::entity::service_definition as sd;
use crate::forms::Service;

/// Records the definition (once per hash) so submissions filed against it keep rendering.
pub async fn remember(db: &impl ConnectionTrait, svc: &Service) -> Result<(), DbErr> {
    let row = sd::ActiveModel {
        hash: Set(svc.hash.clone()),
        service_id: Set(svc.def.id.clone()),
        version: Set(svc.def.version as i32),
        definition: Set(serde_json::to_string(&svc.def).unwrap_or_default()),
        first_seen_at: Set(super::now()),
    };
    sd::Entity::insert(row)
        .on_conflict(OnConflict::column(sd::Column::Hash).do_nothing().to_owned())
        .try_insert()
        .exec_without_returning(db)
        .await?;
    Ok(())
}

pub async fn find(db: &impl ConnectionTrait, hash: &str) -> Result<Option<sd::Model>, DbErr> {
    sd::Entity::find_by_id(hash.to_owned()).one(db).await
}
