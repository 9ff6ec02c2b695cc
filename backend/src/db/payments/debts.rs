//! What is owed: `payment_debt`.

use sea_orm::{ConnectionTrait, DbErr, QueryResult, Value};

use super::{CHUNK, in_list, multi_row};

pub const OPEN: &str = "open";
pub const PARTIAL: &str = "partial";
pub const PAID: &str = "paid";
pub const OVERPAID: &str = "overpaid";

/// Whose debt: a resident's identity key or a taxpayer's id in the tax ledger.
pub const OWNER_IDENTITY: &str = "identity";
pub const OWNER_TAXPAYER: &str = "taxpayer";
/// Where it comes from: a case's fee (the case id) or the tax ledger (its reference).
pub const SOURCE_CASE: &str = "case";
pub const SOURCE_LEDGER: &str = "ledger";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Debt {
    pub id: String,
    pub number: i64,
    pub owner_kind: String,
    pub owner: String,
    pub source_kind: String,
    pub source_ref: String,
    pub amount: i64,
    pub paid: i64,
    pub title: String,
    pub account: String,
    pub due: String,
    pub status: String,
}

impl Debt {
    fn from_row(r: &QueryResult) -> Result<Self, DbErr> {
        Ok(Self {
            id: r.try_get("", "id")?,
            number: r.try_get("", "number")?,
            owner_kind: r.try_get("", "owner_kind")?,
            owner: r.try_get("", "owner")?,
            source_kind: r.try_get("", "source_kind")?,
            source_ref: r.try_get("", "source_ref")?,
            amount: r.try_get("", "amount")?,
            paid: r.try_get("", "paid")?,
            title: r.try_get("", "title")?,
            account: r.try_get("", "account")?,
            due: r.try_get("", "due")?,
            status: r.try_get("", "status")?,
        })
    }

    fn values(&self, created_at: time::OffsetDateTime) -> Vec<Value> {
        vec![
            self.id.clone().into(),
            self.number.into(),
            self.owner_kind.clone().into(),
            self.owner.clone().into(),
            self.source_kind.clone().into(),
            self.source_ref.clone().into(),
            self.amount.into(),
            self.paid.into(),
            self.title.clone().into(),
            self.account.clone().into(),
            self.due.clone().into(),
            self.status.clone().into(),
            created_at.into(),
        ]
    }
}

const COLUMNS: &str = "id, number, owner_kind, owner, source_kind, source_ref, amount, paid, \
                       title, account, due, status";

/// Inserts debts; those whose number is taken are left out. Returns how many went in.
pub async fn insert_debts(db: &impl ConnectionTrait, debts: &[Debt]) -> Result<u64, DbErr> {
    let backend = db.get_database_backend();
    let now = crate::db::now();
    let mut inserted = 0;
    for chunk in debts.chunks(CHUNK) {
        let stmt = multi_row(
            backend,
            &format!("INSERT INTO payment_debt ({COLUMNS}, created_at) VALUES"),
            13,
            chunk.iter().map(|d| d.values(now)),
            "ON CONFLICT (number) DO NOTHING",
        );
        inserted += db.execute_raw(stmt).await?.rows_affected();
    }
    Ok(inserted)
}

async fn select_in(
    db: &impl ConnectionTrait,
    column: &str,
    keys: Vec<Value>,
    extra: &str,
) -> Result<Vec<Debt>, DbErr> {
    let backend = db.get_database_backend();
    let mut out = Vec::new();
    for chunk in keys.chunks(CHUNK) {
        let stmt = in_list(
            backend,
            &format!("SELECT {COLUMNS} FROM payment_debt WHERE {column} IN"),
            chunk.to_vec(),
            extra,
        );
        for row in db.query_all_raw(stmt).await? {
            out.push(Debt::from_row(&row)?);
        }
    }
    Ok(out)
}

/// The debts on these accounts (virtual accounts), oldest due first within an account.
pub async fn debts_by_accounts(
    db: &impl ConnectionTrait,
    accounts: &[String],
) -> Result<Vec<Debt>, DbErr> {
    let keys = accounts.iter().map(|a| Value::from(a.clone())).collect();
    select_in(db, "account", keys, "ORDER BY account, due, number").await
}

/// The debts with these numbers (references found in titles).
pub async fn debts_by_numbers(
    db: &impl ConnectionTrait,
    numbers: &[i64],
) -> Result<Vec<Debt>, DbErr> {
    let keys = numbers.iter().map(|n| Value::from(*n)).collect();
    select_in(db, "number", keys, "").await
}

/// Open debts of these amounts: candidates for matching by amount and payer, and the
/// clerk's suggestions.
pub async fn open_debts_by_amounts(
    db: &impl ConnectionTrait,
    amounts: &[i64],
) -> Result<Vec<Debt>, DbErr> {
    let keys = amounts.iter().map(|n| Value::from(*n)).collect();
    select_in(
        db,
        "amount",
        keys,
        "AND status IN ('open', 'partial') ORDER BY due, number",
    )
    .await
}

/// A debt by id.
pub async fn debt(db: &impl ConnectionTrait, id: &str) -> Result<Option<Debt>, DbErr> {
    Ok(select_in(db, "id", vec![id.into()], "").await?.pop())
}

/// The debts of a case (its fees), oldest first: "awaiting payment" while any is open.
pub async fn open_for_case(db: &impl ConnectionTrait, case_id: &str) -> Result<Vec<Debt>, DbErr> {
    let extra = format!("AND source_kind = '{SOURCE_CASE}' ORDER BY due, number");
    select_in(db, "source_ref", vec![case_id.into()], &extra).await
}

/// An owner's debts, newest first, a page after `before` (an id).
pub async fn debts_of_owner(
    db: &impl ConnectionTrait,
    owner_kind: &str,
    owner: &str,
    before: Option<&str>,
    limit: u64,
) -> Result<Vec<Debt>, DbErr> {
    let backend = db.get_database_backend();
    let p = |n| super::placeholder(backend, n);
    let mut values: Vec<Value> = vec![owner_kind.into(), owner.into()];
    let mut sql = format!(
        "SELECT {COLUMNS} FROM payment_debt WHERE owner_kind = {} AND owner = {}",
        p(1),
        p(2)
    );
    if let Some(before) = before {
        sql.push_str(&format!(" AND id < {}", p(3)));
        values.push(before.into());
    }
    sql.push_str(&format!(" ORDER BY id DESC LIMIT {limit}"));
    let rows = db
        .query_all_raw(sea_orm::Statement::from_sql_and_values(
            backend, sql, values,
        ))
        .await?;
    rows.iter().map(Debt::from_row).collect()
}

/// Which owners the payments from these payers' accounts were matched to before:
/// `(payer account, owner kind, owner)`.
pub async fn owners_by_payer_accounts(
    db: &impl ConnectionTrait,
    payer_accounts: &[String],
) -> Result<Vec<(String, String, String)>, DbErr> {
    let backend = db.get_database_backend();
    let mut out = Vec::new();
    for chunk in payer_accounts.chunks(CHUNK) {
        let values = chunk.iter().map(|a| Value::from(a.clone())).collect();
        let stmt = in_list(
            backend,
            "SELECT DISTINCT p.payer_account, d.owner_kind, d.owner FROM payment p \
             JOIN payment_match m ON m.payment_id = p.id \
             JOIN payment_debt d ON d.id = m.debt_id WHERE p.payer_account IN",
            values,
            "",
        );
        for r in db.query_all_raw(stmt).await? {
            out.push((
                r.try_get("", "payer_account")?,
                r.try_get("", "owner_kind")?,
                r.try_get("", "owner")?,
            ));
        }
    }
    Ok(out)
}

/// The open debts of these owners (any kind; the caller checks the kind).
pub async fn open_debts_of_owners(
    db: &impl ConnectionTrait,
    owners: &[String],
) -> Result<Vec<Debt>, DbErr> {
    let keys = owners.iter().map(|o| Value::from(o.clone())).collect();
    select_in(
        db,
        "owner",
        keys,
        "AND status IN ('open', 'partial') ORDER BY due, number",
    )
    .await
}
