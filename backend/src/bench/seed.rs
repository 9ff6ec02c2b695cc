//! `okienko bench seed`: fills PostgreSQL with cases, submissions and mailbox messages
//! spread over residents, in set-based INSERTs (issue 6 §2).

use std::time::Instant;

use sea_orm::{ConnectionTrait, DatabaseConnection};

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
