//! Joint handling of petitions on the same matter (u.p.p. art. 11, a petycja wielokrotna): a
//! petition filed within a month of an earlier one is joined to it; a waiting period for
//! further petitions is announced (at most 2 months), and the 3 months of art. 10 run for
//! all of them from its end. When the first one is answered, every joined petitioner gets
//! the same answer.

use sea_orm::TransactionTrait;
use sea_orm::sea_query::Expr;
use serde_json::json;
use time::Date;

use super::plan::{Change, Ctx};
use super::{ActionRequest, required};
use crate::db::cases::{self, Actor};
use crate::db::entity::case_file::{self, Column};
use crate::domain::deadlines::{PETITION, PETITION_JOIN_WAIT, PETITION_JOIN_WITHIN};
use crate::domain::procedure::Procedure;
use crate::domain::term;
use crate::error::{AppError, AppResult};
use crate::state::AppState;

/// The changes of `join` on the later petition; its lead gets its own entry afterwards
/// (`on_lead`).
pub(super) async fn plan(
    ctx: &Ctx<'_>,
    r: &ActionRequest,
    detail: &mut serde_json::Value,
) -> AppResult<Vec<Change>> {
    if ctx.procedure != Procedure::Petition {
        return Err(AppError::Conflict(
            "Łącznie rozpatruje się tylko petycje (u.p.p. art. 11).".into(),
        ));
    }
    let lead_sign = required(r.join_with.as_deref(), "join_with.missing", "join_with")?;
    let lead = super::visible_case(ctx.app, ctx.access, lead_sign).await?;
    check_lead(ctx.case, &lead)?;
    let raw = required(r.wait_until.as_deref(), "wait_until.missing", "wait_until")?;
    let wait_until = crate::forms::expr::parse_date(raw).ok_or_else(|| {
        AppError::bad_request("wait_until", "`wait_until` to data w formacie RRRR-MM-DD.")
    })?;
    let latest = PETITION_JOIN_WAIT
        .term
        .raw_end(ctx.today)
        .unwrap_or(ctx.today);
    if wait_until < ctx.today || wait_until > latest {
        return Err(AppError::bad_request(
            "wait_until",
            format!(
                "Oczekiwanie na kolejne petycje kończy się między dniem dzisiejszym a {latest} ({}: najwyżej 2 miesiące).",
                PETITION_JOIN_WAIT.article
            ),
        ));
    }
    let (end, due) = joint_due(wait_until, ctx.saturday);
    detail["join_with"] = json!(lead.sign);
    detail["wait_until"] = json!(wait_until.to_string());
    detail["due_on"] = json!(due.to_string());
    Ok(vec![
        (Column::TermEnd, Expr::value(end)),
        (Column::DueOn, Expr::value(due)),
    ])
}

/// The 3 months of art. 10 from the end of the waiting period (art. 11 ust. 2).
fn joint_due(wait_until: Date, saturday: bool) -> (Date, Date) {
    let end = PETITION.term.raw_end(wait_until).unwrap_or(wait_until);
    (end, term::due_on(end, saturday))
}

/// The lead is another open petition of the same kind, filed first, and this one came
/// within a month of it (art. 11 ust. 1).
fn check_lead(case: &case_file::Model, lead: &case_file::Model) -> AppResult<()> {
    if lead.id == case.id || lead.service_id != case.service_id {
        return Err(AppError::bad_request(
            "join_with",
            "`join_with` to znak innej petycji.",
        ));
    }
    if !matches!(
        lead.status.as_str(),
        "registered" | "assigned" | "in_progress"
    ) {
        return Err(AppError::Conflict(format!(
            "Petycja {} nie jest w toku: petycję łączy się z petycją, która jest jeszcze rozpatrywana.",
            lead.sign
        )));
    }
    let last = PETITION_JOIN_WITHIN
        .term
        .raw_end(lead.started_on)
        .unwrap_or(lead.started_on);
    if case.started_on < lead.started_on || case.started_on > last {
        return Err(AppError::Conflict(format!(
            "Tej petycji nie łączy się z petycją {}: łączy się z nią petycje złożone w ciągu miesiąca od niej, do {last} ({}).",
            lead.sign, PETITION_JOIN_WITHIN.article
        )));
    }
    Ok(())
}

/// After `join`: the lead's term moves to the same day and its history names the joined
/// petition and the waiting period, which the register announces.
pub(super) async fn on_lead(
    app: &AppState,
    actor: &Actor,
    detail: &serde_json::Value,
    joined_sign: &str,
) -> AppResult<()> {
    let (Some(lead_sign), Some(wait_until)) = (
        detail["join_with"].as_str(),
        detail["wait_until"]
            .as_str()
            .and_then(crate::forms::expr::parse_date),
    ) else {
        return Ok(());
    };
    let Some(lead) = cases::by_sign(&app.db, lead_sign).await? else {
        return Ok(());
    };
    let (end, due) = joint_due(wait_until, app.settings.cases.saturday_counts);
    let txn = app.db.begin().await?;
    let changes = vec![
        (Column::TermEnd, Expr::value(end)),
        (Column::DueOn, Expr::value(due)),
    ];
    if !cases::update_if_version(&txn, &lead.id, lead.version, changes).await? {
        return Err(AppError::Conflict(format!(
            "Petycja {lead_sign} zmieniła się przed chwilą; połącz petycje ponownie."
        )));
    }
    cases::append(
        &txn,
        &lead.id,
        actor,
        cases::Entry {
            action: "joined",
            status: &lead.status,
            detail: &json!({ "joined": joined_sign, "wait_until": wait_until.to_string(), "due_on": due.to_string() }),
            at: time::OffsetDateTime::now_utc(),
            document_id: None,
        },
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// The petitions joined to `lead`, to be answered with it.
pub(super) async fn joined_to(app: &AppState, lead: &case_file::Model) -> AppResult<Vec<String>> {
    let history = cases::history(&app.db, &lead.id).await?;
    Ok(history
        .iter()
        .filter(|e| e.action == "joined")
        .filter_map(|e| {
            serde_json::from_str::<serde_json::Value>(&e.detail)
                .ok()
                .and_then(|d| d["joined"].as_str().map(str::to_owned))
        })
        .collect())
}
