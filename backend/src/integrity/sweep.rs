//! `okienko storage sweep`: the files a filing stored in object storage whose row was never
//! committed. A node killed between storing a filing's files and its transaction's commit
//! (scripts/faults `kill9`) leaves them behind; nothing names them, `verify` checks the files
//! the rows name, not the reverse. Only the filings' own folder (`submissions/`, one
//! subfolder a day: `storage::attachment_key`) is swept, only files older than the given
//! age (a filing in progress has stored its files and not yet committed), and a file is
//! deleted only when no `attachment` row names it.

use std::collections::HashSet;

use object_store::ObjectStore;
use object_store::path::Path;

use crate::state::AppState;

/// Keys looked up in one query.
const BATCH: usize = 500;

/// What a sweep saw and did.
#[derive(Debug, Default)]
pub struct Swept {
    /// Files under `submissions/` old enough to be looked at.
    pub looked_at: u64,
    /// Of those, named by an attachment row.
    pub kept: u64,
    /// Named by no row: deleted (or, on a dry run, listed).
    pub orphans: Vec<String>,
}

/// Sweeps the files older than `older_than`; with `dry_run` only lists the orphans.
pub async fn orphans(
    app: &AppState,
    older_than: std::time::Duration,
    dry_run: bool,
) -> anyhow::Result<Swept> {
    let mut swept = Swept::default();
    // an age past what a date can hold: no file is that old
    let Some(cutoff) = chrono::Duration::from_std(older_than)
        .ok()
        .and_then(|age| chrono::Utc::now().checked_sub_signed(age))
    else {
        return Ok(swept);
    };
    let store = &app.storage;
    let days = store
        .list_with_delimiter(Some(&Path::from("submissions")))
        .await?;
    for day in days.common_prefixes {
        let files = store.list_with_delimiter(Some(&day)).await?;
        let old: Vec<String> = files
            .objects
            .into_iter()
            .filter(|o| o.last_modified < cutoff)
            .map(|o| o.location.to_string())
            .collect();
        for batch in old.chunks(BATCH) {
            swept.looked_at += batch.len() as u64;
            let named: HashSet<String> =
                crate::db::integrity::attachments_named(&app.db, batch).await?;
            swept.kept += named.len() as u64;
            for key in batch.iter().filter(|k| !named.contains(*k)) {
                if !dry_run {
                    delete(store.as_ref(), key).await?;
                }
                swept.orphans.push(key.clone());
            }
        }
    }
    Ok(swept)
}

async fn delete(store: &dyn ObjectStore, key: &str) -> anyhow::Result<()> {
    use object_store::ObjectStoreExt;
    store.delete(&Path::from(key)).await?;
    tracing::info!(storage.key = %key, "orphan attachment deleted");
    Ok(())
}
