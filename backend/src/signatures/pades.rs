//! PAdES (ETSI EN 319 142-1): a PDF's signature dictionary names the byte ranges it signs
//! (`/ByteRange [0 a b c]`, everything but the hole holding `/Contents <hex>`) and carries a
//! detached CMS SignedData (RFC 5652) in `/Contents`. The signature verified is the one
//! whose ranges reach the end of the file; a file with more bytes after every signature's
//! ranges was changed after signing. No PDF library is needed for this: the ranges are
//! found by their key and checked against the file's layout.

use cms::content_info::ContentInfo;
use cms::signed_data::{SignedData, SignerIdentifier, SignerInfo};
use const_oid::ObjectIdentifier;
use time::OffsetDateTime;
use x509_cert::Certificate;
use x509_cert::der::asn1::OctetString;
use x509_cert::der::{Decode, Encode};

use super::x509::{Hash, scheme_of, verify_with};
use super::{
    Carried, Failure, Format, Times, TrustStore, Verification, conclude, failed, timestamp,
};

const SIGNED_DATA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.7.2");
const DATA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.7.1");
const CONTENT_TYPE: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.3");
const MESSAGE_DIGEST: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.4");
const SIGNING_TIME: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.5");

/// The four numbers of a `/ByteRange` and the CMS bytes of its `/Contents`.
#[derive(Debug, PartialEq, Eq)]
pub struct Signed<'a> {
    pub ranges: [usize; 4],
    pub cms: Vec<u8>,
    pub first: &'a [u8],
    pub second: &'a [u8],
}

/// The signature whose ranges end at the file's end.
pub fn extract(pdf: &[u8]) -> Result<Signed<'_>, Failure> {
    const KEY: &[u8] = b"/ByteRange";
    let mut found_any = false;
    let mut at = 0;
    while let Some(pos) = find(&pdf[at..], KEY).map(|p| p + at) {
        at = pos + KEY.len();
        let Some(ranges) = parse_ranges(&pdf[at..]) else {
            continue;
        };
        found_any = true;
        let [a, b, c, d] = ranges;
        if a != 0 || c.checked_add(d) != Some(pdf.len()) {
            continue;
        }
        if b + 1 >= c || c > pdf.len() || pdf.get(b) != Some(&b'<') || pdf.get(c - 1) != Some(&b'>')
        {
            return Err(Failure::Malformed(
                "zakres /ByteRange nie wskazuje pola /Contents".into(),
            ));
        }
        let hex = &pdf[b + 1..c - 1];
        let raw = decode_hex(hex)
            .ok_or_else(|| Failure::Malformed("/Contents nie jest zapisem szesnastkowym".into()))?;
        let len = der_length(&raw)
            .ok_or_else(|| Failure::Malformed("/Contents nie zawiera struktury CMS".into()))?;
        return Ok(Signed {
            ranges,
            cms: raw[..len].to_vec(),
            first: &pdf[..b],
            second: &pdf[c..],
        });
    }
    Err(if found_any {
        Failure::NotCovered
    } else {
        Failure::NoSignature
    })
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// `[n n n n]` after optional whitespace.
fn parse_ranges(s: &[u8]) -> Option<[usize; 4]> {
    let s = s.get(..s.len().min(128))?;
    let text = std::str::from_utf8(s.split(|b| *b == b']').next()?).ok()?;
    let inner = text.trim_start().strip_prefix('[')?;
    let nums: Vec<usize> = inner
        .split_ascii_whitespace()
        .map(|n| n.parse().ok())
        .collect::<Option<_>>()?;
    nums.try_into().ok()
}

fn decode_hex(hex: &[u8]) -> Option<Vec<u8>> {
    let digits: Vec<u8> = hex
        .iter()
        .copied()
        .filter(|b| !b.is_ascii_whitespace())
        .collect();
    let val = |b: u8| (b as char).to_digit(16).map(|d| d as u8);
    digits
        .chunks(2)
        .map(|p| Some(val(p[0])? << 4 | val(*p.get(1).unwrap_or(&b'0'))?))
        .collect()
}

/// The length of the DER value at the start of `raw` (its tag, length and contents): the
/// rest of `/Contents` is zero padding.
fn der_length(raw: &[u8]) -> Option<usize> {
    let first = *raw.get(1)?;
    let (len, head) = if first < 0x80 {
        (usize::from(first), 2)
    } else {
        let n = usize::from(first & 0x7f);
        if n == 0 || n > 4 {
            return None;
        }
        let mut len = 0usize;
        for b in raw.get(2..2 + n)? {
            len = len << 8 | usize::from(*b);
        }
        (len, 2 + n)
    };
    let total = head.checked_add(len)?;
    (total <= raw.len()).then_some(total)
}

pub fn verify(pdf: &[u8], trust: &TrustStore, now: OffsetDateTime) -> Verification {
    let signed = match extract(pdf) {
        Ok(s) => s,
        Err(f) => return failed(Format::Pades, f),
    };
    let mut data = Vec::with_capacity(signed.first.len() + signed.second.len());
    data.extend_from_slice(signed.first);
    data.extend_from_slice(signed.second);
    verify_cms(&signed.cms, &data, trust, now)
}

/// A detached CMS SignedData over `content`: one signer, with signed attributes.
pub fn verify_cms(
    der: &[u8],
    content: &[u8],
    trust: &TrustStore,
    now: OffsetDateTime,
) -> Verification {
    let malformed = |what: &str| failed(Format::Pades, Failure::Malformed(what.into()));
    let Ok(ci) = ContentInfo::from_der(der) else {
        return malformed("CMS ContentInfo");
    };
    if ci.content_type != SIGNED_DATA {
        return malformed("CMS nie jest SignedData");
    }
    let Ok(sd) = ci.content.decode_as::<SignedData>() else {
        return malformed("CMS SignedData");
    };
    let pool = certificates_of(&sd);
    let Some(si) = sd.signer_infos.0.iter().next() else {
        return malformed("CMS bez podpisującego");
    };
    let Some(leaf) = pool.iter().find(|c| identifies(&si.sid, c)) else {
        return malformed("brak certyfikatu podpisującego w podpisie");
    };
    let signing_time = signed_attr(si, SIGNING_TIME)
        .and_then(|v| x509_cert::time::Time::from_der(&v.to_der().ok()?).ok())
        .and_then(|t| {
            OffsetDateTime::from_unix_timestamp(i64::try_from(t.to_unix_duration().as_secs()).ok()?)
                .ok()
        });
    let crls: Vec<x509_cert::crl::CertificateList> = sd
        .crls
        .iter()
        .flat_map(|s| s.0.iter())
        .filter_map(|c| match c {
            cms::revocation::RevocationInfoChoice::Crl(c) => Some(c.clone()),
            cms::revocation::RevocationInfoChoice::Other(_) => None,
        })
        .collect();
    let checks = check_signer(si, leaf, content, DATA);
    // PAdES-T: the signature timestamp over the signature value (EN 319 142-1 § 5.4); the
    // first one, as the attribute may be repeated
    let stamp = si
        .unsigned_attrs
        .iter()
        .flat_map(|a| a.iter())
        .filter(|a| a.oid == timestamp::SIGNATURE_TIME_STAMP)
        .find_map(|a| a.values.iter().next())
        .map(|token| match token.to_der() {
            Ok(der) => timestamp::verify(&der, si.signature.as_bytes(), trust),
            Err(_) => Err(Failure::TimestampInvalid(
                "nie udało się odczytać znacznika".into(),
            )),
        });
    let carried = Carried {
        certs: &pool,
        crls: &crls,
    };
    conclude(
        Format::Pades,
        leaf,
        carried,
        trust,
        Times {
            signing_time,
            stamp,
            now,
        },
        checks,
    )
}

/// The certificates a SignedData carries.
pub(crate) fn certificates_of(sd: &SignedData) -> Vec<Certificate> {
    sd.certificates
        .iter()
        .flat_map(|s| s.0.iter())
        .filter_map(|c| match c {
            cms::cert::CertificateChoices::Certificate(c) => Some(c.clone()),
            _ => None,
        })
        .collect()
}

pub(crate) fn identifies(sid: &SignerIdentifier, cert: &Certificate) -> bool {
    match sid {
        SignerIdentifier::IssuerAndSerialNumber(isn) => {
            isn.issuer == cert.tbs_certificate.issuer
                && isn.serial_number == cert.tbs_certificate.serial_number
        }
        SignerIdentifier::SubjectKeyIdentifier(ski) => cert
            .tbs_certificate
            .extensions
            .iter()
            .flatten()
            .filter(|e| e.extn_id == ObjectIdentifier::new_unwrap("2.5.29.14"))
            .filter_map(|e| OctetString::from_der(e.extn_value.as_bytes()).ok())
            .any(|o| o.as_bytes() == ski.0.as_bytes()),
    }
}

fn signed_attr(si: &SignerInfo, id: ObjectIdentifier) -> Option<&x509_cert::der::Any> {
    si.signed_attrs
        .as_ref()?
        .iter()
        .find(|a| a.oid == id)
        .and_then(|a| a.values.iter().next())
}

/// The content's digest against the `messageDigest` attribute, then the signature over
/// the signed attributes (RFC 5652 § 5.4: their DER as a SET OF); `content_type` is what
/// the `contentType` attribute must name (id-data for a document, id-ct-TSTInfo for a
/// timestamp).
pub(crate) fn check_signer(
    si: &SignerInfo,
    leaf: &Certificate,
    content: &[u8],
    content_type: ObjectIdentifier,
) -> Result<(), Failure> {
    let hash = Hash::from_oid(&si.digest_alg.oid)?;
    let Some(attrs) = si.signed_attrs.as_ref() else {
        // PAdES requires signed attributes (EN 319 142-1 § 5.1)
        return Err(Failure::Malformed(
            "podpis bez podpisanych atrybutów".into(),
        ));
    };
    let claimed_type =
        signed_attr(si, CONTENT_TYPE).and_then(|v| v.decode_as::<ObjectIdentifier>().ok());
    if claimed_type != Some(content_type) {
        return Err(Failure::Malformed("atrybut contentType".into()));
    }
    let claimed = signed_attr(si, MESSAGE_DIGEST)
        .and_then(|v| v.decode_as::<OctetString>().ok())
        .ok_or_else(|| Failure::Malformed("brak atrybutu messageDigest".into()))?;
    if claimed.as_bytes() != hash.digest(content).as_slice() {
        return Err(Failure::DigestMismatch);
    }
    let signed = attrs
        .to_der()
        .map_err(|_| Failure::Malformed("podpisane atrybuty".into()))?;
    let scheme = scheme_of(&si.signature_algorithm, Some(hash))?;
    verify_with(leaf, scheme, &signed, si.signature.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn der_length_reads_short_and_long_forms_and_refuses_what_runs_past() {
        assert_eq!(der_length(&[0x30, 0x03, 1, 2, 3, 0, 0]), Some(5));
        assert_eq!(der_length(&[0x30, 0x82, 0x00, 0x02, 1, 2, 0]), Some(6));
        assert_eq!(der_length(&[0x30, 0x05, 1]), None);
        assert_eq!(der_length(&[0x30, 0x80]), None);
        assert_eq!(der_length(&[]), None);
    }

    #[test]
    fn byte_ranges_must_reach_the_end_of_the_file() {
        let short = b"%PDF-1.7 /ByteRange [0 34 40 10] /Contents <3000>xx";
        assert_eq!(extract(short).err(), Some(Failure::NotCovered));
        assert_eq!(
            extract(b"%PDF-1.7 nothing").err(),
            Some(Failure::NoSignature)
        );
    }

    #[test]
    fn a_range_that_misses_the_contents_is_malformed() {
        let pdf = b"%PDF-1.7 /ByteRange [0 5 10 38] /Contents <3000>";
        assert_eq!(pdf.len(), 48);
        assert!(matches!(extract(pdf), Err(Failure::Malformed(_))));
    }
}
