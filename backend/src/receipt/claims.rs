//! What a receipt attests, and the canonical digest of a submission.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha3::{Digest, Sha3_256};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReceiptClaims {
    /// The okienko instance (its public URL) that issued the receipt.
    pub iss: String,
    /// The receipt id.
    pub sub: String,
    pub iat: i64,
    pub receipt_id: String,
    pub submission_id: String,
    pub authority: Authority,
    pub applicant: Applicant,
    pub service: ServiceRef,
    /// The legal time of filing (RFC 3339, UTC).
    pub filed_at: String,
    /// When this receipt was generated (RFC 3339, UTC).
    pub generated_at: String,
    pub digest: Digest3,
    pub attachments: Vec<AttachmentRef>,
    /// The register entry and case this submission became.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub registration: Option<Registration>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Registration {
    /// Number in the incoming register, `N/YYYY`.
    pub register_no: String,
    /// `UNIT.JRWA.SEQ.YEAR`.
    pub case_sign: String,
    /// The day the case must be settled by (before any pause or extension).
    pub due_on: String,
    /// With the case sign, opens the public status lookup (status and dates only).
    pub access_code: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Authority {
    pub name: String,
    pub ade: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Applicant {
    /// Name as identified, or `null` for an anonymous filing.
    pub name: Option<String>,
    pub pesel: Option<String>,
    /// The level of assurance of the identity used (`none` when anonymous).
    pub level: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ServiceRef {
    pub id: String,
    pub version: u32,
    pub title: String,
    pub definition_hash: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Digest3 {
    pub alg: String,
    /// SHA3-256 of the canonical JSON of the submission data (keys sorted, no spaces).
    pub submission: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AttachmentRef {
    pub field: String,
    pub name: String,
    pub size: u64,
    pub sha3_256: String,
}

/// JSON with object keys sorted at every level and no insignificant whitespace.
pub fn canonical_json(v: &Value) -> String {
    fn sort(v: &Value) -> Value {
        match v {
            Value::Object(o) => {
                let mut keys: Vec<&String> = o.keys().collect();
                keys.sort();
                Value::Object(keys.into_iter().map(|k| (k.clone(), sort(&o[k]))).collect())
            }
            Value::Array(a) => Value::Array(a.iter().map(sort).collect()),
            other => other.clone(),
        }
    }
    sort(v).to_string()
}

pub fn sha3_hex(bytes: &[u8]) -> String {
    crate::forms::catalogue::hex(&Sha3_256::digest(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn canonical_json_ignores_key_order() {
        let a = json!({"b": 1, "a": {"y": [1, {"d": 2, "c": 3}], "x": "z"}});
        let b = json!({"a": {"x": "z", "y": [1, {"c": 3, "d": 2}]}, "b": 1});
        assert_eq!(canonical_json(&a), canonical_json(&b));
        assert_eq!(
            canonical_json(&a),
            r#"{"a":{"x":"z","y":[1,{"c":3,"d":2}]},"b":1}"#
        );
    }

    #[test]
    fn sha3_of_empty_input() {
        assert_eq!(
            sha3_hex(b""),
            "a7ffc6f8bf1ed76651c14756a061d662f580ff4de43b49fa82d80a4b80f8434a"
        );
    }
}
