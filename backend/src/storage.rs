//! Attachment storage behind `object_store`: a local directory by default, any
//! S3-compatible store in production (`storage_url = "s3://bucket/prefix"`).

use std::path::Path;
use std::sync::Arc;

use object_store::ObjectStore;
use object_store::local::LocalFileSystem;

pub fn open(url: Option<&str>, data_dir: &std::path::Path) -> anyhow::Result<Arc<dyn ObjectStore>> {
    match url {
        None => {
            let dir = data_dir.join("attachments");
            std::fs::create_dir_all(&dir)?;
            local(&dir)
        }
        Some(u) if !u.contains("://") => {
            std::fs::create_dir_all(u)?;
            local(std::path::Path::new(u))
        }
        Some(u) => {
            let url = url::Url::parse(u)?;
            let (store, _path) = object_store::parse_url_opts(&url, std::env::vars())?;
            Ok(Arc::from(store))
        }
    }
}

/// A folder: each file is synced (and its folder) before the write returns, as a receipt
/// attests its hash; an attachment must outlive a power cut just as its database row does.
fn local(dir: &std::path::Path) -> anyhow::Result<Arc<dyn ObjectStore>> {
    Ok(Arc::new(
        LocalFileSystem::new_with_prefix(dir)?.with_fsync(true),
    ))
}

/// Where a filing's `i`-th attachment is kept: one folder per day (not per submission, so
/// a filing creates a file, not a folder), the submission id and the content hash.
pub fn attachment_key(filed_on: time::Date, submission: &str, i: usize, sha3_256: &str) -> String {
    format!("submissions/{filed_on}/{submission}-{i}-{sha3_256}")
}

/// Deletes files a filing stored before it failed, so that a refused filing leaves no
/// orphan; a file that cannot be deleted now is logged with its key.
pub async fn discard<'a>(store: &Arc<dyn ObjectStore>, keys: impl Iterator<Item = &'a String>) {
    use object_store::ObjectStoreExt;
    for key in keys {
        if let Err(e) = store
            .delete(&object_store::path::Path::from(key.as_str()))
            .await
        {
            tracing::warn!(storage.key = %key, error = %e, "an orphan attachment could not be deleted");
        }
    }
}

/// Writes a new file only its owner can read (a development key-encryption key).
#[cfg(unix)]
pub fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)?;
    f.write_all(bytes)
}

#[cfg(not(unix))]
pub fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    std::fs::write(path, bytes)
}
