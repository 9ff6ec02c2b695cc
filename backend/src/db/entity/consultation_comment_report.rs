use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "consultation_comment_report")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub comment_id: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub reporter: String,
    pub reason: String,
    pub created_at: TimeDateTimeWithTimeZone,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
