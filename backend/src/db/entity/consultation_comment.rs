use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "consultation_comment")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub consultation_id: String,
    pub participant: String,
    pub author_name: Option<String>,
    pub anchor: String,
    pub body: String,
    pub created_at: TimeDateTimeWithTimeZone,
    pub position: Option<String>,
    pub justification: Option<String>,
    pub answered_at: Option<TimeDateTimeWithTimeZone>,
    /// `published`, `pending` (moderation before publication) or `hidden`.
    pub status: String,
    pub moderation_reason: Option<String>,
    pub moderated_by: Option<String>,
    pub moderated_at: Option<TimeDateTimeWithTimeZone>,
    /// Residents' reports not yet reviewed.
    pub reports: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
