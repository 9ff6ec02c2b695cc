//! Who is filing or working: the identity a national node (or the town hall's own provider)
//! vouched for, with the roles okienko gives it.

use serde::{Deserialize, Serialize};

use super::level::IdentityLevel;

/// What a person may do in okienko. Residents come from the national node; staff roles
/// come from the town hall's provider through its role claim.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Resident,
    Clerk,
    Councillor,
    Admin,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Resident => "resident",
            Self::Clerk => "clerk",
            Self::Councillor => "councillor",
            Self::Admin => "admin",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "resident" => Self::Resident,
            "clerk" => Self::Clerk,
            "councillor" => Self::Councillor,
            "admin" => Self::Admin,
            _ => return None,
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Identity {
    /// The provider's stable subject identifier.
    pub subject: String,
    /// The configured provider it came from (`national`, `staff`, ...).
    pub provider: String,
    pub pesel: Option<String>,
    pub given_name: Option<String>,
    pub family_name: Option<String>,
    pub birth_date: Option<String>,
    pub email: Option<String>,
    pub level: IdentityLevel,
    #[serde(default)]
    pub roles: Vec<Role>,
    /// The office unit symbol of a clerk (e.g. `FN`).
    #[serde(default)]
    pub unit: Option<String>,
}

impl Identity {
    pub fn full_name(&self) -> String {
        [self.given_name.as_deref(), self.family_name.as_deref()]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" ")
    }

    pub fn has_role(&self, role: Role) -> bool {
        self.roles.contains(&role)
    }
}
