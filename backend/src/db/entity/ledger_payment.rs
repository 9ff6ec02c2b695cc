use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "ledger_payment")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub payment_key: String,
    pub taxpayer_key: String,
    pub paid_on: TimeDate,
    pub amount_gr: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
