//! `okienko receipt verify` on arbitrary bytes as the receipt file, against a fixed JWK Set
//! (one Ed25519 key, the one `fuzz/corpus/receipt_verify` was signed with): the JWS taken
//! from the file, its header and unverified claims read, the trust policy asked about its
//! `iss`, then the signature and claims checked by its `typ` as `backend/src/main.rs` does
//! (evidence, consultation report, budget ballot or protocol, filing receipt) and a signed
//! document's digest compared. Nothing may panic.
#![no_main]

use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use okienko::delivery::{EVIDENCE_TYPE, EvidenceClaims};
use okienko::participation::budget::signature::{BALLOT_TYPE, BudgetClaims, PROTOCOL_TYPE};
use okienko::participation::consultations::signature::{REPORT_TYPE, ReportClaims};
use okienko::receipt::{trust, verify};
use serde_json::Value;

/// The public half of the key whose private half is 32 bytes of 7 (`fuzz/README.md`).
static JWKS: LazyLock<Value> = LazyLock::new(|| {
    serde_json::json!({ "keys": [{
        "kty": "OKP", "crv": "Ed25519", "use": "sig", "alg": "EdDSA", "kid": "receipt-fuzz",
        "x": "6kpsY-KcUgq-9VB7Ey7F-ZVHdq6-vnuSQh7qaRRG0iw",
    }]})
});

fuzz_target!(|data: &[u8]| {
    // the command reads the file as UTF-8 and stops on anything else
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let jws = verify::extract_jws(text);
    let unverified = jsonwebtoken::dangerous::insecure_decode::<Value>(&jws)
        .map(|d| d.claims)
        .unwrap_or(Value::Null);
    let iss = unverified["iss"].as_str().unwrap_or("");
    let trusted = ["https://okienko.example".to_owned()];
    let policy = trust::Policy {
        trusted_issuers: &trusted,
        own_issuer: "https://okienko.example",
        allow_loopback_http: false,
    };
    let _ = trust::source(None, iss, &policy);
    let set = &*JWKS;
    let document = serde_json::from_str::<Value>(text)
        .ok()
        .filter(Value::is_object);
    match verify::typ_of(&jws).as_deref() {
        Some(EVIDENCE_TYPE) => {
            let _ = verify::verify_claims::<EvidenceClaims>(&jws, set);
        }
        Some(REPORT_TYPE) => {
            if let Ok(c) = verify::verify_claims::<ReportClaims>(&jws, set)
                && let Some(doc) = &document
            {
                let _ = okienko::participation::signing::digest(doc) == c.report_sha3_256;
            }
        }
        Some(BALLOT_TYPE | PROTOCOL_TYPE) => {
            if let Ok(c) = verify::verify_claims::<BudgetClaims>(&jws, set)
                && let Some(doc) = &document
            {
                let _ = okienko::participation::signing::digest(doc) == c.document_sha3_256;
            }
        }
        _ => {
            let _ = verify::verify(&jws, set);
        }
    }
});
