use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "consultation")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub created_by: String,
    pub phase: String,
    pub version: i32,
    pub kind: String,
    pub subject: String,
    pub announced_on: TimeDate,
    pub opens_on: TimeDate,
    pub closes_on: TimeDate,
    pub report_due_on: TimeDate,
    pub secret: String,
    pub published_at: Option<TimeDateTimeWithTimeZone>,
    pub report: Option<String>,
    /// The statistics fixed at closing (JSON), once.
    pub statistics: Option<String>,
    pub reported_at: Option<TimeDateTimeWithTimeZone>,
    /// The day the worker archives it, set with the report.
    pub archives_on: Option<TimeDate>,
    pub archived_at: Option<TimeDateTimeWithTimeZone>,
    pub created_at: TimeDateTimeWithTimeZone,
    pub updated_at: TimeDateTimeWithTimeZone,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
