use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "case_file")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub sign: String,
    pub unit: String,
    pub jrwa: String,
    pub seq: i32,
    pub year: i32,
    pub register_no: i32,
    pub submission_id: String,
    pub service_id: String,
    pub owner: String,
    pub status: String,
    pub outcome: Option<String>,
    pub assignee: Option<String>,
    pub term: String,
    pub started_on: TimeDate,
    pub due_on: TimeDate,
    /// The term's last day before art. 57 § 4 KPA moves it to a working day (pauses and an
    /// extension included); `None` on rows older than the column: read `due_on`.
    pub term_end: Option<TimeDate>,
    pub paused_days: i32,
    pub paused_since: Option<TimeDate>,
    pub access_code_hash: String,
    pub decided_at: Option<TimeDateTimeWithTimeZone>,
    pub version: i32,
    pub filed_at: TimeDateTimeWithTimeZone,
    pub updated_at: TimeDateTimeWithTimeZone,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
