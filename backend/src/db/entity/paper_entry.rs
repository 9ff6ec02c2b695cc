use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "paper_entry")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub instrument: String,
    pub subject_id: String,
    pub card: String,
    pub person_key: String,
    pub data: String,
    pub state: String,
    pub entered_by: String,
    pub entered_by_name: String,
    pub entered_at: TimeDateTimeWithTimeZone,
    pub decided_by: Option<String>,
    pub decided_by_name: Option<String>,
    pub decided_at: Option<TimeDateTimeWithTimeZone>,
    pub reason: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
