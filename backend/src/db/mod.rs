//! The only module that builds queries. Functions take a connection and return domain
//! values or entity models; handlers never see sea-orm query APIs.

pub mod api_clients;
pub mod cases;
pub mod definitions;
pub mod drafts;
pub mod entity;
pub mod login_flows;
pub mod mailboxes;
pub mod outbox;
pub mod sessions;
pub mod stats;
pub mod submissions;

use okienko_migrations::MigratorTrait;
use sea_orm::{ConnectOptions, Database, DatabaseConnection};

/// Connects; SQLite gets WAL and a busy timeout so the worker and web can share the file.
pub async fn connect(url: &str) -> anyhow::Result<DatabaseConnection> {
    let sqlite = url.starts_with("sqlite:");
    let mut opt = ConnectOptions::new(url.to_owned());
    opt.max_connections(if sqlite { 4 } else { 20 })
        .min_connections(1)
        .sqlx_logging(false);
    let db = Database::connect(opt).await?;
    if sqlite {
        use sea_orm::ConnectionTrait;
        db.execute_unprepared(
            "PRAGMA journal_mode=WAL; PRAGMA busy_timeout=5000; PRAGMA foreign_keys=ON;",
        )
        .await?;
    }
    Ok(db)
}

pub async fn migrate(db: &DatabaseConnection) -> anyhow::Result<()> {
    okienko_migrations::Migrator::up(db, None).await?;
    Ok(())
}

pub fn now() -> time::OffsetDateTime {
    time::OffsetDateTime::now_utc()
}
