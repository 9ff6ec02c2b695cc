//! A consultation's documents (issue 14 §1): the draft under consultation, maps, the
//! justification, uploaded to object storage (`storage_key`) by the consultation's author
//! or the coordinator until it opens, then frozen with the version residents answer.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("consultation_document")
                .col(string_len("id", 36).primary_key())
                .col(string_len("consultation_id", 36))
                // the consultation's version when it was added
                .col(integer("version"))
                // draft, map, justification, other
                .col(string_len("role", 32))
                .col(string_len("title", 1200))
                .col(string_len("name", 200))
                .col(string_len("content_type", 100))
                .col(big_integer("size"))
                .col(string_len("sha3_256", 64))
                .col(string_len("storage_key", 300))
                .col(timestamp_with_time_zone("created_at"))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("consultation_document_list")
                .table("consultation_document")
                .col("consultation_id")
                .col("created_at")
                .col("id")
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(
            Table::drop()
                .table("consultation_document")
                .if_exists()
                .to_owned(),
        )
        .await
    }
}
