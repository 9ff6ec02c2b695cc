//! A consultation's questionnaire: the `steps` (and `checks`) of a form definition, written
//! by the coordinator and stored with the consultation. It is compiled by the catalogue's
//! own compiler, so it has the same field types, conditions and checks, and its problems
//! are reported the same way (`file:line:column: message`).

use serde::Deserialize;

use super::catalogue::{Catalogue, Problem, Service};
use super::definition::{Check, Definition, Routing, Step};
use crate::domain::lang::Text;
use crate::domain::level::IdentityLevel;

/// What the coordinator writes (YAML or JSON).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Questionnaire {
    pub steps: Vec<Step>,
    #[serde(default)]
    pub checks: Vec<Check>,
    /// Aliases for data tables in `forms/data/`, as in a definition.
    #[serde(default)]
    pub tables: indexmap::IndexMap<String, String>,
}

/// Compiles `text` as the questionnaire of consultation `id` (named `file` in problems),
/// against the catalogue's data tables.
pub fn compile(
    catalogue: &Catalogue,
    id: &str,
    title: &str,
    file: &str,
    text: &str,
) -> Result<Service, Vec<Problem>> {
    let q: Questionnaire =
        serde_yaml::from_str(text).map_err(|e| vec![super::catalogue::yaml_problem(file, &e)])?;
    if q.steps.iter().all(|s| s.fields.is_empty()) {
        return Err(vec![Problem {
            file: file.to_owned(),
            line: 1,
            column: 1,
            message: "the questionnaire asks nothing: add a step with fields".into(),
            hint: Some("see docs/forms.md for the field types".into()),
        }]);
    }
    let def = Definition {
        id: format!("konsultacja-{id}"),
        version: 1,
        title: Text {
            pl: title.to_owned(),
            en: None,
        },
        description: Text::default(),
        category: "consultation".into(),
        legal_basis: Text::default(),
        identity_level: IdentityLevel::Substantial,
        applicant: super::definition::ApplicantKind::Person,
        // answers are not cases: nothing is routed
        routing: Routing {
            unit: String::new(),
            jrwa: String::new(),
            rules: Vec::new(),
        },
        processing_term: String::new(),
        due_cap: None,
        terms: Vec::new(),
        max_extension: None,
        procedure: Default::default(),
        filed_through: Default::default(),
        estimated_minutes: None,
        requirements: Vec::new(),
        tables: q.tables,
        steps: q.steps,
        checks: q.checks,
        examples: Default::default(),
        letters: Default::default(),
        fee: None,
        efiling: None,
    };
    catalogue.compile_one(file, text, def)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn catalogue() -> Catalogue {
        Catalogue::shipped().unwrap_or_default()
    }

    #[test]
    fn a_questionnaire_compiles_and_validates_answers() {
        let text = "steps:\n  - id: q\n    title: { pl: Pytania }\n    fields:\n      - { id: agree, type: yes_no, label: { pl: Czy popierasz? }, required: true }\n      - { id: why, type: textarea, label: { pl: Dlaczego? }, max_length: 500 }\n";
        let svc = compile(&catalogue(), "abc", "Test", "questionnaire.yaml", text)
            .map_err(|p| p.iter().map(ToString::to_string).collect::<Vec<_>>())
            .unwrap_or_else(|p| panic!("{p:?}"));
        let input = crate::forms::Input {
            lang: crate::domain::lang::Lang::Pl,
            today: time::macros::date!(2027 - 01 - 20),
            identity: None,
        };
        let ok = crate::forms::validate(&svc, &serde_json::json!({"agree": true}), &input);
        assert!(ok.valid, "{:?}", ok.errors);
        let bad = crate::forms::validate(&svc, &serde_json::json!({"why": "x"}), &input);
        assert!(!bad.valid);
        assert_eq!(bad.errors[0].path, "agree");
    }

    /// Issue 14: a consultation asks for a point on a scale and a ranking of options; out of
    /// range, unknown or repeated choices are refused with the field named; a scale whose
    /// ends make no sense fails compilation.
    #[test]
    fn scale_and_ranking_questions() {
        let text = "steps:\n  - id: q\n    title: { pl: Pytania }\n    fields:\n      - { id: rate, type: scale, min: 1, max: 7, label: { pl: Jak oceniasz projekt? }, required: true }\n      - id: order\n        type: ranking\n        label: { pl: Ułóż od najważniejszego }\n        required: true\n        options:\n          - { value: park, label: { pl: Park } }\n          - { value: road, label: { pl: Droga } }\n          - { value: school, label: { pl: Szkoła } }\n";
        let svc = compile(&catalogue(), "abc", "Test", "questionnaire.yaml", text)
            .unwrap_or_else(|p| panic!("{p:?}"));
        let input = crate::forms::Input {
            lang: crate::domain::lang::Lang::Pl,
            today: time::macros::date!(2027 - 01 - 20),
            identity: None,
        };
        let check = |data| crate::forms::validate(&svc, &data, &input);
        let ok = check(serde_json::json!({"rate": 6, "order": ["school", "park"]}));
        assert!(ok.valid, "{:?}", ok.errors);
        assert_eq!(
            ok.data["order"],
            serde_json::json!(["school", "park"]),
            "the order is kept"
        );
        let out = check(serde_json::json!({"rate": 8, "order": ["park", "park"]}));
        let paths: Vec<(&str, &str)> = out
            .errors
            .iter()
            .map(|e| (e.path.as_str(), e.code.as_str()))
            .collect();
        assert_eq!(paths, [("rate", "scale.range"), ("order", "ranking")]);
        assert!(
            out.errors[0].message.contains("od 1 do 7"),
            "{}",
            out.errors[0].message
        );
        let unknown = check(serde_json::json!({"rate": "3", "order": ["zoo"]}));
        assert_eq!(unknown.errors.len(), 1);
        assert_eq!(unknown.errors[0].path, "order");
        let flat = text.replace("max: 7", "max: 1");
        let p = compile(&catalogue(), "abc", "Test", "questionnaire.yaml", &flat)
            .err()
            .unwrap_or_default();
        assert!(
            p.iter().any(|p| p.message.contains("scale field `rate`")),
            "{p:?}"
        );
    }

    #[test]
    fn problems_point_into_the_questionnaire() {
        let text = "steps:\n  - id: q\n    title: { pl: Pytania }\n    fields:\n      - { id: a, type: text, visible_if: \"b ==\" }\n";
        let p = compile(&catalogue(), "abc", "Test", "questionnaire.yaml", text)
            .err()
            .unwrap_or_default();
        assert!(!p.is_empty());
        assert_eq!(p[0].file, "questionnaire.yaml");
        assert_eq!(p[0].line, 5, "{}", p[0]);
        let typo = compile(
            &catalogue(),
            "abc",
            "Test",
            "q.yaml",
            "steps: []\nstepz: 1\n",
        )
        .err()
        .unwrap_or_default();
        assert!(typo[0].message.contains("unknown field"), "{}", typo[0]);
        assert_eq!(typo[0].line, 2);
    }
}
