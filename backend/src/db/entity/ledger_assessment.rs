use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "ledger_assessment")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub taxpayer_key: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub year: i32,
    #[sea_orm(primary_key, auto_increment = false)]
    pub family: String,
    pub kind: String,
    pub reference: String,
    pub issued_on: TimeDate,
    pub amount_gr: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
