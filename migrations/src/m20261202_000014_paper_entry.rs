//! Paper (PARTICIPATION.md §7): every card typed in at the office, for any instrument
//! (consultation answers, budget ballots, support lists), waiting for a second clerk to
//! accept or reject it (four eyes). Who the card is from is kept only as the instrument's
//! keyed hash. Answers and participants gain where their voice came from (`online`,
//! `paper`) and the two facts the statistics fixed at closing count: the declared area and
//! the age band from the PESEL's birth date.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("paper_entry")
                .col(string_len("id", 36).primary_key())
                // `consultation`, `budget_ballot`, ...
                .col(string_len("instrument", 32))
                .col(string_len("subject_id", 36))
                // the number written on the card, once per subject
                .col(string_len("card", 64))
                .col(string_len("person_key", 64))
                // the card's content as the instrument checked it
                .col(text("data"))
                // pending, accepted, duplicate, rejected
                .col(string_len("state", 16))
                .col(string_len("entered_by", 80))
                .col(string_len("entered_by_name", 200))
                .col(timestamp_with_time_zone("entered_at"))
                .col(string_len_null("decided_by", 80))
                .col(string_len_null("decided_by_name", 200))
                .col(timestamp_with_time_zone_null("decided_at"))
                .col(text_null("reason"))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("paper_entry_card_once")
                .table("paper_entry")
                .col("instrument")
                .col("subject_id")
                .col("card")
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("paper_entry_page")
                .table("paper_entry")
                .col("instrument")
                .col("subject_id")
                .col("state")
                .col("entered_at")
                .col("id")
                .to_owned(),
        )
        .await?;
        for table in ["consultation_answer", "consultation_participant"] {
            m.alter_table(
                Table::alter()
                    .table(table)
                    .add_column(string_len("channel", 8).default("online"))
                    .to_owned(),
            )
            .await?;
            m.alter_table(
                Table::alter()
                    .table(table)
                    .add_column(string_len_null("area", 32))
                    .to_owned(),
            )
            .await?;
            m.alter_table(
                Table::alter()
                    .table(table)
                    .add_column(string_len_null("age_band", 8))
                    .to_owned(),
            )
            .await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for table in ["consultation_answer", "consultation_participant"] {
            for col in ["age_band", "area", "channel"] {
                m.alter_table(Table::alter().table(table).drop_column(col).to_owned())
                    .await?;
            }
        }
        m.drop_table(Table::drop().table("paper_entry").if_exists().to_owned())
            .await
    }
}
