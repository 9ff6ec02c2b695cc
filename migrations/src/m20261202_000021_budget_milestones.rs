//! The implementation of a participatory budget's winning projects, followed publicly
//! (issue 15 §4): milestones per project, each with its day, state and what was done.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("budget_milestone")
                .col(string_len("id", 36).primary_key())
                .col(string_len("project_id", 36))
                .col(date("on_day"))
                // planned, in_progress, done, abandoned
                .col(string_len("state", 16))
                .col(text("note"))
                .col(string_len("created_by", 200))
                .col(timestamp_with_time_zone("created_at"))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("budget_milestone_project")
                .table("budget_milestone")
                .col("project_id")
                .col("on_day")
                .col("id")
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(
            Table::drop()
                .table("budget_milestone")
                .if_exists()
                .to_owned(),
        )
        .await
    }
}
