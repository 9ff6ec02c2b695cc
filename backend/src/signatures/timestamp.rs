//! Signature timestamps (RFC 3161 `TimeStampToken`): a trusted time at which the signature
//! existed, as PAdES-T carries it (the CMS signer's unsigned attribute
//! id-aa-signatureTimeStampToken, over the SignerInfo's signature value; EN 319 142-1 § 5.4)
//! and XAdES-T (`xades:SignatureTimeStamp/xades:EncapsulatedTimeStamp`, over the
//! `ds:SignatureValue` element after the timestamp's own `ds:CanonicalizationMethod`;
//! EN 319 132-1 § 5.3).
//!
//! A token holds when: it is a CMS SignedData whose content is a TSTInfo; its
//! `messageImprint` is the digest of what it stamps; its signature holds (the signed
//! attributes' `messageDigest` over the TSTInfo, the signature over them with the TSA's key,
//! as `pades::check_signer` checks a document's signer); the TSA's certificate has the
//! timeStamping purpose (RFC 3161 § 2.3) and chains to a timestamping anchor, a granted
//! TSA/QTST service of the trusted list (`TrustStore::tsa_anchors`, which never anchor a
//! signer); and every certificate of that chain was valid at `genTime`. Then `genTime`
//! replaces the signer's claimed signing time where it counts: the chain's validity and
//! revocation (a certificate revoked after it no longer refuses the signature: the
//! timestamp proves the signature existed before, EN 319 102-1's proof of existence).
//! The TSA certificate's own revocation is not looked up (docs/signatures.md).

use cms::content_info::ContentInfo;
use cms::signed_data::SignedData;
use const_oid::ObjectIdentifier;
use time::OffsetDateTime;
use x509_cert::Certificate;
use x509_cert::der::asn1::OctetString;
use x509_cert::der::{Any, Decode, Tag, Tagged};

use super::pades::{certificates_of, check_signer, identifies};
use super::x509::{self, Hash};
use super::{Failure, TrustStore};

/// id-aa-signatureTimeStampToken (RFC 3161 appendix A), the CMS unsigned attribute.
pub const SIGNATURE_TIME_STAMP: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.16.2.14");
/// id-ct-TSTInfo, the content type of a token.
pub const TST_INFO: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.16.1.4");
const SIGNED_DATA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.7.2");
const TIME_STAMPING: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.3.8");
const EXTENDED_KEY_USAGE: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.37");

/// A signature timestamp that holds: the trusted time and who vouches for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Timestamp {
    /// The TSTInfo's `genTime`.
    pub gen_time: OffsetDateTime,
    /// The subject of the TSA's certificate.
    pub tsa: String,
}

/// Verifies a `TimeStampToken` (DER) over `stamped`; what fails is named in the
/// `TimestampInvalid` failure.
pub fn verify(token: &[u8], stamped: &[u8], trust: &TrustStore) -> Result<Timestamp, Failure> {
    check(token, stamped, trust).map_err(Failure::TimestampInvalid)
}

fn check(token: &[u8], stamped: &[u8], trust: &TrustStore) -> Result<Timestamp, String> {
    let malformed = |what: &str| format!("nie udało się odczytać znacznika ({what})");
    let ci = ContentInfo::from_der(token).map_err(|_| malformed("CMS ContentInfo"))?;
    if ci.content_type != SIGNED_DATA {
        return Err(malformed("CMS nie jest SignedData"));
    }
    let sd = ci
        .content
        .decode_as::<SignedData>()
        .map_err(|_| malformed("CMS SignedData"))?;
    if sd.encap_content_info.econtent_type != TST_INFO {
        return Err(malformed("treść nie jest TSTInfo"));
    }
    let tst_der = sd
        .encap_content_info
        .econtent
        .as_ref()
        .and_then(|c| c.decode_as::<OctetString>().ok())
        .ok_or_else(|| malformed("brak TSTInfo"))?;
    let tst = parse_tst_info(tst_der.as_bytes()).ok_or_else(|| malformed("TSTInfo"))?;
    let hash = Hash::from_oid(&tst.hash_alg)
        .map_err(|_| format!("nieobsługiwany algorytm skrótu {}", tst.hash_alg))?;
    if hash.digest(stamped) != tst.imprint {
        return Err(
            "znacznik nie dotyczy tego podpisu (skrót w znaczniku jest skrótem innych danych)"
                .into(),
        );
    }
    let si = sd
        .signer_infos
        .0
        .iter()
        .next()
        .ok_or_else(|| malformed("brak podpisującego"))?;
    // RFC 3161 § 2.4.1: the TSA's certificate is in the token when the request asked for
    // it; otherwise it can only be one of the timestamping anchors themselves
    let pool = certificates_of(&sd);
    let tsa = pool
        .iter()
        .chain(trust.tsa_anchors())
        .find(|c| identifies(&si.sid, c))
        .ok_or_else(|| malformed("brak certyfikatu wystawcy znacznika"))?;
    check_signer(si, tsa, tst_der.as_bytes(), TST_INFO).map_err(|f| match f {
        Failure::DigestMismatch => {
            "treść znacznika zmieniono po jego wystawieniu (skrót podpisanej treści się nie zgadza)"
                .to_owned()
        }
        Failure::BadSignature => {
            "podpis znacznika nie zgadza się z kluczem certyfikatu jego wystawcy".to_owned()
        }
        Failure::UnsupportedAlgorithm(a) => {
            format!("nieobsługiwany algorytm podpisu znacznika {a}")
        }
        Failure::Malformed(m) => malformed(&m),
        other => other.to_string(),
    })?;
    let subject = x509::subject(tsa);
    if !time_stamping(tsa) {
        return Err(format!(
            "certyfikat „{subject}” nie służy do wystawiania znaczników czasu"
        ));
    }
    let (path, anchored) = x509::tsa_chain(tsa, &pool, trust);
    if !anchored {
        return Err(format!(
            "wystawcy znacznika („{subject}”) nie ma wśród kwalifikowanych usług znacznika czasu listy zaufanych usług"
        ));
    }
    if let Err(Failure::Expired { subject, .. }) = x509::expired(&path, tst.gen_time) {
        return Err(format!(
            "certyfikat „{subject}” nie był ważny w chwili wystawienia znacznika"
        ));
    }
    Ok(Timestamp {
        gen_time: tst.gen_time,
        tsa: subject,
    })
}

/// Whether the certificate's extended key usage names timeStamping (RFC 3161 § 2.3).
fn time_stamping(cert: &Certificate) -> bool {
    cert.tbs_certificate
        .extensions
        .iter()
        .flatten()
        .filter(|e| e.extn_id == EXTENDED_KEY_USAGE)
        .filter_map(|e| {
            x509_cert::ext::pkix::ExtendedKeyUsage::from_der(e.extn_value.as_bytes()).ok()
        })
        .any(|eku| eku.0.contains(&TIME_STAMPING))
}

/// What this reads of a TSTInfo (RFC 3161 § 2.4.2).
#[derive(Debug, PartialEq, Eq)]
struct TstInfo {
    hash_alg: ObjectIdentifier,
    imprint: Vec<u8>,
    gen_time: OffsetDateTime,
}

/// `TSTInfo ::= SEQUENCE { version, policy, messageImprint, serialNumber, genTime, … }`;
/// the optional fields after `genTime` (accuracy, ordering, nonce, tsa, extensions) are
/// not read.
fn parse_tst_info(der: &[u8]) -> Option<TstInfo> {
    let fields = Vec::<Any>::from_der(der).ok()?;
    let [version, policy, imprint, serial, gen_time, ..] = fields.as_slice() else {
        return None;
    };
    if version.tag() != Tag::Integer
        || policy.tag() != Tag::ObjectIdentifier
        || serial.tag() != Tag::Integer
    {
        return None;
    }
    let imprint = imprint.decode_as::<Vec<Any>>().ok()?;
    let [alg, digest] = imprint.as_slice() else {
        return None;
    };
    let alg = alg.decode_as::<spki::AlgorithmIdentifierOwned>().ok()?;
    let digest = digest.decode_as::<OctetString>().ok()?;
    if gen_time.tag() != Tag::GeneralizedTime {
        return None;
    }
    Some(TstInfo {
        hash_alg: alg.oid,
        imprint: digest.as_bytes().to_vec(),
        gen_time: generalized_time(gen_time.value())?,
    })
}

/// `YYYYMMDDHHMMSS[.f…]Z`: RFC 3161 allows a fraction of a second, which the `der` crate's
/// `GeneralizedTime` refuses; the fraction is dropped.
fn generalized_time(v: &[u8]) -> Option<OffsetDateTime> {
    let text = std::str::from_utf8(v).ok()?;
    let text = text.strip_suffix('Z')?;
    let (whole, fraction) = text.split_once('.').unwrap_or((text, "0"));
    if whole.len() != 14
        || !whole.bytes().all(|b| b.is_ascii_digit())
        || fraction.is_empty()
        || !fraction.bytes().all(|b| b.is_ascii_digit())
    {
        return None;
    }
    let num = |r: std::ops::Range<usize>| whole.get(r)?.parse::<u16>().ok();
    let month = time::Month::try_from(u8::try_from(num(4..6)?).ok()?).ok()?;
    let date = time::Date::from_calendar_date(
        i32::from(num(0..4)?),
        month,
        u8::try_from(num(6..8)?).ok()?,
    )
    .ok()?;
    let clock = time::Time::from_hms(
        u8::try_from(num(8..10)?).ok()?,
        u8::try_from(num(10..12)?).ok()?,
        u8::try_from(num(12..14)?).ok()?,
    )
    .ok()?;
    Some(date.with_time(clock).assume_utc())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gen_time_reads_with_and_without_a_fraction() {
        let t = generalized_time(b"20261202100000Z").expect("a time");
        assert_eq!(t, time::macros::datetime!(2026-12-02 10:00 UTC));
        assert_eq!(generalized_time(b"20261202100000.123Z"), Some(t));
        for bad in [
            &b"20261202100000"[..],
            b"2026120210000Z",
            b"20261302100000Z",
            b"20261202100000.Z",
            b"2026120210000aZ",
            b"",
            b"\xff\xfe",
        ] {
            assert_eq!(generalized_time(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn garbage_is_a_malformed_token_not_a_panic() {
        let trust = TrustStore::default();
        for bad in [
            &b""[..],
            b"\x30\x00",
            b"\x30\x84\xff\xff\xff\xff",
            b"not a token",
        ] {
            assert!(matches!(
                verify(bad, b"x", &trust),
                Err(Failure::TimestampInvalid(_))
            ));
        }
        assert_eq!(parse_tst_info(b"\x30\x00"), None);
        assert_eq!(parse_tst_info(b"\x30\x03\x02\x01\x01"), None);
    }
}
