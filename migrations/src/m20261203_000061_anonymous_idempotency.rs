//! Anonymous filings' idempotency keys (`anon:` and the key's hash) are unique by
//! themselves, whatever the owner cookie (issue 18 §2): two racing retries of one anonymous
//! filing cannot both be stored. A partial index, the same on SQLite and PostgreSQL.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.get_connection()
            .execute_unprepared(
                "CREATE UNIQUE INDEX submission_anonymous_idempotency ON submission (idempotency_key) WHERE idempotency_key LIKE 'anon:%'",
            )
            .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.get_connection()
            .execute_unprepared("DROP INDEX submission_anonymous_idempotency")
            .await?;
        Ok(())
    }
}
