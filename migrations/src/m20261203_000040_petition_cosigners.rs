//! Co-signers of a petition filed by a group (u.p.p. art. 4 ust. 2 pkt 1, issue 16 §1): each
//! confirms online, logged in, once, with their own consent to the publication of their
//! name (art. 4 ust. 3).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("petition_cosigner")
                // time-ordered (UUIDv7): the keyset of the lists
                .col(string_len("id", 36).primary_key())
                .col(string_len("case_id", 36))
                // the co-signer's owner key (as drafts and submissions)
                .col(string_len("owner", 80))
                // the name the identity provider gave
                .col(string_len("name", 300))
                // art. 4 ust. 3: their own consent to publish it
                .col(boolean("consent"))
                .col(timestamp_with_time_zone("confirmed_at"))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("petition_cosigner_once")
                .table("petition_cosigner")
                .col("case_id")
                .col("owner")
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("petition_cosigner_list")
                .table("petition_cosigner")
                .col("case_id")
                .col("consent")
                .col("id")
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(
            Table::drop()
                .table("petition_cosigner")
                .if_exists()
                .to_owned(),
        )
        .await
    }
}
