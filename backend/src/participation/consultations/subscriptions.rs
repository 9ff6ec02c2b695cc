//! Subscriptions (issue 14 §2): a resident subscribes to every consultation or to those
//! concerning one area; when a consultation is announced (its move out of draft, at its
//! announcement day), an e-mail to each matching subscriber goes into the outbox in the
//! move's transaction, one job a subscriber, so a failed e-mail is retried alone. Every
//! e-mail carries the link that ends its subscription.

use lettre::Message;
use lettre::message::Mailbox;
use sea_orm::{ConnectionTrait, DbErr};
use serde_json::{Value, json};
use validator::ValidateEmail;

use crate::db::consultation_subscriptions::{self as store, ALL};
use crate::db::entity::{consultation as row, consultation_subscription as sub};
use crate::domain::consultation::{Consultation, Scope};
use crate::domain::identity::{Identity, Role};
use crate::error::{AppError, AppResult};
use crate::forms::FieldError;
use crate::state::AppState;

/// The outbox job of one announcement e-mail.
pub const ANNOUNCEMENT: &str = "consultation_announcement";

/// Subscribes a logged-in resident at `email` (their identity's when absent) to every
/// consultation, or to `area`'s; `true` when new.
pub async fn subscribe(
    app: &AppState,
    who: Option<&Identity>,
    email: Option<&str>,
    area: Option<&str>,
) -> AppResult<(sub::Model, bool)> {
    let who = who.ok_or(AppError::Unauthenticated)?;
    if !who.has_role(Role::Resident) {
        return Err(AppError::Forbidden(
            "konsultacje subskrybują mieszkańcy zalogowani przez węzeł krajowy".into(),
        ));
    }
    let mut errors = Vec::new();
    let email = email
        .map(str::trim)
        .filter(|e| !e.is_empty())
        .or(who.email.as_deref())
        .unwrap_or_default();
    if email.len() > 254 || !email.validate_email() {
        errors.push(FieldError {
            path: "email".into(),
            code: "email".into(),
            message: "podaj adres e-mail, na który wyślemy zawiadomienia".into(),
        });
    }
    let scope = match area.map(str::trim).filter(|a| !a.is_empty()) {
        None => ALL,
        Some(a) if app.catalogue.areas.get(a).is_some() => a,
        Some(a) => {
            errors.push(FieldError {
                path: "area".into(),
                code: "scope.unknown_area".into(),
                message: format!("gmina nie ma obszaru `{a}`"),
            });
            ALL
        }
    };
    if !errors.is_empty() {
        return Err(super::invalid(errors));
    }
    let token = format!(
        "{}{}",
        uuid::Uuid::new_v4().simple(),
        uuid::Uuid::new_v4().simple()
    );
    let owner = crate::auth::owner_of(who);
    Ok(store::subscribe(&app.db, &owner, email, scope, &token).await?)
}

/// Puts an announcement e-mail for every subscriber the consultation concerns into the
/// outbox, in the caller's transaction; returns how many.
pub async fn announce(
    txn: &impl ConnectionTrait,
    c: &row::Model,
    body: &Consultation,
    now: time::OffsetDateTime,
) -> Result<usize, DbErr> {
    let areas = match &body.scope {
        Scope::Gmina => None,
        Scope::Areas { areas } => Some(areas.as_slice()),
    };
    let subscribers = store::matching(txn, areas).await?;
    for s in &subscribers {
        crate::db::outbox::enqueue(
            txn,
            ANNOUNCEMENT,
            &json!({ "consultation_id": c.id, "subscription_id": s.id }),
            now,
        )
        .await?;
    }
    Ok(subscribers.len())
}

/// Does an `ANNOUNCEMENT` job: one e-mail. A subscription ended meanwhile sends nothing.
pub async fn send(app: &AppState, job: &Value) -> anyhow::Result<()> {
    let text = |k: &str| job[k].as_str().unwrap_or_default().to_owned();
    let Some(s) = store::by_id(&app.db, &text("subscription_id")).await? else {
        return Ok(());
    };
    let Some(id) = crate::domain::ids::ConsultationId::parse(&text("consultation_id")) else {
        return Ok(());
    };
    let Some(c) = crate::db::consultations::find(&app.db, id).await? else {
        return Ok(());
    };
    let base = app.settings.base_url();
    let body = format!(
        "{} ogłasza konsultacje społeczne: {}.\n\nUwagi i odpowiedzi przyjmujemy od {} do {}.\nSzczegóły i formularz: {base}/konsultacje/{}\n\nOtrzymujesz tę wiadomość, bo subskrybujesz konsultacje{}. Rezygnacja: {base}/konsultacje/subskrypcja/{}\n",
        app.settings.authority.name,
        c.subject,
        c.opens_on,
        c.closes_on,
        c.id,
        if s.scope == ALL {
            String::new()
        } else {
            format!(" obszaru {}", s.scope)
        },
        s.token,
    );
    let msg = Message::builder()
        .from(app.settings.mail.from.parse::<Mailbox>()?)
        .to(s.email.parse::<Mailbox>()?)
        .subject(format!("Konsultacje społeczne: {}", c.subject))
        .body(body)?;
    app.mailer.send(msg).await?;
    metrics::counter!("okienko_notices_sent_total", "kind" => ANNOUNCEMENT).increment(1);
    Ok(())
}

/// Ends a subscription by the token of its e-mails' link (no login needed).
pub async fn unsubscribe(app: &AppState, token: &str) -> AppResult<()> {
    let ok = token.len() == 64 && token.bytes().all(|b| b.is_ascii_hexdigit());
    if ok && store::unsubscribe(&app.db, token).await? {
        Ok(())
    } else {
        Err(AppError::NotFound("subscription"))
    }
}
