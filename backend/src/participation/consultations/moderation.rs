//! Moderating comments (issue 14 §3): after publication by default, before it where the
//! consultation says so. The coordinator (the consultation's author or `admin`) publishes
//! or hides a comment; a hidden one keeps its place in the record, with the reason, and
//! shows no text. Logged-in residents report a comment once each, with a reason; reported
//! and waiting comments make the moderation queue. Every decision is a history entry.

use super::{coordinator, invalid, may_edit, participant_key, visible};
use crate::db::consultation_moderation as store;
use crate::db::entity::{consultation as row, consultation_comment as comment};
use crate::db::participation_history::{self as history, Entry};
use crate::domain::identity::{Identity, Role};
use crate::domain::ids::CommentId;
use crate::error::{AppError, AppResult};
use crate::forms::FieldError;
use crate::state::AppState;

/// The longest reason of a report or a moderation decision.
pub const REASON_MAX: usize = 1000;

fn reason_of(text: &str, code: &str) -> AppResult<String> {
    let t = text.trim();
    if t.is_empty() || t.chars().count() > REASON_MAX {
        return Err(invalid(vec![FieldError {
            path: "reason".into(),
            code: code.into(),
            message: format!("podaj powód (1 do {REASON_MAX} znaków)"),
        }]));
    }
    Ok(t.to_owned())
}

fn comment_id(raw: &str) -> AppResult<CommentId> {
    CommentId::parse(raw).ok_or(AppError::NotFound("comment"))
}

/// The consultation `who` moderates.
async fn moderated<'a>(
    app: &AppState,
    who: Option<&'a Identity>,
    id: &str,
) -> AppResult<(row::Model, &'a Identity)> {
    let me = coordinator(who)?;
    let c = visible(app, who, id).await?;
    if !may_edit(me, &c) {
        return Err(AppError::Forbidden(
            "uwagi moderuje autor konsultacji albo koordynator".into(),
        ));
    }
    Ok((c, me))
}

/// The coordinator's decision on a comment.
pub enum Decision<'a> {
    Publish,
    Hide { reason: &'a str },
}

pub async fn decide(
    app: &AppState,
    who: Option<&Identity>,
    id: &str,
    comment: &str,
    decision: Decision<'_>,
) -> AppResult<comment::Model> {
    let (c, me) = moderated(app, who, id).await?;
    let k = comment_id(comment)?;
    let (status, reason) = match decision {
        Decision::Publish => ("published", None),
        Decision::Hide { reason } => ("hidden", Some(reason_of(reason, "moderation.reason")?)),
    };
    if c.reported_at.is_some() {
        return Err(AppError::Conflict(
            "raport jest opublikowany; uwag już się nie moderuje".into(),
        ));
    }
    let (actor, name) = super::actor(me);
    let txn = sea_orm::TransactionTrait::begin(&app.db).await?;
    if !store::decide(&txn, &c.id, k, status, reason.as_deref(), &name).await? {
        return Err(AppError::NotFound("comment"));
    }
    history::append(
        &txn,
        &c.id,
        Entry {
            actor: &actor,
            actor_name: &name,
            action: if status == "hidden" {
                "comment_hidden"
            } else {
                "comment_published"
            },
            detail: match &reason {
                Some(r) => format!("comment {k}: {r}"),
                None => format!("comment {k}"),
            },
        },
    )
    .await?;
    txn.commit().await?;
    store::find(&app.db, &c.id, k)
        .await?
        .ok_or(AppError::NotFound("comment"))
}

/// A resident reports a published comment, once.
pub async fn report(
    app: &AppState,
    who: Option<&Identity>,
    id: &str,
    comment: &str,
    reason: &str,
) -> AppResult<()> {
    let who = who.ok_or(AppError::Unauthenticated)?;
    if !who.has_role(Role::Resident) {
        return Err(AppError::Forbidden(
            "uwagi zgłaszają mieszkańcy zalogowani przez węzeł krajowy".into(),
        ));
    }
    let c = visible(app, Some(who), id).await?;
    let k = comment_id(comment)?;
    let found = store::find(&app.db, &c.id, k).await?;
    match found.as_ref().map(|f| f.status.as_str()) {
        None | Some("pending") => return Err(AppError::NotFound("comment")),
        Some("hidden") => {
            return Err(AppError::Conflict("ta uwaga jest już ukryta".into()));
        }
        Some(_) => {}
    }
    let reason = reason_of(reason, "report.reason")?;
    let reporter = participant_key(&c.secret, who);
    let txn = sea_orm::TransactionTrait::begin(&app.db).await?;
    let first = store::report(&txn, k, &reporter, &reason).await?;
    txn.commit().await?;
    if !first {
        return Err(AppError::Conflict(
            "ta uwaga została już przez Ciebie zgłoszona".into(),
        ));
    }
    tracing::info!(consultation.id = %c.id, comment.id = %k, "comment reported");
    Ok(())
}

/// One page of the moderation queue, with the reasons residents gave.
pub async fn queue(
    app: &AppState,
    who: Option<&Identity>,
    id: &str,
    after: Option<(time::OffsetDateTime, String)>,
    limit: u64,
) -> AppResult<Vec<(comment::Model, Vec<String>)>> {
    let (c, _) = moderated(app, who, id).await?;
    let mut out = Vec::new();
    for k in store::queue(&app.db, &c.id, after, limit).await? {
        let reasons = store::reasons(&app.db, &k.id).await?;
        out.push((k, reasons));
    }
    Ok(out)
}
