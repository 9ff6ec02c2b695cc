//! Online payments' sessions with the provider: `payment_session`.

use sea_orm::{ConnectionTrait, DbErr, Statement};

use super::{multi_row, placeholder};

pub const REGISTERED: &str = "registered";
pub const SESSION_PAID: &str = "paid";
/// The provider notified another amount than registered: flagged, never settled.
pub const MISMATCH: &str = "mismatch";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    pub id: String,
    pub debt_id: String,
    pub amount: i64,
    pub status: String,
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
    let backend = db.get_database_backend();
    let row = db
        .query_one_raw(Statement::from_sql_and_values(
            backend,
            format!(
                "SELECT id, debt_id, amount, status FROM payment_session WHERE id = {}",
                placeholder(backend, 1)
            ),
            [id.into()],
        ))
        .await?;
    row.map(|r| {
        Ok(Session {
            id: r.try_get("", "id")?,
            debt_id: r.try_get("", "debt_id")?,
            amount: r.try_get("", "amount")?,
            status: r.try_get("", "status")?,
        })
    })
    .transpose()
}

/// Moves a registered session to `status` with the provider's order id, once: `false`
/// when it had left `registered` already (a replayed or concurrent notification).
pub async fn close_session(
    db: &impl ConnectionTrait,
    id: &str,
    status: &str,
    order_id: i64,
) -> Result<bool, DbErr> {
    let backend = db.get_database_backend();
    let p = |n| placeholder(backend, n);
    let r = db
        .execute_raw(Statement::from_sql_and_values(
            backend,
            format!(
                "UPDATE payment_session SET status = {}, order_id = {} WHERE id = {} AND status = '{REGISTERED}'",
                p(1),
                p(2),
                p(3)
            ),
            [status.into(), order_id.into(), id.into()],
        ))
        .await?;
    Ok(r.rows_affected() == 1)
}
