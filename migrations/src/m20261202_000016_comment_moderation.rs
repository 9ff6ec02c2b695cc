//! Moderation of consultation comments (issue 14 §3): a comment is `published` (moderation
//! after publication, the default), `pending` (before publication) or `hidden`, which keeps
//! its place in the record with the reason and who hid it. Residents report comments, once
//! each; `reports` counts those not yet reviewed, and the queue index serves the
//! coordinator's moderation queue.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

const COMMENT: &str = "consultation_comment";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for col in [
            string_len("status", 16).default("published").to_owned(),
            text_null("moderation_reason").to_owned(),
            string_len_null("moderated_by", 200).to_owned(),
            timestamp_with_time_zone_null("moderated_at").to_owned(),
            integer("reports").default(0).to_owned(),
        ] {
            m.alter_table(Table::alter().table(COMMENT).add_column(col).to_owned())
                .await?;
        }
        m.create_index(
            Index::create()
                .name("consultation_comment_queue")
                .table(COMMENT)
                .col("consultation_id")
                .col("status")
                .col("reports")
                .col("created_at")
                .col("id")
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("consultation_comment_report")
                .col(string_len("comment_id", 36))
                // the reporter's keyed hash in the consultation
                .col(string_len("reporter", 64))
                .col(string_len("reason", 2000))
                .col(timestamp_with_time_zone("created_at"))
                .primary_key(Index::create().col("comment_id").col("reporter"))
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(
            Table::drop()
                .table("consultation_comment_report")
                .if_exists()
                .to_owned(),
        )
        .await?;
        m.drop_index(
            Index::drop()
                .name("consultation_comment_queue")
                .table(COMMENT)
                .to_owned(),
        )
        .await?;
        for col in [
            "reports",
            "moderated_at",
            "moderated_by",
            "moderation_reason",
            "status",
        ] {
            m.alter_table(Table::alter().table(COMMENT).drop_column(col).to_owned())
                .await?;
        }
        Ok(())
    }
}
