//! The gate in front of the handlers (`limits.max_in_flight`, `limits.max_queued`).
//!
//! Past the database pool, more concurrency only queues inside the handlers, each waiting
//! request holding its whole state; waiting here holds only the request. At most
//! `limits.max_queued` wait: a node above capacity answers the rest with 503 and
//! `Retry-After` at once, so a burst costs latency up to a point, then refusals, never
//! unbounded memory. `/metrics` shows both counts (`okienko_requests_in_flight`,
//! `okienko_requests_queued`).

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use axum::response::IntoResponse;
use tokio::sync::Semaphore;

use crate::config::Limits;
use crate::error::AppError;

pub struct Admission {
    slots: Semaphore,
    max_in_flight: usize,
    queued: AtomicUsize,
    max_queued: usize,
}

impl Admission {
    pub fn new(limits: &Limits) -> Self {
        let max_in_flight = limits.max_in_flight.max(1);
        Self {
            slots: Semaphore::new(max_in_flight),
            max_in_flight,
            queued: AtomicUsize::new(0),
            max_queued: limits.max_queued,
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

/// The middleware: a free slot at once, else a place in the queue, else 503 `overloaded`.
pub async fn admit(
    axum::extract::State(gate): axum::extract::State<Arc<Admission>>,
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    if let Ok(_permit) = gate.slots.try_acquire() {
        return next.run(req).await;
    }
    let waiting = Waiting(&gate.queued);
    if gate.queued.fetch_add(1, Ordering::Relaxed) >= gate.max_queued {
        metrics::counter!("okienko_requests_shed_total").increment(1);
        return AppError::Overloaded(1).into_response();
    }
    let _permit = gate.slots.acquire().await;
    drop(waiting);
    next.run(req).await
}
