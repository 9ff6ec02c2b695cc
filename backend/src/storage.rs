//! Attachment storage behind `object_store`: a local directory by default, any
//! S3-compatible store in production (`storage_url = "s3://bucket/prefix"`).

use std::sync::Arc;

use object_store::ObjectStore;
use object_store::local::LocalFileSystem;

pub fn open(url: Option<&str>, data_dir: &std::path::Path) -> anyhow::Result<Arc<dyn ObjectStore>> {
    match url {
        None => {
            let dir = data_dir.join("attachments");
            std::fs::create_dir_all(&dir)?;
            Ok(Arc::new(LocalFileSystem::new_with_prefix(dir)?))
        }
        Some(u) if !u.contains("://") => {
            std::fs::create_dir_all(u)?;
            Ok(Arc::new(LocalFileSystem::new_with_prefix(u)?))
        }
        Some(u) => {
            let url = url::Url::parse(u)?;
            let (store, _path) = object_store::parse_url_opts(&url, std::env::vars())?;
            Ok(Arc::from(store))
        }
    }
}
