//! Reading one uploaded file from a multipart body: streamed, its size checked against the
//! field's limit while it arrives, hashed on the way.

use axum::extract::multipart::Field as Part;
use sha3::{Digest, Sha3_256};

use crate::domain::files;
use crate::error::{AppError, AppResult};
use crate::filing::Upload;
use crate::forms::definition::Field;

/// Reads the file part `part` for the file field `field`, named `file_name`.
pub async fn read_file(field: &Field, file_name: String, part: Part<'_>) -> AppResult<Upload> {
    read_part(&field.id, field.max_size_mb.unwrap_or(10), file_name, part).await
}

/// Reads a file part of at most `max_mb` MiB, recorded under `field_id`.
pub async fn read_part(
    field_id: &str,
    max_mb: u32,
    file_name: String,
    mut part: Part<'_>,
) -> AppResult<Upload> {
    let max = u64::from(max_mb) * 1024 * 1024;
    let mut buf = bytes::BytesMut::new();
    let mut hasher = Sha3_256::new();
    while let Some(chunk) = part.chunk().await? {
        if (buf.len() + chunk.len()) as u64 > max {
            return Err(AppError::PayloadTooLarge(format!(
                "plik w polu `{}` może mieć najwyżej {} MB",
                field_id,
                max / 1024 / 1024
            )));
        }
        hasher.update(&chunk);
        buf.extend_from_slice(&chunk);
    }
    let ext = files::extension(&file_name).unwrap_or("");
    Ok(Upload {
        field: field_id.to_owned(),
        content_type: files::mime_for_extension(ext)
            .unwrap_or("application/octet-stream")
            .to_owned(),
        name: file_name,
        bytes: buf.freeze(),
        sha3_256: crate::forms::catalogue::hex(&hasher.finalize()),
    })
}

/// A browser's file part as a case or message keeps it: the name tidied, the size limit,
/// an allowed type whose content agrees, then stored under `<prefix>/<uuid>-<sha3>`.
/// `None` for the empty part a browser sends for an empty file input.
pub async fn store_browser_file(
    app: &crate::state::AppState,
    part: Part<'_>,
    max_mb: u32,
    prefix: &str,
) -> AppResult<Option<serde_json::Value>> {
    use object_store::ObjectStoreExt;
    let raw = part.file_name().unwrap_or("").to_owned();
    if raw.is_empty() {
        return Ok(None);
    }
    let up = read_part("files", max_mb, files::tidy_file_name(&raw), part).await?;
    if up.bytes.is_empty() {
        return Ok(None);
    }
    if !files::acceptable(&up.name, &up.bytes) {
        return Err(AppError::bad_request(
            "file.content",
            format!(
                "Plik `{}` nie jest plikiem PDF, obrazem ani dokumentem takiego rodzaju, jak wskazuje jego nazwa.",
                up.name
            ),
        ));
    }
    let key = format!("{prefix}/{}-{}", uuid::Uuid::now_v7(), up.sha3_256);
    let size = up.bytes.len();
    app.storage
        .put(
            &object_store::path::Path::from(key.as_str()),
            up.bytes.into(),
        )
        .await
        .map_err(|e| anyhow::anyhow!("storing a file: {e}"))?;
    Ok(Some(
        serde_json::json!({ "name": up.name, "size": size, "sha3_256": up.sha3_256, "storage_key": key }),
    ))
}

/// The OpenAPI schema of a `multipart/form-data` body of one file in the part `file`.
#[derive(serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FilePart {
    #[schema(value_type = String, format = Binary)]
    pub file: Vec<u8>,
}
