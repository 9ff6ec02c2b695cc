//! The rules a case's procedure puts on its actions beyond the KPA state machine: the
//! petitions act's call (art. 7 ust. 2) and extension (art. 10 ust. 2), UDIP's extension
//! (art. 13 ust. 2) and fee (art. 15 ust. 2), a service's own cap on extensions.

use time::{Date, Duration};

use super::art64::{self, CallState};
use super::plan::Ctx;
use crate::db::entity::{case_event, case_file};
use crate::domain::clock::pl_date as pl;
use crate::domain::deadlines;
use crate::domain::procedure::Procedure;
use crate::domain::term::{self, Term};
use crate::error::{AppError, AppResult};

/// UDIP art. 15 ust. 2: the information follows 14 days after the fee is notified.
pub const FEE_WAIT: Term = deadlines::UDIP_FEE_WAIT.term;
/// UDIP art. 15 ust. 2: the fee is notified within 14 days of the request.
const FEE_NOTICE_WITHIN: Term = deadlines::UDIP_FEE_NOTICE.term;

/// A call to supplement as the procedure allows it: a petition is called within 30 days of
/// filing, to complete it within 14 days (u.p.p. art. 7 ust. 2).
pub fn check_call(
    procedure: Procedure,
    case: &case_file::Model,
    t: Term,
    today: Date,
) -> AppResult<()> {
    if let Some(fixed) = procedure.fixed_call_term()
        && t != fixed
    {
        return Err(AppError::bad_request(
            "term.fixed",
            format!(
                "Petycję uzupełnia się w terminie {} (u.p.p. art. 7 ust. 2); podaj `term` {fixed}.",
                fixed.pl()
            ),
        ));
    }
    if let Some(last) = procedure.last_day_to_call(case.started_on)
        && today > last
    {
        return Err(AppError::Conflict(format!(
            "Do uzupełnienia petycji wzywa się tylko w ciągu 30 dni od jej złożenia, czyli do {} (u.p.p. art. 7 ust. 2).",
            pl(last)
        )));
    }
    Ok(())
}

/// An extension the law allows: a service's `max_extension`, the procedure's cap (UDIP: 2
/// months from the request; petitions: 3 more months, once), and UDIP's notice within the
/// 14 days.
pub fn check_extension(ctx: &Ctx<'_>, history: &[case_event::Model], new: Date) -> AppResult<()> {
    let case = ctx.case;
    let too_late = |why: String| Err(AppError::bad_request("due_on.too_late", why));
    let own_term = Term::parse(&case.term).ok();
    // the term's own end before any extension: as recorded (pauses added, or a petition's 3
    // months restarted on completion, art. 10 ust. 1); rows older than `term_end` recompute it
    let extended = history.iter().any(|e| e.action == "extend");
    let own_end = match case.term_end {
        Some(end) if !extended => end,
        _ => {
            own_term
                .and_then(|t| term::term_end(t, case.started_on, &[]))
                .unwrap_or(case.due_on)
                + Duration::days(i64::from(case.paused_days))
        }
    };
    if let Some(max) = ctx.app.catalogue.get(&case.service_id).and_then(|s| {
        s.def
            .max_extension
            .as_deref()
            .and_then(|m| Term::parse(m).ok())
    }) && let Some(last) = max.raw_end(own_end)
        && new > term::due_on(last, ctx.saturday)
    {
        return too_late(format!(
            "Termin tej usługi można przedłużyć najwyżej do {} (limit usługi: {max}).",
            pl(last)
        ));
    }
    if let Some((last, rule)) = ctx.procedure.extension_limit(case.started_on, own_end)
        && new > term::due_on(last, ctx.saturday)
    {
        return too_late(format!(
            "Termin można przedłużyć {rule}: najpóźniej do {}.",
            pl(term::due_on(last, ctx.saturday))
        ));
    }
    if ctx.procedure.extends_once() && extended {
        return Err(AppError::Conflict(
            "Termin rozpatrzenia petycji można przedłużyć tylko raz (u.p.p. art. 10 ust. 2)."
                .into(),
        ));
    }
    if ctx.procedure.extension_notice_within_term() && ctx.today > case.due_on {
        return Err(AppError::Conflict(format!(
            "O przedłużeniu terminu trzeba powiadomić w ciągu 14 dni, czyli do {} (UDIP art. 13 ust. 2).",
            pl(case.due_on)
        )));
    }
    Ok(())
}

/// A fee notice as UDIP art. 15 ust. 2 allows it: public information only, within 14 days
/// of the request, with an amount in złoty. Returns the amount as written on the letter.
pub fn check_fee_notice(ctx: &Ctx<'_>, fee: Option<&str>) -> AppResult<String> {
    if ctx.procedure != Procedure::PublicInformation {
        return Err(AppError::Conflict(
            "O opłacie powiadamia się tylko przy udostępnianiu informacji publicznej (UDIP art. 15 ust. 2).".into(),
        ));
    }
    let last = term::due_date(FEE_NOTICE_WITHIN, ctx.case.started_on, &[], ctx.saturday)
        .unwrap_or(ctx.case.started_on);
    if ctx.today > last {
        return Err(AppError::Conflict(format!(
            "O opłacie trzeba powiadomić w ciągu 14 dni od złożenia wniosku, czyli do {} (UDIP art. 15 ust. 2).",
            pl(last)
        )));
    }
    let raw = fee.map(str::trim).unwrap_or("");
    let amount = raw
        .replace(',', ".")
        .parse::<rust_decimal::Decimal>()
        .ok()
        .filter(|d| d.is_sign_positive() && !d.is_zero() && d.scale() <= 2)
        .ok_or_else(|| {
            AppError::bad_request(
                "fee",
                "Podaj `fee`: kwotę w złotych, np. 25,50 (większą od zera, z najwyżej dwoma miejscami po przecinku).",
            )
        })?;
    Ok(format!(
        "{} zł",
        amount.round_dp(2).to_string().replace('.', ",")
    ))
}

/// UDIP art. 15 ust. 2: after a fee notice, the information is provided only once 14 days
/// from its delivery have passed (unless the requester changed or withdrew the request).
pub fn fee_wait_over(history: &[case_event::Model], today: Date, saturday: bool) -> AppResult<()> {
    match art64::state(history, "fee_notice", today, None, saturday) {
        CallState::NoCall | CallState::Passed { .. } => Ok(()),
        CallState::Running { answer_by } => Err(AppError::Conflict(format!(
            "Po powiadomieniu o opłacie informację udostępnia się po upływie 14 dni od jego doręczenia, czyli od {} (UDIP art. 15 ust. 2).",
            pl(answer_by + Duration::days(1))
        ))),
        CallState::NotDelivered { earliest, .. } => Err(AppError::Conflict(format!(
            "Powiadomienie o opłacie nie zostało jeszcze doręczone; informację można udostępnić po upływie 14 dni od jego doręczenia, najwcześniej {} (UDIP art. 15 ust. 2).",
            pl(earliest)
        ))),
    }
}

/// Forwarding to the competent body within the procedure's term from filing: 30 days for a
/// petition (u.p.p. art. 6 ust. 1), 7 for a complaint or motion (KPA art. 231 § 1).
pub fn check_forward(procedure: Procedure, case: &case_file::Model, today: Date) -> AppResult<()> {
    let Some(within) = procedure.forward_within() else {
        return Err(AppError::Conflict(
            "Przekazanie według właściwości dotyczy petycji (u.p.p. art. 6) oraz skarg i wniosków (KPA art. 231).".into(),
        ));
    };
    let last = within
        .term
        .raw_end(case.started_on)
        .unwrap_or(case.started_on);
    if today > last {
        return Err(AppError::Conflict(format!(
            "Termin na przekazanie sprawy minął {} ({}: w ciągu {} od złożenia); rozpatrz ją albo poproś właściwy organ o jej przejęcie.",
            pl(last),
            within.article,
            within.term.pl()
        )));
    }
    Ok(())
}
