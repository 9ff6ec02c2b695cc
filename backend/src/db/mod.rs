//! The only module that builds queries. Functions take a connection and return domain
//! values or entity models; handlers never see sea-orm query APIs.

pub mod api_clients;
pub mod budget;
pub mod cases;
pub mod committer;
pub mod consultation_documents;
pub mod consultation_meetings;
pub mod consultation_moderation;
pub mod consultation_requests;
pub mod consultation_roster;
pub mod consultation_statistics;
pub mod consultation_subscriptions;
pub mod consultation_tally;
pub mod consultations;
pub mod council;
pub mod council_votes;
pub mod definitions;
pub mod drafts;
pub mod entity;
pub mod initiatives;
pub mod integrity;
pub mod keyset;
pub mod ledger;
pub mod login_flows;
pub mod mailboxes;
pub mod outbox;
pub mod paper;
pub mod participation_history;
pub mod payments;
pub mod permits;
pub mod petition_cosigners;
pub mod petitions;
pub mod residence;
pub mod sessions;
pub mod signing_keys;
pub mod stats;
pub mod submissions;

use okienko_migrations::MigratorTrait;
use sea_orm::{ConnectOptions, Database, DatabaseConnection};

/// How long a request waits for a pooled connection before it is refused as unavailable.
pub const ACQUIRE_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(3);

/// Whether `e` says the database could not be reached (down, restarting, the connection
/// cut), not that the statement was wrong: the request may succeed if sent again. A
/// connection PostgreSQL cut when it shut down fails its next statement with SQLSTATE
/// class 57 (`admin_shutdown`, `cannot_connect_now`) or 08, or an I/O error; sqlx then
/// drops it from the pool, so the next request gets a fresh one.
pub fn unreachable(e: &sea_orm::DbErr) -> bool {
    use sea_orm::{DbErr, RuntimeErr, sqlx::Error};
    let runtime = match e {
        DbErr::ConnectionAcquire(_) => return true,
        DbErr::Conn(r) | DbErr::Exec(r) | DbErr::Query(r) => r,
        _ => return false,
    };
    let RuntimeErr::SqlxError(sqlx) = runtime else {
        return matches!(e, DbErr::Conn(_));
    };
    match sqlx.as_ref() {
        Error::Io(_)
        | Error::Tls(_)
        | Error::Protocol(_)
        | Error::PoolTimedOut
        | Error::PoolClosed
        | Error::WorkerCrashed => true,
        Error::Database(d) => d
            .code()
            .is_some_and(|c| c.starts_with("57P") || c.starts_with("08")),
        _ => matches!(e, DbErr::Conn(_)),
    }
}

/// SQLite's page cache of a connection, in KiB as `PRAGMA cache_size` takes it (negative).
pub const SQLITE_CACHE_KIB: i64 = -65_536;

/// Connects; SQLite gets WAL and a busy timeout so the worker and web can share the file.
pub async fn connect(url: &str) -> anyhow::Result<DatabaseConnection> {
    let sqlite = url.starts_with("sqlite:");
    let mut opt = ConnectOptions::new(url.to_owned());
    opt.max_connections(if sqlite { 4 } else { 20 })
        .min_connections(1)
        // a connection idle for a while may have been closed by the server, a proxy or a
        // failover, and is pinged before use; a busy one is not (with a ping on every
        // checkout the server sent 7.3 messages a filing to the database, without 5.1)
        .test_before_acquire_if_idle_for(std::time::Duration::from_secs(10))
        // with the database down a request waits this long for a connection, then is
        // answered 503 with `Retry-After` (sqlx's default, 30 s, held every client that
        // long); at the peak no filing waited a tenth of it (docs/reliability.md)
        .acquire_timeout(ACQUIRE_TIMEOUT)
        .sqlx_logging(false)
        // SQLite's page cache is per connection and 2 MiB by default: a statement import
        // touching a million debts read and spilled the same pages again and again. 64 MiB
        // a connection, taken only as pages are read (`cache_size` is a ceiling)
        .map_sqlx_sqlite_opts(|o| o.pragma("cache_size", SQLITE_CACHE_KIB.to_string()));
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

/// Runs writes that need nothing back, in order. On PostgreSQL they go as one statement
/// (data-modifying CTEs: one round trip, foreign keys checked at its end); SQLite, which
/// has no such CTEs and no network, runs them one by one.
pub async fn execute_all(
    txn: &impl sea_orm::ConnectionTrait,
    mut statements: Vec<sea_orm::Statement>,
) -> Result<(), sea_orm::DbErr> {
    let Some(last) = statements.pop() else {
        return Ok(());
    };
    query_after(txn, statements, last).await.map(drop)
}

/// Runs `writes`, then `query`, returning the query's rows: one statement on PostgreSQL
/// (data-modifying CTEs, as `execute_all`), in turn on SQLite.
pub async fn query_after(
    txn: &impl sea_orm::ConnectionTrait,
    mut writes: Vec<sea_orm::Statement>,
    query: sea_orm::Statement,
) -> Result<Vec<sea_orm::QueryResult>, sea_orm::DbErr> {
    if txn.get_database_backend() != sea_orm::DatabaseBackend::Postgres || writes.is_empty() {
        for s in writes {
            txn.execute_raw(s).await?;
        }
        return txn.query_all_raw(query).await;
    }
    writes.push(query);
    txn.query_all_raw(chain(writes)).await
}

/// `WITH w0 AS (s0), w1 AS (s1), … sN`, the placeholders of each renumbered after the ones
/// before. The statements come from the query builder, which binds every value, so `$`
/// appears in their SQL only as a placeholder.
fn chain(statements: Vec<sea_orm::Statement>) -> sea_orm::Statement {
    let mut sql = String::from("WITH ");
    let mut values = Vec::new();
    let last = statements.len() - 1;
    for (i, s) in statements.into_iter().enumerate() {
        let offset = values.len();
        let renumbered = renumber(&s.sql, offset);
        if i < last {
            sql.push_str(&format!("w{i} AS ({renumbered}), "));
        } else {
            // the trailing ", " of the last CTE
            sql.truncate(sql.len() - 2);
            sql.push(' ');
            sql.push_str(&renumbered);
        }
        values.extend(s.values.map(|v| v.0).unwrap_or_default());
    }
    sea_orm::Statement::from_sql_and_values(sea_orm::DatabaseBackend::Postgres, sql, values)
}

/// Adds `offset` to every `$n` placeholder.
fn renumber(sql: &str, offset: usize) -> String {
    let mut out = String::with_capacity(sql.len() + 16);
    let mut chars = sql.char_indices().peekable();
    while let Some((_, c)) = chars.next() {
        out.push(c);
        if c != '$' {
            continue;
        }
        let mut n = String::new();
        while let Some((_, d)) = chars.peek().filter(|(_, d)| d.is_ascii_digit()) {
            n.push(*d);
            chars.next();
        }
        match n.parse::<usize>() {
            Ok(k) => out.push_str(&(k + offset).to_string()),
            Err(_) => out.push_str(&n),
        }
    }
    out
}

pub fn now() -> time::OffsetDateTime {
    time::OffsetDateTime::now_utc()
}

#[cfg(test)]
mod tests {
    use sea_orm::{DatabaseBackend, Statement};

    #[test]
    fn chained_statements_number_their_placeholders_in_turn() {
        let a = Statement::from_sql_and_values(
            DatabaseBackend::Postgres,
            r#"INSERT INTO "a" ("x", "y") VALUES ($1, $2)"#,
            [1.into(), 2.into()],
        );
        let b = Statement::from_sql_and_values(
            DatabaseBackend::Postgres,
            r#"INSERT INTO "b" ("x") VALUES ($1), ($2)"#,
            [3.into(), 4.into()],
        );
        let c = Statement::from_sql_and_values(
            DatabaseBackend::Postgres,
            r#"INSERT INTO "c" ("x") VALUES ($1)"#,
            [5.into()],
        );
        let s = super::chain(vec![a, b, c]);
        assert_eq!(
            s.sql,
            r#"WITH w0 AS (INSERT INTO "a" ("x", "y") VALUES ($1, $2)), w1 AS (INSERT INTO "b" ("x") VALUES ($3), ($4)) INSERT INTO "c" ("x") VALUES ($5)"#
        );
        assert_eq!(s.values.map(|v| v.0.len()), Some(5));
    }
}

#[cfg(test)]
mod out_of_reach {
    use std::sync::Arc;

    use sea_orm::{ConnAcquireErr, DbErr, RuntimeErr, sqlx};

    fn exec(e: sqlx::Error) -> DbErr {
        DbErr::Exec(RuntimeErr::SqlxError(Arc::new(e)))
    }

    #[test]
    fn a_database_out_of_reach_is_told_from_a_wrong_statement() {
        let io = std::io::Error::new(std::io::ErrorKind::ConnectionReset, "reset");
        for gone in [
            DbErr::ConnectionAcquire(ConnAcquireErr::Timeout),
            exec(sqlx::Error::Io(io)),
            exec(sqlx::Error::PoolTimedOut),
            exec(sqlx::Error::PoolClosed),
        ] {
            assert!(super::unreachable(&gone), "{gone}");
        }
        for wrong in [
            DbErr::RecordNotFound("x".into()),
            exec(sqlx::Error::RowNotFound),
            DbErr::Custom("x".into()),
        ] {
            assert!(!super::unreachable(&wrong), "{wrong}");
        }
    }
}
