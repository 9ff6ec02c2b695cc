//! `okienko bench filing`: the filing peak (issue 6 §1). On a fresh PostgreSQL database it
//! starts this binary as `serve` and `worker` in production mode, gives N residents a
//! session and a mailbox, drives `bench load` (its own process) in closed loops of rising
//! concurrency and open loops at fixed rates, checks every acknowledged filing in the
//! database, and runs `pgbench` with a script writing the rows one filing writes, as this
//! database's own limit on this machine. The last line is the `RESULT` line.

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

use anyhow::Context;
use sea_orm::{ConnectionTrait, DatabaseConnection, Statement};
use tokio::process::{Child, Command};

use super::load::StepReport;
use crate::domain::identity::{Identity, Role};
use crate::domain::level::IdentityLevel;

pub struct Options {
    /// A PostgreSQL URL; the benchmark creates (and drops) its own database on that server.
    pub database_url: String,
    pub residents: usize,
    pub concurrency: Vec<usize>,
    pub rates: Vec<u32>,
    pub seconds: f64,
    pub pgbench_clients: Vec<usize>,
    /// Keep the database and the working folder for inspection.
    pub keep: bool,
    /// Where the server's data (keys, attachments, logs) go for the run.
    pub work_dir: PathBuf,
}

const DB_NAME: &str = "okienko_bench_filing";

/// Runs the benchmark; `Ok(false)` when a request failed or a check did not hold.
pub async fn run(opts: Options) -> anyhow::Result<bool> {
    if !opts.database_url.starts_with("postgres") {
        anyhow::bail!("the filing benchmark runs on PostgreSQL: set DATABASE_URL=postgres://...");
    }
    let bench_url = fresh_database(&opts.database_url).await?;
    // not under /tmp: creating a file where many were just deleted costs ext4 up to ten
    // times more (measured here: 0.7 ms against 0.05 ms), which would be the disk's
    // history, not okienko's cost
    let work = opts.work_dir.join(format!("bench-{}", std::process::id()));
    std::fs::create_dir_all(&work)?;
    let port = free_port()?;
    let base = format!("http://127.0.0.1:{port}");
    let config = work.join("okienko.toml");
    // production keeps /metrics behind a token; the benchmark reads its commit counts there
    let metrics_token = crate::auth::random_token();
    std::fs::write(
        &config,
        config_toml(port, &work.join("data"), &bench_url, &metrics_token),
    )?;

    let status = okienko(&config)
        .arg("migrate")
        .stdout(Stdio::null())
        .status()
        .await?;
    anyhow::ensure!(status.success(), "`okienko migrate` failed");
    let db = crate::db::connect(&bench_url).await?;
    let sessions = work.join("sessions.txt");
    let t = Instant::now();
    residents(&db, opts.residents, &sessions).await?;
    println!(
        "{} residents with a session and a mailbox in {:.1} s",
        opts.residents,
        t.elapsed().as_secs_f64()
    );

    let mut server = spawn(&config, "serve", &work)?;
    let client = reqwest::Client::new();
    wait_ready(&client, &base, &mut server).await?;
    let mut worker = spawn(&config, "worker", &work)?;
    let jwks: serde_json::Value = client
        .get(format!("{base}/.well-known/jwks.json"))
        .send()
        .await?
        .json()
        .await?;

    let acks = work.join("acks.tsv");
    let mut steps = Vec::new();
    let shapes = opts
        .concurrency
        .iter()
        .map(|c| ("--concurrency", c.to_string()))
        .chain(opts.rates.iter().map(|r| ("--rate", r.to_string())));
    println!(
        "{:<14} {:>7} {:>7} {:>6} {:>7} {:>8} {:>8} {:>8} {:>8} {:>9} {:>9} {:>9} {:>9} {:>7} {:>7}",
        "step",
        "sent",
        "ok",
        "errors",
        "refused",
        "per s",
        "p50 ms",
        "p99 ms",
        "max ms",
        "server",
        "worker",
        "load",
        "db+rest",
        "rss MB",
        "/commit"
    );
    println!(
        "(refused: 503 overloaded answers, each filing sent again after Retry-After; server, worker, load, db+rest: CPU ms per filing; rss: the server's now; /commit: filings per transaction)"
    );
    for (flag, value) in shapes {
        // each step starts once the worker has sent the last step's notices, so a step
        // measures the load it offers, not the one before it
        wait_drained(&db, Duration::from_secs(60)).await?;
        let cpu_before = (cpu_ms(server.id()), cpu_ms(worker.id()), machine_busy_ms());
        let commits_before = commits(&client, &base, &metrics_token).await?;
        let out = okienko(&config)
            .args(["bench", "load", "--url", &base, flag, &value])
            .arg("--seconds")
            .arg(opts.seconds.to_string())
            .arg("--sessions")
            .arg(&sessions)
            .arg("--acks")
            .arg(&acks)
            .args(
                opts.keep
                    .then(|| {
                        let name = format!("trace-{}-{value}.tsv", flag.trim_start_matches('-'));
                        ["--trace".into(), work.join(name).into_os_string()]
                    })
                    .into_iter()
                    .flatten(),
            )
            .stderr(Stdio::inherit())
            .output()
            .await?;
        let text = String::from_utf8_lossy(&out.stdout);
        let report: StepReport = text
            .lines()
            .last()
            .and_then(|l| serde_json::from_str(l).ok())
            .with_context(|| format!("the load generator printed no report: {text}"))?;
        // CPU per filing: the server's own, and everything else on the machine (the
        // database, the worker, the load generator)
        let per = |ms: f64| ms / (report.ok.max(1) as f64);
        let commits_after = commits(&client, &base, &metrics_token).await?;
        let per_commit =
            (commits_after.1 - commits_before.1) / (commits_after.0 - commits_before.0).max(1.0);
        let server_ms = cpu_ms(server.id()) - cpu_before.0;
        let worker_ms = cpu_ms(worker.id()) - cpu_before.1;
        let other_ms = machine_busy_ms() - cpu_before.2 - server_ms - worker_ms - report.cpu_ms;
        println!(
            "{:<14} {:>7} {:>7} {:>6} {:>7} {:>8.0} {:>8.1} {:>8.1} {:>8.1} {:>9.2} {:>9.2} {:>9.2} {:>9.2} {:>7.0} {:>7.1}",
            report.shape,
            report.sent,
            report.ok,
            report.errors,
            report.refused,
            report.per_s,
            report.p50_ms,
            report.p99_ms,
            report.max_ms,
            per(server_ms),
            per(worker_ms),
            per(report.cpu_ms),
            per(other_ms),
            rss_mb(&server, "VmRSS:"),
            per_commit
        );
        for e in &report.error_samples {
            println!("    error: {e}");
        }
        steps.push(report);
    }
    let server_rss = rss_mb(&server, "VmHWM:");
    let worker_rss = rss_mb(&worker, "VmHWM:");
    let drained = wait_drained(&db, Duration::from_secs(60)).await?;
    // the worker falls behind during a step and catches up after, so its figure per step
    // understates it; over the whole run (its start-up included) it is exact
    let worker_total_ms = cpu_ms(worker.id());
    let _ = server.start_kill();
    let _ = worker.start_kill();
    let _ = server.wait().await;
    let _ = worker.wait().await;

    // each DN-1 filed carries one PDF
    let checks = super::checks::check(&db, &acks, &jwks, 1).await?;
    println!("{checks}");
    println!(
        "outbox notices sent by the worker within a minute of the load: {drained}; worker CPU over the whole run: {:.2} ms a filing",
        worker_total_ms / (checks.acknowledged.max(1) as f64)
    );
    let mut pgbench_tps: f64 = 0.0;
    let script = work.join("filing.sql");
    std::fs::write(&script, PGBENCH_SCRIPT)?;
    let pg_seconds = opts.seconds.ceil().max(1.0) as u64;
    for c in &opts.pgbench_clients {
        let tps = pgbench(&bench_url, &script, *c, pg_seconds).await?;
        println!("pgbench c={c:<5} {tps:>8.0} transactions/s");
        pgbench_tps = pgbench_tps.max(tps);
    }
    db.close().await?;

    let best = steps
        .iter()
        .filter(|s| s.shape.starts_with("closed"))
        .max_by(|a, b| a.per_s.total_cmp(&b.per_s));
    let at_500 = steps.iter().find(|s| s.shape == "open 500/s");
    let errors = steps.iter().map(|s| s.errors).sum::<u64>() + checks.failures;
    let per_s = best.map_or(0.0, |s| s.per_s);
    println!(
        "server peak RSS {server_rss:.0} MB, worker peak RSS {worker_rss:.0} MB; best closed loop: {}",
        best.map_or("none", |s| s.shape.as_str())
    );
    if opts.keep {
        println!("kept: database {DB_NAME}, folder {}", work.display());
    } else {
        drop_database(&opts.database_url).await?;
        let _ = std::fs::remove_dir_all(&work);
    }
    println!(
        "RESULT submissions_per_s={per_s:.0} pgbench_tps={pgbench_tps:.0} ratio={:.2} p50_ms={:.1} p99_ms={:.1} p99_ms_at_500={} rss_mb={server_rss:.0} errors={errors}",
        if pgbench_tps > 0.0 {
            per_s / pgbench_tps
        } else {
            0.0
        },
        best.map_or(0.0, |s| s.p50_ms),
        best.map_or(0.0, |s| s.p99_ms),
        at_500.map_or("n/a".to_owned(), |s| format!("{:.1}", s.p99_ms)),
    );
    Ok(errors == 0)
}

/// This binary with the benchmark's configuration.
pub(super) fn okienko(config: &Path) -> Command {
    let exe = std::env::current_exe().unwrap_or_else(|_| PathBuf::from("okienko"));
    let mut cmd = Command::new(exe);
    // the configuration file decides, not the caller's DATABASE_URL (which names the server)
    cmd.arg("--config")
        .arg(config)
        .env_remove("DATABASE_URL")
        .kill_on_drop(true);
    cmd
}

pub(super) fn spawn(config: &Path, what: &str, work: &Path) -> anyhow::Result<Child> {
    let log = std::fs::File::create(work.join(format!("{what}.log")))?;
    Ok(okienko(config)
        .arg(what)
        .env("OKIENKO_LOG_FORMAT", "json")
        .stdout(log.try_clone()?)
        .stderr(log)
        .spawn()?)
}

pub(super) fn config_toml(
    port: u16,
    data: &Path,
    database_url: &str,
    metrics_token: &str,
) -> String {
    // the signing keys' key-encryption key, which production requires
    let kek = crate::receipt::kek::Kek::generate().unwrap_or_default();
    // production, as a town hall runs it: migrations by `okienko migrate`, a separate
    // worker, no development identity provider; the national node is never called
    // because the residents' sessions are made directly. Its public URL is https (the
    // proxy's, in front of the node); the benchmark talks to the node itself over http.
    format!(
        r#"mode = "production"
listen = "127.0.0.1:{port}"
base_url = "https://127.0.0.1:{port}"
data_dir = "{}"
database_url = "{database_url}"

[metrics]
token = "{metrics_token}"

[keys]
kek = "{kek}"

[auth]
dev_idp = false
idle_timeout_mins = 120

[auth.providers.national]
kind = "residents"
issuer = "http://127.0.0.1:9/not-called-by-the-benchmark"
client_id = "okienko-bench"
"#,
        data.display()
    )
}

/// `(transactions, filings)` the server's filing committer has written, from `/metrics`.
async fn commits(
    client: &reqwest::Client,
    base: &str,
    metrics_token: &str,
) -> anyhow::Result<(f64, f64)> {
    let text = client
        .get(format!("{base}/metrics"))
        .bearer_auth(metrics_token)
        .send()
        .await?
        .text()
        .await?;
    let read = |name: &str| {
        text.lines()
            .find_map(|l| l.strip_prefix(name)?.trim().parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    Ok((
        read("okienko_filing_commits_total "),
        read("okienko_filings_committed_total "),
    ))
}

pub(super) fn free_port() -> anyhow::Result<u16> {
    Ok(std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port())
}

/// The URL of database `name` on the same server. On loopback, without an `sslmode` of
/// the caller's, TLS is off for okienko and pgbench alike (both would negotiate it by
/// default): encrypting a connection that never leaves the machine measured 15% of the
/// server's CPU, a cost of the setup, not of a filing.
pub(super) fn with_database(url: &str, name: &str) -> anyhow::Result<String> {
    let mut u = url::Url::parse(url)?;
    u.set_path(&format!("/{name}"));
    let loopback = matches!(
        u.host_str(),
        Some("127.0.0.1" | "localhost" | "[::1]" | "::1")
    );
    if loopback && !u.query_pairs().any(|(k, _)| k == "sslmode") {
        u.query_pairs_mut().append_pair("sslmode", "disable");
    }
    Ok(u.to_string())
}

async fn fresh_database(url: &str) -> anyhow::Result<String> {
    fresh_named(url, DB_NAME).await
}

async fn drop_database(url: &str) -> anyhow::Result<()> {
    drop_named(url, DB_NAME).await
}

/// A fresh database `name` on the server of `url` (dropped first); its URL.
pub(super) async fn fresh_named(url: &str, name: &str) -> anyhow::Result<String> {
    drop_named(url, name).await?;
    let admin = crate::db::connect(url).await?;
    admin
        .execute_unprepared(&format!("CREATE DATABASE {name}"))
        .await?;
    admin.close().await?;
    with_database(url, name)
}

pub(super) async fn drop_named(url: &str, name: &str) -> anyhow::Result<()> {
    let admin = crate::db::connect(url).await?;
    admin
        .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        .await?;
    admin.close().await?;
    Ok(())
}

/// A valid PESEL for the n-th resident (born 1980-01-01, serial n).
pub(super) fn pesel(n: usize) -> String {
    with_check_digit(format!("800101{:04}", n % 10_000))
}

/// The 10 digits of a PESEL followed by their check digit.
pub(super) fn with_check_digit(base: String) -> String {
    const W: [u32; 10] = [1, 3, 7, 9, 1, 3, 7, 9, 1, 3];
    let sum: u32 = base
        .bytes()
        .zip(W)
        .map(|(b, w)| u32::from(b - b'0') * w)
        .sum();
    format!("{base}{}", (10 - sum % 10) % 10)
}

/// Residents as a login leaves them: a mailbox and a session; tokens go to `out`.
pub async fn residents(db: &DatabaseConnection, n: usize, out: &Path) -> anyhow::Result<()> {
    let mut tokens = String::new();
    for i in 0..n {
        let token = crate::web::extract::random_token();
        let identity = Identity {
            subject: format!("bench-{i}"),
            provider: "national".into(),
            pesel: Some(pesel(i)),
            given_name: Some("Mieszkaniec".into()),
            family_name: Some(format!("Testowy{i}")),
            birth_date: Some("1980-01-01".into()),
            email: Some(format!("mieszkaniec{i}@example.pl")),
            level: IdentityLevel::Substantial,
            roles: vec![Role::Resident],
            unit: None,
        };
        crate::delivery::resident_mailbox(db, &crate::auth::owner_of(&identity), &identity).await?;
        crate::db::sessions::create(
            db,
            crate::db::sessions::NewSession {
                token_hash: &crate::web::extract::sha256_hex(&token),
                identity: &identity,
                id_token: None,
            },
            crate::db::sessions::Lifetime {
                idle: time::Duration::hours(2),
                absolute: time::Duration::hours(8),
            },
        )
        .await?;
        tokens.push_str(&token);
        tokens.push('\n');
    }
    std::fs::write(out, tokens)?;
    Ok(())
}

pub(super) async fn wait_ready(
    client: &reqwest::Client,
    base: &str,
    server: &mut Child,
) -> anyhow::Result<()> {
    let until = Instant::now() + Duration::from_secs(60);
    while Instant::now() < until {
        if let Some(status) = server.try_wait()? {
            anyhow::bail!("`okienko serve` exited with {status}; see its log");
        }
        if client
            .get(format!("{base}/readyz"))
            .send()
            .await
            .is_ok_and(|r| r.status().is_success())
        {
            return Ok(());
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    anyhow::bail!("`okienko serve` was not ready within a minute")
}

/// A memory figure of a running child from /proc (`VmRSS:` now, `VmHWM:` the peak), in MB.
pub(super) fn rss_mb(child: &Child, field: &str) -> f64 {
    child
        .id()
        .and_then(|pid| std::fs::read_to_string(format!("/proc/{pid}/status")).ok())
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with(field))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<f64>().ok())
        })
        .map_or(0.0, |kb| kb / 1024.0)
}

/// CPU time (user + system) a process has used, in ms; Linux counts in 10 ms ticks.
pub fn cpu_ms(pid: Option<u32>) -> f64 {
    pid.and_then(|pid| std::fs::read_to_string(format!("/proc/{pid}/stat")).ok())
        .and_then(|s| {
            // the fields after the command name, which is in parentheses
            let rest = s.rsplit_once(')')?.1;
            let f: Vec<&str> = rest.split_whitespace().collect();
            let ticks = f.get(11)?.parse::<f64>().ok()? + f.get(12)?.parse::<f64>().ok()?;
            Some(ticks * 10.0)
        })
        .unwrap_or(0.0)
}

/// CPU time the whole machine has been busy (all but idle and iowait), in ms.
fn machine_busy_ms() -> f64 {
    std::fs::read_to_string("/proc/stat")
        .ok()
        .and_then(|s| {
            let f: Vec<f64> = s
                .lines()
                .next()?
                .split_whitespace()
                .skip(1)
                .filter_map(|n| n.parse().ok())
                .collect();
            // user nice system idle iowait irq softirq; steal (the hypervisor's) is not ours
            let all: f64 = f.iter().take(7).sum();
            Some((all - f.get(3)? - f.get(4)?) * 10.0)
        })
        .unwrap_or(0.0)
}

async fn count(db: &DatabaseConnection, sql: &str) -> anyhow::Result<i64> {
    let row = db
        .query_one_raw(Statement::from_string(db.get_database_backend(), sql))
        .await?
        .context("no row")?;
    Ok(row.try_get::<i64>("", "n")?)
}

/// Waits until the worker has sent every filing's notice, or `limit`; "sent/all".
async fn wait_drained(db: &DatabaseConnection, limit: Duration) -> anyhow::Result<String> {
    let until = Instant::now() + limit;
    loop {
        let pending = count(
            db,
            "SELECT COUNT(*) AS n FROM outbox WHERE kind = 'filing_receipt' AND done_at IS NULL",
        )
        .await?;
        if pending == 0 || Instant::now() >= until {
            let all = count(
                db,
                "SELECT COUNT(*) AS n FROM outbox WHERE kind = 'filing_receipt'",
            )
            .await?;
            return Ok(format!("{}/{all}", all - pending));
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
}

/// One okienko filing's writes, in one transaction and in the order `db::submissions::insert`
/// sends them: the submission with its attachment and, in the same statement, both
/// counters in one upsert (the row locks every filer queues on), then the case, its first history entry, the outbox
/// notice and the receipt in one statement. Sizes follow a real filing (the data, a receipt
/// JWS of about 2 kB). Year 2099 keeps its numbering apart from okienko's; the counters'
/// colons are `chr(58)` because pgbench reads `:name` as a variable even inside a literal.
pub const PGBENCH_SCRIPT: &str = r#"BEGIN;
WITH w0 AS (INSERT INTO submission (id, owner, service_id, service_version, definition_hash, data, applicant, identity_level, receipt_id, idempotency_key, request_hash, filed_at) VALUES (gen_random_uuid()::text, md5(random()::text), 'dn-1', 1, repeat('d', 64), repeat('x', 900), '{"name":"Mieszkaniec Testowy","pesel":"80010100001","level":"substantial"}', 'substantial', gen_random_uuid()::text, gen_random_uuid()::text, repeat('h', 64), now()) RETURNING id), w1 AS (INSERT INTO attachment (id, submission_id, field, position, name, content_type, size, sha3_256, storage_key) SELECT gen_random_uuid()::text, id, 'attachments', 0, 'pelnomocnictwo.pdf', 'application/pdf', 160, repeat('a', 64), 'submissions/2099-01-01/' || id FROM w0), u AS (INSERT INTO sequence_counter (name, last) VALUES ('register' || chr(58) || '2099', 1), ('case' || chr(58) || 'FN.3120.2099', 1) ON CONFLICT (name) DO UPDATE SET last = sequence_counter.last + 1 RETURNING name, last) SELECT (SELECT id FROM w0) AS sid, max(last) FILTER (WHERE name LIKE 'register%') AS reg, max(last) FILTER (WHERE name LIKE 'case%') AS seq FROM u \gset
WITH w0 AS (INSERT INTO case_file (id, sign, unit, jrwa, seq, year, register_no, submission_id, service_id, owner, status, outcome, assignee, term, started_on, due_on, paused_days, paused_since, access_code_hash, decided_at, version, filed_at, updated_at) VALUES (md5(:sid)::uuid::text, 'FN.3120.' || :seq || '.2099', 'FN', '3120', :seq, 2099, :reg, :sid, 'dn-1', md5(:sid), 'registered', NULL, NULL, 'P1M', current_date, current_date + 30, 0, NULL, repeat('c', 64), NULL, 1, now(), now())), w1 AS (INSERT INTO case_event (id, case_id, seq, at, actor, actor_name, position, action, status, detail, document_id, prev_hash, hash) VALUES (gen_random_uuid()::text, md5(:sid)::uuid::text, 1, now(), 'system', 'okienko', 'system', 'register', 'registered', '{"register_no":"' || :reg || '/2099","sign":"FN.3120.' || :seq || '.2099"}', NULL, repeat('0', 64), repeat('e', 64))), w2 AS (INSERT INTO outbox (id, kind, payload, due_at, attempts, locked_until, done_at, last_error) VALUES (gen_random_uuid()::text, 'filing_receipt', '{"receipt_id":"UPO-2099-' || :sid || '","email":"mieszkaniec@example.pl","case_sign":"FN.3120.' || :seq || '.2099"}', now(), 0, NULL, NULL, NULL)) INSERT INTO receipt (id, submission_id, jws, created_at) VALUES ('UPO-2099-' || :sid, :sid, repeat('j', 2000), now());
END;
"#;

/// Runs pgbench with `script` for `seconds` at `clients`; its transactions a second.
async fn pgbench(url: &str, script: &Path, clients: usize, seconds: u64) -> anyhow::Result<f64> {
    let out = Command::new("pgbench")
        .args(["-n", "-M", "prepared", "-f"])
        .arg(script)
        .args([
            "-c",
            &clients.to_string(),
            "-j",
            &clients.min(2).to_string(),
            "-T",
            &seconds.to_string(),
            url,
        ])
        .output()
        .await
        .context("running pgbench (Debian: postgresql-client)")?;
    let text = String::from_utf8_lossy(&out.stdout);
    anyhow::ensure!(
        out.status.success(),
        "pgbench failed: {}{}",
        text,
        String::from_utf8_lossy(&out.stderr)
    );
    text.lines()
        .find_map(|l| {
            l.strip_prefix("tps = ")
                .and_then(|rest| rest.split_whitespace().next())
                .and_then(|n| n.parse().ok())
        })
        .with_context(|| format!("pgbench printed no tps: {text}"))
}

#[cfg(test)]
mod tests {
    #[test]
    fn residents_get_valid_pesels() {
        for n in [0, 1, 42, 9_999, 12_345] {
            let p = super::pesel(n);
            assert!(
                crate::domain::pesel::Pesel::parse(&p).is_ok(),
                "{p} for resident {n}"
            );
        }
    }
}
