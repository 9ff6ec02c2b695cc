//! A session of the council in the office's calendar (u.s.g. art. 20).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "council_session")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub title: String,
    pub starts_at: TimeDateTimeWithTimeZone,
    pub place: String,
    /// `planned`, `open` or `closed`.
    pub status: String,
    /// This session's chair (`provider:subject`), over the settings' one.
    pub chair: Option<String>,
    /// The recording of the session (u.s.g. art. 20 ust. 1b).
    pub recording_url: Option<String>,
    pub minutes_url: Option<String>,
    /// Bumped first by every write, so writers to one session take turns.
    pub events: i32,
    pub created_at: TimeDateTimeWithTimeZone,
    pub updated_at: TimeDateTimeWithTimeZone,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
