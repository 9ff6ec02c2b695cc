//! The audit history of consultations, hash-chained like the cases' (`case_event`): who
//! created, edited, published, moved, answered comments of and reported on a consultation.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("consultation_event")
                .col(string_len("id", 36).primary_key())
                .col(string_len("consultation_id", 36))
                .col(integer("seq"))
                .col(timestamp_with_time_zone("at"))
                .col(string_len("actor", 80))
                .col(string_len("actor_name", 200))
                .col(string_len("action", 32))
                .col(text("detail"))
                .col(string_len("prev_hash", 64))
                .col(string_len("hash", 64))
                .to_owned(),
        )
        .await?;
        // one entry per place in the chain: two writers cannot both append seq n
        m.create_index(
            Index::create()
                .name("consultation_event_seq")
                .table("consultation_event")
                .col("consultation_id")
                .col("seq")
                .unique()
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(
            Table::drop()
                .table("consultation_event")
                .if_exists()
                .to_owned(),
        )
        .await
    }
}
