//! One councillor's vote in one vote (u.s.g. art. 14: recorded by name and published).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "council_ballot")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub vote_id: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub login: String,
    pub name: String,
    /// `for`, `against` or `abstain`.
    pub choice: String,
    pub at: TimeDateTimeWithTimeZone,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
