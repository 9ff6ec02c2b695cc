//! Signed participation documents (a consultation's report, a budget's protocol, a ballot's
//! receipt): a JWS (EdDSA, the keys published at `/.well-known/jwks.json`) whose claims name
//! the SHA3-256 of the document's canonical JSON without its `jws`, so `okienko receipt
//! verify document.json` checks both the signature and that the content is what was signed.

use serde::Serialize;
use serde_json::Value;

use crate::receipt::Keystore;
use crate::receipt::claims::{canonical_json, sha3_hex};

/// The digest a document's claims must name: everything but its `jws`.
pub fn digest(document: &Value) -> String {
    let mut body = document.clone();
    if let Some(o) = body.as_object_mut() {
        o.remove("jws");
    }
    sha3_hex(canonical_json(&body).as_bytes())
}

/// A compact JWS of `claims` with the active key, its header naming `typ`.
pub fn sign<C: Serialize>(keys: &Keystore, typ: &str, claims: &C) -> anyhow::Result<String> {
    use jsonwebtoken::{Algorithm, Header};
    let (kid, key) = keys.active()?;
    let mut h = Header::new(Algorithm::EdDSA);
    h.kid = Some(kid);
    h.typ = Some(typ.into());
    Ok(jsonwebtoken::encode(&h, claims, &key)?)
}
