//! The boundary to the gmina's tax ledger (issue 20 §2, docs/ledger.md): what prefill and
//! certificates read from the domain system. `Embedded` keeps it in okienko's own
//! database, filled by `okienko ledger import` from CSV files (`import.rs`); a gmina whose
//! system answers online would implement `TaxLedger` for it.

pub mod certificate;
pub mod csv;
pub mod embedded;
pub mod import;
pub mod prefill;

use std::future::Future;
use std::pin::Pin;

use time::Date;

use crate::domain::ledger::{
    Assessment, Balance, Instalment, Payment, TaxObject, Taxpayer, TaxpayerId,
};
use crate::error::AppResult;

pub use embedded::Embedded;

/// A ledger's answer: boxed so that the trait stays usable as `Arc<dyn TaxLedger>`.
pub type Answer<'a, T> = Pin<Box<dyn Future<Output = AppResult<T>> + Send + 'a>>;

pub trait TaxLedger: Send + Sync {
    /// The taxpayer known by `id`, or `None` when the ledger has no account for them.
    fn taxpayer<'a>(&'a self, id: &'a TaxpayerId) -> Answer<'a, Option<Taxpayer>>;
    /// Their taxable objects, by the domain system's key.
    fn objects<'a>(&'a self, t: &'a Taxpayer) -> Answer<'a, Vec<TaxObject>>;
    /// Their assessments, newest year first.
    fn assessments<'a>(&'a self, t: &'a Taxpayer) -> Answer<'a, Vec<Assessment>>;
    /// Their instalments, earliest due first.
    fn instalments<'a>(&'a self, t: &'a Taxpayer) -> Answer<'a, Vec<Instalment>>;
    /// Their payments, earliest first.
    fn payments<'a>(&'a self, t: &'a Taxpayer) -> Answer<'a, Vec<Payment>>;
}

/// The taxpayer's balance on `as_of` (Ordynacja podatkowa art. 51 § 1).
pub async fn balance(ledger: &dyn TaxLedger, t: &Taxpayer, as_of: Date) -> AppResult<Balance> {
    let (instalments, payments) = tokio::try_join!(ledger.instalments(t), ledger.payments(t))?;
    Ok(Balance::of(&instalments, &payments, as_of))
}
