//! Importing a bank statement (`okienko payments import FILE`): parse, record the file
//! once (its SHA-256), record each credit once (its key), match them all in memory
//! (`matching.rs`) after a few set-based reads, and write payments, matches and the
//! debts' sums in one transaction.

use std::collections::{HashMap, HashSet};

use sea_orm::{
    ConnectionTrait, DatabaseBackend, DatabaseConnection, DatabaseTransaction, DbErr,
    TransactionTrait,
};
use sha2::{Digest, Sha256};

use super::matching::{Book, Incoming, Rule};
use super::statement::{self, Entry, Statement, StatementError};
use crate::db::payments::{self as db, NewMatch, NewPayment};
use crate::forms::catalogue::hex;

#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Report {
    pub statement_id: String,
    pub format: &'static str,
    pub entries: usize,
    pub debits: usize,
    /// Credits recorded before (by an earlier statement): skipped.
    pub known: usize,
    pub by_virtual_account: usize,
    pub by_title: usize,
    pub by_amount_payer: usize,
    pub unmatched: usize,
}

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error(transparent)]
    Statement(#[from] StatementError),
    #[error("ten wyciąg został już zaimportowany (ten sam plik, SHA-256 {0})")]
    AlreadyImported(String),
    #[error(transparent)]
    Db(#[from] DbErr),
}

/// Imports a statement file's bytes as `imported_by` (a clerk or `cli`).
pub async fn import(
    db: &DatabaseConnection,
    bytes: &[u8],
    imported_by: &str,
) -> Result<Report, ImportError> {
    let parsed = statement::parse(bytes)?;
    let statement_id = uuid::Uuid::now_v7().to_string();
    let txn = db.begin().await?;
    let sqlite = txn.get_database_backend() == DatabaseBackend::Sqlite;
    if sqlite {
        // a large statement dirties more pages than the connection's cache holds, and
        // SQLite would write them to the WAL again and again before the commit: this
        // connection holds up to 256 MiB while the import runs (pages taken as used)
        txn.execute_unprepared("PRAGMA cache_size = -262144")
            .await?;
    }
    let recorded = record(&txn, &parsed, bytes, &statement_id, imported_by).await;
    if sqlite {
        // back to the pool's size whatever happened (the connection returns to the pool);
        // the dirty pages stay until the commit writes them
        let reset = format!("PRAGMA cache_size = {}", crate::db::SQLITE_CACHE_KIB);
        let reset = txn.execute_unprepared(&reset).await;
        if recorded.is_ok() {
            reset?;
        }
    }
    let report = recorded?;
    txn.commit().await?;
    Ok(report)
}

/// Records the statement, its credits and their matches in `txn`: the import's writes.
async fn record(
    txn: &DatabaseTransaction,
    parsed: &Statement,
    bytes: &[u8],
    statement_id: &str,
    imported_by: &str,
) -> Result<Report, ImportError> {
    let digest = hex(&Sha256::digest(bytes));
    if !db::insert_statement(
        txn,
        statement_id,
        &digest,
        &parsed.account,
        parsed.format.as_str(),
        imported_by,
    )
    .await?
    {
        return Err(ImportError::AlreadyImported(digest));
    }
    let mut report = Report {
        statement_id: statement_id.to_owned(),
        format: parsed.format.as_str(),
        entries: parsed.entries.len(),
        ..Report::default()
    };
    let credits: Vec<(&Entry, String)> = keyed_credits(parsed);
    report.debits = parsed.entries.len() - credits.len();
    let keys: Vec<String> = credits.iter().map(|(_, k)| k.clone()).collect();
    let known = db::existing_keys(txn, &keys).await?;
    let fresh: Vec<(&Entry, String)> = credits
        .into_iter()
        .filter(|(_, k)| !known.contains(k))
        .collect();
    report.known = known.len();

    let mut book = Book::default();
    let accounts: Vec<String> = unique(
        fresh
            .iter()
            .filter_map(|(e, _)| e.credited_account.as_ref().map(|a| a.digits().to_string())),
    );
    book.add(db::debts_by_accounts(txn, &accounts).await?);
    let numbers: Vec<i64> = unique(
        fresh
            .iter()
            .flat_map(|(e, _)| super::matching::references(&e.title)),
    );
    book.add(db::debts_by_numbers(txn, &numbers).await?);
    let payers: Vec<String> = unique(fresh.iter().filter_map(|(e, _)| e.payer_account.clone()));
    let owners = db::owners_by_payer_accounts(txn, &payers).await?;
    let owner_ids: Vec<String> = unique(owners.iter().map(|(_, _, o)| o.clone()));
    let owner_debts = db::open_debts_of_owners(txn, &owner_ids).await?;
    book.add_payers(owners, owner_debts);

    let mut payments = Vec::with_capacity(fresh.len());
    let mut matches = Vec::new();
    for (entry, key) in &fresh {
        let id = uuid::Uuid::now_v7().to_string();
        let settled = book.settle(&Incoming {
            amount: entry.amount.get(),
            credited: entry.credited_account.as_ref().map(|a| a.digits()),
            title: &entry.title,
            payer_account: entry.payer_account.as_deref(),
        });
        let status = match &settled {
            Some((rule, parts)) => {
                *match rule {
                    Rule::VirtualAccount => &mut report.by_virtual_account,
                    Rule::Title => &mut report.by_title,
                    Rule::AmountPayer => &mut report.by_amount_payer,
                } += 1;
                matches.extend(parts.iter().map(|(debt_id, amount)| NewMatch {
                    payment_id: id.clone(),
                    debt_id: debt_id.clone(),
                    amount: *amount,
                    rule: rule.as_str(),
                    matched_by: "okienko".into(),
                }));
                db::MATCHED
            }
            None => {
                report.unmatched += 1;
                db::UNMATCHED
            }
        };
        payments.push(payment(entry, key, id, parsed, statement_id, status));
    }
    db::insert_payments(txn, &payments).await?;
    db::insert_matches(txn, &matches).await?;
    let matched = report.by_virtual_account + report.by_title + report.by_amount_payer;
    db::finish_statement(txn, statement_id, count(fresh.len()), count(matched)).await?;
    Ok(report)
}

fn count(n: usize) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}

fn payment(
    entry: &Entry,
    key: &str,
    id: String,
    parsed: &Statement,
    statement_id: &str,
    status: &'static str,
) -> NewPayment {
    let cut = |s: &str, n: usize| s.chars().take(n).collect::<String>();
    NewPayment {
        id,
        key: key.to_string(),
        channel: db::CHANNEL_TRANSFER,
        amount: entry.amount.get(),
        booked: entry.booked.to_string(),
        account: entry
            .credited_account
            .as_ref()
            .map_or_else(|| cut(&parsed.account, 34), |a| a.digits().to_string()),
        payer_name: cut(&entry.payer_name, 140),
        payer_account: cut(entry.payer_account.as_deref().unwrap_or(""), 34),
        title: cut(&entry.title, 1_000),
        statement_id: Some(statement_id.to_string()),
        line: Some(count(entry.line)),
        status,
    }
}

/// Each credit with its key: the statement's account and the bank's reference, or, where
/// the bank gives none, a digest of the entry and how many identical entries came before
/// it in the file (so the same file read again gives the same keys).
fn keyed_credits(s: &Statement) -> Vec<(&Entry, String)> {
    let mut seen: HashMap<String, usize> = HashMap::new();
    s.entries
        .iter()
        .filter(|e| e.credit)
        .map(|e| {
            let key = match &e.bank_reference {
                Some(r) => format!("stmt:{}/{}", s.account, r),
                None => {
                    let body = format!(
                        "{}|{}|{}|{}|{}",
                        e.booked,
                        e.amount.get(),
                        e.payer_account.as_deref().unwrap_or(""),
                        e.payer_name,
                        e.title
                    );
                    let n = seen.entry(body.clone()).or_default();
                    *n += 1;
                    let digest = hex(&Sha256::digest(format!("{body}|{n}").as_bytes()));
                    format!("stmt:{}/#{}", s.account, &digest[..32])
                }
            };
            (e, key.chars().take(200).collect())
        })
        .collect()
}

fn unique<T: std::hash::Hash + Eq + Clone>(items: impl Iterator<Item = T>) -> Vec<T> {
    let mut seen = HashSet::new();
    items.filter(|i| seen.insert(i.clone())).collect()
}
