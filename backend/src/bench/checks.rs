//! The checks after `bench filing`'s load: every acknowledged filing is in the database,
//! whole and signed, and the numbering has no gap, so a fast wrong answer cannot pass.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use sea_orm::{ConnectionTrait, DatabaseConnection, Statement};

/// What the checks found.
pub struct Checks {
    pub acknowledged: usize,
    pub in_database: usize,
    pub receipts_valid: usize,
    pub registered: usize,
    pub notices: usize,
    pub counters: Vec<String>,
    pub unacknowledged: usize,
    pub failures: u64,
    pub problems: Vec<String>,
}

impl std::fmt::Display for Checks {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(
            f,
            "checks: {} acknowledged; {} in the database with their attachments, {} with a valid receipt naming their register entry and sign, {} with a register entry in the history, {} with an outbox notice",
            self.acknowledged, self.in_database, self.receipts_valid, self.registered, self.notices
        )?;
        writeln!(f, "numbering: {}", self.counters.join("; "))?;
        if self.unacknowledged > 0 {
            writeln!(
                f,
                "{} filings in the database were never acknowledged (client timeouts)",
                self.unacknowledged
            )?;
        }
        for p in &self.problems {
            writeln!(f, "CHECK FAILED: {p}")?;
        }
        write!(f, "{} check failure(s)", self.failures)
    }
}

/// Every acknowledged filing: in the database with its attachment, a receipt that verifies
/// and names the case's register number and sign, a register entry in the case history and
/// an outbox notice; and the numbering is gap-free.
pub async fn check(
    db: &DatabaseConnection,
    acks_file: &Path,
    jwks: &serde_json::Value,
    attachments_each: i64,
) -> anyhow::Result<Checks> {
    let text = std::fs::read_to_string(acks_file).unwrap_or_default();
    let acks: Vec<(&str, &str)> = text.lines().filter_map(|l| l.split_once('\t')).collect();
    let mut c = Checks {
        acknowledged: acks.len(),
        in_database: 0,
        receipts_valid: 0,
        registered: 0,
        notices: 0,
        counters: Vec::new(),
        unacknowledged: 0,
        failures: 0,
        problems: Vec::new(),
    };
    let fail = |c: &mut Checks, p: String| {
        c.failures += 1;
        if c.problems.len() < 10 {
            c.problems.push(p);
        }
    };
    let backend = db.get_database_backend();
    let rows = db
        .query_all_raw(Statement::from_string(
            backend,
            "SELECT s.id, s.receipt_id, r.jws, c.sign, c.register_no, c.year,
                    (SELECT COUNT(*) FROM attachment a WHERE a.submission_id = s.id) AS files,
                    (SELECT COUNT(*) FROM case_event e WHERE e.case_id = c.id AND e.seq = 1 AND e.action = 'register') AS registered
             FROM submission s
             LEFT JOIN receipt r ON r.submission_id = s.id
             LEFT JOIN case_file c ON c.submission_id = s.id",
        ))
        .await?;
    struct Row {
        receipt_id: String,
        jws: Option<String>,
        sign: Option<String>,
        register: Option<String>,
        files: i64,
        registered: i64,
    }
    let mut filed = HashMap::new();
    for r in &rows {
        let no: Option<i32> = r.try_get("", "register_no")?;
        let year: Option<i32> = r.try_get("", "year")?;
        filed.insert(
            r.try_get::<String>("", "id")?,
            Row {
                receipt_id: r.try_get("", "receipt_id")?,
                jws: r.try_get("", "jws")?,
                sign: r.try_get("", "sign")?,
                register: no.zip(year).map(|(n, y)| format!("{n}/{y}")),
                files: r.try_get("", "files")?,
                registered: r.try_get("", "registered")?,
            },
        );
    }
    let notices: HashSet<String> = db
        .query_all_raw(Statement::from_string(
            backend,
            "SELECT payload FROM outbox WHERE kind = 'filing_receipt'",
        ))
        .await?
        .iter()
        .filter_map(|r| r.try_get::<String>("", "payload").ok())
        .filter_map(|p| serde_json::from_str::<serde_json::Value>(&p).ok())
        .filter_map(|v| v["receipt_id"].as_str().map(str::to_owned))
        .collect();
    let mut seen = HashSet::new();
    for (receipt_id, submission_id) in &acks {
        if !seen.insert(*submission_id) {
            fail(&mut c, format!("{submission_id} acknowledged twice"));
            continue;
        }
        let Some(row) = filed.get(*submission_id) else {
            fail(
                &mut c,
                format!("{submission_id} acknowledged but not in the database"),
            );
            continue;
        };
        if row.files == attachments_each && row.receipt_id == *receipt_id {
            c.in_database += 1;
        } else {
            fail(
                &mut c,
                format!(
                    "{submission_id}: {} attachment rows, receipt {}",
                    row.files, row.receipt_id
                ),
            );
        }
        let claims = row
            .jws
            .as_deref()
            .map(|j| crate::receipt::verify::verify(j, jwks));
        match (claims, &row.sign) {
            (Some(Ok(cl)), Some(sign))
                if cl.receipt_id == *receipt_id
                    && cl.registration.as_ref().is_some_and(|g| {
                        g.case_sign == *sign && Some(&g.register_no) == row.register.as_ref()
                    }) =>
            {
                c.receipts_valid += 1;
            }
            (Some(Err(e)), _) => fail(
                &mut c,
                format!("{receipt_id}: receipt does not verify: {e}"),
            ),
            _ => fail(
                &mut c,
                format!("{receipt_id}: no receipt or case matching it"),
            ),
        }
        if row.registered == 1 {
            c.registered += 1;
        } else {
            fail(
                &mut c,
                format!("{submission_id}: no register entry in the history"),
            );
        }
        if notices.contains(*receipt_id) {
            c.notices += 1;
        } else {
            fail(&mut c, format!("{receipt_id}: no outbox notice"));
        }
    }
    c.unacknowledged = filed.len().saturating_sub(seen.len());
    // gap-free numbering: each counter ran 1..=n with no repeats
    for (what, sql) in [
        (
            "signs",
            "SELECT unit || '.' || jrwa || '.*.' || year AS k, COUNT(*) AS n, COUNT(DISTINCT seq) AS d, MIN(seq) AS lo, MAX(seq) AS hi FROM case_file GROUP BY unit, jrwa, year",
        ),
        (
            "register",
            "SELECT 'register ' || year AS k, COUNT(*) AS n, COUNT(DISTINCT register_no) AS d, MIN(register_no) AS lo, MAX(register_no) AS hi FROM case_file GROUP BY year",
        ),
    ] {
        for r in db
            .query_all_raw(Statement::from_string(backend, sql))
            .await?
        {
            let k: String = r.try_get("", "k")?;
            let n: i64 = r.try_get("", "n")?;
            let d: i64 = r.try_get("", "d")?;
            let lo: i32 = r.try_get("", "lo")?;
            let hi: i32 = r.try_get("", "hi")?;
            if lo == 1 && i64::from(hi) == n && d == n {
                c.counters.push(format!("{k}: 1..{hi} gap-free"));
            } else {
                fail(
                    &mut c,
                    format!("{what} {k}: {n} cases numbered {lo}..{hi} with {d} distinct"),
                );
            }
        }
    }
    Ok(c)
}
