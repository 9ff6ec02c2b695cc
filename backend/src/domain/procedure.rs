//! The kind of procedure a service's cases follow, which decides how they end and which
//! letters they may carry. A petition, a complaint and a motion are not decided: they end
//! with a notification of how they were dealt with (u.p.p. art. 13; KPA art. 237 § 3 and
//! art. 238), which has no appeal. Public information is provided by a material act (UDIP
//! art. 13); only a refusal or a discontinuance is a decision (art. 16, art. 14 ust. 2).

use serde::{Deserialize, Serialize};
use time::Date;

use super::deadlines::{self, Deadline};
use super::term::{Term, term_end};

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Procedure {
    /// KPA proceedings ending in an appealable decision (art. 104, art. 107 § 1).
    #[default]
    Administrative,
    /// Ustawa o petycjach: art. 7 defects, art. 10 terms, art. 13 notification.
    Petition,
    /// KPA dział VIII: complaints and motions (art. 227–247), ended by a notification.
    ComplaintOrMotion,
    /// Ustawa o dostępie do informacji publicznej (UDIP).
    PublicInformation,
    /// KPA art. 217–220: a certificate, issued within 7 days; a refusal is a postanowienie
    /// open to zażalenie (art. 219).
    Certificate,
    /// u.s.g. art. 41a: a citizens' draft resolution, taken up by the council at its next
    /// session and within 3 months of filing (ust. 3); the committee is told how the council
    /// dealt with it. Not a KPA case: no decision, no appeal.
    Initiative,
}

/// The letter kinds each procedure's cases may carry.
pub const LETTER_KINDS: [&str; 10] = [
    "granted",
    "refused",
    "left_unconsidered",
    "discontinued",
    "call_to_supplement",
    "delay_notice",
    "fee_notice",
    "suspended",
    "resumed",
    "forwarded",
];

impl Procedure {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Administrative => "administrative",
            Self::Petition => "petition",
            Self::ComplaintOrMotion => "complaint_or_motion",
            Self::PublicInformation => "public_information",
            Self::Certificate => "certificate",
            Self::Initiative => "initiative",
        }
    }

    /// The longest processing term the law allows: a certificate within 7 days (KPA art. 217
    /// § 3), a complaint or motion within a month (art. 237 § 1), a petition within 3 months
    /// (u.p.p. art. 10 ust. 1), public information within 14 days (UDIP art. 13 ust. 1).
    pub fn max_processing_term(self) -> Option<Deadline> {
        match self {
            Self::Certificate => Some(deadlines::KPA_CERTIFICATE),
            Self::ComplaintOrMotion => Some(deadlines::KPA_COMPLAINT),
            Self::Petition => Some(deadlines::PETITION),
            Self::PublicInformation => Some(deadlines::UDIP),
            Self::Initiative => Some(deadlines::INITIATIVE_SESSION),
            Self::Administrative => None,
        }
    }

    /// Whether its cases end with a notification, never a decision: no "DECYZJA", no
    /// appeal instruction (u.p.p. art. 13; KPA art. 238).
    pub fn ends_without_decision(self) -> bool {
        matches!(
            self,
            Self::Petition | Self::ComplaintOrMotion | Self::Initiative
        )
    }

    /// Whether a letter of `kind` belongs to this procedure, or why not.
    pub fn allows_letter(self, kind: &str) -> Result<(), String> {
        let refuse = |why: &str| Err(why.to_owned());
        match (self, kind) {
            (_, k) if !LETTER_KINDS.contains(&k) => refuse("to nie jest rodzaj pisma"),
            (Self::Petition, "discontinued") => refuse(
                "postępowania w sprawie petycji się nie umarza: petycję rozpatruje się (u.p.p. art. 13) albo pozostawia bez rozpatrzenia (art. 7)",
            ),
            (Self::Certificate, "discontinued") => refuse(
                "zaświadczenie wydaje się albo odmawia jego wydania postanowieniem (KPA art. 219); postępowania się nie umarza",
            ),
            (Self::ComplaintOrMotion, "discontinued") => refuse(
                "postępowania w sprawie skargi lub wniosku się nie umarza: o sposobie ich załatwienia się zawiadamia (KPA art. 237 § 3, art. 238)",
            ),
            (Self::Initiative, "discontinued" | "forwarded" | "delay_notice") => refuse(
                "obywatelski projekt uchwały trafia na sesję rady w ciągu 3 miesięcy od złożenia i żadne zawiadomienie nie przedłuża tego terminu (u.s.g. art. 41a ust. 4); komitet dowiaduje się, co postanowiła rada",
            ),
            (Self::Petition | Self::ComplaintOrMotion, "forwarded") => Ok(()),
            (_, "forwarded") => refuse(
                "przekazanie właściwemu organowi dotyczy petycji (u.p.p. art. 6) oraz skarg i wniosków (KPA art. 231)",
            ),
            (Self::Administrative, "suspended" | "resumed") => Ok(()),
            (_, "suspended" | "resumed") => {
                refuse("zawiesza się tylko postępowanie administracyjne (KPA art. 97–103)")
            }
            (Self::PublicInformation, _) | (_, "call_to_supplement" | "delay_notice") => Ok(()),
            (_, "fee_notice") => refuse(
                "powiadomienie o opłacie dotyczy tylko informacji publicznej (UDIP art. 15 ust. 2)",
            ),
            _ => Ok(()),
        }
    }

    /// The term a call to supplement must set, where the law fixes it: 14 days for a
    /// petition (u.p.p. art. 7 ust. 2).
    pub fn fixed_call_term(self) -> Option<Term> {
        match self {
            Self::Petition => Some(deadlines::PETITION_CALL.term),
            _ => None,
        }
    }

    /// The last day a call to supplement may be made for a case filed on `filed_on`: within
    /// 30 days of filing for a petition (u.p.p. art. 7 ust. 2).
    pub fn last_day_to_call(self, filed_on: Date) -> Option<Date> {
        match self {
            Self::Petition => deadlines::PETITION_CALL_WITHIN.term.raw_end(filed_on),
            _ => None,
        }
    }

    /// The term within which a case sent to the wrong body is forwarded to the competent
    /// one, counted from filing.
    pub fn forward_within(self) -> Option<Deadline> {
        match self {
            Self::Petition => Some(deadlines::PETITION_FORWARD),
            Self::ComplaintOrMotion => Some(deadlines::KPA_COMPLAINT_FORWARD),
            _ => None,
        }
    }

    /// Whether the processing term starts again on the day the defects are remedied, rather
    /// than pausing (u.p.p. art. 10 ust. 1: from the day the petition was completed).
    pub fn term_restarts_on_completion(self) -> bool {
        matches!(self, Self::Petition)
    }

    /// The latest day an extension may reach, given the case's start and the end of its
    /// own term, with the rule that sets it: UDIP art. 13 ust. 2, 2 months from the
    /// request; u.p.p. art. 10 ust. 2, at most 3 more months.
    pub fn extension_limit(self, started_on: Date, own_end: Date) -> Option<(Date, &'static str)> {
        match self {
            Self::PublicInformation => Some((
                term_end(deadlines::UDIP_MAX.term, started_on, &[])?,
                "najwyżej do 2 miesięcy od złożenia wniosku (UDIP art. 13 ust. 2)",
            )),
            Self::Petition => Some((
                deadlines::PETITION_EXTENSION.term.raw_end(own_end)?,
                "jeden raz, najwyżej o 3 miesiące (u.p.p. art. 10 ust. 2)",
            )),
            _ => None,
        }
    }

    /// Whether the term may be extended only once (u.p.p. art. 10 ust. 2).
    pub fn extends_once(self) -> bool {
        matches!(self, Self::Petition)
    }

    /// Whether an extension must be notified before the original term ends: UDIP art. 13
    /// ust. 2 (the notice goes out within the 14 days).
    pub fn extension_notice_within_term(self) -> bool {
        matches!(self, Self::PublicInformation)
    }
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;

    /// u.p.p. art. 13 and KPA art. 238: petitions, complaints and motions end with a
    /// notification; a petition is never discontinued; a fee notice is UDIP's alone.
    /// u.s.g. art. 41a ust. 4: the council takes a citizens' draft up within 3 months; the
    /// term is not extended and the committee gets a notification, not a decision.
    #[test]
    fn usg_art_41a_initiative_within_3_months_without_extension() {
        let p = Procedure::Initiative;
        assert!(p.ends_without_decision());
        assert_eq!(p.max_processing_term(), Some(deadlines::INITIATIVE_SESSION));
        assert_eq!(
            deadlines::INITIATIVE_SESSION
                .term
                .raw_end(date!(2026 - 11 - 30)),
            Some(date!(2027 - 02 - 28))
        );
        assert!(p.allows_letter("delay_notice").is_err());
        assert!(p.allows_letter("forwarded").is_err());
        assert!(p.allows_letter("granted").is_ok());
    }

    #[test]
    fn upp_art_13_kpa_art_238_letters_per_procedure() {
        assert!(Procedure::Petition.ends_without_decision());
        assert!(Procedure::ComplaintOrMotion.ends_without_decision());
        assert!(!Procedure::Administrative.ends_without_decision());
        assert!(Procedure::Petition.allows_letter("discontinued").is_err());
        assert!(Procedure::Petition.allows_letter("granted").is_ok());
        assert!(
            Procedure::Administrative
                .allows_letter("fee_notice")
                .is_err()
        );
        assert!(
            Procedure::PublicInformation
                .allows_letter("fee_notice")
                .is_ok()
        );
        assert!(Procedure::Administrative.allows_letter("verdict").is_err());
    }

    /// KPA art. 217 § 3: a certificate within 7 days at most.
    #[test]
    fn kpa_art_217_certificates_within_7_days() {
        let max = Procedure::Certificate.max_processing_term().unwrap();
        assert!(max.term.at_least(Term::Days(7)) && !max.term.at_least(Term::Days(8)));
        assert!(!max.term.at_least(Term::Months(1)));
        assert_eq!(max.article, "KPA art. 217 § 3");
        assert_eq!(Procedure::Administrative.max_processing_term(), None);
    }

    /// u.p.p. art. 7 ust. 2: a petition filed on 15.01.2026 may be called to be completed
    /// until 14.02.2026, for 14 days.
    #[test]
    fn upp_art_7_call_within_30_days_for_14_days() {
        assert_eq!(
            Procedure::Petition.last_day_to_call(date!(2026 - 01 - 15)),
            Some(date!(2026 - 02 - 14))
        );
        assert_eq!(Procedure::Petition.fixed_call_term(), Some(Term::Days(14)));
        assert_eq!(
            Procedure::Administrative.last_day_to_call(date!(2026 - 01 - 15)),
            None
        );
    }

    /// UDIP art. 13 ust. 2: a request of 10.03.2026 may be extended to 10.05.2026 at most;
    /// u.p.p. art. 10 ust. 2: a petition due 15.04.2027 to 15.07.2027 at most.
    #[test]
    fn udip_art_13_and_upp_art_10_extension_limits() {
        let (last, _) = Procedure::PublicInformation
            .extension_limit(date!(2026 - 03 - 10), date!(2026 - 03 - 24))
            .unwrap();
        assert_eq!(last, date!(2026 - 05 - 10));
        let (last, _) = Procedure::Petition
            .extension_limit(date!(2027 - 01 - 15), date!(2027 - 04 - 15))
            .unwrap();
        assert_eq!(last, date!(2027 - 07 - 15));
        assert!(
            Procedure::Administrative
                .extension_limit(date!(2027 - 01 - 15), date!(2027 - 02 - 15))
                .is_none()
        );
    }
}
