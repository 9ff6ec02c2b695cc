//! The resident's payments: `/platnosci` lists their debts (amount, what is still owed,
//! due date, transfer data with the 2D code, "Zapłać online" where a provider is set up);
//! the pay action opens a session with the provider and sends the resident there; the
//! return page says honestly where the payment stands (the provider's notification, not
//! the return, settles it).

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use serde_json::{Value, json};

use super::view;
use crate::db::payments::{self as db, Debt};
use crate::domain::identity::{Identity, Role};
use crate::error::{AppError, AppResult};
use crate::payments::online::{self, OnlineError};
use crate::payments::provider::ProviderError;
use crate::state::AppState;
use crate::web::extract::Requester;
use crate::web::pages::{render, ui};

/// Debts on a page.
pub const PAGE: u64 = 50;

/// Refuses (401/403) anyone but a logged-in resident.
pub fn resident(who: &Requester) -> AppResult<&Identity> {
    let id = who.identity.as_ref().ok_or(AppError::Unauthenticated)?;
    if id.has_role(Role::Resident) {
        Ok(id)
    } else {
        Err(AppError::Forbidden(
            "płatności widzi mieszkaniec zalogowany przez węzeł krajowy".into(),
        ))
    }
}

/// The caller's own debt; anyone else's (or none) is a 404.
pub async fn own_debt(app: &AppState, who: &Requester, id: &str) -> AppResult<Debt> {
    resident(who)?;
    if id.len() > 64 {
        return Err(AppError::NotFound("debt"));
    }
    db::debt(&app.db, id)
        .await?
        .filter(|d| d.owner_kind == db::OWNER_IDENTITY && d.owner == who.owner)
        .ok_or(AppError::NotFound("debt"))
}

/// An online payment's session and its debt, when the debt is the caller's (else 404).
pub async fn own_session(
    app: &AppState,
    who: &Requester,
    session: &str,
) -> AppResult<(db::Session, Debt)> {
    resident(who)?;
    if session.len() > 64 {
        return Err(AppError::NotFound("payment"));
    }
    let s = db::session(&app.db, session)
        .await?
        .ok_or(AppError::NotFound("payment"))?;
    let d = own_debt(app, who, &s.debt_id).await?;
    Ok((s, d))
}

#[derive(Debug, Deserialize)]
pub struct ListQuery {
    /// The last debt of the previous page (keyset).
    pub po: Option<String>,
}

pub async fn list(
    app: State<AppState>,
    who: Requester,
    Query(q): Query<ListQuery>,
) -> AppResult<Response> {
    page(&app, &who, q.po.as_deref(), None).await
}

async fn page(
    app: &AppState,
    who: &Requester,
    after: Option<&str>,
    error: Option<(StatusCode, &str)>,
) -> AppResult<Response> {
    resident(who)?;
    let after = after.filter(|a| a.len() <= 64);
    let debts = db::debts_of_owner(&app.db, db::OWNER_IDENTITY, &who.owner, after, PAGE).await?;
    let next = (debts.len() as u64 == PAGE)
        .then(|| debts.last().map(|d| format!("/platnosci?po={}", d.id)))
        .flatten();
    let items: Vec<Value> = debts.iter().map(|d| view(app, d)).collect();
    let (status, error) = error.map_or((StatusCode::OK, None), |(s, e)| (s, Some(e)));
    Ok(render(
        app,
        status,
        "payments.html",
        &json!({ "ui": ui(who.lang), "title": "Płatności", "items": items, "next": next,
            "online": app.payment_provider.is_some(), "error": error }),
    ))
}

/// What a session's state means for the resident, in Polish.
pub fn session_state(status: &str) -> (&'static str, &'static str) {
    match status {
        db::SESSION_PAID => (
            "paid",
            "Płatność przyjęta: operator potwierdził wpłatę, należność jest zapłacona.",
        ),
        db::MISMATCH => (
            "mismatch",
            "Operator płatności zgłosił inną kwotę niż ta do zapłaty. Wpłaty nie zaliczyliśmy; urzędnik ją sprawdzi i skontaktuje się z Tobą. Nie płać ponownie.",
        ),
        _ => (
            "pending",
            "Czekamy na potwierdzenie od operatora płatności. Jeśli zapłaciłeś, potwierdzenie zwykle przychodzi w ciągu kilku minut — odśwież tę stronę; nie płać drugi raz. Jeśli płatność się nie udała albo ją przerwałeś, nic nie zostało pobrane: możesz zapłacić ponownie na stronie Płatności.",
        ),
    }
}

/// The problem of starting a payment, as the resident reads it.
fn refused(e: &OnlineError) -> Option<(StatusCode, &'static str)> {
    match e {
        OnlineError::NothingOwed => Some((
            StatusCode::CONFLICT,
            "Ta należność jest już zapłacona: nie trzeba płacić ponownie.",
        )),
        OnlineError::UnderWay => Some((
            StatusCode::CONFLICT,
            "Płatność tej należności właśnie się rozpoczyna (w innej karcie albo na innym urządzeniu). Dokończ ją tam; jeśli ją przerwałeś, możesz zapłacić ponownie po 15 minutach. Nie płać drugi raz.",
        )),
        OnlineError::Provider(ProviderError::Unavailable(_) | ProviderError::Refused(_)) => Some((
            StatusCode::SERVICE_UNAVAILABLE,
            "Serwis płatności online jest chwilowo niedostępny. Nic nie zostało pobrane ani zapisane jako zapłacone. Spróbuj później albo zapłać przelewem na dane podane przy należności.",
        )),
        _ => None,
    }
}

/// Starts paying `debt` online: the provider's address, or what stopped it.
pub async fn start(
    app: &AppState,
    who: &Requester,
    debt: &Debt,
) -> Result<Result<String, (StatusCode, &'static str)>, AppError> {
    let Some(provider) = app.payment_provider.as_deref() else {
        return Ok(Err((
            StatusCode::CONFLICT,
            "Płatności online nie są włączone w tym urzędzie: zapłać przelewem na dane podane przy należności.",
        )));
    };
    let email = who
        .identity
        .as_ref()
        .and_then(|i| i.email.clone())
        .unwrap_or_default();
    match online::start(&app.db, provider, debt, &email, &app.settings.base_url()).await {
        Ok(url) => {
            tracing::info!(payment.debt = %debt.id, "online payment started");
            Ok(Ok(url))
        }
        Err(e) => match refused(&e) {
            Some(r) => {
                if matches!(e, OnlineError::Provider(_)) {
                    tracing::warn!(error = %e, payment.debt = %debt.id, "online payment not started");
                }
                Ok(Err(r))
            }
            None => Err(match e {
                OnlineError::Db(e) => e.into(),
                other => anyhow::anyhow!(other).into(),
            }),
        },
    }
}

/// `POST /platnosci/{debt}/zaplac`: to the provider (303), or the list with the reason.
pub async fn pay(
    app: State<AppState>,
    who: Requester,
    Path(debt): Path<String>,
) -> AppResult<Response> {
    let d = own_debt(&app, &who, &debt).await?;
    match start(&app, &who, &d).await? {
        Ok(url) => Ok(Redirect::to(&url).into_response()),
        Err(why) => page(&app, &who, None, Some(why)).await,
    }
}

/// `GET /platnosci/powrot/{session}`: where the payment stands.
pub async fn back(
    app: State<AppState>,
    who: Requester,
    Path(session): Path<String>,
) -> AppResult<Response> {
    let (s, d) = own_session(&app, &who, &session).await?;
    let (state, text) = session_state(&s.status);
    Ok(render(
        &app,
        StatusCode::OK,
        "payment_return.html",
        &json!({ "ui": ui(who.lang), "title": "Płatność", "state": state, "text": text,
            "debt": view(&app, &d) }),
    ))
}
