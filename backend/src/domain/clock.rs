//! Legal time in Poland: CET (UTC+1) in winter, CEST (UTC+2) from the last Sunday of March
//! 01:00 UTC to the last Sunday of October 01:00 UTC (EU rule, directive 2000/84/EC).

use time::{Date, Month, OffsetDateTime, PrimitiveDateTime, Time, UtcOffset, Weekday};

fn last_sunday(year: i32, month: Month) -> Date {
    let mut d = Date::from_calendar_date(year, month, month.length(year)).unwrap_or(Date::MIN);
    while d.weekday() != Weekday::Sunday {
        d = d.previous_day().unwrap_or(d);
    }
    d
}

/// The Polish offset in force at `at`.
pub fn poland_offset(at: OffsetDateTime) -> UtcOffset {
    // a moment at the edge of the calendar (year ±9999) may have no form in another offset:
    // it keeps its own (an evidence's `eventDate` of 9999-12-31T23:30Z panicked here)
    let utc = at.checked_to_offset(UtcOffset::UTC).unwrap_or(at);
    let one = Time::from_hms(1, 0, 0).unwrap_or(Time::MIDNIGHT);
    let start = PrimitiveDateTime::new(last_sunday(utc.year(), Month::March), one).assume_utc();
    let end = PrimitiveDateTime::new(last_sunday(utc.year(), Month::October), one).assume_utc();
    let hours = if utc >= start && utc < end { 2 } else { 1 };
    UtcOffset::from_hms(hours, 0, 0).unwrap_or(UtcOffset::UTC)
}

/// `at` in Polish legal time.
pub fn in_poland(at: OffsetDateTime) -> OffsetDateTime {
    at.checked_to_offset(poland_offset(at)).unwrap_or(at)
}

/// `day` as Polish letters and refusals write it: `02.03.2026`.
pub fn pl_date(day: Date) -> String {
    format!("{:02}.{:02}.{}", day.day(), day.month() as u8, day.year())
}

/// The first moment of `day` in Polish legal time (midnight never falls in a change of
/// offset: the clocks move at 01:00 UTC).
pub fn start_of_day_in_poland(day: Date) -> OffsetDateTime {
    let naive = PrimitiveDateTime::new(day, Time::MIDNIGHT);
    // the offset in force a little before local midnight is the one at local midnight
    let before = naive.assume_utc();
    let offset = poland_offset(
        before
            .checked_sub(time::Duration::hours(3))
            .unwrap_or(before),
    );
    naive.assume_offset(offset)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn summer_and_winter_time() {
        assert_eq!(
            in_poland(datetime!(2026-01-31 23:30 UTC)).date(),
            time::macros::date!(2026 - 02 - 01)
        );
        assert_eq!(
            poland_offset(datetime!(2026-03-29 00:59 UTC)).whole_hours(),
            1
        );
        assert_eq!(
            poland_offset(datetime!(2026-03-29 01:00 UTC)).whole_hours(),
            2
        );
        assert_eq!(
            poland_offset(datetime!(2026-10-25 00:59 UTC)).whole_hours(),
            2
        );
        assert_eq!(
            poland_offset(datetime!(2026-10-25 01:00 UTC)).whole_hours(),
            1
        );
    }

    #[test]
    fn midnight_in_poland_in_winter_and_summer() {
        use time::macros::date;
        assert_eq!(
            start_of_day_in_poland(date!(2026 - 03 - 16)),
            datetime!(2026-03-15 23:00 UTC)
        );
        assert_eq!(
            start_of_day_in_poland(date!(2026 - 07 - 01)),
            datetime!(2026-06-30 22:00 UTC)
        );
        // the day the clocks go forward still starts at CET midnight
        assert_eq!(
            start_of_day_in_poland(date!(2026 - 03 - 29)),
            datetime!(2026-03-28 23:00 UTC)
        );
    }

    /// The e-Doręczenia API names moments up to 9999-12-31 in any offset; converting one past
    /// the calendar's end (year 10000 in Polish time, or in UTC) panicked in the evidence
    /// poller. Such a moment keeps its own offset; the first day keeps its start.
    #[test]
    fn moments_at_the_edges_of_the_calendar_do_not_panic() {
        let last = datetime!(9999-12-31 23:30 UTC);
        assert_eq!(in_poland(last), last);
        let west = OffsetDateTime::parse(
            "9999-12-31T23:59:00-23:59",
            &time::format_description::well_known::Rfc3339,
        )
        .unwrap();
        assert_eq!(in_poland(west), west);
        assert_eq!(poland_offset(west), UtcOffset::from_hms(1, 0, 0).unwrap());
        let first = start_of_day_in_poland(Date::MIN);
        assert_eq!(first.date(), Date::MIN);
        assert_eq!(
            in_poland(datetime!(2026-07-01 12:00 UTC))
                .offset()
                .whole_hours(),
            2
        );
    }
}
