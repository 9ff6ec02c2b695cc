//! Working cases: who may see and act on which case, and applying an action: the state
//! machine's verdict, optimistic locking against stale pages, the deadline's pauses and
//! extensions, and one history entry per action, all in one transaction.

use sea_orm::TransactionTrait;
use sea_orm::sea_query::Expr;
use serde::Deserialize;
use serde_json::json;
use time::Date;

use crate::auth::api_token::Scope;
use crate::db::cases::{self, Actor};
use crate::db::entity::case_file::{self, Column};
use crate::domain::case::{Action, Outcome, Status, next};
use crate::domain::clock;
use crate::domain::holidays::next_working_day;
use crate::domain::identity::Role;
use crate::domain::term::{Term, due_date};
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::web::extract::Requester;

/// What a requester may see of the cases.
#[derive(Debug, Clone)]
pub enum Access {
    /// Administrators and API clients with the scope.
    All { actor: Actor },
    /// A clerk: their unit's unassigned cases and their own; a supervisor: the whole unit.
    Unit {
        unit: String,
        supervisor: bool,
        actor: Actor,
    },
}

impl Access {
    pub fn actor(&self) -> &Actor {
        match self {
            Self::All { actor } | Self::Unit { actor, .. } => actor,
        }
    }

    pub fn can_see(&self, c: &case_file::Model) -> bool {
        match self {
            Self::All { .. } => true,
            Self::Unit {
                unit,
                supervisor,
                actor,
            } => {
                &c.unit == unit
                    && (*supervisor
                        || c.assignee.is_none()
                        || c.assignee.as_deref() == Some(&actor.id))
            }
        }
    }

    /// Assigning to someone else is the supervisor's (dekretacja).
    pub fn may_assign(&self) -> bool {
        matches!(
            self,
            Self::All { .. }
                | Self::Unit {
                    supervisor: true,
                    ..
                }
        )
    }
}

/// The requester's access to cases, for reading (`write` false) or acting.
pub fn access(app: &AppState, who: &Requester, write: bool) -> AppResult<Access> {
    if let Some(c) = &who.client {
        who.require_scope(if write {
            Scope::CasesWrite
        } else {
            Scope::CasesRead
        })?;
        return Ok(Access::All {
            actor: Actor {
                id: format!("client:{}", c.id),
                name: c.name.clone(),
                position: "system zewnętrzny (API)".into(),
            },
        });
    }
    let id = who.identity.as_ref().ok_or(AppError::Unauthenticated)?;
    let actor = |position: &str| Actor {
        id: format!("{}:{}", id.provider, id.subject),
        name: id.full_name(),
        position: position.to_owned(),
    };
    if id.has_role(Role::Admin) {
        return Ok(Access::All {
            actor: actor("administrator"),
        });
    }
    match (&id.unit, id.has_role(Role::Clerk)) {
        (Some(unit), true) => {
            let supervisor = app
                .catalogue
                .office
                .unit(unit)
                .is_some_and(|u| u.supervisors.iter().any(|s| s == &id.subject));
            Ok(Access::Unit {
                unit: unit.clone(),
                supervisor,
                actor: actor(if supervisor { "kierownik" } else { "referent" }),
            })
        }
        _ => Err(AppError::Forbidden(
            "cases are for the town hall's staff; log in through the staff provider".into(),
        )),
    }
}

/// A case the requester may see, by sign; anyone else's is a 404.
pub async fn visible_case(
    app: &AppState,
    access: &Access,
    sign: &str,
) -> AppResult<case_file::Model> {
    cases::by_sign(&app.db, sign)
        .await?
        .filter(|c| access.can_see(c))
        .ok_or(AppError::NotFound("case"))
}

/// The body of `POST /api/cases/{sign}/actions/{action}`.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ActionRequest {
    /// The case version the clerk's page showed; a newer case refuses the action (409).
    pub version: i32,
    /// Why (kept in the history; required for `extend` and `transfer`).
    pub reason: Option<String>,
    /// `assign`: the staff member (`provider:subject`).
    pub assignee: Option<String>,
    /// `call_to_supplement`: the term to remedy (at least P7D) and what is missing.
    pub term: Option<String>,
    #[serde(default)]
    pub items: Vec<String>,
    /// `decide`: granted, refused, left_unconsidered, discontinued.
    #[schema(value_type = Option<String>)]
    pub outcome: Option<Outcome>,
    /// `extend`: the new date (art. 36).
    pub due_on: Option<String>,
    /// `transfer`: the receiving unit.
    pub unit: Option<String>,
    /// `note`: the text.
    pub note: Option<String>,
}

fn parse_action(name: &str, r: &ActionRequest) -> AppResult<Action> {
    Ok(match name {
        "assign" => Action::Assign,
        "take" => Action::Take,
        "start" => Action::Start,
        "call_to_supplement" => {
            let raw = r.term.as_deref().ok_or_else(|| {
                AppError::bad_request("term.missing", "give `term`, e.g. P7D (at least 7 days)")
            })?;
            let term =
                Term::parse(raw).map_err(|e| AppError::bad_request("term", e.to_string()))?;
            if r.items.iter().all(|i| i.trim().is_empty()) {
                return Err(AppError::bad_request(
                    "items.missing",
                    "list in `items` what the applicant must supply",
                ));
            }
            Action::CallToSupplement { term }
        }
        "supplemented" => Action::Supplemented,
        "decide" => Action::Decide {
            outcome: r.outcome.ok_or_else(|| {
                AppError::bad_request(
                    "outcome.missing",
                    "give `outcome`: granted, refused, left_unconsidered or discontinued",
                )
            })?,
        },
        "close" => Action::Close,
        "archive" => Action::Archive,
        "transfer" => Action::Transfer,
        "reopen" => Action::Reopen,
        "extend" => Action::Extend,
        "note" => Action::Note,
        other => {
            return Err(AppError::bad_request(
                "action.unknown",
                format!(
                    "`{other}` is not an action; use assign, take, start, call_to_supplement, supplemented, decide, close, archive, transfer, reopen, extend or note"
                ),
            ));
        }
    })
}

/// The end of a pause (art. 35 § 5): the days spent waiting for the applicant do not count
/// against the authority, so the due date moves on by them. Returns the case's changes and
/// notes them in `detail`.
fn resume(
    case: &case_file::Model,
    today: Date,
    saturday: bool,
    detail: &mut serde_json::Value,
) -> Vec<(Column, sea_orm::sea_query::SimpleExpr)> {
    let since = case.paused_since.unwrap_or(today);
    let paused = (today - since).whole_days().max(0);
    let due = next_working_day(case.due_on + time::Duration::days(paused), saturday);
    detail["paused_days"] = json!(paused);
    detail["due_on"] = json!(due.to_string());
    vec![
        (Column::PausedSince, Expr::value(Option::<Date>::None)),
        (
            Column::PausedDays,
            Expr::value(case.paused_days + i32::try_from(paused).unwrap_or(i32::MAX)),
        ),
        (Column::DueOn, Expr::value(due)),
    ]
}

fn required<'a>(v: Option<&'a str>, code: &'static str, what: &str) -> AppResult<&'a str> {
    v.map(str::trim)
        .filter(|s| !s.is_empty())
        .ok_or_else(|| AppError::bad_request(code, format!("give `{what}`")))
}

/// Applies `action` to the case `sign` for `who`; returns the case as it now is.
pub async fn act(
    app: &AppState,
    who: &Requester,
    sign: &str,
    action_name: &str,
    r: ActionRequest,
) -> AppResult<case_file::Model> {
    let access = access(app, who, true)?;
    let case = visible_case(app, &access, sign).await?;
    let action = parse_action(action_name, &r)?;
    let from = Status::parse(&case.status)
        .ok_or_else(|| anyhow::anyhow!("case {sign} has unknown status {}", case.status))?;
    let to = next(from, &action).map_err(AppError::Conflict)?;
    let actor = access.actor().clone();
    let today = clock::in_poland(time::OffsetDateTime::now_utc()).date();
    let saturday = app.settings.cases.saturday_counts;
    let mut changes: Vec<(Column, sea_orm::sea_query::SimpleExpr)> =
        vec![(Column::Status, Expr::value(to.as_str()))];
    let mut detail = json!({ "from": from.as_str() });
    if let Some(reason) = r.reason.as_deref().filter(|s| !s.trim().is_empty()) {
        detail["reason"] = json!(reason);
    }
    match &action {
        Action::Assign => {
            if !access.may_assign() {
                return Err(AppError::Forbidden(
                    "assigning cases is for the unit's supervisor; use `take` to work on it yourself".into(),
                ));
            }
            let to_whom = required(r.assignee.as_deref(), "assignee.missing", "assignee")?;
            changes.push((Column::Assignee, Expr::value(to_whom)));
            detail["assignee"] = json!(to_whom);
        }
        Action::Take => {
            changes.push((Column::Assignee, Expr::value(actor.id.clone())));
            detail["assignee"] = json!(actor.id);
        }
        Action::Start => {
            if case.assignee.as_deref() != Some(&actor.id) && !access.may_assign() {
                return Err(AppError::Forbidden(
                    "only the assigned clerk starts work on a case".into(),
                ));
            }
        }
        Action::CallToSupplement { term } => {
            let answer_by = due_date(*term, today, &[], saturday)
                .ok_or_else(|| anyhow::anyhow!("term past the calendar"))?;
            changes.push((Column::PausedSince, Expr::value(today)));
            detail["term"] = json!(term.to_string());
            detail["items"] = json!(r.items);
            detail["answer_by"] = json!(answer_by.to_string());
        }
        Action::Supplemented => changes.extend(resume(&case, today, saturday, &mut detail)),
        Action::Decide { outcome } => {
            required(r.reason.as_deref(), "reason.missing", "reason")?;
            changes.push((Column::Outcome, Expr::value(outcome.as_str())));
            changes.push((
                Column::DecidedAt,
                Expr::value(time::OffsetDateTime::now_utc()),
            ));
            changes.push((Column::PausedSince, Expr::value(Option::<Date>::None)));
            detail["outcome"] = json!(outcome.as_str());
            detail["late"] = json!(today > case.due_on);
        }
        Action::Reopen => {
            changes.push((Column::Outcome, Expr::value(Option::<String>::None)));
            changes.push((
                Column::DecidedAt,
                Expr::value(Option::<time::OffsetDateTime>::None),
            ));
        }
        Action::Transfer => {
            let unit = required(r.unit.as_deref(), "unit.missing", "unit")?;
            required(r.reason.as_deref(), "reason.missing", "reason")?;
            if app.catalogue.office.unit(unit).is_none() {
                return Err(AppError::bad_request(
                    "unit.unknown",
                    format!("there is no unit `{unit}` in units.yaml"),
                ));
            }
            changes.push((Column::Unit, Expr::value(unit)));
            changes.push((Column::Assignee, Expr::value(Option::<String>::None)));
            detail["unit"] = json!(unit);
        }
        Action::Extend => {
            let reason = required(r.reason.as_deref(), "reason.missing", "reason")?;
            let raw = required(r.due_on.as_deref(), "due_on.missing", "due_on")?;
            let new = crate::forms::expr::parse_date(raw)
                .ok_or_else(|| AppError::bad_request("due_on", "`due_on` is a date, YYYY-MM-DD"))?;
            if new <= case.due_on {
                return Err(AppError::bad_request(
                    "due_on.earlier",
                    format!(
                        "the new date must be after the current one, {}",
                        case.due_on
                    ),
                ));
            }
            let new = next_working_day(new, saturday);
            // some laws cap the extension (petitions: three more months)
            let cap = app
                .catalogue
                .get(&case.service_id)
                .and_then(|s| {
                    s.def
                        .max_extension
                        .as_deref()
                        .and_then(|m| Term::parse(m).ok())
                })
                .and_then(|max| {
                    let term = Term::parse(&case.term).ok()?;
                    Some((max, due_date(term, case.started_on, &[], saturday)?))
                })
                .and_then(|(max, original)| Some((max, max.raw_end(original)?)));
            if let Some((max, last)) = cap
                && new
                    > next_working_day(
                        last + time::Duration::days(i64::from(case.paused_days)),
                        saturday,
                    )
            {
                return Err(AppError::bad_request(
                    "due_on.too_late",
                    format!("this service's term may be extended by at most {max}, to {last}"),
                ));
            }
            changes.push((Column::DueOn, Expr::value(new)));
            detail["new_due_on"] = json!(new.to_string());
            // the art. 36 notice to the party: reasons and the new date
            detail["delay_notice"] = json!({ "previous": case.due_on.to_string(), "new": new.to_string(), "reason": reason });
        }
        Action::Note => {
            let note = required(r.note.as_deref(), "note.missing", "note")?;
            detail["note"] = json!(note);
        }
        Action::Close | Action::Archive => {}
    }

    // decisions and calls to supplement go out as letters, made before the transaction
    let letter = match &action {
        Action::Decide { outcome } => Some(outcome.as_str()),
        Action::CallToSupplement { .. } => Some("call_to_supplement"),
        Action::Extend => Some("delay_notice"),
        _ => None,
    };
    let document = match letter {
        Some(kind) => {
            Some(make_letter(app, &case, kind, &actor, &detail, r.reason.as_deref()).await?)
        }
        None => None,
    };
    if let Some(d) = &document {
        detail["document"] = json!({ "id": d.id, "title": d.title });
    }

    let txn = app.db.begin().await?;
    if !cases::update_if_version(&txn, &case.id, r.version, changes).await? {
        return Err(AppError::Conflict(format!(
            "the case changed since your page was loaded (you sent version {}, it is now {}); reload it and try again",
            r.version, case.version
        )));
    }
    cases::append(
        &txn,
        &case.id,
        &actor,
        cases::Entry {
            action: action.name(),
            status: to.as_str(),
            detail: &detail,
            at: time::OffsetDateTime::now_utc(),
            document_id: document.as_ref().map(|d| d.id.clone()),
        },
    )
    .await?;
    if let Some(d) = document {
        cases::add_document(&txn, d.clone()).await?;
        // the letter goes to the resident's e-delivery mailbox in the same transaction
        crate::delivery::send_case_letter(&txn, app, &case, &d, time::OffsetDateTime::now_utc())
            .await?;
    }
    txn.commit().await?;
    metrics::counter!("okienko_case_actions_total", "action" => action.name()).increment(1);
    tracing::info!(case.sign = %case.sign, action = action.name(), to = to.as_str(), "case action");
    cases::by_sign(&app.db, sign)
        .await?
        .ok_or(AppError::NotFound("case"))
}

/// The applicant answered a call to supplement (through their case page): the case goes
/// back to work and the days waited are added to the deadline, as for a clerk's
/// `supplemented`, but the history names the applicant and keeps what they sent.
pub async fn applicant_supplemented(
    app: &AppState,
    case: &case_file::Model,
    actor: Actor,
    sent: serde_json::Value,
) -> AppResult<()> {
    let from = Status::parse(&case.status).unwrap_or(Status::Registered);
    let to = next(from, &Action::Supplemented).map_err(AppError::Conflict)?;
    let today = clock::in_poland(time::OffsetDateTime::now_utc()).date();
    let mut detail = sent;
    detail["from"] = json!(from.as_str());
    let mut changes = vec![(Column::Status, Expr::value(to.as_str()))];
    changes.extend(resume(
        case,
        today,
        app.settings.cases.saturday_counts,
        &mut detail,
    ));
    let txn = app.db.begin().await?;
    if !cases::update_if_version(&txn, &case.id, case.version, changes).await? {
        return Err(AppError::Conflict(
            "the case changed a moment ago; open it again and resend".into(),
        ));
    }
    cases::append(
        &txn,
        &case.id,
        &actor,
        cases::Entry {
            action: "supplemented",
            status: to.as_str(),
            detail: &detail,
            at: time::OffsetDateTime::now_utc(),
            document_id: None,
        },
    )
    .await?;
    txn.commit().await?;
    tracing::info!(case.sign = %case.sign, "applicant supplemented");
    Ok(())
}

/// Renders the letter of `kind` for `case` and stores its PDF; the row is written by the
/// caller's transaction. A service that defines letters but not this one refuses (409).
async fn make_letter(
    app: &AppState,
    case: &case_file::Model,
    kind: &str,
    actor: &Actor,
    detail: &serde_json::Value,
    reason: Option<&str>,
) -> AppResult<crate::db::entity::case_document::Model> {
    use object_store::ObjectStoreExt;
    let svc = app.catalogue.get(&case.service_id);
    let template = crate::letters::template(svc.map(|s| s.as_ref()), kind).ok_or_else(|| {
        AppError::Conflict(format!(
            "service `{}` defines its letters but none for `{kind}`; add `letters.{kind}` to its definition in forms/",
            case.service_id
        ))
    })?;
    let submission = crate::db::submissions::by_id(&app.db, &case.submission_id).await?;
    let applicant = submission
        .as_ref()
        .and_then(|s| serde_json::from_str::<serde_json::Value>(&s.applicant).ok())
        .and_then(|a| a["name"].as_str().map(str::to_owned))
        .unwrap_or_else(|| "Wnioskodawca".into());
    let today = clock::in_poland(time::OffsetDateTime::now_utc()).date();
    let pl_date = |d: Date| format!("{:02}.{:02}.{}", d.day(), d.month() as u8, d.year());
    let items = detail["items"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_str())
                .collect::<Vec<_>>()
                .join("; ")
        })
        .unwrap_or_default();
    let date_of = |k: &str| {
        detail[k]
            .as_str()
            .and_then(crate::forms::expr::parse_date)
            .map(pl_date)
            .unwrap_or_default()
    };
    let answer_by = date_of("answer_by");
    let new_due_on = date_of("new_due_on");
    let service_title = svc.map_or_else(|| case.service_id.clone(), |s| s.def.title.pl.clone());
    let authority = app.settings.authority.name.clone();
    let values = std::collections::BTreeMap::from([
        ("sign", case.sign.clone()),
        ("register_no", format!("{}/{}", case.register_no, case.year)),
        ("filed_on", pl_date(case.started_on)),
        ("date", pl_date(today)),
        ("applicant", applicant.clone()),
        ("service", service_title),
        ("authority", authority.clone()),
        ("reason", reason.unwrap_or("").to_owned()),
        ("items", items),
        ("answer_by", answer_by),
        ("new_due_on", new_due_on),
    ]);
    let bytes = crate::letters::pdf(&crate::letters::Letter {
        template: &template,
        values: &values,
        authority: &authority,
        place_and_date: pl_date(today),
        sign: &case.sign,
        addressee: applicant,
        reason: if kind == "call_to_supplement" {
            None
        } else {
            reason
        },
        signer: format!("z upoważnienia organu — {}, {}", actor.name, actor.position),
    })?;
    let id = uuid::Uuid::now_v7().to_string();
    let key = format!("cases/{}/letters/{id}.pdf", case.id);
    let sha3 = crate::receipt::claims::sha3_hex(&bytes);
    let size = bytes.len() as i64;
    app.storage
        .put(&object_store::path::Path::from(key.as_str()), bytes.into())
        .await
        .map_err(|e| anyhow::anyhow!("storing a letter: {e}"))?;
    Ok(crate::db::entity::case_document::Model {
        id,
        case_id: case.id.clone(),
        kind: kind.to_owned(),
        title: template.title,
        storage_key: key,
        sha3_256: sha3,
        size,
        created_at: time::OffsetDateTime::now_utc(),
    })
}

/// The bytes of a case's document (the caller checked who may see the case).
pub async fn document_bytes(
    app: &AppState,
    case: &case_file::Model,
    document_id: &str,
) -> AppResult<(crate::db::entity::case_document::Model, bytes::Bytes)> {
    use object_store::ObjectStoreExt;
    let doc = cases::documents(&app.db, &case.id)
        .await?
        .into_iter()
        .find(|d| d.id == document_id)
        .ok_or(AppError::NotFound("document"))?;
    let bytes = app
        .storage
        .get(&object_store::path::Path::from(doc.storage_key.as_str()))
        .await
        .map_err(|e| anyhow::anyhow!("reading a letter: {e}"))?
        .bytes()
        .await
        .map_err(|e| anyhow::anyhow!("reading a letter: {e}"))?;
    Ok((doc, bytes))
}

/// A reply from the applicant that arrived in the case's thread: it answers an open call
/// to supplement (the case goes back to work), or is added to the history as it is.
pub async fn applicant_replied(
    app: &AppState,
    case: &case_file::Model,
    actor: Actor,
    detail: serde_json::Value,
) -> AppResult<()> {
    if case.status == "awaiting_applicant" {
        return applicant_supplemented(app, case, actor, detail).await;
    }
    let txn = app.db.begin().await?;
    if !cases::update_if_version(&txn, &case.id, case.version, Vec::new()).await? {
        return Err(AppError::Conflict(
            "the case changed a moment ago; send the reply again".into(),
        ));
    }
    cases::append(
        &txn,
        &case.id,
        &actor,
        cases::Entry {
            action: "reply",
            status: &case.status,
            detail: &detail,
            at: time::OffsetDateTime::now_utc(),
            document_id: None,
        },
    )
    .await?;
    txn.commit().await?;
    Ok(())
}
