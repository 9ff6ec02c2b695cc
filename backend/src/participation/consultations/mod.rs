//! Public consultations: saving drafts in versions, publishing, the phases the dates move
//! them through, residents' answers and comments, and the report.
//!
//! Who may do what: councillors and coordinators (roles `councillor`, `admin`) draft and
//! publish; a draft is seen only by its author and coordinators (anyone else gets a 404);
//! published consultations are public; residents answer and comment while one is open.

pub mod counts;
pub mod documents;
pub mod meetings;
pub mod moderation;
pub mod paper;
pub mod phases;
pub mod publish;
pub mod report;
pub mod report_pdf;
pub mod request;
pub mod results;
pub mod roster;
pub mod save;
pub mod signature;
pub mod statistics;
pub mod subscriptions;
pub mod take_part;
pub mod versions;

use std::sync::Arc;

use crate::db::entity::consultation as row;
use crate::domain::clock;
use crate::domain::consultation::{Consultation, Dates, Phase, Refusal};
use crate::domain::identity::{Identity, Role};
use crate::domain::ids::ConsultationId;
use crate::error::{AppError, AppResult};
use crate::forms::FieldError;
use crate::state::AppState;

/// Today in Polish legal time.
pub fn today() -> time::Date {
    clock::in_poland(time::OffsetDateTime::now_utc()).date()
}

/// Whether `who` drafts and runs consultations.
pub fn is_coordinator(who: &Identity) -> bool {
    who.has_role(Role::Councillor) || who.has_role(Role::Admin)
}

/// Who did it, as the history records them: their owner key and name.
pub fn actor(who: &Identity) -> (String, String) {
    (crate::auth::owner_of(who), who.full_name())
}

/// Appends `action` by `who` to the consultation's hash-chained history, in `txn`.
pub async fn record(
    txn: &impl sea_orm::ConnectionTrait,
    consultation_id: &str,
    who: &Identity,
    action: &'static str,
    detail: String,
) -> Result<(), sea_orm::DbErr> {
    let (actor, name) = actor(who);
    crate::db::participation_history::append(
        txn,
        consultation_id,
        crate::db::participation_history::Entry {
            actor: &actor,
            actor_name: &name,
            action,
            detail,
        },
    )
    .await
}

/// Refuses (401/403) anyone who is not a councillor or coordinator.
pub fn coordinator(who: Option<&Identity>) -> AppResult<&Identity> {
    let who = who.ok_or(AppError::Unauthenticated)?;
    if is_coordinator(who) {
        Ok(who)
    } else {
        Err(AppError::Forbidden(
            "Konsultacje prowadzą radni i koordynator konsultacji.".into(),
        ))
    }
}

/// The phase of a consultation row on `today`: its stored phase, moved on by its dates
/// where the worker has not done so yet.
pub fn phase_of(c: &row::Model, today: time::Date) -> Phase {
    let stored = Phase::parse(&c.phase).unwrap_or(Phase::Draft);
    stored.at(c.published_at.is_some(), &dates_of(c), today)
}

/// 409 unless the consultation takes answers today, naming its window.
pub fn open_now(c: &row::Model) -> AppResult<()> {
    let phase = phase_of(c, today());
    if phase == Phase::Open {
        return Ok(());
    }
    Err(AppError::Conflict(format!(
        "Konsultacja przyjmuje odpowiedzi i uwagi od {} do {}; teraz jest {}.",
        c.opens_on,
        c.closes_on,
        phase.label_pl()
    )))
}

pub fn dates_of(c: &row::Model) -> Dates {
    Dates {
        announced_on: c.announced_on,
        opens_on: c.opens_on,
        closes_on: c.closes_on,
        report_due_on: c.report_due_on,
    }
}

/// A consultation `who` may see: published ones from their announcement day for everyone,
/// the rest for its author and coordinators. Anything else is a 404, as an unknown id.
pub async fn visible(app: &AppState, who: Option<&Identity>, id: &str) -> AppResult<row::Model> {
    let id = ConsultationId::parse(id).ok_or(AppError::NotFound("consultation"))?;
    let c = crate::db::consultations::find(&app.db, id)
        .await?
        .ok_or(AppError::NotFound("consultation"))?;
    // published, it is public from its announcement day on
    let public = c.published_at.is_some() && phase_of(&c, today()) != Phase::Draft;
    if public || who.is_some_and(|w| may_edit(w, &c)) {
        Ok(c)
    } else {
        Err(AppError::NotFound("consultation"))
    }
}

/// The consultation `who` acts on as its author or the coordinator (`admin`): 401/403 for
/// anyone who is not a councillor or coordinator, 404 for what they cannot see, 403 with
/// `refusal` for someone else's.
pub async fn as_editor<'a>(
    app: &AppState,
    who: Option<&'a Identity>,
    id: &str,
    refusal: &str,
) -> AppResult<(row::Model, &'a Identity)> {
    let me = coordinator(who)?;
    let c = visible(app, who, id).await?;
    if !may_edit(me, &c) {
        return Err(AppError::Forbidden(refusal.to_owned()));
    }
    Ok((c, me))
}

/// Its author, or a coordinator (`admin`).
pub fn may_edit(who: &Identity, c: &row::Model) -> bool {
    is_coordinator(who) && (who.has_role(Role::Admin) || crate::auth::owner_of(who) == c.created_by)
}

/// The current version's content as stored, for the worker (which has no `AppState`).
pub async fn stored_body(
    db: &impl sea_orm::ConnectionTrait,
    c: &row::Model,
) -> Result<Option<Consultation>, sea_orm::DbErr> {
    Ok(crate::db::consultations::version(db, &c.id, c.version)
        .await?
        .and_then(|v| serde_json::from_str(&v.body).ok()))
}

/// The current version's content and questionnaire.
pub async fn content(app: &AppState, c: &row::Model) -> AppResult<(Consultation, String)> {
    let kept = current(app, c).await?;
    Ok((kept.body.clone(), kept.questionnaire.clone()))
}

/// The content of the consultation's current version, kept by the node once read.
pub async fn current(app: &AppState, c: &row::Model) -> AppResult<Arc<versions::Content>> {
    if let Some(kept) = app.consultation_versions.content(&c.id, c.version) {
        return Ok(kept);
    }
    let v = crate::db::consultations::version(&app.db, &c.id, c.version)
        .await?
        .ok_or_else(|| anyhow::anyhow!("consultation {} lacks version {}", c.id, c.version))?;
    let body: Consultation = serde_json::from_str(&v.body)
        .map_err(|e| anyhow::anyhow!("consultation {} version {}: {e}", c.id, c.version))?;
    let kept = Arc::new(versions::Content {
        body,
        questionnaire: v.questionnaire,
    });
    app.consultation_versions
        .keep_content(&c.id, c.version, kept.clone());
    Ok(kept)
}

/// The 422 of a consultation that breaks rules, in the one validation format.
pub fn refused(refusals: Vec<Refusal>) -> AppError {
    AppError::fields(
        refusals
            .into_iter()
            .map(|r| FieldError {
                path: r.path,
                code: r.code.to_owned(),
                message: r.message,
            })
            .collect(),
    )
}

/// The 422 of participation input with `errors` by field (the form engine's format).
pub fn invalid(errors: Vec<FieldError>) -> AppError {
    AppError::fields(errors)
}

/// A person's key in one consultation (`participation::keyed`): one person has one voice,
/// and the key means nothing outside this consultation.
pub fn participant_key(secret: &str, who: &Identity) -> String {
    crate::participation::keyed::person_key(secret, who)
}
