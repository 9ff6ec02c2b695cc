//! Definitions, drafts, submissions with their attachments and receipts, sessions.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // Every definition version ever used, content-addressed, so old submissions
        // keep rendering with the definition they were filled against.
        m.create_table(
            Table::create()
                .table("service_definition")
                .if_not_exists()
                .col(string_len("hash", 64).primary_key())
                .col(string_len("service_id", 64))
                .col(integer("version"))
                .col(text("definition"))
                .col(timestamp_with_time_zone("first_seen_at"))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table("draft")
                .if_not_exists()
                .col(string_len("id", 36).primary_key())
                .col(string_len("owner", 64))
                .col(string_len("service_id", 64))
                .col(integer("service_version"))
                .col(string_len("definition_hash", 64))
                .col(text("data"))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone("updated_at"))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("draft_owner_updated")
                .table("draft")
                .col("owner")
                .col("updated_at")
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table("submission")
                .if_not_exists()
                .col(string_len("id", 36).primary_key())
                .col(string_len("owner", 64))
                .col(string_len("service_id", 64))
                .col(integer("service_version"))
                .col(string_len("definition_hash", 64))
                .col(text("data"))
                .col(text("applicant"))
                .col(string_len("identity_level", 16))
                .col(string_len("receipt_id", 48).unique_key())
                .col(string_len_null("idempotency_key", 128))
                .col(string_len("request_hash", 64))
                .col(timestamp_with_time_zone("filed_at"))
                .to_owned(),
        )
        .await?;
        // "my submissions", newest first, by keyset (owner, filed_at, id)
        m.create_index(
            Index::create()
                .name("submission_owner_filed")
                .table("submission")
                .col("owner")
                .col("filed_at")
                .col("id")
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("submission_idempotency")
                .table("submission")
                .col("owner")
                .col("idempotency_key")
                .unique()
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table("attachment")
                .if_not_exists()
                .col(string_len("id", 36).primary_key())
                .col(string_len("submission_id", 36))
                .col(string_len("field", 64))
                .col(integer("position"))
                .col(string_len("name", 128))
                .col(string_len("content_type", 128))
                .col(big_integer("size"))
                .col(string_len("sha3_256", 64))
                .col(string_len("storage_key", 200))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("attachment_submission")
                .table("attachment")
                .col("submission_id")
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table("receipt")
                .if_not_exists()
                .col(string_len("id", 48).primary_key())
                .col(string_len("submission_id", 36).unique_key())
                .col(text("jws"))
                .col(timestamp_with_time_zone("created_at"))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table("session")
                .if_not_exists()
                .col(string_len("id_hash", 64).primary_key())
                .col(text("identity"))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone("expires_at"))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("session_expires")
                .table("session")
                .col("expires_at")
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            "session",
            "receipt",
            "attachment",
            "submission",
            "draft",
            "service_definition",
        ] {
            m.drop_table(Table::drop().table(t).if_exists().to_owned())
                .await?;
        }
        Ok(())
    }
}
