//! Signing keys in the database, so every node signs and verifies with the same ones
//! (issue 18 §1). The private half is sealed (AES-256-GCM) with a key-encryption key from
//! configuration that the database never sees; `kek_id` names which one sealed it.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("signing_key")
                .col(string_len("kid", 64).primary_key())
                // `signing` (receipts, tokens, evidences, reports) or `dev_idp`
                .col(string_len("purpose", 16))
                // the Ed25519 public key, base64url
                .col(string_len("public_key", 64))
                // nonce ‖ ciphertext ‖ tag of the 32-byte seed, base64
                .col(string_len("sealed", 128))
                .col(string_len("kek_id", 16))
                .col(timestamp_with_time_zone("created_at"))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("signing_key_purpose")
                .table("signing_key")
                .col("purpose")
                .col("created_at")
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table("signing_key").to_owned())
            .await
    }
}
