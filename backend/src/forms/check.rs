//! `okienko forms check`: load every definition and table, then run every example.

use std::collections::BTreeSet;
use std::path::Path;

use serde_json::Value;

use super::catalogue::{Catalogue, Problem};
use super::engine::{Input, validate};
use super::expr::parse_date;
use crate::domain::identity::{Identity, Role};
use crate::domain::lang::Lang;
use crate::domain::level::IdentityLevel;

/// The identity examples are filed with, so prefilled fields have values.
pub fn example_identity() -> Identity {
    Identity {
        subject: "example".into(),
        provider: "example".into(),
        pesel: Some("44051401359".into()),
        given_name: Some("Jan".into()),
        family_name: Some("Kowalski".into()),
        birth_date: Some("1944-05-14".into()),
        email: Some("jan.kowalski@example.pl".into()),
        level: IdentityLevel::Substantial,
        roles: vec![Role::Resident],
        unit: None,
    }
}

/// The date an example is filed on: its `today`, or the real today without one.
pub fn example_today(today: Option<&str>) -> time::Date {
    today
        .and_then(parse_date)
        .unwrap_or_else(|| time::OffsetDateTime::now_utc().date())
}

/// Checks a forms directory; returns the catalogue and the number of examples run.
pub fn check_dir(dir: &Path) -> Result<(Catalogue, usize), Vec<Problem>> {
    let catalogue = Catalogue::load_dir(dir)?;
    let (runs, problems) = run_examples(&catalogue);
    if problems.is_empty() {
        Ok((catalogue, runs))
    } else {
        Err(problems)
    }
}

pub fn run_examples(catalogue: &Catalogue) -> (usize, Vec<Problem>) {
    let mut problems = Vec::new();
    let mut runs = 0;
    let identity = example_identity();
    let text_of = |file: &str| std::fs::read_to_string(file).unwrap_or_default();
    for svc in catalogue.services.values() {
        let text = text_of(&svc.file);
        let locate = |name: &str| super::catalogue::locate(&text, &format!("name: {name}"));
        let problem = |name: &str, message: String, hint: Option<String>| {
            let (line, column) = locate(name);
            Problem {
                file: svc.file.clone(),
                line,
                column,
                message,
                hint,
            }
        };
        if svc.def.examples.valid.is_empty() {
            problems.push(problem(
                "",
                format!("service `{}` has no valid examples", svc.id()),
                Some("add examples.valid with at least one complete submission".into()),
            ));
        }
        let today = |s: &Option<String>| example_today(s.as_deref());
        for ex in &svc.def.examples.valid {
            runs += 1;
            let out = validate(
                svc,
                &ex.data,
                &Input {
                    lang: Lang::En,
                    today: today(&ex.today),
                    identity: Some(&identity),
                },
            );
            if !out.valid {
                let list: Vec<String> = out
                    .errors
                    .iter()
                    .map(|e| format!("{} {} ({})", e.path, e.code, e.message))
                    .collect();
                problems.push(problem(
                    &ex.name,
                    format!("valid example `{}` fails: {}", ex.name, list.join("; ")),
                    None,
                ));
            }
            if let Some(want) = &ex.route {
                let got = format!("{}.{}", out.route.0, out.route.1);
                if &got != want {
                    problems.push(problem(
                        &ex.name,
                        format!(
                            "example `{}` is routed to {got}, the example expects {want}",
                            ex.name
                        ),
                        Some("check routing.rules: the first rule whose `when` holds wins".into()),
                    ));
                }
            }
            if let Some(want) = &ex.due_on {
                let got = super::due::due_on(svc, out.term, &out.data, today(&ex.today), true)
                    .map_or("nothing".into(), |d| d.to_string());
                if &got != want {
                    problems.push(problem(
                        &ex.name,
                        format!(
                            "example `{}` is due on {got}, the example expects {want}",
                            ex.name
                        ),
                        Some("check processing_term, terms and due_cap".into()),
                    ));
                }
            }
            if let Some(want) = &ex.warnings {
                let got = pairs(&out.warnings);
                let want = expected(want);
                if got != want {
                    problems.push(problem(
                        &ex.name,
                        format!(
                            "valid example `{}` expects warnings [{}] but gives [{}]",
                            ex.name,
                            listed(&want),
                            listed(&got)
                        ),
                        Some("list exactly the warnings the data must produce".into()),
                    ));
                }
            }
            if let Some(want) = &ex.fee_due {
                let got = out.fee.map_or("nothing".into(), |f| format!("{f:.2}"));
                if &got != want {
                    problems.push(problem(
                        &ex.name,
                        format!(
                            "example `{}` owes a fee of {got}, the example expects {want}",
                            ex.name
                        ),
                        Some("check fee.amount and fee.exempt_if".into()),
                    ));
                }
            }
            for (k, want) in &ex.computed {
                let got = out.computed.get(k).or_else(|| out.data.get(k));
                if got != Some(want) {
                    problems.push(problem(
                        &ex.name,
                        format!(
                            "example `{}`: computed `{k}` is {}, the example expects {want}",
                            ex.name,
                            got.map_or("nothing".into(), Value::to_string)
                        ),
                        None,
                    ));
                }
            }
        }
        for ex in &svc.def.examples.invalid {
            runs += 1;
            let out = validate(
                svc,
                &ex.data,
                &Input {
                    lang: Lang::En,
                    today: today(&ex.today),
                    identity: Some(&identity),
                },
            );
            let got = pairs(&out.errors);
            let want = expected(&ex.errors);
            if got != want {
                problems.push(problem(
                    &ex.name,
                    format!(
                        "invalid example `{}` expects [{}] but gives [{}]",
                        ex.name,
                        listed(&want),
                        listed(&got)
                    ),
                    Some("list exactly the errors the data must produce".into()),
                ));
            }
        }
    }
    (runs, problems)
}

type Pairs = BTreeSet<(String, String)>;

fn pairs(errors: &[super::FieldError]) -> Pairs {
    errors
        .iter()
        .map(|e| (e.path.clone(), e.code.clone()))
        .collect()
}

fn expected(errors: &[super::definition::ExpectedError]) -> Pairs {
    errors
        .iter()
        .map(|e| (e.path.clone(), e.code.clone()))
        .collect()
}

fn listed(s: &Pairs) -> String {
    s.iter()
        .map(|(p, c)| format!("{p}:{c}"))
        .collect::<Vec<_>>()
        .join(", ")
}
