//! A ballot's receipt and an edition's protocol are signed like a filing's receipt
//! (`participation::signing`): `okienko receipt verify receipt.json` checks the office's
//! signature and that the document is the one it signed.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::participation::signing::{digest, sign};
use crate::receipt::Keystore;

pub const BALLOT_TYPE: &str = "okienko-budget-ballot+jwt";
pub const PROTOCOL_TYPE: &str = "okienko-budget-protocol+jwt";

/// What a budget document's signature attests.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct BudgetClaims {
    pub iss: String,
    /// The ballot's id, or the edition's for a protocol.
    pub sub: String,
    pub iat: i64,
    pub edition: String,
    pub title: String,
    /// A ballot's day, or when the protocol was published (RFC 3339, UTC).
    pub at: String,
    /// SHA3-256 of the document's canonical JSON without `jws`.
    pub document_sha3_256: String,
}

/// Signs `document` as `typ` and returns it with its `jws`. The document names `id`,
/// `edition_id`, `title` and `at`.
pub fn seal(
    keys: &Keystore,
    issuer: &str,
    typ: &str,
    mut document: Value,
) -> anyhow::Result<Value> {
    let field = |k: &str| document[k].as_str().unwrap_or_default().to_owned();
    let claims = BudgetClaims {
        iss: issuer.to_owned(),
        sub: field("id"),
        iat: time::OffsetDateTime::now_utc().unix_timestamp(),
        edition: field("edition_id"),
        title: field("title"),
        at: field("at"),
        document_sha3_256: digest(&document),
    };
    document["jws"] = Value::String(sign(keys, typ, &claims)?);
    Ok(document)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sealed_ballot_receipt_verifies_and_a_changed_one_does_not_match() {
        let keys = Keystore::ephemeral().unwrap_or_else(|e| panic!("{e}"));
        let doc = serde_json::json!({
            "id": "b1", "edition_id": "e1", "title": "BO 2027", "at": "2027-06-02",
            "choices": {"GMINA": [["p1", 1]]}
        });
        let sealed = seal(&keys, "https://okienko.example", BALLOT_TYPE, doc).unwrap_or_default();
        let jws = sealed["jws"].as_str().unwrap_or_default();
        assert_eq!(
            crate::receipt::verify::typ_of(jws).as_deref(),
            Some(BALLOT_TYPE)
        );
        let claims: BudgetClaims = crate::receipt::verify::verify_claims(jws, &keys.jwks())
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!((claims.sub.as_str(), claims.edition.as_str()), ("b1", "e1"));
        assert_eq!(claims.document_sha3_256, digest(&sealed));
        let mut changed = sealed.clone();
        changed["choices"]["GMINA"][0][0] = "p2".into();
        assert_ne!(claims.document_sha3_256, digest(&changed));
    }
}
