//! Payments' storage (issue 21, migration `m20261204_000101_payments`): debts
//! (`debts.rs`), payments, statements and matches (`incoming.rs`), the clerks' queue and
//! the daily report (`reports.rs`), online payments' sessions (`sessions.rs`). Lookups and writes take whole sets at a time, in
//! chunks: an import of 100,000 lines is a few hundred statements, never one a line.

mod debts;
mod incoming;
mod reports;
mod sessions;

pub use debts::*;
pub use incoming::*;
pub use reports::*;
pub use sessions::*;

use sea_orm::{DatabaseBackend, Statement, Value};

/// Rows a multi-row statement carries: under SQLite's 32,766 and PostgreSQL's 65,535
/// parameters at the widest row (13 columns).
const CHUNK: usize = 1_000;

fn placeholder(backend: DatabaseBackend, n: usize) -> String {
    match backend {
        DatabaseBackend::Postgres => format!("${n}"),
        _ => "?".to_owned(),
    }
}

/// `head (…), (…) tail` with a placeholder for each value, the rows all `width` wide.
fn multi_row(
    backend: DatabaseBackend,
    head: &str,
    width: usize,
    rows: impl IntoIterator<Item = Vec<Value>>,
    tail: &str,
) -> Statement {
    let mut sql = String::from(head);
    let mut values: Vec<Value> = Vec::new();
    for (i, row) in rows.into_iter().enumerate() {
        debug_assert_eq!(row.len(), width);
        sql.push_str(if i == 0 { " (" } else { ", (" });
        for k in 0..width {
            if k > 0 {
                sql.push_str(", ");
            }
            sql.push_str(&placeholder(backend, values.len() + k + 1));
        }
        sql.push(')');
        values.extend(row);
    }
    sql.push(' ');
    sql.push_str(tail);
    Statement::from_sql_and_values(backend, sql, values)
}

/// `prefix (?, ?, …) suffix` for an `IN` list of `values`.
fn in_list(backend: DatabaseBackend, prefix: &str, values: Vec<Value>, suffix: &str) -> Statement {
    let marks: Vec<String> = (1..=values.len())
        .map(|n| placeholder(backend, n))
        .collect();
    Statement::from_sql_and_values(
        backend,
        format!("{prefix} ({}) {suffix}", marks.join(", ")),
        values,
    )
}
