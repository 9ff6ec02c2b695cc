use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "consultation_participant")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub consultation_id: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub participant: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
