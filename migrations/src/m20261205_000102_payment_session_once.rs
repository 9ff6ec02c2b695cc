//! One online payment under way per debt (issue 21 §2: a debt is never paid twice). Two
//! tabs, or two devices, that start paying one debt used to register two transactions with
//! the provider for the whole amount each, and both could be paid. Now a debt has at most
//! one session in `registered` (a partial unique index, the same on SQLite and
//! PostgreSQL); a second start is sent to the same provider transaction (`redirect`), and a
//! session left unpaid past the provider's time limit becomes `expired`.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table("payment_session")
                // the provider's page for this transaction, once registered
                .add_column(string_len_null("redirect", 400))
                .to_owned(),
        )
        .await?;
        // sessions registered before this migration: all but each debt's newest expire
        // (uuid v7 ids sort by time), so the index below can be built
        m.get_connection()
            .execute_unprepared(
                "UPDATE payment_session SET status = 'expired' WHERE status = 'registered' \
                 AND id NOT IN (SELECT MAX(id) FROM payment_session WHERE status = 'registered' GROUP BY debt_id)",
            )
            .await?;
        m.get_connection()
            .execute_unprepared(
                "CREATE UNIQUE INDEX payment_session_one_open ON payment_session (debt_id) WHERE status = 'registered'",
            )
            .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.get_connection()
            .execute_unprepared("DROP INDEX payment_session_one_open")
            .await?;
        m.alter_table(
            Table::alter()
                .table("payment_session")
                .drop_column("redirect")
                .to_owned(),
        )
        .await
    }
}
