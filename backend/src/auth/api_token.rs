//! Tokens for API clients: an EdDSA JWT signed with okienko's keys (the published JWKS),
//! naming the client and its scopes, expiring, and revocable through the client's row.

use jsonwebtoken::{Algorithm, Header, Validation};
use serde::{Deserialize, Serialize};

use crate::receipt::Keystore;

pub const AUDIENCE: &str = "okienko-api";
const TYPE: &str = "okienko-api+jwt";

/// What an API client may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Scope {
    #[serde(rename = "submissions:read")]
    SubmissionsRead,
    #[serde(rename = "cases:read")]
    CasesRead,
    #[serde(rename = "cases:write")]
    CasesWrite,
    #[serde(rename = "mailbox:send")]
    MailboxSend,
}

impl Scope {
    pub const ALL: [Scope; 4] = [
        Self::SubmissionsRead,
        Self::CasesRead,
        Self::CasesWrite,
        Self::MailboxSend,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::SubmissionsRead => "submissions:read",
            Self::CasesRead => "cases:read",
            Self::CasesWrite => "cases:write",
            Self::MailboxSend => "mailbox:send",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|x| x.as_str() == s)
    }
}

/// Parses `scope` strings, naming the first unknown one.
pub fn parse_scopes<'a>(items: impl IntoIterator<Item = &'a str>) -> Result<Vec<Scope>, String> {
    let mut out = Vec::new();
    for s in items
        .into_iter()
        .flat_map(|s| s.split([' ', ',']))
        .filter(|s| !s.is_empty())
    {
        let scope = Scope::parse(s).ok_or_else(|| {
            let known: Vec<&str> = Scope::ALL.iter().map(|s| s.as_str()).collect();
            format!("unknown scope `{s}`; known: {}", known.join(", "))
        })?;
        out.push(scope);
    }
    out.sort();
    out.dedup();
    if out.is_empty() {
        return Err("give at least one scope".into());
    }
    Ok(out)
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TokenClaims {
    pub iss: String,
    pub aud: String,
    /// The client id.
    pub sub: String,
    /// Space-separated scopes.
    pub scope: String,
    pub iat: i64,
    pub exp: i64,
}

pub fn issue(keys: &Keystore, claims: &TokenClaims) -> anyhow::Result<String> {
    let (kid, key) = keys.active()?;
    let mut header = Header::new(Algorithm::EdDSA);
    header.kid = Some(kid);
    header.typ = Some(TYPE.into());
    Ok(jsonwebtoken::encode(&header, claims, &key)?)
}

/// Checks the signature (any published key), issuer, audience and expiry. Revocation is
/// the caller's next step: the client's row must still be active.
pub fn verify(keys: &Keystore, issuer: &str, token: &str) -> Result<TokenClaims, String> {
    let header = jsonwebtoken::decode_header(token).map_err(|e| e.to_string())?;
    if header.typ.as_deref() != Some(TYPE) {
        return Err("not an okienko API token".into());
    }
    let kid = header.kid.ok_or("the token names no key")?;
    let key = keys
        .decoding_key(&kid)
        .ok_or_else(|| format!("key `{kid}` is not one of okienko's"))?;
    let mut v = Validation::new(Algorithm::EdDSA);
    v.set_issuer(&[issuer]);
    v.set_audience(&[AUDIENCE]);
    v.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
    v.leeway = 30;
    jsonwebtoken::decode::<TokenClaims>(token, &key, &v)
        .map(|d| d.claims)
        .map_err(|e| e.to_string())
}

pub struct Created {
    pub id: String,
    pub token: String,
    pub expires_at: time::OffsetDateTime,
}

/// Registers a client and signs its token; the token itself is stored nowhere.
pub async fn create_client(
    db: &impl sea_orm::ConnectionTrait,
    keys: &Keystore,
    issuer: &str,
    name: &str,
    scopes: &[Scope],
    ttl: time::Duration,
) -> anyhow::Result<Created> {
    let id = uuid::Uuid::now_v7().to_string();
    let now = time::OffsetDateTime::now_utc();
    let expires_at = now + ttl;
    let scope = scopes
        .iter()
        .map(|s| s.as_str())
        .collect::<Vec<_>>()
        .join(" ");
    crate::db::api_clients::create(db, &id, name, &scope, expires_at).await?;
    let token = issue(
        keys,
        &TokenClaims {
            iss: issuer.to_owned(),
            aud: AUDIENCE.to_owned(),
            sub: id.clone(),
            scope,
            iat: now.unix_timestamp(),
            exp: expires_at.unix_timestamp(),
        },
    )?;
    Ok(Created {
        id,
        token,
        expires_at,
    })
}

/// Parses a lifetime: `90d`, `12h`, `30m`, or an ISO 8601 duration in days (`P90D`).
pub fn parse_ttl(s: &str) -> Result<time::Duration, String> {
    let s = s.trim();
    let bad = || format!("`{s}` is not a lifetime; write e.g. 90d, 12h or P90D");
    let (num, unit) = if let Some(days) = s.strip_prefix('P').and_then(|r| r.strip_suffix('D')) {
        (days, 'd')
    } else {
        let unit = s.chars().last().ok_or_else(bad)?;
        (&s[..s.len() - unit.len_utf8()], unit)
    };
    let n: i64 = num.parse().map_err(|_| bad())?;
    if n <= 0 {
        return Err(bad());
    }
    match unit {
        'd' => Ok(time::Duration::days(n)),
        'h' => Ok(time::Duration::hours(n)),
        'm' => Ok(time::Duration::minutes(n)),
        _ => Err(bad()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn claims(exp_in: i64) -> TokenClaims {
        let now = time::OffsetDateTime::now_utc().unix_timestamp();
        TokenClaims {
            iss: "https://gmina.example".into(),
            aud: AUDIENCE.into(),
            sub: "c1".into(),
            scope: "cases:read".into(),
            iat: now,
            exp: now + exp_in,
        }
    }

    #[test]
    fn tokens_verify_only_with_our_keys_issuer_and_in_time() {
        let keys = Keystore::ephemeral().unwrap();
        let t = issue(&keys, &claims(3600)).unwrap();
        assert_eq!(
            verify(&keys, "https://gmina.example", &t).unwrap().sub,
            "c1"
        );
        assert!(verify(&keys, "https://other.example", &t).is_err());
        let other = Keystore::ephemeral().unwrap();
        assert!(verify(&other, "https://gmina.example", &t).is_err());
        let old = issue(&keys, &claims(-3600)).unwrap();
        assert!(verify(&keys, "https://gmina.example", &old).is_err());
        // a receipt signed with the same key is not an API token
        let mut tampered = t.clone();
        tampered.push('x');
        assert!(verify(&keys, "https://gmina.example", &tampered).is_err());
    }

    #[test]
    fn scopes_and_lifetimes_parse_or_say_why_not() {
        assert_eq!(
            parse_scopes(["cases:read,cases:write", "cases:read"]).unwrap(),
            vec![Scope::CasesRead, Scope::CasesWrite]
        );
        assert!(
            parse_scopes(["cases:delete"])
                .unwrap_err()
                .contains("cases:delete")
        );
        assert!(parse_scopes([""]).is_err());
        assert_eq!(parse_ttl("90d").unwrap(), time::Duration::days(90));
        assert_eq!(parse_ttl("P30D").unwrap(), time::Duration::days(30));
        assert_eq!(parse_ttl("12h").unwrap(), time::Duration::hours(12));
        assert!(parse_ttl("0d").is_err());
        assert!(parse_ttl("soon").is_err());
    }
}
