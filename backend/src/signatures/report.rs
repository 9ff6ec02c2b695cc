//! What a node verifies with, told to its administrator (`okienko signatures check`): every
//! anchor with its validity, and every CRL of `crl_dir` with whether it counts now. An
//! anchor past its validity, a CRL past its `nextUpdate` or not yet current, one that
//! names an anchor as issuer but is not signed by it, and one with a critical extension
//! are problems: the command exits 1 on any, so the job that keeps `crl_dir` current can
//! alert before revocation quietly becomes `not_checked` (docs/signatures.md).

use std::fmt;

use time::OffsetDateTime;
use x509_cert::Certificate;
use x509_cert::crl::CertificateList;

use super::revocation::{has_critical_extension, signed_by};
use super::x509::{name_string, subject, time_of, validity};
use super::{Kind, TrustStore};

/// One anchor or CRL, and what is wrong with it if anything.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// `anchor (qualified)`, `anchor (timestamping)`, `crl`.
    pub what: String,
    /// The certificate's subject or the CRL's issuer.
    pub name: String,
    /// Its dates, and for a CRL whether it counts.
    pub detail: String,
    pub problem: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    pub entries: Vec<Entry>,
}

impl Report {
    pub fn problems(&self) -> usize {
        self.entries.iter().filter(|e| e.problem.is_some()).count()
    }
}

/// The report on `store` at `now`.
pub fn check(store: &TrustStore, now: OffsetDateTime) -> Report {
    let mut entries: Vec<Entry> = store
        .anchors()
        .map(|(cert, kind)| anchor(cert, kind.as_str(), now))
        .collect();
    entries.extend(
        store
            .tsa_anchors()
            .iter()
            .map(|c| anchor(c, "timestamping", now)),
    );
    entries.extend(store.crls().iter().map(|crl| crl_entry(crl, store, now)));
    Report { entries }
}

fn anchor(cert: &Certificate, kind: &str, now: OffsetDateTime) -> Entry {
    let (from, until) = validity(cert);
    let problem = if now > until {
        Some(format!("expired on {}: it anchors nothing", date(until)))
    } else if now < from {
        Some(format!("valid only from {}", date(from)))
    } else {
        None
    };
    Entry {
        what: format!("anchor ({kind})"),
        name: subject(cert),
        detail: format!("valid {} to {}", date(from), date(until)),
        problem,
    }
}

fn crl_entry(crl: &CertificateList, store: &TrustStore, now: OffsetDateTime) -> Entry {
    let tbs = &crl.tbs_cert_list;
    let this_update = time_of(tbs.this_update);
    let next_update = tbs.next_update.map(time_of);
    let revoked = tbs.revoked_certificates.as_ref().map_or(0, Vec::len);
    let issuers: Vec<(&Certificate, Kind)> = store
        .anchors()
        .filter(|(c, _)| c.tbs_certificate.subject == tbs.issuer)
        .collect();
    let (counts, problem) = if has_critical_extension(crl) {
        (
            "not used".to_owned(),
            Some("a critical extension (a partitioned or delta CRL) okienko does not read".into()),
        )
    } else if this_update > now {
        (
            "not yet".to_owned(),
            Some(format!("current only from {}", date(this_update))),
        )
    } else if let Some(next) = next_update.filter(|n| *n < now) {
        (
            "no longer counts".to_owned(),
            Some(format!(
                "its nextUpdate {} has passed: download the issuer's current CRL",
                date(next)
            )),
        )
    } else if issuers.is_empty() {
        // an intermediate CA's CRL: verified when a signature's chain carries that CA
        ("counts for chains through its issuer".to_owned(), None)
    } else if let Some((_, kind)) = issuers.iter().find(|(c, _)| signed_by(crl, c)) {
        (
            format!("counts (signed by the {} anchor)", kind.as_str()),
            None,
        )
    } else {
        (
            "not used".to_owned(),
            Some("names an anchor as its issuer but that anchor's key did not sign it".into()),
        )
    };
    Entry {
        what: "crl".into(),
        name: name_string(&tbs.issuer),
        detail: format!(
            "{}; {revoked} revoked; {counts}",
            dates(this_update, next_update)
        ),
        problem,
    }
}

fn dates(this_update: OffsetDateTime, next_update: Option<OffsetDateTime>) -> String {
    match next_update {
        Some(n) => format!("issued {}, next {}", date(this_update), date(n)),
        None => format!("issued {}, no nextUpdate", date(this_update)),
    }
}

fn date(t: OffsetDateTime) -> String {
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02} UTC",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute()
    )
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for e in &self.entries {
            writeln!(f, "{}: {}", e.what, e.name)?;
            writeln!(f, "    {}", e.detail)?;
            if let Some(p) = &e.problem {
                writeln!(f, "    PROBLEM: {p}")?;
            }
        }
        let crls = self.entries.iter().filter(|e| e.what == "crl").count();
        write!(
            f,
            "{} anchors, {crls} CRLs, {} problems",
            self.entries.len() - crls,
            self.problems()
        )
    }
}
