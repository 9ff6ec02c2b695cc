//! The checks of a service's `letters`: known kinds that its procedure allows, known
//! placeholders, and no decision where the law ends a case with a notification (u.p.p.
//! art. 13; KPA art. 238).

use super::Compiler;
use crate::forms::definition::{Definition, LETTER_PLACEHOLDERS, placeholders};

/// Words that make a letter a decision: its heading, or an instruction on appeal.
const DECISION_MARKS: [&str; 3] = ["DECYZJA", "odwołani", "odwołuj"];

impl Compiler<'_> {
    pub(super) fn check_letters(&mut self, def: &Definition) {
        let procedure = def.procedure;
        for (kind, letter) in &def.letters {
            if let Err(why) = procedure.allows_letter(kind) {
                self.report(
                    &format!("{kind}:"),
                    format!(
                        "`{kind}`: {why} (procedure `{}`)",
                        procedure.as_str()
                    ),
                    Some("use granted, refused, left_unconsidered, discontinued, call_to_supplement, delay_notice or, for public information, fee_notice"),
                );
            }
            if procedure.ends_without_decision()
                && let Some(mark) = DECISION_MARKS
                    .iter()
                    .find(|m| letter.title.contains(*m) || letter.body.contains(*m))
            {
                self.report(
                    mark,
                    format!(
                        "letter `{kind}` reads as a decision (`{mark}`), but a {} ends with a notification of how it was dealt with, without appeal (u.p.p. art. 13; KPA art. 238)",
                        procedure.as_str()
                    ),
                    Some("title it ZAWIADOMIENIE O SPOSOBIE ZAŁATWIENIA … and drop the appeal instruction"),
                );
            }
            for p in placeholders(&letter.body) {
                if p == "answer_by" {
                    self.report(
                        "{answer_by}",
                        format!("letter `{kind}` uses {{answer_by}}: the term of a call runs from its delivery (art. 64 § 2 KPA), so no date is known when it is sent"),
                        Some("write \"w terminie {term} od dnia doręczenia\""),
                    );
                } else if !LETTER_PLACEHOLDERS.contains(&p) {
                    self.report(
                        &format!("{{{p}}}"),
                        format!("letter `{kind}` uses {{{p}}}, which is not a placeholder"),
                        Some("use {sign}, {register_no}, {filed_on}, {date}, {applicant}, {service}, {authority}, {reason}, {items}, {term}, {new_due_on} or {fee}"),
                    );
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::forms::Catalogue;

    fn problems(file: &str, text: String) -> Vec<String> {
        Catalogue::from_sources(vec![(file.into(), text)])
            .err()
            .unwrap_or_default()
            .iter()
            .map(ToString::to_string)
            .collect()
    }

    /// u.p.p. art. 13, KPA art. 238: a complaint's letter titled DECYZJA, or one with an
    /// appeal instruction, fails `forms check` with its line.
    #[test]
    fn upp_art_13_a_decision_template_is_refused_for_a_complaint() {
        let shipped = include_str!("../../../../forms/skarga-wniosek.yaml");
        let letters = "letters:\n  granted:\n    title: DECYZJA\n    body: \"Skarga uwzględniona {filed_on}.\"\n  refused:\n    title: ZAWIADOMIENIE\n    body: \"Przysługuje odwołanie.\"\n";
        let found = problems("skarga-wniosek.yaml", format!("{shipped}\n{letters}"));
        assert_eq!(found.len(), 2, "{found:?}");
        assert!(
            found.iter().all(|p| p.contains("KPA art. 238")),
            "{found:?}"
        );
        assert!(found[0].contains("`DECYZJA`"), "{found:?}");
    }

    /// KPA art. 217 § 3: a certificate service with a term longer than 7 days fails.
    #[test]
    fn kpa_art_217_a_certificate_service_with_a_month_fails_forms_check() {
        let shipped = include_str!("../../../../forms/petycja.yaml");
        let text = shipped.replace("procedure: petition", "procedure: certificate");
        let found = problems("petycja.yaml", text);
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(
            found[0].contains("within P7D at most (KPA art. 217 § 3), not P3M"),
            "{found:?}"
        );
        let ok = shipped
            .replace("procedure: petition", "procedure: certificate")
            .replace("processing_term: P3M", "processing_term: P7D");
        assert!(problems("petycja.yaml", ok).is_empty());
    }
}
