//! Levels of assurance of an identity (eIDAS), and what a service requires.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, Hash)]
#[serde(rename_all = "lowercase")]
pub enum IdentityLevel {
    None,
    Low,
    Substantial,
    High,
}

impl IdentityLevel {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::None => "none",
            Self::Low => "low",
            Self::Substantial => "substantial",
            Self::High => "high",
        }
    }

    /// Maps both the short names and the `http://eidas.europa.eu/LoA/...` URIs.
    pub fn parse(s: &str) -> Option<Self> {
        let s = s.strip_prefix("http://eidas.europa.eu/LoA/").unwrap_or(s);
        Some(match s {
            "none" => Self::None,
            "low" => Self::Low,
            "substantial" => Self::Substantial,
            "high" => Self::High,
            _ => return None,
        })
    }
}
