//! What each action changes on a case and writes in its history entry, with the checks the
//! law puts on it; `act` applies the plan in one transaction.

use sea_orm::sea_query::{Expr, SimpleExpr};
use serde_json::json;
use time::Date;

use super::{Access, ActionRequest, art64, required, rules};
use crate::db::cases::{self, Actor};
use crate::db::entity::case_file::{self, Column};
use crate::domain::case::{Action, Outcome};
use crate::domain::procedure::Procedure;
use crate::domain::term::{self, Term};
use crate::error::{AppError, AppResult};
use crate::state::AppState;

pub(super) type Change = (Column, SimpleExpr);

/// Everything an action's checks read.
pub(super) struct Ctx<'a> {
    pub app: &'a AppState,
    pub access: &'a Access,
    pub case: &'a case_file::Model,
    pub actor: &'a Actor,
    pub today: Date,
    pub saturday: bool,
    pub procedure: Procedure,
    /// The service's cap on the due date (a mass event: 7 days before it, art. 29).
    pub cap: Option<Date>,
}

/// The changes of `action` beyond its new status; notes what matters in `detail`.
pub(super) async fn changes(
    ctx: &Ctx<'_>,
    action: &Action,
    r: &ActionRequest,
    detail: &mut serde_json::Value,
) -> AppResult<Vec<Change>> {
    match action {
        Action::Assign => assign(ctx, r, detail),
        Action::Take => {
            detail["assignee"] = json!(ctx.actor.id);
            Ok(vec![(Column::Assignee, Expr::value(ctx.actor.id.clone()))])
        }
        Action::Start => {
            if ctx.case.assignee.as_deref() != Some(&ctx.actor.id) && !ctx.access.may_assign() {
                return Err(AppError::Forbidden(
                    "Pracę nad sprawą rozpoczyna referent, któremu ją przydzielono.".into(),
                ));
            }
            Ok(Vec::new())
        }
        Action::CallToSupplement { term } => call_to_supplement(ctx, *term, r, detail),
        Action::Supplemented => {
            let changes = supplemented(ctx.case, ctx.procedure, ctx.today, ctx.saturday, detail);
            Ok(capped(changes, ctx.cap, detail))
        }
        Action::Decide { outcome } => decide(ctx, *outcome, r, detail).await,
        Action::Reopen => Ok(vec![
            (Column::Outcome, Expr::value(Option::<String>::None)),
            (
                Column::DecidedAt,
                Expr::value(Option::<time::OffsetDateTime>::None),
            ),
        ]),
        Action::Transfer => transfer(ctx, r, detail),
        Action::Extend => extend(ctx, r, detail).await,
        Action::FeeNotice => fee_notice(ctx, r, detail),
        Action::Suspend => suspend(ctx, r, detail),
        Action::Resume => {
            let changes = supplemented(
                ctx.case,
                Procedure::Administrative,
                ctx.today,
                ctx.saturday,
                detail,
            );
            let changes = capped(changes, ctx.cap, detail);
            detail["new_due_on"] = detail["due_on"].clone();
            Ok(changes)
        }
        Action::Join => super::joint::plan(ctx, r, detail).await,
        Action::Note => {
            let note = required(r.note.as_deref(), "note.missing", "note")?;
            detail["note"] = json!(note);
            Ok(Vec::new())
        }
        // the council's steps come through `participation::council`, which writes them
        Action::Close | Action::Archive | Action::CommitteeOpinion | Action::Agenda => {
            Ok(Vec::new())
        }
    }
}

fn assign(
    ctx: &Ctx<'_>,
    r: &ActionRequest,
    detail: &mut serde_json::Value,
) -> AppResult<Vec<Change>> {
    if !ctx.access.may_assign() {
        return Err(AppError::Forbidden(
            "Sprawy przydziela kierownik komórki; aby samodzielnie zająć się sprawą, użyj `take`."
                .into(),
        ));
    }
    let to_whom = required(r.assignee.as_deref(), "assignee.missing", "assignee")?;
    detail["assignee"] = json!(to_whom);
    Ok(vec![(Column::Assignee, Expr::value(to_whom))])
}

fn call_to_supplement(
    ctx: &Ctx<'_>,
    term: Term,
    r: &ActionRequest,
    detail: &mut serde_json::Value,
) -> AppResult<Vec<Change>> {
    rules::check_call(ctx.procedure, ctx.case, term, ctx.today)?;
    // the term runs from the call's delivery (art. 64 § 2): its end is known only then
    detail["term"] = json!(term.to_string());
    detail["term_pl"] = json!(format!("{} od dnia doręczenia wezwania", term.pl()));
    detail["items"] = json!(r.items);
    Ok(vec![(Column::PausedSince, Expr::value(ctx.today))])
}

/// The defects were remedied on `today`. KPA: the days waited do not count (art. 35 § 5),
/// added to the term's own end, then moved off a day off once (art. 57 § 4). A petition:
/// its 3 months run again from the day it was completed (u.p.p. art. 10 ust. 1).
pub(super) fn supplemented(
    case: &case_file::Model,
    procedure: Procedure,
    today: Date,
    saturday: bool,
    detail: &mut serde_json::Value,
) -> Vec<Change> {
    let since = case.paused_since.unwrap_or(today);
    let paused = (today - since).whole_days().max(0);
    let base = case.term_end.unwrap_or(case.due_on);
    let end = if procedure.term_restarts_on_completion() {
        Term::parse(&case.term)
            .ok()
            .and_then(|t| term::term_end(t, today, &[]))
            .unwrap_or(base)
    } else {
        term::extend_by_pause(base, paused).unwrap_or(base)
    };
    let due = term::due_on(end, saturday);
    detail["paused_days"] = json!(paused);
    detail["due_on"] = json!(due.to_string());
    vec![
        (Column::PausedSince, Expr::value(Option::<Date>::None)),
        (
            Column::PausedDays,
            Expr::value(case.paused_days + i32::try_from(paused).unwrap_or(i32::MAX)),
        ),
        (Column::TermEnd, Expr::value(end)),
        (Column::DueOn, Expr::value(due)),
    ]
}

/// A due date pushed on by a pause stops at the service's cap: a mass event's permit is
/// issued at least 7 days before the event, whatever the organiser's delays (art. 29).
pub(super) fn capped(
    mut changes: Vec<Change>,
    cap: Option<Date>,
    detail: &mut serde_json::Value,
) -> Vec<Change> {
    let Some(cap) = cap else {
        return changes;
    };
    let due = detail["due_on"]
        .as_str()
        .and_then(crate::forms::expr::parse_date);
    if due.is_some_and(|d| d > cap) {
        changes.retain(|(c, _)| !matches!(c, Column::DueOn | Column::TermEnd));
        changes.push((Column::TermEnd, Expr::value(cap)));
        changes.push((Column::DueOn, Expr::value(cap)));
        detail["due_on"] = json!(cap.to_string());
        detail["capped"] = json!(true);
    }
    changes
}

async fn decide(
    ctx: &Ctx<'_>,
    outcome: Outcome,
    r: &ActionRequest,
    detail: &mut serde_json::Value,
) -> AppResult<Vec<Change>> {
    required(r.reason.as_deref(), "reason.missing", "reason")?;
    ctx.procedure
        .allows_letter(outcome.as_str())
        .map_err(|why| {
            AppError::Conflict(format!(
                "Rozstrzygnięcie `{}` jest tu niedozwolone; {why}.",
                outcome.as_str()
            ))
        })?;
    let history = cases::history(&ctx.app.db, &ctx.case.id).await?;
    if outcome == Outcome::LeftUnconsidered {
        // u.p.p. art. 7 ust. 1, § 8 of the 2002 rozporządzenie: at once for what cannot be
        // completed; anything else only after a call whose term passed (below)
        let called = history.iter().any(|e| e.action == "call_to_supplement");
        if !called
            && matches!(
                ctx.procedure,
                Procedure::Petition | Procedure::ComplaintOrMotion
            )
        {
            let data = crate::db::submissions::by_id(&ctx.app.db, &ctx.case.submission_id)
                .await?
                .and_then(|s| serde_json::from_str::<serde_json::Value>(&s.data).ok())
                .unwrap_or_default();
            match super::art7::ground_without_call(ctx.procedure, &data) {
                Some((ground, gaps)) => {
                    detail["ground"] = json!(ground);
                    detail["gaps"] = json!(gaps);
                }
                None => {
                    return Err(AppError::Conflict(
                        super::art7::needs_call(ctx.procedure, &data, ctx.case.started_on)
                            .unwrap_or_default(),
                    ));
                }
            }
        }
        let paper = parse_past_date(
            r.call_delivered_on.as_deref(),
            ctx.today,
            "call_delivered_on",
        )?;
        let state = art64::state(
            &history,
            "call_to_supplement",
            ctx.today,
            paper,
            ctx.saturday,
        );
        art64::may_leave_unconsidered(&state).map_err(AppError::Conflict)?;
    }
    if outcome == Outcome::Granted {
        rules::fee_wait_over(&history, ctx.today, ctx.saturday)?;
    }
    if outcome == Outcome::Forwarded {
        let to = required(r.forward_to.as_deref(), "forward_to.missing", "forward_to")?;
        rules::check_forward(ctx.procedure, ctx.case, ctx.today)?;
        detail["forward_to"] = json!(to);
    }
    detail["outcome"] = json!(outcome.as_str());
    detail["late"] = json!(ctx.today > ctx.case.due_on);
    Ok(vec![
        (Column::Outcome, Expr::value(outcome.as_str())),
        (
            Column::DecidedAt,
            Expr::value(time::OffsetDateTime::now_utc()),
        ),
        (Column::PausedSince, Expr::value(Option::<Date>::None)),
    ])
}

/// A date the clerk states from a paper record: `None` when absent, refused when it is not
/// a date or lies in the future.
fn parse_past_date(raw: Option<&str>, today: Date, field: &'static str) -> AppResult<Option<Date>> {
    let Some(raw) = raw.map(str::trim).filter(|s| !s.is_empty()) else {
        return Ok(None);
    };
    crate::forms::expr::parse_date(raw)
        .filter(|d| *d <= today)
        .map(Some)
        .ok_or_else(|| {
            AppError::bad_request(
                field,
                format!("`{field}` to data doręczenia z potwierdzenia odbioru w formacie RRRR-MM-DD, nie późniejsza niż dziś."),
            )
        })
}

fn transfer(
    ctx: &Ctx<'_>,
    r: &ActionRequest,
    detail: &mut serde_json::Value,
) -> AppResult<Vec<Change>> {
    let unit = required(r.unit.as_deref(), "unit.missing", "unit")?;
    required(r.reason.as_deref(), "reason.missing", "reason")?;
    if ctx.app.catalogue.office.unit(unit).is_none() {
        return Err(AppError::bad_request(
            "unit.unknown",
            format!("Nie ma komórki `{unit}` w units.yaml."),
        ));
    }
    detail["unit"] = json!(unit);
    Ok(vec![
        (Column::Unit, Expr::value(unit)),
        (Column::Assignee, Expr::value(Option::<String>::None)),
    ])
}

/// KPA art. 36 (and the caps of the petitions act and UDIP): a later date with the reason,
/// notified to the party.
async fn extend(
    ctx: &Ctx<'_>,
    r: &ActionRequest,
    detail: &mut serde_json::Value,
) -> AppResult<Vec<Change>> {
    let case = ctx.case;
    let reason = required(r.reason.as_deref(), "reason.missing", "reason")?;
    let raw = required(r.due_on.as_deref(), "due_on.missing", "due_on")?;
    let end = crate::forms::expr::parse_date(raw).ok_or_else(|| {
        AppError::bad_request("due_on", "`due_on` to data w formacie RRRR-MM-DD.")
    })?;
    if end <= case.due_on {
        return Err(AppError::bad_request(
            "due_on.earlier",
            format!(
                "Nowy termin musi być późniejszy niż obecny, {}.",
                case.due_on
            ),
        ));
    }
    let new = term::due_on(end, ctx.saturday);
    if let Some(cap) = ctx.cap
        && new > cap
    {
        return Err(AppError::bad_request(
            "due_on.too_late",
            format!(
                "Sprawę trzeba załatwić do {cap} (zezwolenie na imprezę masową wydaje się najpóźniej 7 dni przed imprezą, ustawa o bezpieczeństwie imprez masowych art. 29 ust. 1)."
            ),
        ));
    }
    let history = cases::history(&ctx.app.db, &case.id).await?;
    rules::check_extension(ctx, &history, new)?;
    detail["new_due_on"] = json!(new.to_string());
    // the art. 36 notice to the party: reasons and the new date
    detail["delay_notice"] =
        json!({ "previous": case.due_on.to_string(), "new": new.to_string(), "reason": reason });
    Ok(vec![
        (Column::TermEnd, Expr::value(end)),
        (Column::DueOn, Expr::value(new)),
    ])
}

/// UDIP art. 15 ust. 2: the fee, notified within 14 days of the request; the information
/// follows 14 days after the notice is delivered.
fn fee_notice(
    ctx: &Ctx<'_>,
    r: &ActionRequest,
    detail: &mut serde_json::Value,
) -> AppResult<Vec<Change>> {
    let fee = rules::check_fee_notice(ctx, r.fee.as_deref())?;
    detail["fee"] = json!(fee);
    detail["term"] = json!(rules::FEE_WAIT.to_string());
    Ok(Vec::new())
}

/// The grounds of a suspension: art. 97 § 1 pkt 1–4 (by the authority's duty) and art. 98
/// § 1 (at the party's request), with how each reads on the letter.
const SUSPENSION_GROUNDS: [(&str, &str); 5] = [
    (
        "art97_1_1",
        "art. 97 § 1 pkt 1 KPA: śmierć strony, a następcy prawni nie są znani",
    ),
    (
        "art97_1_2",
        "art. 97 § 1 pkt 2 KPA: śmierć przedstawiciela ustawowego strony",
    ),
    (
        "art97_1_3",
        "art. 97 § 1 pkt 3 KPA: utrata przez stronę zdolności do czynności prawnych",
    ),
    ("art97_1_4", "art. 97 § 1 pkt 4 KPA: zagadnienie wstępne"),
    ("art98", "art. 98 § 1 KPA: na wniosek strony"),
];

/// KPA art. 97–98: the proceedings stop and so does the term (art. 35 § 5); suspended at
/// the party's request and not resumed within 3 years, the request is deemed withdrawn
/// (art. 98 § 2): that day is noted.
fn suspend(
    ctx: &Ctx<'_>,
    r: &ActionRequest,
    detail: &mut serde_json::Value,
) -> AppResult<Vec<Change>> {
    ctx.procedure
        .allows_letter("suspended")
        .map_err(|why| AppError::Conflict(format!("Nie można zawiesić postępowania: {why}.")))?;
    required(r.reason.as_deref(), "reason.missing", "reason")?;
    let raw = required(r.ground.as_deref(), "ground.missing", "ground")?;
    let (ground, text) = SUSPENSION_GROUNDS
        .iter()
        .find(|(g, _)| *g == raw)
        .ok_or_else(|| {
            AppError::bad_request(
                "ground",
                "`ground` to art97_1_1, art97_1_2, art97_1_3, art97_1_4 (KPA art. 97 § 1) albo art98 (na żądanie strony, art. 98 § 1).",
            )
        })?;
    detail["ground"] = json!(ground);
    detail["ground_pl"] = json!(text);
    if *ground == "art98" {
        let lapse = crate::domain::deadlines::KPA_SUSPENSION_LAPSE;
        detail["lapses_on"] = json!(lapse.term.raw_end(ctx.today).map(|d| d.to_string()));
    }
    Ok(vec![(Column::PausedSince, Expr::value(ctx.today))])
}
