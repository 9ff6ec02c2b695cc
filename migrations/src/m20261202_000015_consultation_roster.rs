//! The roster of a closed or authorised-group consultation (issue 14 §3): who may take
//! part, kept only as keyed hashes. `member` is the key of a person's PESEL (a named
//! resident, or an organisation's representative); `voice` is the key whose answer counts:
//! the member's own, or the organisation's (its NIP or KRS), so that two representatives of
//! one organisation share one voice.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("consultation_roster")
                .col(string_len("consultation_id", 36))
                .col(string_len("member", 64))
                .col(string_len("voice", 64))
                // `person` or `organisation`
                .col(string_len("kind", 16))
                .primary_key(Index::create().col("consultation_id").col("member"))
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(
            Table::drop()
                .table("consultation_roster")
                .if_exists()
                .to_owned(),
        )
        .await
    }
}
