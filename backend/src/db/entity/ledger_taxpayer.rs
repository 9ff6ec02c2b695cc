use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "ledger_taxpayer")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub taxpayer_key: String,
    pub kind: String,
    pub identifier: String,
    pub name: String,
    pub address: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
