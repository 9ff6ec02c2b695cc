//! An electronic vote on an agenda item: opened and closed by the chair, its rule and
//! numbers frozen at opening, its result fixed at closing.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "council_vote")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub session_id: String,
    pub item_id: String,
    /// `open` or `closed`.
    pub status: String,
    pub majority: String,
    pub statutory: i32,
    pub present: i32,
    pub opened_at: TimeDateTimeWithTimeZone,
    pub closed_at: Option<TimeDateTimeWithTimeZone>,
    pub votes_for: Option<i32>,
    pub votes_against: Option<i32>,
    pub votes_abstain: Option<i32>,
    pub adopted: Option<bool>,
    pub result: Option<String>,
    /// A secret vote: ballots record who voted, never how; the choices are counted here.
    pub secret: bool,
    pub secret_for: i32,
    pub secret_against: i32,
    pub secret_abstain: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
