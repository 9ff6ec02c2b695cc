//! Signing and verifying receipts. `okienko receipt verify` uses the same code offline.

use jsonwebtoken::jwk::JwkSet;
use jsonwebtoken::{Algorithm, DecodingKey, Header, Validation};

use super::{Keystore, ReceiptClaims};

pub fn sign(keys: &Keystore, claims: &ReceiptClaims) -> anyhow::Result<String> {
    let (kid, key) = keys.active()?;
    let mut header = Header::new(Algorithm::EdDSA);
    header.kid = Some(kid);
    header.typ = Some("okienko-receipt+jwt".into());
    Ok(jsonwebtoken::encode(&header, claims, &key)?)
}

#[derive(Debug, thiserror::Error)]
pub enum VerifyError {
    #[error("not a compact JWS: {0}")]
    Malformed(String),
    #[error("the receipt names key `{0}`, which is not in the published key set")]
    UnknownKey(String),
    #[error("the receipt names no key id")]
    NoKeyId,
    #[error("the signature does not verify: {0}")]
    BadSignature(String),
    #[error("the key set is not a JWK Set: {0}")]
    BadJwks(String),
}

/// Verifies `jws` against `jwks` (a JWK Set document) and returns what it attests.
pub fn verify(jws: &str, jwks: &serde_json::Value) -> Result<ReceiptClaims, VerifyError> {
    verify_claims(jws, jwks)
}

/// The `typ` a JWS names in its header (`okienko-receipt+jwt`, `okienko-evidence+jwt`).
pub fn typ_of(jws: &str) -> Option<String> {
    jsonwebtoken::decode_header(jws.trim()).ok()?.typ
}

/// Verifies any okienko JWS (receipt or evidence) and returns its claims as `T`.
pub fn verify_claims<T: serde::de::DeserializeOwned>(
    jws: &str,
    jwks: &serde_json::Value,
) -> Result<T, VerifyError> {
    Published::parse(jwks)?.claims(jws)
}

/// A JWK Set parsed once, for checking many signatures (`okienko verify`).
pub struct Published(JwkSet);

impl Published {
    pub fn parse(jwks: &serde_json::Value) -> Result<Self, VerifyError> {
        serde_json::from_value(jwks.clone())
            .map(Self)
            .map_err(|e| VerifyError::BadJwks(e.to_string()))
    }

    /// Verifies `jws` against these keys and returns its claims as `T`.
    pub fn claims<T: serde::de::DeserializeOwned>(&self, jws: &str) -> Result<T, VerifyError> {
        let header = jsonwebtoken::decode_header(jws.trim())
            .map_err(|e| VerifyError::Malformed(e.to_string()))?;
        let kid = header.kid.ok_or(VerifyError::NoKeyId)?;
        let jwk = self
            .0
            .find(&kid)
            .ok_or_else(|| VerifyError::UnknownKey(kid.clone()))?;
        let key = DecodingKey::from_jwk(jwk).map_err(|e| VerifyError::BadJwks(e.to_string()))?;
        let mut v = Validation::new(Algorithm::EdDSA);
        v.validate_exp = false;
        v.validate_aud = false;
        v.required_spec_claims = ["iss", "sub", "iat"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        jsonwebtoken::decode::<T>(jws.trim(), &key, &v)
            .map(|d| d.claims)
            .map_err(|e| VerifyError::BadSignature(e.to_string()))
    }
}

/// Reads the JWS from a file holding either the compact form or a receipt JSON with `jws`.
pub fn extract_jws(text: &str) -> String {
    serde_json::from_str::<serde_json::Value>(text)
        .ok()
        .and_then(|v| {
            v.get("jws")
                .or_else(|| v.get("receipt").and_then(|r| r.get("jws")))
                .and_then(|j| j.as_str())
                .map(str::to_owned)
        })
        .unwrap_or_else(|| text.trim().to_owned())
}
