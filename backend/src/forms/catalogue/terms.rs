//! The checks of a service's `terms`, the terms the law sets for some data instead of
//! `processing_term`: each is a term, no longer than its procedure allows. Their `when`
//! predicates compile with the others (`Compiler::compile`).

use super::{Compiler, Problem, locate};
use crate::domain::term::Term;
use crate::forms::definition::{Definition, TermRule};

impl Compiler<'_> {
    pub(super) fn check_terms(&mut self, def: &Definition) {
        for rule in &def.terms {
            let term = match Term::parse(&rule.term) {
                Ok(t) => t,
                Err(_) => {
                    self.report_term(
                        rule,
                        format!(
                            "the term `{}` when `{}` is not a term like P21D, P2W or P2M",
                            rule.term, rule.when
                        ),
                        Some("write it as processing_term is written"),
                    );
                    continue;
                }
            };
            if let Some(message) = super::over_statutory(def, term) {
                self.report_term(rule, message, Some(super::STATUTORY_HINT));
            }
        }
    }

    /// A problem at the rule's `term:` under the top-level `terms:` key (`processing_term:
    /// P21D` would otherwise match first), or at `terms:` where it is not found.
    fn report_term(&mut self, rule: &TermRule, message: String, hint: Option<&str>) {
        let start = self.text.find("\nterms:").map_or(0, |i| i + 1);
        let rest = &self.text[start..];
        let needle = [
            format!("term: {}", rule.term),
            format!("term: \"{}\"", rule.term),
            format!("term: '{}'", rule.term),
        ]
        .into_iter()
        .find(|n| rest.contains(n.as_str()))
        .unwrap_or_else(|| "terms:".to_owned());
        let (line, column) = locate(rest, &needle);
        self.problems.push(Problem {
            file: self.file.to_owned(),
            line: self.text[..start].matches('\n').count() + line,
            column,
            message,
            hint: hint.map(str::to_owned),
        });
    }
}

#[cfg(test)]
mod tests {
    use crate::forms::Catalogue;
    use crate::forms::catalogue::Problem;

    const SERVICE: &str = include_str!("../../../../forms/warunki-zabudowy.yaml");
    const TABLE: &str = include_str!("../../../../forms/data/stamp-duty.yaml");
    const RULE: &str =
        "  - when: investment_kind == 'single_family' && small_house == true\n    term: P21D\n";

    fn problems(text: &str) -> Vec<Problem> {
        Catalogue::from_sources(vec![
            ("warunki-zabudowy.yaml".into(), text.into()),
            ("data/stamp-duty.yaml".into(), TABLE.into()),
        ])
        .err()
        .unwrap_or_default()
    }

    /// 1-based line and column of the first `needle` in the shipped form.
    fn at(text: &str, needle: &str) -> (usize, usize) {
        crate::forms::catalogue::locate(text, needle)
    }

    /// `forms check` refuses a rule's term that is not a term and a `when` that does not
    /// compile, each at its line and column.
    #[test]
    fn forms_check_refuses_a_bad_term_or_predicate_where_it_is() {
        assert!(SERVICE.contains(RULE), "the shipped rule changed");
        assert!(problems(SERVICE).is_empty());
        let text = SERVICE.replace(
            RULE,
            "  - when: investment_kind == 'single_family' && small_house ==\n    term: P21X\n",
        );
        let found = problems(&text);
        let shown: Vec<String> = found.iter().map(ToString::to_string).collect();
        assert_eq!(found.len(), 2, "{shown:?}");
        assert!(
            shown[0].contains("the term `P21X` when `investment_kind == 'single_family' && small_house ==` is not a term"),
            "{shown:?}"
        );
        assert_eq!((found[0].line, found[0].column), at(&text, "term: P21X"));
        assert_eq!(found[0].column, 5);
        assert_eq!(
            (found[1].line, found[1].column),
            at(
                &text,
                "investment_kind == 'single_family' && small_house ==\n"
            )
        );
        assert_eq!(found[1].column, 11);
        assert!(
            shown
                .iter()
                .all(|s| s.starts_with("warunki-zabudowy.yaml:"))
        );
    }

    /// A rule naming a field the form does not have is refused like a route's.
    #[test]
    fn a_rule_over_an_unknown_field_is_refused() {
        let text = SERVICE.replace(RULE, "  - when: tiny_house == true\n    term: P21D\n");
        let shown: Vec<String> = problems(&text).iter().map(ToString::to_string).collect();
        assert_eq!(shown.len(), 1, "{shown:?}");
        assert!(
            shown[0].contains("names `tiny_house`, which is not a field"),
            "{shown:?}"
        );
    }

    /// KPA art. 217 § 3: the term a rule gives is held to the procedure's longest, as
    /// `processing_term` is (a certificate: 7 days).
    #[test]
    fn a_rules_term_is_no_longer_than_the_procedure_allows() {
        let text = SERVICE.replace(
            "processing_term: P90D",
            "procedure: certificate\nprocessing_term: P7D",
        );
        let found = problems(&text);
        let shown: Vec<String> = found.iter().map(ToString::to_string).collect();
        let p = found
            .iter()
            .find(|p| p.message.contains("not P21D"))
            .unwrap_or_else(|| panic!("{shown:?}"));
        assert!(
            p.message.contains("within P7D at most (KPA art. 217 § 3)"),
            "{shown:?}"
        );
        assert_eq!((p.line, p.column), at(&text, "term: P21D"));
    }
}
