//! Benchmarks of issue 6, run from the binary (`okienko bench ...`; docs/performance.md):
//! the read paths at scale (`seed`, `read`) and the filing peak (`filing`, which drives the
//! load generator `load` in its own process and compares with `pgbench`); the budget
//! tally (`tally`, no database); the participation peak (`consult`: residents answering a
//! 20-question consultation, every answer checked, results over a million answers); the
//! council's session (`council`: councillors voting at once, residents watching live).

pub mod checks;
pub mod consult;
pub mod council;
pub mod filing;
pub mod load;
pub mod read;
pub mod seed;
pub mod seed_filings;
pub mod tally;

pub use read::read;
pub use seed::seed;

/// The `q` quantile (0..=1) of samples by the nearest-rank method; 0 when there are none.
pub fn percentile(samples: &[f64], q: f64) -> f64 {
    let mut v = samples.to_vec();
    v.sort_by(f64::total_cmp);
    let rank = ((v.len() as f64) * q).ceil().max(1.0) as usize;
    v.get(rank - 1).copied().unwrap_or(0.0)
}
