use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "budget_project")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub edition_id: String,
    pub pool_code: String,
    pub author: String,
    pub title: String,
    pub data: String,
    pub cost: i64,
    pub corrected_cost: Option<i64>,
    pub cost_reason: Option<String>,
    pub status: String,
    pub formal_reasons: Option<String>,
    pub merit_reasons: Option<String>,
    pub evaluated_by: Option<String>,
    pub appeal: Option<String>,
    pub appealed_at: Option<TimeDateTimeWithTimeZone>,
    pub appeal_reasons: Option<String>,
    pub conflict_group: Option<String>,
    pub supports: i32,
    pub created_at: TimeDateTimeWithTimeZone,
    pub updated_at: TimeDateTimeWithTimeZone,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
