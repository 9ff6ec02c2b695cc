//! Online payment providers, behind one trait: register a transaction (the resident is
//! sent to its redirect URL), check a notification's signature, and confirm it with the
//! provider's verification call. `przelewy24.rs` is the real one; tests and e2e run it
//! against `scripts/p24_emulator.py`.

use crate::domain::payment::Grosze;

/// A transaction to register: `session_id` is okienko's own id and the idempotency key.
#[derive(Debug, Clone)]
pub struct NewTransaction {
    pub session_id: String,
    pub amount: Grosze,
    pub description: String,
    pub email: String,
    pub url_return: String,
    pub url_status: String,
    /// Minutes after which the provider no longer takes the payment (0: no limit).
    pub time_limit_minutes: u8,
}

/// A signature-checked notification that a transaction was paid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notification {
    pub session_id: String,
    pub order_id: i64,
    pub amount: Grosze,
    pub currency: String,
}

#[derive(Debug, thiserror::Error)]
pub enum ProviderError {
    /// Down, slow or answering 5xx: the resident may pay later.
    #[error("the payment provider is not available: {0}")]
    Unavailable(String),
    /// The provider refused the request (4xx).
    #[error("the payment provider refused the request: {0}")]
    Refused(String),
    #[error("the notification's signature does not match")]
    BadSignature,
    #[error("the notification is not valid: {0}")]
    Malformed(String),
}

#[async_trait::async_trait]
pub trait PaymentProvider: Send + Sync {
    /// Registers the transaction; the URL to send the resident to.
    async fn register(&self, t: &NewTransaction) -> Result<String, ProviderError>;
    /// Checks a notification's body and signature.
    fn notification(&self, body: &[u8]) -> Result<Notification, ProviderError>;
    /// Confirms the notified transaction with the provider (after which it is settled).
    async fn verify(&self, n: &Notification) -> Result<(), ProviderError>;
}
