//! `okienko verify` (issue 18 §4): walks the whole database and checks what it holds
//! against itself and the published keys. Every receipt's signature, and its digest against
//! the stored submission and its attachments' rows; every attachment's bytes in object
//! storage against their hash; every case's and participation instrument's hash chain;
//! every delivery evidence's signature and what it names. It reports each discrepancy with
//! its record; it changes nothing.

mod chains;
mod filings;
pub mod sweep;

use std::collections::BTreeMap;

use crate::state::AppState;

/// Rows read a page at a time.
const PAGE: u64 = 1000;

/// What was checked, by kind, and every discrepancy found.
#[derive(Debug, Default)]
pub struct Report {
    pub checked: BTreeMap<&'static str, u64>,
    pub problems: Vec<String>,
}

impl Report {
    fn count(&mut self, what: &'static str, n: u64) {
        *self.checked.entry(what).or_default() += n;
    }

    fn problem(&mut self, p: String) {
        // a wholly corrupted database must not fill the memory with its report
        if self.problems.len() < 10_000 {
            self.problems.push(p);
        } else if self.problems.len() == 10_000 {
            self.problems.push("… and more; stopped listing".into());
        }
    }

    pub fn is_clean(&self) -> bool {
        self.problems.is_empty()
    }
}

/// Everything, in one pass over each table.
pub async fn verify(app: &AppState, attachments: bool) -> anyhow::Result<Report> {
    let mut report = Report::default();
    let jwks = app.keys.jwks();
    filings::verify(app, &jwks, attachments, &mut report).await?;
    chains::cases(&app.db, &mut report).await?;
    chains::participation(&app.db, &mut report).await?;
    filings::evidences(&app.db, &jwks, &mut report).await?;
    Ok(report)
}
