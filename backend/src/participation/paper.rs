//! Paper, typed in with four eyes (PARTICIPATION.md §7; hybrid consultations as in Radom):
//! a clerk types in a card, a second clerk compares it with the paper and accepts or
//! rejects it; the clerk who typed it cannot decide it (403). Any instrument takes paper by
//! implementing [`Instrument`]: consultation answers now, budget ballots and support lists
//! later.
//!
//! One person, one voice across channels: the card's PESEL becomes the instrument's keyed
//! hash (`participation::keyed`), the same key the person has online, and is not stored.
//! Which voice counts is the instrument's to say in [`Instrument::apply`]; consultations
//! count the online one (a card from someone who answered online is a `duplicate`, and an
//! online answer after an accepted card replaces it).
//!
//! Every step is an entry in the subject's hash-chained history, in the step's transaction.

use std::future::Future;

use sea_orm::{DatabaseTransaction, DbErr, TransactionTrait};
use serde_json::{Value, json};
use time::format_description::well_known::Rfc3339;

use crate::db::entity::paper_entry as entry;
use crate::db::paper::{self as store, Decision, NewEntry};
use crate::db::participation_history::{self as history, Entry};
use crate::domain::identity::Identity;
use crate::domain::pesel::Pesel;
use crate::error::{AppError, AppResult};
use crate::forms::FieldError;
use crate::participation::keyed;
use crate::state::AppState;

/// The longest card number and rejection reason accepted.
pub const CARD_MAX: usize = 64;
pub const REASON_MAX: usize = 1000;

/// What accepting a card did.
pub enum Applied {
    /// The card's voice counts.
    Counted,
    /// The same person's voice counts already; the reason says which.
    Duplicate(String),
    /// The card cannot count any more (the person left the roster meanwhile); the reason
    /// says why, and the card is rejected.
    Refused(String),
}

/// An instrument that takes paper cards.
pub trait Instrument: Sync {
    /// Its name in `paper_entry.instrument` and in the history.
    const NAME: &'static str;
    /// What cards are typed into (a consultation, a budget edition).
    type Subject: Send + Sync;

    /// The subject `id` whose cards `who` may type in and decide now: 404 for an unknown
    /// or unseen one, 403 for someone who does not handle paper, 409 outside its window.
    fn subject(
        &self,
        app: &AppState,
        who: &Identity,
        id: &str,
    ) -> impl Future<Output = AppResult<Self::Subject>> + Send;

    fn subject_id(s: &Self::Subject) -> &str;

    /// The secret of the subject's keyed hashes.
    fn secret(s: &Self::Subject) -> &str;

    /// Whether the subject keeps no link between a person and their voice: a decided
    /// card's content is then erased, leaving only that the card was decided.
    fn anonymous(s: &Self::Subject) -> bool;

    /// Checks a card's content (422 by field) and gives what to store.
    fn check(
        &self,
        app: &AppState,
        s: &Self::Subject,
        pesel: &Pesel,
        data: &Value,
    ) -> impl Future<Output = AppResult<String>> + Send;

    /// Called in the transaction that types in or decides a card, before it writes: an
    /// instrument whose count is taken at one moment (the budget's tally) takes its lock
    /// here, and refuses (409) once the count is final. Nothing by default.
    fn lock(
        &self,
        _txn: &DatabaseTransaction,
        _s: &Self::Subject,
    ) -> impl Future<Output = AppResult<()>> + Send {
        async { Ok(()) }
    }

    /// Counts an accepted card, in `txn`, unless the person's voice counts already.
    fn apply(
        &self,
        txn: &DatabaseTransaction,
        s: &Self::Subject,
        person_key: &str,
        data: &str,
    ) -> impl Future<Output = Result<Applied, DbErr>> + Send;
}

/// A card as the first clerk types it.
pub struct NewCard<'a> {
    /// The number written on the card.
    pub card: &'a str,
    pub pesel: &'a str,
    pub data: &'a Value,
}

fn field(path: &str, code: &str, message: impl Into<String>) -> FieldError {
    FieldError {
        path: path.into(),
        code: code.into(),
        message: message.into(),
    }
}

/// Types in a card: checked, keyed, pending until a second clerk decides it.
pub async fn enter<I: Instrument>(
    app: &AppState,
    inst: &I,
    who: &Identity,
    subject_id: &str,
    new: NewCard<'_>,
) -> AppResult<entry::Model> {
    let s = inst.subject(app, who, subject_id).await?;
    let mut errors = Vec::new();
    let card = new.card.trim();
    if card.is_empty() || card.chars().count() > CARD_MAX || card.chars().any(char::is_control) {
        errors.push(field(
            "card",
            "paper.card",
            format!("podaj numer karty z papieru (1 do {CARD_MAX} znaków)"),
        ));
    }
    let pesel = Pesel::parse(new.pesel)
        .map_err(|e| field("pesel", e.code(), format!("PESEL z karty jest błędny: {e}")));
    let pesel = match pesel {
        Ok(p) => Some(p),
        Err(e) => {
            errors.push(e);
            None
        }
    };
    let Some(pesel) = pesel.filter(|_| errors.is_empty()) else {
        return Err(AppError::fields(errors));
    };
    let data = inst.check(app, &s, &pesel, new.data).await?;
    let id = I::subject_id(&s);
    if store::card_exists(&app.db, I::NAME, id, card).await? {
        return Err(AppError::Conflict(format!(
            "karta nr {card} jest już wpisana; wpisz ją raz"
        )));
    }
    let key = keyed::key(I::secret(&s), &keyed::Subject::Pesel(&pesel));
    let (actor, name) = (crate::auth::owner_of(who), who.full_name());
    let txn = app.db.begin().await?;
    inst.lock(&txn, &s).await?;
    let row = store::insert(
        &txn,
        NewEntry {
            instrument: I::NAME,
            subject_id: id,
            card,
            person_key: &key,
            data: &data,
            entered_by: &actor,
            entered_by_name: &name,
        },
    )
    .await;
    let row = match row {
        Ok(r) => r,
        // the same card typed in at the same moment by another clerk won the unique index
        Err(e)
            if matches!(
                e.sql_err(),
                Some(sea_orm::SqlErr::UniqueConstraintViolation(_))
            ) =>
        {
            return Err(AppError::Conflict(format!(
                "karta nr {card} jest już wpisana; wpisz ją raz"
            )));
        }
        Err(e) => return Err(e.into()),
    };
    history::append(
        &txn,
        id,
        Entry {
            actor: &actor,
            actor_name: &name,
            action: "paper_entered",
            detail: format!("{} card {card}: entry {}", I::NAME, row.id),
        },
    )
    .await?;
    txn.commit().await?;
    tracing::info!(paper.instrument = I::NAME, paper.subject = id, paper.entry = %row.id, "paper card typed in");
    Ok(row)
}

/// The second clerk's decision.
pub enum Verdict<'a> {
    Accept,
    Reject { reason: &'a str },
}

/// Accepts or rejects a pending card; its typist may not (four eyes).
pub async fn decide<I: Instrument>(
    app: &AppState,
    inst: &I,
    who: &Identity,
    subject_id: &str,
    entry_id: &str,
    verdict: Verdict<'_>,
) -> AppResult<entry::Model> {
    let s = inst.subject(app, who, subject_id).await?;
    let id = I::subject_id(&s);
    let entry_id = uuid::Uuid::try_parse(entry_id)
        .map_err(|_| AppError::NotFound("paper card"))?
        .to_string();
    let e = store::find(&app.db, I::NAME, id, &entry_id)
        .await?
        .ok_or(AppError::NotFound("paper card"))?;
    let (actor, name) = (crate::auth::owner_of(who), who.full_name());
    if e.entered_by == actor {
        return Err(AppError::Forbidden(
            "kartę wpisaną przez Ciebie przyjmuje lub odrzuca inny urzędnik (zasada czterech oczu)"
                .into(),
        ));
    }
    if e.state != store::PENDING {
        return Err(AppError::Conflict(format!(
            "karta nr {} została już rozpatrzona ({})",
            e.card, e.state
        )));
    }
    if let Verdict::Reject { reason } = verdict {
        let r = reason.trim();
        if r.is_empty() || r.chars().count() > REASON_MAX {
            return Err(AppError::fields(vec![field(
                "reason",
                "paper.reason",
                format!("podaj powód odrzucenia karty (1 do {REASON_MAX} znaków)"),
            )]));
        }
    }
    let txn = app.db.begin().await?;
    inst.lock(&txn, &s).await?;
    let (state, reason) = match verdict {
        Verdict::Reject { reason } => ("rejected", Some(reason.trim().to_owned())),
        Verdict::Accept => match inst.apply(&txn, &s, &e.person_key, &e.data).await? {
            Applied::Counted => ("accepted", None),
            Applied::Duplicate(why) => ("duplicate", Some(why)),
            Applied::Refused(why) => ("rejected", Some(why)),
        },
    };
    let decided = store::decide(
        &txn,
        &e.id,
        Decision {
            state,
            by: &actor,
            by_name: &name,
            reason: reason.as_deref(),
            data: I::anonymous(&s).then_some(""),
        },
    )
    .await?;
    if !decided {
        // another clerk decided it meanwhile: nothing of this one stays
        return Err(AppError::Conflict(format!(
            "karta nr {} została już rozpatrzona",
            e.card
        )));
    }
    history::append(
        &txn,
        id,
        Entry {
            actor: &actor,
            actor_name: &name,
            action: "paper_decided",
            detail: format!("{} card {}: entry {} {state}", I::NAME, e.card, e.id),
        },
    )
    .await?;
    txn.commit().await?;
    tracing::info!(paper.instrument = I::NAME, paper.subject = id, paper.entry = %e.id, paper.state = state, "paper card decided");
    store::find(&app.db, I::NAME, id, &e.id)
        .await?
        .ok_or(AppError::NotFound("paper card"))
}

/// One page of a subject's cards, oldest first; `state` narrows it (`pending` is the
/// second clerk's queue).
pub async fn list<I: Instrument>(
    app: &AppState,
    inst: &I,
    who: &Identity,
    subject_id: &str,
    state: Option<&str>,
    after: Option<(time::OffsetDateTime, String)>,
    limit: u64,
) -> AppResult<Vec<entry::Model>> {
    if let Some(s) = state
        && !STATES.contains(&s)
    {
        return Err(AppError::bad_request(
            "state",
            format!("`state` to jedna z wartości: {}.", STATES.join(", ")),
        ));
    }
    let s = inst.subject(app, who, subject_id).await?;
    Ok(store::list(&app.db, I::NAME, I::subject_id(&s), state, after, limit).await?)
}

/// The states a card moves through.
pub const STATES: [&str; 4] = ["pending", "accepted", "duplicate", "rejected"];

/// A card as the API shows it (the PESEL was never kept; the key is not shown).
pub fn view(e: &entry::Model) -> Value {
    let at = |t: &time::OffsetDateTime| t.format(&Rfc3339).unwrap_or_default();
    json!({
        "id": e.id,
        "card": e.card,
        "state": e.state,
        "data": serde_json::from_str::<Value>(&e.data).unwrap_or(Value::Null),
        "entered_by": e.entered_by_name,
        "entered_at": at(&e.entered_at),
        "decided_by": e.decided_by_name,
        "decided_at": e.decided_at.as_ref().map(at),
        "reason": e.reason,
    })
}
