//! Ed25519 signing keys, shared by every node through the database (issue 18 §1). The
//! newest key signs; every key stays published in the JWKS so what was signed before a
//! rotation still verifies. Private halves are sealed with the KEK (`kek.rs`).
//!
//! A node reads the keys at start and again every `keys.refresh_seconds`, and at once when
//! it meets a `kid` it does not know (at most once a second), so a key rotated on one
//! node signs on all of them within that period.

use std::path::Path;
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use ed25519_dalek::SigningKey;
use ed25519_dalek::pkcs8::{DecodePrivateKey, EncodePrivateKey};
use jsonwebtoken::EncodingKey;
use sea_orm::ConnectionTrait;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use super::kek::Keks;
use crate::db::signing_keys::{self, StoredKey};

/// Receipts, API tokens, evidences, reports, protocols.
pub const SIGNING: &str = "signing";
/// The development identity provider's ID tokens.
pub const DEV_IDP: &str = "dev_idp";

type Keys = Arc<Vec<(String, SigningKey)>>;

pub struct Keystore {
    purpose: &'static str,
    /// `(kid, signing key)`, oldest first; the last one signs.
    keys: RwLock<Keys>,
    /// What opens the rows on a refresh; `None` for an ephemeral store.
    keks: Option<Arc<Keks>>,
    last_miss_refresh: Mutex<Option<Instant>>,
}

impl std::fmt::Debug for Keystore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Keystore")
            .field("purpose", &self.purpose)
            .field("kids", &self.kids())
            .finish()
    }
}

fn kid_of(key: &SigningKey) -> String {
    let digest = Sha256::digest(key.verifying_key().as_bytes());
    format!("receipt-{}", crate::forms::catalogue::hex(&digest[..6]))
}

fn generate() -> anyhow::Result<SigningKey> {
    let mut seed = [0u8; 32];
    getrandom::fill(&mut seed).map_err(|e| anyhow::anyhow!("no randomness for a key: {e}"))?;
    Ok(SigningKey::from_bytes(&seed))
}

fn stored(
    key: &SigningKey,
    purpose: &str,
    keks: &Keks,
    created_at: time::OffsetDateTime,
) -> anyhow::Result<StoredKey> {
    let kid = kid_of(key);
    Ok(StoredKey {
        sealed: keks.current().seal(&kid, key.as_bytes())?,
        kek_id: keks.current().id().to_owned(),
        public_key: URL_SAFE_NO_PAD.encode(key.verifying_key().as_bytes()),
        purpose: purpose.to_owned(),
        created_at,
        kid,
    })
}

fn opened(row: &StoredKey, keks: &Keks) -> anyhow::Result<(String, SigningKey)> {
    let kek = keks.by_id(&row.kek_id).ok_or_else(|| {
        anyhow::anyhow!(
            "signing key {} is sealed with key-encryption key {}, which is neither keys.kek nor one of keys.previous_keks",
            row.kid,
            row.kek_id
        )
    })?;
    let seed: [u8; 32] = kek
        .open(&row.kid, &row.sealed)?
        .try_into()
        .map_err(|_| anyhow::anyhow!("signing key {}: not a 32-byte seed", row.kid))?;
    let key = SigningKey::from_bytes(&seed);
    if kid_of(&key) != row.kid
        || URL_SAFE_NO_PAD.encode(key.verifying_key().as_bytes()) != row.public_key
    {
        anyhow::bail!(
            "signing key {}: its private half does not match its public half",
            row.kid
        );
    }
    Ok((row.kid.clone(), key))
}

impl Keystore {
    /// The keys of `purpose` from the database: first importing the `*.pem` files of
    /// `legacy_dir` (where okienko kept them before; idempotent), then creating a first key
    /// when there is none.
    pub async fn open(
        db: &impl ConnectionTrait,
        keks: Arc<Keks>,
        purpose: &'static str,
        legacy_dir: Option<&Path>,
    ) -> anyhow::Result<Self> {
        if let Some(dir) = legacy_dir {
            import_legacy(db, &keks, purpose, dir).await?;
        }
        if signing_keys::all(db, purpose).await?.is_empty() {
            Self::rotate(db, &keks, purpose).await?;
        }
        let store = Self {
            purpose,
            keys: RwLock::new(Arc::new(Vec::new())),
            keks: Some(keks),
            last_miss_refresh: Mutex::new(None),
        };
        store.refresh(db).await?;
        Ok(store)
    }

    /// Reads the keys again; true when the set changed.
    pub async fn refresh(&self, db: &impl ConnectionTrait) -> anyhow::Result<bool> {
        let Some(keks) = &self.keks else {
            return Ok(false);
        };
        let rows = signing_keys::all(db, self.purpose).await?;
        let keys = rows
            .iter()
            .map(|r| opened(r, keks))
            .collect::<anyhow::Result<Vec<_>>>()?;
        let mut held = self.keys.write().unwrap_or_else(|e| e.into_inner());
        let changed = held.iter().map(|k| &k.0).ne(keys.iter().map(|k| &k.0));
        *held = Arc::new(keys);
        Ok(changed)
    }

    /// After meeting an unknown `kid`: reads the keys again, at most once a second per
    /// node (so forged kids cannot turn into a query each); true when the set changed.
    pub async fn refresh_on_miss(&self, db: &impl ConnectionTrait) -> bool {
        {
            let mut last = self
                .last_miss_refresh
                .lock()
                .unwrap_or_else(|e| e.into_inner());
            if last.is_some_and(|t| t.elapsed() < Duration::from_secs(1)) {
                return false;
            }
            *last = Some(Instant::now());
        }
        match self.refresh(db).await {
            Ok(changed) => changed,
            Err(e) => {
                tracing::error!(error = %e, "reading the signing keys");
                false
            }
        }
    }

    /// Adds a new key of `purpose`; every node signs with it after its next refresh. Returns
    /// its `kid`.
    pub async fn rotate(
        db: &impl ConnectionTrait,
        keks: &Keks,
        purpose: &str,
    ) -> anyhow::Result<String> {
        let key = generate()?;
        let row = stored(&key, purpose, keks, crate::db::now())?;
        let kid = row.kid.clone();
        signing_keys::add(db, row).await?;
        Ok(kid)
    }

    /// Seals every key again with the current KEK (after a KEK rotation); returns how many
    /// were resealed.
    pub async fn reseal(db: &impl ConnectionTrait, keks: &Keks) -> anyhow::Result<usize> {
        let mut n = 0;
        for row in signing_keys::every(db).await? {
            if row.kek_id == keks.current().id() {
                continue;
            }
            let (kid, key) = opened(&row, keks)?;
            let sealed = keks.current().seal(&kid, key.as_bytes())?;
            signing_keys::reseal(db, &kid, sealed, keks.current().id()).await?;
            n += 1;
        }
        Ok(n)
    }

    /// A store with one fresh key kept in memory only, for tests and benchmarks.
    pub fn ephemeral() -> anyhow::Result<Self> {
        let key = generate()?;
        Ok(Self {
            purpose: SIGNING,
            keys: RwLock::new(Arc::new(vec![(kid_of(&key), key)])),
            keks: None,
            last_miss_refresh: Mutex::new(None),
        })
    }

    fn current(&self) -> Keys {
        self.keys.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// The keys' ids, oldest first.
    pub fn kids(&self) -> Vec<String> {
        self.current().iter().map(|k| k.0.clone()).collect()
    }

    /// The signing key and its id.
    pub fn active(&self) -> anyhow::Result<(String, EncodingKey)> {
        let keys = self.current();
        let (kid, key) = keys
            .last()
            .ok_or_else(|| anyhow::anyhow!("no signing key"))?;
        let der = key.to_pkcs8_der().map_err(|e| anyhow::anyhow!("{e}"))?;
        Ok((kid.clone(), EncodingKey::from_ed_der(der.as_bytes())))
    }

    /// The public key `kid`, for verifying what okienko signed.
    pub fn decoding_key(&self, kid: &str) -> Option<jsonwebtoken::DecodingKey> {
        let keys = self.current();
        let (_, key) = keys.iter().find(|(k, _)| k == kid)?;
        jsonwebtoken::DecodingKey::from_ed_components(
            &URL_SAFE_NO_PAD.encode(key.verifying_key().as_bytes()),
        )
        .ok()
    }

    /// The public keys as a JWK Set (RFC 7517), for `/.well-known/jwks.json`.
    pub fn jwks(&self) -> Value {
        let keys: Vec<Value> = self
            .current()
            .iter()
            .map(|(kid, k)| {
                json!({
                    "kty": "OKP", "crv": "Ed25519", "use": "sig", "alg": "EdDSA", "kid": kid,
                    "x": URL_SAFE_NO_PAD.encode(k.verifying_key().as_bytes()),
                })
            })
            .collect();
        json!({ "keys": keys })
    }
}

/// Moves the `*.pem` keys okienko kept in `dir` before into the database, dated by their
/// file names (`<unix time>-<kid>.pem`), so receipts signed with them keep verifying. The
/// files stay; docs/operations.md says to remove them once every node runs this version.
async fn import_legacy(
    db: &impl ConnectionTrait,
    keks: &Keks,
    purpose: &str,
    dir: &Path,
) -> anyhow::Result<()> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Ok(());
    };
    for path in entries.filter_map(|e| e.ok().map(|e| e.path())) {
        if path.extension().is_none_or(|x| x != "pem") {
            continue;
        }
        let pem = std::fs::read_to_string(&path)?;
        let key = SigningKey::from_pkcs8_pem(&pem)
            .map_err(|e| anyhow::anyhow!("{}: not an Ed25519 PKCS#8 key: {e}", path.display()))?;
        let stamp = path
            .file_name()
            .and_then(|n| n.to_str())
            .and_then(|n| n.split('-').next())
            .and_then(|s| s.parse::<i64>().ok())
            .and_then(|s| time::OffsetDateTime::from_unix_timestamp(s).ok())
            .unwrap_or(time::OffsetDateTime::UNIX_EPOCH);
        signing_keys::add(db, stored(&key, purpose, keks, stamp)?).await?;
        tracing::info!(file = %path.display(), kid = %kid_of(&key), "signing key imported into the database");
    }
    Ok(())
}
