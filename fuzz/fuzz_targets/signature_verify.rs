//! The verifier of signed attachments (`okienko::signatures::verify`, issue 20 §3) on
//! arbitrary bytes as the uploaded file: a PDF by its PAdES signature (the PDF's signature
//! dictionary, the CMS, the certificates, a PAdES-T's timestamp token), an XML document by
//! its XAdES (roxmltree, the canonicalisation, the references; the CRLs and the signature
//! timestamp it carries), against the test trust store of
//! `backend/tests/fixtures/signatures/` (its roots, its trusted list with its CA and TSA
//! services, its CA's CRL). A resident uploads these files; nothing may panic, and no
//! input may take long.
#![no_main]

use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use okienko::signatures::{Kind, TrustStore, verify};
use time::OffsetDateTime;

macro_rules! fixture {
    ($name:literal) => {
        include_bytes!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../backend/tests/fixtures/signatures/",
            $name
        ))
        .as_slice()
    };
}

static TRUST: LazyLock<TrustStore> = LazyLock::new(|| {
    let mut t = TrustStore::default();
    t.add_pem(fixture!("trust/trusted-profile.pem"), Kind::TrustedProfile)
        .expect("pz root");
    t.add_pem(fixture!("trust/personal.pem"), Kind::Personal)
        .expect("id root");
    let tsl = std::str::from_utf8(fixture!("trust/tsl.xml")).expect("utf-8");
    t.add_trusted_list(tsl).expect("tsl");
    // the qualified CA's CRL, so a chain that reaches it is looked up (`revocation.rs`)
    t.add_crl(fixture!("crl/qc-current.crl")).expect("crl");
    t
});

fuzz_target!(|data: &[u8]| {
    // the XAdES fixtures claim 2026-12-03 12:00; the CRL is current from 2026-12-01
    let now = OffsetDateTime::from_unix_timestamp(1_796_302_800).expect("a time");
    let _ = verify(data, &TRUST, now);
});
