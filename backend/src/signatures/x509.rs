//! Certificates: who they name, when they are valid, whose key signed them, and the chain
//! from a signer's certificate to a trust anchor. Signatures are checked with `ring`
//! (already in the tree for the key-encryption key): RSA PKCS#1 v1.5 and PSS of 2048 to
//! 8192 bits, ECDSA on P-256 and P-384, each with SHA-256/384/512. SHA-1 is refused.

use const_oid::ObjectIdentifier;
use ring::signature::{self as sig, VerificationAlgorithm};
use time::OffsetDateTime;
use x509_cert::Certificate;
use x509_cert::der::{Decode, Encode, Tagged};
use x509_cert::ext::pkix::BasicConstraints;

use super::trust::TrustStore;
use super::{Failure, Kind, Signer};

/// The object identifiers this module reads.
pub mod oid {
    use const_oid::ObjectIdentifier as O;
    pub const RSA: O = O::new_unwrap("1.2.840.113549.1.1.1");
    pub const RSA_SHA256: O = O::new_unwrap("1.2.840.113549.1.1.11");
    pub const RSA_SHA384: O = O::new_unwrap("1.2.840.113549.1.1.12");
    pub const RSA_SHA512: O = O::new_unwrap("1.2.840.113549.1.1.13");
    pub const RSA_PSS: O = O::new_unwrap("1.2.840.113549.1.1.10");
    pub const EC: O = O::new_unwrap("1.2.840.10045.2.1");
    pub const ECDSA_SHA256: O = O::new_unwrap("1.2.840.10045.4.3.2");
    pub const ECDSA_SHA384: O = O::new_unwrap("1.2.840.10045.4.3.3");
    pub const ECDSA_SHA512: O = O::new_unwrap("1.2.840.10045.4.3.4");
    pub const P256: O = O::new_unwrap("1.2.840.10045.3.1.7");
    pub const P384: O = O::new_unwrap("1.3.132.0.34");
    pub const SHA256: O = O::new_unwrap("2.16.840.1.101.3.4.2.1");
    pub const SHA384: O = O::new_unwrap("2.16.840.1.101.3.4.2.2");
    pub const SHA512: O = O::new_unwrap("2.16.840.1.101.3.4.2.3");
    pub const CN: O = O::new_unwrap("2.5.4.3");
    pub const SURNAME: O = O::new_unwrap("2.5.4.4");
    pub const SERIAL: O = O::new_unwrap("2.5.4.5");
    pub const COUNTRY: O = O::new_unwrap("2.5.4.6");
    pub const ORG: O = O::new_unwrap("2.5.4.10");
    pub const GIVEN: O = O::new_unwrap("2.5.4.42");
    pub const BASIC_CONSTRAINTS: O = O::new_unwrap("2.5.29.19");
}

/// A digest algorithm both CMS and XML-DSig name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hash {
    Sha256,
    Sha384,
    Sha512,
}

impl Hash {
    pub fn from_oid(o: &ObjectIdentifier) -> Result<Self, Failure> {
        match *o {
            oid::SHA256 => Ok(Self::Sha256),
            oid::SHA384 => Ok(Self::Sha384),
            oid::SHA512 => Ok(Self::Sha512),
            other => Err(Failure::UnsupportedAlgorithm(other.to_string())),
        }
    }

    pub fn digest(self, data: &[u8]) -> Vec<u8> {
        let alg = match self {
            Self::Sha256 => &ring::digest::SHA256,
            Self::Sha384 => &ring::digest::SHA384,
            Self::Sha512 => &ring::digest::SHA512,
        };
        ring::digest::digest(alg, data).as_ref().to_vec()
    }
}

/// How a signature value is laid out and padded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scheme {
    RsaPkcs1(Hash),
    RsaPss(Hash),
    /// ECDSA with the signature as DER (CMS, certificates) or as `r || s` (XML-DSig).
    Ecdsa {
        hash: Hash,
        fixed: bool,
    },
}

/// Checks `signature` over `message` with the key of `cert`.
pub fn verify_with(
    cert: &Certificate,
    scheme: Scheme,
    message: &[u8],
    signature: &[u8],
) -> Result<(), Failure> {
    let spki = &cert.tbs_certificate.subject_public_key_info;
    let key = spki.subject_public_key.raw_bytes();
    let alg: &dyn VerificationAlgorithm = match (scheme, spki.algorithm.oid) {
        (Scheme::RsaPkcs1(h), oid::RSA) => match h {
            Hash::Sha256 => &sig::RSA_PKCS1_2048_8192_SHA256,
            Hash::Sha384 => &sig::RSA_PKCS1_2048_8192_SHA384,
            Hash::Sha512 => &sig::RSA_PKCS1_2048_8192_SHA512,
        },
        (Scheme::RsaPss(h), oid::RSA) => match h {
            Hash::Sha256 => &sig::RSA_PSS_2048_8192_SHA256,
            Hash::Sha384 => &sig::RSA_PSS_2048_8192_SHA384,
            Hash::Sha512 => &sig::RSA_PSS_2048_8192_SHA512,
        },
        (Scheme::Ecdsa { hash, fixed }, oid::EC) => {
            let curve = spki
                .algorithm
                .parameters
                .as_ref()
                .and_then(|p| p.decode_as::<ObjectIdentifier>().ok());
            match (curve, hash, fixed) {
                (Some(oid::P256), Hash::Sha256, false) => &sig::ECDSA_P256_SHA256_ASN1,
                (Some(oid::P256), Hash::Sha384, false) => &sig::ECDSA_P256_SHA384_ASN1,
                (Some(oid::P384), Hash::Sha256, false) => &sig::ECDSA_P384_SHA256_ASN1,
                (Some(oid::P384), Hash::Sha384, false) => &sig::ECDSA_P384_SHA384_ASN1,
                (Some(oid::P256), Hash::Sha256, true) => &sig::ECDSA_P256_SHA256_FIXED,
                (Some(oid::P384), Hash::Sha384, true) => &sig::ECDSA_P384_SHA384_FIXED,
                (curve, hash, _) => {
                    return Err(Failure::UnsupportedAlgorithm(format!(
                        "ECDSA {hash:?} na krzywej {}",
                        curve.map_or("?".into(), |c| c.to_string())
                    )));
                }
            }
        }
        (_, key_alg) => {
            return Err(Failure::UnsupportedAlgorithm(format!(
                "{scheme:?} z kluczem {key_alg}"
            )));
        }
    };
    sig::UnparsedPublicKey::new(alg, key)
        .verify(message, signature)
        .map_err(|_| Failure::BadSignature)
}

/// The scheme an X.509/CMS `AlgorithmIdentifier` names; `digest` is the CMS signer's
/// digest algorithm, for the identifiers that name only the key type.
pub fn scheme_of(
    alg: &spki::AlgorithmIdentifierOwned,
    digest: Option<Hash>,
) -> Result<Scheme, Failure> {
    let need = || digest.ok_or_else(|| Failure::UnsupportedAlgorithm(alg.oid.to_string()));
    Ok(match alg.oid {
        oid::RSA_SHA256 => Scheme::RsaPkcs1(Hash::Sha256),
        oid::RSA_SHA384 => Scheme::RsaPkcs1(Hash::Sha384),
        oid::RSA_SHA512 => Scheme::RsaPkcs1(Hash::Sha512),
        oid::RSA => Scheme::RsaPkcs1(need()?),
        oid::ECDSA_SHA256 => Scheme::Ecdsa {
            hash: Hash::Sha256,
            fixed: false,
        },
        oid::ECDSA_SHA384 => Scheme::Ecdsa {
            hash: Hash::Sha384,
            fixed: false,
        },
        oid::EC => Scheme::Ecdsa {
            hash: need()?,
            fixed: false,
        },
        oid::RSA_PSS => {
            let der = alg
                .parameters
                .as_ref()
                .and_then(|p| p.to_der().ok())
                .ok_or_else(|| Failure::UnsupportedAlgorithm("RSA-PSS bez parametrów".into()))?;
            let params = pkcs1::RsaPssParams::from_der(&der)
                .map_err(|_| Failure::UnsupportedAlgorithm("RSA-PSS: parametry".into()))?;
            let hash = Hash::from_oid(&params.hash.oid)?;
            // ring checks PSS with the salt as long as the hash, as RFC 8017 recommends
            let salt = match hash {
                Hash::Sha256 => 32,
                Hash::Sha384 => 48,
                Hash::Sha512 => 64,
            };
            if usize::from(params.salt_len) != salt {
                return Err(Failure::UnsupportedAlgorithm(format!(
                    "RSA-PSS z solą {} bajtów",
                    params.salt_len
                )));
            }
            Scheme::RsaPss(hash)
        }
        other => return Err(Failure::UnsupportedAlgorithm(other.to_string())),
    })
}

/// Whether `issuer`'s key signed `cert`.
pub fn issued_by(cert: &Certificate, issuer: &Certificate) -> bool {
    if cert.tbs_certificate.issuer != issuer.tbs_certificate.subject {
        return false;
    }
    let Ok(tbs) = cert.tbs_certificate.to_der() else {
        return false;
    };
    let Some(signature) = cert.signature.as_bytes() else {
        return false;
    };
    scheme_of(&cert.signature_algorithm, None)
        .and_then(|s| verify_with(issuer, s, &tbs, signature))
        .is_ok()
}

fn is_ca(cert: &Certificate) -> bool {
    cert.tbs_certificate
        .extensions
        .iter()
        .flatten()
        .find(|e| e.extn_id == oid::BASIC_CONSTRAINTS)
        .and_then(|e| BasicConstraints::from_der(e.extn_value.as_bytes()).ok())
        .is_some_and(|b| b.ca)
}

/// The chain from `leaf` through certificates of `pool` (those the signature carries) to
/// an anchor of `trust`, leaf first, with the anchor's kind; or the part found and why it
/// stops. An intermediate of the pool must be a CA; an anchor is trusted as configured.
/// Only the signers' anchors count: a timestamping service's never anchors a signer.
pub fn chain(
    leaf: &Certificate,
    pool: &[Certificate],
    trust: &TrustStore,
) -> (Vec<Certificate>, Result<Kind, Failure>) {
    let (path, kind) = chain_to(
        leaf,
        pool,
        |c| trust.anchor_kind_of(c),
        |c| trust.issuer_of(c),
    );
    (path, kind.ok_or(Failure::UntrustedChain))
}

/// The chain from a TSA's certificate to a timestamping anchor (`TrustStore::tsa_anchors`),
/// and whether it reached one.
pub fn tsa_chain(
    tsa: &Certificate,
    pool: &[Certificate],
    trust: &TrustStore,
) -> (Vec<Certificate>, bool) {
    let anchors = trust.tsa_anchors();
    let (path, reached) = chain_to(
        tsa,
        pool,
        |c| anchors.contains(c).then_some(()),
        |c| anchors.iter().find(|a| issued_by(c, a)).map(|a| (a, ())),
    );
    (path, reached.is_some())
}

fn chain_to<'t, K>(
    leaf: &Certificate,
    pool: &[Certificate],
    anchor_of: impl Fn(&Certificate) -> Option<K>,
    anchor_issuer_of: impl Fn(&Certificate) -> Option<(&'t Certificate, K)>,
) -> (Vec<Certificate>, Option<K>) {
    let mut path = vec![leaf.clone()];
    for _ in 0..8 {
        let Some(current) = path.last() else { break };
        if let Some(kind) = anchor_of(current) {
            return (path, Some(kind));
        }
        if let Some((anchor, kind)) = anchor_issuer_of(current) {
            path.push(anchor.clone());
            return (path, Some(kind));
        }
        let next = pool
            .iter()
            .find(|c| *c != current && is_ca(c) && !path.contains(c) && issued_by(current, c));
        match next {
            Some(n) => path.push(n.clone()),
            None => break,
        }
    }
    (path, None)
}

/// A certificate's validity as times.
pub fn validity(cert: &Certificate) -> (OffsetDateTime, OffsetDateTime) {
    let v = &cert.tbs_certificate.validity;
    (time_of(v.not_before), time_of(v.not_after))
}

/// An X.509 time (UTCTime or GeneralizedTime) as a time.
pub fn time_of(t: x509_cert::time::Time) -> OffsetDateTime {
    let secs = i64::try_from(t.to_unix_duration().as_secs()).unwrap_or(i64::MAX);
    OffsetDateTime::from_unix_timestamp(secs).unwrap_or(OffsetDateTime::UNIX_EPOCH)
}

/// The first certificate of `path` not valid at `at`.
pub fn expired(path: &[Certificate], at: OffsetDateTime) -> Result<(), Failure> {
    for c in path {
        let (from, until) = validity(c);
        if at < from || at > until {
            return Err(Failure::Expired {
                subject: subject(c),
                not_before: from,
                not_after: until,
            });
        }
    }
    Ok(())
}

fn text_of(v: &x509_cert::der::Any) -> String {
    // BMPString is UTF-16; the others this reads (UTF8, Printable, IA5, Teletex as
    // Latin-1 is rare in PL certificates) are bytes of text
    if v.tag() == x509_cert::der::Tag::BmpString {
        let units: Vec<u16> = v
            .value()
            .chunks(2)
            .map(|c| u16::from_be_bytes([c[0], *c.get(1).unwrap_or(&0)]))
            .collect();
        return String::from_utf16_lossy(&units);
    }
    String::from_utf8_lossy(v.value()).into_owned()
}

fn attr(name: &x509_cert::name::Name, id: ObjectIdentifier) -> Option<String> {
    name.0
        .iter()
        .flat_map(|rdn| rdn.0.iter())
        .find(|a| a.oid == id)
        .map(|a| text_of(&a.value))
}

/// A distinguished name as `CN=…, O=…, C=…` (most specific first), in plain UTF-8.
pub fn subject(cert: &Certificate) -> String {
    name_string(&cert.tbs_certificate.subject)
}

pub fn name_string(name: &x509_cert::name::Name) -> String {
    let label = |o: ObjectIdentifier| match o {
        oid::CN => "CN".to_owned(),
        oid::SURNAME => "SN".to_owned(),
        oid::GIVEN => "GN".to_owned(),
        oid::SERIAL => "serialNumber".to_owned(),
        oid::COUNTRY => "C".to_owned(),
        oid::ORG => "O".to_owned(),
        o => o.to_string(),
    };
    name.0
        .iter()
        .rev()
        .flat_map(|rdn| rdn.0.iter())
        .map(|a| format!("{}={}", label(a.oid), text_of(&a.value)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Who a certificate names: its common name (or given name and surname), and its
/// `serialNumber` attribute: a PESEL when it is the ETSI EN 319 412-1 `PNOPL-` identifier.
pub fn signer(cert: &Certificate) -> Signer {
    let name = &cert.tbs_certificate.subject;
    let full = attr(name, oid::CN).unwrap_or_else(|| {
        [attr(name, oid::GIVEN), attr(name, oid::SURNAME)]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" ")
    });
    let serial = attr(name, oid::SERIAL);
    let pesel = serial
        .as_deref()
        .and_then(|s| s.strip_prefix("PNOPL-"))
        .filter(|p| crate::domain::pesel::Pesel::parse(p).is_ok())
        .map(str::to_owned);
    Signer {
        name: full,
        serial: if pesel.is_some() { None } else { serial },
        pesel,
    }
}
