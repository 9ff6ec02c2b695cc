//! `forms/situations.yaml`: the life situations a resident starts from in the catalogue
//! ("I am building a house", "I run a shop"), each naming its services, the gmina's own or
//! national ones.

use serde::{Deserialize, Serialize};

use crate::domain::lang::Text;

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Situations {
    pub situations: Vec<Situation>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Situation {
    pub id: String,
    pub title: Text,
    /// Service ids: the catalogue's or `national.yaml`'s.
    pub services: Vec<String>,
}

impl Situations {
    /// `(needle, message)` for a situation listed twice or one naming a service that is
    /// neither in the catalogue nor national.
    pub fn problems(&self, known: impl Fn(&str) -> bool) -> Vec<(String, String)> {
        let mut out = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for s in &self.situations {
            if !seen.insert(&s.id) {
                out.push((
                    format!("id: {}", s.id),
                    format!("situation `{}` is listed twice", s.id),
                ));
            }
            for id in s.services.iter().filter(|id| !known(id)) {
                out.push((id.clone(), format!("situation `{}` names `{id}`, which is neither a service nor a national service", s.id)));
            }
        }
        out
    }
}
