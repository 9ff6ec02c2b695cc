//! Ed25519 signing keys in `<data dir>/keys/`. The newest key signs; every key stays
//! published in the JWKS so receipts signed before a rotation still verify.

use std::path::{Path, PathBuf};

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use ed25519_dalek::SigningKey;
use ed25519_dalek::pkcs8::{DecodePrivateKey, EncodePrivateKey, spki::der::pem::LineEnding};
use jsonwebtoken::EncodingKey;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

pub struct Keystore {
    /// `(kid, signing key)`, oldest first; the last one signs.
    keys: Vec<(String, SigningKey)>,
}

impl std::fmt::Debug for Keystore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Keystore")
            .field("kids", &self.keys.iter().map(|k| &k.0).collect::<Vec<_>>())
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

impl Keystore {
    /// Loads every `*.pem` in `dir`, creating the directory and a first key when empty.
    pub fn load_or_create(dir: &Path) -> anyhow::Result<Self> {
        std::fs::create_dir_all(dir)?;
        let mut files: Vec<PathBuf> = std::fs::read_dir(dir)?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "pem"))
            .collect();
        if files.is_empty() {
            files.push(Self::rotate(dir)?);
        }
        files.sort();
        let mut keys = Vec::new();
        for f in files {
            let pem = std::fs::read_to_string(&f)?;
            let key = SigningKey::from_pkcs8_pem(&pem)
                .map_err(|e| anyhow::anyhow!("{}: not an Ed25519 PKCS#8 key: {e}", f.display()))?;
            keys.push((kid_of(&key), key));
        }
        Ok(Self { keys })
    }

    /// Writes a new key that becomes the signing key at the next start; returns its path.
    pub fn rotate(dir: &Path) -> anyhow::Result<PathBuf> {
        std::fs::create_dir_all(dir)?;
        let key = generate()?;
        let pem = key
            .to_pkcs8_pem(LineEnding::LF)
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        let stamp = time::OffsetDateTime::now_utc().unix_timestamp();
        let path = dir.join(format!("{stamp:012}-{}.pem", kid_of(&key)));
        write_private(&path, pem.as_bytes())?;
        Ok(path)
    }

    /// A store with one fresh key, for tests and benchmarks.
    pub fn ephemeral() -> anyhow::Result<Self> {
        let key = generate()?;
        Ok(Self {
            keys: vec![(kid_of(&key), key)],
        })
    }

    /// The signing key and its id.
    pub fn active(&self) -> anyhow::Result<(String, EncodingKey)> {
        let (kid, key) = self
            .keys
            .last()
            .ok_or_else(|| anyhow::anyhow!("no signing key"))?;
        let der = key.to_pkcs8_der().map_err(|e| anyhow::anyhow!("{e}"))?;
        Ok((kid.clone(), EncodingKey::from_ed_der(der.as_bytes())))
    }

    /// The public key `kid`, for verifying what okienko signed.
    pub fn decoding_key(&self, kid: &str) -> Option<jsonwebtoken::DecodingKey> {
        let (_, key) = self.keys.iter().find(|(k, _)| k == kid)?;
        jsonwebtoken::DecodingKey::from_ed_components(
            &URL_SAFE_NO_PAD.encode(key.verifying_key().as_bytes()),
        )
        .ok()
    }

    /// The public keys as a JWK Set (RFC 7517), for `/.well-known/jwks.json`.
    pub fn jwks(&self) -> Value {
        let keys: Vec<Value> = self
            .keys
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

#[cfg(unix)]
fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)?;
    f.write_all(bytes)
}

#[cfg(not(unix))]
fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    std::fs::write(path, bytes)
}
