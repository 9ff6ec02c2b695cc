//! The committee for complaints, motions and petitions (u.s.g. art. 18b): the council's
//! cases (a petition addressed to the council, routed to the council office on filing; a
//! complaint about the wójt's work transferred there, KPA art. 229) in a queue by deadline;
//! the committee's opinion as a step of the case; and the council's resolution, which
//! closes the case with the notification its procedure requires (u.p.p. art. 13; KPA art.
//! 237 § 3, 238–239), through the case workflow. A citizens' draft resolution (u.s.g.
//! art. 41a) is the council's too: it is routed to the council office on filing and waits
//! in the queue for the session that takes it up, within 3 months of filing (ust. 4).

use sea_orm::TransactionTrait;
use sea_orm::sea_query::Expr;
use serde::Serialize;
use serde_json::{Value, json};

use super::{committee_or_office, text};
use crate::casework::{self, Access, ActionRequest};
use crate::db::cases::{self, Actor, QueueFilter};
use crate::db::entity::case_file;
use crate::domain::case::{Action, Outcome, Status, next};
use crate::domain::identity::Identity;
use crate::domain::procedure::Procedure;
use crate::error::{AppError, AppResult};
use crate::state::AppState;

/// A case in the committee's queue.
#[derive(Debug, Clone, Serialize)]
pub struct Queued {
    pub sign: String,
    /// `petition`, `complaint`, `motion` or `initiative`.
    pub kind: &'static str,
    pub kind_label: &'static str,
    pub subject: String,
    pub filed_on: String,
    pub due_on: String,
    /// The rule that sets `due_on`, with its article.
    pub term: &'static str,
    pub overdue: bool,
    pub status: String,
    pub status_label: &'static str,
    pub version: i32,
    /// The committee's opinion, once given.
    pub opinion: Option<String>,
    /// The sessions whose agenda holds it.
    pub on_agenda: Vec<String>,
}

fn procedure_of(app: &AppState, c: &case_file::Model) -> Procedure {
    app.catalogue
        .get(&c.service_id)
        .map(|s| s.def.procedure)
        .unwrap_or_default()
}

/// Whether cases of `procedure` are the council's business when they are in its office's
/// unit: petitions, complaints and motions (u.s.g. art. 18b) and citizens' draft
/// resolutions (art. 41a).
pub fn councils(procedure: Procedure) -> bool {
    matches!(
        procedure,
        Procedure::Petition | Procedure::ComplaintOrMotion | Procedure::Initiative
    )
}

/// A case of the council's (in its office's unit, a petition, complaint, motion or
/// initiative); any other is a 404.
pub async fn council_case(app: &AppState, sign: &str) -> AppResult<case_file::Model> {
    cases::by_sign(&app.db, sign)
        .await?
        .filter(|c| c.unit == app.settings.council.office_unit && councils(procedure_of(app, c)))
        .ok_or(AppError::NotFound("case"))
}

/// What sets a case's term, by its kind.
fn term_of(kind: &str) -> &'static str {
    match kind {
        "petition" => "3 miesiące od złożenia (art. 10 ust. 1 ustawy o petycjach)",
        "initiative" => {
            "najbliższa sesja, najpóźniej 3 miesiące od złożenia (art. 41a ust. 4 ustawy o samorządzie gminnym)"
        }
        _ => "miesiąc od wpływu (art. 237 § 1 KPA)",
    }
}

async fn queued(app: &AppState, c: &case_file::Model, today: time::Date) -> AppResult<Queued> {
    let data: Value = match crate::db::submissions::by_id(&app.db, &c.submission_id).await? {
        Some(s) => serde_json::from_str(&s.data).unwrap_or(Value::Null),
        None => Value::Null,
    };
    let (kind, kind_label) = match (procedure_of(app, c), data["kind"].as_str()) {
        (Procedure::Petition, _) => ("petition", "petycja"),
        (Procedure::Initiative, _) => ("initiative", "obywatelska inicjatywa uchwałodawcza"),
        (_, Some("motion")) => ("motion", "wniosek"),
        _ => ("complaint", "skarga"),
    };
    let history = cases::history(&app.db, &c.id).await?;
    let opinion = history
        .iter()
        .rev()
        .find(|e| e.action == "committee_opinion")
        .and_then(|e| serde_json::from_str::<Value>(&e.detail).ok())
        .and_then(|d| d["opinion"].as_str().map(str::to_owned));
    let on_agenda = history
        .iter()
        .filter(|e| e.action == "agenda")
        .filter_map(|e| serde_json::from_str::<Value>(&e.detail).ok())
        .filter_map(|d| d["session_title"].as_str().map(str::to_owned))
        .collect();
    let status = Status::parse(&c.status);
    Ok(Queued {
        sign: c.sign.clone(),
        kind,
        kind_label,
        // an initiative's subject is its draft's title
        subject: data["subject"]
            .as_str()
            .or_else(|| data["title"].as_str())
            .unwrap_or("")
            .to_owned(),
        filed_on: c.started_on.to_string(),
        due_on: c.due_on.to_string(),
        term: term_of(kind),
        overdue: status.is_some_and(Status::is_open) && c.due_on < today,
        status: c.status.clone(),
        status_label: status.map_or("", Status::label_pl),
        version: c.version,
        opinion,
        on_agenda,
    })
}

/// A page of the committee's queue: the council's open cases by deadline, after the keyset
/// `(due_on, id)` (the cases' queue index), and the cursor's key of the last.
pub async fn queue(
    app: &AppState,
    who: Option<&Identity>,
    after: Option<(time::Date, String)>,
    limit: u64,
) -> AppResult<(Vec<Queued>, Option<(time::Date, String)>)> {
    committee_or_office(app, who)?;
    let units = [app.settings.council.office_unit.clone()];
    let rows = cases::queue(
        &app.db,
        QueueFilter {
            units: Some(&units),
            // every open case: due by the end of the calendar
            due_by: Some(time::Date::MAX),
            ..QueueFilter::default()
        },
        after,
        limit + 1,
    )
    .await?;
    let more = rows.len() as u64 > limit;
    let shown: Vec<_> = rows
        .into_iter()
        .take(usize::try_from(limit).unwrap_or(50))
        .collect();
    let today = super::agenda::today();
    let mut items = Vec::with_capacity(shown.len());
    for c in &shown {
        if councils(procedure_of(app, c)) {
            items.push(queued(app, c, today).await?);
        }
    }
    let next = more
        .then(|| shown.last().map(|c| (c.due_on, c.id.clone())))
        .flatten();
    Ok((items, next))
}

/// One case of the queue.
pub async fn one(app: &AppState, who: Option<&Identity>, sign: &str) -> AppResult<Queued> {
    committee_or_office(app, who)?;
    let c = council_case(app, sign).await?;
    queued(app, &c, super::agenda::today()).await
}

/// Writes a council step on a case (`committee_opinion`, `agenda`) in the caller's
/// transaction: the state machine's verdict, the version the page showed, one history entry.
pub async fn case_step(
    txn: &impl sea_orm::ConnectionTrait,
    case: &case_file::Model,
    version: i32,
    actor: &Actor,
    action: &Action,
    detail: &Value,
) -> AppResult<()> {
    let from = Status::parse(&case.status)
        .ok_or_else(|| anyhow::anyhow!("case {} has unknown status {}", case.sign, case.status))?;
    let to = next(from, action).map_err(AppError::Conflict)?;
    let changes = vec![(case_file::Column::Status, Expr::value(to.as_str()))];
    if !cases::update_if_version(txn, &case.id, version, changes).await? {
        return Err(AppError::Conflict(format!(
            "sprawa zmieniła się od wczytania strony (wersja {version}, teraz {}); odśwież ją i spróbuj ponownie",
            case.version
        )));
    }
    cases::append(
        txn,
        &case.id,
        actor,
        cases::Entry {
            action: action.name(),
            status: to.as_str(),
            detail,
            at: crate::db::now(),
            document_id: None,
        },
    )
    .await?;
    Ok(())
}

/// The committee's opinion on a case (u.s.g. art. 18b), a step of its history that the
/// register of petitions publishes (u.p.p. art. 8 ust. 1: the opinions obtained).
pub async fn opinion(
    app: &AppState,
    who: Option<&Identity>,
    sign: &str,
    version: i32,
    opinion: &str,
) -> AppResult<Queued> {
    let actor = committee_or_office(app, who)?;
    let opinion = text(opinion, "opinion", 20_000)?;
    let case = council_case(app, sign).await?;
    let detail = json!({ "from": case.status, "opinion": opinion });
    let txn = app.db.begin().await?;
    case_step(
        &txn,
        &case,
        version,
        &actor,
        &Action::CommitteeOpinion,
        &detail,
    )
    .await?;
    txn.commit().await?;
    tracing::info!(case.sign = %sign, "committee opinion recorded");
    one(app, who, sign).await
}

/// How the council's resolution dealt with the case: `granted` (a petition granted, a
/// complaint found justified) or `refused`.
pub fn outcome(raw: &str) -> AppResult<Outcome> {
    match raw {
        "granted" => Ok(Outcome::Granted),
        "refused" => Ok(Outcome::Refused),
        _ => Err(AppError::bad_request(
            "outcome",
            "`outcome` to granted (petycja uwzględniona, skarga zasadna) albo refused (nieuwzględniona, bezzasadna)",
        )),
    }
}

/// Closes the council's case with the resolution that dealt with it: the case workflow's
/// `decide`, whose letter is the procedure's notification (u.p.p. art. 13; KPA art. 238),
/// with the resolution's number and text as its reasons; the register shows the answer.
pub async fn close_case(
    app: &AppState,
    actor: &Actor,
    sign: &str,
    outcome: Outcome,
    reason: String,
) -> AppResult<case_file::Model> {
    let case = council_case(app, sign).await?;
    let access = Access::All {
        actor: actor.clone(),
    };
    casework::act_with(
        app,
        &access,
        &case.sign,
        "decide",
        ActionRequest {
            version: case.version,
            reason: Some(reason),
            outcome: Some(outcome),
            ..ActionRequest::default()
        },
    )
    .await
}
