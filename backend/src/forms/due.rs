//! When a new case is due: the case's term from the filing date (KPA art. 57,
//! `domain::term`), capped by the service's `due_cap` where the applicant gave that date.
//! The term is the validation's (`Outcome::term`): the service's processing term, or the one
//! the first of its `terms` whose `when` holds gives the data.

use serde_json::{Map, Value};
use time::{Date, Duration};

use super::catalogue::Service;
use super::definition::DueCap;
use super::expr::parse_date;
use crate::domain::holidays::previous_working_day;
use crate::domain::term::{Term, due_date};

/// The due date of a case filed on `filed_on` with the validated `data` and its `term`
/// (`Outcome::term`); `None` only past the calendar's end. A cap that has already passed
/// makes the case due at once.
pub fn due_on(
    svc: &Service,
    term: Term,
    data: &Map<String, Value>,
    filed_on: Date,
    saturday_counts: bool,
) -> Option<Date> {
    let due = due_date(term, filed_on, &[], saturday_counts)?;
    let capped = svc
        .def
        .due_cap
        .as_ref()
        .and_then(|c| cap(c, data, saturday_counts));
    Some(capped.map_or(due, |c| due.min(c).max(filed_on)))
}

/// The last day a case of `svc` filed with `data` may be due, where the service caps it (a
/// mass event: 7 days before the event, art. 29): pauses and extensions stop there too.
pub fn cap_of(svc: &Service, data: &Map<String, Value>, saturday_counts: bool) -> Option<Date> {
    cap(svc.def.due_cap.as_ref()?, data, saturday_counts)
}

/// `term` before the date in `cap.before`, moved back off days off so the margin the law
/// asks for ("at least 7 days before") is never shortened.
fn cap(cap: &DueCap, data: &Map<String, Value>, saturday_counts: bool) -> Option<Date> {
    let date = data.get(&cap.before)?.as_str().and_then(parse_date)?;
    let days = cap_days(&cap.term)?;
    let raw = date.checked_sub(Duration::days(days))?;
    Some(previous_working_day(raw, saturday_counts))
}

/// The length of a cap's term in days: `P{n}D` or `P{n}W` (months have no fixed length
/// counted backwards); `None` for anything else, which `forms check` refuses.
pub fn cap_days(term: &str) -> Option<i64> {
    match Term::parse(term).ok()? {
        Term::Days(n) => Some(i64::from(n)),
        Term::Weeks(n) => Some(7 * i64::from(n)),
        Term::Immediately | Term::Months(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;
    use time::macros::date;

    use super::*;
    use crate::forms::Catalogue;

    fn mass_event() -> std::sync::Arc<Service> {
        let c = Catalogue::shipped().unwrap();
        c.get("impreza-masowa").unwrap().clone()
    }

    fn due(event: &str, filed: Date) -> Date {
        let data = json!({ "event_date": event });
        let svc = mass_event();
        due_on(&svc, svc.term(None), data.as_object().unwrap(), filed, true).unwrap()
    }

    /// Ustawa o bezpieczeństwie imprez masowych art. 29 ust. 1: the permit is issued at
    /// least 7 days before the event, so the case is due by the earlier of the KPA term
    /// (P30D) and the event date − 7 days, moved back to a working day.
    #[test]
    fn art_29_mass_event_due_at_least_7_days_before_the_event() {
        // filed Mon 1.06.2027 in an exceptional case (art. 25 ust. 1a) for Sat 19.06.2027:
        // KPA would give Thu 1.07, after the event; 19.06 − 7 = Sat 12.06 → Fri 11.06
        assert_eq!(
            due("2027-06-19", date!(2027 - 06 - 01)),
            date!(2027 - 06 - 11)
        );
        // filed Mon 10.05.2027 for Sat 12.06.2027: KPA Wed 9.06; 12.06 − 7 = Sat 5.06 →
        // Fri 4.06, the earlier
        assert_eq!(
            due("2027-06-12", date!(2027 - 05 - 10)),
            date!(2027 - 06 - 04)
        );
        // filed Sat 21.11.2026 for 20.06.2027: the KPA term (Mon 21.12.2026) is earlier
        assert_eq!(
            due("2027-06-20", date!(2026 - 11 - 21)),
            date!(2026 - 12 - 21)
        );
        // an event 5 days away: the cap has passed, the case is due the day it is filed
        assert_eq!(
            due("2027-06-15", date!(2027 - 06 - 10)),
            date!(2027 - 06 - 10)
        );
    }

    #[test]
    fn without_the_date_the_processing_term_stands() {
        let svc = mass_event();
        let filed = date!(2027 - 05 - 10);
        assert_eq!(
            due_on(&svc, svc.term(None), &Map::new(), filed, true),
            Some(date!(2027 - 06 - 09))
        );
    }

    /// `forms check` refuses a cap counted in months or from a field that is not a date,
    /// at the line and column of the mistake.
    #[test]
    fn forms_check_refuses_a_bad_due_cap() {
        let shipped = include_str!("../../../forms/impreza-masowa.yaml");
        let good = "due_cap: { before: event_date, term: P7D }";
        assert!(shipped.contains(good));
        let load = |cap: &str| {
            let text = shipped.replace(good, cap);
            Catalogue::from_sources(vec![("impreza-masowa.yaml".into(), text)]).unwrap_err()
        };
        let problems = load("due_cap: { before: event_name, term: P1M }");
        let text: Vec<String> = problems.iter().map(ToString::to_string).collect();
        assert_eq!(problems.len(), 2, "{text:?}");
        assert!(text[0].contains("due_cap term `P1M` is not a number of days or weeks"));
        assert!(text[1].contains("`event_name`, which is not a date field"));
        let line = shipped
            .lines()
            .position(|l| l.starts_with("due_cap"))
            .unwrap()
            + 1;
        assert_eq!((problems[0].line, problems[0].column), (line, 1));
        assert_eq!((problems[1].line, problems[1].column), (line, 12));
    }

    /// A service with two rules that both hold for a small size and a default term.
    const RULES: &str = r#"
id: terms-test
version: 1
title: { pl: Test }
description: { pl: Test }
category: test
legal_basis: { pl: Test }
identity_level: none
applicant: person
routing: { unit: OR, jrwa: "0000" }
processing_term: P30D
terms:
  - { when: "size <= 70", term: P21D, legal_basis: { pl: pierwsza } }
  - { when: "size <= 100", term: P2M, legal_basis: { pl: druga } }
steps:
  - id: s
    title: { pl: Krok }
    fields:
      - { id: size, type: integer, label: { pl: Wielkość } }
"#;

    /// The term `validate` chooses for `data` and the due date of a case filed on Monday
    /// 7.12.2026 with it.
    fn chosen(svc: &Service, data: serde_json::Value) -> (Term, Date) {
        let input = crate::forms::Input {
            lang: crate::domain::lang::Lang::Pl,
            today: date!(2026 - 12 - 07),
            identity: None,
        };
        let out = crate::forms::validate(svc, &data, &input);
        assert!(out.valid, "{:?}", out.errors);
        let due = due_on(svc, out.term, &out.data, input.today, true).unwrap();
        (out.term, due)
    }

    /// The first rule whose `when` holds gives the case its term; where none holds (or the
    /// field it reads is empty) the processing term stands.
    #[test]
    fn the_first_term_rule_that_holds_wins_and_the_processing_term_is_the_default() {
        let c = Catalogue::from_sources(vec![("t.yaml".into(), RULES.into())]).unwrap();
        let svc = c.get("terms-test").unwrap();
        // both rules hold: the first, 21 days: 7.12 + 21 = Mon 28.12.2026
        assert_eq!(
            chosen(svc, json!({ "size": 50 })),
            (Term::Days(21), date!(2026 - 12 - 28))
        );
        // only the second: 2 months, 7.02.2027 is a Sunday → Mon 8.02
        assert_eq!(
            chosen(svc, json!({ "size": 90 })),
            (Term::Months(2), date!(2027 - 02 - 08))
        );
        // none: 30 days, 6.01.2027 is Epiphany → Thu 7.01
        for data in [json!({ "size": 200 }), json!({})] {
            assert_eq!(chosen(svc, data), (Term::Days(30), date!(2027 - 01 - 07)));
        }
    }

    /// The shipped form's valid example `name` of service `id`: its term and due date.
    fn example(id: &str, name: &str) -> (Term, Date) {
        let c = Catalogue::shipped().unwrap();
        let svc = c.get(id).unwrap();
        let ex = svc.def.examples.valid.iter().find(|e| e.name == name);
        let ex = ex.unwrap_or_else(|| panic!("{id} has no example {name}"));
        let today = ex.today.as_deref().and_then(parse_date).unwrap();
        let input = crate::forms::Input {
            lang: crate::domain::lang::Lang::Pl,
            today,
            identity: Some(&crate::forms::check::example_identity()),
        };
        let out = crate::forms::validate(svc, &ex.data, &input);
        assert!(out.valid, "{:?}", out.errors);
        (
            out.term,
            due_on(svc, out.term, &out.data, today, true).unwrap(),
        )
    }

    /// Ustawa o planowaniu i zagospodarowaniu przestrzennym art. 64 ust. 1 with art. 51
    /// ust. 2 (from 3.01.2022): a zoning decision within 90 days, 21 days for a single-family
    /// house of up to 70 m² (art. 29 ust. 1 pkt 1a Prawa budowlanego).
    #[test]
    fn upzp_art_64_a_small_house_is_due_in_21_days() {
        // filed Wed 16.12.2026: + 21 days = Wed 6.01.2027, Epiphany → Thu 7.01
        assert_eq!(
            example("warunki-zabudowy", "small-house-due-in-21-days"),
            (Term::Days(21), date!(2027 - 01 - 07))
        );
        // a larger house: filed Mon 7.12.2026 + 90 days = Sun 7.03.2027 → Mon 8.03
        assert_eq!(
            example("warunki-zabudowy", "house-pays-no-stamp-duty"),
            (Term::Days(90), date!(2027 - 03 - 08))
        );
    }

    /// Ordynacja podatkowa art. 77 § 1: 30 days (pkt 2), but 2 months from a request filed
    /// with a corrected declaration (pkt 6 lit. a, art. 75 § 3).
    #[test]
    fn op_art_77_a_refund_with_a_correction_is_due_in_2_months() {
        // filed Mon 7.12.2026 + 2 months = Sun 7.02.2027 → Mon 8.02
        assert_eq!(
            example(
                "nadplata-zwrot",
                "company-correction-through-a-proxy-due-in-2-months"
            ),
            (Term::Months(2), date!(2027 - 02 - 08))
        );
        // without a correction: + 30 days = Wed 6.01.2027, Epiphany → Thu 7.01
        assert_eq!(
            example("nadplata-zwrot", "person-paid-twice-to-an-account"),
            (Term::Days(30), date!(2027 - 01 - 07))
        );
    }

    #[test]
    fn cap_terms_are_days_or_weeks() {
        assert_eq!(cap_days("P7D"), Some(7));
        assert_eq!(cap_days("P2W"), Some(14));
        assert_eq!(cap_days("P1M"), None);
        assert_eq!(cap_days(""), None);
        assert_eq!(cap_days("7 days"), None);
    }
}
