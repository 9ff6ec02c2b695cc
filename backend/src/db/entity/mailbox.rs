use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "mailbox")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub address: String,
    /// `resident` or `unit`.
    pub kind: String,
    /// The resident's owner key, or `unit:<symbol>`.
    pub owner: String,
    pub name: String,
    pub email: Option<String>,
    pub created_at: TimeDateTimeWithTimeZone,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
