use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "ledger_object")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub taxpayer_key: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub object_key: String,
    pub family: String,
    pub category: String,
    pub location: String,
    pub land_register: Option<String>,
    pub base: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
