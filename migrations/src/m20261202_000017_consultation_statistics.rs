//! The statistics of a consultation fixed at its closing (issue 14 §4): answers online and
//! on paper, by declared area and by age band, written once by the move to `closed` and
//! never recomputed, so they match the published protocol whatever changes later.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table("consultation")
                .add_column(text_null("statistics"))
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table("consultation")
                .drop_column("statistics")
                .to_owned(),
        )
        .await
    }
}
