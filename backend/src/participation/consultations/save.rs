//! Creating a draft and saving new versions of it. Every save checks the rules of the
//! consultation's kind and compiles its questionnaire with the form engine; once the
//! consultation has opened it is frozen and a save is refused (409).

use sha2::{Digest, Sha256};

use super::{coordinator, may_edit, phase_of, refused, today, visible};
use crate::db::consultations::{self as store, Content};
use crate::db::entity::consultation as row;
use crate::db::participation_history::{self as history, Entry};
use crate::domain::consultation::Consultation;
use crate::domain::identity::Identity;
use crate::domain::ids::ConsultationId;
use crate::error::{AppError, AppResult};
use crate::forms::FieldError;
use crate::state::AppState;

/// The questionnaire's file name in problems.
const FILE: &str = "questionnaire.yaml";

/// Checks `c` and `questionnaire`; the 422 names every broken rule, and every problem of
/// the questionnaire as the catalogue reports it (`questionnaire.yaml:line:col`).
fn check(
    app: &AppState,
    id: ConsultationId,
    c: &Consultation,
    questionnaire: &str,
) -> AppResult<String> {
    let refusals = c.check(|a| app.catalogue.areas.get(a).is_some());
    let compiled = crate::forms::questionnaire::compile(
        &app.catalogue,
        &id.to_string(),
        &c.subject,
        FILE,
        questionnaire,
    );
    let mut errors: Vec<FieldError> = refusals
        .into_iter()
        .map(|r| FieldError {
            path: r.path,
            code: r.code.to_owned(),
            message: r.message,
        })
        .collect();
    if let Err(problems) = compiled {
        errors.extend(problems.into_iter().map(|p| FieldError {
            path: "questionnaire".into(),
            code: "questionnaire.problem".into(),
            message: p.to_string(),
        }));
    }
    if !errors.is_empty() {
        return Err(AppError::fields(errors));
    }
    Ok(crate::forms::catalogue::hex(&Sha256::digest(
        questionnaire.as_bytes(),
    )))
}

pub async fn create(
    app: &AppState,
    who: Option<&Identity>,
    c: &Consultation,
    questionnaire: &str,
) -> AppResult<row::Model> {
    let who = coordinator(who)?;
    let id = ConsultationId::new();
    let hash = check(app, id, c, questionnaire)?;
    let body = serde_json::to_string(c).map_err(anyhow::Error::from)?;
    let txn = sea_orm::TransactionTrait::begin(&app.db).await?;
    let row = store::create(
        &txn,
        id,
        &crate::auth::owner_of(who),
        &crate::auth::random_token(),
        &Content {
            consultation: c,
            body,
            questionnaire,
            questionnaire_hash: &hash,
        },
    )
    .await?;
    let (actor, name) = super::actor(who);
    history::append(
        &txn,
        &row.id,
        Entry {
            actor: &actor,
            actor_name: &name,
            action: "created",
            detail: format!("version 1: {}", c.subject.trim()),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(row)
}

/// Saves a new version. `expected_version`, when given, must be the current one (409
/// otherwise), so two editors do not overwrite each other unseen.
pub async fn edit(
    app: &AppState,
    who: Option<&Identity>,
    id: &str,
    expected_version: Option<i32>,
    c: &Consultation,
    questionnaire: &str,
) -> AppResult<row::Model> {
    let me = coordinator(who)?;
    let current = visible(app, who, id).await?;
    if !may_edit(me, &current) {
        return Err(AppError::Forbidden(
            "Konsultację edytuje jej autor albo koordynator konsultacji.".into(),
        ));
    }
    let phase = phase_of(&current, today());
    if !phase.editable() {
        return Err(AppError::Conflict(format!(
            "Konsultacja jest {} i od otwarcia {} jest zamrożona: to, na co odpowiadali mieszkańcy, zostaje takie, jakie widzieli.",
            phase.label_pl(),
            current.opens_on
        )));
    }
    if let Some(v) = expected_version.filter(|v| *v != current.version) {
        return Err(AppError::Conflict(format!(
            "Wersja {v} nie jest aktualna (aktualna to {}); wczytaj konsultację ponownie i wprowadź zmiany jeszcze raz.",
            current.version
        )));
    }
    if current.published_at.is_some() {
        // a published consultation keeps the rules it was published under
        let late = c.check_publish(today());
        if !late.is_empty() {
            return Err(refused(late));
        }
    }
    let cid = ConsultationId::parse(&current.id).ok_or(AppError::NotFound("consultation"))?;
    let hash = check(app, cid, c, questionnaire)?;
    let body = serde_json::to_string(c).map_err(anyhow::Error::from)?;
    let txn = sea_orm::TransactionTrait::begin(&app.db).await?;
    let saved = store::update(
        &txn,
        &current,
        &crate::auth::owner_of(me),
        &Content {
            consultation: c,
            body,
            questionnaire,
            questionnaire_hash: &hash,
        },
    )
    .await?;
    if saved {
        let (actor, name) = super::actor(me);
        history::append(
            &txn,
            &current.id,
            Entry {
                actor: &actor,
                actor_name: &name,
                action: "edited",
                detail: format!("version {}", current.version + 1),
            },
        )
        .await?;
    }
    txn.commit().await?;
    if !saved {
        return Err(AppError::Conflict(
            "Konsultacja zmieniła się w międzyczasie (ktoś ją zapisał albo została otwarta); wczytaj ją ponownie.".into(),
        ));
    }
    visible(app, who, id).await
}
