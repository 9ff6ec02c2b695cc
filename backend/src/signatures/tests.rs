//! The verifier on the samples of `tests/fixtures/signatures/` (made by its `make.py` with
//! openssl and xmlsec1: a test CA listed in a test trusted list, a trusted-profile root and
//! an ID-card root).

use time::OffsetDateTime;
use time::macros::datetime;

use super::*;

macro_rules! fixture {
    ($name:literal) => {
        include_bytes!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/signatures/",
            $name
        ))
        .as_slice()
    };
}

pub fn trust() -> TrustStore {
    let mut t = TrustStore::default();
    t.add_pem(fixture!("trust/trusted-profile.pem"), Kind::TrustedProfile)
        .expect("pz root");
    t.add_pem(fixture!("trust/personal.pem"), Kind::Personal)
        .expect("id root");
    let tsl = std::str::from_utf8(fixture!("trust/tsl.xml")).expect("utf-8");
    assert_eq!(
        t.add_trusted_list(tsl).expect("tsl"),
        1,
        "only the granted CA/QC service"
    );
    t
}

const NOW: OffsetDateTime = datetime!(2026-12-03 13:00 UTC);

fn check(bytes: &[u8]) -> Verification {
    verify(bytes, &trust(), NOW)
}

#[test]
fn a_pades_signature_by_a_leaf_of_a_listed_ca_is_qualified_and_names_its_signer() {
    let v = check(fixture!("pades-valid.pdf"));
    assert_eq!(v.result, Ok(()), "{v:?}");
    assert_eq!(v.format, Format::Pades);
    assert_eq!(v.kind, Some(Kind::Qualified));
    assert_eq!(v.signer.name, "Jan Kowalski");
    assert_eq!(v.signer.pesel.as_deref(), Some("44051401359"));
    assert_eq!(v.chain.len(), 2);
    assert!(v.chain[0].starts_with("CN=Jan Kowalski"), "{:?}", v.chain);
    assert!(
        v.chain[1].contains("Testowe Centrum Kwalifikowane"),
        "{:?}",
        v.chain
    );
    assert!(v.signing_time.is_some());
}

#[test]
fn a_pdf_changed_after_signing_fails_on_its_digest() {
    let v = check(fixture!("pades-tampered.pdf"));
    assert_eq!(v.result, Err(Failure::DigestMismatch));
    // what is known of the signer is still recorded
    assert_eq!(v.signer.name, "Jan Kowalski");
}

#[test]
fn bytes_appended_after_the_signature_are_not_covered() {
    let mut pdf = fixture!("pades-valid.pdf").to_vec();
    pdf.extend_from_slice(b"1 0 obj\n<< >>\nendobj\n%%EOF\n");
    assert_eq!(check(&pdf).result, Err(Failure::NotCovered));
}

#[test]
fn a_changed_signature_value_is_a_bad_signature() {
    let pdf = fixture!("pades-valid.pdf");
    // the signature value is the last long OCTET STRING of the CMS: flip a hex digit near
    // the end of the CMS bytes inside /Contents
    let start = pdf
        .windows(11)
        .position(|w| w == b"/Contents <")
        .expect("contents")
        + 11;
    let hex_end = start + pdf[start..].iter().position(|b| *b == b'>').expect("end");
    let used = pdf[start..hex_end]
        .iter()
        .rposition(|b| *b != b'0')
        .expect("data");
    let mut bad = pdf.to_vec();
    let at = start + used - 4;
    bad[at] = if bad[at] == b'1' { b'2' } else { b'1' };
    assert_eq!(check(&bad).result, Err(Failure::BadSignature));
}

#[test]
fn a_certificate_expired_before_the_signing_time_fails() {
    let v = check(fixture!("pades-expired.pdf"));
    assert!(matches!(v.result, Err(Failure::Expired { .. })), "{v:?}");
    assert_eq!(v.result.as_ref().err().map(Failure::code), Some("expired"));
}

#[test]
fn a_self_made_certificate_is_untrusted_and_so_is_everything_without_anchors() {
    assert_eq!(
        check(fixture!("pades-untrusted.pdf")).result,
        Err(Failure::UntrustedChain)
    );
    let v = verify(fixture!("pades-valid.pdf"), &TrustStore::default(), NOW);
    assert_eq!(v.result, Err(Failure::UntrustedChain));
    assert_eq!(v.kind, None);
}

#[test]
fn a_pss_signature_under_the_id_card_root_is_personal() {
    let v = check(fixture!("pades-personal.pdf"));
    assert_eq!(v.result, Ok(()), "{v:?}");
    assert_eq!(v.kind, Some(Kind::Personal));
    assert_eq!(v.signer.name, "Maria Wiśniewska");
}

#[test]
fn an_enveloped_xades_with_exclusive_c14n_and_ecdsa_is_qualified() {
    let v = check(fixture!("xades-valid.xml"));
    assert_eq!(v.result, Ok(()), "{v:?}");
    assert_eq!(v.format, Format::Xades);
    assert_eq!(v.kind, Some(Kind::Qualified));
    assert_eq!(v.signer.name, "Anna Nowak");
    assert_eq!(v.signing_time, Some(datetime!(2026-12-03 12:00 UTC)));
}

#[test]
fn an_xml_document_changed_after_signing_fails_on_its_digest() {
    assert_eq!(
        check(fixture!("xades-tampered.xml")).result,
        Err(Failure::DigestMismatch)
    );
}

#[test]
fn a_trusted_profile_signature_names_the_person_of_its_signed_properties() {
    let v = check(fixture!("pz-valid.xml"));
    assert_eq!(v.result, Ok(()), "{v:?}");
    assert_eq!(v.kind, Some(Kind::TrustedProfile));
    assert_eq!(v.signer.name, "Jan Kowalski");
    assert_eq!(v.signer.pesel.as_deref(), Some("44051401359"));
    assert!(
        v.chain[0].contains("pieczęć podpisu zaufanego"),
        "{:?}",
        v.chain
    );
}

#[test]
fn a_trusted_profile_signature_with_changed_person_data_fails() {
    assert_eq!(
        check(fixture!("pz-tampered.xml")).result,
        Err(Failure::DigestMismatch)
    );
}

#[test]
fn the_persons_data_counts_only_under_the_trusted_profile_root() {
    // the same seal without the trusted profile's root configured: not trusted at all,
    // and the PodpisZP data is not taken as the signer
    let mut t = TrustStore::default();
    t.add_pem(fixture!("trust/personal.pem"), Kind::Personal)
        .expect("id root");
    let v = verify(fixture!("pz-valid.xml"), &t, NOW);
    assert_eq!(v.result, Err(Failure::UntrustedChain));
    assert_eq!(v.signer.name, "Testowa pieczęć podpisu zaufanego");
}

#[test]
fn files_without_a_signature_say_so() {
    assert_eq!(
        check(b"%PDF-1.7\n%%EOF\n").result,
        Err(Failure::NoSignature)
    );
    assert_eq!(check(b"<a><b/></a>").result, Err(Failure::NoSignature));
    assert_eq!(check(b"\x89PNG....").result, Err(Failure::NoSignature));
    assert!(matches!(
        check(b"<a><b></a>").result,
        Err(Failure::Malformed(_))
    ));
}

#[test]
fn a_doctype_is_refused_rather_than_expanded() {
    let xml = b"<?xml version=\"1.0\"?><!DOCTYPE a [<!ENTITY x \"y\">]><a>&x;</a>";
    assert!(matches!(check(xml).result, Err(Failure::Malformed(_))));
}

#[test]
fn the_history_record_names_the_result_and_the_polish_message() {
    let v = check(fixture!("xades-tampered.xml"));
    let j = v.to_json();
    assert_eq!(j["result"], "digest_mismatch");
    assert_eq!(j["format"], "xades");
    assert!(
        j["message"]
            .as_str()
            .is_some_and(|m| m.contains("zmieniono po podpisaniu"))
    );
    let ok = check(fixture!("pz-valid.xml")).to_json();
    assert_eq!(ok["result"], "valid");
    assert_eq!(ok["kind"], "trusted_profile");
    assert_eq!(ok["signer"]["pesel"], "44051401359");
}

#[test]
fn arbitrary_bytes_never_panic() {
    let valid = fixture!("pades-valid.pdf");
    for cut in [10, 100, 1000, valid.len() / 2, valid.len() - 10] {
        let _ = check(&valid[..cut]);
    }
    let xml = fixture!("xades-valid.xml");
    for cut in [10, 100, 1000, xml.len() / 2, xml.len() - 10] {
        let _ = check(&xml[..cut]);
    }
}

// --- revocation (`revocation.rs`) ---------------------------------------------------------

fn with_crl(crl: &[u8]) -> TrustStore {
    let mut t = trust();
    t.add_crl(crl).expect("crl");
    t
}

fn status(v: &Verification) -> Option<revocation::Status> {
    v.revocation.as_ref().map(|r| r.status)
}

#[test]
fn a_leaf_on_its_cas_crl_carried_in_the_cms_is_refused_as_revoked() {
    let v = check(fixture!("pades-revoked.pdf"));
    let Err(Failure::Revoked {
        subject,
        revoked_at,
    }) = &v.result
    else {
        panic!("{v:?}");
    };
    assert!(subject.starts_with("CN=Tomasz Odwołany"), "{subject}");
    assert_eq!(*revoked_at, datetime!(2026-11-20 09:30 UTC));
    assert_eq!(v.result.as_ref().err().map(Failure::code), Some("revoked"));
    let message = v
        .result
        .as_ref()
        .err()
        .map(Failure::to_string)
        .unwrap_or_default();
    assert!(
        message.contains("Tomasz Odwołany") && message.contains("unieważniono 2026-11-20"),
        "{message}"
    );
    assert_eq!(status(&v), Some(revocation::Status::Revoked));
    assert_eq!(v.to_json()["result"], "revoked");
    assert_eq!(v.to_json()["revocation"]["status"], "revoked");
}

#[test]
fn a_revocation_after_the_claimed_signing_time_still_refuses() {
    // the signer claims a signing time; the CRL dates the revocation 2026-11-20, and
    // without a timestamp nothing proves the signature older than that
    let v = verify(
        fixture!("pades-revoked-bare.pdf"),
        &with_crl(fixture!("crl/qc-current.crl")),
        NOW,
    );
    assert_eq!(v.result.as_ref().err().map(Failure::code), Some("revoked"));
}

#[test]
fn a_valid_leaf_with_its_cas_current_crl_is_checked_and_names_the_crl() {
    let v = verify(
        fixture!("pades-valid.pdf"),
        &with_crl(fixture!("crl/qc-current.crl")),
        NOW,
    );
    assert_eq!(v.result, Ok(()), "{v:?}");
    let r = v.revocation.as_ref().expect("revocation");
    assert_eq!(r.status, revocation::Status::Checked);
    assert!(r.unchecked.is_empty());
    assert_eq!(r.crls.len(), 1, "the leaf only: the CA is the anchor");
    assert!(r.crls[0].certificate.starts_with("CN=Jan Kowalski"));
    assert!(r.crls[0].issuer.contains("Testowe Centrum Kwalifikowane"));
    assert_eq!(r.crls[0].this_update, datetime!(2026-12-01 00:00 UTC));
    let j = v.to_json();
    assert_eq!(j["revocation"]["status"], "checked");
    assert_eq!(
        j["revocation"]["crls"][0]["this_update"],
        "2026-12-01T00:00:00Z"
    );
}

#[test]
fn without_a_crl_the_signature_holds_and_revocation_is_not_checked() {
    let v = check(fixture!("pades-valid.pdf"));
    assert_eq!(v.result, Ok(()));
    let r = v.revocation.as_ref().expect("revocation");
    assert_eq!(r.status, revocation::Status::NotChecked);
    assert!(r.unchecked[0].starts_with("CN=Jan Kowalski"), "{r:?}");
    assert_eq!(v.to_json()["revocation"]["status"], "not_checked");
    // an earlier failure leaves revocation out
    assert_eq!(check(fixture!("pades-tampered.pdf")).revocation, None);
}

#[test]
fn a_stale_forged_or_broken_crl_is_no_evidence() {
    let mut broken = fixture!("crl/qc-current.crl").to_vec();
    let last = broken.len() - 3;
    broken[last] ^= 0x01;
    for (what, crl) in [
        ("stale", fixture!("crl/qc-stale.crl").to_vec()),
        ("forged", fixture!("crl/qc-forged.crl").to_vec()),
        ("broken signature", broken),
    ] {
        let t = with_crl(&crl);
        // the revoked leaf is on the stale and the broken CRL, the valid one on the forged
        for sample in [
            fixture!("pades-revoked-bare.pdf"),
            fixture!("pades-valid.pdf"),
        ] {
            let v = verify(sample, &t, NOW);
            assert_eq!(v.result, Ok(()), "{what}: {v:?}");
            assert_eq!(
                status(&v),
                Some(revocation::Status::NotChecked),
                "{what}: {v:?}"
            );
        }
    }
}

#[test]
fn a_crl_counts_only_from_its_this_update() {
    let t = with_crl(fixture!("crl/qc-current.crl"));
    let before = datetime!(2026-11-30 23:00 UTC);
    let v = verify(fixture!("pades-revoked-bare.pdf"), &t, before);
    assert_eq!(v.result, Ok(()), "{v:?}");
    assert_eq!(status(&v), Some(revocation::Status::NotChecked));
}

#[test]
fn a_xades_crl_value_in_the_unsigned_properties_is_used() {
    let v = check(fixture!("xades-crl.xml"));
    assert_eq!(v.result, Ok(()), "{v:?}");
    assert_eq!(status(&v), Some(revocation::Status::Checked), "{v:?}");
    // garbage in EncapsulatedCRLValue is no evidence and no failure
    let xml = std::str::from_utf8(fixture!("xades-crl.xml")).expect("utf-8");
    let start = xml.find("<xades:EncapsulatedCRLValue>").expect("value") + 28;
    let end = xml.find("</xades:EncapsulatedCRLValue>").expect("end");
    let garbled = format!("{}AAAA{}", &xml[..start], &xml[end..]);
    let v = check(garbled.as_bytes());
    assert_eq!(v.result, Ok(()), "{v:?}");
    assert_eq!(status(&v), Some(revocation::Status::NotChecked));
}

#[test]
fn the_crl_directory_is_read_as_der_and_pem() {
    let dir = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/signatures/trust/crl"
    );
    let with_crls = |dir: &str| crate::config::Signatures {
        crl_dir: Some(dir.into()),
        ..Default::default()
    };
    let t = TrustStore::load(&with_crls(dir)).expect("load");
    assert_eq!(t.crls().len(), 1);
    assert!(TrustStore::load(&with_crls("/nonexistent")).is_err());
    assert!(TrustStore::default().add_crl(b"garbage").is_err());
}

/// A XAdES over one element of the document leaves the rest unsigned: refused, although
/// every reference's digest and the signature hold (xmlsec1 made it and verifies it).
#[test]
fn a_xades_signing_only_a_part_of_the_document_is_refused() {
    let v = check(fixture!("xades-partial.xml"));
    assert_eq!(v.result, Err(Failure::PartlySigned), "{v:?}");
    assert_eq!(
        v.result.as_ref().map_err(Failure::code),
        Err("partly_signed")
    );
    // the whole-document samples still hold
    assert_eq!(check(fixture!("xades-valid.xml")).result, Ok(()));
    assert_eq!(check(fixture!("pz-valid.xml")).result, Ok(()));
}

/// The trusted list's own signature (ETSI TS 119 612 clause 5.7): the operator's list
/// loads; the same list with a withdrawn service turned "granted" after signing, or the
/// list checked against another certificate, stops the start; the store built from the
/// signed list trusts what the unsigned one did.
#[test]
fn the_trusted_lists_own_signature_is_checked_against_its_operator() {
    let root = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/signatures/trust"
    );
    let settings = |list: &str, operator: &str| crate::config::Signatures {
        trusted_list: Some(format!("{root}/{list}").into()),
        trusted_list_operator: Some(format!("{root}/{operator}").into()),
        ..Default::default()
    };
    let t = TrustStore::load(&settings("tsl-signed.xml", "tsl-operator.pem")).expect("signed list");
    assert_eq!(t.len(), 1, "only the granted CA/QC service");
    assert_eq!(
        verify(fixture!("pades-valid.pdf"), &t, NOW).kind,
        Some(Kind::Qualified)
    );
    let tampered = TrustStore::load(&settings("tsl-signed-tampered.xml", "tsl-operator.pem"))
        .expect_err("a list changed after signing");
    assert!(
        format!("{tampered:#}").contains("digest_mismatch"),
        "{tampered:#}"
    );
    let other =
        TrustStore::load(&settings("tsl-signed.xml", "root-qc.pem")).expect_err("another operator");
    assert!(
        format!("{other:#}").contains("untrusted_chain"),
        "{other:#}"
    );
    // an unsigned list against an operator: no signature at all
    let unsigned =
        TrustStore::load(&settings("tsl.xml", "tsl-operator.pem")).expect_err("an unsigned list");
    assert!(
        format!("{unsigned:#}").contains("no_signature"),
        "{unsigned:#}"
    );
}

// --- signature timestamps (PAdES-T, XAdES-T; `timestamp.rs`) ------------------------------

const STAMPED: OffsetDateTime = datetime!(2026-12-02 10:00 UTC);

fn timestamp_failure(v: &Verification) -> String {
    match &v.result {
        Err(f @ Failure::TimestampInvalid(_)) => {
            assert_eq!(f.code(), "timestamp_invalid");
            assert!(v.timestamp.is_none(), "{v:?}");
            f.to_string()
        }
        other => panic!("not timestamp_invalid: {other:?}"),
    }
}

#[test]
fn the_trusted_lists_timestamping_service_is_a_separate_anchor() {
    let t = trust();
    assert_eq!(t.len(), 3, "the two roots and the CA/QC service");
    assert_eq!(t.tsa_anchors().len(), 1, "the granted TSA/QTST service");
    assert!(x509::subject(&t.tsa_anchors()[0]).contains("Testowe Centrum Znaczników Czasu"));
}

#[test]
fn a_pades_t_signature_records_the_tsas_gen_time() {
    let v = check(fixture!("pades-t.pdf"));
    assert_eq!(v.result, Ok(()), "{v:?}");
    assert_eq!(v.kind, Some(Kind::Qualified));
    let t = v.timestamp.as_ref().expect("a timestamp");
    assert_eq!(t.gen_time, STAMPED);
    assert!(t.tsa.starts_with("CN=Testowy Znacznik Czasu 1"), "{t:?}");
    let json = v.to_json();
    assert_eq!(json["timestamp"]["gen_time"], "2026-12-02T10:00:00Z");
    assert_eq!(json["timestamp"]["tsa"], t.tsa.as_str());
    // no timestamp: as before
    let plain = check(fixture!("pades-valid.pdf"));
    assert_eq!(plain.result, Ok(()));
    assert_eq!(plain.timestamp, None);
    assert!(plain.to_json()["timestamp"].is_null());
}

#[test]
fn a_xades_t_signature_records_its_timestamp_over_the_canonical_signature_value() {
    let v = check(fixture!("xades-t.xml"));
    assert_eq!(v.result, Ok(()), "{v:?}");
    assert_eq!(v.signer.name, "Anna Nowak");
    let t = v.timestamp.expect("a timestamp");
    assert_eq!(t.gen_time, STAMPED);
    assert!(t.tsa.contains("Testowy Znacznik Czasu 1"));
}

#[test]
fn a_timestamp_over_other_data_refuses_the_signature() {
    let msg = timestamp_failure(&check(fixture!("pades-t-mismatch.pdf")));
    assert!(
        msg.starts_with("Znacznik czasu podpisu jest nieważny"),
        "{msg}"
    );
    assert!(msg.contains("skrótem innych danych"), "{msg}");
}

#[test]
fn a_timestamp_changed_after_the_tsa_signed_it_refuses_the_signature() {
    let msg = timestamp_failure(&check(fixture!("pades-t-altered.pdf")));
    assert!(msg.contains("zmieniono po jego wystawieniu"), "{msg}");
}

#[test]
fn a_timestamp_of_a_tsa_no_trusted_list_names_refuses_the_signature() {
    let msg = timestamp_failure(&check(fixture!("pades-t-untrusted.pdf")));
    assert!(msg.contains("Nieznany Znacznik Czasu"), "{msg}");
    assert!(
        msg.contains("kwalifikowanych usług znacznika czasu"),
        "{msg}"
    );
    // nor is the listed TSA trusted without the list
    let mut roots_only = TrustStore::default();
    roots_only
        .add_pem(fixture!("trust/root-qc.pem"), Kind::Qualified)
        .expect("root");
    let v = verify(fixture!("pades-t.pdf"), &roots_only, NOW);
    assert!(
        matches!(v.result, Err(Failure::TimestampInvalid(_))),
        "{v:?}"
    );
}

#[test]
fn a_tsa_anchor_never_anchors_a_signer() {
    let v = check(fixture!("pades-tsa-signer.pdf"));
    assert_eq!(v.result, Err(Failure::UntrustedChain), "{v:?}");
    assert_eq!(v.kind, None);
}

#[test]
fn a_revocation_after_the_timestamp_no_longer_refuses_and_one_before_it_does() {
    let before = check(fixture!("pades-revoked-t-before.pdf"));
    assert_eq!(before.result, Ok(()), "{before:?}");
    assert_eq!(
        before.timestamp.as_ref().map(|t| t.gen_time),
        Some(datetime!(2026-11-10 08:00 UTC))
    );
    let r = before.revocation.as_ref().expect("looked up");
    assert_eq!(r.status, revocation::Status::Checked);
    assert_eq!(r.revoked_after_timestamp.len(), 1, "{r:?}");
    assert!(
        r.revoked_after_timestamp[0]
            .certificate
            .contains("Tomasz Odwołany")
    );
    assert_eq!(
        r.revoked_after_timestamp[0].revoked_at,
        datetime!(2026-11-20 09:30 UTC)
    );
    let json = before.to_json();
    assert_eq!(
        json["revocation"]["revoked_after_timestamp"][0]["revoked_at"],
        "2026-11-20T09:30:00Z"
    );

    let after = check(fixture!("pades-revoked-t-after.pdf"));
    assert!(
        matches!(after.result, Err(Failure::Revoked { .. })),
        "{after:?}"
    );
    assert_eq!(status(&after), Some(revocation::Status::Revoked));
}

#[test]
fn a_broken_xades_timestamp_refuses_the_signature() {
    let xml = std::str::from_utf8(fixture!("xades-t.xml")).expect("utf-8");
    let start = xml.find("<xades:EncapsulatedTimeStamp>").expect("a token")
        + "<xades:EncapsulatedTimeStamp>".len();
    let end = xml.find("</xades:EncapsulatedTimeStamp>").expect("its end");
    for replacement in ["", "!!!", "MIIB", &xml[start..start + (end - start) / 2]] {
        let broken = format!("{}{replacement}{}", &xml[..start], &xml[end..]);
        let v = check(broken.as_bytes());
        timestamp_failure(&v);
    }
    // an unknown canonicalisation for the timestamp
    let other = xml.replacen(
        "<ds:CanonicalizationMethod Algorithm=\"http://www.w3.org/2001/10/xml-exc-c14n#\"/><xades:EncapsulatedTimeStamp>",
        "<ds:CanonicalizationMethod Algorithm=\"urn:other\"/><xades:EncapsulatedTimeStamp>",
        1,
    );
    assert_ne!(other, xml);
    timestamp_failure(&check(other.as_bytes()));
}

#[test]
fn garbage_tokens_never_panic() {
    let xml = std::str::from_utf8(fixture!("xades-t.xml")).expect("utf-8");
    let start = xml.find("<xades:EncapsulatedTimeStamp>").expect("a token")
        + "<xades:EncapsulatedTimeStamp>".len();
    let end = xml.find("</xades:EncapsulatedTimeStamp>").expect("its end");
    let token = base64_loose(&xml[start..end]).expect("base64");
    let t = trust();
    for cut in (0..token.len()).step_by(13) {
        assert!(timestamp::verify(&token[..cut], b"x", &t).is_err());
    }
    for at in 0..token.len() {
        let mut bad = token.clone();
        bad[at] ^= 0x5a;
        assert!(
            timestamp::verify(&bad, b"x", &t).is_err(),
            "flipped at {at}"
        );
    }
}

#[test]
fn a_timestamp_whose_tsa_certificate_had_ended_at_gen_time_refuses_the_signature() {
    let msg = timestamp_failure(&check(fixture!("pades-t-expired-tsa.pdf")));
    assert!(msg.contains("Testowy Znacznik Czasu 0"), "{msg}");
    assert!(
        msg.contains("nie był ważny w chwili wystawienia znacznika"),
        "{msg}"
    );
}

/// The administrator's job replaces the CRLs of `crl_dir` while the node runs: the next look
/// at the directory reads them, a directory gone keeps the last read, a file cut short
/// holds no CRL (docs/signatures.md, Keeping `crl_dir` current).
#[test]
fn a_crl_put_into_crl_dir_counts_from_the_next_look_without_a_restart() {
    let dir = tempfile::tempdir().expect("dir");
    let crl_dir = dir.path().join("crl");
    std::fs::create_dir(&crl_dir).expect("crl dir");
    let live = LiveTrust::load(&crate::config::Signatures {
        trusted_list: Some(
            concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/tests/fixtures/signatures/trust/tsl.xml"
            )
            .into(),
        ),
        crl_dir: Some(crl_dir.clone()),
        ..Default::default()
    })
    .expect("load");
    let revoked = fixture!("pades-revoked-bare.pdf");
    let before = verify(revoked, &live.current(), NOW);
    assert_eq!(before.result, Ok(()), "{before:?}");
    assert_eq!(status(&before), Some(revocation::Status::NotChecked));
    assert_eq!(live.reload_crls().expect("look"), None, "nothing changed");

    std::fs::write(crl_dir.join("qc.crl"), fixture!("crl/qc-current.crl")).expect("write");
    assert_eq!(live.reload_crls().expect("look"), Some(1));
    let after = verify(revoked, &live.current(), NOW);
    assert_eq!(
        after.result.as_ref().err().map(Failure::code),
        Some("revoked")
    );
    assert_eq!(live.reload_crls().expect("look"), None, "read once");

    std::fs::rename(&crl_dir, dir.path().join("gone")).expect("move away");
    assert!(live.reload_crls().is_err());
    assert_eq!(live.current().crls().len(), 1, "the last read still counts");

    std::fs::create_dir(&crl_dir).expect("crl dir again");
    std::fs::write(crl_dir.join("qc.crl"), b"cut short").expect("write");
    assert_eq!(live.reload_crls().expect("look"), Some(0));
    let v = verify(revoked, &live.current(), NOW);
    assert_eq!(status(&v), Some(revocation::Status::NotChecked));
}

/// `okienko signatures check`: the anchors with their validity, each CRL with whether it
/// counts; a stale or forged CRL and an expired anchor are the problems it exits 1 on.
#[test]
fn the_check_report_names_what_counts_and_what_does_not() {
    let mut t = trust();
    t.add_crl(fixture!("crl/qc-current.crl")).expect("crl");
    let good = report::check(&t, NOW);
    assert_eq!(good.problems(), 0, "{good}");
    let crl = good.entries.iter().find(|e| e.what == "crl").expect("crl");
    assert!(
        crl.name.contains("Testowe Centrum Kwalifikowane"),
        "{crl:?}"
    );
    assert!(
        crl.detail
            .contains("1 revoked; counts (signed by the qualified anchor)"),
        "{crl:?}"
    );
    assert!(
        good.to_string().ends_with("4 anchors, 1 CRLs, 0 problems"),
        "{good}"
    );

    t.add_crl(fixture!("crl/qc-stale.crl")).expect("stale");
    t.add_crl(fixture!("crl/qc-forged.crl")).expect("forged");
    let bad = report::check(&t, NOW);
    assert_eq!(bad.problems(), 2, "{bad}");
    let text = bad.to_string();
    assert!(
        text.contains("has passed: download the issuer's current CRL"),
        "{text}"
    );
    assert!(text.contains("that anchor's key did not sign it"), "{text}");

    // in 2080 every test certificate has ended
    let late = report::check(&t, datetime!(2080-01-01 00:00 UTC));
    let expired = late
        .entries
        .iter()
        .filter(|e| e.what.starts_with("anchor") && e.problem.is_some())
        .count();
    assert_eq!(expired, 4, "{late}");
}
