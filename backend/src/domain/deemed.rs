//! The delivery fiction of e-Doręczenia (u.d.e. art. 42 ust. 2, DOMAIN.md §1): a letter from a
//! public entity to a non-public addressee that is not collected counts as delivered once
//! 14 days from its arrival in the addressee's mailbox have passed, that is on the 15th day
//! after the day of arrival. Arrived on 1 March → deemed delivered on 16 March. Every term
//! that runs from delivery (an appeal, a call to supplement) starts from that day.

use time::{Date, Duration, OffsetDateTime};

use super::clock;

/// Full days that must pass after the day of arrival (u.d.e. art. 42 ust. 2).
pub const FULL_DAYS: i64 = match super::deadlines::UDE_DEEMED_FULL_DAYS.term {
    super::term::Term::Days(n) => n as i64,
    _ => 14,
};

/// The day an uncollected letter that arrived on `arrived` is deemed delivered.
pub fn deemed_day(arrived: Date) -> Option<Date> {
    arrived.checked_add(Duration::days(FULL_DAYS + 1))
}

/// The moment of deemed delivery for a letter that arrived at `arrived_at`: the start of
/// its deemed day in Polish legal time (the dowód otrzymania carries that day).
pub fn deemed_at(arrived_at: OffsetDateTime) -> OffsetDateTime {
    let arrived = clock::in_poland(arrived_at).date();
    let day = deemed_day(arrived).unwrap_or(arrived);
    clock::start_of_day_in_poland(day)
}

#[cfg(test)]
mod tests {
    use time::macros::{date, datetime};

    use super::*;

    /// u.d.e. art. 42 ust. 2: arrival on 1 March 2026 → deemed delivered on 16 March 2026,
    /// not on 15 March (14 full days, 2–15 March, must pass first).
    #[test]
    fn ude_art_42_deemed_on_the_fifteenth_day_after_arrival() {
        assert_eq!(
            deemed_day(date!(2026 - 03 - 01)),
            Some(date!(2026 - 03 - 16))
        );
        // over a month end and a leap day: 20 February 2028 → 6 March 2028
        assert_eq!(
            deemed_day(date!(2028 - 02 - 20)),
            Some(date!(2028 - 03 - 06))
        );
        // arrival late in the evening counts by the Polish calendar day: 23:30 CET on
        // 1 March is 22:30 UTC on 1 March; delivery is deemed at 00:00 CET on 16 March
        assert_eq!(
            deemed_at(datetime!(2026-03-01 22:30 UTC)),
            datetime!(2026-03-15 23:00 UTC)
        );
        // 00:30 CET on 2 March (23:30 UTC on 1 March) arrived on 2 March → 17 March
        assert_eq!(
            deemed_at(datetime!(2026-03-01 23:30 UTC)),
            datetime!(2026-03-16 23:00 UTC)
        );
    }

    /// The fiction does not move off weekends or holidays (it is a delivery, not the end of
    /// a term): arrival on Friday 1 May 2026 → Saturday 16 May 2026.
    #[test]
    fn ude_art_42_deemed_day_may_be_a_saturday() {
        assert_eq!(
            deemed_day(date!(2026 - 05 - 01)),
            Some(date!(2026 - 05 - 16))
        );
    }
}
