//! Authentication: OpenID Connect login through the configured providers, the mapping of
//! their claims to identities and roles, and tokens for API clients. Sessions live in
//! `db::sessions`; the HTTP side is `web::auth`.

pub mod api_token;
pub mod claims;
pub mod oidc;
pub mod rate_limit;

use std::collections::BTreeMap;

use crate::config::{ProviderKind, Settings};
use crate::domain::identity::Identity;

pub use oidc::{LoginError, Oidc};

/// The providers in use, by name.
pub struct Providers(BTreeMap<String, Oidc>);

impl Providers {
    pub fn from_settings(settings: &Settings) -> anyhow::Result<Self> {
        let base = settings.base_url();
        let callback = format!("{base}/auth/callback");
        let mut map = BTreeMap::new();
        for (name, p) in settings.auth.providers(&base) {
            map.insert(name.clone(), Oidc::new(&name, p, &callback)?);
        }
        Ok(Self(map))
    }

    pub fn get(&self, name: &str) -> Option<&Oidc> {
        self.0.get(name)
    }

    /// The provider residents log in with: `national` if configured, else the first one
    /// for residents.
    pub fn residents(&self) -> Option<&Oidc> {
        self.0.get("national").or_else(|| {
            self.0
                .values()
                .find(|p| p.settings.kind == ProviderKind::Residents)
        })
    }

    pub fn iter(&self) -> impl Iterator<Item = &Oidc> {
        self.0.values()
    }
}

/// 32 random bytes, URL-safe base64: session tokens, owner tokens, codes.
pub fn random_token() -> String {
    use base64::Engine;
    let mut b = [0u8; 32];
    // getrandom only fails on platforms without an entropy source; a predictable token
    // would open other people's drafts, so stop the process rather than hand one out
    if let Err(e) = getrandom::fill(&mut b) {
        tracing::error!(error = %e, "no system randomness available; stopping");
        std::process::abort();
    }
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(b)
}

/// What the database keeps of a token: its SHA-256, never the token.
pub fn sha256_hex(s: &str) -> String {
    use sha2::Digest;
    crate::forms::catalogue::hex(&sha2::Sha256::digest(s.as_bytes()))
}

/// Equality whose time does not depend on where the first difference is (tokens,
/// signatures).
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The key an identity's drafts and submissions are stored under.
pub fn owner_of(identity: &Identity) -> String {
    sha256_hex(&format!("id:{}:{}", identity.provider, identity.subject))
}
