//! Who is filing: the identity a national node (or the town hall's own provider) vouched for.

use serde::{Deserialize, Serialize};

use super::level::IdentityLevel;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Identity {
    /// The provider's stable subject identifier.
    pub subject: String,
    pub provider: String,
    pub pesel: Option<String>,
    pub given_name: Option<String>,
    pub family_name: Option<String>,
    pub birth_date: Option<String>,
    pub email: Option<String>,
    pub level: IdentityLevel,
}

impl Identity {
    pub fn full_name(&self) -> String {
        [self.given_name.as_deref(), self.family_name.as_deref()]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" ")
    }
}
