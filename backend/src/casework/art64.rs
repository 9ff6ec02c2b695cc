//! KPA art. 64 § 2: a submission whose defects were not remedied is left unconsidered only
//! once the term set in the call has passed, and that term runs from the call's delivery
//! (actual, or deemed under u.d.e. art. 42 ust. 2), not from its sending. Before then the
//! action is refused with the day it becomes possible.

use time::{Date, Duration};

use crate::db::entity::case_event;
use crate::domain::{clock, deemed, term};

/// Where the latest call to supplement stands on `today`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CallState {
    /// No call was made (art. 64 § 1 or a case that needs none).
    NoCall,
    /// Sent, not yet delivered: `deemed_on` is when the fiction will deliver it, and
    /// `earliest` the first day the submission may be left unconsidered if it does.
    NotDelivered { deemed_on: Date, earliest: Date },
    /// Delivered; the term runs to `answer_by` (moved off days off, art. 57 § 4).
    Running { answer_by: Date },
    /// The term ended on `answer_by`, before today.
    Passed { answer_by: Date },
}

/// The latest letter of `action` in `history` that set a term running from its delivery (a
/// call to supplement; a fee notice, UDIP art. 15 ust. 2), with the delivery that followed
/// it (or the day of a paper delivery the clerk states, when it did not go electronically).
pub fn state(
    history: &[case_event::Model],
    action: &str,
    today: Date,
    paper_delivered_on: Option<Date>,
    saturday_counts: bool,
) -> CallState {
    let Some((i, call)) = history
        .iter()
        .enumerate()
        .rev()
        .find(|(_, e)| e.action == action)
    else {
        return CallState::NoCall;
    };
    let detail: serde_json::Value = serde_json::from_str(&call.detail).unwrap_or_default();
    let term = detail["term"]
        .as_str()
        .and_then(|t| term::Term::parse(t).ok())
        .unwrap_or(term::Term::Days(7));
    let delivered = history[i + 1..]
        .iter()
        .find(|e| {
            e.action == "delivered" && e.document_id.is_some() && e.document_id == call.document_id
        })
        .map(|e| clock::in_poland(e.at).date())
        .or(paper_delivered_on);
    let answer_by = |from: Date| term::due_date(term, from, &[], saturday_counts).unwrap_or(from);
    match delivered {
        Some(on) if answer_by(on) < today => CallState::Passed {
            answer_by: answer_by(on),
        },
        Some(on) => CallState::Running {
            answer_by: answer_by(on),
        },
        None => {
            let sent = clock::in_poland(call.at).date();
            let deemed_on = deemed::deemed_day(sent).unwrap_or(sent);
            CallState::NotDelivered {
                deemed_on,
                earliest: answer_by(deemed_on) + Duration::days(1),
            }
        }
    }
}

/// `Ok` when the submission may now be left unconsidered; otherwise the reason, in Polish
/// and with the day it becomes possible.
pub fn may_leave_unconsidered(s: &CallState) -> Result<(), String> {
    let pl = |d: &Date| clock::pl_date(*d);
    match s {
        CallState::NoCall | CallState::Passed { .. } => Ok(()),
        CallState::Running { answer_by } => Err(format!(
            "termin na usunięcie braków biegnie od doręczenia wezwania i upływa {} (art. 64 § 2 KPA); wniosek można pozostawić bez rozpoznania od {}",
            pl(answer_by),
            pl(&(*answer_by + Duration::days(1)))
        )),
        CallState::NotDelivered {
            deemed_on,
            earliest,
        } => Err(format!(
            "wezwanie nie zostało jeszcze doręczone; termin biegnie od doręczenia (art. 64 § 2 KPA). Jeśli nie zostanie odebrane, uznaje się je za doręczone {} (art. 42 ust. 2 ustawy o doręczeniach elektronicznych), a wniosek można pozostawić bez rozpoznania najwcześniej {}. Jeśli wezwanie doręczono na papierze, podaj datę doręczenia w `call_delivered_on`",
            pl(deemed_on),
            pl(earliest)
        )),
    }
}

#[cfg(test)]
mod tests {
    use time::OffsetDateTime;
    use time::macros::{date, datetime};

    use super::*;

    fn event(seq: i32, action: &str, at: OffsetDateTime, detail: &str) -> case_event::Model {
        case_event::Model {
            id: seq.to_string(),
            case_id: "c".into(),
            seq,
            at,
            actor: "a".into(),
            actor_name: "a".into(),
            position: "p".into(),
            action: action.into(),
            status: "s".into(),
            detail: detail.into(),
            document_id: Some("doc-1".into()),
            prev_hash: String::new(),
            hash: String::new(),
        }
    }

    /// A 7-day call sent on Monday 2.03.2026 (09:00 CET), opened Thursday 5.03: the term runs
    /// from delivery, 6–12.03, and ends Thursday 12.03. Leaving the submission unconsidered
    /// is refused on 10.03 (the term counted from sending would have ended on Monday 9.03)
    /// and on 12.03, and allowed from Friday 13.03.
    #[test]
    fn kpa_art_64_2_the_term_runs_from_the_delivery_of_the_call() {
        let history = vec![
            event(1, "register", datetime!(2026-02-20 10:00 UTC), "{}"),
            event(
                2,
                "call_to_supplement",
                datetime!(2026-03-02 08:00 UTC),
                r#"{"term":"P7D","items":["podpis"]}"#,
            ),
            event(3, "delivered", datetime!(2026-03-05 17:00 UTC), "{}"),
        ];
        let on = |d| state(&history, "call_to_supplement", d, None, true);
        assert_eq!(
            on(date!(2026 - 03 - 10)),
            CallState::Running {
                answer_by: date!(2026 - 03 - 12)
            }
        );
        assert!(may_leave_unconsidered(&on(date!(2026 - 03 - 10))).is_err());
        let refusal = may_leave_unconsidered(&on(date!(2026 - 03 - 12))).unwrap_err();
        assert!(
            refusal.contains("12.03.2026") && refusal.contains("13.03.2026"),
            "{refusal}"
        );
        assert!(may_leave_unconsidered(&on(date!(2026 - 03 - 13))).is_ok());
    }

    /// Not collected: sent Monday 2.03.2026, deemed delivered Tuesday 17.03 (u.d.e. art. 42
    /// ust. 2), a 7-day term ends Tuesday 24.03: possible from Wednesday 25.03, and the
    /// refusal before then says so. A paper delivery the clerk states counts instead.
    #[test]
    fn kpa_art_64_2_an_uncollected_call_counts_from_deemed_delivery() {
        let history = vec![event(
            1,
            "call_to_supplement",
            datetime!(2026-03-02 08:00 UTC),
            r#"{"term":"P7D"}"#,
        )];
        let s = state(
            &history,
            "call_to_supplement",
            date!(2026 - 03 - 16),
            None,
            true,
        );
        assert_eq!(
            s,
            CallState::NotDelivered {
                deemed_on: date!(2026 - 03 - 17),
                earliest: date!(2026 - 03 - 25)
            }
        );
        let refusal = may_leave_unconsidered(&s).unwrap_err();
        assert!(
            refusal.contains("17.03.2026") && refusal.contains("25.03.2026"),
            "{refusal}"
        );
        // the return receipt says 3.03: the term ended Tuesday 10.03
        let s = state(
            &history,
            "call_to_supplement",
            date!(2026 - 03 - 16),
            Some(date!(2026 - 03 - 03)),
            true,
        );
        assert_eq!(
            s,
            CallState::Passed {
                answer_by: date!(2026 - 03 - 10)
            }
        );
    }

    #[test]
    fn no_call_no_term() {
        let history = vec![event(1, "register", datetime!(2026-02-20 10:00 UTC), "{}")];
        assert_eq!(
            state(
                &history,
                "call_to_supplement",
                date!(2026 - 03 - 01),
                None,
                true
            ),
            CallState::NoCall
        );
    }
}
