use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "budget_edition")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub created_by: String,
    pub phase: String,
    pub version: i32,
    pub title: String,
    pub body: String,
    pub intake_opens_on: TimeDate,
    pub intake_closes_on: TimeDate,
    pub evaluation_closes_on: TimeDate,
    pub appeals_closes_on: TimeDate,
    pub voting_opens_on: TimeDate,
    pub voting_closes_on: TimeDate,
    pub results_on: TimeDate,
    pub secret: String,
    pub frozen_at: Option<TimeDateTimeWithTimeZone>,
    pub protocol: Option<String>,
    pub published_at: Option<TimeDateTimeWithTimeZone>,
    /// Bumped by every paper voting card typed in or decided (the tally's lock).
    pub paper_seq: i64,
    pub created_at: TimeDateTimeWithTimeZone,
    pub updated_at: TimeDateTimeWithTimeZone,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
