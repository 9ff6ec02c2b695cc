//! Benchmarks of issue 6, run from the binary (`okienko bench ...`; docs/performance.md):
//! the read paths at scale (`seed`, `read`) and the filing peak (`filing`, which drives the
//! load generator `load` in its own process and compares with `pgbench`); the budget
//! tally (`tally`, no database); the participation peak (`consult`: residents answering a
//! 20-question consultation, every answer checked, results over a million answers); the
//! council's session (`council`: councillors voting at once, residents watching live); the
//! tax ledger (`ledger`: prefill and a certificate over 100,000 taxpayers).

pub mod checks;
pub mod consult;
pub mod council;
pub mod filing;
pub mod ledger;
pub mod load;
pub mod payments;
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

/// A benchmark's server, staged: a fresh database `db_name` beside `database_url`, migrated
/// by `okienko migrate`, and a working folder with the production configuration of a node on
/// a free loopback port (`extra_toml` appended).
pub(crate) struct Stage {
    pub url: String,
    pub work: std::path::PathBuf,
    pub base: String,
    pub config: std::path::PathBuf,
}

pub(crate) async fn stage(
    database_url: &str,
    db_name: &str,
    work_dir: &std::path::Path,
    label: &str,
    extra_toml: &str,
) -> anyhow::Result<Stage> {
    let url = filing::fresh_named(database_url, db_name).await?;
    let work = work_dir.join(format!("bench-{label}-{}", std::process::id()));
    std::fs::create_dir_all(&work)?;
    let port = filing::free_port()?;
    let config = work.join("okienko.toml");
    let mut toml =
        filing::config_toml(port, &work.join("data"), &url, &crate::auth::random_token());
    toml.push_str(extra_toml);
    std::fs::write(&config, toml)?;
    let status = filing::okienko(&config)
        .arg("migrate")
        .stdout(std::process::Stdio::null())
        .status()
        .await?;
    anyhow::ensure!(status.success(), "`okienko migrate` failed");
    Ok(Stage {
        url,
        work,
        base: format!("http://127.0.0.1:{port}"),
        config,
    })
}

/// A session of `identity` made directly in the database; its cookie header.
pub(crate) async fn session(
    db: &sea_orm::DatabaseConnection,
    identity: &crate::domain::identity::Identity,
) -> anyhow::Result<String> {
    let token = crate::web::extract::random_token();
    crate::db::sessions::create(
        db,
        crate::db::sessions::NewSession {
            token_hash: &crate::web::extract::sha256_hex(&token),
            identity,
            id_token: None,
        },
        crate::db::sessions::Lifetime {
            idle: time::Duration::hours(2),
            absolute: time::Duration::hours(8),
        },
    )
    .await?;
    Ok(cookie(&token))
}

/// A session cookie under both names (`__Host-` behind the https public URL).
pub(crate) fn cookie(token: &str) -> String {
    use crate::web::cookies::{SESSION_COOKIE, name};
    format!(
        "{}={token}; {}={token}",
        name(false, SESSION_COOKIE),
        name(true, SESSION_COOKIE)
    )
}
