//! The gmina's areas from `forms/areas.yaml` (sołectwa, osiedla, districts): what a
//! consultation's territorial scope may list. Checked with the rest of the catalogue.

use serde::{Deserialize, Serialize};

use crate::domain::lang::Text;

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Areas {
    /// Residents of the whole gmina (a participatory budget's support threshold is at most
    /// 0.1 % of them, u.s.g. art. 5a ust. 7 pkt 2).
    #[serde(default)]
    pub residents: Option<u64>,
    pub areas: Vec<Area>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Area {
    /// A stable code, e.g. `SOL-BOROWO`.
    pub code: String,
    pub kind: AreaKind,
    pub name: Text,
    /// Residents living in the area, where the office keeps the number.
    #[serde(default)]
    pub residents: Option<u64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AreaKind {
    Solectwo,
    Osiedle,
    District,
}

impl Areas {
    pub fn get(&self, code: &str) -> Option<&Area> {
        self.areas.iter().find(|a| a.code == code)
    }

    /// Problems with the file itself: `(needle to locate, message)`.
    pub fn problems(&self) -> Vec<(String, String)> {
        let mut out = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for a in &self.areas {
            let ok = !a.code.is_empty()
                && a.code.len() <= 32
                && a.code
                    .chars()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '-');
            if !ok {
                out.push((
                    format!("code: {}", a.code),
                    format!(
                        "area code `{}` must be 1 to 32 capital letters, digits or `-`",
                        a.code
                    ),
                ));
            }
            if !seen.insert(a.code.as_str()) {
                out.push((
                    format!("code: {}", a.code),
                    format!("area `{}` is listed twice", a.code),
                ));
            }
            if a.name.pl.trim().is_empty() {
                out.push((
                    format!("code: {}", a.code),
                    format!("area `{}` has no Polish name", a.code),
                ));
            }
        }
        out
    }
}

/// What a budget edition's validators ask of the gmina's areas.
impl crate::domain::budget::Territory for Areas {
    fn areas(&self) -> Vec<String> {
        self.areas.iter().map(|a| a.code.clone()).collect()
    }

    fn residents(&self, area: Option<&str>) -> Option<u64> {
        match area {
            None => self.residents,
            Some(code) => self.get(code).and_then(|a| a.residents),
        }
    }

    fn knows(&self, area: &str) -> bool {
        self.get(area).is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn duplicate_and_malformed_codes_are_problems() {
        let a: Areas = serde_yaml::from_str(
            "areas:\n  - { code: OS-A, kind: osiedle, name: { pl: A } }\n  - { code: OS-A, kind: osiedle, name: { pl: B } }\n  - { code: bad code, kind: district, name: { pl: C } }\n",
        )
        .unwrap_or_default();
        let p = a.problems();
        assert_eq!(p.len(), 2, "{p:?}");
        assert!(p[0].1.contains("listed twice"));
        assert!(p[1].1.contains("capital letters"));
    }

    #[test]
    fn the_shipped_areas_load() {
        let c = crate::forms::Catalogue::shipped().unwrap_or_default();
        assert!(c.areas.get("SOL-BOROWO").is_some());
    }
}
