//! Opening debts: a case's fee (`open_for_case`) or an instalment of the tax ledger
//! (`open_for_ledger`), each with its own number, title reference and account.

use sea_orm::{ConnectionTrait, DbErr};
use time::Date;

use super::matching::reference;
use crate::config::Payments;
use crate::db::payments::{self as db, Debt};
use crate::domain::payment::{AccountError, Grosze, Nrb, VirtualAccounts};

/// Where a gmina's debts are paid to: a virtual account each, or one account for all.
#[derive(Debug, Clone)]
pub enum Accounts {
    Virtual(VirtualAccounts),
    Single(Nrb),
}

impl Accounts {
    /// From `[payments]`: the virtual prefix if set, else the account.
    pub fn from_config(c: &Payments) -> Result<Option<Self>, AccountError> {
        if let Some(prefix) = &c.virtual_prefix {
            return VirtualAccounts::new(prefix).map(|v| Some(Self::Virtual(v)));
        }
        c.account
            .as_deref()
            .map(|a| Nrb::parse(a).map(Self::Single))
            .transpose()
    }

    /// The largest debt number this scheme can turn into an account.
    fn max_number(&self) -> i64 {
        match self {
            Self::Virtual(v) => {
                10i64.pow(u32::try_from(v.payer_digits().min(15)).unwrap_or(15)) - 1
            }
            Self::Single(_) => 9_999_999_999,
        }
    }

    fn account(&self, number: i64) -> Result<Nrb, AccountError> {
        match self {
            Self::Virtual(v) => v.account_for(u64::try_from(number).unwrap_or_default()),
            Self::Single(a) => Ok(a.clone()),
        }
    }
}

/// A debt to open.
pub struct NewDebt<'a> {
    pub owner_kind: &'static str,
    pub owner: &'a str,
    pub source_kind: &'static str,
    pub source_ref: &'a str,
    pub amount: Grosze,
    pub title: &'a str,
    pub due: Date,
}

/// The fee of a case, owed by the resident who filed it (`owner` their identity key):
/// what the merger calls when a case with a fee is filed or a clerk demands a fee. Runs in
/// the caller's transaction.
pub async fn open_for_case(
    txn: &impl ConnectionTrait,
    accounts: &Accounts,
    case_id: &str,
    owner: &str,
    amount: Grosze,
    title: &str,
    due: Date,
) -> Result<Debt, DbErr> {
    let debt = NewDebt {
        owner_kind: db::OWNER_IDENTITY,
        owner,
        source_kind: db::SOURCE_CASE,
        source_ref: case_id,
        amount,
        title,
        due,
    };
    open(txn, accounts, debt).await
}

/// An instalment or arrear of the tax ledger, owed by a taxpayer (`ledger_ref` the
/// ledger's own reference: the link stays a plain string).
pub async fn open_for_ledger(
    txn: &impl ConnectionTrait,
    accounts: &Accounts,
    taxpayer: &str,
    ledger_ref: &str,
    amount: Grosze,
    title: &str,
    due: Date,
) -> Result<Debt, DbErr> {
    let debt = NewDebt {
        owner_kind: db::OWNER_TAXPAYER,
        owner: taxpayer,
        source_kind: db::SOURCE_LEDGER,
        source_ref: ledger_ref,
        amount,
        title,
        due,
    };
    open(txn, accounts, debt).await
}

/// Opens a debt under a random free number (a taken one is drawn again), its title
/// starting with the reference `NAL-<number>`.
pub async fn open(
    txn: &impl ConnectionTrait,
    accounts: &Accounts,
    d: NewDebt<'_>,
) -> Result<Debt, DbErr> {
    for debt in draw(accounts, &d, DRAWS).map_err(|e| DbErr::Custom(e.to_string()))? {
        if db::insert_debts(txn, std::slice::from_ref(&debt)).await? == 1 {
            return Ok(debt);
        }
    }
    Err(DbErr::Custom("no free debt number after 8 draws".into()))
}

/// How many numbers a debt tries before giving up: with 10 or more digits to draw from,
/// eight taken ones in a row do not happen.
pub const DRAWS: usize = 8;

/// `n` candidate rows of one debt, each under its own random number with its account
/// and title: the first whose number is free is the debt. For a writer that inserts in
/// its own transaction (a filing's fee is written by `db::submissions::insert`, which
/// cannot call this module).
pub fn draw(accounts: &Accounts, d: &NewDebt<'_>, n: usize) -> Result<Vec<Debt>, AccountError> {
    let max = accounts.max_number();
    let mut out = Vec::with_capacity(n);
    for _ in 0..n {
        let mut bytes = [0u8; 8];
        if getrandom::fill(&mut bytes).is_err() {
            std::process::abort();
        }
        let number = i64::try_from(u64::from_le_bytes(bytes) % u64::try_from(max).unwrap_or(1))
            .unwrap_or(0)
            + 1;
        let account = accounts.account(number)?;
        let title: String = format!("{} {}", reference(number), d.title)
            .chars()
            .take(140)
            .collect();
        out.push(Debt {
            id: uuid::Uuid::now_v7().to_string(),
            number,
            owner_kind: d.owner_kind.into(),
            owner: d.owner.into(),
            source_kind: d.source_kind.into(),
            source_ref: d.source_ref.into(),
            amount: d.amount.get(),
            paid: 0,
            title,
            account: account.digits().into(),
            due: d.due.to_string(),
            status: db::OPEN.into(),
        });
    }
    Ok(out)
}
