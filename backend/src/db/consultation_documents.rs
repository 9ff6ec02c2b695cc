//! A consultation's documents and where their files are stored.

use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};

use super::entity::consultation_document as document;
use crate::domain::ids::{ConsultationDocumentId, ConsultationId};

/// The most documents one consultation lists.
pub const DOCUMENTS_MAX: u64 = 50;

/// A document to record, its file stored already under `storage_key`.
pub struct New<'a> {
    pub id: ConsultationDocumentId,
    pub version: i32,
    pub role: &'a str,
    pub title: &'a str,
    pub name: &'a str,
    pub content_type: &'a str,
    pub size: i64,
    pub sha3_256: &'a str,
    pub storage_key: &'a str,
}

pub async fn add(
    db: &impl ConnectionTrait,
    consultation: ConsultationId,
    d: New<'_>,
) -> Result<document::Model, DbErr> {
    document::ActiveModel {
        id: Set(d.id.to_string()),
        consultation_id: Set(consultation.to_string()),
        version: Set(d.version),
        role: Set(d.role.to_owned()),
        title: Set(d.title.to_owned()),
        name: Set(d.name.to_owned()),
        content_type: Set(d.content_type.to_owned()),
        size: Set(d.size),
        sha3_256: Set(d.sha3_256.to_owned()),
        storage_key: Set(d.storage_key.to_owned()),
        created_at: Set(super::now()),
    }
    .insert(db)
    .await
}

/// The consultation's documents in the order they were added (`consultation_document_list`),
/// at most [`DOCUMENTS_MAX`].
pub async fn list(
    db: &impl ConnectionTrait,
    consultation: ConsultationId,
) -> Result<Vec<document::Model>, DbErr> {
    document::Entity::find()
        .filter(document::Column::ConsultationId.eq(consultation.to_string()))
        .order_by_asc(document::Column::CreatedAt)
        .order_by_asc(document::Column::Id)
        .limit(DOCUMENTS_MAX)
        .all(db)
        .await
}

pub async fn count(db: &impl ConnectionTrait, consultation: ConsultationId) -> Result<u64, DbErr> {
    document::Entity::find()
        .filter(document::Column::ConsultationId.eq(consultation.to_string()))
        .count(db)
        .await
}

pub async fn find(
    db: &impl ConnectionTrait,
    consultation: ConsultationId,
    id: ConsultationDocumentId,
) -> Result<Option<document::Model>, DbErr> {
    document::Entity::find_by_id(id.to_string())
        .filter(document::Column::ConsultationId.eq(consultation.to_string()))
        .one(db)
        .await
}

/// Removes the document's row; whether there was one.
pub async fn remove(
    db: &impl ConnectionTrait,
    consultation: ConsultationId,
    id: ConsultationDocumentId,
) -> Result<bool, DbErr> {
    let r = document::Entity::delete_many()
        .filter(document::Column::Id.eq(id.to_string()))
        .filter(document::Column::ConsultationId.eq(consultation.to_string()))
        .exec(db)
        .await?;
    Ok(r.rows_affected == 1)
}
