//! `okienko bench load`: the load generator of the filing benchmark, run by `bench filing`
//! in its own process. Residents file `dn-1` with three ZDN-1 rows and a small PDF over
//! HTTP (multipart, `Idempotency-Key`), either in a closed loop (`concurrency` residents
//! filing back to back) or an open loop (`rate` filings a second on a fixed schedule,
//! latency counted from the scheduled start, so a slow server cannot hide its queue).
//!
//! It prints one JSON line with the step's figures and appends every acknowledged
//! filing (`receipt id`, `submission id`) to the acks file for the checks afterwards.
//! Every 50th filing is sent twice with its key: the retry must return the same receipt.
//! A filing refused with 503 `overloaded` is sent again with its key after `Retry-After`,
//! as the API asks of a client; its latency runs from the first attempt, and the refusals
//! are counted apart (`refused`). So is one refused with 503 `unavailable` or
//! `storage_unavailable` (the database or the file store down: `unavailable`). It fails
//! only if refused ten times in a row. With several URLs (nodes) the filings go to each
//! in turn; a filing's retries go to the node it was first sent to.

use std::io::Write;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde::Serialize;
use tokio::sync::mpsc;

use super::percentile;

/// How the load is offered.
#[derive(Debug, Clone, Copy)]
pub enum Shape {
    /// This many residents, each filing again as soon as the last one is answered.
    Closed { concurrency: usize },
    /// This many filings a second, each started on schedule whatever the answers.
    Open { rate: u32 },
}

pub struct Plan {
    /// One node's base URL or several, the filings spread over them in turn.
    pub urls: Vec<String>,
    /// Session tokens, one per line: each a resident with a mailbox.
    pub sessions: PathBuf,
    pub shape: Shape,
    pub seconds: f64,
    /// Acknowledged filings are appended here, `receipt_id<TAB>submission_id`.
    pub acks: PathBuf,
    /// When set, every request's start (Unix ms), latency (ms) and `ok`/`error` go here.
    pub trace: Option<PathBuf>,
}

#[derive(Debug, Default, Serialize, serde::Deserialize)]
pub struct StepReport {
    pub shape: String,
    pub sent: u64,
    pub ok: u64,
    pub errors: u64,
    /// 503 `overloaded` answers; the filing was sent again after its `Retry-After`.
    #[serde(default)]
    pub refused: u64,
    /// 503 `unavailable`/`storage_unavailable` answers (a dependency down), each followed,
    /// as `refused`, by the filing sent again after `Retry-After`.
    #[serde(default)]
    pub unavailable: u64,
    /// Failures without an HTTP answer (connection refused or cut, timeouts).
    #[serde(default)]
    pub transport_errors: u64,
    pub retries_ok: u64,
    pub elapsed_s: f64,
    pub per_s: f64,
    pub p50_ms: f64,
    pub p99_ms: f64,
    pub max_ms: f64,
    /// The accepted attempt alone of each acknowledged filing (without the refused ones
    /// before it and their `Retry-After`): what admission costs a request let in.
    #[serde(default)]
    pub accepted_p50_ms: f64,
    #[serde(default)]
    pub accepted_p99_ms: f64,
    /// CPU time the load generator itself used (user + system), in ms.
    pub cpu_ms: f64,
    /// The first few failures, as `status: body`.
    pub error_samples: Vec<String>,
}

struct Outcome {
    /// When the request was sent (the wall clock, for lining a trace up with other logs).
    started: std::time::SystemTime,
    latency_ms: f64,
    /// The last attempt's latency alone.
    last_attempt_ms: f64,
    result: Result<Ack, String>,
    /// How many times the server refused it as overloaded before it was taken.
    refused: u64,
    /// How many times it was refused because a dependency was down.
    unavailable: u64,
    retry_ok: Option<bool>,
}

/// Why a filing was not taken.
enum Failure {
    /// 503 `overloaded`: the node is above capacity; try again after this long.
    Overloaded(Duration),
    /// 503 `unavailable` or `storage_unavailable`: try again after this long.
    Unavailable(Duration),
    Other(String),
}

/// The prefix of a failure without an HTTP answer.
const TRANSPORT: &str = "transport: ";

/// A client gives up on a filing refused this many times.
const MAX_REFUSALS: u64 = 10;

/// When a refused client comes back: after the server's `Retry-After`, and then a random
/// part of a span that doubles with each refusal, up to eight times it ("exponential
/// backoff with full jitter"), as a client library should; refused clients then spread
/// out instead of coming back together each second. The randomness is a hash of the
/// filing's number and the refusal's, so a run can be repeated.
pub(crate) fn backoff(after: Duration, refusals: u64, n: u64) -> Duration {
    let span = after * (1u32 << refusals.clamp(1, 3)) - after;
    let mut x = n.wrapping_mul(0x9E37_79B9_7F4A_7C15).wrapping_add(refusals);
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^= x >> 31;
    after + span.mul_f64((x % 1000) as f64 / 1000.0)
}

struct Ack {
    receipt_id: String,
    submission_id: String,
}

pub const BOUNDARY: &str = "okienko-bench-7MA4YWxkTrZu0gW";

/// The multipart body of one DN-1 filing: the data (three ZDN-1 rows) and a small PDF.
pub fn dn1_body() -> Vec<u8> {
    let data = serde_json::json!({
        "year": 2026,
        "purpose": "declaration",
        "from_month": 1,
        "filer_type": "legal_person",
        "entity_type": "owner",
        "name": "Przykładowa Spółka z o.o.",
        "nip": "8567346215",
        "regon": "123456785",
        "address": { "street": "Rynek", "building": "1", "postal_code": "64-530", "locality": "Przykładowo" },
        "email": "biuro@example.pl",
        "zdn1": [
            { "category": "land_business", "location": "ul. Polna 3", "base": "1234.5678" },
            { "category": "building_business", "location": "ul. Polna 3", "base": "250" },
            { "category": "structures", "location": "ul. Polna 3", "base": "1700.00" }
        ],
        "has_exemptions": false
    });
    let pdf = b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";
    let mut body = Vec::new();
    body.extend_from_slice(
        format!(
            "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"data\"\r\nContent-Type: application/json\r\n\r\n{data}\r\n"
        )
        .as_bytes(),
    );
    body.extend_from_slice(
        format!(
            "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"attachments\"; filename=\"pelnomocnictwo.pdf\"\r\nContent-Type: application/pdf\r\n\r\n"
        )
        .as_bytes(),
    );
    body.extend_from_slice(pdf);
    body.extend_from_slice(format!("\r\n--{BOUNDARY}--\r\n").as_bytes());
    body
}

struct Filer {
    client: reqwest::Client,
    endpoints: Vec<String>,
    body: bytes::Bytes,
    cookies: Vec<String>,
}

impl Filer {
    async fn file(&self, n: u64, resident: usize, key: &str) -> Result<Ack, Failure> {
        let cookie = &self.cookies[resident % self.cookies.len()];
        let endpoint = &self.endpoints[(n % self.endpoints.len() as u64) as usize];
        let res = self
            .client
            .post(endpoint)
            .header(
                "content-type",
                format!("multipart/form-data; boundary={BOUNDARY}"),
            )
            .header("cookie", cookie)
            .header("idempotency-key", key)
            .body(self.body.clone())
            .send()
            .await
            .map_err(|e| Failure::Other(format!("{TRANSPORT}{e}")))?;
        let status = res.status();
        let retry_after = res
            .headers()
            .get(reqwest::header::RETRY_AFTER)
            .and_then(|v| v.to_str().ok()?.parse::<u64>().ok());
        let text = res
            .text()
            .await
            .map_err(|e| Failure::Other(format!("{TRANSPORT}body: {e}")))?;
        let after = Duration::from_secs(retry_after.unwrap_or(1));
        if status == reqwest::StatusCode::SERVICE_UNAVAILABLE {
            if text.contains("\"overloaded\"") {
                return Err(Failure::Overloaded(after));
            }
            if text.contains("\"unavailable\"") || text.contains("\"storage_unavailable\"") {
                return Err(Failure::Unavailable(after));
            }
        }
        if !status.is_success() {
            return Err(Failure::Other(format!(
                "{status}: {}",
                text.chars().take(300).collect::<String>()
            )));
        }
        let v: serde_json::Value = serde_json::from_str(&text)
            .map_err(|e| Failure::Other(format!("{status}: not JSON: {e}")))?;
        match (
            v["receipt"]["id"].as_str(),
            v["submission_id"].as_str(),
            v["receipt"]["jws"].as_str(),
        ) {
            (Some(r), Some(s), Some(j)) if !j.is_empty() => Ok(Ack {
                receipt_id: r.to_owned(),
                submission_id: s.to_owned(),
            }),
            _ => Err(Failure::Other(format!("{status}: no receipt in {text}"))),
        }
    }

    /// Files, and as a well-behaved client files again with the same key after the
    /// `Retry-After` of each 503 `overloaded`; returns the answer and the refusals.
    async fn file_until_taken(
        &self,
        n: u64,
        resident: usize,
        key: &str,
    ) -> (Result<Ack, String>, u64, u64, f64) {
        let (mut refused, mut unavailable) = (0, 0);
        loop {
            let t = Instant::now();
            let answer = self.file(n, resident, key).await;
            let ms = t.elapsed().as_secs_f64() * 1000.0;
            let after = match answer {
                Ok(ack) => return (Ok(ack), refused, unavailable, ms),
                Err(Failure::Overloaded(after)) => {
                    refused += 1;
                    after
                }
                Err(Failure::Unavailable(after)) => {
                    unavailable += 1;
                    after
                }
                Err(Failure::Other(e)) => return (Err(e), refused, unavailable, ms),
            };
            if refused + unavailable == MAX_REFUSALS {
                return (
                    Err(format!(
                        "refused {refused} times as overloaded and {unavailable} as unavailable"
                    )),
                    refused,
                    unavailable,
                    ms,
                );
            }
            tokio::time::sleep(backoff(after, refused + unavailable, n)).await;
        }
    }

    /// Files (again after each refusal); every 50th filing is then sent again with its key
    /// and must get the same receipt.
    async fn file_checked(&self, n: u64, resident: usize) -> Outcome {
        let key = uuid::Uuid::new_v4().to_string();
        let started = std::time::SystemTime::now();
        let t = Instant::now();
        let (result, refused, unavailable, last_attempt_ms) =
            self.file_until_taken(n, resident, &key).await;
        let latency_ms = t.elapsed().as_secs_f64() * 1000.0;
        let retry_ok = match &result {
            // a retry the network failed (a node killed) checks nothing
            Ok(ack) if n.is_multiple_of(50) => {
                match self.file_until_taken(n, resident, &key).await.0 {
                    Ok(again) => Some(again.receipt_id == ack.receipt_id),
                    Err(e) if e.starts_with(TRANSPORT) => None,
                    Err(_) => Some(false),
                }
            }
            _ => None,
        };
        Outcome {
            started,
            latency_ms,
            last_attempt_ms,
            result,
            refused,
            unavailable,
            retry_ok,
        }
    }
}

/// Runs one step and returns its figures; acknowledged filings go to `plan.acks`.
pub async fn run(plan: Plan) -> anyhow::Result<StepReport> {
    let cookies: Vec<String> = std::fs::read_to_string(&plan.sessions)?
        .lines()
        .filter(|l| !l.is_empty())
        // under both names: `__Host-` when the server's public URL is https (production)
        .map(|t| {
            use crate::web::cookies::{SESSION_COOKIE, name};
            format!(
                "{}={t}; {}={t}",
                name(false, SESSION_COOKIE),
                name(true, SESSION_COOKIE)
            )
        })
        .collect();
    if plan.urls.is_empty() {
        anyhow::bail!("no URL to file at");
    }
    if cookies.is_empty() {
        anyhow::bail!("{}: no sessions", plan.sessions.display());
    }
    let filer = Arc::new(Filer {
        client: reqwest::Client::builder()
            .pool_max_idle_per_host(1024)
            .timeout(Duration::from_secs(30))
            .build()?,
        endpoints: plan
            .urls
            .iter()
            .map(|u| format!("{u}/api/services/dn-1/submissions"))
            .collect(),
        body: bytes::Bytes::from(dn1_body()),
        cookies,
    });
    let (tx, mut rx) = mpsc::unbounded_channel::<(Duration, Outcome)>();
    let start = Instant::now();
    let deadline = start + Duration::from_secs_f64(plan.seconds);
    let shape = match plan.shape {
        Shape::Closed { concurrency } => {
            for task in 0..concurrency {
                let (filer, tx) = (filer.clone(), tx.clone());
                tokio::spawn(async move {
                    let mut n = task as u64;
                    while Instant::now() < deadline {
                        let outcome = filer.file_checked(n, task).await;
                        if tx.send((Duration::ZERO, outcome)).is_err() {
                            break;
                        }
                        n += concurrency as u64;
                    }
                });
            }
            format!("closed c={concurrency}")
        }
        Shape::Open { rate } => {
            let total = (f64::from(rate) * plan.seconds).round() as u64;
            let (filer, tx) = (filer.clone(), tx.clone());
            tokio::spawn(async move {
                for n in 0..total {
                    let due = start + Duration::from_secs_f64(n as f64 / f64::from(rate));
                    tokio::time::sleep_until(due.into()).await;
                    let (filer, tx) = (filer.clone(), tx.clone());
                    tokio::spawn(async move {
                        // counted from the scheduled start: time spent waiting for a
                        // connection or behind a late generator is the server's queue too
                        let late = due.elapsed();
                        let outcome = filer.file_checked(n, n as usize).await;
                        let _ = tx.send((late, outcome));
                    });
                }
            });
            format!("open {rate}/s")
        }
    };
    drop(tx);
    let mut acks = std::io::BufWriter::new(
        std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&plan.acks)?,
    );
    let mut report = StepReport {
        shape,
        ..StepReport::default()
    };
    let mut trace = match &plan.trace {
        Some(path) => Some(std::io::BufWriter::new(std::fs::File::create(path)?)),
        None => None,
    };
    let mut latencies = Vec::new();
    let mut accepted = Vec::new();
    while let Some((queued, o)) = rx.recv().await {
        report.sent += 1;
        report.refused += o.refused;
        report.unavailable += o.unavailable;
        let latency_ms = o.latency_ms + queued.as_secs_f64() * 1000.0;
        latencies.push(latency_ms);
        if let Some(trace) = &mut trace {
            let started = o
                .started
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap_or_default();
            let outcome = if o.result.is_ok() { "ok" } else { "error" };
            writeln!(
                trace,
                "{}\t{latency_ms:.1}\t{outcome}",
                (started - queued).as_millis()
            )?;
        }
        match o.result {
            Ok(ack) => {
                report.ok += 1;
                accepted.push(o.last_attempt_ms);
                writeln!(acks, "{}\t{}", ack.receipt_id, ack.submission_id)?;
            }
            Err(e) => {
                report.errors += 1;
                if e.starts_with(TRANSPORT) {
                    report.transport_errors += 1;
                }
                if report.error_samples.len() < 5 {
                    report.error_samples.push(e);
                }
            }
        }
        match o.retry_ok {
            Some(true) => report.retries_ok += 1,
            Some(false) => {
                report.errors += 1;
                if report.error_samples.len() < 5 {
                    report.error_samples.push(
                        "a retry with the same Idempotency-Key got a different answer".into(),
                    );
                }
            }
            None => {}
        }
    }
    acks.flush()?;
    if let Some(trace) = &mut trace {
        trace.flush()?;
    }
    report.elapsed_s = start.elapsed().as_secs_f64();
    report.per_s = report.ok as f64 / report.elapsed_s.max(f64::EPSILON);
    report.p50_ms = percentile(&latencies, 0.50);
    report.p99_ms = percentile(&latencies, 0.99);
    report.max_ms = percentile(&latencies, 1.0);
    report.accepted_p50_ms = percentile(&accepted, 0.50);
    report.accepted_p99_ms = percentile(&accepted, 0.99);
    report.cpu_ms = super::filing::cpu_ms(Some(std::process::id()));
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_backoff_grows_with_each_refusal_and_spreads_the_clients() {
        let second = Duration::from_secs(1);
        for refusals in 1..=10u64 {
            let cap = second * (1 << refusals.min(3));
            let waits: Vec<Duration> = (0..1000).map(|n| backoff(second, refusals, n)).collect();
            assert!(waits.iter().all(|w| *w >= second && *w < cap), "{refusals}");
            // spread over the span, not bunched at one end
            let early = waits.iter().filter(|w| **w < (second + cap) / 2).count();
            assert!(
                (350..650).contains(&early),
                "{refusals}: {early} of 1000 early"
            );
        }
    }
}
