//! The ledger kept in okienko's database (`db::ledger`).

use sea_orm::DatabaseConnection;

use super::{Answer, TaxLedger};
use crate::db;
use crate::domain::ledger::{TaxObject, Taxpayer, TaxpayerId};

pub struct Embedded(pub DatabaseConnection);

impl TaxLedger for Embedded {
    fn taxpayer<'a>(&'a self, id: &'a TaxpayerId) -> Answer<'a, Option<Taxpayer>> {
        Box::pin(async move { Ok(db::ledger::taxpayer(&self.0, id).await?) })
    }

    fn objects<'a>(&'a self, t: &'a Taxpayer) -> Answer<'a, Vec<TaxObject>> {
        Box::pin(async move { Ok(db::ledger::objects(&self.0, &t.key).await?) })
    }

    fn assessments<'a>(
        &'a self,
        t: &'a Taxpayer,
    ) -> Answer<'a, Vec<crate::domain::ledger::Assessment>> {
        Box::pin(async move { Ok(db::ledger::assessments(&self.0, &t.key).await?) })
    }

    fn instalments<'a>(
        &'a self,
        t: &'a Taxpayer,
    ) -> Answer<'a, Vec<crate::domain::ledger::Instalment>> {
        Box::pin(async move { Ok(db::ledger::instalments(&self.0, &t.key).await?) })
    }

    fn payments<'a>(&'a self, t: &'a Taxpayer) -> Answer<'a, Vec<crate::domain::ledger::Payment>> {
        Box::pin(async move { Ok(db::ledger::payments(&self.0, &t.key).await?) })
    }
}
