//! The citizens' legislative initiative (u.s.g. art. 41a, issue 16 §3): the initiative with
//! its committee and draft resolution, and its supports (one per person, by the keyed hash
//! of who they are under the initiative's own secret), each with the office's verdict
//! against the voters' register.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("initiative")
                .col(string_len("id", 36).primary_key())
                // the registering representative's owner key (as drafts and submissions)
                .col(string_len("created_by", 80))
                .col(string_len("state", 16))
                .col(string_len("title", 300))
                .col(text("draft"))
                .col(text("justification"))
                // the committee: members and representatives, as JSON
                .col(text("committee"))
                // art. 41a ust. 3, from the population when registered
                .col(integer("threshold"))
                // whether supports keep the PESEL (only where the council's resolution asks)
                .col(boolean("keeps_pesel"))
                // the key of the supporters' keyed hashes; never leaves the database
                .col(string_len("secret", 64))
                .col(string_len_null("submission_id", 36))
                .col(timestamp_with_time_zone_null("filed_at"))
                .col(timestamp_with_time_zone("created_at"))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("initiative_state")
                .table("initiative")
                .col("state")
                .col("id")
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("initiative_support")
                // time-ordered, the keyset of the verification list
                .col(string_len("id", 36).primary_key())
                .col(string_len("initiative_id", 36))
                .col(string_len("supporter", 64))
                .col(string_len("channel", 8))
                .col(string_len("name", 300))
                .col(string_len_null("address", 400))
                .col(string_len_null("pesel", 11))
                .col(date("supported_on"))
                // pending | accepted | rejected, with the reason of a rejection
                .col(string_len("verdict", 16))
                .col(string_len_null("reason", 400))
                .col(string_len_null("entered_by", 80))
                .col(string_len_null("verified_by", 80))
                .col(timestamp_with_time_zone("created_at"))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("initiative_support_person")
                .table("initiative_support")
                .col("initiative_id")
                .col("supporter")
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("initiative_support_list")
                .table("initiative_support")
                .col("initiative_id")
                .col("id")
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in ["initiative_support", "initiative"] {
            m.drop_table(Table::drop().table(t).if_exists().to_owned())
                .await?;
        }
        Ok(())
    }
}
