//! Every statutory term okienko counts, as a typed value with its article, in one place:
//! the procedures, the case rules and `forms check` read them from here, so a term is never
//! a bare number in a form or a letter. docs/legal.md lists the tests that prove them.

use super::term::Term;

/// A term the law sets, with the provision that sets it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Deadline {
    pub term: Term,
    pub article: &'static str,
}

const fn days(n: u16, article: &'static str) -> Deadline {
    Deadline {
        term: Term::Days(n),
        article,
    }
}

const fn months(n: u16, article: &'static str) -> Deadline {
    Deadline {
        term: Term::Months(n),
        article,
    }
}

/// The shortest term of a call to remedy formal defects.
pub const KPA_CALL_MIN: Deadline = days(7, "KPA art. 64 § 2");
/// A matter that needs explanatory proceedings.
pub const KPA_CASE: Deadline = months(1, "KPA art. 35 § 3");
/// An appeal against a decision, from its delivery.
pub const KPA_APPEAL: Deadline = days(14, "KPA art. 129 § 2");
/// A zażalenie against a postanowienie, from its delivery.
pub const KPA_ZAZALENIE: Deadline = days(7, "KPA art. 141 § 2");
/// A certificate: without delay, within 7 days at most.
pub const KPA_CERTIFICATE: Deadline = days(7, "KPA art. 217 § 3");
/// A complaint or a motion: without delay, within a month at most.
pub const KPA_COMPLAINT: Deadline = months(1, "KPA art. 237 § 1");
/// Proceedings suspended at the party's request and not resumed within 3 years: the
/// request is deemed withdrawn.
pub const KPA_SUSPENSION_LAPSE: Deadline = months(36, "KPA art. 98 § 2");

/// Full days after arrival before an uncollected letter is deemed delivered.
pub const UDE_DEEMED_FULL_DAYS: Deadline = days(14, "u.d.e. art. 42 ust. 2");

/// A citizens' draft resolution: on the council's session within 3 months of filing.
pub const INITIATIVE_SESSION: Deadline = months(3, "u.s.g. art. 41a ust. 4");
/// A petition: 3 months from filing (or completion, or receipt after forwarding).
pub const PETITION: Deadline = months(3, "u.p.p. art. 10 ust. 1");
/// A petition's extension: once, by at most 3 more months.
pub const PETITION_EXTENSION: Deadline = months(3, "u.p.p. art. 10 ust. 2");
/// A petition sent to the wrong addressee is forwarded to the competent one within 30 days.
pub const PETITION_FORWARD: Deadline = days(30, "u.p.p. art. 6 ust. 1");
/// A complaint or motion sent to the wrong body is forwarded within 7 days.
pub const KPA_COMPLAINT_FORWARD: Deadline = days(7, "KPA art. 231 § 1");
/// Petitions on the same matter filed within a month of the first may be handled jointly…
pub const PETITION_JOIN_WITHIN: Deadline = months(1, "u.p.p. art. 11 ust. 1");
/// …with a waiting period for further ones of at most 2 months, after which the 3 months run.
pub const PETITION_JOIN_WAIT: Deadline = months(2, "u.p.p. art. 11 ust. 2");
/// A petition's call to complete: made within 30 days of filing…
pub const PETITION_CALL_WITHIN: Deadline = days(30, "u.p.p. art. 7 ust. 2");
/// …to complete it within 14 days.
pub const PETITION_CALL: Deadline = days(14, "u.p.p. art. 7 ust. 2");

/// Public information: without delay, within 14 days of the request.
pub const UDIP: Deadline = days(14, "UDIP art. 13 ust. 1");
/// Public information extended: at most 2 months from the request.
pub const UDIP_MAX: Deadline = months(2, "UDIP art. 13 ust. 2");
/// A fee for public information is notified within 14 days of the request…
pub const UDIP_FEE_NOTICE: Deadline = days(14, "UDIP art. 15 ust. 2");
/// …and the information follows 14 days after the notice.
pub const UDIP_FEE_WAIT: Deadline = days(14, "UDIP art. 15 ust. 2");

/// A mass event's permit is issued at least 7 days before the event.
pub const MASS_EVENT_DECISION_BEFORE: Deadline =
    days(7, "ustawa o bezpieczeństwie imprez masowych art. 29 ust. 1");

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;
    use crate::domain::term::due_date;

    /// The typed terms on real dates: an appeal against a decision delivered Monday
    /// 2.03.2026 runs to Monday 16.03; a zażalenie to Monday 9.03; a certificate asked on
    /// Thursday 30.04.2026 is due by Thursday 7.05 (1 and 3 May are holidays inside the
    /// term, not at its end); a petition filed 31.08.2026 is due Monday 30.11.2026.
    #[test]
    fn kpa_and_upp_terms_on_real_dates() {
        let due = |d: Deadline, from| due_date(d.term, from, &[], true).unwrap();
        assert_eq!(
            due(KPA_APPEAL, date!(2026 - 03 - 02)),
            date!(2026 - 03 - 16)
        );
        assert_eq!(
            due(KPA_ZAZALENIE, date!(2026 - 03 - 02)),
            date!(2026 - 03 - 09)
        );
        assert_eq!(
            due(KPA_CERTIFICATE, date!(2026 - 04 - 30)),
            date!(2026 - 05 - 07)
        );
        assert_eq!(due(PETITION, date!(2026 - 08 - 31)), date!(2026 - 11 - 30));
        assert_eq!(
            due(KPA_SUSPENSION_LAPSE, date!(2026 - 03 - 02)),
            date!(2029 - 03 - 02)
        );
        assert!(KPA_APPEAL.article.starts_with("KPA art. 129"));
    }
}
