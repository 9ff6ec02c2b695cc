//! Online payments' sessions with the provider: `payment_session`. A debt has at most one
//! session in `registered` at a time (the partial unique index `payment_session_one_open`).

use sea_orm::{ConnectionTrait, DatabaseBackend, DbErr, Statement, Value};

use super::multi_row;

pub const REGISTERED: &str = "registered";
pub const SESSION_PAID: &str = "paid";
/// The provider notified another amount than registered: flagged, never settled.
pub const MISMATCH: &str = "mismatch";
/// Left unpaid past the provider's time limit; a late notification still settles it.
pub const EXPIRED: &str = "expired";
/// The provider refused or did not answer the registration: nothing can be paid on it.
pub const FAILED: &str = "failed";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    pub id: String,
    pub debt_id: String,
    pub amount: i64,
    pub status: String,
    /// The provider's page, once the transaction is registered.
    pub redirect: Option<String>,
}

pub async fn insert_session(
    db: &impl ConnectionTrait,
    id: &str,
    debt_id: &str,
    provider: &str,
    amount: i64,
) -> Result<(), DbErr> {
    let stmt = multi_row(
        db.get_database_backend(),
        "INSERT INTO payment_session (id, debt_id, provider, amount, status, created_at) VALUES",
        6,
        [vec![
            id.into(),
            debt_id.into(),
            provider.into(),
            amount.into(),
            REGISTERED.into(),
            crate::db::now().into(),
        ]],
        "",
    );
    db.execute_raw(stmt).await.map(drop)
}

pub async fn session(db: &impl ConnectionTrait, id: &str) -> Result<Option<Session>, DbErr> {
    one(db, "id = $1", id).await
}

/// The debt's session under way (`registered`), if any.
pub async fn open_session(
    db: &impl ConnectionTrait,
    debt_id: &str,
) -> Result<Option<Session>, DbErr> {
    one(
        db,
        &format!("debt_id = $1 AND status = '{REGISTERED}'"),
        debt_id,
    )
    .await
}

/// Marks the debt's sessions registered before `before` as `expired`: the provider no
/// longer takes payments on them, and another may start.
pub async fn expire_sessions(
    db: &impl ConnectionTrait,
    debt_id: &str,
    before: time::OffsetDateTime,
) -> Result<u64, DbErr> {
    let sql = format!(
        "UPDATE payment_session SET status = '{EXPIRED}' \
         WHERE debt_id = $1 AND status = '{REGISTERED}' AND created_at < $2"
    );
    run(db, &sql, vec![debt_id.into(), before.into()]).await
}

/// Records the provider's page of a registered session.
pub async fn set_redirect(
    db: &impl ConnectionTrait,
    id: &str,
    redirect: &str,
) -> Result<(), DbErr> {
    let sql = "UPDATE payment_session SET redirect = $1 WHERE id = $2";
    run(db, sql, vec![redirect.into(), id.into()])
        .await
        .map(drop)
}

/// Marks a session whose registration the provider refused or did not answer.
pub async fn fail_session(db: &impl ConnectionTrait, id: &str) -> Result<(), DbErr> {
    let sql = format!(
        "UPDATE payment_session SET status = '{FAILED}' WHERE id = $1 AND status = '{REGISTERED}'"
    );
    run(db, &sql, vec![id.into()]).await.map(drop)
}

/// Moves a registered (or expired: paid late) session to `status` with the provider's order
/// id, once: `false` when it had been closed already (a replayed or concurrent
/// notification).
pub async fn close_session(
    db: &impl ConnectionTrait,
    id: &str,
    status: &str,
    order_id: i64,
) -> Result<bool, DbErr> {
    let sql = format!(
        "UPDATE payment_session SET status = $1, order_id = $2 \
         WHERE id = $3 AND status IN ('{REGISTERED}', '{EXPIRED}')"
    );
    let changed = run(db, &sql, vec![status.into(), order_id.into(), id.into()]).await?;
    Ok(changed == 1)
}

const COLUMNS: &str = "id, debt_id, amount, status, redirect";

/// `sql` written with PostgreSQL's `$n` placeholders, as the backend takes them (SQLite
/// reads `?n` as the same numbered parameter).
fn statement(db: &impl ConnectionTrait, sql: &str, values: Vec<Value>) -> Statement {
    let backend = db.get_database_backend();
    let sql = match backend {
        DatabaseBackend::Postgres => sql.to_owned(),
        _ => sql.replace('$', "?"),
    };
    Statement::from_sql_and_values(backend, sql, values)
}

/// The one session `condition` (with `$1` for `value`) finds.
async fn one(
    db: &impl ConnectionTrait,
    condition: &str,
    value: &str,
) -> Result<Option<Session>, DbErr> {
    let sql = format!("SELECT {COLUMNS} FROM payment_session WHERE {condition}");
    let row = db
        .query_one_raw(statement(db, &sql, vec![value.into()]))
        .await?;
    row.map(|r| {
        Ok(Session {
            id: r.try_get("", "id")?,
            debt_id: r.try_get("", "debt_id")?,
            amount: r.try_get("", "amount")?,
            status: r.try_get("", "status")?,
            redirect: r.try_get("", "redirect")?,
        })
    })
    .transpose()
}

/// Runs a write; the rows it changed.
async fn run(db: &impl ConnectionTrait, sql: &str, values: Vec<Value>) -> Result<u64, DbErr> {
    let r = db.execute_raw(statement(db, sql, values)).await?;
    Ok(r.rows_affected())
}
