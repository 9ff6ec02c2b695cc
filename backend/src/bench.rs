//! Read paths at scale (issue 6 §2): `okienko bench seed` fills PostgreSQL with cases,
//! submissions and mailbox messages spread over residents, in set-based INSERTs;
//! `okienko bench read` times the resident's "my cases", the resident's inbox and a unit's
//! queue at the first and a deep page, through the same queries the pages use.

use std::time::Instant;

use sea_orm::{ConnectionTrait, DatabaseConnection, Statement};

/// Fills the database: `rows` cases (each with its submission) and `rows` messages over
/// `residents` residents, four units. PostgreSQL only (generate_series).
pub async fn seed(db: &DatabaseConnection, rows: u64, residents: u64) -> anyhow::Result<()> {
    if db.get_database_backend() != sea_orm::DatabaseBackend::Postgres {
        anyhow::bail!("the benchmark seeds PostgreSQL: set DATABASE_URL=postgres://...");
    }
    let run = |sql: String| async move {
        let t = Instant::now();
        db.execute_unprepared(&sql).await?;
        anyhow::Ok(t.elapsed())
    };
    let owner = format!("md5('r' || (g % {residents}))");
    let t = run(format!(
        "INSERT INTO submission (id, owner, service_id, service_version, definition_hash, data, applicant, identity_level, receipt_id, idempotency_key, request_hash, filed_at)
         SELECT md5('s' || g), {owner}, 'informacja-publiczna', 1, 'seed', '{{}}', '{{}}', 'substantial', 'UPO-SEED-' || g, NULL, 'seed', now() - (g || ' seconds')::interval
         FROM generate_series(1, {rows}) g"
    ))
    .await?;
    println!("submissions: {rows} in {:.1} s", t.as_secs_f64());
    let t = run(format!(
        "INSERT INTO case_file (id, sign, unit, jrwa, seq, year, register_no, submission_id, service_id, owner, status, outcome, assignee, term, started_on, due_on, paused_days, paused_since, access_code_hash, decided_at, version, filed_at, updated_at)
         SELECT md5('c' || g), (ARRAY['FN','OR','SO','ZK'])[1 + g % 4] || '.1431.' || g || '.2025', (ARRAY['FN','OR','SO','ZK'])[1 + g % 4], '1431', g, 2025, g,
                md5('s' || g), 'informacja-publiczna', {owner},
                (ARRAY['registered','assigned','in_progress','awaiting_applicant','decided','closed'])[1 + (g / 4) % 6], NULL,
                CASE WHEN g % 3 = 0 THEN 'staff:clerk-' || (g % 20) ELSE NULL END,
                'P14D', DATE '2025-01-01' + (g % 700), DATE '2025-01-15' + (g % 700), 0, NULL, md5('a' || g), NULL, 1,
                now() - (g || ' seconds')::interval, now()
         FROM generate_series(1, {rows}) g"
    ))
    .await?;
    println!("cases: {rows} in {:.1} s", t.as_secs_f64());
    let t = run(format!(
        "INSERT INTO mailbox (address, kind, owner, name, email, created_at)
         SELECT 'AE:PL-' || lpad((10000 + g % 90000)::text, 5, '0') || '-' || lpad((g / 90000 + 10000)::text, 5, '0') || '-SEEDR-00', 'resident', md5('r' || g), 'Mieszkaniec ' || g, NULL, now()
         FROM generate_series(0, {} ) g",
        residents - 1
    ))
    .await?;
    println!("mailboxes: {residents} in {:.1} s", t.as_secs_f64());
    let t = run(format!(
        "INSERT INTO message (id, thread_id, ref_to, sender, subject, body, case_sign, document_id, sha3_256, draft_recipients, created_at)
         SELECT md5('m' || g), md5('m' || g), NULL, 'AE:PL-00000-00000-SEEDU-00', 'Pismo ' || g, 'Treść', NULL, NULL, 'seed', NULL, now() - (g || ' seconds')::interval
         FROM generate_series(1, {rows}) g"
    ))
    .await?;
    let t2 = run(format!(
        "INSERT INTO message_copy (id, message_id, mailbox, folder, status, created_at, available_at, opened_at, delivered_at, deemed_at)
         SELECT md5('k' || g), md5('m' || g),
                'AE:PL-' || lpad((10000 + (g % {residents}) % 90000)::text, 5, '0') || '-' || lpad(((g % {residents}) / 90000 + 10000)::text, 5, '0') || '-SEEDR-00',
                'inbox', CASE WHEN g % 5 = 0 THEN 'awaiting' ELSE 'delivered' END, now() - (g || ' seconds')::interval, now() - (g || ' seconds')::interval, NULL, NULL, NULL
         FROM generate_series(1, {rows}) g"
    ))
    .await?;
    println!(
        "messages: {rows} in {:.1} s (+ copies {:.1} s)",
        t.as_secs_f64(),
        t2.as_secs_f64()
    );
    db.execute_unprepared("ANALYZE").await?;
    Ok(())
}

fn p99_ms(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    let rank = ((v.len() as f64) * 0.99).ceil().max(1.0) as usize;
    v.get(rank - 1).copied().unwrap_or(0.0)
}

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
        p99_ms(my_cases.clone()),
        p99_ms(inbox.clone()),
        p99_ms(queue.clone()),
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
