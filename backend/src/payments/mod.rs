//! Payments: statements from the bank (`statement/`), matching them to debts
//! (`matching.rs`), importing a file (`import.rs`), opening debts (`debts.rs`), online payments
//! (`online.rs`, `provider.rs`, `przelewy24.rs`) and the transfer data of letters
//! (`transfer.rs`). The
//! pure types are `domain::payment`; storage is `db::payments`.

pub mod debts;
pub mod import;
pub mod matching;
pub mod online;
pub mod provider;
pub mod przelewy24;
pub mod statement;
pub mod transfer;
