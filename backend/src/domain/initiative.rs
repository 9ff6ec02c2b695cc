//! The citizens' legislative initiative (obywatelska inicjatywa uchwałodawcza, u.s.g. art.
//! 41a; PARTICIPATION.md §6): who may support a draft resolution, how many supports it
//! needs, and by when the council must take it up. Pure: no clock, no database.

use time::Date;

use super::pesel::Pesel;
use super::term::add_months;

/// The supports a draft needs, from the gmina's number of residents (u.s.g. art. 41a ust.
/// 3): 100 up to 5,000 residents, 200 up to 20,000, 300 above. There is no higher tier.
pub fn threshold(residents: u64) -> u32 {
    match residents {
        0..=5_000 => 100,
        5_001..=20_000 => 200,
        _ => 300,
    }
}

/// The day a person born on `birth` comes of age `years`: the same date that many years
/// later, or the month's last day where that date does not exist (29 February). Age is
/// reached at the start of that day (Kodeks cywilny art. 112, second sentence).
pub fn comes_of_age(birth: Date, years: u32) -> Option<Date> {
    add_months(birth, years * 12)
}

/// Why a person may not support an initiative: each says which rule refuses it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ineligible {
    /// Under 18 on the day of support: the right to vote for the council (Kodeks wyborczy
    /// art. 10 § 1 pkt 3) is what art. 41a ust. 2 asks of a supporter.
    Minor { adult_on: Date },
    /// Not living in the gmina permanently (Kodeks wyborczy art. 10 § 1 pkt 3 lit. a).
    NotResident,
    /// Neither a Polish citizen nor a citizen of another EU state (Kodeks wyborczy art. 10
    /// § 1 pkt 3).
    Citizenship,
}

impl Ineligible {
    pub fn code(&self) -> &'static str {
        match self {
            Self::Minor { .. } => "initiative.minor",
            Self::NotResident => "initiative.not_resident",
            Self::Citizenship => "initiative.citizenship",
        }
    }

    /// The refusal in Polish, as the supporter reads it.
    pub fn message(&self) -> String {
        match self {
            Self::Minor { adult_on } => format!(
                "Inicjatywę mogą poprzeć osoby mające czynne prawo wyborcze do rady gminy, czyli pełnoletnie (art. 41a ust. 2 u.s.g., art. 10 § 1 pkt 3 Kodeksu wyborczego). Osiemnaście lat skończysz {}; od tego dnia możesz ją poprzeć.",
                super::clock::pl_date(*adult_on)
            ),
            Self::NotResident => "Inicjatywę mogą poprzeć stali mieszkańcy gminy (art. 41a ust. 2 u.s.g., art. 10 § 1 pkt 3 lit. a Kodeksu wyborczego): potwierdź, że stale mieszkasz w gminie.".into(),
            Self::Citizenship => "Czynne prawo wyborcze do rady gminy mają obywatele polscy i obywatele Unii Europejskiej (art. 10 § 1 pkt 3 Kodeksu wyborczego): potwierdź obywatelstwo.".into(),
        }
    }
}

/// What a supporter declares beside the PESEL the national node gives.
#[derive(Debug, Clone, Copy)]
pub struct Declaration {
    pub permanent_resident: bool,
    pub eu_citizen: bool,
}

/// Whether the person with `pesel` may support an initiative on `day`.
pub fn eligible(pesel: &Pesel, declared: Declaration, day: Date) -> Result<(), Ineligible> {
    let adult_on = comes_of_age(pesel.birth_date(), 18).unwrap_or(Date::MAX);
    if day < adult_on {
        return Err(Ineligible::Minor { adult_on });
    }
    if !declared.permanent_resident {
        return Err(Ineligible::NotResident);
    }
    if !declared.eu_citizen {
        return Err(Ineligible::Citizenship);
    }
    Ok(())
}

/// The last day the council may take up a draft filed on `filed`: the next session, and
/// no later than 3 months after filing (u.s.g. art. 41a ust. 4; art. 41a ust. 5
/// leaves the rest to the council's resolution). Months end on the same-numbered day or
/// the month's last day.
pub fn session_due(filed: Date) -> Option<Date> {
    add_months(filed, 3)
}

/// The committee (komitet inicjatywy uchwałodawczej): at least the members the council's
/// resolution asks for ([U]: commonly 5), and at least one representative among them.
pub fn committee_problems(
    members: usize,
    representatives: usize,
    min_members: usize,
) -> Vec<String> {
    let mut out = Vec::new();
    if members < min_members {
        out.push(format!(
            "komitet inicjatywy uchwałodawczej tworzy co najmniej {min_members} osób (uchwała rady gminy wydana na podstawie art. 41a ust. 5 u.s.g.); podano {members}"
        ));
    }
    if representatives == 0 {
        out.push("wskaż co najmniej jednego pełnomocnika komitetu spośród jego członków".into());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn art_41a_threshold_at_each_population_boundary() {
        assert_eq!(threshold(0), 100);
        assert_eq!(threshold(5_000), 100);
        assert_eq!(threshold(5_001), 200);
        assert_eq!(threshold(20_000), 200);
        assert_eq!(threshold(20_001), 300);
        assert_eq!(threshold(1_800_000), 300);
    }

    #[test]
    fn art_41a_supporter_comes_of_age_at_the_start_of_the_18th_birthday() {
        // PESEL 08321512345 is not real; build one born 15.12.2008 with a valid check digit.
        let p = pesel_born("083215");
        assert_eq!(p.birth_date(), date!(2008 - 12 - 15));
        let on_birthday = date!(2026 - 12 - 15);
        let day_before = date!(2026 - 12 - 14);
        let yes = Declaration {
            permanent_resident: true,
            eu_citizen: true,
        };
        assert_eq!(
            eligible(&p, yes, day_before),
            Err(Ineligible::Minor {
                adult_on: on_birthday
            })
        );
        assert_eq!(eligible(&p, yes, on_birthday), Ok(()));
        let msg = Ineligible::Minor {
            adult_on: on_birthday,
        }
        .message();
        assert!(msg.contains("15.12.2026"), "{msg}");
    }

    #[test]
    fn kc_art_112_born_on_29_february_is_of_age_on_28_february() {
        let p = pesel_born("082229");
        assert_eq!(p.birth_date(), date!(2008 - 02 - 29));
        assert_eq!(
            comes_of_age(p.birth_date(), 18),
            Some(date!(2026 - 02 - 28))
        );
    }

    #[test]
    fn residence_and_citizenship_are_declared() {
        let p = pesel_born("800101");
        let day = date!(2026 - 12 - 03);
        let not_resident = Declaration {
            permanent_resident: false,
            eu_citizen: true,
        };
        assert_eq!(
            eligible(&p, not_resident, day),
            Err(Ineligible::NotResident)
        );
        let not_eu = Declaration {
            permanent_resident: true,
            eu_citizen: false,
        };
        assert_eq!(eligible(&p, not_eu, day), Err(Ineligible::Citizenship));
    }

    #[test]
    fn art_41a_session_within_3_months_of_filing() {
        assert_eq!(
            session_due(date!(2026 - 12 - 03)),
            Some(date!(2027 - 03 - 03))
        );
        // 30.11 + 3 months: February has no 30th, so its last day
        assert_eq!(
            session_due(date!(2026 - 11 - 30)),
            Some(date!(2027 - 02 - 28))
        );
    }

    #[test]
    fn committee_needs_its_members_and_a_representative() {
        assert!(committee_problems(5, 1, 5).is_empty());
        let p = committee_problems(3, 0, 5);
        assert_eq!(p.len(), 2);
        assert!(p[0].contains("co najmniej 5"));
    }

    /// A valid PESEL whose first six digits are `yymmdd` (month with the century offset).
    pub(crate) fn pesel_born(yymmdd: &str) -> Pesel {
        let body = format!("{yymmdd}0001");
        let w = [1, 3, 7, 9, 1, 3, 7, 9, 1, 3];
        let sum: u32 = body
            .chars()
            .zip(w)
            .map(|(c, w)| c.to_digit(10).unwrap() * w)
            .sum();
        Pesel::parse(&format!("{body}{}", (10 - sum % 10) % 10)).unwrap()
    }
}
