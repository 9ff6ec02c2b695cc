use sea_orm::entity::prelude::*;

/// Who voted in an edition (their keyed hash), and nothing about how.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "budget_voter")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub edition_id: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub voter: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
