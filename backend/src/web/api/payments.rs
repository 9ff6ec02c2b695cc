//! The resident's payments as JSON (`/api/payments`: their debts, paying one online, where
//! a payment stands) and the payment provider's notification
//! (`POST /api/payments/p24/notification`), which settles a payment whether or not the
//! resident came back (`payments::online::notified`).

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};

use crate::db::payments::{self as db, Debt};
use crate::error::{AppError, AppResult};
use crate::payments::online::{self, OnlineError, Outcome};
use crate::payments::provider::ProviderError;
use crate::state::AppState;
use crate::web::extract::Requester;
use crate::web::pages::payments::{mine, owed, state_label};

/// The largest notification body read: Przelewy24's is a few hundred bytes.
pub const MAX_NOTIFICATION_BYTES: usize = 16 * 1024;

/// A debt as its owner reads it; amounts in grosze.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct DebtView {
    pub id: String,
    /// The debt's number: its reference `NAL-<number>` starts the transfer title.
    pub number: i64,
    pub title: String,
    pub amount: i64,
    pub paid: i64,
    pub owed: i64,
    /// `YYYY-MM-DD`.
    pub due: String,
    /// `open`, `partial`, `paid` or `overpaid`.
    pub status: String,
    /// The status in Polish.
    pub state: String,
    /// The account to pay to (26 digits, NRB): the debt's own virtual one where set up.
    pub account: String,
    pub recipient: String,
}

impl DebtView {
    fn of(app: &AppState, d: &Debt) -> Self {
        Self {
            id: d.id.clone(),
            number: d.number,
            title: d.title.clone(),
            amount: d.amount,
            paid: d.paid,
            owed: owed(d),
            due: d.due.clone(),
            status: d.status.clone(),
            state: state_label(&d.status).into(),
            account: d.account.clone(),
            recipient: app.settings.payments.recipient.clone(),
        }
    }
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct DebtPage {
    pub items: Vec<DebtView>,
    /// The cursor of the next page (`after`), when there is one.
    pub next: Option<String>,
}

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
pub struct DebtQuery {
    /// The last debt of the previous page.
    #[param(max_length = 64)]
    pub after: Option<String>,
}

/// The logged-in resident's debts, newest first (50 a page).
#[utoipa::path(get, path = "/api/payments", tag = "payments", params(DebtQuery),
    responses((status = 200, description = "a page of the resident's debts", body = DebtPage),
        (status = 400, description = "a cursor that is not valid"),
        (status = 401, description = "not logged in"), (status = 403, description = "not a resident")))]
pub async fn list(
    app: State<AppState>,
    who: Requester,
    Query(q): Query<DebtQuery>,
) -> AppResult<Json<DebtPage>> {
    mine::resident(&who)?;
    let after = q.after.as_deref().filter(|a| !a.is_empty());
    if after.is_some_and(|a| a.len() > 64) {
        return Err(AppError::bad_request("after", "`after` is a debt's id"));
    }
    let debts =
        db::debts_of_owner(&app.db, db::OWNER_IDENTITY, &who.owner, after, mine::PAGE).await?;
    let next = (debts.len() as u64 == mine::PAGE)
        .then(|| debts.last().map(|d| d.id.clone()))
        .flatten();
    Ok(Json(DebtPage {
        items: debts.iter().map(|d| DebtView::of(&app, d)).collect(),
        next,
    }))
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Started {
    /// The provider's page to send the resident to.
    pub redirect: String,
}

/// Starts paying what the debt still owes online; the resident is sent to `redirect`. While
/// a payment of the debt is under way (another tab), its page is returned again, never a
/// second transaction.
#[utoipa::path(post, path = "/api/payments/{debt}/pay", tag = "payments", params(("debt" = String, Path)),
    responses((status = 200, description = "the provider's page", body = Started),
        (status = 401, description = "not logged in"), (status = 403, description = "not a resident"),
        (status = 404, description = "no such debt of the caller's"),
        (status = 409, description = "nothing is owed, another start of its payment is registering at this moment, or online payments are not set up"),
        (status = 503, description = "the provider is not available: nothing was paid; pay later or by transfer")))]
pub async fn pay(
    app: State<AppState>,
    who: Requester,
    Path(debt): Path<String>,
) -> AppResult<Json<Started>> {
    let d = mine::own_debt(&app, &who, &debt).await?;
    match mine::start(&app, &who, &d).await? {
        Ok(redirect) => Ok(Json(Started { redirect })),
        Err((status, why)) if status == StatusCode::SERVICE_UNAVAILABLE => {
            Err(AppError::PaymentProviderUnavailable(why.into()))
        }
        Err((_, why)) => Err(AppError::Conflict(why.into())),
    }
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct PaymentState {
    /// `paid`, `pending` (no notification yet) or `mismatch` (another amount notified,
    /// not settled).
    pub state: String,
    /// What it means, in Polish.
    pub message: String,
    pub debt: DebtView,
}

/// Where an online payment stands (what the return page shows).
#[utoipa::path(get, path = "/api/payments/sessions/{session}", tag = "payments", params(("session" = String, Path)),
    responses((status = 200, description = "the payment's state", body = PaymentState),
        (status = 401, description = "not logged in"), (status = 403, description = "not a resident"),
        (status = 404, description = "no such payment of the caller's")))]
pub async fn session(
    app: State<AppState>,
    who: Requester,
    Path(session): Path<String>,
) -> AppResult<Json<PaymentState>> {
    let (s, d) = mine::own_session(&app, &who, &session).await?;
    let (state, message) = mine::session_state(&s.status);
    Ok(Json(PaymentState {
        state: state.into(),
        message: message.into(),
        debt: DebtView::of(&app, &d),
    }))
}

/// Przelewy24's notification that a transaction was paid (`urlStatus`). Its signature and
/// amount are checked, the transaction verified with the provider, and the debt settled
/// once; a replay answers 200 and does nothing. Przelewy24 expects a 200 and sends again
/// otherwise.
#[utoipa::path(post, path = "/api/payments/p24/notification", tag = "payments",
    request_body(content = String, content_type = "application/json", description = "the provider's signed notification"),
    responses((status = 200, description = "settled, settled before, or flagged for a clerk (another amount)"),
        (status = 400, description = "a body that is not a notification, or its signature does not match"),
        (status = 404, description = "no such payment session"),
        (status = 409, description = "online payments are not set up"),
        (status = 413, description = "a body over 16 KiB"),
        (status = 503, description = "the provider's verification did not answer: send again")))]
pub async fn notification(app: State<AppState>, body: Bytes) -> AppResult<StatusCode> {
    let Some(provider) = app.payment_provider.as_deref() else {
        return Err(AppError::Conflict(
            "online payments are not set up here (`[payments.przelewy24]`)".into(),
        ));
    };
    if body.len() > MAX_NOTIFICATION_BYTES {
        return Err(AppError::PayloadTooLarge(
            "16 KiB for a notification".into(),
        ));
    }
    match online::notified(&app.db, provider, &body).await {
        Ok(outcome) => {
            match outcome {
                Outcome::Settled => tracing::info!("online payment settled"),
                Outcome::Replay => tracing::info!("a notification settled before: ignored"),
                Outcome::AmountMismatch => {}
            }
            Ok(StatusCode::OK)
        }
        Err(OnlineError::NotFound) => Err(AppError::NotFound("payment session")),
        // a notification never starts a payment: not reached, answered as settled before
        Err(OnlineError::NothingOwed | OnlineError::UnderWay) => Ok(StatusCode::OK),
        Err(OnlineError::Provider(ProviderError::BadSignature)) => {
            tracing::warn!("a payment notification with a wrong signature refused");
            Err(AppError::bad_request(
                "sign",
                "the notification's signature does not match",
            ))
        }
        Err(OnlineError::Provider(ProviderError::Malformed(e))) => Err(AppError::bad_request(
            "body",
            format!("not a notification: {e}"),
        )),
        Err(OnlineError::Provider(e)) => Err(AppError::PaymentProviderUnavailable(e.to_string())),
        Err(OnlineError::Db(e)) => Err(e.into()),
    }
}
