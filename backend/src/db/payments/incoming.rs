//! What came in: `payment`, `payment_statement`, `payment_match`, and the debts' paid sums.

use std::collections::HashSet;

use sea_orm::{ConnectionTrait, DbErr, Statement, Value};

use super::{CHUNK, in_list, multi_row, placeholder};

pub const MATCHED: &str = "matched";
pub const UNMATCHED: &str = "unmatched";
pub const CHANNEL_ONLINE: &str = "online";
pub const CHANNEL_TRANSFER: &str = "transfer";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewPayment {
    pub id: String,
    /// Unique: the provider's session, or the statement's account and the entry's reference.
    pub key: String,
    pub channel: &'static str,
    pub amount: i64,
    pub booked: String,
    pub account: String,
    pub payer_name: String,
    pub payer_account: String,
    pub title: String,
    pub statement_id: Option<String>,
    pub line: Option<i32>,
    pub status: &'static str,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewMatch {
    pub payment_id: String,
    pub debt_id: String,
    pub amount: i64,
    /// `virtual_account`, `title`, `amount_payer`, `online` or `manual`.
    pub rule: &'static str,
    /// `okienko` for the automatic rules, the clerk's identity for a manual match.
    pub matched_by: String,
}

/// Which of these payment keys are stored already.
pub async fn existing_keys(
    db: &impl ConnectionTrait,
    keys: &[String],
) -> Result<HashSet<String>, DbErr> {
    let backend = db.get_database_backend();
    let mut out = HashSet::new();
    for chunk in keys.chunks(CHUNK) {
        let values = chunk.iter().map(|k| Value::from(k.clone())).collect();
        let stmt = in_list(backend, "SELECT key FROM payment WHERE key IN", values, "");
        for row in db.query_all_raw(stmt).await? {
            out.insert(row.try_get::<String>("", "key")?);
        }
    }
    Ok(out)
}

/// Records a statement import; `false` when a file with this digest was imported before.
pub async fn insert_statement(
    db: &impl ConnectionTrait,
    id: &str,
    digest: &str,
    account: &str,
    format: &str,
    imported_by: &str,
) -> Result<bool, DbErr> {
    let backend = db.get_database_backend();
    let stmt = multi_row(
        backend,
        "INSERT INTO payment_statement (id, digest, account, format, entries, matched, imported_by, created_at) VALUES",
        8,
        [vec![
            id.into(),
            digest.into(),
            account.into(),
            format.into(),
            0i32.into(),
            0i32.into(),
            imported_by.into(),
            crate::db::now().into(),
        ]],
        "ON CONFLICT (digest) DO NOTHING",
    );
    Ok(db.execute_raw(stmt).await?.rows_affected() == 1)
}

/// The import's counts on its statement row.
pub async fn finish_statement(
    db: &impl ConnectionTrait,
    id: &str,
    entries: i32,
    matched: i32,
) -> Result<(), DbErr> {
    let backend = db.get_database_backend();
    let p = |n| placeholder(backend, n);
    db.execute_raw(Statement::from_sql_and_values(
        backend,
        format!(
            "UPDATE payment_statement SET entries = {}, matched = {} WHERE id = {}",
            p(1),
            p(2),
            p(3)
        ),
        [entries.into(), matched.into(), id.into()],
    ))
    .await
    .map(drop)
}

/// Inserts payments. A key stored already fails the whole transaction (unique), so a
/// payment is never recorded, nor settled, twice.
pub async fn insert_payments(
    db: &impl ConnectionTrait,
    payments: &[NewPayment],
) -> Result<(), DbErr> {
    let backend = db.get_database_backend();
    let now = crate::db::now();
    for chunk in payments.chunks(CHUNK) {
        let rows = chunk.iter().map(|p| {
            vec![
                p.id.clone().into(),
                p.key.clone().into(),
                p.channel.into(),
                p.amount.into(),
                p.booked.clone().into(),
                p.account.clone().into(),
                p.payer_name.clone().into(),
                p.payer_account.clone().into(),
                p.title.clone().into(),
                p.statement_id.clone().into(),
                p.line.into(),
                p.status.into(),
                now.into(),
            ]
        });
        db.execute_raw(multi_row(
            backend,
            "INSERT INTO payment (id, key, channel, amount, booked, account, payer_name, \
             payer_account, title, statement_id, line, status, created_at) VALUES",
            13,
            rows,
            "",
        ))
        .await?;
    }
    Ok(())
}

/// Records matches and adds their amounts to the debts' paid sums, the debts' statuses
/// following (`paid`, `overpaid`, `partial`): set-based, a statement per chunk.
pub async fn insert_matches(db: &impl ConnectionTrait, matches: &[NewMatch]) -> Result<(), DbErr> {
    let backend = db.get_database_backend();
    let now = crate::db::now();
    for chunk in matches.chunks(CHUNK) {
        let rows = chunk.iter().map(|m| {
            vec![
                m.payment_id.clone().into(),
                m.debt_id.clone().into(),
                m.amount.into(),
                m.rule.into(),
                m.matched_by.clone().into(),
                now.into(),
            ]
        });
        db.execute_raw(multi_row(
            backend,
            "INSERT INTO payment_match (payment_id, debt_id, amount, rule, matched_by, created_at) VALUES",
            6,
            rows,
            "",
        ))
        .await?;
        let mut sums: Vec<(String, i64)> = Vec::new();
        let mut sorted: Vec<&super::NewMatch> = chunk.iter().collect();
        sorted.sort_by(|a, b| a.debt_id.cmp(&b.debt_id));
        for m in sorted {
            match sums.last_mut() {
                Some((id, sum)) if *id == m.debt_id => *sum += m.amount,
                _ => sums.push((m.debt_id.clone(), m.amount)),
            }
        }
        add_paid(db, &sums).await?;
    }
    Ok(())
}

/// `paid += amount` for each debt, its status from the new sum: one statement.
async fn add_paid(db: &impl ConnectionTrait, sums: &[(String, i64)]) -> Result<(), DbErr> {
    let backend = db.get_database_backend();
    let rows = sums
        .iter()
        .map(|(id, amount)| vec![id.clone().into(), (*amount).into()]);
    let head = "UPDATE payment_debt SET paid = payment_debt.paid + v.amount, status = CASE \
         WHEN payment_debt.paid + v.amount > payment_debt.amount THEN 'overpaid' \
         WHEN payment_debt.paid + v.amount = payment_debt.amount THEN 'paid' \
         WHEN payment_debt.paid + v.amount > 0 THEN 'partial' ELSE payment_debt.status END \
         FROM (SELECT column1 AS id, column2 AS amount FROM (VALUES";
    db.execute_raw(multi_row(
        backend,
        head,
        2,
        rows,
        ") AS x) AS v WHERE payment_debt.id = v.id",
    ))
    .await
    .map(drop)
}

/// Marks a payment matched (a clerk's manual match of a queued one); `false` when it was
/// not waiting in the queue.
pub async fn mark_matched(db: &impl ConnectionTrait, payment_id: &str) -> Result<bool, DbErr> {
    let backend = db.get_database_backend();
    let r = db
        .execute_raw(Statement::from_sql_and_values(
            backend,
            format!(
                "UPDATE payment SET status = '{MATCHED}' WHERE id = {} AND status = '{UNMATCHED}'",
                placeholder(backend, 1)
            ),
            [payment_id.into()],
        ))
        .await?;
    Ok(r.rows_affected() == 1)
}
