//! The embedded tax ledger (issue 20 §2): taxpayers by PESEL or NIP, their taxable
//! objects, the yearly assessments (a decision for a natural person, a declaration for a
//! company), the instalments due and the payments made. Amounts are in grosze; areas and
//! values are exact decimals as text. `okienko ledger import` replaces it from CSV files.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

const TABLES: [&str; 5] = [
    "ledger_payment",
    "ledger_instalment",
    "ledger_assessment",
    "ledger_object",
    "ledger_taxpayer",
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("ledger_taxpayer")
                .col(string_len("taxpayer_key", 64).primary_key())
                // `pesel` or `nip`
                .col(string_len("kind", 8))
                .col(string_len("identifier", 11))
                .col(string_len("name", 300))
                .col(string_len("address", 300))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ledger_taxpayer_identifier")
                .table("ledger_taxpayer")
                .col("kind")
                .col("identifier")
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("ledger_object")
                .col(string_len("taxpayer_key", 64))
                .col(string_len("object_key", 64))
                // `property`, `agricultural`, `forest` or `transport`
                .col(string_len("family", 16))
                .col(string_len("category", 64))
                .col(string_len("location", 300))
                .col(string_len_null("land_register", 32))
                .col(string_len("base", 32))
                .primary_key(Index::create().col("taxpayer_key").col("object_key"))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("ledger_assessment")
                .col(string_len("taxpayer_key", 64))
                .col(integer("year"))
                .col(string_len("family", 16))
                // `decision` or `declaration`
                .col(string_len("kind", 16))
                .col(string_len("reference", 64))
                .col(date("issued_on"))
                .col(big_integer("amount_gr"))
                .primary_key(
                    Index::create()
                        .col("taxpayer_key")
                        .col("year")
                        .col("family"),
                )
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("ledger_instalment")
                .col(string_len("taxpayer_key", 64))
                .col(integer("year"))
                .col(string_len("family", 16))
                .col(small_integer("number"))
                .col(date("due_on"))
                .col(big_integer("amount_gr"))
                .primary_key(
                    Index::create()
                        .col("taxpayer_key")
                        .col("year")
                        .col("family")
                        .col("number"),
                )
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("ledger_payment")
                .col(string_len("payment_key", 64).primary_key())
                .col(string_len("taxpayer_key", 64))
                .col(date("paid_on"))
                .col(big_integer("amount_gr"))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ledger_payment_taxpayer")
                .table("ledger_payment")
                .col("taxpayer_key")
                .col("paid_on")
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in TABLES {
            m.drop_table(Table::drop().table(t).if_exists().to_owned())
                .await?;
        }
        Ok(())
    }
}
