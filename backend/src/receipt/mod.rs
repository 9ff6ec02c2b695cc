//! Receipts (UPO-like, DOMAIN.md §2): what was filed, by whom, when, with which digest,
//! signed as a compact JWS (EdDSA) with keys whose public halves are published as JWKS.

pub mod claims;
pub mod kek;
pub mod keys;
pub mod pdf;
pub mod trust;
pub mod verify;

pub use claims::ReceiptClaims;
pub use keys::Keystore;
