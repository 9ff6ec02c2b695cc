use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "initiative_support")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub initiative_id: String,
    pub supporter: String,
    pub channel: String,
    pub name: String,
    pub address: Option<String>,
    pub pesel: Option<String>,
    pub supported_on: TimeDate,
    pub verdict: String,
    pub reason: Option<String>,
    pub entered_by: Option<String>,
    pub verified_by: Option<String>,
    pub created_at: TimeDateTimeWithTimeZone,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
