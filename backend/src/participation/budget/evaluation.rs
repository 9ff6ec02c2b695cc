//! The office's evaluation (u.s.g. art. 5a ust. 7 pkt 3): formal requirements, then the
//! merits, each with its reasons; the cost corrected with a reason; the author's appeal
//! against not admitting the project, decided with reasons; and conflict groups of
//! projects of which at most one can win. Each decision is written once, with its history
//! entry in the same transaction.

use sea_orm::sea_query::{Expr, SimpleExpr};

use super::projects::find;
use super::{Loaded, actor, load, office, outside, refused, resident, today};
use crate::db::budget::projects as store;
use crate::db::entity::budget_project as row;
use crate::db::participation_history::{self as history, Entry};
use crate::domain::budget::{Phase, Refusal, Stage, Status, TEXT_MAX, zloty};
use crate::domain::identity::Identity;
use crate::error::{AppError, AppResult};
use crate::state::AppState;

/// An evaluation as the clerk gives it.
pub struct Evaluation<'a> {
    pub stage: Stage,
    pub positive: bool,
    pub reasons: &'a str,
    /// The office's cost, in grosze, with its reason (merit stage).
    pub corrected_cost: Option<u64>,
    pub cost_reason: Option<&'a str>,
}

fn reasons_refusal(path: &str, what: &str) -> Refusal {
    Refusal {
        path: path.into(),
        code: "reasons.required",
        message: format!(
            "podaj uzasadnienie: {what}, od 1 do {TEXT_MAX} znaków (art. 5a ust. 7 pkt 3 u.s.g.)"
        ),
    }
}

fn text_ok(s: &str) -> bool {
    let n = s.trim().chars().count();
    n > 0 && n <= TEXT_MAX
}

async fn in_phase(app: &AppState, id: &str, phases: &[Phase], action: &str) -> AppResult<Loaded> {
    let l = load(app, id).await?;
    let phase = l.phase(today());
    if !phases.contains(&phase) {
        let w = &l.edition.windows;
        let window = match phases.first() {
            Some(Phase::Evaluation) => {
                format!(
                    "od {} do {}",
                    w.intake_closes.next_day().unwrap_or(w.intake_closes),
                    w.evaluation_closes
                )
            }
            Some(Phase::Appeals) => format!(
                "od {} do {}",
                w.evaluation_closes
                    .next_day()
                    .unwrap_or(w.evaluation_closes),
                w.appeals_closes
            ),
            _ => format!("przed rozpoczęciem głosowania {}", w.voting_opens),
        };
        return Err(outside(action, window, phase));
    }
    Ok(l)
}

/// A status change with what comes with it and its history entry.
struct Change {
    from: Status,
    to: Status,
    with: Vec<(row::Column, SimpleExpr)>,
    detail: String,
}

async fn record(
    app: &AppState,
    l: &Loaded,
    who: &Identity,
    p: &row::Model,
    c: Change,
) -> AppResult<()> {
    let Change {
        from,
        to,
        with,
        detail,
    } = c;
    let txn = sea_orm::TransactionTrait::begin(&app.db).await?;
    if !store::change(&txn, &p.id, from, to, with).await? {
        return Err(AppError::Conflict(
            "status projektu zmienił się w międzyczasie; wczytaj go ponownie".into(),
        ));
    }
    let (actor, name) = actor(who);
    history::append(
        &txn,
        &l.row.id,
        Entry {
            actor: &actor,
            actor_name: &name,
            action: to.as_str(),
            detail,
        },
    )
    .await?;
    txn.commit().await?;
    tracing::info!(budget.edition = %l.row.id, budget.project = %p.id, to = to.as_str(), "project status changed");
    Ok(())
}

pub async fn evaluate(
    app: &AppState,
    who: Option<&Identity>,
    id: &str,
    project: &str,
    e: Evaluation<'_>,
) -> AppResult<row::Model> {
    let who = office(who)?;
    let l = in_phase(app, id, &[Phase::Evaluation], "projekty ocenia się").await?;
    let p = find(app, &l, project).await?;
    let from = Status::parse(&p.status).unwrap_or(Status::Submitted);
    let to = from.evaluated(e.stage, e.positive).map_err(|m| {
        AppError::Conflict(format!(
            "{m}; ten projekt jest: {} (`{}`)",
            from.label(),
            from.as_str()
        ))
    })?;
    let mut refusals = Vec::new();
    if !text_ok(e.reasons) {
        refusals.push(reasons_refusal("reasons", "ocena"));
    }
    if e.stage == Stage::Formal
        && e.positive
        && u64::try_from(p.supports).unwrap_or(0) < l.edition.support_threshold
    {
        refusals.push(Refusal {
            path: "positive".into(),
            code: "evaluation.supports",
            message: format!(
                "projekt ma {} z {} poparć wymaganych uchwałą (art. 5a ust. 7 pkt 2 u.s.g.): nie spełnia wymogów formalnych",
                p.supports, l.edition.support_threshold
            ),
        });
    }
    let mut with = vec![(
        if e.stage == Stage::Formal {
            row::Column::FormalReasons
        } else {
            row::Column::MeritReasons
        },
        Expr::value(Some(e.reasons.trim())),
    )];
    with.push((row::Column::EvaluatedBy, Expr::value(Some(evaluator(who)))));
    if let Some(cost) = e.corrected_cost {
        let pool = l.edition.pool(&p.pool_code);
        match (
            e.stage,
            e.cost_reason.filter(|r| text_ok(r)),
            i64::try_from(cost),
        ) {
            (Stage::Formal, _, _) => refusals.push(Refusal {
                path: "corrected_cost".into(),
                code: "evaluation.cost_stage",
                message: "koszt koryguje się w ocenie merytorycznej".into(),
            }),
            (_, None, _) => refusals.push(reasons_refusal("cost_reason", "korekta kosztu")),
            (_, _, Ok(c)) if c > 0 && pool.is_some_and(|pl| cost <= pl.amount) => {
                with.push((row::Column::CorrectedCost, Expr::value(Some(c))));
                with.push((
                    row::Column::CostReason,
                    Expr::value(e.cost_reason.map(str::trim)),
                ));
            }
            _ => refusals.push(Refusal {
                path: "corrected_cost".into(),
                code: "evaluation.cost",
                message: format!(
                    "skorygowany koszt jest większy od zera i mieści się w kwocie puli: {}",
                    pool.map_or_else(String::new, |pl| zloty(pl.amount))
                ),
            }),
        }
    }
    if !refusals.is_empty() {
        return Err(refused(refusals));
    }
    let detail = format!(
        "project {}: {} evaluation {}",
        p.id,
        if e.stage == Stage::Formal {
            "formal"
        } else {
            "merit"
        },
        if e.positive { "positive" } else { "negative" }
    );
    record(
        app,
        &l,
        who,
        &p,
        Change {
            from,
            to,
            with,
            detail,
        },
    )
    .await?;
    find(app, &l, project).await
}

/// Who evaluated: name and unit, as the project's page shows it.
fn evaluator(who: &Identity) -> String {
    match &who.unit {
        Some(u) => format!("{} ({u})", who.full_name()),
        None => who.full_name(),
    }
}

/// The author's appeal against not admitting the project to the vote, within the window.
pub async fn appeal(
    app: &AppState,
    who: Option<&Identity>,
    id: &str,
    project: &str,
    text: &str,
) -> AppResult<row::Model> {
    let who = resident(who)?;
    let l = in_phase(app, id, &[Phase::Appeals], "odwołania składa się").await?;
    let p = find(app, &l, project).await?;
    if p.author != crate::auth::owner_of(who) {
        return Err(AppError::NotFound("project"));
    }
    let from = Status::parse(&p.status).unwrap_or(Status::Submitted);
    if !from.appealable() {
        return Err(AppError::Conflict(format!(
            "odwołanie przysługuje od niedopuszczenia projektu do głosowania (art. 5a ust. 7 pkt 3 u.s.g.); ten projekt jest: {} (`{}`)",
            from.as_str(),
            from.label()
        )));
    }
    if !text_ok(text) {
        return Err(refused(vec![reasons_refusal("text", "odwołanie")]));
    }
    let with = vec![
        (row::Column::Appeal, Expr::value(Some(text.trim()))),
        (row::Column::AppealedAt, Expr::value(Some(crate::db::now()))),
    ];
    let detail = format!("project {}: appealed", p.id);
    record(
        app,
        &l,
        who,
        &p,
        Change {
            from,
            to: Status::Appealed,
            with,
            detail,
        },
    )
    .await?;
    find(app, &l, project).await
}

/// The office decides an appeal, with reasons: upheld, the project goes on the ballot.
pub async fn decide_appeal(
    app: &AppState,
    who: Option<&Identity>,
    id: &str,
    project: &str,
    upheld: bool,
    reasons: &str,
) -> AppResult<row::Model> {
    let who = office(who)?;
    let l = in_phase(
        app,
        id,
        &[Phase::Appeals, Phase::Ready],
        "odwołania rozstrzyga się",
    )
    .await?;
    let p = find(app, &l, project).await?;
    if p.status != Status::Appealed.as_str() {
        return Err(AppError::Conflict(format!(
            "projekt nie ma odwołania w rozpatrzeniu; jest: {}",
            p.status
        )));
    }
    if !text_ok(reasons) {
        return Err(refused(vec![reasons_refusal("reasons", "rozstrzygnięcie")]));
    }
    let to = if upheld {
        Status::AdmittedOnAppeal
    } else {
        Status::AppealDismissed
    };
    let with = vec![(
        row::Column::AppealReasons,
        Expr::value(Some(reasons.trim())),
    )];
    let detail = format!(
        "project {}: appeal {}",
        p.id,
        if upheld { "upheld" } else { "dismissed" }
    );
    record(
        app,
        &l,
        who,
        &p,
        Change {
            from: Status::Appealed,
            to,
            with,
            detail,
        },
    )
    .await?;
    find(app, &l, project).await
}

/// Marks a project on the ballot as one of a conflict group (at most one of a group
/// wins), or clears it; until voting opens.
pub async fn conflict_group(
    app: &AppState,
    who: Option<&Identity>,
    id: &str,
    project: &str,
    group: Option<&str>,
) -> AppResult<row::Model> {
    let who = office(who)?;
    let l = in_phase(
        app,
        id,
        &[Phase::Evaluation, Phase::Appeals, Phase::Ready],
        "grupy projektów wykluczających się ustala się",
    )
    .await?;
    let p = find(app, &l, project).await?;
    let group = group.map(str::trim).filter(|g| !g.is_empty());
    if group.is_some_and(|g| g.chars().count() > 64) {
        return Err(refused(vec![Refusal {
            path: "group".into(),
            code: "conflict_group.length",
            message: "nazwa grupy ma najwyżej 64 znaki".into(),
        }]));
    }
    if !store::set_conflict_group(&app.db, &p.id, group).await? {
        return Err(AppError::Conflict(
            "do grupy wykluczających się trafia tylko projekt dopuszczony do głosowania".into(),
        ));
    }
    let (actor, name) = actor(who);
    history::append(
        &app.db,
        &l.row.id,
        Entry {
            actor: &actor,
            actor_name: &name,
            action: "conflict_group",
            detail: format!("project {}: {}", p.id, group.unwrap_or("none")),
        },
    )
    .await?;
    find(app, &l, project).await
}
