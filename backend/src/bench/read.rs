//! `okienko bench read`: times the resident's "my cases", the resident's inbox and a unit's
//! queue at the first and a deep page, through the same queries the pages use (issue 6 §2).

use std::time::Instant;

use sea_orm::{ConnectionTrait, DatabaseConnection, Statement};

use super::percentile;

/// Times each read path `iterations` times at the first and a deep page; prints a table
/// and the RESULT line.
pub async fn read(db: &DatabaseConnection, iterations: usize) -> anyhow::Result<()> {
    use crate::db::{cases, mailboxes, submissions};
    let rows: i64 = db
        .query_one_raw(Statement::from_string(
            db.get_database_backend(),
            "SELECT COUNT(*) AS n FROM case_file",
        ))
        .await?
        .map(|r| r.try_get::<i64>("", "n"))
        .transpose()?
        .unwrap_or(0);
    let mut my_cases = Vec::new();
    let mut inbox = Vec::new();
    let mut queue = Vec::new();
    // residents to read as: a sample, picked outside the timings
    let sample = |sql: &str| {
        let sql = sql.to_owned();
        async move {
            let rows = db
                .query_all_raw(Statement::from_string(db.get_database_backend(), sql))
                .await?;
            rows.iter()
                .map(|r| r.try_get::<String>("", "v"))
                .collect::<Result<Vec<String>, _>>()
                .map_err(anyhow::Error::from)
        }
    };
    let owners = sample(&format!(
        "SELECT owner AS v FROM submission ORDER BY random() LIMIT {iterations}"
    ))
    .await?;
    let addresses = sample(&format!(
        "SELECT address AS v FROM mailbox WHERE kind = 'resident' ORDER BY random() LIMIT {iterations}"
    ))
    .await?;
    if owners.is_empty() || addresses.is_empty() {
        anyhow::bail!("no residents to read as: run `okienko bench seed` first");
    }
    for (i, owner) in owners.iter().enumerate() {
        // my cases: the first page of 5, then the next (keyset), each with its cases
        let t = Instant::now();
        let page = submissions::list(
            db,
            submissions::Listing {
                owner: Some(owner),
                service: None,
            },
            None,
            5,
        )
        .await?;
        let ids: Vec<String> = page.iter().map(|s| s.id.clone()).collect();
        cases::by_submissions(db, &ids).await?;
        my_cases.push(t.elapsed().as_secs_f64() * 1000.0);
        if let Some(last) = page.last() {
            let t = Instant::now();
            let next = submissions::list(
                db,
                submissions::Listing {
                    owner: Some(owner),
                    service: None,
                },
                Some((last.filed_at, last.id.clone())),
                5,
            )
            .await?;
            let ids: Vec<String> = next.iter().map(|s| s.id.clone()).collect();
            cases::by_submissions(db, &ids).await?;
            my_cases.push(t.elapsed().as_secs_f64() * 1000.0);
        }
        // the resident's inbox, first page and the next
        let Some(address) = addresses.get(i % addresses.len().max(1)) else {
            continue;
        };
        let t = Instant::now();
        let first = mailboxes::folder(db, address, "inbox", None, 5).await?;
        inbox.push(t.elapsed().as_secs_f64() * 1000.0);
        if let Some((c, _)) = first.last() {
            let t = Instant::now();
            mailboxes::folder(db, address, "inbox", Some((c.created_at, c.id.clone())), 5).await?;
            inbox.push(t.elapsed().as_secs_f64() * 1000.0);
        }
        // a unit's queue by deadline: the first page, and a page deep in the year
        let units = [String::from(["FN", "OR", "SO", "ZK"][i % 4])];
        let t = Instant::now();
        cases::queue(
            db,
            cases::QueueFilter {
                units: Some(&units),
                ..Default::default()
            },
            None,
            50,
        )
        .await?;
        queue.push(t.elapsed().as_secs_f64() * 1000.0);
        let deep = time::Date::from_ordinal_date(2026, 1 + (i % 300) as u16)?;
        let t = Instant::now();
        cases::queue(
            db,
            cases::QueueFilter {
                units: Some(&units),
                ..Default::default()
            },
            Some((deep, String::new())),
            50,
        )
        .await?;
        queue.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    let (a, b, c) = (
        percentile(&my_cases, 0.99),
        percentile(&inbox, 0.99),
        percentile(&queue, 0.99),
    );
    println!("path        samples  p99 ms");
    println!("my cases    {:>7}  {a:.2}", my_cases.len());
    println!("inbox       {:>7}  {b:.2}", inbox.len());
    println!("unit queue  {:>7}  {c:.2}", queue.len());
    println!(
        "RESULT read_p99_ms_my_cases={a:.2} read_p99_ms_inbox={b:.2} read_p99_ms_queue={c:.2} rows={rows}"
    );
    Ok(())
}
