//! Payments (issue 21): what is owed (`payment_debt`), what came in (`payment`: online
//! through a provider or a transfer from a bank statement), which payment settled which
//! debt and by what rule (`payment_match`), and the statements imported
//! (`payment_statement`), and online payments' sessions with the provider
//! (`payment_session`). Amounts are integer grosze.
//!
//! Nothing is settled twice: a payment's `key` is unique (the provider's session id, or
//! the statement's account and the bank's reference of the entry), a statement's digest is
//! unique, and a payment matches a debt at most once (the match's primary key).
//! The matching reads debts by their number and by their virtual account; the clerks'
//! queue reads unmatched payments by day; the report reads payments by day and account.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("payment_debt")
                .col(string_len("id", 36).primary_key())
                // the debt's number: its reference `NAL-<number>` in titles, and the payer
                // digits of a per-debt virtual account
                .col(big_integer("number").unique_key())
                .col(string_len("owner_kind", 16))
                .col(string_len("owner", 128))
                .col(string_len("source_kind", 16))
                .col(string_len("source_ref", 128))
                .col(big_integer("amount"))
                .col(big_integer("paid").default(0))
                .col(string_len("title", 140))
                .col(string_len("account", 26))
                .col(string_len("due", 10))
                .col(string_len("status", 16))
                .col(timestamp_with_time_zone("created_at"))
                .to_owned(),
        )
        .await?;
        for (name, cols) in [
            ("payment_debt_account", &["account", "status"][..]),
            ("payment_debt_source", &["source_kind", "source_ref"][..]),
            ("payment_debt_owner", &["owner", "owner_kind", "id"][..]),
            ("payment_debt_amount", &["amount", "status"][..]),
        ] {
            let mut index = Index::create();
            index.name(name).table("payment_debt");
            for col in cols {
                index.col(*col);
            }
            m.create_index(index.to_owned()).await?;
        }
        m.create_table(
            Table::create()
                .table("payment_statement")
                .col(string_len("id", 36).primary_key())
                .col(string_len("digest", 64).unique_key())
                .col(string_len("account", 34))
                .col(string_len("format", 16))
                .col(integer("entries"))
                .col(integer("matched"))
                .col(string_len("imported_by", 128))
                .col(timestamp_with_time_zone("created_at"))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("payment")
                .col(string_len("id", 36).primary_key())
                // `p24:<session>` or `stmt:<account>/<bank reference>`: never twice
                .col(string_len("key", 200).unique_key())
                .col(string_len("channel", 16))
                .col(big_integer("amount"))
                .col(string_len("booked", 10))
                .col(string_len("account", 34))
                .col(string_len("payer_name", 140))
                .col(string_len("payer_account", 34))
                .col(text("title"))
                .col(string_len_null("statement_id", 36))
                .col(integer_null("line"))
                .col(string_len("status", 16))
                .col(timestamp_with_time_zone("created_at"))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("payment_status_booked")
                .table("payment")
                .col("status")
                .col("booked")
                .col("id")
                .to_owned(),
        )
        .await?;
        // matching by payer: the owners this payer's account paid for before
        m.create_index(
            Index::create()
                .name("payment_payer_account")
                .table("payment")
                .col("payer_account")
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("payment_booked_account")
                .table("payment")
                .col("booked")
                .col("account")
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("payment_match")
                .col(string_len("payment_id", 36))
                .col(string_len("debt_id", 36))
                .col(big_integer("amount"))
                .col(string_len("rule", 24))
                .col(string_len("matched_by", 128))
                .col(timestamp_with_time_zone("created_at"))
                .primary_key(Index::create().col("payment_id").col("debt_id"))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("payment_match_debt")
                .table("payment_match")
                .col("debt_id")
                .to_owned(),
        )
        .await?;
        // an online payment's session with the provider: okienko's session id is the
        // provider's idempotency key and the payment's key (`p24:<session>`)
        m.create_table(
            Table::create()
                .table("payment_session")
                .col(string_len("id", 36).primary_key())
                .col(string_len("debt_id", 36))
                .col(string_len("provider", 16))
                .col(big_integer("amount"))
                .col(string_len("status", 16))
                .col(big_integer_null("order_id"))
                .col(timestamp_with_time_zone("created_at"))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("payment_session_debt")
                .table("payment_session")
                .col("debt_id")
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            "payment_session",
            "payment_match",
            "payment",
            "payment_statement",
            "payment_debt",
        ] {
            m.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}
