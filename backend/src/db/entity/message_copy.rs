use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "message_copy")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub message_id: String,
    pub mailbox: String,
    pub folder: String,
    pub status: String,
    pub created_at: TimeDateTimeWithTimeZone,
    pub available_at: Option<TimeDateTimeWithTimeZone>,
    pub opened_at: Option<TimeDateTimeWithTimeZone>,
    pub delivered_at: Option<TimeDateTimeWithTimeZone>,
    pub deemed_at: Option<TimeDateTimeWithTimeZone>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
