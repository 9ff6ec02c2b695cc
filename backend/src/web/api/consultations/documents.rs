//! A consultation's documents: `POST /api/consultations/{id}/documents` (its author or the
//! coordinator uploads one before it opens: the multipart parts `role`, `title` and `file`),
//! `GET` (public with the consultation), `GET …/documents/{document}` (the file) and
//! `DELETE …/documents/{document}` (before it opens).

use axum::Json;
use axum::extract::{Multipart, Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};
use time::format_description::well_known::Rfc3339;

use crate::db::entity::consultation_document as document;
use crate::domain::consultation_document::{DocumentRole, human_size};
use crate::domain::lang::Lang;
use crate::error::{AppError, AppResult};
use crate::forms::uploads::UploadRules;
use crate::participation::consultations::documents::{self, Upload};
use crate::state::AppState;
use crate::web::extract::Requester;

/// A document as the API and the pages show it.
pub fn document_view(d: &document::Model, lang: Lang) -> Value {
    let role = DocumentRole::parse(&d.role).unwrap_or(DocumentRole::Other);
    json!({
        "id": d.id,
        "role": role.as_str(),
        "role_label": role.label(lang),
        "title": d.title,
        "name": d.name,
        "content_type": d.content_type,
        "size": d.size,
        "size_label": human_size(d.size, lang),
        "sha3_256": d.sha3_256,
        "version": d.version,
        "added_at": d.created_at.format(&Rfc3339).unwrap_or_default(),
        "href": format!("/api/consultations/{}/documents/{}", d.consultation_id, d.id),
    })
}

/// The OpenAPI schema of a document's multipart body.
#[derive(serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DocumentPart {
    /// `draft`, `map`, `justification` or `other` (the default).
    pub role: Option<String>,
    /// At most 300 characters; the file's name when left out.
    pub title: Option<String>,
    /// PDF, JPEG, PNG, TIFF, DOCX, ODT or XML, at most 20 MiB; sent last.
    #[schema(value_type = String, format = Binary)]
    pub file: Vec<u8>,
}

#[utoipa::path(post, path = "/api/consultations/{id}/documents", tag = "consultations", params(("id" = String, Path)),
    request_body(content = DocumentPart, content_type = "multipart/form-data", description = "the parts `role` and `title`, then `file`"),
    responses((status = 201, description = "the document"), (status = 400, description = "no `file` part, a bad name, or a type not accepted or not matching its content"),
        (status = 401, description = "not logged in"), (status = 403, description = "not its author or the coordinator"),
        (status = 404, description = "unknown consultation"), (status = 409, description = "the consultation has opened (its documents are frozen), or it has 50 documents"),
        (status = 413, description = "over 20 MiB"), (status = 422, description = "an unknown role or a too long title, by field")))]
pub async fn add(
    app: State<AppState>,
    who: Requester,
    Path(id): Path<String>,
    mut mp: Multipart,
) -> AppResult<(StatusCode, Json<Value>)> {
    let up = read_upload(&app, &who, &id, &mut mp, false).await?;
    let d = documents::add(&app, who.identity.as_ref(), &id, up).await?;
    Ok((StatusCode::CREATED, Json(document_view(&d, who.lang))))
}

#[utoipa::path(get, path = "/api/consultations/{id}/documents", tag = "consultations", params(("id" = String, Path)),
    responses((status = 401, description = "no login where one is needed, or a bearer token that is not a live API client's"), (status = 200, description = "`{items}`: the documents in the order they were added, with size, type and link"), (status = 404, description = "unknown consultation")))]
pub async fn list(
    app: State<AppState>,
    who: Requester,
    Path(id): Path<String>,
) -> AppResult<Json<Value>> {
    let items: Vec<Value> = documents::list(&app, who.identity.as_ref(), &id)
        .await?
        .iter()
        .map(|d| document_view(d, who.lang))
        .collect();
    Ok(Json(json!({ "items": items })))
}

#[utoipa::path(get, path = "/api/consultations/{id}/documents/{document}", tag = "consultations",
    params(("id" = String, Path), ("document" = String, Path)),
    responses((status = 401, description = "no login where one is needed, or a bearer token that is not a live API client's"), (status = 200, description = "the file, as an attachment under its name"), (status = 404, description = "unknown consultation or document")))]
pub async fn get(
    app: State<AppState>,
    who: Requester,
    Path((id, doc)): Path<(String, String)>,
) -> AppResult<Response> {
    let (d, bytes) = documents::file(&app, who.identity.as_ref(), &id, &doc).await?;
    let content_type = HeaderValue::from_str(&d.content_type)
        .unwrap_or(HeaderValue::from_static("application/octet-stream"));
    Ok((
        [
            (header::CONTENT_TYPE, content_type),
            (
                header::CONTENT_DISPOSITION,
                crate::web::disposition::header("attachment", &d.name),
            ),
        ],
        bytes,
    )
        .into_response())
}

#[utoipa::path(delete, path = "/api/consultations/{id}/documents/{document}", tag = "consultations",
    params(("id" = String, Path), ("document" = String, Path)),
    responses((status = 204, description = "removed"), (status = 401, description = "not logged in"),
        (status = 403, description = "not its author or the coordinator"), (status = 404, description = "unknown consultation or document"),
        (status = 409, description = "the consultation has opened: its documents are frozen")))]
pub async fn remove(
    app: State<AppState>,
    who: Requester,
    Path((id, doc)): Path<(String, String)>,
) -> AppResult<StatusCode> {
    documents::remove(&app, who.identity.as_ref(), &id, &doc).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A document's multipart body (`role` and `title`, then `file`), read once `who` may still
/// change the consultation's documents (before up to 20 MiB are read). `tidy`: a browser's
/// file name is made acceptable (pages), where the API refuses it instead.
pub async fn read_upload(
    app: &AppState,
    who: &Requester,
    id: &str,
    mp: &mut Multipart,
    tidy: bool,
) -> AppResult<Upload> {
    documents::editable(app, who.identity.as_ref(), id).await?;
    let (mut role, mut title) = ("other".to_owned(), String::new());
    let part = loop {
        let part = mp.next_field().await?.ok_or_else(|| {
            AppError::bad_request(
                "file.missing",
                "Wyślij dokument jako część `file` formularza multipart.",
            )
        })?;
        match part.name() {
            Some("role") => role = part.text().await?.chars().take(40).collect(),
            Some("title") => {
                title = part
                    .text()
                    .await?
                    .chars()
                    .take(documents::TITLE_MAX + 1)
                    .collect();
            }
            Some("file") => break part,
            _ => {}
        }
    };
    let raw = part.file_name().unwrap_or("");
    let name = if tidy {
        crate::domain::files::tidy_file_name(raw)
    } else {
        raw.to_owned()
    };
    if !crate::domain::files::valid_file_name(&name) {
        return Err(AppError::bad_request(
            "file.name",
            format!("Nazwa pliku `{name}` jest niedozwolona."),
        ));
    }
    let max = UploadRules::consultation_documents().max_size_mb;
    let up = crate::web::upload::read_part("file", max, name, part).await?;
    Ok(Upload {
        role,
        title,
        name: up.name,
        content_type: up.content_type,
        sha3_256: up.sha3_256,
        bytes: up.bytes,
    })
}
