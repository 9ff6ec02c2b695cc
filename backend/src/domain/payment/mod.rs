//! Payments, pure: amounts in grosze, Polish account numbers (NRB/IBAN) with their check
//! digits, virtual accounts per debt or taxpayer, and the banks' 2D payment code (ZBP).
//! Statements and matching live in `crate::payments`; storage in `db::payments`.

pub mod account;
pub mod grosze;
pub mod qr;
pub mod zbp;

pub use account::{AccountError, Nrb, VirtualAccounts};
pub use grosze::{Grosze, GroszeError};
pub use zbp::{PaymentCode, PaymentCodeError};
