//! Who answered an anonymous consultation, kept apart from what they answered: one row per
//! person (their keyed hash) so nobody answers twice, and no column shared with
//! `consultation_answer` but the consultation.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("consultation_participant")
                .col(string_len("consultation_id", 36))
                .col(string_len("participant", 64))
                .primary_key(Index::create().col("consultation_id").col("participant"))
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(
            Table::drop()
                .table("consultation_participant")
                .if_exists()
                .to_owned(),
        )
        .await
    }
}
