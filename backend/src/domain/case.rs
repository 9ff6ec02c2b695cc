//! The life of a case (sprawa), as a state machine: which action may happen in which
//! state, and what state follows. Every refusal says which rule forbids it.
//!
//! ```text
//! registered ─assign→ assigned ─start/take→ in_progress ─call_to_supplement→ awaiting_applicant
//!     │  └─take──────────────────────────────↗    ↑  │                           │
//!     │                                          └──┼──── supplemented ─────────┘
//!     │                                 decide      ↓        decide(left_unconsidered)
//!     └─ transfer (registered, assigned, in_progress → registered in the new unit)
//! decided ─close→ closed ─archive→ archived;  decided/closed ─reopen→ in_progress
//! ```

use serde::{Deserialize, Serialize};

use super::term::Term;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Registered,
    Assigned,
    InProgress,
    AwaitingApplicant,
    /// KPA art. 97–103: proceedings suspended; the term does not run (art. 35 § 5).
    Suspended,
    Decided,
    Closed,
    Archived,
}

impl Status {
    pub const ALL: [Status; 8] = [
        Self::Registered,
        Self::Assigned,
        Self::InProgress,
        Self::AwaitingApplicant,
        Self::Suspended,
        Self::Decided,
        Self::Closed,
        Self::Archived,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Registered => "registered",
            Self::Assigned => "assigned",
            Self::InProgress => "in_progress",
            Self::AwaitingApplicant => "awaiting_applicant",
            Self::Suspended => "suspended",
            Self::Decided => "decided",
            Self::Closed => "closed",
            Self::Archived => "archived",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|x| x.as_str() == s)
    }

    /// Whether the legal term still runs for the authority (not decided, not paused).
    pub fn term_runs(self) -> bool {
        matches!(self, Self::Registered | Self::Assigned | Self::InProgress)
    }

    pub fn is_open(self) -> bool {
        !matches!(self, Self::Decided | Self::Closed | Self::Archived)
    }

    pub fn label_pl(self) -> &'static str {
        match self {
            Self::Registered => "zarejestrowana",
            Self::Assigned => "przydzielona",
            Self::InProgress => "w toku",
            Self::AwaitingApplicant => "oczekuje na wnioskodawcę",
            Self::Suspended => "postępowanie zawieszone",
            Self::Decided => "załatwiona",
            Self::Closed => "zakończona",
            Self::Archived => "w archiwum",
        }
    }
}

/// How a case was settled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Granted,
    Refused,
    /// KPA art. 64: formal defects not remedied in the term.
    LeftUnconsidered,
    Discontinued,
    /// Sent to the competent body: a petition within 30 days (u.p.p. art. 6 ust. 1), a
    /// complaint or motion within 7 days (KPA art. 231).
    Forwarded,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Granted => "granted",
            Self::Refused => "refused",
            Self::LeftUnconsidered => "left_unconsidered",
            Self::Discontinued => "discontinued",
            Self::Forwarded => "forwarded",
        }
    }
}

/// What a clerk (or the applicant, for `Supplemented`) does to a case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    Assign,
    Take,
    Start,
    CallToSupplement {
        term: Term,
    },
    Supplemented,
    Decide {
        outcome: Outcome,
    },
    Close,
    Archive,
    Transfer,
    Reopen,
    /// KPA art. 36: a new date, with the reason, notified to the party.
    Extend,
    /// UDIP art. 15 ust. 2: the fee for providing public information, notified within 14
    /// days of the request.
    FeeNotice,
    /// KPA art. 97–98, art. 101: suspending the proceedings by postanowienie.
    Suspend,
    /// KPA art. 97 § 2: resuming them once the cause is gone (podjęcie).
    Resume,
    /// u.p.p. art. 11: handling a petition jointly with an earlier one on the same matter.
    Join,
    Note,
    /// u.s.g. art. 18b: the council's committee for complaints, motions and petitions gives
    /// its opinion on a case addressed to the council; work on it has started.
    CommitteeOpinion,
    /// The case is put on the agenda of a council session (its resolution will end it).
    Agenda,
}

impl Action {
    pub fn name(&self) -> &'static str {
        match self {
            Self::Assign => "assign",
            Self::Take => "take",
            Self::Start => "start",
            Self::CallToSupplement { .. } => "call_to_supplement",
            Self::Supplemented => "supplemented",
            Self::Decide { .. } => "decide",
            Self::Close => "close",
            Self::Archive => "archive",
            Self::Transfer => "transfer",
            Self::Reopen => "reopen",
            Self::Extend => "extend",
            Self::FeeNotice => "fee_notice",
            Self::Suspend => "suspend",
            Self::Resume => "resume",
            Self::Join => "join",
            Self::Note => "note",
            Self::CommitteeOpinion => "committee_opinion",
            Self::Agenda => "agenda",
        }
    }
}

/// The minimum term of a call to remedy formal defects (KPA art. 64 § 2).
pub const MIN_SUPPLEMENT_TERM: Term = super::deadlines::KPA_CALL_MIN.term;

/// The state after `action`, or why `action` is not allowed in `from`.
pub fn next(from: Status, action: &Action) -> Result<Status, String> {
    use Status as S;
    let refuse = |rule: &str| {
        Err(format!(
            "Czynność `{}` jest niedozwolona, gdy sprawa ma status „{}”: {rule}.",
            action.name(),
            from.label_pl()
        ))
    };
    match (action, from) {
        (Action::Note, _) => Ok(from),
        (_, S::Archived) => refuse("sprawa w archiwum jest tylko do odczytu"),
        (Action::Assign, S::Registered | S::Assigned | S::InProgress) => Ok(S::Assigned),
        (Action::Assign, _) => refuse(
            "przydziela się tylko sprawę otwartą, która nie oczekuje na wnioskodawcę ani nie jest zawieszona",
        ),
        (Action::Take, S::Registered | S::Assigned) => Ok(S::InProgress),
        (Action::Take, _) => refuse("podjąć można tylko sprawę zarejestrowaną albo przydzieloną"),
        (Action::Start, S::Assigned) => Ok(S::InProgress),
        (Action::Start, _) => refuse("pracę rozpoczyna się nad sprawą przydzieloną"),
        (Action::CallToSupplement { term }, S::InProgress) => {
            if term.at_least(MIN_SUPPLEMENT_TERM) {
                Ok(S::AwaitingApplicant)
            } else {
                Err(format!(
                    "Termin na usunięcie braków musi wynosić co najmniej 7 dni (KPA art. 64 § 2), a podano {term}."
                ))
            }
        }
        (Action::CallToSupplement { .. }, _) => {
            refuse("do uzupełnienia wzywa się w sprawie, która jest w toku")
        }
        (Action::Supplemented, S::AwaitingApplicant) => Ok(S::InProgress),
        (Action::Supplemented, _) => refuse("wnioskodawcy nie wezwano do uzupełnienia"),
        (Action::Decide { .. }, S::InProgress) => Ok(S::Decided),
        (
            Action::Decide {
                outcome: Outcome::LeftUnconsidered,
            },
            S::AwaitingApplicant,
        ) => Ok(S::Decided),
        (Action::Decide { .. }, S::AwaitingApplicant) => refuse(
            "gdy sprawa oczekuje na wnioskodawcę, jedynym rozstrzygnięciem jest pozostawienie wniosku bez rozpoznania (art. 64 § 2)",
        ),
        (Action::Decide { .. }, _) => refuse("rozstrzyga się sprawę, która jest w toku"),
        (Action::Close, S::Decided) => Ok(S::Closed),
        (Action::Close, _) => refuse("sprawę zamyka się po jej załatwieniu"),
        (Action::Archive, S::Closed) => Ok(S::Archived),
        (Action::Archive, _) => refuse("do archiwum trafia tylko sprawa zakończona"),
        (Action::Transfer, S::Registered | S::Assigned | S::InProgress) => Ok(S::Registered),
        (Action::Transfer, _) => refuse(
            "przekazać można tylko sprawę otwartą, która nie oczekuje na wnioskodawcę ani nie jest zawieszona",
        ),
        (Action::Reopen, S::Decided | S::Closed) => Ok(S::InProgress),
        (Action::Reopen, _) => refuse("wznowić można tylko sprawę załatwioną albo zakończoną"),
        (Action::Extend, s) if s.is_open() => Ok(s),
        (Action::Extend, _) => refuse("terminu załatwionej sprawy nie można przedłużyć"),
        (Action::FeeNotice, S::InProgress) => Ok(S::InProgress),
        (Action::FeeNotice, _) => refuse("o opłacie powiadamia się, gdy wniosek jest w toku"),
        (Action::Suspend, S::InProgress) => Ok(S::Suspended),
        (Action::Suspend, _) => {
            refuse("zawiesza się postępowanie, które jest w toku (KPA art. 97)")
        }
        (Action::Resume, S::Suspended) => Ok(S::InProgress),
        (Action::Resume, _) => {
            refuse("podejmuje się tylko postępowanie zawieszone (KPA art. 97 § 2)")
        }
        (Action::Join, S::Registered | S::Assigned | S::InProgress) => Ok(from),
        (Action::Join, _) => refuse(
            "z inną petycją łączy się tylko petycję otwartą, która nie oczekuje na wnioskodawcę",
        ),
        (
            Action::CommitteeOpinion | Action::Agenda,
            S::Registered | S::Assigned | S::InProgress,
        ) => Ok(S::InProgress),
        (Action::CommitteeOpinion | Action::Agenda, _) => {
            refuse("komisja rady zajmuje się sprawą otwartą, która nie oczekuje na wnioskodawcę")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// KPA art. 97 § 1 and § 2: proceedings in progress are suspended and resumed; a
    /// suspended case is open but its term does not run (art. 35 § 5).
    #[test]
    fn kpa_art_97_suspension_is_a_state_of_its_own() {
        assert_eq!(
            next(Status::InProgress, &Action::Suspend),
            Ok(Status::Suspended)
        );
        assert_eq!(
            next(Status::Suspended, &Action::Resume),
            Ok(Status::InProgress)
        );
        assert!(
            next(
                Status::Suspended,
                &Action::Decide {
                    outcome: Outcome::Granted
                }
            )
            .is_err()
        );
        assert!(next(Status::Decided, &Action::Suspend).is_err());
        assert!(Status::Suspended.is_open() && !Status::Suspended.term_runs());
        assert_eq!(Status::parse("suspended"), Some(Status::Suspended));
    }

    #[test]
    fn the_usual_path_and_a_call_to_supplement() {
        let mut s = Status::Registered;
        for a in [
            Action::Assign,
            Action::Start,
            Action::CallToSupplement {
                term: Term::Days(7),
            },
            Action::Supplemented,
            Action::Decide {
                outcome: Outcome::Granted,
            },
            Action::Close,
            Action::Archive,
        ] {
            s = next(s, &a).unwrap();
        }
        assert_eq!(s, Status::Archived);
    }

    #[test]
    fn illegal_transitions_name_the_rule() {
        let e = next(
            Status::InProgress,
            &Action::CallToSupplement {
                term: Term::Days(6),
            },
        )
        .unwrap_err();
        assert!(e.contains("art. 64"), "{e}");
        let e = next(
            Status::AwaitingApplicant,
            &Action::Decide {
                outcome: Outcome::Granted,
            },
        )
        .unwrap_err();
        assert!(e.contains("bez rozpoznania"), "{e}");
        assert_eq!(
            next(
                Status::AwaitingApplicant,
                &Action::Decide {
                    outcome: Outcome::LeftUnconsidered
                }
            ),
            Ok(Status::Decided)
        );
        assert!(next(Status::Registered, &Action::Close).is_err());
        assert!(next(Status::Archived, &Action::Reopen).is_err());
        assert_eq!(
            next(Status::Closed, &Action::Reopen),
            Ok(Status::InProgress)
        );
        assert_eq!(next(Status::Archived, &Action::Note), Ok(Status::Archived));
        assert_eq!(
            next(Status::Registered, &Action::CommitteeOpinion),
            Ok(Status::InProgress)
        );
        assert!(next(Status::Decided, &Action::Agenda).is_err());
        assert!(next(Status::Decided, &Action::Extend).is_err());
        for s in Status::ALL {
            assert_eq!(Status::parse(s.as_str()), Some(s));
        }
    }
}
