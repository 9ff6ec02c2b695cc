//! Paying online: `start` registers a transaction with the provider for what a debt still
//! owes; `notified` settles it when the provider's signed notification arrives, whether or
//! not the resident came back. A notification is settled once: the session moves out of
//! `registered` once (a conditional update), and the payment's key `p24:<session>` is
//! unique. Another amount than registered is flagged (`mismatch`), never settled.

use sea_orm::{DatabaseConnection, DbErr, TransactionTrait};

use super::provider::{NewTransaction, PaymentProvider, ProviderError};
use crate::db::payments::{self as db, Debt, NewMatch, NewPayment};
use crate::domain::payment::Grosze;

#[derive(Debug, thiserror::Error)]
pub enum OnlineError {
    #[error("debt not found")]
    NotFound,
    #[error("nothing is owed on this debt")]
    NothingOwed,
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

/// Starts paying what `debt` still owes; the URL to send the resident to. The caller has
/// checked that the debt is the resident's.
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
    let session = uuid::Uuid::now_v7().to_string();
    db::insert_session(conn, &session, &debt.id, "p24", owed).await?;
    let amount = Grosze::new(owed).map_err(|e| DbErr::Custom(e.to_string()))?;
    let url = provider
        .register(&NewTransaction {
            session_id: session.clone(),
            amount,
            description: debt.title.clone(),
            email: email.to_string(),
            url_return: format!("{base_url}/platnosci/powrot/{session}"),
            url_status: format!("{base_url}/api/payments/p24/notification"),
        })
        .await?;
    Ok(url)
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
    if session.status != db::REGISTERED {
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
