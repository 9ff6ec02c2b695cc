//! One entry point for "is this identifier valid?", shared by form fields and the
//! `/api/identifiers/{kind}/{value}` endpoint so both always agree.

use serde::Serialize;
use serde_json::{Value, json};

use super::{ade::Ade, nip::Nip, pesel::Pesel, postal_code::PostalCode, regon::Regon};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdentifierKind {
    Pesel,
    Nip,
    Regon,
    PostalCode,
    Ade,
}

impl IdentifierKind {
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "pesel" => Self::Pesel,
            "nip" => Self::Nip,
            "regon" => Self::Regon,
            "postal-code" | "postal_code" => Self::PostalCode,
            "ade" => Self::Ade,
            _ => return None,
        })
    }
}

/// A problem with an identifier: a stable code plus the English rule; pages translate the code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IdentifierIssue {
    pub code: &'static str,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IdentifierCheck {
    pub valid: bool,
    pub normalized: Option<String>,
    pub details: Value,
    pub errors: Vec<IdentifierIssue>,
    pub warnings: Vec<IdentifierIssue>,
}

fn issue(code: &'static str, e: impl std::fmt::Display) -> IdentifierIssue {
    IdentifierIssue {
        code,
        message: e.to_string(),
    }
}

fn ok(normalized: String, details: Value) -> IdentifierCheck {
    IdentifierCheck {
        valid: true,
        normalized: Some(normalized),
        details,
        errors: vec![],
        warnings: vec![],
    }
}

fn bad(error: IdentifierIssue) -> IdentifierCheck {
    IdentifierCheck {
        valid: false,
        normalized: None,
        details: json!({}),
        errors: vec![error],
        warnings: vec![],
    }
}

pub fn check(kind: IdentifierKind, value: &str) -> IdentifierCheck {
    match kind {
        IdentifierKind::Pesel => match Pesel::parse(value) {
            Ok(p) => ok(
                p.as_ref().to_owned(),
                json!({ "birth_date": p.birth_date().to_string(), "sex": p.sex() }),
            ),
            Err(e) => bad(issue(e.code(), e)),
        },
        IdentifierKind::Nip => match Nip::parse(value) {
            Ok(n) => ok(n.as_ref().to_owned(), json!({ "formatted": n.formatted() })),
            Err(e) => bad(issue(e.code(), e)),
        },
        IdentifierKind::Regon => match Regon::parse(value) {
            Ok(r) => ok(
                r.as_ref().to_owned(),
                json!({ "length": r.length(), "local_unit": r.length() == 14 }),
            ),
            Err(e) => bad(issue(e.code(), e)),
        },
        IdentifierKind::PostalCode => match PostalCode::parse(value) {
            Ok(p) => ok(p.as_ref().to_owned(), json!({})),
            Err(e) => bad(issue(e.code(), e)),
        },
        IdentifierKind::Ade => match Ade::parse(value) {
            Ok(a) => {
                let mut c = ok(
                    a.as_ref().to_owned(),
                    json!({ "check_pair_matches": a.check_pair_matches() }),
                );
                if !a.check_pair_matches() {
                    c.warnings.push(issue(
                        "ade.check_pair",
                        "the check pair does not match; confirm the address in the BAE register",
                    ));
                }
                c
            }
            Err(e) => bad(issue(e.code(), e)),
        },
    }
}
