//! Group commit for filings. Every filing takes the next register number and case sign,
//! so filings wait for each other on the counters' rows from numbering to commit, and a
//! node writing one filing per transaction files at most one per commit (a WAL flush and
//! two round trips). The committer, one task a node, writes whatever filings have arrived
//! while the last transaction ran in one transaction of multi-row statements: at low load
//! that is one filing at a time, at the peak dozens per commit.
//!
//! Each filing keeps its all-or-nothing: if a shared transaction fails (a retry on one
//! node racing its first attempt on another, say), each of its filings is written again
//! alone, so only the one at fault fails. Numbers taken by a rolled-back transaction
//! return to the counters, so the register stays gap-free. Copies of one filing (same
//! owner, same Idempotency-Key) arriving together are written once: the others are told
//! so after the commit, and their callers answer with the filing written.

use std::collections::HashSet;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use sea_orm::{DatabaseConnection, DbErr};
use tokio::sync::{Mutex, OwnedMutexGuard, mpsc, oneshot};

use super::submissions::{self, Pending, Written};

/// At most this many filings in one transaction. Each batch size is its own SQL text, which
/// the driver prepares and keeps per connection: at 64 the server's memory at the peak grew
/// by about 50 MB with no gain measurable here over 16, where a commit is already shared by
/// 11 to 16 filings. (The integration test of the committer expects 16 filings to fit.)
const MAX_BATCH: usize = 16;

struct Job {
    pending: Pending,
    reply: oneshot::Sender<Result<Written, DbErr>>,
    /// Counts the job in `waiting` until it is answered, or dropped unanswered by a batch
    /// that panicked.
    counted: Counted,
}

struct Counted(Arc<Shared>);

impl Counted {
    fn new(shared: &Arc<Shared>) -> Self {
        shared.waiting.fetch_add(1, Ordering::Relaxed);
        Self(shared.clone())
    }
}

impl Drop for Counted {
    fn drop(&mut self) {
        self.0.waiting.fetch_sub(1, Ordering::Relaxed);
    }
}

/// A handle to the node's committer task.
#[derive(Clone)]
pub struct Committer {
    jobs: mpsc::Sender<Job>,
    shared: Arc<Shared>,
}

#[derive(Default)]
struct Shared {
    /// Held by the task while it writes; `pause` holds it to keep the task waiting.
    gate: Arc<Mutex<()>>,
    /// Transactions committed and filings written in them, since start.
    commits: AtomicU64,
    filings: AtomicU64,
    /// Filings handed over and not yet answered (see `Counted`).
    waiting: AtomicU64,
}

impl Shared {
    fn committed(&self, filings: usize) {
        self.commits.fetch_add(1, Ordering::Relaxed);
        self.filings.fetch_add(filings as u64, Ordering::Relaxed);
        metrics::counter!("okienko_filing_commits_total").increment(1);
        metrics::counter!("okienko_filings_committed_total").increment(filings as u64);
    }
}

impl Committer {
    /// Starts the task; it ends when the last handle is dropped.
    pub fn start(db: DatabaseConnection) -> Self {
        let (jobs, rx) = mpsc::channel(1024);
        let shared = Arc::new(Shared::default());
        tokio::spawn(run(db, rx, shared.clone()));
        Self { jobs, shared }
    }

    /// Writes one filing, with whichever others are waiting. The write goes on if the
    /// caller stops waiting: a client that gave up finds its filing by its key.
    pub async fn write(&self, pending: Pending) -> Result<Written, DbErr> {
        let (reply, answer) = oneshot::channel();
        let counted = Counted::new(&self.shared);
        let job = Job {
            pending,
            reply,
            counted,
        };
        if self.jobs.send(job).await.is_err() {
            return Err(stopped());
        }
        answer.await.map_err(|_| stopped())?
    }

    /// `(transactions committed, filings written)` since start: their ratio is how many
    /// filings shared a commit.
    pub fn counts(&self) -> (u64, u64) {
        (
            self.shared.commits.load(Ordering::Relaxed),
            self.shared.filings.load(Ordering::Relaxed),
        )
    }

    /// Filings handed to the committer and not yet answered.
    pub fn waiting(&self) -> u64 {
        self.shared.waiting.load(Ordering::Relaxed)
    }

    /// Holds the writes until the guard is dropped: filings wait (none fails) and are then
    /// written together. For tests, and for a maintenance step that needs the counters
    /// still for a moment.
    pub async fn pause(&self) -> OwnedMutexGuard<()> {
        self.shared.gate.clone().lock_owned().await
    }
}

fn answer(job: Job, outcome: Result<Written, DbErr>) {
    let Job { reply, counted, .. } = job;
    // uncounted before the caller hears, so a caller reading `waiting` afterwards no
    // longer finds its own filing there
    drop(counted);
    let _ = reply.send(outcome);
}

fn stopped() -> DbErr {
    DbErr::Custom("the filing committer stopped".into())
}

async fn run(db: DatabaseConnection, mut rx: mpsc::Receiver<Job>, shared: Arc<Shared>) {
    let mut batch = Vec::with_capacity(MAX_BATCH);
    while rx.recv_many(&mut batch, MAX_BATCH).await > 0 {
        let open = shared.gate.clone().lock_owned().await;
        // whatever arrived meanwhile (while paused, say) goes in too
        while batch.len() < MAX_BATCH {
            let Ok(job) = rx.try_recv() else { break };
            batch.push(job);
        }
        let jobs = std::mem::take(&mut batch);
        // its own task, so that a panic fails these filings (their callers get an error)
        // and not every filing after them
        let _ = tokio::spawn(commit(db.clone(), jobs, shared.clone())).await;
        drop(open);
    }
}

async fn commit(db: DatabaseConnection, jobs: Vec<Job>, shared: Arc<Shared>) {
    // one copy of each filing; the others are answered once it is written
    let mut keys = HashSet::new();
    let (jobs, copies): (Vec<Job>, Vec<Job>) = jobs.into_iter().partition(|j| {
        let s = &j.pending.filing.submission;
        s.idempotency_key.is_none() || keys.insert((s.owner.clone(), s.idempotency_key.clone()))
    });
    let pending: Vec<&Pending> = jobs.iter().map(|j| &j.pending).collect();
    match submissions::insert(&db, &pending).await {
        Ok(written) => {
            shared.committed(written.len());
            for (job, w) in jobs.into_iter().zip(written) {
                answer(job, Ok(w));
            }
        }
        Err(e) if jobs.len() == 1 => {
            if let Some(job) = jobs.into_iter().next() {
                answer(job, Err(e));
            }
        }
        Err(e) => {
            tracing::info!(filings = jobs.len(), error = %e, "a shared filing transaction failed; writing its filings one by one");
            for job in jobs {
                let alone = submissions::insert(&db, &[&job.pending])
                    .await
                    .and_then(|mut w| w.pop().ok_or_else(stopped));
                if alone.is_ok() {
                    shared.committed(1);
                }
                answer(job, alone);
            }
        }
    }
    for copy in copies {
        answer(
            copy,
            Err(DbErr::Custom(
                "a copy of a filing written at the same time".into(),
            )),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_job_leaves_the_waiting_count_however_it_ends() {
        let shared = Arc::new(Shared::default());
        let answered = Counted::new(&shared);
        let dropped_by_a_panic = Counted::new(&shared);
        assert_eq!(shared.waiting.load(Ordering::Relaxed), 2);
        drop(answered);
        assert_eq!(shared.waiting.load(Ordering::Relaxed), 1);
        // as `run` spawns each batch: a panic in it drops the batch's jobs unanswered
        let batch = tokio::spawn(async move {
            let _held = dropped_by_a_panic;
            panic!("a batch panicked");
        });
        assert!(batch.await.is_err_and(|e| e.is_panic()));
        assert_eq!(shared.waiting.load(Ordering::Relaxed), 0);
    }
}
