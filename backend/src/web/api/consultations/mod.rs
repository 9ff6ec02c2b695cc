//! `/api/consultations`: public consultations (issue 14). Councillors and coordinators
//! draft, edit and publish; everyone reads published ones; residents answer and comment
//! while one is open; the coordinator answers every comment and publishes the report.
//! The rules live in `participation::consultations`; these handlers only translate.

pub mod answers;
pub mod comments;
pub mod documents;
pub mod history;
pub mod meetings;
pub mod moderation;
pub mod paper;
pub mod publish;
pub mod read;
pub mod report;
pub mod requests;
pub mod results;
pub mod roster;
pub mod save;
pub mod subscriptions;
pub mod take_part;

use serde_json::{Value, json};
use time::format_description::well_known::Rfc3339;

use crate::db::entity::consultation as row;
use crate::domain::consultation::{Consultation, Scope, anchors};
use crate::domain::lang::Lang;
use crate::participation::consultations::{phase_of, today};
use crate::state::AppState;

/// A consultation as the API shows it.
pub fn view(
    app: &AppState,
    c: &row::Model,
    body: &Consultation,
    questionnaire: &str,
    (online, paper): (u64, u64),
    lang: Lang,
) -> Value {
    let areas: Vec<Value> = match &body.scope {
        Scope::Gmina => Vec::new(),
        Scope::Areas { areas } => areas
            .iter()
            .map(|code| {
                json!({
                    "code": code,
                    "name": app.catalogue.areas.get(code).map(|a| a.name.get(lang)),
                })
            })
            .collect(),
    };
    let anchors: Vec<String> = anchors(&body.document)
        .iter()
        .map(ToString::to_string)
        .collect();
    json!({
        "id": c.id,
        "phase": phase_of(c, today()).as_str(),
        "version": c.version,
        "kind": body.kind,
        "subject": body.subject,
        "legal_basis": body.legal_basis,
        "scope": body.scope,
        "areas": areas,
        "dates": body.dates,
        "forms": body.forms,
        "participants": body.participants(),
        "anonymous": body.anonymous,
        "document": body.document,
        "anchors": anchors,
        "questionnaire": questionnaire,
        "published_at": c.published_at.and_then(|t| t.format(&Rfc3339).ok()),
        "answers": online + paper,
        "answers_online": online,
        "answers_paper": paper,
        "report_published": c.reported_at.is_some(),
        "archives_on": c.archives_on.map(|d| d.to_string()),
        "archived": c.archived_at.is_some(),
    })
}
