//! The development identity provider at `/dev-idp`: a small but real OpenID Provider
//! (discovery, authorize with a persona picker, token, JWKS, end-session), so that
//! `okienko serve` logs in out of the box through the same OIDC client code production uses.
//! It vouches for anyone as anyone: `Settings::checked` refuses it in production.

pub mod authorize;
pub mod discovery;
pub mod end_session;
pub mod token;
pub mod totp;

use std::collections::HashMap;
use std::sync::Mutex;

use crate::domain::level::IdentityLevel;
use crate::forms::Catalogue;
use crate::receipt::Keystore;

/// A test person to log in as.
#[derive(Debug, Clone)]
pub struct Persona {
    pub id: String,
    pub given_name: String,
    pub family_name: String,
    pub pesel: Option<String>,
    pub birth_date: Option<String>,
    pub email: String,
    pub level: IdentityLevel,
    pub roles: Vec<String>,
    pub unit: Option<String>,
}

/// An authorization code waiting to be exchanged.
#[derive(Debug, Clone)]
pub struct Grant {
    pub persona: Persona,
    pub level: IdentityLevel,
    pub scopes: Vec<String>,
    pub nonce: Option<String>,
    pub code_challenge: String,
    pub redirect_uri: String,
    pub expires: std::time::Instant,
    /// How the person authenticated (`amr`): `pwd`, and `otp` after the TOTP step.
    pub amr: Vec<String>,
}

pub struct DevIdp {
    pub keys: Keystore,
    pub personas: Vec<Persona>,
    pub grants: Mutex<HashMap<String, Grant>>,
}

impl Persona {
    /// Staff log in with a second factor (the TOTP step).
    pub fn is_staff(&self) -> bool {
        self.roles.iter().any(|r| r != "resident")
    }
}

impl DevIdp {
    pub fn new(keys: Keystore, catalogue: &Catalogue) -> Self {
        Self {
            keys,
            personas: personas(catalogue),
            grants: Mutex::new(HashMap::new()),
        }
    }

    pub fn persona(&self, id: &str) -> Option<&Persona> {
        self.personas
            .iter()
            .find(|p| p.id == id || p.pesel.as_deref() == Some(id))
    }
}

pub fn issuer(base_url: &str) -> String {
    format!("{base_url}/dev-idp")
}

/// Two residents (levels low and substantial), a clerk and the supervisors of every unit,
/// a councillor and an administrator.
fn personas(catalogue: &Catalogue) -> Vec<Persona> {
    let person =
        |id: &str, given: &str, family: &str, level, roles: &[&str], unit: Option<&str>| Persona {
            id: id.to_owned(),
            given_name: given.to_owned(),
            family_name: family.to_owned(),
            pesel: None,
            birth_date: None,
            email: format!("{id}@okienko.test"),
            level,
            roles: roles.iter().map(|r| (*r).to_owned()).collect(),
            unit: unit.map(str::to_owned),
        };
    let mut out = vec![
        Persona {
            pesel: Some("85122407623".into()),
            birth_date: Some("1985-12-24".into()),
            ..person("anna", "Anna", "Nowak", IdentityLevel::Low, &[], None)
        },
        Persona {
            pesel: Some("44051401359".into()),
            birth_date: Some("1944-05-14".into()),
            ..person(
                "jan",
                "Jan",
                "Kowalski",
                IdentityLevel::Substantial,
                &[],
                None,
            )
        },
    ];
    // one clerk per unit, and each unit's supervisors as units.yaml names them
    for u in &catalogue.office.units {
        out.push(person(
            &format!("clerk-{}", u.symbol.to_lowercase()),
            "Urzędnik",
            &u.symbol,
            IdentityLevel::Substantial,
            &["clerk"],
            Some(&u.symbol),
        ));
        for s in &u.supervisors {
            out.push(person(
                s,
                "Kierownik",
                &u.symbol,
                IdentityLevel::Substantial,
                &["clerk"],
                Some(&u.symbol),
            ));
        }
    }
    out.push(person(
        "councillor",
        "Radna",
        "Wiśniewska",
        IdentityLevel::Substantial,
        &["councillor"],
        None,
    ));
    out.push(person(
        "admin",
        "Administrator",
        "Systemu",
        IdentityLevel::Substantial,
        &["admin"],
        None,
    ));
    out
}
