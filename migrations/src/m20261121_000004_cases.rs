//! Cases: the incoming register, case signs from gap-free counters, the case itself and its
//! append-only, hash-chained history (metryka sprawy, KPA art. 66a).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // Named counters (`register:2026`, `case:FN.3120.2026`), bumped inside the filing's
        // transaction: the row lock serialises filers and a rollback returns the number.
        m.create_table(
            Table::create()
                .table("sequence_counter")
                .col(string_len("name", 64).primary_key())
                .col(big_integer("last"))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table("case_file")
                .col(string_len("id", 36).primary_key())
                .col(string_len("sign", 64).unique_key())
                .col(string_len("unit", 10))
                .col(string_len("jrwa", 4))
                .col(integer("seq"))
                .col(integer("year"))
                .col(integer("register_no"))
                .col(string_len("submission_id", 36).unique_key())
                .col(string_len("service_id", 64))
                .col(string_len("owner", 64))
                .col(string_len("status", 24))
                .col(string_len_null("outcome", 24))
                .col(string_len_null("assignee", 160))
                .col(string_len("term", 16))
                .col(date("started_on"))
                .col(date("due_on"))
                .col(integer("paused_days"))
                .col(date_null("paused_since"))
                .col(string_len("access_code_hash", 64))
                .col(timestamp_with_time_zone_null("decided_at"))
                .col(integer("version"))
                .col(timestamp_with_time_zone("filed_at"))
                .col(timestamp_with_time_zone("updated_at"))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("case_register")
                .table("case_file")
                .col("year")
                .col("register_no")
                .unique()
                .to_owned(),
        )
        .await?;
        // the unit's queue sorted by deadline, and a resident's cases newest first
        m.create_index(
            Index::create()
                .name("case_queue")
                .table("case_file")
                .col("unit")
                .col("due_on")
                .col("id")
                .to_owned(),
        )
        .await?;
        // the same queue filtered by status
        m.create_index(
            Index::create()
                .name("case_queue_status")
                .table("case_file")
                .col("unit")
                .col("status")
                .col("due_on")
                .col("id")
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("case_owner")
                .table("case_file")
                .col("owner")
                .col("filed_at")
                .col("id")
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table("case_event")
                .col(string_len("id", 36).primary_key())
                .col(string_len("case_id", 36))
                .col(integer("seq"))
                .col(timestamp_with_time_zone("at"))
                .col(string_len("actor", 160))
                .col(string_len("actor_name", 200))
                .col(string_len("position", 100))
                .col(string_len("action", 32))
                .col(string_len("status", 24))
                .col(text("detail"))
                .col(string_len_null("document_id", 36))
                .col(string_len("prev_hash", 64))
                .col(string_len("hash", 64))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("case_event_seq")
                .table("case_event")
                .col("case_id")
                .col("seq")
                .unique()
                .to_owned(),
        )
        .await?;
        // letters and documents of a case: the bytes in object storage, the hash here
        m.create_table(
            Table::create()
                .table("case_document")
                .col(string_len("id", 36).primary_key())
                .col(string_len("case_id", 36))
                .col(string_len("kind", 32))
                .col(string_len("title", 200))
                .col(string_len("storage_key", 300))
                .col(string_len("sha3_256", 64))
                .col(big_integer("size"))
                .col(timestamp_with_time_zone("created_at"))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("case_document_case")
                .table("case_document")
                .col("case_id")
                .col("created_at")
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            "case_document",
            "case_event",
            "case_file",
            "sequence_counter",
        ] {
            m.drop_table(Table::drop().table(t).if_exists().to_owned())
                .await?;
        }
        Ok(())
    }
}
