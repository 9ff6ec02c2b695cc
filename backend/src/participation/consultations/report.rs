//! The report after closing: the office's position on every comment, then the report,
//! published once, signed like a receipt (`signature.rs`) and shown publicly. A report with a comment left unanswered is refused
//! (u.p.z.p. art. 8k for planning acts; okienko asks it of every kind).

use serde_json::{Value, json};

use super::{content, phase_of, refused, today};
use crate::db::consultations as store;
use crate::db::entity::consultation as row;
use crate::db::participation_history::{self as history, Entry};
use crate::domain::consultation::{Phase, Position, Refusal};
use crate::domain::identity::Identity;
use crate::domain::ids::CommentId;
use crate::error::{AppError, AppResult};
use crate::state::AppState;

/// The consultation `who` may write the report of, closed by now.
async fn closed<'a>(
    app: &AppState,
    who: Option<&'a Identity>,
    id: &str,
) -> AppResult<(row::Model, &'a Identity)> {
    let (c, me) = super::as_editor(
        app,
        who,
        id,
        "raport pisze autor konsultacji albo koordynator",
    )
    .await?;
    let phase = phase_of(&c, today());
    if phase != Phase::Closed {
        return Err(AppError::Conflict(format!(
            "Raport pisze się po zamknięciu konsultacji ({}), a przed jego publikacją; konsultacja jest teraz {}.",
            c.closes_on,
            phase.label_pl()
        )));
    }
    // the worker may not have recorded the close (and fixed the statistics) yet
    if Phase::parse(&c.phase) != Some(Phase::Closed) {
        super::phases::advance(&app.db, today()).await?;
    }
    Ok((c, me))
}

pub async fn position(
    app: &AppState,
    who: Option<&Identity>,
    id: &str,
    comment: &str,
    position: Position,
    justification: &str,
) -> AppResult<()> {
    let (c, me) = closed(app, who, id).await?;
    let comment = CommentId::parse(comment).ok_or(AppError::NotFound("comment"))?;
    if justification.trim().is_empty() {
        return Err(refused(vec![Refusal {
            path: "justification".into(),
            code: "position.justification",
            message: "Podaj uzasadnienie stanowiska (u.p.z.p. art. 8k).".into(),
        }]));
    }
    let txn = sea_orm::TransactionTrait::begin(&app.db).await?;
    if !store::answer_comment(
        &txn,
        &c.id,
        comment,
        position.as_str(),
        justification.trim(),
    )
    .await?
    {
        return Err(AppError::NotFound("comment"));
    }
    let (actor, name) = super::actor(me);
    history::append(
        &txn,
        &c.id,
        Entry {
            actor: &actor,
            actor_name: &name,
            action: "position",
            detail: format!("comment {comment}: {}", position.as_str()),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Publishes the report; refused (422) while any comment has no position, naming each.
pub async fn publish(app: &AppState, who: Option<&Identity>, id: &str) -> AppResult<Value> {
    let (c, me) = closed(app, who, id).await?;
    let comments = store::comments(&app.db, &c.id, true).await?;
    let pending: Vec<Refusal> = comments
        .iter()
        .filter(|k| k.status == "pending")
        .map(|k| Refusal {
            path: format!("comments.{}", k.id),
            code: "report.pending",
            message: format!(
                "Uwaga do {} czeka na moderację: najpierw ją opublikuj albo ukryj.",
                k.anchor
            ),
        })
        .collect();
    if !pending.is_empty() {
        return Err(refused(pending));
    }
    // a hidden comment keeps its place in the report, with the reason, and needs no position
    let unanswered: Vec<Refusal> = comments
        .iter()
        .filter(|k| k.position.is_none() && k.status != "hidden")
        .map(|k| Refusal {
            path: format!("comments.{}", k.id),
            code: "report.unanswered",
            message: format!(
                "Uwaga do {} nie ma stanowiska: raport odpowiada na każdą uwagę (u.p.z.p. art. 8k).",
                k.anchor
            ),
        })
        .collect();
    if !unanswered.is_empty() {
        return Err(refused(unanswered));
    }
    let (body, _) = content(app, &c).await?;
    let (online, paper) = store::count_by_channel(&app.db, &c.id).await?;
    let documents: Vec<Value> = super::documents::list_of(app, &c)
        .await?
        .iter()
        .map(|d| json!({ "title": d.title, "role": d.role, "name": d.name, "size": d.size, "sha3_256": d.sha3_256 }))
        .collect();
    let published_at = time::OffsetDateTime::now_utc()
        .format(&time::format_description::well_known::Rfc3339)
        .map_err(anyhow::Error::from)?;
    let report = json!({
        "consultation_id": c.id,
        "published_at": published_at,
        "version": c.version,
        "kind": body.kind,
        "subject": body.subject,
        "legal_basis": body.legal_basis,
        "dates": body.dates,
        "answers": online + paper,
        "answers_online": online,
        "answers_paper": paper,
        "documents": documents,
        "comments": comments.iter().map(|k| json!({
            "id": k.id,
            "anchor": k.anchor,
            "author": k.author_name,
            "text": (k.status != "hidden").then_some(&k.body),
            "hidden": (k.status == "hidden").then_some(&k.moderation_reason),
            "position": k.position,
            "justification": k.justification,
        })).collect::<Vec<_>>(),
    });
    let report = super::signature::sign(&app.keys, &app.settings.base_url(), report)?;
    let archives_on =
        today() + time::Duration::days(i64::from(app.settings.consultations.archive_after_days));
    let txn = sea_orm::TransactionTrait::begin(&app.db).await?;
    if !store::publish_report(&txn, &c.id, &report.to_string(), archives_on).await? {
        return Err(AppError::Conflict("Raport jest już opublikowany.".into()));
    }
    let (actor, name) = super::actor(me);
    history::append(
        &txn,
        &c.id,
        Entry {
            actor: &actor,
            actor_name: &name,
            action: "report_published",
            detail: format!("SHA3-256 {}", super::signature::digest(&report)),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(report)
}
