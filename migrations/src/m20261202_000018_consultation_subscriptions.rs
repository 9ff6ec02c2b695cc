//! Residents' subscriptions to consultations (issue 14 §2): to all of them (`scope` `*`)
//! or to those concerning one area (its code). Announcing a consultation puts an e-mail to
//! each matching subscriber in the outbox; `token` is the unguessable key of the
//! unsubscribe link in every e-mail.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("consultation_subscription")
                .col(string_len("id", 36).primary_key())
                .col(string_len("owner", 80))
                .col(string_len("email", 254))
                .col(string_len("scope", 32))
                .col(string_len("token", 64))
                .col(timestamp_with_time_zone("created_at"))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("consultation_subscription_once")
                .table("consultation_subscription")
                .col("owner")
                .col("scope")
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("consultation_subscription_token")
                .table("consultation_subscription")
                .col("token")
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("consultation_subscription_scope")
                .table("consultation_subscription")
                .col("scope")
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(
            Table::drop()
                .table("consultation_subscription")
                .if_exists()
                .to_owned(),
        )
        .await
    }
}
