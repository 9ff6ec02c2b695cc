//! The trust anchors a gmina configures (`[signatures]` in the configuration,
//! docs/signatures.md): the EU trusted list as a file (ETSI TS 119 612), whose qualified
//! CA services' certificates anchor qualified signatures; and PEM files of the roots of the
//! trusted profile (podpis zaufany) and of the personal signature (podpis osobisty). Beside
//! the anchors, the CRLs of a directory the gmina keeps current (`crl_dir`): read at the
//! start and whenever it changes (`live.rs`), each checked against its issuer's key only
//! when a chain uses it (`revocation.rs`).

use std::path::Path;

use anyhow::Context;
use x509_cert::Certificate;
use x509_cert::crl::CertificateList;
use x509_cert::der::{Decode, Encode};

use super::Kind;
use time::OffsetDateTime;

/// A qualified CA service (ETSI TS 119 612 clause 5.5.1.1).
const CA_QC: &str = "http://uri.etsi.org/TrstSvc/Svctype/CA/QC";
/// A qualified timestamping service: its certificates anchor timestamps only.
const TSA_QTST: &str = "http://uri.etsi.org/TrstSvc/Svctype/TSA/QTST";
/// The statuses under which a service's certificates are trusted: `granted` (eIDAS) and
/// the two of the lists made before it.
const TRUSTED_STATUSES: [&str; 3] = [
    "http://uri.etsi.org/TrstSvc/TrustedList/Svcstatus/granted",
    "http://uri.etsi.org/TrstSvc/TrustedList/Svcstatus/accredited",
    "http://uri.etsi.org/TrstSvc/TrustedList/Svcstatus/undersupervision",
];

#[derive(Clone)]
struct Anchor {
    cert: Certificate,
    kind: Kind,
}

/// The anchors, by kind. Empty when nothing is configured: then no signature is trusted.
#[derive(Clone, Default)]
pub struct TrustStore {
    anchors: Vec<Anchor>,
    /// The certificates of the granted qualified timestamping services: they anchor the
    /// TSA of a signature timestamp (`timestamp.rs`), never a signer.
    tsa: Vec<Certificate>,
    /// CRLs of `crl_dir`: not trusted as such, each counts only where its signature
    /// verifies with the key of the certificate's issuer.
    crls: Vec<CertificateList>,
}

impl std::fmt::Debug for TrustStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TrustStore")
            .field("anchors", &self.anchors.len())
            .field("tsa", &self.tsa.len())
            .field("crls", &self.crls.len())
            .finish()
    }
}

impl TrustStore {
    /// Reads the configured files; a named file that cannot be read or holds no
    /// certificate stops the start, as a silently empty trust store would refuse every
    /// signed filing.
    pub fn load(settings: &crate::config::Signatures) -> anyhow::Result<Self> {
        let trusted_list = settings.trusted_list.as_deref();
        let trusted_profile = settings.trusted_profile_roots.as_deref();
        let personal = settings.personal_roots.as_deref();
        let crl_dir = settings.crl_dir.as_deref();
        let read = |p: &Path| std::fs::read(p).with_context(|| format!("reading {}", p.display()));
        let mut store = Self::default();
        // the narrower kinds first: a chain that reaches the trusted profile's or the ID
        // card's root is that kind even where those roots are on the trusted list too
        if let Some(p) = trusted_profile {
            store
                .add_pem(&read(p)?, Kind::TrustedProfile)
                .with_context(|| p.display().to_string())?;
        }
        if let Some(p) = personal {
            store
                .add_pem(&read(p)?, Kind::Personal)
                .with_context(|| p.display().to_string())?;
        }
        if let Some(p) = trusted_list {
            let bytes = read(p)?;
            match settings.trusted_list_operator.as_deref() {
                Some(op) => check_list_signature(&bytes, &read(op)?, OffsetDateTime::now_utc())
                    .with_context(|| p.display().to_string())?,
                None => tracing::warn!(
                    list = %p.display(),
                    "the trusted list's own signature is not checked: set signatures.trusted_list_operator"
                ),
            }
            let text = String::from_utf8(bytes).context("the trusted list is not UTF-8")?;
            store
                .add_trusted_list(&text)
                .with_context(|| p.display().to_string())?;
        }
        if let Some(dir) = crl_dir {
            store.add_crl_dir(dir)?;
        }
        Ok(store)
    }

    /// Adds the CRLs of every `*.crl` file of `dir` (DER, or PEM with `X509 CRL` blocks).
    /// A directory that cannot be read stops the start; a file that holds no CRL (a
    /// download cut short) is skipped with a warning, as the others still count and a
    /// missing CRL only leaves revocation not checked.
    pub fn add_crl_dir(&mut self, dir: &Path) -> anyhow::Result<usize> {
        let entries =
            std::fs::read_dir(dir).with_context(|| format!("reading {}", dir.display()))?;
        let mut added = 0;
        for entry in entries {
            let path = entry
                .with_context(|| format!("reading {}", dir.display()))?
                .path();
            let is_crl = path
                .extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("crl"));
            if !is_crl || !path.is_file() {
                continue;
            }
            let bytes =
                std::fs::read(&path).with_context(|| format!("reading {}", path.display()))?;
            match self.add_crl(&bytes) {
                Ok(n) => added += n,
                Err(_) => tracing::warn!(
                    crl.file = %path.display(),
                    "no CRL in the file of signatures.crl_dir; skipped"
                ),
            }
        }
        tracing::info!(crl.dir = %dir.display(), crl.count = added, "CRLs loaded");
        Ok(added)
    }

    /// Adds the CRLs of one file (DER or PEM); none is an error.
    pub fn add_crl(&mut self, bytes: &[u8]) -> anyhow::Result<usize> {
        let crls = super::revocation::parse_all(bytes);
        anyhow::ensure!(!crls.is_empty(), "no CRL in the file");
        let n = crls.len();
        self.crls.extend(crls);
        Ok(n)
    }

    /// Forgets the CRLs (before `crl_dir` is read again: `live.rs`).
    pub fn clear_crls(&mut self) {
        self.crls.clear();
    }

    /// The CRLs of `crl_dir`.
    pub fn crls(&self) -> &[CertificateList] {
        &self.crls
    }

    /// Adds every certificate of a PEM file as an anchor of `kind`.
    pub fn add_pem(&mut self, pem: &[u8], kind: Kind) -> anyhow::Result<usize> {
        let certs = Certificate::load_pem_chain(pem).context("reading PEM certificates")?;
        anyhow::ensure!(!certs.is_empty(), "no certificate in the file");
        let n = certs.len();
        self.anchors
            .extend(certs.into_iter().map(|cert| Anchor { cert, kind }));
        Ok(n)
    }

    /// Adds the certificates of the granted qualified CA services of a trusted list, and
    /// those of its granted qualified timestamping services (TSA/QTST) as timestamping
    /// anchors; gives the number of CA anchors. The list's own signature is checked by
    /// `check_list_signature` when the operator is configured.
    pub fn add_trusted_list(&mut self, xml: &str) -> anyhow::Result<usize> {
        let doc = roxmltree::Document::parse_with_options(
            xml,
            roxmltree::ParsingOptions {
                allow_dtd: false,
                nodes_limit: 5_000_000,
            },
        )
        .context("the trusted list is not XML")?;
        let child_text = |n: roxmltree::Node<'_, '_>, name: &str| {
            n.descendants()
                .find(|d| d.tag_name().name() == name)
                .and_then(|d| d.text())
                .map(str::trim)
                .map(str::to_owned)
        };
        let mut added = 0;
        for info in doc
            .descendants()
            .filter(|n| n.tag_name().name() == "ServiceInformation")
        {
            let service_type = child_text(info, "ServiceTypeIdentifier");
            let is_tsa = service_type.as_deref() == Some(TSA_QTST);
            let kind_ok = service_type.as_deref() == Some(CA_QC) || is_tsa;
            let status_ok = child_text(info, "ServiceStatus")
                .is_some_and(|s| TRUSTED_STATUSES.contains(&s.as_str()));
            if !(kind_ok && status_ok) {
                continue;
            }
            let Some(identity) = info
                .children()
                .find(|c| c.tag_name().name() == "ServiceDigitalIdentity")
            else {
                continue;
            };
            for b64 in identity
                .descendants()
                .filter(|d| d.tag_name().name() == "X509Certificate")
                .filter_map(|d| d.text())
            {
                let der = super::base64_loose(b64).context("a certificate of the trusted list")?;
                let cert =
                    Certificate::from_der(&der).context("a certificate of the trusted list")?;
                if is_tsa {
                    self.tsa.push(cert);
                    continue;
                }
                self.anchors.push(Anchor {
                    cert,
                    kind: Kind::Qualified,
                });
                added += 1;
            }
        }
        anyhow::ensure!(
            added > 0,
            "no granted qualified CA service in the trusted list"
        );
        Ok(added)
    }

    /// The signers' anchors with their kinds.
    pub fn anchors(&self) -> impl Iterator<Item = (&Certificate, Kind)> {
        self.anchors.iter().map(|a| (&a.cert, a.kind))
    }

    /// The timestamping anchors (granted TSA/QTST services of the trusted list).
    pub fn tsa_anchors(&self) -> &[Certificate] {
        &self.tsa
    }

    /// The signers' anchors (timestamping anchors are not counted).
    pub fn len(&self) -> usize {
        self.anchors.len()
    }

    pub fn is_empty(&self) -> bool {
        self.anchors.is_empty()
    }

    /// The kind of `cert` when it is itself an anchor.
    pub fn anchor_kind_of(&self, cert: &Certificate) -> Option<Kind> {
        let der = cert.to_der().ok()?;
        self.anchors
            .iter()
            .find(|a| a.cert.to_der().is_ok_and(|d| d == der))
            .map(|a| a.kind)
    }

    /// The anchor whose key signed `cert`, with its kind.
    pub fn issuer_of(&self, cert: &Certificate) -> Option<(&Certificate, Kind)> {
        self.anchors
            .iter()
            .find(|a| super::x509::issued_by(cert, &a.cert))
            .map(|a| (&a.cert, a.kind))
    }
}

/// The trusted list's own signature (ETSI TS 119 612 clause 5.7: an enveloped XAdES-BES by
/// the scheme operator over the whole list) against the operator's certificates: a list
/// changed after signing, or signed by anyone else, is not read. The XAdES verifier checks
/// it as it checks a filed document, the operator's certificates as the only anchors.
pub fn check_list_signature(
    xml: &[u8],
    operator_pem: &[u8],
    now: OffsetDateTime,
) -> anyhow::Result<()> {
    let mut operator = TrustStore::default();
    operator
        .add_pem(operator_pem, Kind::Qualified)
        .context("the trusted list operator's certificates")?;
    let v = super::xades::verify(xml, &operator, now);
    match v.result {
        Ok(()) => Ok(()),
        Err(f) => anyhow::bail!(
            "the trusted list's own signature does not hold ({}): {f}",
            f.code()
        ),
    }
}
