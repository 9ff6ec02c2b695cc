//! `forms/national.yaml`: national services the gmina points to (an ID card, CEIDG). Each
//! is a page that explains the matter and links to the national service; none is a form.

use serde::{Deserialize, Serialize};

use crate::domain::lang::Text;

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct National {
    pub services: Vec<NationalService>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NationalService {
    pub id: String,
    pub title: Text,
    pub description: Text,
    pub legal_basis: Text,
    /// The national service itself: an `https://` address.
    pub url: String,
    /// Who runs it.
    pub provider: Text,
    pub term: Text,
    pub fee: Text,
    #[serde(default)]
    pub requirements: Vec<Text>,
}

impl National {
    pub fn get(&self, id: &str) -> Option<&NationalService> {
        self.services.iter().find(|s| s.id == id)
    }

    /// `(needle, message)` for each id used twice, an id not fit for a URL, and a link that
    /// is not `https://`.
    pub fn problems(&self) -> Vec<(String, String)> {
        let mut out = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for s in &self.services {
            let needle = format!("id: {}", s.id);
            if !seen.insert(&s.id) {
                out.push((
                    needle.clone(),
                    format!("national service `{}` is listed twice", s.id),
                ));
            }
            if s.id.is_empty()
                || !s
                    .id
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
            {
                out.push((
                    needle,
                    format!(
                        "national service id `{}` must be lowercase letters, digits and -",
                        s.id
                    ),
                ));
            }
            if !s.url.starts_with("https://") {
                out.push((
                    s.url.clone(),
                    format!(
                        "`{}` links out over plain http or not at all; use https://",
                        s.id
                    ),
                ));
            }
        }
        out
    }
}
