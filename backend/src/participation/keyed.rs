//! One person, one voice (PARTICIPATION.md §7): a keyed hash of who someone is, under a
//! secret of one consultation or one budget edition, so that online answers, paper forms
//! and roster entries of the same person meet, and the key means nothing outside it.

use sha2::{Digest, Sha256};

use crate::domain::identity::Identity;
use crate::domain::pesel::Pesel;

/// Who a key is made of: a PESEL (online from the national node, typed in from paper, or
/// imported from a roster) or, for an identity without one, its provider's subject.
pub enum Subject<'a> {
    Pesel(&'a Pesel),
    Provider { provider: &'a str, subject: &'a str },
}

impl<'a> Subject<'a> {
    /// A logged-in person: their PESEL where the provider gave one.
    pub fn of(who: &'a Identity, pesel: Option<&'a Pesel>) -> Self {
        match pesel {
            Some(p) => Subject::Pesel(p),
            None => Subject::Provider {
                provider: &who.provider,
                subject: &who.subject,
            },
        }
    }

    fn text(&self) -> String {
        match self {
            Subject::Pesel(p) => format!("pesel:{}", p.as_ref() as &str),
            Subject::Provider { provider, subject } => format!("sub:{provider}:{subject}"),
        }
    }
}

/// HMAC-SHA-256 of the subject under `secret`, in hex.
pub fn key(secret: &str, subject: &Subject<'_>) -> String {
    crate::forms::catalogue::hex(&hmac_sha256(secret.as_bytes(), subject.text().as_bytes()))
}

/// A logged-in person's key; a PESEL the provider sent that does not parse counts as none.
pub fn person_key(secret: &str, who: &Identity) -> String {
    let pesel = who.pesel.as_deref().and_then(|p| Pesel::parse(p).ok());
    key(secret, &Subject::of(who, pesel.as_ref()))
}

/// HMAC (RFC 2104) over SHA-256.
pub fn hmac_sha256(key: &[u8], message: &[u8]) -> [u8; 32] {
    const BLOCK: usize = 64;
    let mut k = [0u8; BLOCK];
    if key.len() > BLOCK {
        k[..32].copy_from_slice(&Sha256::digest(key));
    } else {
        k[..key.len()].copy_from_slice(key);
    }
    let pad = |byte: u8| k.map(|b| b ^ byte);
    let inner = Sha256::new()
        .chain_update(pad(0x36))
        .chain_update(message)
        .finalize();
    Sha256::new()
        .chain_update(pad(0x5c))
        .chain_update(inner)
        .finalize()
        .into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hmac_matches_rfc_4231_case_2() {
        let mac = hmac_sha256(b"Jefe", b"what do ya want for nothing?");
        assert_eq!(
            crate::forms::catalogue::hex(&mac),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }

    #[test]
    fn a_typed_in_pesel_meets_the_same_person_online() {
        let pesel = Pesel::parse("44051401359").unwrap();
        let who = Identity {
            subject: "sub-1".into(),
            provider: "national".into(),
            pesel: Some("44051401359".into()),
            given_name: None,
            family_name: None,
            birth_date: None,
            email: None,
            level: crate::domain::level::IdentityLevel::Substantial,
            roles: Vec::new(),
            unit: None,
        };
        assert_eq!(person_key("s", &who), key("s", &Subject::Pesel(&pesel)));
        assert_ne!(person_key("t", &who), key("s", &Subject::Pesel(&pesel)));
    }
}
