//! `okienko bench council`: the eRada load of issue 16 §2b: 23 councillors voting within a
//! second while 1,000 residents watch the session's live page. On a fresh PostgreSQL
//! database it starts this binary as `serve` in production mode with a council of
//! `councillors` members, gives each and the council office a session, has the office plan
//! and open a session with one item, signs every councillor in, and connects `watchers`
//! server-sent-event streams to `GET /api/council/sessions/{id}/live`. Then the chair opens
//! a vote, every councillor votes at once (`PUT …/ballots/{login}`), and the chair closes
//! it. It reports each vote's latency, how long after the close every watcher saw the
//! result, and the server's CPU and memory. The last line is the `RESULT` line.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use anyhow::Context;
use serde_json::{Value, json};
use tokio::sync::watch;

use super::filing::{cpu_ms, drop_named, rss_mb, spawn, wait_ready};
use super::percentile;
use crate::domain::identity::{Identity, Role};
use crate::domain::level::IdentityLevel;

pub struct Options {
    /// A PostgreSQL URL; the benchmark creates (and drops) its own database on that server.
    pub database_url: String,
    pub councillors: u32,
    pub watchers: usize,
    pub keep: bool,
    pub work_dir: PathBuf,
}

const DB_NAME: &str = "okienko_bench_council";

fn staff(subject: &str, roles: Vec<Role>, unit: Option<&str>) -> Identity {
    Identity {
        subject: subject.into(),
        provider: "staff".into(),
        pesel: None,
        given_name: Some("Bench".into()),
        family_name: Some(subject.into()),
        birth_date: None,
        email: None,
        level: IdentityLevel::Substantial,
        roles,
        unit: unit.map(str::to_owned),
    }
}

/// The council of `n` members in the configuration: radny-1 chairs.
fn council_toml(n: u32) -> String {
    let mut out = format!(
        "\n[council]\nname = \"Rada Gminy Przykładowo\"\noffice_unit = \"BR\"\nstatutory_members = {n}\n"
    );
    for i in 1..=n {
        out.push_str(&format!(
            "\n[[council.members]]\nlogin = \"staff:radny-{i}\"\nname = \"Radny {i:02}\"\nchair = {}\n",
            i == 1
        ));
    }
    out
}

async fn send(
    client: &reqwest::Client,
    method: reqwest::Method,
    url: &str,
    cookie: &str,
    body: Value,
) -> anyhow::Result<Value> {
    let r = client
        .request(method, url)
        .header("cookie", cookie)
        .json(&body)
        .send()
        .await?;
    let status = r.status();
    let text = r.text().await?;
    anyhow::ensure!(status.is_success(), "{url}: {status} {text}");
    Ok(serde_json::from_str(&text).unwrap_or(Value::Null))
}

/// One watcher: reads the stream until it sees a closed vote's result; the moment it did.
async fn watch_one(
    client: reqwest::Client,
    url: String,
    connected: Arc<AtomicUsize>,
    mut stop: watch::Receiver<bool>,
) -> Option<Instant> {
    let mut r = client.get(&url).send().await.ok()?;
    let mut first = true;
    let mut buf = Vec::new();
    loop {
        let chunk = tokio::select! {
            c = r.chunk() => c.ok()??,
            _ = stop.changed() => return None,
        };
        if first {
            first = false;
            connected.fetch_add(1, Ordering::SeqCst);
        }
        buf.extend_from_slice(&chunk);
        // a result is shown once the vote has `adopted` true or false (null while open)
        let text = String::from_utf8_lossy(&buf);
        if text.contains("\"adopted\":true") || text.contains("\"adopted\":false") {
            return Some(Instant::now());
        }
        // keep only the unfinished event
        if let Some(end) = text.rfind("\n\n") {
            buf.drain(..end + 2);
        }
    }
}

/// Runs the benchmark; `Ok(false)` when a request failed or a watcher missed the result.
pub async fn run(opts: Options) -> anyhow::Result<bool> {
    anyhow::ensure!(
        opts.database_url.starts_with("postgres"),
        "the council benchmark runs on PostgreSQL: set DATABASE_URL=postgres://..."
    );
    anyhow::ensure!(
        (1..=100).contains(&opts.councillors),
        "--councillors is 1 to 100 (u.s.g. art. 17)"
    );
    let super::Stage {
        url: bench_url,
        work,
        base,
        config,
    } = super::stage(
        &opts.database_url,
        DB_NAME,
        &opts.work_dir,
        "council",
        &council_toml(opts.councillors),
    )
    .await?;
    let db = crate::db::connect(&bench_url).await?;
    let office = super::session(&db, &staff("biuro", vec![Role::Clerk], Some("BR"))).await?;
    let mut councillors = Vec::new();
    for i in 1..=opts.councillors {
        let who = staff(&format!("radny-{i}"), vec![Role::Councillor], None);
        councillors.push((format!("staff:radny-{i}"), super::session(&db, &who).await?));
    }
    let mut server = spawn(&config, "serve", &work)?;
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(opts.watchers + 64)
        .build()?;
    wait_ready(&client, &base, &mut server).await?;

    // the office plans the session with one item and opens it; everyone signs in
    use reqwest::Method;
    let today = crate::participation::consultations::today();
    let s = send(&client, Method::POST, &format!("{base}/api/council/sessions"), &office,
        json!({"title": "Sesja próbna", "starts_at": format!("{today}T16:00"), "place": "Sala sesyjna"})).await?;
    let id = s["id"].as_str().context("session id")?.to_owned();
    let api = format!("{base}/api/council/sessions/{id}");
    let s = send(
        &client,
        Method::POST,
        &format!("{api}/items"),
        &office,
        json!({"title": "Uchwała budżetowa", "majority": "simple"}),
    )
    .await?;
    let item = s["items"][0]["id"].as_str().context("item id")?.to_owned();
    send(
        &client,
        Method::POST,
        &format!("{api}/open"),
        &office,
        json!({}),
    )
    .await?;
    for (_, cookie) in &councillors {
        send(
            &client,
            Method::POST,
            &format!("{api}/attendance"),
            cookie,
            json!({}),
        )
        .await?;
    }

    // the watchers connect and get the session's state
    let connected = Arc::new(AtomicUsize::new(0));
    let (stop_tx, stop_rx) = watch::channel(false);
    let started = Instant::now();
    let watchers: Vec<_> = (0..opts.watchers)
        .map(|_| {
            tokio::spawn(watch_one(
                client.clone(),
                format!("{api}/live"),
                connected.clone(),
                stop_rx.clone(),
            ))
        })
        .collect();
    while connected.load(Ordering::SeqCst) < opts.watchers {
        anyhow::ensure!(
            started.elapsed() < Duration::from_secs(60),
            "only {} of {} watchers connected in 60 s",
            connected.load(Ordering::SeqCst),
            opts.watchers
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let connect_s = started.elapsed().as_secs_f64();
    let rss_watching = rss_mb(&server, "VmRSS:");
    println!(
        "{} councillors present; {} watchers connected in {connect_s:.2} s; server RSS {rss_watching:.0} MB",
        opts.councillors, opts.watchers
    );

    // the vote: the chair opens it, everyone votes at once, the chair closes it
    let chair = &councillors[0].1;
    let cpu_before = cpu_ms(server.id());
    let v = send(
        &client,
        Method::POST,
        &format!("{api}/votes"),
        chair,
        json!({"item": item}),
    )
    .await?;
    let vote = v["current"]["id"].as_str().context("vote id")?.to_owned();
    let all = Instant::now();
    let casts: Vec<_> = councillors
        .iter()
        .map(|(login, cookie)| {
            let (client, url, cookie) = (
                client.clone(),
                format!("{api}/votes/{vote}/ballots/{login}"),
                cookie.clone(),
            );
            tokio::spawn(async move {
                let t = Instant::now();
                let r = client
                    .put(url)
                    .header("cookie", cookie)
                    .json(&json!({"choice": "for"}))
                    .send()
                    .await;
                (
                    r.map(|r| r.status().is_success()).unwrap_or(false),
                    t.elapsed().as_secs_f64() * 1000.0,
                )
            })
        })
        .collect();
    let mut latencies = Vec::new();
    let mut failed = 0;
    for c in casts {
        let (ok, ms) = c.await?;
        latencies.push(ms);
        failed += usize::from(!ok);
    }
    let all_votes_ms = all.elapsed().as_secs_f64() * 1000.0;
    let closed_at = Instant::now();
    let closed = send(
        &client,
        Method::POST,
        &format!("{api}/votes/{vote}/close"),
        chair,
        json!({}),
    )
    .await?;
    let close_ms = closed_at.elapsed().as_secs_f64() * 1000.0;
    let adopted = closed["items"][0]["votes"][0]["adopted"] == json!(true);

    // every watcher should see the result
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    let mut seen = Vec::new();
    for w in watchers {
        if let Ok(Ok(Some(at))) = tokio::time::timeout_at(deadline, w).await {
            seen.push(at.saturating_duration_since(closed_at).as_secs_f64() * 1000.0);
        }
    }
    let _ = stop_tx.send(true);
    let cpu = cpu_ms(server.id()) - cpu_before;
    let rss = rss_mb(&server, "VmHWM:");
    let _ = server.start_kill();
    let _ = server.wait().await;
    if !opts.keep {
        drop_named(&opts.database_url, DB_NAME).await?;
        let _ = std::fs::remove_dir_all(&work);
    }
    latencies.sort_by(f64::total_cmp);
    seen.sort_by(f64::total_cmp);
    println!(
        "votes: {} cast in {all_votes_ms:.0} ms (p50 {:.0} ms, p99 {:.0} ms, failed {failed}); closed in {close_ms:.0} ms, adopted: {adopted}",
        latencies.len(),
        percentile(&latencies, 0.5),
        percentile(&latencies, 0.99)
    );
    println!(
        "watchers: {} of {} saw the result after the close: p50 {:.0} ms, p99 {:.0} ms, max {:.0} ms; server CPU {cpu:.0} ms for the vote; peak RSS {rss:.0} MB",
        seen.len(),
        opts.watchers,
        percentile(&seen, 0.5),
        percentile(&seen, 0.99),
        seen.last().copied().unwrap_or(0.0)
    );
    println!(
        "RESULT councillors={} votes_ms={all_votes_ms:.0} vote_p99_ms={:.0} watchers={} seen={} seen_p99_ms={:.0} connect_s={connect_s:.2} rss_mb={rss:.0} failed={failed}",
        opts.councillors,
        percentile(&latencies, 0.99),
        opts.watchers,
        seen.len(),
        percentile(&seen, 0.99)
    );
    Ok(failed == 0 && adopted && seen.len() == opts.watchers)
}
