//! Working cases: who may see and act on which case, and applying an action: the state
//! machine's verdict, optimistic locking against stale pages, the deadline's pauses and
//! extensions, and one history entry per action, all in one transaction.

use sea_orm::TransactionTrait;
use sea_orm::sea_query::Expr;
use serde::Deserialize;
use serde_json::json;

use crate::auth::api_token::Scope;
use crate::db::cases::{self, Actor};
use crate::db::entity::case_file::{self, Column};
use crate::domain::case::{Action, Outcome, Status, next};
use crate::domain::clock;
use crate::domain::identity::Role;
use crate::domain::term::Term;
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::web::extract::Requester;

mod art64;
pub mod art7;
mod joint;
mod letter;
mod plan;
mod rules;

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
            "Sprawy prowadzą pracownicy urzędu; zaloguj się kontem pracownika urzędu.".into(),
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
    #[schema(value_type = Option<String>, pattern = "^(granted|refused|left_unconsidered|discontinued|forwarded)$")]
    pub outcome: Option<Outcome>,
    /// `extend`: the new date (art. 36).
    pub due_on: Option<String>,
    /// `transfer`: the receiving unit.
    pub unit: Option<String>,
    /// `note`: the text.
    pub note: Option<String>,
    /// `decide` with `left_unconsidered` after a call that went on paper: the day the
    /// return receipt shows it was delivered (YYYY-MM-DD); the term runs from it.
    pub call_delivered_on: Option<String>,
    /// `fee_notice` (public information, UDIP art. 15 ust. 2): the fee in złoty, e.g. 25.50.
    pub fee: Option<String>,
    /// `decide` with `forwarded`: the competent body the case is sent to.
    pub forward_to: Option<String>,
    /// `join`: the sign of the earlier petition on the same matter (u.p.p. art. 11).
    pub join_with: Option<String>,
    /// `join`: the end of the waiting period for further petitions, at most 2 months away.
    pub wait_until: Option<String>,
    /// `suspend`: art97_1_1 … art97_1_4 (KPA art. 97 § 1) or art98 (the party's request).
    pub ground: Option<String>,
}

fn parse_action(name: &str, r: &ActionRequest) -> AppResult<Action> {
    Ok(match name {
        "assign" => Action::Assign,
        "take" => Action::Take,
        "start" => Action::Start,
        "call_to_supplement" => {
            let raw = r.term.as_deref().ok_or_else(|| {
                AppError::bad_request("term.missing", "Podaj termin w `term`, np. P7D (co najmniej 7 dni).")
            })?;
            let term =
                Term::parse(raw).map_err(|e| AppError::bad_request("term", e.to_string()))?;
            if r.items.iter().all(|i| i.trim().is_empty()) {
                return Err(AppError::bad_request(
                    "items.missing",
                    "Wymień w `items`, co wnioskodawca ma uzupełnić.",
                ));
            }
            Action::CallToSupplement { term }
        }
        "supplemented" => Action::Supplemented,
        "suspend" => Action::Suspend,
        "resume" => Action::Resume,
        "join" => Action::Join,
        "decide" => Action::Decide {
            outcome: r.outcome.ok_or_else(|| {
                AppError::bad_request(
                    "outcome.missing",
                    "Podaj rozstrzygnięcie w `outcome`: granted, refused, left_unconsidered albo discontinued.",
                )
            })?,
        },
        "close" => Action::Close,
        "archive" => Action::Archive,
        "transfer" => Action::Transfer,
        "reopen" => Action::Reopen,
        "extend" => Action::Extend,
        "fee_notice" => Action::FeeNotice,
        "note" => Action::Note,
        other => {
            return Err(AppError::bad_request(
                "action.unknown",
                format!(
                    "`{other}` nie jest czynnością w sprawie; dozwolone są: assign, take, start, call_to_supplement, supplemented, decide, close, archive, transfer, reopen, extend, fee_notice, suspend, resume, join albo note."
                ),
            ));
        }
    })
}

/// The last day the case may be due where its service caps it by a date the applicant gave
/// (a mass event's permit 7 days before the event, art. 29).
async fn due_cap(app: &AppState, case: &case_file::Model) -> AppResult<Option<time::Date>> {
    let Some(svc) = app.catalogue.get(&case.service_id) else {
        return Ok(None);
    };
    if svc.def.due_cap.is_none() {
        return Ok(None);
    }
    let data = crate::db::submissions::by_id(&app.db, &case.submission_id)
        .await?
        .and_then(|s| serde_json::from_str::<serde_json::Value>(&s.data).ok());
    Ok(data
        .as_ref()
        .and_then(|d| d.as_object())
        .and_then(|d| crate::forms::due::cap_of(svc, d, app.settings.cases.saturday_counts)))
}

pub(crate) fn required<'a>(
    v: Option<&'a str>,
    code: &'static str,
    what: &str,
) -> AppResult<&'a str> {
    v.map(str::trim)
        .filter(|s| !s.is_empty())
        .ok_or_else(|| AppError::bad_request(code, format!("Podaj `{what}`.")))
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
    act_with(app, &access, sign, action_name, r).await
}

/// Applies `action` with an access the caller established: the council's committee acts
/// on the council's cases through `participation::council`, which checks its members.
pub async fn act_with(
    app: &AppState,
    access: &Access,
    sign: &str,
    action_name: &str,
    r: ActionRequest,
) -> AppResult<case_file::Model> {
    let case = visible_case(app, access, sign).await?;
    let action = parse_action(action_name, &r)?;
    let from = Status::parse(&case.status)
        .ok_or_else(|| anyhow::anyhow!("case {sign} has unknown status {}", case.status))?;
    let to = next(from, &action).map_err(AppError::Conflict)?;
    let actor = access.actor().clone();
    let mut changes: Vec<(Column, sea_orm::sea_query::SimpleExpr)> =
        vec![(Column::Status, Expr::value(to.as_str()))];
    let mut detail = json!({ "from": from.as_str() });
    if let Some(reason) = r.reason.as_deref().filter(|s| !s.trim().is_empty()) {
        detail["reason"] = json!(reason);
    }
    let procedure = app
        .catalogue
        .get(&case.service_id)
        .map(|svc| svc.def.procedure)
        .unwrap_or_default();
    let cap = due_cap(app, &case).await?;
    let ctx = plan::Ctx {
        app,
        access,
        case: &case,
        actor: &actor,
        today: clock::in_poland(time::OffsetDateTime::now_utc()).date(),
        saturday: app.settings.cases.saturday_counts,
        procedure,
        cap,
    };
    changes.extend(plan::changes(&ctx, &action, &r, &mut detail).await?);

    // decisions and calls to supplement go out as letters, made before the transaction
    let letter = match &action {
        Action::Decide { outcome } => Some(outcome.as_str()),
        Action::CallToSupplement { .. } => Some("call_to_supplement"),
        Action::Extend => Some("delay_notice"),
        Action::FeeNotice => Some("fee_notice"),
        Action::Suspend => Some("suspended"),
        Action::Resume => Some("resumed"),
        _ => None,
    };
    let document = match letter {
        Some(kind) => {
            Some(letter::make(app, &case, kind, &actor, &detail, r.reason.as_deref()).await?)
        }
        None => None,
    };
    if let Some(d) = &document {
        detail["document"] = json!({ "id": d.id, "title": d.title });
    }

    let txn = app.db.begin().await?;
    if !cases::update_if_version(&txn, &case.id, r.version, changes).await? {
        return Err(AppError::Conflict(format!(
            "Sprawa zmieniła się od wczytania strony (wysłano wersję {}, obecna to {}); odśwież stronę i spróbuj ponownie.",
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
    if matches!(&action, Action::Decide { outcome } if outcome.as_str() == "granted")
        && crate::residents::feed::feeds(&case.service_id)
    {
        crate::residents::feed::granted(&txn, &case, ctx.today).await?;
    }
    if let Some(d) = document {
        cases::add_document(&txn, d.clone()).await?;
        // the letter goes through the national service (an outbox job) when its kind's
        // channel says so and the applicant gave an address for electronic delivery;
        // otherwise to the resident's portal mailbox, in the same transaction
        let now = time::OffsetDateTime::now_utc();
        if !crate::edoreczenia::letters::enqueue_if_national(&txn, app, &case, &d, now).await? {
            crate::delivery::send_case_letter(&txn, app, &case, &d, now).await?;
        }
    }
    txn.commit().await?;
    metrics::counter!("okienko_case_actions_total", "action" => action.name()).increment(1);
    tracing::info!(case.sign = %case.sign, action = action.name(), to = to.as_str(), "case action");
    match &action {
        Action::Join => joint::on_lead(app, &actor, &detail, &case.sign).await?,
        Action::Decide { .. } if procedure == crate::domain::procedure::Procedure::Petition => {
            answer_joined(app, access, &case, &r).await?;
        }
        _ => {}
    }
    cases::by_sign(&app.db, sign)
        .await?
        .ok_or(AppError::NotFound("case"))
}

/// Every petition joined to `lead` gets the lead's answer (u.p.p. art. 11): taken if it
/// was not yet, then decided the same way, each with its own letter. One that cannot be
/// (changed meanwhile) is left for the clerk, and the log says so.
async fn answer_joined(
    app: &AppState,
    access: &Access,
    lead: &case_file::Model,
    r: &ActionRequest,
) -> AppResult<()> {
    for sign in joint::joined_to(app, lead).await? {
        let Some(joined) = cases::by_sign(&app.db, &sign).await? else {
            continue;
        };
        let mut version = joined.version;
        if matches!(joined.status.as_str(), "registered" | "assigned") {
            let take = ActionRequest {
                version,
                ..ActionRequest::default()
            };
            match Box::pin(act_with(app, access, &sign, "take", take)).await {
                Ok(c) => version = c.version,
                Err(e) => {
                    tracing::warn!(case.sign = %sign, error = %e, "a joined petition was not taken");
                    continue;
                }
            }
        }
        let decide = ActionRequest {
            version,
            reason: r.reason.clone(),
            outcome: r.outcome,
            forward_to: r.forward_to.clone(),
            ..ActionRequest::default()
        };
        if let Err(e) = Box::pin(act_with(app, access, &sign, "decide", decide)).await {
            tracing::warn!(case.sign = %sign, error = %e, "a joined petition was not answered with its lead");
        }
    }
    Ok(())
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
    let procedure = app
        .catalogue
        .get(&case.service_id)
        .map(|svc| svc.def.procedure)
        .unwrap_or_default();
    let resumed = plan::supplemented(
        case,
        procedure,
        today,
        app.settings.cases.saturday_counts,
        &mut detail,
    );
    let cap = due_cap(app, case).await?;
    changes.extend(plan::capped(resumed, cap, &mut detail));
    let txn = app.db.begin().await?;
    if !cases::update_if_version(&txn, &case.id, case.version, changes).await? {
        return Err(AppError::Conflict(
            "Sprawa zmieniła się przed chwilą; otwórz ją ponownie i wyślij jeszcze raz.".into(),
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
            "Sprawa zmieniła się przed chwilą; wyślij odpowiedź jeszcze raz.".into(),
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
