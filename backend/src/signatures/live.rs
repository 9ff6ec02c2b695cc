//! The trust store a running node verifies with: the anchors as read at the start, and the
//! CRLs of `signatures.crl_dir` read again whenever the directory changes. A node looks at
//! the directory every `signatures.crl_reload_seconds`, so the administrator's job that
//! replaces a CRL before its `nextUpdate` needs no restart (docs/signatures.md, Keeping
//! `crl_dir` current). A directory that cannot be read keeps the CRLs of the last read.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError, RwLock};
use std::time::{Duration, SystemTime};

use anyhow::Context;

use super::TrustStore;

/// The CRL files of the directory at one read: each one's path, length and modification
/// time, sorted. A changed listing is read again; an unchanged one is not.
type Listing = Vec<(PathBuf, u64, Option<SystemTime>)>;

pub struct LiveTrust {
    current: RwLock<Arc<TrustStore>>,
    crl_dir: Option<PathBuf>,
    /// The listing the current CRLs were read from.
    seen: Mutex<Listing>,
}

impl LiveTrust {
    /// Reads the configured anchors and CRLs (`TrustStore::load`): an error stops the start.
    pub fn load(settings: &crate::config::Signatures) -> anyhow::Result<Self> {
        let seen = match settings.crl_dir.as_deref() {
            Some(dir) => listing(dir)?,
            None => Vec::new(),
        };
        Ok(Self {
            current: RwLock::new(Arc::new(TrustStore::load(settings)?)),
            crl_dir: settings.crl_dir.clone(),
            seen: Mutex::new(seen),
        })
    }

    /// The store to verify with now.
    pub fn current(&self) -> Arc<TrustStore> {
        self.current
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// Reads `crl_dir` again when its listing changed since the last read, and verifies with
    /// its CRLs from then on. Gives the number of CRLs read, or `None` when nothing changed
    /// (or no directory is configured).
    pub fn reload_crls(&self) -> anyhow::Result<Option<usize>> {
        let Some(dir) = self.crl_dir.as_deref() else {
            return Ok(None);
        };
        let mut seen = self.seen.lock().unwrap_or_else(PoisonError::into_inner);
        // the listing before the read: a file replaced during the read changes it again,
        // and the next look reads the directory once more
        let now = listing(dir)?;
        if *seen == now {
            return Ok(None);
        }
        let mut store = (*self.current()).clone();
        store.clear_crls();
        let n = store.add_crl_dir(dir)?;
        *self.current.write().unwrap_or_else(PoisonError::into_inner) = Arc::new(store);
        *seen = now;
        Ok(Some(n))
    }
}

impl From<TrustStore> for LiveTrust {
    /// A store that never changes (tests, tools).
    fn from(store: TrustStore) -> Self {
        Self {
            current: RwLock::new(Arc::new(store)),
            crl_dir: None,
            seen: Mutex::new(Vec::new()),
        }
    }
}

/// Looks at `crl_dir` every `period` for as long as the node runs.
pub async fn keep_crls_current(live: Arc<LiveTrust>, period: Duration) {
    let mut every = tokio::time::interval(period);
    every.tick().await;
    loop {
        every.tick().await;
        let live = live.clone();
        match tokio::task::spawn_blocking(move || live.reload_crls()).await {
            Ok(Ok(Some(n))) => tracing::info!(crl.count = n, "signatures.crl_dir read again"),
            Ok(Ok(None)) => {}
            Ok(Err(e)) => tracing::warn!(
                error = %format!("{e:#}"),
                "signatures.crl_dir could not be read; the CRLs of the last read still count"
            ),
            Err(e) => tracing::error!(error = %e, "reading signatures.crl_dir stopped"),
        }
    }
}

fn listing(dir: &Path) -> anyhow::Result<Listing> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).with_context(|| format!("reading {}", dir.display()))? {
        let entry = entry.with_context(|| format!("reading {}", dir.display()))?;
        let path = entry.path();
        if !path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("crl"))
        {
            continue;
        }
        let Ok(meta) = std::fs::metadata(&path) else {
            continue; // removed since the directory was listed
        };
        if meta.is_file() {
            files.push((path, meta.len(), meta.modified().ok()));
        }
    }
    files.sort();
    Ok(files)
}
