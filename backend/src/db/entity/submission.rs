use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "submission")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub owner: String,
    pub service_id: String,
    pub service_version: i32,
    pub definition_hash: String,
    pub data: String,
    pub applicant: String,
    pub identity_level: String,
    pub receipt_id: String,
    pub idempotency_key: Option<String>,
    pub request_hash: String,
    pub filed_at: TimeDateTimeWithTimeZone,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
