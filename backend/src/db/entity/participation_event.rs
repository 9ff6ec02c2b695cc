//! One entry of a participation instrument's hash-chained history.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "participation_event")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    /// The consultation, budget edition, ... whose history it is.
    pub subject_id: String,
    pub seq: i32,
    pub at: TimeDateTimeWithTimeZone,
    pub actor: String,
    pub actor_name: String,
    pub action: String,
    pub detail: String,
    pub prev_hash: String,
    pub hash: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
