//! The milestones of a winning project's implementation, in the order of their days.

use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder,
};
use time::Date;

use crate::db::entity::budget_milestone as milestone;

pub async fn add(
    db: &impl ConnectionTrait,
    project_id: &str,
    on_day: Date,
    state: &str,
    note: &str,
    by: &str,
) -> Result<milestone::Model, DbErr> {
    milestone::ActiveModel {
        id: Set(uuid::Uuid::now_v7().to_string()),
        project_id: Set(project_id.to_owned()),
        on_day: Set(on_day),
        state: Set(state.to_owned()),
        note: Set(note.to_owned()),
        created_by: Set(by.to_owned()),
        created_at: Set(crate::db::now()),
    }
    .insert(db)
    .await
}

/// A project's milestones by day (`budget_milestone_project`); there are at most
/// `participation::budget::implementation::MAX` of them.
pub async fn of(
    db: &impl ConnectionTrait,
    project_id: &str,
) -> Result<Vec<milestone::Model>, DbErr> {
    milestone::Entity::find()
        .filter(milestone::Column::ProjectId.eq(project_id))
        .order_by_asc(milestone::Column::OnDay)
        .order_by_asc(milestone::Column::Id)
        .all(db)
        .await
}

pub async fn count(db: &impl ConnectionTrait, project_id: &str) -> Result<u64, DbErr> {
    milestone::Entity::find()
        .filter(milestone::Column::ProjectId.eq(project_id))
        .count(db)
        .await
}
