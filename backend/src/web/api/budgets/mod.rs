//! `/api/budgets`: the participatory budget (issue 15). The coordinator sets an edition up
//! and changes it until the first ballot; residents propose, support, appeal and vote;
//! clerks evaluate and decide appeals; everyone reads editions, projects, the history and
//! the protocol. The rules live in `participation::budget`; these handlers only translate.

pub mod ballots;
pub mod editions;
pub mod evaluation;
pub mod history;
pub mod milestones;
pub mod paper;
pub mod projects;
pub mod results;

use serde_json::{Value, json};
use time::format_description::well_known::Rfc3339;

use crate::db::entity::budget_project as project_row;
use crate::domain::budget::{Status, zloty};
use crate::domain::lang::Lang;
use crate::participation::budget::{Loaded, project_form, today};
use crate::state::AppState;

/// An edition as the API shows it.
pub fn edition_view(app: &AppState, l: &Loaded, lang: Lang) -> Value {
    let e = &l.edition;
    let phase = l.phase(today());
    let pools: Vec<Value> = e
        .pools
        .iter()
        .map(|p| {
            json!({
                "code": p.code,
                "name": p.name,
                "area": p.area,
                "area_name": p.area.as_deref().and_then(|a| app.catalogue.areas.get(a)).map(|a| a.name.get(lang)),
                "amount": p.amount,
                "amount_text": zloty(p.amount),
                "ballot": p.ballot,
            })
        })
        .collect();
    json!({
        "id": l.row.id,
        "version": l.row.version,
        "phase": phase.as_str(),
        "phase_label": phase.label(),
        "title": e.title,
        "legal_basis": e.legal_basis,
        "pools": pools,
        "windows": e.windows,
        "rule": e.rule,
        "min_votes": e.min_votes,
        "support_threshold": e.support_threshold,
        "pesel_on_ballot": e.pesel_on_ballot,
        "powiat_city": e.powiat_city,
        "expenditure": e.expenditure,
        "child_votes_by_parent": e.child_votes_by_parent,
        "frozen_at": l.row.frozen_at.and_then(|t| t.format(&Rfc3339).ok()),
        "results_published": l.row.protocol.is_some(),
        "project_form": serde_json::from_str::<Value>(&project_form::definition(e)).unwrap_or_default(),
    })
}

/// A project as the API and pages show it; `mine` when the requester is its author.
pub fn project_view(p: &project_row::Model, mine: bool) -> Value {
    let status = Status::parse(&p.status).unwrap_or(Status::Submitted);
    let data: Value = serde_json::from_str(&p.data).unwrap_or_default();
    let cost = p.corrected_cost.unwrap_or(p.cost);
    json!({
        "id": p.id,
        "pool": p.pool_code,
        "title": p.title,
        "status": status.as_str(),
        "status_label": status.label(),
        "on_ballot": status.on_ballot(),
        "data": data,
        "cost": cost,
        "cost_text": zloty(u64::try_from(cost).unwrap_or(0)),
        "estimated_cost": p.cost,
        "cost_reason": p.cost_reason,
        "supports": p.supports,
        "evaluation": {
            "formal": p.formal_reasons,
            "merit": p.merit_reasons,
            "by": p.evaluated_by,
        },
        "appeal": p.appeal.as_ref().map(|text| json!({
            "text": text,
            "filed_at": p.appealed_at.and_then(|t| t.format(&Rfc3339).ok()),
            "reasons": p.appeal_reasons,
        })),
        "conflict_group": p.conflict_group,
        "created_at": p.created_at.format(&Rfc3339).unwrap_or_default(),
        "mine": mine,
    })
}
