//! Leaving a petition, complaint or motion without consideration for what it lacks, and
//! what the clerk is told on the case (u.p.p. art. 7; KPA with the rozporządzenie Rady
//! Ministrów z 8.01.2002, § 8).
//!
//! Nothing here acts on its own at filing. Filed online, the form refuses a petition
//! without its petitioner's name, address, a group's representative or an addressee
//! (the addressee only because the form needs it to route the case; by law its lack is
//! completed on a call, art. 7 ust. 2)
//! (`forms/petycja.yaml`, a 422 naming the field), so such a petition never reaches the
//! office and the one filing it can fix it at once. What is registered otherwise (on paper,
//! from e-mail) is read by a clerk: whether a signature names someone or an envelope gives
//! an address is their judgment, and leaving a petition without consideration is a letter
//! signed by them. So the case shows the clerk the rule that applies (leave it without
//! consideration at once, art. 7 ust. 1, or call for completion within 14 days by the 30th
//! day after filing, art. 7 ust. 2), and `decide` with `left_unconsidered` holds to it: at
//! once only for the gaps of art. 7 ust. 1, otherwise only after the call's term passed.

use serde_json::Value;
use time::Date;

use crate::domain::clock::pl_date;
use crate::domain::petition::{self, Gap};
use crate::domain::procedure::Procedure;

/// Why a case may be left without consideration without a call: the ground's code and
/// the gaps as the letter names them; `None` when it may not.
pub fn ground_without_call(
    procedure: Procedure,
    data: &Value,
) -> Option<(&'static str, Vec<String>)> {
    match procedure {
        Procedure::Petition => {
            let fatal: Vec<String> = petition::gaps(data, true)
                .iter()
                .filter(|g| g.fatal())
                .map(Gap::pl)
                .collect();
            (!fatal.is_empty()).then_some(("upp_art_7_1", fatal))
        }
        Procedure::ComplaintOrMotion => petition::complaint_is_anonymous(data).then(|| {
            (
                "kpa_rozp_8",
                vec!["brak imienia i nazwiska albo adresu wnoszącego (§ 8 ust. 1 rozporządzenia Rady Ministrów z 8 stycznia 2002 r.)".to_owned()],
            )
        }),
        _ => None,
    }
}

/// The refusal of leaving it without consideration with no call made, in Polish.
pub fn needs_call(procedure: Procedure, data: &Value, started_on: Date) -> Option<String> {
    match procedure {
        Procedure::Petition => {
            let other: Vec<String> = petition::gaps(data, true).iter().map(Gap::pl).collect();
            let last = procedure.last_day_to_call(started_on).unwrap_or(started_on);
            Some(format!(
                "petycja wskazuje wnoszącego i jego adres, więc nie pozostawia się jej bez rozpatrzenia od razu (art. 7 ust. 1 ustawy o petycjach); jej braki{} usuwa się na wezwanie do uzupełnienia w 14 dni, wysłane najpóźniej {} (art. 7 ust. 2)",
                if other.is_empty() { String::new() } else { format!(" ({})", other.join("; ")) },
                pl_date(last)
            ))
        }
        Procedure::ComplaintOrMotion => Some(
            "skarga lub wniosek podaje imię i nazwisko oraz adres wnoszącego: nie jest anonimowa (§ 8 ust. 1 rozporządzenia Rady Ministrów z 8 stycznia 2002 r.), trzeba ją rozpatrzyć".to_owned(),
        ),
        _ => None,
    }
}

/// What the clerk's case shows about the gaps of a petition or complaint, with the rule.
pub fn suggestion(
    procedure: Procedure,
    data: &Value,
    started_on: Date,
    called: bool,
) -> Option<String> {
    if let Some((_, gaps)) = ground_without_call(procedure, data) {
        return Some(format!(
            "Do pozostawienia bez rozpatrzenia: {}. Zawiadom o tym wnoszącego, jeśli da się go ustalić.",
            gaps.join("; ")
        ));
    }
    if procedure != Procedure::Petition || called {
        return None;
    }
    let gaps: Vec<String> = petition::gaps(data, true).iter().map(Gap::pl).collect();
    if gaps.is_empty() {
        return None;
    }
    let last = procedure.last_day_to_call(started_on).unwrap_or(started_on);
    Some(format!(
        "Wezwij do uzupełnienia w terminie 14 dni (art. 7 ust. 2 ustawy o petycjach), najpóźniej {}: {}.",
        pl_date(last),
        gaps.join("; ")
    ))
}
