//! An item of a session's agenda, with the majority it needs and, once voted, the
//! resolution's number and text.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "council_item")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub session_id: String,
    pub position: i32,
    pub title: String,
    /// The case the item deals with (a petition, a complaint), if any.
    pub case_sign: Option<String>,
    /// `simple`, `absolute` or `qualified:N/D`.
    pub majority: String,
    pub resolution_no: Option<String>,
    pub resolution_text: Option<String>,
    /// The statute that makes this item's votes secret (u.s.g. art. 19 ust. 1), if any.
    pub secret_basis: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
