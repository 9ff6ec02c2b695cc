//! Revocation by certificate revocation lists (RFC 5280 § 5): every certificate of the
//! chain below the anchor is looked up on its issuer's CRLs, from wherever they come (the
//! CMS `crls` of a PAdES signature, the `xades:RevocationValues` of a XAdES one, the
//! gmina's `signatures.crl_dir`). A CRL counts only when its issuer name is the
//! certificate's issuer, its signature verifies with the issuer's key (the next
//! certificate of the chain), it is current at the verification time (thisUpdate ≤ now ≤
//! nextUpdate) and it has no critical extension (an issuing distribution point or a delta
//! CRL indicator narrows what it covers, which this module does not read: RFC 5280 § 5.2
//! says not to use such a CRL then). Anything else is no evidence either way.
//!
//! A certificate listed on a counted CRL is refused whatever the revocation date, unless a
//! signature timestamp that holds (`timestamp.rs`) proves the signature existed before the
//! revocation: without one the signing time is only the signer's claim, and a key revoked
//! because it leaked can sign with any claimed time. ETSI EN 319 102-1 reasons the same
//! way: a revoked signing certificate without a proof of existence of the signature
//! before the revocation is `REVOKED_NO_POE`, not a valid signature; with one (the
//! timestamp's `genTime` before the revocation date) the revocation does not touch it.

use time::OffsetDateTime;
use x509_cert::Certificate;
use x509_cert::crl::CertificateList;
use x509_cert::der::{Decode, Encode};

use super::Failure;
use super::x509::{scheme_of, subject, time_of, verify_with};

/// At most this many CRLs a signature carries are looked at: each costs a signature check.
pub const MAX_EMBEDDED: usize = 32;

/// Every CRL of `bytes`: one DER `CertificateList`, or PEM with any number of
/// `X509 CRL` blocks. What does not parse is left out; garbage gives none.
pub fn parse_all(bytes: &[u8]) -> Vec<CertificateList> {
    if let Ok(crl) = CertificateList::from_der(bytes) {
        return vec![crl];
    }
    let Ok(text) = std::str::from_utf8(bytes) else {
        return Vec::new();
    };
    const BEGIN: &str = "-----BEGIN X509 CRL-----";
    const END: &str = "-----END X509 CRL-----";
    let mut found = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find(BEGIN) {
        let body = &rest[start + BEGIN.len()..];
        let Some(end) = body.find(END) else { break };
        if let Some(crl) = super::base64_loose(&body[..end])
            .ok()
            .and_then(|der| CertificateList::from_der(&der).ok())
        {
            found.push(crl);
        }
        rest = &body[end + END.len()..];
    }
    found
}

/// The CRL that gave a certificate's status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Evidence {
    /// The certificate looked up.
    pub certificate: String,
    /// The CRL's issuer.
    pub issuer: String,
    pub this_update: OffsetDateTime,
    pub next_update: Option<OffsetDateTime>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Every certificate below the anchor had a current CRL of its issuer, none listing it.
    Checked,
    /// Some certificate had no current CRL: the signature holds as far as was checked.
    NotChecked,
    /// A certificate is on its issuer's CRL (`Failure::Revoked`).
    Revoked,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Checked => "checked",
            Self::NotChecked => "not_checked",
            Self::Revoked => "revoked",
        }
    }
}

/// What the CRLs said of a chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Revocation {
    pub status: Status,
    /// The CRL each certificate was looked up on (the newest counted), leaf first.
    pub crls: Vec<Evidence>,
    /// The certificates no current CRL covered.
    pub unchecked: Vec<String>,
    /// The certificates revoked after the signature timestamp's `genTime`: listed, but
    /// the timestamp proves the signature was made before.
    pub revoked_after_timestamp: Vec<RevokedLater>,
}

/// A certificate revoked after the trusted time of the signature.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RevokedLater {
    pub certificate: String,
    pub revoked_at: OffsetDateTime,
}

/// Looks up every certificate of `path` (leaf first, the anchor last, as `x509::chain`
/// gives it) below the anchor on the CRLs of `crls` that count at `now`. `stamped` is the
/// signature timestamp's `genTime` when one holds: a certificate revoked after it does not
/// refuse the signature.
pub fn check<'a>(
    path: &[Certificate],
    crls: impl IntoIterator<Item = &'a CertificateList>,
    now: OffsetDateTime,
    stamped: Option<OffsetDateTime>,
) -> (Revocation, Result<(), Failure>) {
    let crls: Vec<&CertificateList> = crls.into_iter().collect();
    let mut found = Revocation {
        status: Status::Checked,
        crls: Vec::new(),
        unchecked: Vec::new(),
        revoked_after_timestamp: Vec::new(),
    };
    for pair in path.windows(2) {
        let [cert, issuer] = pair else { continue };
        let counted: Vec<&CertificateList> = crls
            .iter()
            .copied()
            .filter(|crl| counts(crl, cert, issuer, now))
            .collect();
        let listed = counted.iter().find_map(|crl| {
            crl.tbs_cert_list
                .revoked_certificates
                .iter()
                .flatten()
                .find(|r| r.serial_number == cert.tbs_certificate.serial_number)
                .map(|r| (*crl, time_of(r.revocation_date)))
        });
        if let Some((crl, revoked_at)) = listed {
            found.crls.push(evidence(cert, crl));
            if stamped.is_some_and(|t| t < revoked_at) {
                found.revoked_after_timestamp.push(RevokedLater {
                    certificate: subject(cert),
                    revoked_at,
                });
                continue;
            }
            found.status = Status::Revoked;
            return (
                found,
                Err(Failure::Revoked {
                    subject: subject(cert),
                    revoked_at,
                }),
            );
        }
        match counted
            .iter()
            .max_by_key(|crl| time_of(crl.tbs_cert_list.this_update))
        {
            Some(newest) => found.crls.push(evidence(cert, newest)),
            None => {
                found.unchecked.push(subject(cert));
                found.status = Status::NotChecked;
            }
        }
    }
    (found, Ok(()))
}

fn evidence(cert: &Certificate, crl: &CertificateList) -> Evidence {
    let tbs = &crl.tbs_cert_list;
    Evidence {
        certificate: subject(cert),
        issuer: super::x509::name_string(&tbs.issuer),
        this_update: time_of(tbs.this_update),
        next_update: tbs.next_update.map(time_of),
    }
}

/// Whether `crl` is evidence of `cert`'s status: `issuer`'s, signed with its key,
/// current at `now`, covering every certificate of the issuer.
fn counts(
    crl: &CertificateList,
    cert: &Certificate,
    issuer: &Certificate,
    now: OffsetDateTime,
) -> bool {
    let tbs = &crl.tbs_cert_list;
    if tbs.issuer != cert.tbs_certificate.issuer {
        return false;
    }
    if time_of(tbs.this_update) > now || tbs.next_update.is_some_and(|n| time_of(n) < now) {
        return false;
    }
    !has_critical_extension(crl) && signed_by(crl, issuer)
}

/// A critical extension (an issuing distribution point, a delta CRL indicator) narrows what
/// the CRL covers; RFC 5280 § 5.2 says not to use it without reading it.
pub fn has_critical_extension(crl: &CertificateList) -> bool {
    crl.tbs_cert_list
        .crl_extensions
        .iter()
        .flatten()
        .any(|e| e.critical)
}

/// Whether `issuer`'s key signed `crl`.
pub fn signed_by(crl: &CertificateList, issuer: &Certificate) -> bool {
    let tbs = &crl.tbs_cert_list;
    // RFC 5280 § 5.1.1.2: the algorithm outside the signed part must be the one inside
    if crl.signature_algorithm != tbs.signature {
        return false;
    }
    let (Ok(signed), Some(signature)) = (tbs.to_der(), crl.signature.as_bytes()) else {
        return false;
    };
    scheme_of(&crl.signature_algorithm, None)
        .and_then(|s| verify_with(issuer, s, &signed, signature))
        .is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    const CURRENT: &[u8] = include_bytes!(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/signatures/crl/qc-current.crl"
    ));
    const PEM: &[u8] = include_bytes!(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/signatures/trust/crl/qc.crl"
    ));

    #[test]
    fn a_crl_reads_as_der_and_as_pem_blocks() {
        let der = parse_all(CURRENT);
        assert_eq!(der.len(), 1);
        assert_eq!(
            der[0]
                .tbs_cert_list
                .revoked_certificates
                .as_ref()
                .map(Vec::len),
            Some(1)
        );
        let mut two = PEM.to_vec();
        two.extend_from_slice(b"\nsome text between\n");
        two.extend_from_slice(PEM);
        assert_eq!(parse_all(&two), [der[0].clone(), der[0].clone()]);
    }

    #[test]
    fn garbage_gives_no_crl_and_no_panic() {
        assert!(parse_all(b"").is_empty());
        assert!(parse_all(b"not a crl").is_empty());
        assert!(parse_all(&[0x30, 0x84, 0xff, 0xff, 0xff, 0xff]).is_empty());
        assert!(parse_all(b"-----BEGIN X509 CRL-----\n!!!\n-----END X509 CRL-----").is_empty());
        assert!(parse_all(b"-----BEGIN X509 CRL-----\nMIIB").is_empty());
        for cut in (0..CURRENT.len()).step_by(7) {
            assert!(parse_all(&CURRENT[..cut]).is_empty(), "cut at {cut}");
        }
        // a flipped byte anywhere: it parses or it does not, and nothing panics
        for at in 0..CURRENT.len() {
            let mut bad = CURRENT.to_vec();
            bad[at] ^= 0x5a;
            let _ = parse_all(&bad);
        }
        let pem = std::str::from_utf8(PEM).expect("utf-8");
        for cut in (0..pem.len()).step_by(11) {
            let _ = parse_all(&PEM[..cut]);
        }
    }

    #[test]
    fn an_empty_chain_or_a_lone_anchor_has_nothing_to_look_up() {
        let (r, res) = check(&[], std::iter::empty(), OffsetDateTime::UNIX_EPOCH, None);
        assert_eq!(res, Ok(()));
        assert_eq!(r.status, Status::Checked);
        assert!(r.crls.is_empty() && r.unchecked.is_empty());
    }
}
