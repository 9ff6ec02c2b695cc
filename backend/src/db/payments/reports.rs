//! What the clerks read: the queue of unmatched payments and the daily report.

use sea_orm::{ConnectionTrait, DbErr, Statement, Value};

use super::placeholder;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Payment {
    pub id: String,
    pub channel: String,
    pub amount: i64,
    pub booked: String,
    pub account: String,
    pub payer_name: String,
    pub payer_account: String,
    pub title: String,
    pub status: String,
}

/// Unmatched payments, oldest first, a keyset page after `(booked, id)`.
pub async fn unmatched(
    db: &impl ConnectionTrait,
    after: Option<(&str, &str)>,
    limit: u64,
) -> Result<Vec<Payment>, DbErr> {
    let backend = db.get_database_backend();
    let p = |n| placeholder(backend, n);
    let mut sql = String::from(
        "SELECT id, channel, amount, booked, account, payer_name, payer_account, title, status \
         FROM payment WHERE status = 'unmatched'",
    );
    let mut values: Vec<Value> = Vec::new();
    if let Some((booked, id)) = after {
        sql.push_str(&format!(
            " AND (booked > {} OR (booked = {} AND id > {}))",
            p(1),
            p(2),
            p(3)
        ));
        values.extend([booked.into(), booked.into(), id.into()]);
    }
    sql.push_str(&format!(" ORDER BY booked, id LIMIT {limit}"));
    let rows = db
        .query_all_raw(Statement::from_sql_and_values(backend, sql, values))
        .await?;
    rows.iter().map(payment_of).collect()
}

/// One row of a day's report: payments into an account by channel and status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportRow {
    pub account: String,
    pub channel: String,
    pub status: String,
    pub count: i64,
    pub amount: i64,
}

/// A day's payments per account, channel (online, transfer) and status (matched,
/// unmatched).
pub async fn day_report(db: &impl ConnectionTrait, day: &str) -> Result<Vec<ReportRow>, DbErr> {
    let backend = db.get_database_backend();
    let rows = db
        .query_all_raw(Statement::from_sql_and_values(
            backend,
            format!(
                "SELECT account, channel, status, COUNT(*) AS count, CAST(SUM(amount) AS BIGINT) AS amount \
                 FROM payment WHERE booked = {} GROUP BY account, channel, status \
                 ORDER BY account, channel, status",
                placeholder(backend, 1)
            ),
            [day.into()],
        ))
        .await?;
    rows.iter()
        .map(|r| {
            Ok(ReportRow {
                account: r.try_get("", "account")?,
                channel: r.try_get("", "channel")?,
                status: r.try_get("", "status")?,
                count: r.try_get("", "count")?,
                amount: r.try_get("", "amount")?,
            })
        })
        .collect()
}

fn payment_of(r: &sea_orm::QueryResult) -> Result<Payment, DbErr> {
    Ok(Payment {
        id: r.try_get("", "id")?,
        channel: r.try_get("", "channel")?,
        amount: r.try_get("", "amount")?,
        booked: r.try_get("", "booked")?,
        account: r.try_get("", "account")?,
        payer_name: r.try_get("", "payer_name")?,
        payer_account: r.try_get("", "payer_account")?,
        title: r.try_get("", "title")?,
        status: r.try_get("", "status")?,
    })
}

/// A payment by id.
pub async fn payment(db: &impl ConnectionTrait, id: &str) -> Result<Option<Payment>, DbErr> {
    let backend = db.get_database_backend();
    let row = db
        .query_one_raw(Statement::from_sql_and_values(
            backend,
            format!(
                "SELECT id, channel, amount, booked, account, payer_name, payer_account, title, status \
                 FROM payment WHERE id = {}",
                placeholder(backend, 1)
            ),
            [id.into()],
        ))
        .await?;
    row.as_ref().map(payment_of).transpose()
}

/// Which of these cases wait for a fee (a case's debt not paid in full): one statement
/// for a page of the clerks' queue.
pub async fn awaiting_fee(
    db: &impl ConnectionTrait,
    case_ids: &[String],
) -> Result<std::collections::HashSet<String>, DbErr> {
    if case_ids.is_empty() {
        return Ok(Default::default());
    }
    let backend = db.get_database_backend();
    let stmt = super::in_list(
        backend,
        "SELECT DISTINCT source_ref FROM payment_debt WHERE source_kind = 'case' \
         AND status IN ('open', 'partial') AND source_ref IN",
        case_ids.iter().map(|c| Value::from(c.clone())).collect(),
        "",
    );
    db.query_all_raw(stmt)
        .await?
        .iter()
        .map(|r| r.try_get("", "source_ref"))
        .collect()
}
