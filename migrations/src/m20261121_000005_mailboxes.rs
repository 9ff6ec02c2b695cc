//! E-delivery mailboxes (modelled on e-Doręczenia): mailboxes with addresses, messages and
//! each addressee's copy of them, evidences (exactly one per message, addressee and code),
//! and the transactional outbox the worker drains (notices, deemed delivery).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("mailbox")
                .col(string_len("address", 32).primary_key())
                .col(string_len("kind", 16))
                .col(string_len("owner", 80).unique_key())
                .col(string_len("name", 200))
                .col(string_len_null("email", 254))
                .col(timestamp_with_time_zone("created_at"))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("message")
                .col(string_len("id", 36).primary_key())
                .col(string_len("thread_id", 36))
                .col(string_len_null("ref_to", 36))
                .col(string_len("sender", 32))
                .col(string_len("subject", 255))
                .col(text("body"))
                .col(string_len_null("case_sign", 64))
                .col(string_len_null("document_id", 36))
                .col(string_len("sha3_256", 64))
                // a draft's addressees, until it is sent (JSON array)
                .col(text_null("draft_recipients"))
                .col(timestamp_with_time_zone("created_at"))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("message_attachment")
                .col(string_len("id", 36).primary_key())
                .col(string_len("message_id", 36))
                .col(string_len("name", 128))
                .col(string_len("content_type", 100))
                .col(big_integer("size"))
                .col(string_len("sha3_256", 64))
                .col(string_len("storage_key", 300))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("message_attachment_message")
                .table("message_attachment")
                .col("message_id")
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("message_case")
                .table("message")
                .col("case_sign")
                .to_owned(),
        )
        .await?;
        // one row per mailbox that holds the message: the sender's (sent) and each addressee's
        m.create_table(
            Table::create()
                .table("message_copy")
                .col(string_len("id", 36).primary_key())
                .col(string_len("message_id", 36))
                .col(string_len("mailbox", 32))
                .col(string_len("folder", 16))
                .col(string_len("status", 24))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone_null("available_at"))
                .col(timestamp_with_time_zone_null("opened_at"))
                .col(timestamp_with_time_zone_null("delivered_at"))
                .col(timestamp_with_time_zone_null("deemed_at"))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("message_copy_folder")
                .table("message_copy")
                .col("mailbox")
                .col("folder")
                .col("created_at")
                .col("id")
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("message_copy_message")
                .table("message_copy")
                .col("message_id")
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("evidence")
                .col(string_len("id", 36).primary_key())
                .col(string_len("message_id", 36))
                .col(string_len("mailbox", 32))
                .col(string_len("code", 8))
                .col(timestamp_with_time_zone("at"))
                .col(text("jws"))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("evidence_once")
                .table("evidence")
                .col("message_id")
                .col("mailbox")
                .col("code")
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("outbox")
                .col(string_len("id", 36).primary_key())
                .col(string_len("kind", 32))
                .col(text("payload"))
                .col(timestamp_with_time_zone("due_at"))
                .col(integer("attempts"))
                .col(timestamp_with_time_zone_null("locked_until"))
                .col(timestamp_with_time_zone_null("done_at"))
                .col(text_null("last_error"))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("outbox_due")
                .table("outbox")
                .col("done_at")
                .col("due_at")
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            "outbox",
            "evidence",
            "message_copy",
            "message_attachment",
            "message",
            "mailbox",
        ] {
            m.drop_table(Table::drop().table(t).if_exists().to_owned())
                .await?;
        }
        Ok(())
    }
}
