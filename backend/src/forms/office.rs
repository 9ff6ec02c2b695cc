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

fn valid_archival(s: &str) -> bool {
    let digits = |d: &str| !d.is_empty() && d.chars().all(|c| c.is_ascii_digit());
    s == "A"
        || s == "Bc"
        || s.strip_prefix("BE").is_some_and(digits)
        || s.strip_prefix('B').is_some_and(digits)
}

#[cfg(test)]
mod tests {
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
