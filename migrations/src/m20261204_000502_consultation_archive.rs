//! Archiving consultations (issue 14 §2): the day a reported consultation is archived
//! (`archives_on`, set with the report) and when the worker did it (`archived_at`). The
//! archived list pages by the `consultation_phase` index (phase, opening day, id).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table("consultation")
                .add_column(date_null("archives_on"))
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table("consultation")
                .add_column(timestamp_with_time_zone_null("archived_at"))
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table("consultation")
                .drop_column("archived_at")
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table("consultation")
                .drop_column("archives_on")
                .to_owned(),
        )
        .await
    }
}
