//! A filing's fee (issue 21): what the filed data owes, and the debt it opens in the
//! filing's own transaction.
//!
//! The amount is the service's `fee` worked out for the data (`forms::Outcome::fee`,
//! nothing where its `exempt_if` holds) or, for a certificate whose stamp duty depends on
//! its purpose, the computed field `fee` (`forms/data/oplata-skarbowa-zaswiadczenia.yaml`,
//! zero where art. 2 ust. 1 of the stamp duty act exempts). Stamp duty is due when the
//! request is filed (ustawa o opłacie skarbowej art. 6 ust. 1 pkt 1, art. 8 ust. 1): the
//! debt is due on the day of filing plus the 7 days KPA art. 261 § 1 gives when the
//! office calls for it. With no account set up (`[payments]`), nothing is opened and
//! cases go on as before.

use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use serde_json::{Map, Value};
use time::{Date, Duration};

use crate::db::payments::{self as db, Debt};
use crate::domain::payment::Grosze;
use crate::domain::procedure::Procedure;
use crate::error::AppResult;
use crate::forms::Service;
use crate::payments::debts::{self, Accounts, NewDebt};
use crate::state::AppState;

/// The days a resident has to pay after filing (KPA art. 261 § 1: a request without its
/// stamp duty is called to be completed within 7 days).
pub const DAYS_TO_PAY: i64 = 7;

/// What filing `data` under `svc` owes, in grosze: `None` when nothing (no fee, or exempt).
pub fn due(svc: &Service, fee: Option<Decimal>, data: &Map<String, Value>) -> Option<Grosze> {
    let amount = fee.or_else(|| {
        (svc.def.procedure == Procedure::Certificate)
            .then(|| computed_fee(data.get("fee")?))
            .flatten()
    })?;
    let grosze = (amount * Decimal::ONE_HUNDRED).round().to_i64()?;
    Grosze::new(grosze).ok().filter(|g| g.get() > 0)
}

fn computed_fee(v: &Value) -> Option<Decimal> {
    match v {
        Value::String(s) => s.parse().ok(),
        Value::Number(n) => n.to_string().parse().ok(),
        _ => None,
    }
}

/// The candidate rows of the fee's debt (`db::submissions::insert` writes the first free
/// one with the case's id), owed by `owner` (the filer's owner key, as their cases are).
pub fn candidates(
    app: &AppState,
    svc: &Service,
    owner: &str,
    amount: Option<Grosze>,
    filed_on: Date,
) -> AppResult<Vec<Debt>> {
    let Some(amount) = amount else {
        return Ok(vec![]);
    };
    let accounts = Accounts::from_config(&app.settings.payments)
        .map_err(|e| anyhow::anyhow!("[payments] account or virtual_prefix: {e}"))?;
    let Some(accounts) = accounts else {
        return Ok(vec![]);
    };
    let title = format!("opłata: {}", svc.def.title.pl);
    let d = NewDebt {
        owner_kind: db::OWNER_IDENTITY,
        owner,
        source_kind: db::SOURCE_CASE,
        source_ref: "",
        amount,
        title: &title,
        due: filed_on + Duration::days(DAYS_TO_PAY),
    };
    debts::draw(&accounts, &d, debts::DRAWS)
        .map_err(|e| anyhow::anyhow!("a fee's account: {e}").into())
}
