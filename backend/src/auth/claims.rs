//! Turning a verified ID token's claims into an okienko identity, as a provider's claim
//! mapping says. Pure: tested without any provider.

use serde_json::{Map, Value};

use crate::config::{Provider, ProviderKind};
use crate::domain::identity::{Identity, Role};
use crate::domain::level::IdentityLevel;
use crate::domain::pesel::Pesel;

/// Why claims do not make an identity; shown to the person on the failed-login page.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ClaimsError {
    #[error("the provider sent no `{0}` claim")]
    Missing(String),
    #[error("the provider sent a PESEL that is not valid")]
    BadPesel,
    #[error("this account has no okienko role; ask the town hall's administrator to grant one")]
    NoRole,
    #[error(
        "staff log in with a second factor, and the provider's token shows none (`amr`, `acr`)"
    )]
    NoSecondFactor,
}

/// Whether the token shows a second factor as `provider` defines it: an `amr` value of
/// `second_factor_amr`, or an `acr` of `second_factor_acr`.
fn second_factor(provider: &Provider, claims: &Map<String, Value>) -> bool {
    let amr = match claims.get("amr") {
        Some(Value::Array(a)) => a.iter().filter_map(Value::as_str).collect(),
        Some(Value::String(s)) => vec![s.as_str()],
        _ => Vec::new(),
    };
    let acr = text(claims, &provider.claims.acr);
    amr.iter()
        .any(|a| provider.second_factor_amr.iter().any(|w| w == a))
        || acr.is_some_and(|a| provider.second_factor_acr.contains(&a))
}

/// The claim at a dotted `path` (`realm_access.roles`), if present and not null.
fn at<'a>(claims: &'a Map<String, Value>, path: &str) -> Option<&'a Value> {
    let mut parts = path.split('.');
    let mut cur = claims.get(parts.next()?)?;
    for p in parts {
        cur = cur.as_object()?.get(p)?;
    }
    (!cur.is_null()).then_some(cur)
}

fn text(claims: &Map<String, Value>, path: &str) -> Option<String> {
    match at(claims, path)? {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_owned()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// The level an `acr` value means for this provider.
pub fn level_of(provider: &Provider, acr: Option<&str>) -> IdentityLevel {
    acr.and_then(|a| {
        provider
            .acr_levels
            .get(a)
            .copied()
            .or_else(|| IdentityLevel::parse(a))
    })
    .unwrap_or(provider.default_level)
}

/// The `acr_values` to ask for `level`.
pub fn acr_value(provider: &Provider, level: IdentityLevel) -> String {
    provider
        .acr_values
        .get(&level)
        .cloned()
        .unwrap_or_else(|| format!("http://eidas.europa.eu/LoA/{}", level.as_str()))
}

pub fn identity(
    name: &str,
    provider: &Provider,
    claims: &Map<String, Value>,
) -> Result<Identity, ClaimsError> {
    let map = &provider.claims;
    let subject =
        text(claims, &map.subject).ok_or_else(|| ClaimsError::Missing(map.subject.clone()))?;
    let pesel = match text(claims, &map.pesel) {
        Some(p) => Some(
            Pesel::parse(&p)
                .map_err(|_| ClaimsError::BadPesel)?
                .to_string(),
        ),
        None => None,
    };
    let level = level_of(provider, text(claims, &map.acr).as_deref());
    let roles = match provider.kind {
        ProviderKind::Residents => vec![Role::Resident],
        ProviderKind::Staff => {
            let values: Vec<String> = match at(claims, &map.roles) {
                Some(Value::Array(a)) => a
                    .iter()
                    .filter_map(|v| v.as_str().map(str::to_owned))
                    .collect(),
                Some(Value::String(s)) => s.split([' ', ',']).map(str::to_owned).collect(),
                _ => Vec::new(),
            };
            let mut roles: Vec<Role> = values
                .iter()
                .filter_map(|v| {
                    if provider.roles.is_empty() {
                        Role::parse(v).filter(|r| *r != Role::Resident)
                    } else {
                        provider.roles.get(v).copied()
                    }
                })
                .collect();
            roles.sort();
            roles.dedup();
            if roles.is_empty() {
                return Err(ClaimsError::NoRole);
            }
            if !second_factor(provider, claims) {
                return Err(ClaimsError::NoSecondFactor);
            }
            roles
        }
    };
    Ok(Identity {
        subject,
        provider: name.to_owned(),
        pesel,
        given_name: text(claims, &map.given_name),
        family_name: text(claims, &map.family_name),
        birth_date: text(claims, &map.birth_date),
        email: text(claims, &map.email),
        level,
        roles,
        unit: text(claims, &map.unit),
    })
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use serde_json::json;

    use super::*;
    use crate::config::ClaimMap;

    fn provider(kind: ProviderKind) -> Provider {
        Provider {
            kind,
            issuer: "https://idp.example".into(),
            client_id: "okienko".into(),
            client_secret: None,
            scopes: vec!["openid".into()],
            label: None,
            claims: ClaimMap::default(),
            acr_levels: BTreeMap::from([("urn:bank".into(), IdentityLevel::Substantial)]),
            default_level: IdentityLevel::Low,
            acr_values: BTreeMap::new(),
            roles: BTreeMap::new(),
            second_factor_amr: crate::config::default_second_factor_amr(),
            second_factor_acr: Vec::new(),
        }
    }

    fn claims(v: Value) -> Map<String, Value> {
        v.as_object().cloned().unwrap_or_default()
    }

    #[test]
    fn a_resident_gets_the_level_of_the_eidas_acr() {
        let p = provider(ProviderKind::Residents);
        let id = identity(
            "national",
            &p,
            &claims(
                json!({"sub": "s1", "pesel": "44051401359", "given_name": "Jan",
                "family_name": "Kowalski", "acr": "http://eidas.europa.eu/LoA/substantial"}),
            ),
        )
        .unwrap();
        assert_eq!(id.level, IdentityLevel::Substantial);
        assert_eq!(id.roles, vec![Role::Resident]);
        assert_eq!(id.pesel.as_deref(), Some("44051401359"));
        assert_eq!(id.full_name(), "Jan Kowalski");
    }

    #[test]
    fn configured_acr_values_short_names_and_the_default_level() {
        let p = provider(ProviderKind::Residents);
        assert_eq!(level_of(&p, Some("urn:bank")), IdentityLevel::Substantial);
        assert_eq!(level_of(&p, Some("high")), IdentityLevel::High);
        assert_eq!(level_of(&p, Some("something-else")), IdentityLevel::Low);
        assert_eq!(level_of(&p, None), IdentityLevel::Low);
        assert_eq!(
            acr_value(&p, IdentityLevel::Substantial),
            "http://eidas.europa.eu/LoA/substantial"
        );
    }

    #[test]
    fn a_wrong_pesel_or_missing_subject_is_refused() {
        let p = provider(ProviderKind::Residents);
        assert_eq!(
            identity(
                "n",
                &p,
                &claims(json!({"sub": "s", "pesel": "44051401358"}))
            ),
            Err(ClaimsError::BadPesel)
        );
        assert_eq!(
            identity("n", &p, &claims(json!({"pesel": "44051401359"}))),
            Err(ClaimsError::Missing("sub".into()))
        );
    }

    #[test]
    fn staff_roles_come_from_a_dotted_claim_and_the_role_map() {
        let mut p = provider(ProviderKind::Staff);
        p.claims.roles = "realm_access.roles".into();
        p.roles = BTreeMap::from([
            ("okienko-clerk".into(), Role::Clerk),
            ("okienko-admin".into(), Role::Admin),
        ]);
        let id = identity(
            "staff",
            &p,
            &claims(json!({"sub": "k1", "unit": "FN", "amr": ["pwd", "otp"],
                "realm_access": {"roles": ["okienko-clerk", "offline_access"]}})),
        )
        .unwrap();
        assert_eq!(id.roles, vec![Role::Clerk]);
        assert_eq!(id.unit.as_deref(), Some("FN"));
        assert_eq!(
            identity(
                "staff",
                &p,
                &claims(json!({"sub": "k2", "realm_access": {"roles": ["offline_access"]}}))
            ),
            Err(ClaimsError::NoRole)
        );
        // without a map, role names are taken as they are, but nobody becomes a resident
        let plain = provider(ProviderKind::Staff);
        let id = identity(
            "staff",
            &plain,
            &claims(json!({"sub": "k3", "roles": "councillor resident", "amr": ["hwk"]})),
        )
        .unwrap();
        assert_eq!(id.roles, vec![Role::Councillor]);
    }

    #[test]
    fn staff_without_a_second_factor_are_refused() {
        let p = provider(ProviderKind::Staff);
        let clerk = |extra: Value| {
            let mut c = claims(json!({"sub": "k1", "roles": ["clerk"], "unit": "FN"}));
            if let Value::Object(o) = extra {
                c.extend(o);
            }
            identity("staff", &p, &c)
        };
        assert_eq!(clerk(json!({})), Err(ClaimsError::NoSecondFactor));
        assert_eq!(
            clerk(json!({"amr": ["pwd"]})),
            Err(ClaimsError::NoSecondFactor)
        );
        assert!(clerk(json!({"amr": ["pwd", "otp"]})).is_ok());
        assert!(clerk(json!({"amr": "mfa"})).is_ok());
        // a provider that says it with `acr`
        let mut by_acr = provider(ProviderKind::Staff);
        by_acr.second_factor_acr = vec!["urn:gmina:2fa".into()];
        let c = claims(json!({"sub": "k1", "roles": ["clerk"], "acr": "urn:gmina:2fa"}));
        assert!(identity("staff", &by_acr, &c).is_ok());
        // residents need none
        let r = provider(ProviderKind::Residents);
        assert!(identity("national", &r, &claims(json!({"sub": "r1"}))).is_ok());
    }
}
