//! Signed documents (docs/signatures.md): a PDF with a PAdES signature or an XML document
//! with a XAdES one, checked against the trust anchors the gmina configures: the EU trusted
//! list (qualified signatures and seals), the trusted profile's roots (podpis zaufany) and
//! the personal ID card's (podpis osobisty). Pure: bytes and anchors in, a `Verification`
//! out; the filing records it in the case's history (`filing.rs`).
//!
//! What is checked, in order, and the first failure is the result: the signed data's
//! digest, the signature over it with the signer's certificate, the chain to an anchor,
//! every certificate of the chain valid at the signing time, and none of them revoked on a
//! current CRL of its issuer (`revocation.rs`: the CRLs the signature carries and the
//! gmina's `crl_dir`; without one for some certificate the signature holds and its
//! revocation is recorded as not checked). A signature timestamp (PAdES-T, XAdES-T;
//! `timestamp.rs`) is verified after the signature: an invalid one refuses it, a valid
//! one's `genTime` is the time the chain's validity is checked at, and a certificate
//! revoked after it does not refuse the signature. Not checked: OCSP, archive timestamps;
//! the trusted list's own signature only at the start (`trust::check_list_signature`).

pub mod c14n;
pub mod live;
pub mod pades;
pub mod report;
pub mod revocation;
pub mod timestamp;
pub mod trust;
pub mod x509;
pub mod xades;

use serde::Serialize;
use time::OffsetDateTime;

pub use live::LiveTrust;
pub use revocation::Revocation;
pub use timestamp::Timestamp;
pub use trust::TrustStore;

/// Which anchor the signer's chain reached.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// A qualified electronic signature or seal (eIDAS art. 3 pkt 12 and 27): the chain
    /// reaches a qualified CA service of the trusted list.
    Qualified,
    /// Podpis zaufany (ustawa o informatyzacji, the definition in art. 3): the ministry's seal over the
    /// person's data, in `PodpisZP`.
    TrustedProfile,
    /// Podpis osobisty (ustawa o dowodach osobistych, the definition in art. 2): the ID card's key.
    Personal,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Qualified => "qualified",
            Self::TrustedProfile => "trusted_profile",
            Self::Personal => "personal",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [Self::Qualified, Self::TrustedProfile, Self::Personal]
            .into_iter()
            .find(|k| k.as_str() == s)
    }

    pub fn label_pl(self) -> &'static str {
        match self {
            Self::Qualified => "kwalifikowany podpis elektroniczny",
            Self::TrustedProfile => "podpis zaufany",
            Self::Personal => "podpis osobisty",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Format {
    Pades,
    Xades,
}

/// Who signed, as the certificate (or, for the trusted profile, the signed `PodpisZP`)
/// names them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Signer {
    pub name: String,
    pub pesel: Option<String>,
    /// The certificate's `serialNumber` attribute when it is not a PESEL.
    pub serial: Option<String>,
}

/// Why a signature does not hold.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Failure {
    #[error("Plik nie zawiera podpisu elektronicznego (PAdES w PDF ani XAdES w XML).")]
    NoSignature,
    #[error("Nie udało się odczytać podpisu: {0}.")]
    Malformed(String),
    #[error("Podpis nie obejmuje całego dokumentu: po podpisaniu coś do niego dopisano.")]
    NotCovered,
    #[error(
        "Podpis obejmuje tylko część dokumentu XML; podpisany musi być cały dokument (podpis otaczany albo otaczający cały dokument)."
    )]
    PartlySigned,
    #[error("Dokument zmieniono po podpisaniu: skrót podpisanych danych się nie zgadza.")]
    DigestMismatch,
    #[error("Podpis nie zgadza się z kluczem certyfikatu podpisującego.")]
    BadSignature,
    #[error("Certyfikat w podpisie nie jest tym, który wskazują podpisane właściwości XAdES.")]
    SigningCertificateMismatch,
    #[error(
        "Certyfikatu podpisującego nie wystawił zaufany dostawca (lista zaufanych usług, podpis zaufany ani podpis osobisty)."
    )]
    UntrustedChain,
    #[error("Certyfikat „{subject}” nie był ważny w chwili podpisu (ważny od {} do {}).", date(*.not_before), date(*.not_after))]
    Expired {
        subject: String,
        not_before: OffsetDateTime,
        not_after: OffsetDateTime,
    },
    /// On its issuer's current CRL: refused whatever the revocation date, as the signing
    /// time is the signer's claim, unless a valid signature timestamp predates the
    /// revocation (`revocation.rs`).
    #[error("Certyfikat „{subject}” unieważniono {} (jest na liście unieważnionych certyfikatów wystawcy); podpis złożony tym certyfikatem nie jest ważny.", date(*.revoked_at))]
    Revoked {
        subject: String,
        revoked_at: OffsetDateTime,
    },
    #[error("Nieobsługiwany algorytm: {0}.")]
    UnsupportedAlgorithm(String),
    /// The signature timestamp (PAdES-T, XAdES-T) does not hold: the signature carries a
    /// claim of a trusted time that cannot be relied on.
    #[error("Znacznik czasu podpisu jest nieważny: {0}.")]
    TimestampInvalid(String),
}

fn date(t: OffsetDateTime) -> String {
    let d = t.date();
    format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day())
}

impl Failure {
    /// A stable code for the history and the API's field error.
    pub fn code(&self) -> &'static str {
        match self {
            Self::NoSignature => "no_signature",
            Self::Malformed(_) => "malformed",
            Self::NotCovered => "not_covered",
            Self::PartlySigned => "partly_signed",
            Self::DigestMismatch => "digest_mismatch",
            Self::BadSignature => "bad_signature",
            Self::SigningCertificateMismatch => "signing_certificate_mismatch",
            Self::UntrustedChain => "untrusted_chain",
            Self::Expired { .. } => "expired",
            Self::Revoked { .. } => "revoked",
            Self::UnsupportedAlgorithm(_) => "unsupported_algorithm",
            Self::TimestampInvalid(_) => "timestamp_invalid",
        }
    }
}

/// What was verified: the record kept in the case's history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verification {
    pub format: Format,
    pub signer: Signer,
    pub signing_time: Option<OffsetDateTime>,
    /// Subjects from the signer's certificate up to the anchor (or as far as it went).
    pub chain: Vec<String>,
    /// The anchor's kind, when the chain reached one.
    pub kind: Option<Kind>,
    /// What the CRLs said of the chain; none when an earlier check failed.
    pub revocation: Option<Revocation>,
    /// The signature timestamp, when the signature carries one and it holds.
    pub timestamp: Option<Timestamp>,
    pub result: Result<(), Failure>,
}

impl Verification {
    pub fn valid(&self) -> bool {
        self.result.is_ok()
    }

    /// The history's record of it.
    pub fn to_json(&self) -> serde_json::Value {
        let rfc3339 = |t: OffsetDateTime| {
            t.format(&time::format_description::well_known::Rfc3339)
                .unwrap_or_default()
        };
        serde_json::json!({
            "format": self.format,
            "kind": self.kind,
            "signer": self.signer,
            "signing_time": self.signing_time.map(rfc3339),
            "chain": self.chain,
            "revocation": self.revocation.as_ref().map(|r| serde_json::json!({
                "status": r.status.as_str(),
                "crls": r.crls.iter().map(|e| serde_json::json!({
                    "certificate": e.certificate,
                    "issuer": e.issuer,
                    "this_update": rfc3339(e.this_update),
                    "next_update": e.next_update.map(rfc3339),
                })).collect::<Vec<_>>(),
                "unchecked": r.unchecked,
                "revoked_after_timestamp": r.revoked_after_timestamp.iter().map(|l| serde_json::json!({
                    "certificate": l.certificate,
                    "revoked_at": rfc3339(l.revoked_at),
                })).collect::<Vec<_>>(),
            })),
            "timestamp": self.timestamp.as_ref().map(|t| serde_json::json!({
                "gen_time": rfc3339(t.gen_time),
                "tsa": t.tsa,
            })),
            "result": match &self.result { Ok(()) => "valid", Err(f) => f.code() },
            "message": match &self.result { Ok(()) => "Podpis ważny.".to_owned(), Err(f) => f.to_string() },
        })
    }
}

/// A failure before anything about the signer is known.
fn failed(format: Format, f: Failure) -> Verification {
    Verification {
        format,
        signer: Signer::default(),
        signing_time: None,
        chain: Vec::new(),
        kind: None,
        revocation: None,
        timestamp: None,
        result: Err(f),
    }
}

/// Verifies a signed file: a PDF by its PAdES signature, an XML document by its XAdES.
/// `now` is the time a signature that names none is checked at.
pub fn verify(bytes: &[u8], trust: &TrustStore, now: OffsetDateTime) -> Verification {
    let head = bytes.get(..1024).unwrap_or(bytes);
    if head.windows(5).any(|w| w == b"%PDF-") {
        pades::verify(bytes, trust, now)
    } else if std::str::from_utf8(head)
        .map(|s| {
            s.trim_start_matches('\u{feff}')
                .trim_start()
                .starts_with('<')
        })
        .unwrap_or(false)
    {
        xades::verify(bytes, trust, now)
    } else {
        failed(Format::Pades, Failure::NoSignature)
    }
}

/// Base64 as XML carries it: with line breaks and spaces.
pub(crate) fn base64_loose(s: &str) -> Result<Vec<u8>, base64::DecodeError> {
    use base64::Engine;
    let clean: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    base64::engine::general_purpose::STANDARD.decode(clean)
}

/// What a signature carries beside its signer's certificate.
pub(crate) struct Carried<'a> {
    /// The certificates (a pool to build the chain from).
    pub certs: &'a [x509_cert::Certificate],
    /// The CRLs (the CMS `crls`, XAdES `RevocationValues`).
    pub crls: &'a [x509_cert::crl::CertificateList],
}

/// The times a verification reads.
pub(crate) struct Times {
    /// The signer's claimed signing time (the signed attributes).
    pub signing_time: Option<OffsetDateTime>,
    /// The signature timestamp's verification, when the signature carries one.
    pub stamp: Option<Result<Timestamp, Failure>>,
    /// The verification time (the filing's).
    pub now: OffsetDateTime,
}

/// The result of a checked chain and signature, common to both formats. A signature
/// timestamp is looked at once the signature holds: an invalid one refuses it, a valid
/// one's `genTime` is the time the chain's validity is checked at (the claimed signing
/// time otherwise, now without one) and the proof of existence revocation reads.
/// Revocation is checked at `now`, the verification time: a CRL is evidence while it is
/// current.
pub(crate) fn conclude(
    format: Format,
    leaf: &x509_cert::Certificate,
    carried: Carried<'_>,
    trust: &TrustStore,
    times: Times,
    checks: Result<(), Failure>,
) -> Verification {
    let Times {
        signing_time,
        stamp,
        now,
    } = times;
    let (path, anchored) = x509::chain(leaf, carried.certs, trust);
    let mut revocation = None;
    let mut timestamp = None;
    let result = checks
        .and_then(|()| match stamp {
            Some(Ok(t)) => {
                timestamp = Some(t);
                Ok(())
            }
            Some(Err(f)) => Err(f),
            None => Ok(()),
        })
        .and_then(|()| anchored.clone().map(|_| ()))
        .and_then(|()| {
            let at = timestamp
                .as_ref()
                .map(|t| t.gen_time)
                .or(signing_time)
                .unwrap_or(now);
            x509::expired(&path, at)
        })
        .and_then(|()| {
            let crls = carried
                .crls
                .iter()
                .take(revocation::MAX_EMBEDDED)
                .chain(trust.crls());
            let stamped = timestamp.as_ref().map(|t| t.gen_time);
            let (found, result) = revocation::check(&path, crls, now, stamped);
            revocation = Some(found);
            result
        });
    Verification {
        format,
        signer: x509::signer(leaf),
        signing_time,
        chain: path.iter().map(x509::subject).collect(),
        kind: anchored.ok(),
        revocation,
        timestamp,
        result,
    }
}

#[cfg(test)]
mod tests;
