//! Identity: sessions with idle and absolute expiry, pending logins (one-time state), API clients.
//!
//! Sessions are rebuilt rather than altered: they hold nothing that must survive, and
//! SQLite cannot add a NOT NULL column without a default. Everyone is logged out once.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table("session").if_exists().to_owned())
            .await?;
        m.create_table(
            Table::create()
                .table("session")
                .col(string_len("id_hash", 64).primary_key())
                .col(string_len("provider", 32))
                .col(text("identity"))
                // what RP-initiated logout hands back to the provider as `id_token_hint`
                .col(text_null("id_token"))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone("last_seen_at"))
                .col(timestamp_with_time_zone("idle_expires_at"))
                .col(timestamp_with_time_zone("expires_at"))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("session_ends")
                .table("session")
                .col("expires_at")
                .to_owned(),
        )
        .await?;

        // A login on its way through the provider: found by the hash of its `state`,
        // deleted when the callback uses it, so a replayed state finds nothing.
        m.create_table(
            Table::create()
                .table("login_flow")
                .col(string_len("state_hash", 64).primary_key())
                .col(string_len("provider", 32))
                .col(text("pkce_verifier"))
                .col(text("nonce"))
                .col(text("return_to"))
                // the anonymous owner whose drafts follow the resident into the session
                .col(string_len_null("anon_owner", 64))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone("expires_at"))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("login_flow_expires")
                .table("login_flow")
                .col("expires_at")
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table("api_client")
                .col(string_len("id", 36).primary_key())
                .col(string_len("name", 200))
                .col(text("scopes"))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone("expires_at"))
                .col(timestamp_with_time_zone_null("revoked_at"))
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in ["api_client", "login_flow", "session"] {
            m.drop_table(Table::drop().table(t).if_exists().to_owned())
                .await?;
        }
        m.create_table(
            Table::create()
                .table("session")
                .col(string_len("id_hash", 64).primary_key())
                .col(text("identity"))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone("expires_at"))
                .to_owned(),
        )
        .await?;
        Ok(())
    }
}
