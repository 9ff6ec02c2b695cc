//! Settling debts cheaply (issue 21 §4: a statement of 100,000 lines against 1,000,000
//! debts). Every matched line adds to a debt's `paid` and moves its `status`. With `status`
//! in two of its indexes, each such update wrote a new entry into all six of the table's
//! indexes; now no index holds `paid` or `status` (the lookups by account and by amount
//! filter the status in the row: an account has one or a few debts), so on PostgreSQL the
//! update can stay in its page (a HOT update: no index touched) when the page has room,
//! which `fillfactor = 85` leaves for new pages. Measured on the bench's million debts
//! (90,000 updates, PostgreSQL 15 with `shared_buffers` 2 GB): 2.0–2.2 s with the old
//! indexes, 1.2–1.3 s without `status` in them, 0.38 s with the fillfactor as well. Existing pages get the room when the table is
//! next rewritten (`VACUUM FULL payment_debt` in a maintenance window); SQLite has no
//! fillfactor and touches only the indexes whose columns change.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The two indexes as they were (`with_status`) or without `status`, under new names made
/// before the old ones are dropped (the pool's SQLite connections need not agree on the
/// schema between two statements, so a name is never dropped and made again).
const OLD: [(&str, &str); 2] = [
    ("payment_debt_account", "account"),
    ("payment_debt_amount", "amount"),
];
const NEW: [(&str, &str); 2] = [
    ("payment_debt_by_account", "account"),
    ("payment_debt_by_amount", "amount"),
];

async fn reindex(m: &SchemaManager<'_>, with_status: bool) -> Result<(), DbErr> {
    let (make, drop) = if with_status { (OLD, NEW) } else { (NEW, OLD) };
    for (name, col) in make {
        let mut index = Index::create();
        index.name(name).table("payment_debt").col(col);
        if with_status {
            index.col("status");
        }
        m.create_index(index.to_owned()).await?;
    }
    for (name, _) in drop {
        m.drop_index(Index::drop().name(name).table("payment_debt").to_owned())
            .await?;
    }
    Ok(())
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        reindex(m, false).await?;
        if m.get_database_backend() == sea_orm_migration::sea_orm::DatabaseBackend::Postgres {
            m.get_connection()
                .execute_unprepared("ALTER TABLE payment_debt SET (fillfactor = 85)")
                .await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        if m.get_database_backend() == sea_orm_migration::sea_orm::DatabaseBackend::Postgres {
            m.get_connection()
                .execute_unprepared("ALTER TABLE payment_debt RESET (fillfactor)")
                .await?;
        }
        reindex(m, true).await
    }
}
