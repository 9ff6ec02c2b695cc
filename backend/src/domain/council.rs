//! The council's rules, pure: the quorum (u.s.g. art. 14), the majority an agenda item
//! needs, the result of a vote, and the choices a councillor has. No I/O.
//!
//! u.s.g. art. 14: unless a statute says otherwise, the council's resolutions are adopted
//! by a simple majority of votes in the presence of at least half of its statutory number
//! of members, in an open vote; open votes are taken with devices that record each
//! councillor's vote, and the named lists are made public. Some matters need more: an
//! absolute majority of the statutory number (e.g. the absolutorium, art. 28a ust. 2) or a
//! qualified one (3/5 of the statutory number for a referendum to recall the wójt for
//! another reason, art. 28b ust. 3). Which rule an item needs is the office's to set; the
//! statute of the gmina names it.

use serde::{Deserialize, Serialize};

/// The majority an agenda item needs to be adopted, set per item by the council office.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Majority {
    /// More votes for than against; abstentions count for neither (u.s.g. art. 14).
    Simple,
    /// More votes for than half of the statutory number of councillors.
    Absolute,
    /// At least `num`/`den` of the statutory number of councillors voting for.
    Qualified { num: u32, den: u32 },
}

impl Majority {
    /// `simple`, `absolute` or `qualified:N/D` (0 < N/D ≤ 1, D ≤ 10).
    pub fn parse(s: &str) -> Result<Self, String> {
        match s.trim() {
            "simple" => Ok(Self::Simple),
            "absolute" => Ok(Self::Absolute),
            other => {
                let bad = || {
                    format!(
                        "`{other}` nie jest regułą większości; użyj simple, absolute albo qualified:N/D (np. qualified:3/5)"
                    )
                };
                let (n, d) = other
                    .strip_prefix("qualified:")
                    .and_then(|f| f.split_once('/'))
                    .ok_or_else(bad)?;
                let num: u32 = n.trim().parse().map_err(|_| bad())?;
                let den: u32 = d.trim().parse().map_err(|_| bad())?;
                if num == 0 || den == 0 || num > den || den > 10 {
                    return Err(format!(
                        "większość kwalifikowana to ułamek ustawowego składu rady większy od 0 i nie większy niż 1, z mianownikiem najwyżej 10, a nie {num}/{den}"
                    ));
                }
                Ok(Self::Qualified { num, den })
            }
        }
    }

    pub fn as_string(self) -> String {
        match self {
            Self::Simple => "simple".into(),
            Self::Absolute => "absolute".into(),
            Self::Qualified { num, den } => format!("qualified:{num}/{den}"),
        }
    }

    /// How the rule reads on the agenda and the screen.
    pub fn label_pl(self) -> String {
        match self {
            Self::Simple => "zwykła większość głosów".into(),
            Self::Absolute => "bezwzględna większość ustawowego składu rady".into(),
            Self::Qualified { num, den } => {
                format!("większość kwalifikowana {num}/{den} ustawowego składu rady")
            }
        }
    }

    /// The votes for that adopt an item under this rule, where the rule fixes a number
    /// (`None` for a simple majority, which depends on the votes against).
    pub fn votes_needed(self, statutory: u32) -> Option<u32> {
        match self {
            Self::Simple => None,
            Self::Absolute => Some(statutory / 2 + 1),
            // the smallest whole number of votes that is at least num/den of statutory
            Self::Qualified { num, den } => Some((statutory * num).div_ceil(den)),
        }
    }
}

/// The quorum: at least half of the statutory number of councillors present (u.s.g.
/// art. 14): 8 of 15, 11 of 21, 12 of 23.
pub fn quorum(statutory: u32) -> u32 {
    statutory.div_ceil(2)
}

pub fn has_quorum(present: u32, statutory: u32) -> bool {
    statutory > 0 && present >= quorum(statutory)
}

/// A councillor's vote.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Choice {
    For,
    Against,
    Abstain,
}

impl Choice {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "for" => Some(Self::For),
            "against" => Some(Self::Against),
            "abstain" => Some(Self::Abstain),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::For => "for",
            Self::Against => "against",
            Self::Abstain => "abstain",
        }
    }

    pub fn label_pl(self) -> &'static str {
        match self {
            Self::For => "za",
            Self::Against => "przeciw",
            Self::Abstain => "wstrzymał(a) się",
        }
    }
}

/// The votes cast.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Tally {
    pub for_: u32,
    pub against: u32,
    pub abstain: u32,
}

impl Tally {
    pub fn add(&mut self, c: Choice) {
        match c {
            Choice::For => self.for_ += 1,
            Choice::Against => self.against += 1,
            Choice::Abstain => self.abstain += 1,
        }
    }
}

/// Whether an item is adopted by `tally` under `rule`, with the sentence the screen and
/// the named list print.
pub fn result(rule: Majority, statutory: u32, tally: Tally) -> (bool, String) {
    match rule.votes_needed(statutory) {
        None => {
            let adopted = tally.for_ > tally.against;
            (
                adopted,
                format!(
                    "{} głosów za, {} przeciw: zwykła większość (więcej głosów za niż przeciw) {} (art. 14 u.s.g.)",
                    tally.for_,
                    tally.against,
                    if adopted {
                        "osiągnięta"
                    } else {
                        "nieosiągnięta"
                    }
                ),
            )
        }
        Some(needed) => {
            let adopted = tally.for_ >= needed;
            (
                adopted,
                format!(
                    "{} głosów za przy wymaganych {needed} ({} przy ustawowym składzie {statutory}): {}",
                    tally.for_,
                    rule.label_pl(),
                    if adopted {
                        "większość osiągnięta"
                    } else {
                        "większość nieosiągnięta"
                    }
                ),
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(for_: u32, against: u32, abstain: u32) -> Tally {
        Tally {
            for_,
            against,
            abstain,
        }
    }

    /// u.s.g. art. 14: at least half of the statutory number present: 8 of 15, 11 of 21,
    /// 12 of 23; one fewer is no quorum.
    #[test]
    fn usg_art_14_quorum_is_half_the_statutory_number() {
        assert_eq!(quorum(15), 8);
        assert_eq!(quorum(21), 11);
        assert_eq!(quorum(23), 12);
        assert_eq!(quorum(14), 7);
        assert!(has_quorum(8, 15) && !has_quorum(7, 15));
        assert!(has_quorum(12, 23) && !has_quorum(11, 23));
        assert!(!has_quorum(0, 0));
    }

    /// u.s.g. art. 14: a simple majority is more for than against; abstentions count for
    /// neither side; a tie is not adopted.
    #[test]
    fn usg_art_14_simple_majority_at_its_boundary() {
        assert!(result(Majority::Simple, 15, t(5, 4, 6)).0);
        assert!(!result(Majority::Simple, 15, t(5, 5, 5)).0);
        assert!(!result(Majority::Simple, 15, t(0, 0, 8)).0);
        assert!(result(Majority::Simple, 15, t(1, 0, 7)).0);
    }

    /// An absolute majority of the statutory number: more than half of 15 is 8, of 23 is
    /// 12, of 14 is 8; one vote fewer is not adopted, whatever the votes against.
    #[test]
    fn absolute_majority_of_the_statutory_number_at_its_boundary() {
        assert_eq!(Majority::Absolute.votes_needed(15), Some(8));
        assert_eq!(Majority::Absolute.votes_needed(23), Some(12));
        assert_eq!(Majority::Absolute.votes_needed(14), Some(8));
        assert!(result(Majority::Absolute, 15, t(8, 0, 0)).0);
        assert!(!result(Majority::Absolute, 15, t(7, 0, 1)).0);
    }

    /// A qualified majority of 3/5 of 15 is 9 votes, of 23 is 14 (13.8 rounded up); 2/3
    /// of 21 is 14.
    #[test]
    fn qualified_majority_at_its_boundary() {
        let three_fifths = Majority::parse("qualified:3/5").unwrap();
        assert_eq!(three_fifths.votes_needed(15), Some(9));
        assert_eq!(three_fifths.votes_needed(23), Some(14));
        assert!(result(three_fifths, 15, t(9, 6, 0)).0);
        assert!(!result(three_fifths, 15, t(8, 0, 0)).0);
        let two_thirds = Majority::parse("qualified:2/3").unwrap();
        assert_eq!(two_thirds.votes_needed(21), Some(14));
        assert_eq!(two_thirds.as_string(), "qualified:2/3");
    }

    #[test]
    fn majority_rules_parse_or_say_why_not() {
        assert_eq!(Majority::parse("simple"), Ok(Majority::Simple));
        assert_eq!(Majority::parse("absolute"), Ok(Majority::Absolute));
        assert!(
            Majority::parse("qualified:4/3")
                .unwrap_err()
                .contains("4/3")
        );
        assert!(Majority::parse("qualified:0/3").is_err());
        assert!(Majority::parse("most").unwrap_err().contains("simple"));
        assert_eq!(Choice::parse("for"), Some(Choice::For));
        assert_eq!(Choice::parse("yes"), None);
    }
}
