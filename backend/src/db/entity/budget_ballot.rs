use sea_orm::entity::prelude::*;

/// A ballot, with nothing about who cast it: a random id and the day.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "budget_ballot")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub edition_id: String,
    pub area: Option<String>,
    pub choices: String,
    pub channel: String,
    pub status: String,
    pub reason: Option<String>,
    pub cast_on: TimeDate,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
