//! The boundary to the gmina's residents' registers (issue 20 §1, docs/ledger.md
//! "Registers of residence"): the residents' register and the register of foreigners'
//! residence (ustawa o ewidencji ludności art. 8 pkt 2 and 3), read by their certificates.
//! `Embedded` keeps them in okienko's database, fed by the residence cases decided in
//! okienko (`feed.rs`) and by `okienko residents import FILE` (`import.rs`); a gmina whose
//! register system answers online would implement `ResidentsRegister` for it.

pub mod certificate;
pub mod feed;
pub mod import;

use sea_orm::DatabaseConnection;

use crate::domain::pesel::Pesel;
use crate::domain::residence::Registration;
use crate::ledger::Answer;

pub trait ResidentsRegister: Send + Sync {
    /// The person's registrations in both registers, earliest first.
    fn registrations<'a>(&'a self, pesel: &'a Pesel) -> Answer<'a, Vec<Registration>>;
}

/// The registers kept in okienko's database (`db::residence`).
pub struct Embedded(pub DatabaseConnection);

impl ResidentsRegister for Embedded {
    fn registrations<'a>(&'a self, pesel: &'a Pesel) -> Answer<'a, Vec<Registration>> {
        Box::pin(async move { Ok(crate::db::residence::of_person(&self.0, pesel).await?) })
    }
}
