//! The participatory budget (issue 15): editions (the resolution's settings as JSON, the
//! windows' dates and the phase for the worker, the secret of the keyed hashes, the signed
//! protocol once published), projects with their evaluation and appeal, supports (one per
//! person and project), and the vote kept in two tables that share nothing but the edition:
//! who voted (`budget_voter`, a keyed hash) and the ballots (`budget_ballot`, a random id,
//! the day only).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("budget_edition")
                .col(string_len("id", 36).primary_key())
                .col(string_len("created_by", 80))
                .col(string_len("phase", 16))
                .col(integer("version"))
                .col(string_len("title", 1200))
                // the domain's Edition as JSON
                .col(text("body"))
                .col(date("intake_opens_on"))
                .col(date("intake_closes_on"))
                .col(date("evaluation_closes_on"))
                .col(date("appeals_closes_on"))
                .col(date("voting_opens_on"))
                .col(date("voting_closes_on"))
                .col(date("results_on"))
                // the key of the keyed hashes; emptied once the results are published
                .col(string_len("secret", 64))
                // the first ballot: the rules are frozen from then on
                .col(timestamp_with_time_zone_null("frozen_at"))
                .col(text_null("protocol"))
                .col(timestamp_with_time_zone_null("published_at"))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone("updated_at"))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("budget_edition_page")
                .table("budget_edition")
                .col("intake_opens_on")
                .col("id")
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("budget_project")
                .col(string_len("id", 36).primary_key())
                .col(string_len("edition_id", 36))
                .col(string_len("pool_code", 32))
                // the author's owner key: who may edit and appeal
                .col(string_len("author", 80))
                .col(string_len("title", 1200))
                // the project form's validated data
                .col(text("data"))
                .col(big_integer("cost"))
                .col(big_integer_null("corrected_cost"))
                .col(text_null("cost_reason"))
                .col(string_len("status", 24))
                .col(text_null("formal_reasons"))
                .col(text_null("merit_reasons"))
                .col(string_len_null("evaluated_by", 200))
                .col(text_null("appeal"))
                .col(timestamp_with_time_zone_null("appealed_at"))
                .col(text_null("appeal_reasons"))
                .col(string_len_null("conflict_group", 64))
                .col(integer("supports"))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone("updated_at"))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("budget_project_page")
                .table("budget_project")
                .col("edition_id")
                .col("created_at")
                .col("id")
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("budget_support")
                .col(string_len("project_id", 36))
                .col(string_len("supporter", 64))
                .primary_key(Index::create().col("project_id").col("supporter"))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("budget_voter")
                .col(string_len("edition_id", 36))
                .col(string_len("voter", 64))
                .primary_key(Index::create().col("edition_id").col("voter"))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("budget_ballot")
                .col(string_len("id", 36).primary_key())
                .col(string_len("edition_id", 36))
                .col(string_len_null("area", 32))
                // {pool code: [[project id, points], …]}
                .col(text("choices"))
                .col(string_len("channel", 8))
                .col(string_len("status", 16))
                .col(string_len_null("reason", 16))
                .col(date("cast_on"))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("budget_ballot_edition")
                .table("budget_ballot")
                .col("edition_id")
                .col("id")
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            "budget_ballot",
            "budget_voter",
            "budget_support",
            "budget_project",
            "budget_edition",
        ] {
            m.drop_table(Table::drop().table(t).if_exists().to_owned())
                .await?;
        }
        Ok(())
    }
}
