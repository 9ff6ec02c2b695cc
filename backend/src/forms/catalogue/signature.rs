//! The checks of a `file` field's `signature` rule: it names the kinds it accepts, each
//! once, and the field takes the types a signature can be carried in (PAdES in `pdf`,
//! XAdES in `xml`).

use super::Compiler;
use crate::forms::definition::Field;

impl Compiler<'_> {
    pub(super) fn signature_rule(&mut self, needle: &str, name: &str, f: &Field) {
        let Some(rule) = &f.signature else { return };
        if rule.accept.is_empty() {
            self.report(
                needle,
                format!("the signature of `{name}` accepts no kind"),
                Some("add `accept: [qualified, trusted_profile, personal]` (the kinds the law or the resolution accepts)"),
            );
        }
        let mut seen = Vec::new();
        for k in &rule.accept {
            if seen.contains(k) {
                self.report(
                    needle,
                    format!("the signature of `{name}` names `{}` twice", k.as_str()),
                    None,
                );
            }
            seen.push(*k);
        }
        let carries = f
            .accept
            .iter()
            .any(|t| t.eq_ignore_ascii_case("pdf") || t.eq_ignore_ascii_case("xml"));
        if !carries {
            self.report(
                needle,
                format!(
                    "`{name}` requires a signature but accepts only {}, which carry none",
                    f.accept.join(", ")
                ),
                Some("accept `pdf` (PAdES) or `xml` (XAdES)"),
            );
        }
        if rule.required
            && f.accept
                .iter()
                .any(|t| !t.eq_ignore_ascii_case("pdf") && !t.eq_ignore_ascii_case("xml"))
        {
            self.report(
                needle,
                format!(
                    "`{name}` requires a signature on every file but also accepts {}, which carry none",
                    f.accept.join(", ")
                ),
                Some("accept only `pdf` and `xml`, or make the signature `required: false`"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::forms::Catalogue;

    const SERVICE: &str = include_str!("../../../../forms/zameldowanie.yaml");
    const RULE: &str = "        signature:\n          required: false\n          accept: [qualified, trusted_profile, personal]\n";

    fn problems(text: &str) -> Vec<String> {
        Catalogue::from_sources(vec![("zameldowanie.yaml".into(), text.into())])
            .err()
            .unwrap_or_default()
            .iter()
            .map(ToString::to_string)
            .collect()
    }

    #[test]
    fn the_shipped_rule_passes_and_a_required_one_must_refuse_images() {
        assert!(SERVICE.contains(RULE));
        assert_eq!(problems(SERVICE), Vec::<String>::new());
        let required = SERVICE.replacen(RULE, &RULE.replace("false", "true"), 1);
        let found = problems(&required);
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(
            found[0]
                .contains("requires a signature on every file but also accepts pdf, jpg, png, xml"),
            "{found:?}"
        );
        assert!(
            found[0].contains("zameldowanie.yaml:"),
            "names the line: {found:?}"
        );
    }

    #[test]
    fn a_rule_must_name_known_kinds_once_and_sit_on_a_file_field() {
        let none = SERVICE.replacen(
            RULE,
            &RULE.replace("[qualified, trusted_profile, personal]", "[]"),
            1,
        );
        assert!(
            problems(&none)
                .iter()
                .any(|p| p.contains("accepts no kind"))
        );
        let twice = SERVICE.replacen(RULE, &RULE.replace("personal]", "qualified]"), 1);
        assert!(
            problems(&twice)
                .iter()
                .any(|p| p.contains("names `qualified` twice"))
        );
        let unknown = SERVICE.replacen(RULE, &RULE.replace("personal]", "notarial]"), 1);
        assert!(
            problems(&unknown).iter().any(|p| p.contains("notarial")),
            "{:?}",
            problems(&unknown)
        );
        let on_text = SERVICE.replacen(
            "        prefill: identity.given_name\n        required: true\n",
            &format!("        prefill: identity.given_name\n        required: true\n{RULE}"),
            1,
        );
        assert!(
            problems(&on_text)
                .iter()
                .any(|p| p.contains("only a file field may have `signature`"))
        );
    }
}
