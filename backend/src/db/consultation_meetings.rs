//! A consultation's meetings and where their minutes are stored.

use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait,
    QueryFilter, QueryOrder, QuerySelect,
};
use time::OffsetDateTime;

use super::entity::consultation_meeting as meeting;

/// The most meetings one consultation lists.
pub const MEETINGS_MAX: u64 = 200;

pub async fn add(
    db: &impl ConnectionTrait,
    consultation_id: &str,
    kind: &str,
    starts_at: OffsetDateTime,
    place: &str,
) -> Result<meeting::Model, DbErr> {
    meeting::ActiveModel {
        id: Set(uuid::Uuid::now_v7().to_string()),
        consultation_id: Set(consultation_id.to_owned()),
        kind: Set(kind.to_owned()),
        starts_at: Set(starts_at),
        place: Set(place.to_owned()),
        minutes_key: Set(None),
        minutes_name: Set(None),
        minutes_type: Set(None),
        created_at: Set(super::now()),
    }
    .insert(db)
    .await
}

/// The consultation's meetings by date (`consultation_meeting_list`), at most
/// [`MEETINGS_MAX`].
pub async fn list(
    db: &impl ConnectionTrait,
    consultation_id: &str,
) -> Result<Vec<meeting::Model>, DbErr> {
    meeting::Entity::find()
        .filter(meeting::Column::ConsultationId.eq(consultation_id))
        .order_by_asc(meeting::Column::StartsAt)
        .order_by_asc(meeting::Column::Id)
        .limit(MEETINGS_MAX)
        .all(db)
        .await
}

pub async fn find(
    db: &impl ConnectionTrait,
    consultation_id: &str,
    id: &str,
) -> Result<Option<meeting::Model>, DbErr> {
    meeting::Entity::find_by_id(id.to_owned())
        .filter(meeting::Column::ConsultationId.eq(consultation_id))
        .one(db)
        .await
}

/// Records the minutes stored under `key`.
pub async fn set_minutes(
    db: &impl ConnectionTrait,
    id: &str,
    key: &str,
    name: &str,
    content_type: &str,
) -> Result<(), DbErr> {
    meeting::Entity::update_many()
        .col_expr(meeting::Column::MinutesKey, Expr::value(Some(key)))
        .col_expr(meeting::Column::MinutesName, Expr::value(Some(name)))
        .col_expr(
            meeting::Column::MinutesType,
            Expr::value(Some(content_type)),
        )
        .filter(meeting::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}
