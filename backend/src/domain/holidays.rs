//! Polish statutory days off (ustawa z 18.01.1951 o dniach wolnych od pracy, art. 1):
//! Sundays and the holidays below, Easter-dependent ones included; 24 December since 2025.

use time::{Date, Duration, Month, Weekday};

/// Easter Sunday in the Gregorian calendar (the anonymous Gregorian computus).
pub fn easter(year: i32) -> Option<Date> {
    let a = year % 19;
    let b = year / 100;
    let c = year % 100;
    let d = b / 4;
    let e = b % 4;
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15) % 30;
    let i = c / 4;
    let k = c % 4;
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    Date::from_calendar_date(year, Month::try_from(month as u8).ok()?, day as u8).ok()
}

/// The name of the statutory holiday on `date`, if it is one (Sundays are not named).
pub fn holiday(date: Date) -> Option<&'static str> {
    let (y, m, d) = (date.year(), date.month(), date.day());
    let fixed = match (m, d) {
        (Month::January, 1) => Some("Nowy Rok"),
        (Month::January, 6) => Some("Święto Trzech Króli"),
        (Month::May, 1) => Some("Święto Pracy"),
        (Month::May, 3) => Some("Święto Konstytucji 3 Maja"),
        (Month::August, 15) => Some("Wniebowzięcie Najświętszej Maryi Panny"),
        (Month::November, 1) => Some("Wszystkich Świętych"),
        (Month::November, 11) => Some("Narodowe Święto Niepodległości"),
        (Month::December, 24) if y >= 2025 => Some("Wigilia Bożego Narodzenia"),
        (Month::December, 25) => Some("Boże Narodzenie (pierwszy dzień)"),
        (Month::December, 26) => Some("Boże Narodzenie (drugi dzień)"),
        _ => None,
    };
    if fixed.is_some() {
        return fixed;
    }
    let e = easter(y)?;
    match (date - e).whole_days() {
        0 => Some("Wielkanoc"),
        1 => Some("Poniedziałek Wielkanocny"),
        49 => Some("Zielone Świątki"),
        60 => Some("Boże Ciało"),
        _ => None,
    }
}

/// Whether `date` is a statutory day off: a Sunday or a holiday.
pub fn is_day_off(date: Date) -> bool {
    date.weekday() == Weekday::Sunday || holiday(date).is_some()
}

/// The first day from `date` on that is neither a day off nor, with `saturday_counts`,
/// a Saturday (KPA art. 57 § 4).
pub fn next_working_day(mut date: Date, saturday_counts: bool) -> Date {
    while is_day_off(date) || (saturday_counts && date.weekday() == Weekday::Saturday) {
        date += Duration::days(1);
    }
    date
}

/// The last day up to `date` that is neither a day off nor, with `saturday_counts`, a
/// Saturday: for "at least n days before" limits, which must not move later.
pub fn previous_working_day(mut date: Date, saturday_counts: bool) -> Date {
    while is_day_off(date) || (saturday_counts && date.weekday() == Weekday::Saturday) {
        date -= Duration::days(1);
    }
    date
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;

    #[test]
    fn easter_matches_the_calendar() {
        for (y, e) in [
            (2024, date!(2024 - 03 - 31)),
            (2025, date!(2025 - 04 - 20)),
            (2026, date!(2026 - 04 - 05)),
            (2027, date!(2027 - 03 - 28)),
            (2038, date!(2038 - 04 - 25)),
        ] {
            assert_eq!(easter(y), Some(e), "{y}");
        }
    }

    #[test]
    fn the_holidays_of_2026() {
        for d in [
            date!(2026 - 01 - 01),
            date!(2026 - 01 - 06),
            date!(2026 - 04 - 05),
            date!(2026 - 04 - 06),
            date!(2026 - 05 - 01),
            date!(2026 - 05 - 03),
            date!(2026 - 05 - 24),
            date!(2026 - 06 - 04),
            date!(2026 - 08 - 15),
            date!(2026 - 11 - 01),
            date!(2026 - 11 - 11),
            date!(2026 - 12 - 24),
            date!(2026 - 12 - 25),
            date!(2026 - 12 - 26),
        ] {
            assert!(holiday(d).is_some(), "{d}");
        }
        assert!(
            holiday(date!(2024 - 12 - 24)).is_none(),
            "Wigilia is a day off from 2025"
        );
        assert!(holiday(date!(2026 - 06 - 05)).is_none());
        assert!(is_day_off(date!(2026 - 11 - 22)), "a Sunday");
        assert!(
            !is_day_off(date!(2026 - 11 - 21)),
            "a Saturday is not a statutory day off"
        );
        // Sunday 13 June 2027 → Friday 11 June (Saturday 12 too when Saturdays are off)
        assert_eq!(
            previous_working_day(date!(2027 - 06 - 13), true),
            date!(2027 - 06 - 11)
        );
        assert_eq!(
            previous_working_day(date!(2027 - 06 - 13), false),
            date!(2027 - 06 - 12)
        );
    }
}
