//! The national e-Doręczenia service (u.d.e.; DOMAIN.md §1): a client of its user-agent API
//! (UA API 3.0.8, e2e/contract/edoreczenia-ua-api-3.0.8.yaml), used when
//! `edoreczenia.base_url` is set. Without it okienko delivers to its own portal mailboxes,
//! whose addresses are not addresses for electronic delivery (docs/delivery.md).
//!
//! - `auth`: the OAuth 2.0 bearer token, got with the office's X.509 certificate;
//! - `client`: sending with attachments, receiving messages, attachments and evidences;
//! - `model`: the API's schemas;
//! - `evidence`: every evidence type → okienko's delivery state and deadline consequence;
//! - [`AddressBook`]: the BAE lookup, which UA API 3.0.8 does not contain.

pub mod auth;
pub mod client;
pub mod evidence;
pub mod letters;
pub mod model;
pub mod polling;

pub use client::Client;

/// What went wrong talking to the national service. Messages never carry a secret.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("e-Doręczenia configuration: {0}")]
    Config(String),
    #[error("e-Doręczenia unreachable: {0}")]
    Transport(String),
    #[error("e-Doręczenia authorization: {0}")]
    Token(String),
    #[error("e-Doręczenia answered {status}: {}", errors.join("; "))]
    Status {
        status: reqwest::StatusCode,
        errors: Vec<String>,
    },
    #[error("e-Doręczenia answer larger than {0} bytes")]
    TooLarge(usize),
    #[error("e-Doręczenia answer unreadable: {0}")]
    Decode(String),
    #[error("e-Doręczenia: the operation is still in progress")]
    Pending,
    #[error("e-Doręczenia refuses this message: {0}")]
    Invalid(String),
}

impl Error {
    fn transport(e: reqwest::Error) -> Self {
        // without the URL: a query string is harmless here, but keep errors short
        Self::Transport(e.without_url().to_string())
    }
}

/// An entry of the BAE (baza adresów do doręczeń elektronicznych): whose address it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BaeEntry {
    pub address: String,
    pub name: String,
}

/// Looking an address up in the BAE. The national service's search of the BAE is a separate
/// API from the user agent's and is not part of UA API 3.0.8 (the document has no search
/// path), so okienko has no HTTP implementation of it yet: [`NoAddressBook`] says so, and a
/// resident's address for electronic delivery is what they or the clerk give.
pub trait AddressBook: Send + Sync {
    fn lookup(
        &self,
        query: &str,
    ) -> impl std::future::Future<Output = Result<Vec<BaeEntry>, Error>> + Send;
}

/// No BAE search configured.
pub struct NoAddressBook;

impl AddressBook for NoAddressBook {
    async fn lookup(&self, _query: &str) -> Result<Vec<BaeEntry>, Error> {
        Err(Error::Config(
            "no BAE search is configured: UA API 3.0.8 has no address search".into(),
        ))
    }
}
