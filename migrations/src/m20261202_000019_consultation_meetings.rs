//! A consultation's meetings (issue 14 §1): open meetings, expert panels, workshops and
//! study walks with their date and place, and the minutes uploaded afterwards to object
//! storage (`minutes_key`), listed on the consultation's page.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("consultation_meeting")
                .col(string_len("id", 36).primary_key())
                .col(string_len("consultation_id", 36))
                // open_meeting, expert_panel, workshop, study_walk
                .col(string_len("kind", 32))
                .col(timestamp_with_time_zone("starts_at"))
                .col(string_len("place", 1200))
                .col(string_len_null("minutes_key", 300))
                .col(string_len_null("minutes_name", 200))
                .col(string_len_null("minutes_type", 100))
                .col(timestamp_with_time_zone("created_at"))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("consultation_meeting_list")
                .table("consultation_meeting")
                .col("consultation_id")
                .col("starts_at")
                .col("id")
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(
            Table::drop()
                .table("consultation_meeting")
                .if_exists()
                .to_owned(),
        )
        .await
    }
}
