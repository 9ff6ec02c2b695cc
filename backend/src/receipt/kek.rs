//! The key-encryption key (KEK): seals the private halves of the signing keys before they
//! go into the database, so a copy of the database alone signs nothing. It comes from
//! configuration (`keys.kek`, `keys.kek_file`, or `OKIENKO_KEYS__KEK`), 32 random bytes in
//! base64; in development without one, okienko makes `<data_dir>/kek` (mode 0600).
//!
//! Rotation (docs/operations.md): configure the new KEK as `keys.kek` and the old one in
//! `keys.previous_keks`, run `okienko keys reseal`, then drop the old one.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use ring::aead::{AES_256_GCM, Aad, LessSafeKey, NONCE_LEN, Nonce, UnboundKey};
use sha2::{Digest, Sha256};

/// One KEK and its id (the first 8 bytes of its SHA-256 in hex: names it without revealing it).
pub struct Kek {
    id: String,
    key: LessSafeKey,
}

impl std::fmt::Debug for Kek {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Kek({})", self.id)
    }
}

impl Kek {
    /// Parses 32 bytes in base64 (standard alphabet, surrounding whitespace ignored).
    pub fn parse(text: &str) -> Result<Self, String> {
        let bytes = STANDARD
            .decode(text.trim())
            .map_err(|_| "a key-encryption key is 32 random bytes in base64".to_owned())?;
        if bytes.len() != 32 {
            return Err(format!(
                "a key-encryption key is 32 bytes in base64, this one is {} bytes",
                bytes.len()
            ));
        }
        let id = crate::forms::catalogue::hex(&Sha256::digest(&bytes)[..8]);
        let key = LessSafeKey::new(
            UnboundKey::new(&AES_256_GCM, &bytes).map_err(|_| "not an AES-256 key".to_owned())?,
        );
        Ok(Self { id, key })
    }

    /// A fresh random KEK, as its base64 text.
    pub fn generate() -> anyhow::Result<String> {
        let mut bytes = [0u8; 32];
        getrandom::fill(&mut bytes).map_err(|e| anyhow::anyhow!("no randomness: {e}"))?;
        Ok(STANDARD.encode(bytes))
    }

    pub fn id(&self) -> &str {
        &self.id
    }

    /// `secret` sealed for the key `kid`: nonce ‖ ciphertext ‖ tag, base64. The `kid` is the
    /// associated data, so a sealed value moved to another key's row does not open.
    pub fn seal(&self, kid: &str, secret: &[u8]) -> anyhow::Result<String> {
        let mut nonce = [0u8; NONCE_LEN];
        getrandom::fill(&mut nonce).map_err(|e| anyhow::anyhow!("no randomness: {e}"))?;
        let mut buf = secret.to_vec();
        self.key
            .seal_in_place_append_tag(
                Nonce::assume_unique_for_key(nonce),
                Aad::from(kid.as_bytes()),
                &mut buf,
            )
            .map_err(|_| anyhow::anyhow!("sealing key {kid} failed"))?;
        let mut out = nonce.to_vec();
        out.extend_from_slice(&buf);
        Ok(STANDARD.encode(out))
    }

    /// The secret sealed for `kid`; an error when this KEK did not seal it or it was altered.
    pub fn open(&self, kid: &str, sealed: &str) -> anyhow::Result<Vec<u8>> {
        let bytes = STANDARD
            .decode(sealed)
            .map_err(|_| anyhow::anyhow!("key {kid}: its sealed value is not base64"))?;
        if bytes.len() < NONCE_LEN {
            anyhow::bail!("key {kid}: its sealed value is too short");
        }
        let (nonce, rest) = bytes.split_at(NONCE_LEN);
        let nonce = Nonce::try_assume_unique_for_key(nonce)
            .map_err(|_| anyhow::anyhow!("key {kid}: bad nonce"))?;
        let mut buf = rest.to_vec();
        let plain = self
            .key
            .open_in_place(nonce, Aad::from(kid.as_bytes()), &mut buf)
            .map_err(|_| {
                anyhow::anyhow!(
                    "key {kid} does not open with key-encryption key {}: a wrong KEK, or the row was altered",
                    self.id
                )
            })?;
        Ok(plain.to_vec())
    }
}

/// The KEK that seals new keys and the previous ones that still open old rows.
#[derive(Debug)]
pub struct Keks {
    current: Kek,
    previous: Vec<Kek>,
}

impl Keks {
    pub fn new(current: Kek, previous: Vec<Kek>) -> Self {
        Self { current, previous }
    }

    pub fn current(&self) -> &Kek {
        &self.current
    }

    /// The KEK with id `id`, current or previous.
    pub fn by_id(&self, id: &str) -> Option<&Kek> {
        std::iter::once(&self.current)
            .chain(&self.previous)
            .find(|k| k.id == id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kek() -> Kek {
        Kek::parse(&Kek::generate().unwrap()).unwrap()
    }

    #[test]
    fn a_sealed_secret_opens_only_with_its_kek_and_its_kid() {
        let (a, b) = (kek(), kek());
        let sealed = a
            .seal("receipt-1", b"thirty-two bytes of a secret!!!!")
            .unwrap();
        assert_eq!(
            a.open("receipt-1", &sealed).unwrap(),
            b"thirty-two bytes of a secret!!!!"
        );
        assert!(b.open("receipt-1", &sealed).is_err(), "another KEK");
        assert!(
            a.open("receipt-2", &sealed).is_err(),
            "moved to another row"
        );
        let mut altered = STANDARD.decode(&sealed).unwrap();
        altered[20] ^= 1;
        assert!(a.open("receipt-1", &STANDARD.encode(altered)).is_err());
    }

    #[test]
    fn a_kek_must_be_32_bytes_of_base64() {
        assert!(Kek::parse("not base64!").is_err());
        assert!(
            Kek::parse(&STANDARD.encode([0u8; 16]))
                .unwrap_err()
                .contains("16 bytes")
        );
        let k = kek();
        assert_eq!(k.id().len(), 16);
    }
}
