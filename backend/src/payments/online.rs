//! Paying online: `start` registers a transaction with the provider for what a debt still
//! owes; `notified` settles it when the provider's signed notification arrives, whether or
//! not the resident came back. A notification is settled once: the session moves out of
//! `registered` once (a conditional update), and the payment's key `p24:<session>` is
//! unique. Another amount than registered is flagged (`mismatch`), never settled.
//!
//! A debt has one payment under way at a time: a second start (another tab, another
//! device) is sent to the same provider transaction rather than a second one for the whole
//! amount, and two starts at the same moment cannot both register (a unique index). The
//! provider is told to close an unpaid transaction after [`TIME_LIMIT_MINUTES`]; after that
//! the session is `expired` and a new one may start. A late notification of an expired
//! session still settles it: money received is never ignored.

use sea_orm::{DatabaseConnection, DbErr, SqlErr, TransactionTrait};

use super::provider::{NewTransaction, PaymentProvider, ProviderError};
use crate::db::payments::{self as db, Debt, NewMatch, NewPayment};
use crate::domain::payment::Grosze;

#[derive(Debug, thiserror::Error)]
pub enum OnlineError {
    #[error("debt not found")]
    NotFound,
    #[error("nothing is owed on this debt")]
    NothingOwed,
    /// Another start of this debt is registering with the provider at this moment.
    #[error("a payment of this debt is being started")]
    UnderWay,
    #[error(transparent)]
    Provider(#[from] ProviderError),
    #[error(transparent)]
    Db(#[from] DbErr),
}

/// What a notification did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Settled,
    /// Settled before (a replay, or the same notification twice): nothing done.
    Replay,
    /// Another amount than registered: flagged for a clerk, not settled.
    AmountMismatch,
}

/// Minutes the provider keeps an unpaid transaction open (Przelewy24's `timeLimit`).
pub const TIME_LIMIT_MINUTES: u8 = 15;

/// Starts paying what `debt` still owes; the URL to send the resident to: the transaction
/// already under way for it, if there is one, or a new one. The caller has checked that
/// the debt is the resident's.
pub async fn start(
    conn: &DatabaseConnection,
    provider: &dyn PaymentProvider,
    debt: &Debt,
    email: &str,
    base_url: &str,
) -> Result<String, OnlineError> {
    let owed = debt.amount - debt.paid;
    if owed <= 0 {
        return Err(OnlineError::NothingOwed);
    }
    let limit = time::Duration::minutes(i64::from(TIME_LIMIT_MINUTES));
    db::expire_sessions(conn, &debt.id, crate::db::now() - limit).await?;
    if let Some(open) = db::open_session(conn, &debt.id).await? {
        return resume(open, owed);
    }
    let session = uuid::Uuid::now_v7().to_string();
    match db::insert_session(conn, &session, &debt.id, "p24", owed).await {
        Err(e) if matches!(e.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) => {
            return Err(OnlineError::UnderWay);
        }
        other => other?,
    }
    let amount = Grosze::new(owed).map_err(|e| DbErr::Custom(e.to_string()))?;
    let registered = provider
        .register(&NewTransaction {
            session_id: session.clone(),
            amount,
            description: debt.title.clone(),
            email: email.to_string(),
            url_return: format!("{base_url}/platnosci/powrot/{session}"),
            url_status: format!("{base_url}/api/payments/p24/notification"),
            time_limit_minutes: TIME_LIMIT_MINUTES,
        })
        .await;
    match registered {
        Ok(url) => {
            db::set_redirect(conn, &session, &url).await?;
            Ok(url)
        }
        Err(e) => {
            db::fail_session(conn, &session).await?;
            Err(e.into())
        }
    }
}

/// A second start while a transaction is under way: its page again, so the debt is paid
/// once. While it is still being registered, or when the debt's balance changed since (a
/// transfer arrived), the start is refused until the transaction ends or expires.
fn resume(open: db::Session, owed: i64) -> Result<String, OnlineError> {
    match open.redirect {
        Some(url) if open.amount == owed => {
            tracing::info!(payment.session = %open.id, "a payment under way resumed");
            Ok(url)
        }
        _ => Err(OnlineError::UnderWay),
    }
}

/// Handles a provider's notification body.
pub async fn notified(
    conn: &DatabaseConnection,
    provider: &dyn PaymentProvider,
    body: &[u8],
) -> Result<Outcome, OnlineError> {
    let n = provider.notification(body)?;
    let session = db::session(conn, &n.session_id)
        .await?
        .ok_or(OnlineError::NotFound)?;
    if session.status != db::REGISTERED && session.status != db::EXPIRED {
        return Ok(Outcome::Replay);
    }
    if n.amount.get() != session.amount || n.currency != "PLN" {
        db::close_session(conn, &session.id, db::MISMATCH, n.order_id).await?;
        tracing::warn!(
            payment.session = %session.id,
            payment.registered = session.amount,
            payment.notified = n.amount.get(),
            "a notification's amount differs from the registered one; not settled"
        );
        return Ok(Outcome::AmountMismatch);
    }
    provider.verify(&n).await?;
    let debt = db::debt(conn, &session.debt_id)
        .await?
        .ok_or(OnlineError::NotFound)?;
    let txn = conn.begin().await?;
    if !db::close_session(&txn, &session.id, db::SESSION_PAID, n.order_id).await? {
        return Ok(Outcome::Replay);
    }
    let payment_id = uuid::Uuid::now_v7().to_string();
    db::insert_payments(
        &txn,
        &[NewPayment {
            id: payment_id.clone(),
            key: format!("p24:{}", session.id),
            channel: db::CHANNEL_ONLINE,
            amount: n.amount.get(),
            booked: crate::domain::clock::in_poland(crate::db::now())
                .date()
                .to_string(),
            account: debt.account.clone(),
            payer_name: String::new(),
            payer_account: String::new(),
            title: debt.title.clone(),
            statement_id: None,
            line: None,
            status: db::MATCHED,
        }],
    )
    .await?;
    db::insert_matches(
        &txn,
        &[NewMatch {
            payment_id,
            debt_id: debt.id,
            amount: n.amount.get(),
            rule: "online",
            matched_by: "przelewy24".into(),
        }],
    )
    .await?;
    txn.commit().await?;
    Ok(Outcome::Settled)
}
