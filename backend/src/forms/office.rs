//! The office's structure from `forms/units.yaml`: organisational units (symbols, names,
//! supervisors) and the JRWA classes in use with their archival category. Service routes
//! must name a unit and a class from here (checked by `okienko forms check`).

use serde::{Deserialize, Serialize};

use crate::domain::lang::Text;

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Office {
    pub units: Vec<Unit>,
    pub jrwa: Vec<JrwaClass>,
    /// Where routes `to: crisis_centre` go.
    #[serde(default)]
    pub crisis_centre: Option<CrisisCentre>,
}

/// The crisis management centre that takes simplified assembly notifications (Prawo o
/// zgromadzeniach art. 22 ust. 1): the gmina's own, part of the office (`unit` set), or,
/// where the gmina has none, the voivodeship's, to which okienko e-mails each notice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CrisisCentre {
    pub name: Text,
    /// The office's unit that is the centre; absent for the voivodeship's centre.
    #[serde(default)]
    pub unit: Option<String>,
    /// Answered round the clock; shown to the organiser.
    pub phone: String,
    pub email: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Unit {
    /// The unit's symbol in case signs, e.g. `FN`.
    pub symbol: String,
    pub name: Text,
    /// Staff subjects (the staff provider's `sub`) who head the unit: they assign cases and
    /// see all of the unit's cases.
    #[serde(default)]
    pub supervisors: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JrwaClass {
    /// The class symbol of the uniform file list (JRWA), e.g. `3120`.
    pub symbol: String,
    pub title: Text,
    /// Archival category: `A`, `B<n>`, `BE<n>` or `Bc`.
    pub archival: String,
}

impl Office {
    pub fn unit(&self, symbol: &str) -> Option<&Unit> {
        self.units.iter().find(|u| u.symbol == symbol)
    }

    pub fn class(&self, symbol: &str) -> Option<&JrwaClass> {
        self.jrwa.iter().find(|c| c.symbol == symbol)
    }

    /// Problems with the file itself: `(needle to locate, message)`.
    pub fn problems(&self) -> Vec<(String, String)> {
        let mut out = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for u in &self.units {
            let ok = !u.symbol.is_empty()
                && u.symbol.len() <= 10
                && u.symbol
                    .chars()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '-');
            if !ok {
                out.push((
                    format!("symbol: {}", u.symbol),
                    format!("unit symbol `{}` must be 1 to 10 capital letters, digits or `-` (it is part of case signs)", u.symbol),
                ));
            }
            if !seen.insert(u.symbol.as_str()) {
                out.push((
                    format!("symbol: {}", u.symbol),
                    format!("unit `{}` is listed twice", u.symbol),
                ));
            }
        }
        if let Some(c) = &self.crisis_centre {
            out.extend(self.centre_problems(c));
        }
        let mut seen = std::collections::HashSet::new();
        for c in &self.jrwa {
            if c.symbol.is_empty()
                || !c.symbol.chars().all(|x| x.is_ascii_digit())
                || c.symbol.len() > 4
            {
                out.push((
                    c.symbol.clone(),
                    format!("JRWA class `{}` must be 1 to 4 digits", c.symbol),
                ));
            }
            if !valid_archival(&c.archival) {
                out.push((
                    format!("archival: {}", c.archival),
                    format!(
                        "archival category `{}` is not A, B<n>, BE<n> or Bc",
                        c.archival
                    ),
                ));
            }
            if !seen.insert(c.symbol.as_str()) {
                out.push((
                    c.symbol.clone(),
                    format!("JRWA class `{}` is listed twice", c.symbol),
                ));
            }
        }
        out
    }
}

impl Office {
    fn centre_problems(&self, c: &CrisisCentre) -> Vec<(String, String)> {
        let mut out = Vec::new();
        if let Some(u) = c.unit.as_deref().filter(|u| self.unit(u).is_none()) {
            out.push((
                format!("unit: {u}"),
                format!("the crisis centre is unit `{u}`, which is not listed under units"),
            ));
        }
        let email = c.email.split_once('@');
        if !email.is_some_and(|(user, host)| !user.is_empty() && host.contains('.')) {
            out.push((
                format!("email: {}", c.email),
                format!("the crisis centre's e-mail `{}` is not an address", c.email),
            ));
        }
        let digits = c.phone.chars().filter(char::is_ascii_digit).count();
        if !(3..=15).contains(&digits) {
            out.push((
                "phone:".into(),
                format!(
                    "the crisis centre's telephone `{}` is not a number",
                    c.phone
                ),
            ));
        }
        out
    }
}

fn valid_archival(s: &str) -> bool {
    let digits = |d: &str| !d.is_empty() && d.chars().all(|c| c.is_ascii_digit());
    s == "A"
        || s == "Bc"
        || s.strip_prefix("BE").is_some_and(digits)
        || s.strip_prefix('B').is_some_and(digits)
}

#[cfg(test)]
mod tests {
    use crate::forms::Catalogue;

    /// Prawo o zgromadzeniach art. 22 ust. 1: a route `to: crisis_centre` needs the centre
    /// in units.yaml, and a centre that is a unit must name one that exists.
    #[test]
    fn a_route_to_the_crisis_centre_needs_a_centre() {
        let units = include_str!("../../../forms/units.yaml");
        let (start, end) = (
            units.find("crisis_centre:").unwrap(),
            units.find("jrwa:").unwrap(),
        );
        let form = include_str!("../../../forms/zgromadzenie.yaml");
        let load = |centre: &str| {
            let units = format!("{}{centre}{}", &units[..start], &units[end..]);
            Catalogue::from_sources(vec![
                ("forms/units.yaml".into(), units),
                ("forms/zgromadzenie.yaml".into(), form.into()),
            ])
        };
        let problems = load("").unwrap_err();
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(problems[0].message.contains("units.yaml names none"));
        let wrong =
            "crisis_centre: { name: { pl: C, en: C }, unit: XX, phone: \"112\", email: c@x }\n";
        let problems = load(wrong).unwrap_err();
        let messages: Vec<&str> = problems.iter().map(|p| p.message.as_str()).collect();
        assert!(
            messages[0].contains("unit `XX`, which is not listed"),
            "{messages:?}"
        );
        assert!(
            messages[1].contains("`c@x` is not an address"),
            "{messages:?}"
        );
        let outside = "crisis_centre: { name: { pl: W, en: W }, phone: \"+48 61 854 99 00\", email: wczk@example.gov.pl }\n";
        let c = load(outside).unwrap();
        let svc = c.get("zgromadzenie").unwrap();
        assert_eq!(
            svc.crisis_centre.as_ref().and_then(|c| c.unit.as_deref()),
            None
        );
    }

    #[test]
    fn archival_categories() {
        for ok in ["A", "B5", "B10", "BE5", "BE50", "Bc"] {
            assert!(super::valid_archival(ok), "{ok}");
        }
        for bad in ["", "C", "B", "BE", "B-5", "a"] {
            assert!(!super::valid_archival(bad), "{bad}");
        }
    }
}
