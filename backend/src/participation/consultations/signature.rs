//! The report is signed like a receipt: a JWS (EdDSA, the keys published at
//! `/.well-known/jwks.json`) over the SHA3-256 of its canonical JSON, so anyone can check
//! with `okienko receipt verify report.json` that the published report is the one the office
//! signed. The JWS travels in the report as `jws`; the digest covers everything else.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::receipt::Keystore;

pub const REPORT_TYPE: &str = "okienko-consultation-report+jwt";

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ReportClaims {
    pub iss: String,
    /// The consultation id.
    pub sub: String,
    pub iat: i64,
    pub subject: String,
    /// When the report was published (RFC 3339, UTC).
    pub published_at: String,
    pub comments: usize,
    pub answers: u64,
    /// SHA3-256 of the report's canonical JSON without `jws`.
    pub report_sha3_256: String,
}

/// The digest a report's claims must name.
pub use crate::participation::signing::digest;

/// Signs `report` and returns it with its `jws`.
pub fn sign(keys: &Keystore, issuer: &str, mut report: Value) -> anyhow::Result<Value> {
    let now = time::OffsetDateTime::now_utc();
    let claims = ReportClaims {
        iss: issuer.to_owned(),
        sub: report["consultation_id"]
            .as_str()
            .unwrap_or_default()
            .to_owned(),
        iat: now.unix_timestamp(),
        subject: report["subject"].as_str().unwrap_or_default().to_owned(),
        published_at: report["published_at"]
            .as_str()
            .unwrap_or_default()
            .to_owned(),
        comments: report["comments"].as_array().map_or(0, Vec::len),
        answers: report["answers"].as_u64().unwrap_or(0),
        report_sha3_256: digest(&report),
    };
    report["jws"] = Value::String(crate::participation::signing::sign(
        keys,
        REPORT_TYPE,
        &claims,
    )?);
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_signed_report_verifies_and_a_changed_one_does_not_match() {
        let keys = Keystore::ephemeral().unwrap_or_else(|e| panic!("{e}"));
        let report = serde_json::json!({
            "consultation_id": "c1", "subject": "Tablice", "published_at": "2027-03-01T10:00:00Z",
            "answers": 2, "comments": [{"anchor": "§ 1", "position": "accepted"}]
        });
        let signed = sign(&keys, "https://okienko.example", report).unwrap_or_default();
        let jws = signed["jws"].as_str().unwrap_or_default();
        let claims: ReportClaims = crate::receipt::verify::verify_claims(jws, &keys.jwks())
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(claims.sub, "c1");
        assert_eq!(claims.comments, 1);
        assert_eq!(claims.report_sha3_256, digest(&signed));
        let mut changed = signed.clone();
        changed["comments"][0]["position"] = "rejected".into();
        assert_ne!(claims.report_sha3_256, digest(&changed));
    }
}
