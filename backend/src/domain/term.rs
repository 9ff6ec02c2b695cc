//! Legal terms and their end dates (KPA art. 57): days exclude the starting day; weeks end
//! on the same weekday; months end on the same-numbered day or the month's last day; an end
//! on a day off (or a Saturday, a setting) moves to the next working day. Intervals the
//! law does not count (art. 35 § 5: the party's delays, suspension) push the end further.

use std::fmt;

use time::{Date, Duration, Month};

use super::holidays::next_working_day;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Term {
    /// "niezwłocznie": due the same day.
    Immediately,
    Days(u16),
    Weeks(u16),
    Months(u16),
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{0}` nie jest terminem; wpisz np. P14D, P2W, P1M albo immediately.")]
pub struct TermError(String);

impl Term {
    /// Parses ISO 8601 `P{n}D`, `P{n}W`, `P{n}M`, or `immediately` (also the empty string).
    pub fn parse(s: &str) -> Result<Self, TermError> {
        let bad = || TermError(s.to_owned());
        let t = s.trim();
        if t.is_empty() || t.eq_ignore_ascii_case("immediately") {
            return Ok(Self::Immediately);
        }
        let body = t.strip_prefix('P').ok_or_else(bad)?;
        let unit = body.chars().last().ok_or_else(bad)?;
        let n: u16 = body[..body.len() - unit.len_utf8()]
            .parse()
            .map_err(|_| bad())?;
        if n == 0 {
            return Err(bad());
        }
        match unit {
            'D' => Ok(Self::Days(n)),
            'W' => Ok(Self::Weeks(n)),
            'M' => Ok(Self::Months(n)),
            _ => Err(bad()),
        }
    }

    /// The last day of the term counted from the event on `start`, before moving off days
    /// off; `None` only past the calendar's end.
    pub fn raw_end(self, start: Date) -> Option<Date> {
        match self {
            Self::Immediately => Some(start),
            Self::Days(n) => start.checked_add(Duration::days(i64::from(n))),
            Self::Weeks(n) => start.checked_add(Duration::weeks(i64::from(n))),
            Self::Months(n) => add_months(start, u32::from(n)),
        }
    }

    /// Whether this term is at least `other` long for every start (for "at least 7 days").
    pub fn at_least(self, other: Term) -> bool {
        self.min_days() >= other.min_days()
    }

    fn min_days(self) -> u32 {
        match self {
            Self::Immediately => 0,
            Self::Days(n) => u32::from(n),
            Self::Weeks(n) => 7 * u32::from(n),
            // the shortest n months (February first)
            Self::Months(n) => 28 + (u32::from(n) - 1) * 30,
        }
    }
}

impl Term {
    /// The term in Polish after "w terminie": `7 dni`, `1 tygodnia`, `3 miesięcy`.
    pub fn pl(self) -> String {
        let (n, one, many) = match self {
            Self::Immediately => return "niezwłocznym".into(),
            Self::Days(n) => (n, "dnia", "dni"),
            Self::Weeks(n) => (n, "tygodnia", "tygodni"),
            Self::Months(n) => (n, "miesiąca", "miesięcy"),
        };
        format!("{n} {}", if n == 1 { one } else { many })
    }
}

impl fmt::Display for Term {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Immediately => write!(f, "immediately"),
            Self::Days(n) => write!(f, "P{n}D"),
            Self::Weeks(n) => write!(f, "P{n}W"),
            Self::Months(n) => write!(f, "P{n}M"),
        }
    }
}

/// The same-numbered day `n` months on, or that month's last day (art. 57 § 3).
pub fn add_months(d: Date, n: u32) -> Option<Date> {
    let months = i64::from(d.year()) * 12 + i64::from(d.month() as u8 - 1) + i64::from(n);
    let year = i32::try_from(months / 12).ok()?;
    let month = Month::try_from(u8::try_from(months % 12 + 1).ok()?).ok()?;
    let last = time::util::days_in_month(month, year);
    Date::from_calendar_date(year, month, d.day().min(last)).ok()
}

/// A stretch of days the term does not run (both ends included).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pause {
    pub from: Date,
    pub to: Date,
}

impl Pause {
    fn days(self) -> i64 {
        ((self.to - self.from).whole_days() + 1).max(0)
    }
}

/// The last day of a term started on `start` with the paused days added (art. 35 § 5 KPA
/// excludes them), before any move off a day off.
pub fn term_end(term: Term, start: Date, pauses: &[Pause]) -> Option<Date> {
    let paused: i64 = pauses.iter().map(|p| p.days()).sum();
    term.raw_end(start)?.checked_add(Duration::days(paused))
}

/// The term that ended on `term_end` pushed on by `days` more paused days (art. 35 § 5 KPA):
/// added to the term's own last day, never to a date already moved off a weekend.
pub fn extend_by_pause(term_end: Date, days: i64) -> Option<Date> {
    term_end.checked_add(Duration::days(days.max(0)))
}

/// The due date of a term whose last day is `term_end`: moved once, at the end, to the next
/// working day (art. 57 § 4 KPA; Saturdays too when `saturday_counts`, the default reading).
pub fn due_on(term_end: Date, saturday_counts: bool) -> Date {
    next_working_day(term_end, saturday_counts)
}

/// The day a term started on `start` ends: paused days added, then moved to the next
/// working day once.
pub fn due_date(term: Term, start: Date, pauses: &[Pause], saturday_counts: bool) -> Option<Date> {
    Some(due_on(term_end(term, start, pauses)?, saturday_counts))
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;

    fn due(term: &str, start: Date) -> Date {
        due_date(Term::parse(term).unwrap(), start, &[], true).unwrap()
    }

    /// Real calendar cases 2025–2027, each checked against a wall calendar.
    #[test]
    fn terms_against_the_calendar() {
        let cases = [
            // days exclude the starting day: Mon 3.11.2025 + 7 = Mon 10.11.2025
            ("P7D", date!(2025 - 11 - 03), date!(2025 - 11 - 10)),
            // ends on Tue 11.11.2025 (Independence Day) → Wed 12.11
            ("P7D", date!(2025 - 11 - 04), date!(2025 - 11 - 12)),
            // ends Sat 15.11.2025 → Mon 17.11
            ("P7D", date!(2025 - 11 - 08), date!(2025 - 11 - 17)),
            // ends Wed 24.12.2025 (Wigilia, a day off from 2025) → 25, 26 holidays,
            // 27 Saturday, 28 Sunday → Mon 29.12
            ("P14D", date!(2025 - 12 - 10), date!(2025 - 12 - 29)),
            // month: 31.01.2026 + 1M = 28.02.2026 (Saturday) → Mon 2.03
            ("P1M", date!(2026 - 01 - 31), date!(2026 - 03 - 02)),
            // month in a leap year: 31.01.2028 not asked; 30.01.2026 + 1M = 28.02 → 2.03
            ("P1M", date!(2026 - 01 - 30), date!(2026 - 03 - 02)),
            // Easter Monday 6.04.2026: 23.03 + 14D = 6.04 → Tue 7.04
            ("P14D", date!(2026 - 03 - 23), date!(2026 - 04 - 07)),
            // Corpus Christi Thu 4.06.2026: 21.05 + 14D = 4.06 → Fri 5.06
            ("P14D", date!(2026 - 05 - 21), date!(2026 - 06 - 05)),
            // Pentecost is a Sunday anyway: 10.05.2026 + 14D = Sun 24.05 → Mon 25.05
            ("P14D", date!(2026 - 05 - 10), date!(2026 - 05 - 25)),
            // 1 and 3 May 2026 (Fri, Sun), 2 May Saturday: 1.04 + 1M = 1.05 → Mon 4.05
            ("P1M", date!(2026 - 04 - 01), date!(2026 - 05 - 04)),
            // two months over a year end: 31.12.2026 + 2M = 28.02.2027 (Sunday) → Mon 1.03
            ("P2M", date!(2026 - 12 - 31), date!(2027 - 03 - 01)),
            // three months (petitions): 15.01.2027 + 3M = Thu 15.04.2027
            ("P3M", date!(2027 - 01 - 15), date!(2027 - 04 - 15)),
            // Easter Monday 29.03.2027: 15.03 + 14D = 29.03 → Tue 30.03
            ("P14D", date!(2027 - 03 - 15), date!(2027 - 03 - 30)),
            // weeks end on the same weekday: Wed 6.01.2027 is Epiphany → Thu 7.01
            ("P2W", date!(2026 - 12 - 23), date!(2027 - 01 - 07)),
            // "immediately" on a working day is that day
            ("immediately", date!(2027 - 06 - 01), date!(2027 - 06 - 01)),
        ];
        for (term, start, want) in cases {
            assert_eq!(due(term, start), want, "{term} from {start}");
        }
    }

    #[test]
    fn saturday_rule_is_a_setting_and_pauses_push_the_end() {
        let t = Term::Days(7);
        // ends Sat 15.11.2025: with the rule off, Saturday stands
        assert_eq!(
            due_date(t, date!(2025 - 11 - 08), &[], false),
            Some(date!(2025 - 11 - 15))
        );
        // a 7-day call to supplement (3–9 March 2026, both included) pauses a 1-month term:
        // 2.02 + 1M = 2.03, + 7 days = 9.03 (Monday)
        let pause = Pause {
            from: date!(2026 - 03 - 03),
            to: date!(2026 - 03 - 09),
        };
        assert_eq!(
            due_date(Term::Months(1), date!(2026 - 02 - 02), &[pause], true),
            Some(date!(2026 - 03 - 09))
        );
    }

    /// KPA art. 35 § 5 then art. 57 § 4: a one-month term from 31.01.2026 ends on Saturday
    /// 28.02.2026 and is due Monday 2.03. Three days waiting for the party push the term's
    /// own end to Tuesday 3.03, a working day: due 3.03, not 2.03 + 3 = Thursday 5.03.
    #[test]
    fn kpa_art_35_5_pauses_are_added_before_the_art_57_4_move() {
        let end = term_end(Term::Months(1), date!(2026 - 01 - 31), &[]).unwrap();
        assert_eq!(end, date!(2026 - 02 - 28));
        assert_eq!(due_on(end, true), date!(2026 - 03 - 02));
        let resumed = extend_by_pause(end, 3).unwrap();
        assert_eq!(due_on(resumed, true), date!(2026 - 03 - 03));
        let pause = Pause {
            from: date!(2026 - 02 - 10),
            to: date!(2026 - 02 - 12),
        };
        assert_eq!(
            due_date(Term::Months(1), date!(2026 - 01 - 31), &[pause], true),
            Some(date!(2026 - 03 - 03))
        );
        // a pause that lands the end on a Sunday moves once: 14D from Mon 2.11.2026 ends
        // Mon 16.11; 6 paused days → Sun 22.11 → Mon 23.11
        let end = term_end(Term::Days(14), date!(2026 - 11 - 02), &[]).unwrap();
        assert_eq!(
            due_on(extend_by_pause(end, 6).unwrap(), true),
            date!(2026 - 11 - 23)
        );
    }

    #[test]
    fn terms_parse_and_compare() {
        assert_eq!(Term::parse("P14D"), Ok(Term::Days(14)));
        assert_eq!(Term::parse("P1M"), Ok(Term::Months(1)));
        assert_eq!(Term::parse(""), Ok(Term::Immediately));
        for bad in ["14D", "P0D", "P1Y", "Pxd", "P1Ż", "P"] {
            assert!(Term::parse(bad).is_err(), "{bad}");
        }
        assert!(Term::Days(7).at_least(Term::Days(7)));
        assert!(!Term::Days(6).at_least(Term::Days(7)));
        assert!(Term::Months(1).at_least(Term::Days(14)));
        assert_eq!(Term::Months(3).to_string(), "P3M");
        assert_eq!(Term::Days(7).pl(), "7 dni");
        assert_eq!(Term::Months(1).pl(), "1 miesiąca");
        assert_eq!(Term::Months(3).pl(), "3 miesięcy");
    }
}
