//! `okienko bench consult`: the participation peak (issue 14 §7). On a fresh PostgreSQL
//! database it starts this binary as `serve` in production mode, gives N residents a
//! session, has a councillor draft and publish a consultation of 20 questions open today,
//! and drives residents answering it over HTTP (`PUT /api/consultations/{id}/answer`) in
//! closed loops of rising concurrency and open loops at fixed rates. Every acknowledged
//! answer is then checked in the database: each resident's one answer row holds the last
//! answer acknowledged to them (a `nonce` in its free-text question), and an answer said to
//! replace an earlier one (200) came after one acknowledged as new (201), and the tally kept
//! answer by answer must equal a recount of the stored answers. Finally it adds answers
//! directly up to `results_answers` (counting their tally as the migration's backfill does)
//! and times the public results (`GET /api/consultations/{id}/results`, read from the kept
//! tally). The last line is the `RESULT` line.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use anyhow::Context;
use sea_orm::{ConnectionTrait, DatabaseConnection, Statement};
use serde_json::{Value, json};
use tokio::sync::mpsc;

use super::filing::{cpu_ms, drop_named, pesel, residents, rss_mb, spawn, wait_ready};
use super::percentile;
use crate::domain::identity::{Identity, Role};
use crate::domain::level::IdentityLevel;
use crate::participation::consultations::counts::Kind;
use crate::participation::consultations::results;

pub struct Options {
    /// A PostgreSQL URL; the benchmark creates (and drops) its own database on that server.
    pub database_url: String,
    /// At most 10,000 (the residents' PESELs are distinct up to there).
    pub residents: usize,
    pub concurrency: Vec<usize>,
    pub rates: Vec<u32>,
    pub seconds: f64,
    /// How many answers the results are timed over (added directly in the database).
    pub results_answers: u64,
    pub keep: bool,
    pub work_dir: PathBuf,
}

const DB_NAME: &str = "okienko_bench_consult";
const QUESTIONS: usize = 20;

/// The questionnaire: 12 yes/no questions, 6 scales, a choice and the free text that
/// carries each answer's `nonce`.
fn questionnaire() -> String {
    let mut fields = String::new();
    for i in 1..=12 {
        fields.push_str(&format!(
            "      - {{ id: q{i:02}, type: yes_no, label: {{ pl: \"Pytanie {i}?\" }}, required: true }}\n"
        ));
    }
    for i in 13..=18 {
        fields.push_str(&format!(
            "      - {{ id: q{i:02}, type: scale, min: 1, max: 5, label: {{ pl: \"Ocena {i}\" }}, required: true }}\n"
        ));
    }
    fields.push_str("      - { id: q19, type: choice, label: { pl: \"Co najpierw?\" }, required: true, options: [ { value: park, label: { pl: Park } }, { value: droga, label: { pl: Droga } }, { value: szkola, label: { pl: Szkoła } } ] }\n");
    fields.push_str(
        "      - { id: q20, type: textarea, label: { pl: \"Uwagi\" }, max_length: 200 }\n",
    );
    format!("steps:\n  - id: pytania\n    title: {{ pl: Pytania }}\n    fields:\n{fields}")
}

/// The questionnaire's questions as the kept tally counts them.
fn questions() -> anyhow::Result<Vec<(String, Kind)>> {
    let catalogue =
        crate::forms::Catalogue::shipped().map_err(|p| anyhow::anyhow!("the catalogue: {p:?}"))?;
    let svc = crate::forms::questionnaire::compile(
        &catalogue,
        "bench",
        "Bench",
        "q.yaml",
        &questionnaire(),
    )
    .map_err(|p| anyhow::anyhow!("the questionnaire: {p:?}"))?;
    Ok(results::questions(&svc)
        .map(|f| (f.id.clone(), Kind::of(f)))
        .collect())
}

/// Resident `r`'s answers, carrying `nonce`.
fn answers(r: usize, nonce: u64) -> Value {
    let mut m = serde_json::Map::new();
    for i in 1..=12 {
        m.insert(format!("q{i:02}"), json!(!(r + i).is_multiple_of(3)));
    }
    for i in 13..=18 {
        m.insert(format!("q{i:02}"), json!(1 + (r + i) % 5));
    }
    m.insert("q19".into(), json!(["park", "droga", "szkola"][r % 3]));
    m.insert("q20".into(), json!(format!("n{nonce}")));
    Value::Object(m)
}

/// One request's outcome.
struct Outcome {
    resident: usize,
    nonce: u64,
    latency_ms: f64,
    /// `Some(replaced)` when acknowledged.
    result: Result<bool, String>,
    /// 503 `overloaded` answers before it was taken.
    refused: u64,
}

struct Answerer {
    client: reqwest::Client,
    endpoint: String,
    cookies: Vec<String>,
}

impl Answerer {
    /// Answers, and as a well-behaved client answers again after the `Retry-After` of each
    /// 503 `overloaded` (the node shedding load) and a growing jittered backoff, as
    /// `bench load` does; the latency runs
    /// from the first attempt and the refusals are counted apart.
    async fn answer(&self, resident: usize, nonce: u64) -> Outcome {
        let t = Instant::now();
        let mut refused = 0;
        loop {
            let mut o = self.once(resident, nonce).await;
            match &o.result {
                Err(e) if e.starts_with("503") && e.contains("overloaded") && refused < 9 => {
                    refused += 1;
                    let after = super::load::backoff(Duration::from_secs(1), refused, nonce);
                    tokio::time::sleep(after).await;
                }
                _ => {
                    o.refused = refused;
                    o.latency_ms = t.elapsed().as_secs_f64() * 1000.0;
                    return o;
                }
            }
        }
    }

    async fn once(&self, resident: usize, nonce: u64) -> Outcome {
        let body =
            json!({ "data": answers(resident, nonce), "declaration": { "lives_in_gmina": true } });
        let t = Instant::now();
        let sent = self
            .client
            .put(&self.endpoint)
            .header("cookie", &self.cookies[resident])
            .json(&body)
            .send()
            .await;
        let result = match sent {
            Err(e) => Err(format!("transport: {e}")),
            Ok(res) => {
                let status = res.status();
                let text = res.text().await.unwrap_or_default();
                match status.as_u16() {
                    201 | 200 => serde_json::from_str::<Value>(&text)
                        .ok()
                        .and_then(|v| v["replaced"].as_bool())
                        .filter(|replaced| *replaced == (status.as_u16() == 200))
                        .ok_or_else(|| format!("{status}: {text}")),
                    _ => Err(format!(
                        "{status}: {}",
                        text.chars().take(300).collect::<String>()
                    )),
                }
            }
        };
        Outcome {
            resident,
            nonce,
            latency_ms: t.elapsed().as_secs_f64() * 1000.0,
            result,
            refused: 0,
        }
    }
}

/// One step's figures.
#[derive(Debug, Default)]
struct Step {
    shape: String,
    sent: u64,
    ok: u64,
    errors: u64,
    refused: u64,
    per_s: f64,
    p50_ms: f64,
    p99_ms: f64,
    max_ms: f64,
    samples: Vec<String>,
}

/// What was acknowledged to each resident, in the order the answers were sent.
#[derive(Default)]
struct Ledger {
    /// resident -> (nonce, replaced) of every acknowledged answer
    acks: HashMap<usize, Vec<(u64, bool)>>,
}

async fn step(
    answerer: &Arc<Answerer>,
    shape: (&str, usize),
    seconds: f64,
    next_nonce: &mut u64,
    ledger: &mut Ledger,
) -> Step {
    let (tx, mut rx) = mpsc::unbounded_channel::<(Duration, Outcome)>();
    let start = Instant::now();
    let deadline = start + Duration::from_secs_f64(seconds);
    let residents = answerer.cookies.len();
    let base = *next_nonce;
    let label = match shape {
        ("closed", concurrency) => {
            // each task answers for its own residents, one request at a time, so the last
            // one acknowledged to a resident is the last one the server took
            for task in 0..concurrency {
                let (a, tx) = (answerer.clone(), tx.clone());
                tokio::spawn(async move {
                    let mut n = 0u64;
                    while Instant::now() < deadline {
                        let slots = residents.div_ceil(concurrency).max(1);
                        let resident = task + concurrency * ((n as usize) % slots);
                        if resident >= residents {
                            n += 1;
                            continue;
                        }
                        let nonce = base + n * concurrency as u64 + task as u64;
                        let o = a.answer(resident, nonce).await;
                        if tx.send((Duration::ZERO, o)).is_err() {
                            break;
                        }
                        n += 1;
                    }
                });
            }
            format!("closed c={concurrency}")
        }
        (_, rate) => {
            let total = (rate as f64 * seconds).round() as u64;
            let (a, tx) = (answerer.clone(), tx.clone());
            // a resident answers again only once their last answer is acknowledged, so
            // the last one acknowledged is the last one the server took
            let busy: Arc<Vec<AtomicBool>> =
                Arc::new((0..residents).map(|_| AtomicBool::new(false)).collect());
            tokio::spawn(async move {
                let mut next = 0usize;
                for n in 0..total {
                    let due = start + Duration::from_secs_f64(n as f64 / rate as f64);
                    tokio::time::sleep_until(due.into()).await;
                    let resident = loop {
                        let free = (0..residents).map(|i| (next + i) % residents).find(|r| {
                            busy[*r]
                                .compare_exchange(false, true, Ordering::AcqRel, Ordering::Relaxed)
                                .is_ok()
                        });
                        match free {
                            Some(r) => break r,
                            // every resident has an answer in flight: wait for one
                            None => tokio::time::sleep(Duration::from_millis(1)).await,
                        }
                    };
                    next = (resident + 1) % residents;
                    let (a, tx, busy) = (a.clone(), tx.clone(), busy.clone());
                    tokio::spawn(async move {
                        let late = due.elapsed();
                        let o = a.answer(resident, base + n).await;
                        busy[resident].store(false, Ordering::Release);
                        let _ = tx.send((late, o));
                    });
                }
            });
            format!("open {rate}/s")
        }
    };
    drop(tx);
    let mut s = Step {
        shape: label,
        ..Step::default()
    };
    let mut latencies = Vec::new();
    let mut top = base;
    while let Some((late, o)) = rx.recv().await {
        s.sent += 1;
        s.refused += o.refused;
        top = top.max(o.nonce + 1);
        latencies.push(o.latency_ms + late.as_secs_f64() * 1000.0);
        match o.result {
            Ok(replaced) => {
                s.ok += 1;
                ledger
                    .acks
                    .entry(o.resident)
                    .or_default()
                    .push((o.nonce, replaced));
            }
            Err(e) => {
                s.errors += 1;
                if s.samples.len() < 5 {
                    s.samples.push(e);
                }
            }
        }
    }
    *next_nonce = top + 1_000_000;
    let elapsed = start.elapsed().as_secs_f64();
    s.per_s = s.ok as f64 / elapsed.max(f64::EPSILON);
    s.p50_ms = percentile(&latencies, 0.50);
    s.p99_ms = percentile(&latencies, 0.99);
    s.max_ms = percentile(&latencies, 1.0);
    s
}

/// Every acknowledged answer against the database: one row per resident who was answered,
/// holding the last answer acknowledged to them; the first acknowledged as new, the rest
/// as replacing it. Answers `(checked, failures)` and prints the first failures.
async fn check(
    db: &DatabaseConnection,
    consultation: &str,
    secret: &str,
    ledger: &Ledger,
) -> anyhow::Result<(u64, u64)> {
    let rows = db
        .query_all_raw(Statement::from_sql_and_values(
            db.get_database_backend(),
            "SELECT participant, data FROM consultation_answer WHERE consultation_id = $1",
            [consultation.into()],
        ))
        .await?;
    let mut stored: HashMap<String, String> = HashMap::with_capacity(rows.len());
    for r in rows {
        stored.insert(r.try_get("", "participant")?, r.try_get("", "data")?);
    }
    let (mut checked, mut failures) = (0u64, 0u64);
    let mut fail = |m: String| {
        failures += 1;
        if failures <= 5 {
            println!("    check failed: {m}");
        }
    };
    for (resident, acks) in &ledger.acks {
        checked += acks.len() as u64;
        let p = crate::domain::pesel::Pesel::parse(&pesel(*resident))
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        let key = crate::participation::keyed::key(
            secret,
            &crate::participation::keyed::Subject::Pesel(&p),
        );
        let Some(data) = stored.get(&key) else {
            fail(format!("resident {resident}: no answer stored"));
            continue;
        };
        let last = acks.iter().map(|(n, _)| *n).max().unwrap_or_default();
        let v: Value = serde_json::from_str(data).unwrap_or(Value::Null);
        if v["q20"] != json!(format!("n{last}")) {
            fail(format!(
                "resident {resident}: stored {} but the last acknowledged was n{last}",
                v["q20"]
            ));
        }
        let mut sorted = acks.clone();
        sorted.sort_unstable();
        for (i, (nonce, replaced)) in sorted.iter().enumerate() {
            if *replaced != (i > 0) {
                fail(format!(
                    "resident {resident}: answer n{nonce} acknowledged with replaced={replaced}"
                ));
            }
        }
    }
    if stored.len() != ledger.acks.len() {
        fail(format!(
            "{} answer rows for {} residents answered",
            stored.len(),
            ledger.acks.len()
        ));
    }
    Ok((checked, failures))
}

/// Adds answers in bulk (20 answers each, as the questionnaire asks) up to `total`.
async fn fill(
    db: &DatabaseConnection,
    consultation: &str,
    version: i32,
    total: u64,
) -> anyhow::Result<u64> {
    let have = count(db, consultation).await?;
    if have >= total {
        return Ok(have);
    }
    let mut yes = String::new();
    for i in 1..=12 {
        yes.push_str(&format!("'q{i:02}', (g % {}) <> 0, ", 2 + i % 3));
    }
    for i in 13..=18 {
        yes.push_str(&format!("'q{i:02}', 1 + (g * {i}) % 5, "));
    }
    let sql = format!(
        "INSERT INTO consultation_answer (id, consultation_id, participant, version, data, channel, area, age_band, created_at, updated_at) \
         SELECT md5('a' || g)::uuid::text, $1, md5('p' || g) || md5('q' || g), $2, \
           jsonb_build_object({yes}'q19', (ARRAY['park','droga','szkola'])[1 + g % 3], 'q20', 'uwaga ' || g)::text, \
           CASE WHEN g % 10 = 0 THEN 'paper' ELSE 'online' END, NULL, '35-44', now() - interval '1 hour', now() - interval '1 hour' \
         FROM generate_series($3::bigint, $4::bigint) AS g"
    );
    let chunk = 100_000u64;
    let mut from = 1u64;
    let need = total - have;
    while from <= need {
        let to = (from + chunk - 1).min(need);
        db.execute_raw(Statement::from_sql_and_values(
            db.get_database_backend(),
            &sql,
            [
                consultation.into(),
                version.into(),
                (from as i64).into(),
                (to as i64).into(),
            ],
        ))
        .await?;
        from = to + 1;
    }
    db.execute_unprepared("ANALYZE consultation_answer").await?;
    count(db, consultation).await
}

async fn count(db: &DatabaseConnection, consultation: &str) -> anyhow::Result<u64> {
    let row = db
        .query_one_raw(Statement::from_sql_and_values(
            db.get_database_backend(),
            "SELECT COUNT(*) AS n FROM consultation_answer WHERE consultation_id = $1",
            [consultation.into()],
        ))
        .await?
        .context("no row")?;
    Ok(u64::try_from(row.try_get::<i64>("", "n")?).unwrap_or(0))
}

/// A councillor's session, to draft and publish the consultation; its cookie header.
async fn councillor(db: &DatabaseConnection) -> anyhow::Result<String> {
    let identity = Identity {
        subject: "bench-councillor".into(),
        provider: "staff".into(),
        pesel: None,
        given_name: Some("Radna".into()),
        family_name: Some("Testowa".into()),
        birth_date: None,
        email: None,
        level: IdentityLevel::Substantial,
        roles: vec![Role::Councillor],
        unit: None,
    };
    super::session(db, &identity).await
}

/// Drafts and publishes the consultation, open today for a month; its id.
async fn consultation(
    client: &reqwest::Client,
    base: &str,
    cookie: &str,
) -> anyhow::Result<String> {
    let today = crate::participation::consultations::today();
    let body = json!({
        "consultation": {
            "kind": "informal_open",
            "subject": "Budżet osiedla na 2027 rok: pytania do mieszkańców",
            "legal_basis": { "resolution": "XII/123/2026", "adopted_on": "2026-03-26", "link": "https://bip.przykladowo.example.pl/uchwaly/xii-123-2026" },
            "scope": { "kind": "gmina" },
            "dates": {
                "announced_on": today.to_string(),
                "opens_on": today.to_string(),
                "closes_on": (today + time::Duration::days(30)).to_string(),
                "report_due_on": (today + time::Duration::days(60)).to_string(),
            },
            "forms": ["survey"],
            "results_while_open": true,
        },
        "questionnaire": questionnaire(),
    });
    let r = client
        .post(format!("{base}/api/consultations"))
        .header("cookie", cookie)
        .json(&body)
        .send()
        .await?;
    let status = r.status();
    let v: Value = r.json().await?;
    anyhow::ensure!(
        status.as_u16() == 201,
        "drafting the consultation: {status} {v}"
    );
    let id = v["id"].as_str().context("no id")?.to_owned();
    let r = client
        .post(format!("{base}/api/consultations/{id}/publish"))
        .header("cookie", cookie)
        .send()
        .await?;
    anyhow::ensure!(r.status().is_success(), "publishing: {}", r.text().await?);
    Ok(id)
}

/// Runs the benchmark; `Ok(false)` when a request failed or a check did not hold.
pub async fn run(opts: Options) -> anyhow::Result<bool> {
    anyhow::ensure!(
        opts.database_url.starts_with("postgres"),
        "the participation benchmark runs on PostgreSQL: set DATABASE_URL=postgres://..."
    );
    anyhow::ensure!(
        (1..=10_000).contains(&opts.residents),
        "--residents is 1 to 10,000"
    );
    let super::Stage {
        url: bench_url,
        work,
        base,
        config,
    } = super::stage(&opts.database_url, DB_NAME, &opts.work_dir, "consult", "").await?;
    let db = crate::db::connect(&bench_url).await?;
    let sessions = work.join("sessions.txt");
    residents(&db, opts.residents, &sessions).await?;
    let staff = councillor(&db).await?;
    let mut server = spawn(&config, "serve", &work)?;
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(1024)
        .timeout(Duration::from_secs(30))
        .build()?;
    wait_ready(&client, &base, &mut server).await?;
    let id = consultation(&client, &base, &staff).await?;
    let row = crate::db::consultations::find(
        &db,
        crate::domain::ids::ConsultationId::parse(&id).context("consultation id")?,
    )
    .await?
    .context("the consultation")?;
    println!(
        "{} residents with a session; consultation {id} of {QUESTIONS} questions, open",
        opts.residents
    );

    let cookies: Vec<String> = std::fs::read_to_string(&sessions)?
        .lines()
        .filter(|l| !l.is_empty())
        .map(super::cookie)
        .collect();
    let answerer = Arc::new(Answerer {
        client: client.clone(),
        endpoint: format!("{base}/api/consultations/{id}/answer"),
        cookies,
    });
    println!(
        "{:<14} {:>7} {:>7} {:>6} {:>7} {:>8} {:>8} {:>8} {:>8} {:>9} {:>7}",
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
        "rss MB"
    );
    println!(
        "(refused: 503 overloaded answers, each sent again a second later; server: its CPU ms per answer)"
    );
    let mut ledger = Ledger::default();
    let mut nonce = 0u64;
    let mut steps = Vec::new();
    let shapes = opts
        .concurrency
        .iter()
        .map(|c| ("closed", *c))
        .chain(opts.rates.iter().map(|r| ("open", *r as usize)));
    for shape in shapes {
        let before = cpu_ms(server.id());
        let s = step(&answerer, shape, opts.seconds, &mut nonce, &mut ledger).await;
        let server_ms = (cpu_ms(server.id()) - before) / (s.ok.max(1) as f64);
        println!(
            "{:<14} {:>7} {:>7} {:>6} {:>7} {:>8.0} {:>8.1} {:>8.1} {:>8.1} {:>9.2} {:>7.0}",
            s.shape,
            s.sent,
            s.ok,
            s.errors,
            s.refused,
            s.per_s,
            s.p50_ms,
            s.p99_ms,
            s.max_ms,
            server_ms,
            rss_mb(&server, "VmRSS:")
        );
        for e in &s.samples {
            println!("    error: {e}");
        }
        steps.push(s);
    }
    let (checked, mut failures) = check(&db, &id, &row.secret, &ledger).await?;
    println!(
        "checked {checked} acknowledged answers of {} residents in the database: {failures} failures",
        ledger.acks.len()
    );
    // the tally kept answer by answer under load must equal a recount of the answers
    let questions = questions()?;
    let recount = results::count_answers(&db, &id, &questions).await?;
    let kept = results::kept_tally(&db, &id).await?;
    if recount == kept {
        println!(
            "the kept tally equals a recount of the answers ({} rows)",
            kept.len()
        );
    } else {
        failures += 1;
        let differ: Vec<_> = recount
            .iter()
            .filter(|(k, v)| kept.get(*k) != Some(*v))
            .take(5)
            .collect();
        println!("    the kept tally differs from a recount of the answers: {differ:?}");
    }

    let t = Instant::now();
    let answers = fill(&db, &id, row.version, opts.results_answers).await?;
    // answers added around the application: their tally is counted here, as a backfill
    let all = results::count_answers(&db, &id, &questions).await?;
    let txn = sea_orm::TransactionTrait::begin(&db).await?;
    crate::db::consultation_tally::replace(&txn, &id, &all).await?;
    txn.commit().await?;
    println!(
        "{answers} answers in the database ({:.1} s to add them and count their tally)",
        t.elapsed().as_secs_f64()
    );
    let mut timings = Vec::new();
    let mut tallied = Value::Null;
    for _ in 0..3 {
        let t = Instant::now();
        let r = client
            .get(format!("{base}/api/consultations/{id}/results"))
            .timeout(Duration::from_secs(600))
            .send()
            .await?;
        anyhow::ensure!(r.status().is_success(), "results: {}", r.status());
        tallied = r.json().await?;
        timings.push(t.elapsed().as_secs_f64());
    }
    let results_s = percentile(&timings, 0.5);
    let q01 = &tallied["questions"][0];
    println!(
        "results over {answers} answers: {} s (median of 3; each run {}); participation {}",
        format_args!("{results_s:.2}"),
        timings
            .iter()
            .map(|t| format!("{t:.2}"))
            .collect::<Vec<_>>()
            .join(", "),
        tallied["participation"]
    );
    let counted = tallied["participation"]["answers"].as_u64().unwrap_or(0);
    let results_ok = counted == answers;
    if !results_ok {
        println!(
            "    the results count {counted} answers, the database holds {answers}; first question: {q01}"
        );
    }
    let rss = rss_mb(&server, "VmHWM:");
    let _ = server.start_kill();
    let _ = server.wait().await;
    db.close().await?;
    if opts.keep {
        println!("kept: database {DB_NAME}, folder {}", work.display());
    } else {
        drop_named(&opts.database_url, DB_NAME).await?;
        let _ = std::fs::remove_dir_all(&work);
    }
    let best = steps
        .iter()
        .filter(|s| s.shape.starts_with("closed"))
        .max_by(|a, b| a.per_s.total_cmp(&b.per_s));
    let at_500 = steps.iter().find(|s| s.shape == "open 500/s");
    let errors = steps.iter().map(|s| s.errors).sum::<u64>() + failures + u64::from(!results_ok);
    println!(
        "RESULT answers_per_s={:.0} p99_ms={:.1} p99_ms_at_500={} results_s={results_s:.2} results_answers={answers} rss_mb={rss:.0} errors={errors}",
        best.map_or(0.0, |s| s.per_s),
        best.map_or(0.0, |s| s.p99_ms),
        at_500.map_or("n/a".to_owned(), |s| format!("{:.1}", s.p99_ms)),
    );
    Ok(errors == 0)
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_questionnaire_has_twenty_questions_and_compiles() {
        let q = super::questionnaire();
        assert_eq!(q.matches("- { id: q").count(), super::QUESTIONS);
        let catalogue = crate::forms::Catalogue::shipped().expect("catalogue");
        let svc = crate::forms::questionnaire::compile(&catalogue, "bench", "Bench", "q.yaml", &q)
            .expect("compiles");
        let out = crate::forms::validate(
            &svc,
            &super::answers(7, 42),
            &crate::forms::Input {
                lang: crate::domain::lang::Lang::Pl,
                today: crate::participation::consultations::today(),
                identity: None,
            },
        );
        assert!(out.valid, "{:?}", out.errors);
    }
}
