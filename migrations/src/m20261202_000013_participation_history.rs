//! One hash-chained audit history for every participation instrument: consultations'
//! entries (`consultation_event`) become `participation_event`, keyed by the subject's id
//! (a consultation, a budget edition, ...; ids are UUIDs, so chains never mix).

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.rename_table(
            Table::rename()
                .table("consultation_event", "participation_event")
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table("participation_event")
                .rename_column("consultation_id", "subject_id")
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table("participation_event")
                .rename_column("subject_id", "consultation_id")
                .to_owned(),
        )
        .await?;
        m.rename_table(
            Table::rename()
                .table("participation_event", "consultation_event")
                .to_owned(),
        )
        .await
    }
}
