//! Public consultations (issue 14): the consultation (its current version's dates and its
//! phase, for lists and the worker), every version of its content and questionnaire (an
//! answer keeps the version it answered), residents' answers (one per person, keyed by a
//! hash), and comments anchored to the document's paragraphs with the office's position.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("consultation")
                .col(string_len("id", 36).primary_key())
                .col(string_len("created_by", 80))
                .col(string_len("phase", 16))
                .col(integer("version"))
                .col(string_len("kind", 32))
                .col(string_len("subject", 1200))
                .col(date("announced_on"))
                .col(date("opens_on"))
                .col(date("closes_on"))
                .col(date("report_due_on"))
                // the key of the participants' keyed hashes; never leaves the database
                .col(string_len("secret", 64))
                .col(timestamp_with_time_zone_null("published_at"))
                .col(text_null("report"))
                .col(timestamp_with_time_zone_null("reported_at"))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone("updated_at"))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("consultation_phase")
                .table("consultation")
                .col("phase")
                .col("opens_on")
                .col("id")
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("consultation_version")
                .col(string_len("id", 36).primary_key())
                .col(string_len("consultation_id", 36))
                .col(integer("version"))
                // the domain's Consultation as JSON
                .col(text("body"))
                .col(text("questionnaire"))
                .col(string_len("questionnaire_hash", 64))
                .col(string_len("created_by", 80))
                .col(timestamp_with_time_zone("created_at"))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("consultation_version_once")
                .table("consultation_version")
                .col("consultation_id")
                .col("version")
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("consultation_answer")
                .col(string_len("id", 36).primary_key())
                .col(string_len("consultation_id", 36))
                .col(string_len("participant", 64))
                .col(integer("version"))
                .col(text("data"))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone("updated_at"))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("consultation_answer_once")
                .table("consultation_answer")
                .col("consultation_id")
                .col("participant")
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("consultation_answer_page")
                .table("consultation_answer")
                .col("consultation_id")
                .col("created_at")
                .col("id")
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("consultation_comment")
                .col(string_len("id", 36).primary_key())
                .col(string_len("consultation_id", 36))
                .col(string_len("participant", 64))
                // shown only with the author's consent
                .col(string_len_null("author_name", 200))
                .col(string_len("anchor", 32))
                .col(text("body"))
                .col(timestamp_with_time_zone("created_at"))
                .col(string_len_null("position", 16))
                .col(text_null("justification"))
                .col(timestamp_with_time_zone_null("answered_at"))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("consultation_comment_page")
                .table("consultation_comment")
                .col("consultation_id")
                .col("created_at")
                .col("id")
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            "consultation_comment",
            "consultation_answer",
            "consultation_version",
            "consultation",
        ] {
            m.drop_table(Table::drop().table(t).if_exists().to_owned())
                .await?;
        }
        Ok(())
    }
}
