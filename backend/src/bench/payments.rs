//! `okienko bench payments` (issue 21 §4): a million debts with virtual accounts, then a
//! statement of 100,000 lines imported and matched (`payments::import`), timed; every
//! line's outcome checked in the database afterwards.

use std::fmt::Write as _;
use std::time::Instant;

use sea_orm::{ConnectionTrait, Statement};

use crate::db::payments::{self as db, Debt};
use crate::domain::payment::VirtualAccounts;

const PREFIX: &str = "1020102600";
const STATEMENT_ACCOUNT: &str = "PL61109010140000071219812874";

pub async fn run(database_url: &str, debts: u64, lines: u64) -> anyhow::Result<()> {
    let url = if database_url.starts_with("postgres") {
        super::filing::fresh_named(database_url, "okienko_bench_payments").await?
    } else {
        let path =
            std::env::temp_dir().join(format!("okienko-bench-payments-{}.db", std::process::id()));
        let _ = std::fs::remove_file(&path);
        format!("sqlite://{}?mode=rwc", path.display())
    };
    let conn = crate::db::connect(&url).await?;
    crate::db::migrate(&conn).await?;
    let accounts = VirtualAccounts::new(PREFIX)?;

    let started = Instant::now();
    seed(&conn, &accounts, debts).await?;
    let seeded = started.elapsed().as_secs_f64();
    println!("seeded {debts} debts with virtual accounts in {seeded:.1} s");
    // as a town hall's database is between imports: its statistics gathered (PostgreSQL's
    // autovacuum does it within a minute of a bulk load; the import would otherwise be
    // planned against an empty table's estimates)
    conn.execute_unprepared("ANALYZE").await?;

    let file = statement(&accounts, debts, lines)?;
    let started = Instant::now();
    let parsed = crate::payments::statement::parse(file.as_bytes())?;
    let parse_s = started.elapsed().as_secs_f64();
    println!(
        "statement: {} lines ({:.1} MB MT940), parsed in {parse_s:.2} s",
        parsed.entries.len(),
        file.len() as f64 / 1e6
    );
    let started = Instant::now();
    let report = crate::payments::import::import(&conn, file.as_bytes(), "bench").await?;
    let import_s = started.elapsed().as_secs_f64();
    println!(
        "import (parse, match, write): {import_s:.2} s; by virtual account {}, by title {}, \
         unmatched {}",
        report.by_virtual_account, report.by_title, report.unmatched
    );
    check(&conn, lines, &report).await?;
    println!(
        "checked: {} payments, {} matches; target < 5 s: {}",
        lines,
        report.by_virtual_account + report.by_title,
        if import_s < 5.0 { "met" } else { "MISSED" }
    );
    Ok(())
}

fn amount(n: u64) -> i64 {
    i64::try_from(5_000 + (n * 37) % 200_000).unwrap_or(5_000)
}

async fn seed(
    conn: &impl ConnectionTrait,
    accounts: &VirtualAccounts,
    debts: u64,
) -> anyhow::Result<()> {
    let mut batch = Vec::with_capacity(10_000);
    for n in 1..=debts {
        let number = i64::try_from(n)?;
        batch.push(Debt {
            id: format!("{:036}", n),
            number,
            owner_kind: db::OWNER_TAXPAYER.into(),
            owner: format!("T{}", n / 4),
            source_kind: db::SOURCE_LEDGER.into(),
            source_ref: format!("L{n}"),
            amount: amount(n),
            paid: 0,
            title: format!("NAL-{n} podatek od nieruchomości"),
            account: accounts.account_for(n)?.digits().into(),
            due: "2026-12-15".into(),
            status: db::OPEN.into(),
        });
        if batch.len() == 10_000 {
            db::insert_debts(conn, &batch).await?;
            batch.clear();
        }
    }
    db::insert_debts(conn, &batch).await?;
    Ok(())
}

/// Which debt line `i` pays: spread over all of them.
fn debt_of(i: u64, debts: u64) -> u64 {
    (i * 7_919) % debts + 1
}

/// An MT940 statement: 7 lines in 10 to a virtual account, 2 naming the debt in the
/// title, 1 that no rule matches.
fn statement(accounts: &VirtualAccounts, debts: u64, lines: u64) -> anyhow::Result<String> {
    let mut s = format!(":20:BENCH\n:25:/{STATEMENT_ACCOUNT}\n:28C:1/1\n:60F:C261201PLN0,00\n");
    for i in 0..lines {
        let n = debt_of(i, debts);
        let grosze = amount(n);
        let zloty = format!("{},{:02}", grosze / 100, grosze % 100);
        writeln!(s, ":61:2612021202C{zloty}N051REF{i}//B{i:09}")?;
        match i % 10 {
            0..=6 => {
                writeln!(s, "{}", accounts.account_for(n)?.digits())?;
                writeln!(s, ":86:051~20Podatek od nieruchomości~32Jan Kowalski")?;
            }
            7 | 8 => writeln!(
                s,
                ":86:051~20NAL-{n} podatek od nieruchom~21ości rata 4~32Zażółć Gęślą"
            )?,
            _ => writeln!(s, ":86:051~20Darowizna na schronisko~32Anna Nowak")?,
        }
    }
    s.push_str(":62F:C261202PLN0,00\n-\n");
    Ok(s)
}

/// Every line is a payment, matched as counted, and the debts' sums add up.
async fn check(
    conn: &impl ConnectionTrait,
    lines: u64,
    r: &crate::payments::import::Report,
) -> anyhow::Result<()> {
    let count = |sql: &str| {
        let stmt = Statement::from_string(conn.get_database_backend(), sql.to_owned());
        async move {
            let row = conn.query_one_raw(stmt).await?;
            anyhow::Ok(row.map_or(Ok(0), |r| r.try_get_by_index::<i64>(0))?)
        }
    };
    let payments = count("SELECT COUNT(*) FROM payment").await?;
    anyhow::ensure!(
        payments == i64::try_from(lines)?,
        "{payments} payments for {lines} lines"
    );
    let matched = count("SELECT COUNT(*) FROM payment WHERE status = 'matched'").await?;
    let expected = r.by_virtual_account + r.by_title + r.by_amount_payer;
    anyhow::ensure!(
        matched == i64::try_from(expected)?,
        "{matched} matched, {expected} counted"
    );
    let paid = count("SELECT CAST(COALESCE(SUM(paid), 0) AS BIGINT) FROM payment_debt").await?;
    let settled =
        count("SELECT CAST(COALESCE(SUM(amount), 0) AS BIGINT) FROM payment_match").await?;
    anyhow::ensure!(paid == settled, "debts paid {paid}, matches {settled}");
    Ok(())
}
