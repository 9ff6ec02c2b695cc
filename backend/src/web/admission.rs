//! The gate in front of the handlers (`limits.max_in_flight`, `limits.max_queued`,
//! `limits.max_queue_wait_ms`).
//!
//! Past the database pool, more concurrency only queues inside the handlers, each waiting
//! request holding its whole state; waiting here holds only the request. At most
//! `limits.max_queued` wait, each at most `limits.max_queue_wait_ms`: a node above capacity
//! answers the rest with 503 and `Retry-After`, at once when the queue is full and after the
//! wait otherwise, so a burst costs latency up to a point, then refusals, never unbounded
//! memory, and the requests it accepts keep their latency however far past capacity the
//! load goes. `/metrics` shows both counts (`okienko_requests_in_flight`,
//! `okienko_requests_queued`).
//!
//! A burst and an overload are told apart by the queue's history ("controlled delay": Maurer,
//! "Fail at Scale", ACM Queue 13(8), 2015): while the queue empties now and then, a request
//! may wait `limits.max_queue_wait_ms` (a burst passes); once it has stood, never empty, for
//! that long, the node is past its capacity and a new request waits at most
//! `limits.standing_queue_wait_ms`, so the requests it accepts wait little and the rest are
//! refused quickly, instead of every accepted request waiting the long bound.
//!
//! Bodies are paced: past `limits.body_grace_secs` a body must keep up
//! `limits.body_min_bytes_per_sec` on average, or it is cut and its request answered 408. A
//! body of at most `PREBUFFER` bytes (its `Content-Length`; every filing without large
//! files) is read whole before the request asks for a slot, counted among the waiting, so a
//! client trickling it holds no slot at all; a larger one streams in while holding its slot,
//! for the grace period at most when it trickles (scripts/faults `slow`).

use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::task::{Context, Poll};
use std::time::Duration;

use axum::body::{Body, Bytes, HttpBody};
use axum::response::IntoResponse;
use tokio::sync::Semaphore;
use tokio::time::{Instant, Sleep};

use crate::config::Limits;
use crate::error::AppError;

pub struct Admission {
    /// Set once a request was answered 503 `unavailable` (the database out of reach): from
    /// then on one request at a time goes through as a probe, the others are answered 503
    /// at once instead of each holding a slot for the pool's acquire timeout (at 60 filings
    /// a second that queued them for 32 s; scripts/faults `pg-restart`). Cleared by a probe
    /// answered otherwise.
    db_down: std::sync::atomic::AtomicBool,
    probing: std::sync::atomic::AtomicBool,
    slots: Semaphore,
    max_in_flight: usize,
    queued: AtomicUsize,
    max_queued: usize,
    max_wait: Duration,
    /// The wait once the queue has stood for `max_wait` (see the module's note).
    standing_wait: Duration,
    /// Requests waiting for a slot (not those whose body is still being read).
    waiters: AtomicUsize,
    /// When the queue for slots was last empty, in milliseconds since `epoch`.
    last_empty_ms: AtomicU64,
    epoch: Instant,
    /// Bytes a second a body must average after `grace`; 0: no pacing.
    min_rate: u64,
    grace: Duration,
}

impl Admission {
    pub fn new(limits: &Limits) -> Self {
        let max_in_flight = limits.max_in_flight.max(1);
        Self {
            db_down: std::sync::atomic::AtomicBool::new(false),
            probing: std::sync::atomic::AtomicBool::new(false),
            slots: Semaphore::new(max_in_flight),
            max_in_flight,
            queued: AtomicUsize::new(0),
            max_queued: limits.max_queued,
            max_wait: Duration::from_millis(limits.max_queue_wait_ms.max(1)),
            standing_wait: Duration::from_millis(
                limits
                    .standing_queue_wait_ms
                    .clamp(1, limits.max_queue_wait_ms.max(1)),
            ),
            waiters: AtomicUsize::new(0),
            last_empty_ms: AtomicU64::new(0),
            epoch: Instant::now(),
            min_rate: limits.body_min_bytes_per_sec,
            grace: Duration::from_secs(limits.body_grace_secs),
        }
    }

    /// The request with its small body read whole (paced, without a slot), or as it came;
    /// `Err` is the answer when the body was too slow or the waiting room full.
    async fn prebuffer(
        &self,
        req: axum::extract::Request,
    ) -> Result<axum::extract::Request, axum::response::Response> {
        let small = req
            .headers()
            .get(axum::http::header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok()?.parse::<u64>().ok())
            .is_some_and(|n| n > 0 && n <= PREBUFFER);
        if self.min_rate == 0 || !small {
            return Ok(req);
        }
        let _waiting = Waiting(&self.queued);
        if self.queued.fetch_add(1, Ordering::Relaxed) >= self.max_queued {
            metrics::counter!("okienko_requests_shed_total").increment(1);
            return Err(AppError::Overloaded(1).into_response());
        }
        let (parts, body) = req.into_parts();
        match http_body_util::BodyExt::collect(Paced::new(body, self.min_rate, self.grace)).await {
            Ok(whole) => Ok(axum::extract::Request::from_parts(
                parts,
                Body::from(whole.to_bytes()),
            )),
            Err(e) if e.to_string().contains(TOO_SLOW) => {
                Err(AppError::BodyTooSlow.into_response())
            }
            Err(e) => Err(AppError::bad_request(
                "body",
                format!("Nie udało się odczytać przesłanych danych: {e}"),
            )
            .into_response()),
        }
    }

    /// The request with its body paced from now on.
    fn paced(&self, req: axum::extract::Request) -> axum::extract::Request {
        if self.min_rate == 0 {
            return req;
        }
        let (min_rate, grace) = (self.min_rate, self.grace);
        req.map(|body| Body::new(Paced::new(body, min_rate, grace)))
    }

    /// A place among the requests waiting for a slot, and how long it may wait there: the
    /// long bound while the queue empties now and then, the short one once it has stood
    /// for the long bound.
    fn join_queue(&self) -> (SlotWaiter<'_>, Duration) {
        let now = self.epoch.elapsed().as_millis() as u64;
        let ahead = self.waiters.fetch_add(1, Ordering::AcqRel);
        let waiter = SlotWaiter(self);
        if ahead == 0 {
            self.last_empty_ms.store(now, Ordering::Relaxed);
            return (waiter, self.max_wait);
        }
        let stood = now.saturating_sub(self.last_empty_ms.load(Ordering::Relaxed));
        if u128::from(stood) > self.max_wait.as_millis() {
            metrics::counter!("okienko_requests_standing_queue_total").increment(1);
            (waiter, self.standing_wait)
        } else {
            (waiter, self.max_wait)
        }
    }

    /// Requests being worked on now.
    pub fn in_flight(&self) -> usize {
        self.max_in_flight - self.slots.available_permits()
    }

    /// Requests waiting for a slot now.
    pub fn queued(&self) -> usize {
        self.queued.load(Ordering::Relaxed)
    }
}

/// Counted out on drop: a client that gives up while waiting leaves the queue too.
struct Waiting<'a>(&'a AtomicUsize);

impl Drop for Waiting<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::Relaxed);
    }
}

/// Leaves the queue for slots on drop; the last to leave marks it empty.
struct SlotWaiter<'a>(&'a Admission);

impl Drop for SlotWaiter<'_> {
    fn drop(&mut self) {
        if self.0.waiters.fetch_sub(1, Ordering::AcqRel) == 1 {
            let now = self.0.epoch.elapsed().as_millis() as u64;
            self.0.last_empty_ms.store(now, Ordering::Relaxed);
        }
    }
}

/// Bodies up to this size are read before their request takes a slot.
pub const PREBUFFER: u64 = 256 * 1024;

/// The middleware: a small body read first; then a free slot at once, else a place in the
/// queue for `limits.max_queue_wait_ms` at most, else 503 `overloaded`.
pub async fn admit(
    axum::extract::State(gate): axum::extract::State<Arc<Admission>>,
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    if !gate.db_down.load(Ordering::Relaxed) {
        let answer = admitted(&gate, req, next).await;
        if unavailable(&answer) {
            gate.db_down.store(true, Ordering::Relaxed);
            tracing::warn!("database out of reach: requests refused at once, one probing");
        }
        return answer;
    }
    if gate
        .probing
        .compare_exchange(false, true, Ordering::AcqRel, Ordering::Relaxed)
        .is_err()
    {
        metrics::counter!("okienko_requests_refused_database_down_total").increment(1);
        return AppError::Unavailable(sea_orm::DbErr::ConnectionAcquire(
            sea_orm::ConnAcquireErr::Timeout,
        ))
        .into_response();
    }
    // cleared however the probe ends, a client gone away included
    let _probe = Probe(&gate.probing);
    let answer = admitted(&gate, req, next).await;
    if !unavailable(&answer) {
        gate.db_down.store(false, Ordering::Relaxed);
        tracing::info!("database reachable again");
    }
    answer
}

struct Probe<'a>(&'a std::sync::atomic::AtomicBool);

impl Drop for Probe<'_> {
    fn drop(&mut self) {
        self.0.store(false, Ordering::Release);
    }
}

/// Whether an answer says the database was out of reach.
fn unavailable(answer: &axum::response::Response) -> bool {
    answer
        .extensions()
        .get::<crate::error::ErrorInfo>()
        .is_some_and(|e| e.code == "unavailable")
}

async fn admitted(
    gate: &Admission,
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let req = match gate.prebuffer(req).await {
        Ok(req) => req,
        Err(answer) => return answer,
    };
    if let Ok(_permit) = gate.slots.try_acquire() {
        return next.run(gate.paced(req)).await;
    }
    let waiting = Waiting(&gate.queued);
    if gate.queued.fetch_add(1, Ordering::Relaxed) >= gate.max_queued {
        metrics::counter!("okienko_requests_shed_total").increment(1);
        return AppError::Overloaded(1).into_response();
    }
    // the semaphore is fair: the first to wait is the first let in, and one that waited
    // too long leaves the queue
    let (waiter, bound) = gate.join_queue();
    let Ok(Ok(_permit)) = tokio::time::timeout(bound, gate.slots.acquire()).await else {
        metrics::counter!("okienko_requests_shed_total").increment(1);
        metrics::counter!("okienko_requests_waited_too_long_total").increment(1);
        return AppError::Overloaded(1).into_response();
    };
    drop(waiter);
    drop(waiting);
    next.run(gate.paced(req)).await
}

/// What a body cut for its pace says; `AppError`'s conversions of body errors look for it.
pub const TOO_SLOW: &str = "the request body arrived too slowly";

#[derive(Debug)]
struct TooSlow;

impl std::fmt::Display for TooSlow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(TOO_SLOW)
    }
}

impl std::error::Error for TooSlow {}

/// A body that fails once it falls behind `min_rate` bytes a second after `grace`.
struct Paced {
    inner: Body,
    started: Instant,
    bytes: u64,
    min_rate: u64,
    grace: Duration,
    deadline: Pin<Box<Sleep>>,
}

impl Paced {
    fn new(inner: Body, min_rate: u64, grace: Duration) -> Self {
        let started = Instant::now();
        Self {
            inner,
            started,
            bytes: 0,
            min_rate,
            grace,
            deadline: Box::pin(tokio::time::sleep_until(started + grace)),
        }
    }
}

impl HttpBody for Paced {
    type Data = Bytes;
    type Error = axum::Error;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<http_body::Frame<Bytes>, axum::Error>>> {
        let this = self.get_mut();
        match Pin::new(&mut this.inner).poll_frame(cx) {
            Poll::Ready(Some(Ok(frame))) => {
                if let Some(data) = frame.data_ref() {
                    this.bytes += data.len() as u64;
                    let earned = Duration::from_secs_f64(this.bytes as f64 / this.min_rate as f64);
                    this.deadline
                        .as_mut()
                        .reset(this.started + this.grace + earned);
                }
                Poll::Ready(Some(Ok(frame)))
            }
            Poll::Pending => {
                if this.deadline.as_mut().poll(cx).is_ready() {
                    metrics::counter!("okienko_request_bodies_too_slow_total").increment(1);
                    tracing::info!(
                        body.bytes = this.bytes,
                        body.secs = this.started.elapsed().as_secs(),
                        "request body cut: it arrived too slowly"
                    );
                    return Poll::Ready(Some(Err(axum::Error::new(TooSlow))));
                }
                Poll::Pending
            }
            other => other,
        }
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> http_body::SizeHint {
        self.inner.size_hint()
    }
}
