use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "residence_registration")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub record_key: String,
    pub source: String,
    pub register: String,
    pub pesel: String,
    pub name: String,
    pub citizenship: Option<String>,
    pub stay: String,
    pub address: String,
    pub from_on: TimeDate,
    pub until_on: Option<TimeDate>,
    pub ended_on: Option<TimeDate>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
