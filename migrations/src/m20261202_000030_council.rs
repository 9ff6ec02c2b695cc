//! The council's sessions (u.s.g. art. 20): the calendar the council office keeps, each
//! session's agenda items with the majority each needs, the councillors' attendance, the
//! electronic votes and each councillor's vote (art. 14: named lists are published).
//! A session's history is `participation_event` under the session's id.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("council_session")
                .col(string_len("id", 36).primary_key())
                .col(string_len("title", 300))
                .col(timestamp_with_time_zone("starts_at"))
                .col(string_len("place", 300))
                // planned, open, closed
                .col(string_len("status", 16))
                // the chair for this session (`provider:subject`), over the settings' one
                .col(string_len_null("chair", 200))
                .col(string_len_null("recording_url", 500))
                .col(string_len_null("minutes_url", 500))
                // bumped first by every write to the session, so writers take turns on its
                // row and its history's next place is theirs alone
                .col(integer("events").default(0))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone("updated_at"))
                .to_owned(),
        )
        .await?;
        // the calendar, by date, keyset-paged
        m.create_index(
            Index::create()
                .name("council_session_starts")
                .table("council_session")
                .col("starts_at")
                .col("id")
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("council_item")
                .col(string_len("id", 36).primary_key())
                .col(string_len("session_id", 36))
                .col(integer("position"))
                .col(string_len("title", 500))
                // the case the item deals with (a petition, a complaint), if any
                .col(string_len_null("case_sign", 64))
                // simple, absolute, qualified:N/D
                .col(string_len("majority", 32))
                .col(string_len_null("resolution_no", 64))
                .col(text_null("resolution_text"))
                .foreign_key(
                    ForeignKey::create()
                        .from("council_item", "session_id")
                        .to("council_session", "id"),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("council_item_position")
                .table("council_item")
                .col("session_id")
                .col("position")
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("council_item_case")
                .table("council_item")
                .col("case_sign")
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("council_attendance")
                .col(string_len("session_id", 36))
                .col(string_len("login", 200))
                .col(string_len("name", 200))
                .col(timestamp_with_time_zone("at"))
                .primary_key(Index::create().col("session_id").col("login"))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("council_vote")
                .col(string_len("id", 36).primary_key())
                .col(string_len("session_id", 36))
                .col(string_len("item_id", 36))
                // open, closed
                .col(string_len("status", 16))
                // the item's rule and the numbers it counts from, frozen at opening
                .col(string_len("majority", 32))
                .col(integer("statutory"))
                .col(integer("present"))
                .col(timestamp_with_time_zone("opened_at"))
                .col(timestamp_with_time_zone_null("closed_at"))
                .col(integer_null("votes_for"))
                .col(integer_null("votes_against"))
                .col(integer_null("votes_abstain"))
                .col(boolean_null("adopted"))
                .col(text_null("result"))
                .foreign_key(
                    ForeignKey::create()
                        .from("council_vote", "item_id")
                        .to("council_item", "id"),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("council_vote_session")
                .table("council_vote")
                .col("session_id")
                .col("opened_at")
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("council_ballot")
                .col(string_len("vote_id", 36))
                .col(string_len("login", 200))
                .col(string_len("name", 200))
                // for, against, abstain
                .col(string_len("choice", 8))
                .col(timestamp_with_time_zone("at"))
                // one vote per councillor per vote
                .primary_key(Index::create().col("vote_id").col("login"))
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            "council_ballot",
            "council_vote",
            "council_attendance",
            "council_item",
            "council_session",
        ] {
            m.drop_table(Table::drop().table(t).if_exists().to_owned())
                .await?;
        }
        Ok(())
    }
}
