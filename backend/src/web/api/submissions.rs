//! Filing a submission: JSON, or multipart with a `data` part and one part per file.

use axum::extract::{FromRequest, Multipart, Path, Query, Request, State};
use axum::http::{HeaderMap, StatusCode, header};
use serde::Deserialize;
use serde_json::{Map, Value, json};

use super::service;
use crate::domain::files;
use crate::error::{AppError, AppResult};
use crate::filing::{self, Filed, Upload, data_of, parse_idempotency_key};
use crate::forms::definition::FieldType;
use crate::state::AppState;
use crate::web::extract::{ApiJson, Requester};

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct VersionQuery {
    /// The definition version the data was filled against; must be the current one.
    pub version: Option<u32>,
}

pub fn filed_json(f: &Filed) -> Value {
    json!({
        "submission_id": f.submission_id,
        "receipt": { "id": f.receipt_id, "jws": f.jws, "claims": f.claims },
        "warnings": f.warnings,
    })
}

/// Files a submission and answers with its signed receipt. Retrying with the same
/// `Idempotency-Key` returns the same receipt and files nothing twice.
#[utoipa::path(post, path = "/api/services/{id}/submissions", tag = "submissions",
    params(("id" = String, Path), ("Idempotency-Key" = String, Header, pattern = "^[!-~]{1,128}$", description = "unique per submission, e.g. a UUID: 1 to 128 visible ASCII characters"), VersionQuery),
    request_body(content = super::drafts::FormBody, description = "`{\"data\": {...}}` as JSON; with files, multipart/form-data with a `data` part (that JSON) and file parts named after their fields"),
    responses((status = 429, description = "an anonymous client address over `limits.validate_per_minute` (`Retry-After`)"), (status = 201, description = "filed; the receipt"), (status = 200, description = "already filed with this key; the same receipt"),
        (status = 400, description = "malformed request"), (status = 401, description = "identity level too low"), (status = 404, description = "unknown service or version"),
        (status = 409, description = "key reused for a different body"), (status = 413, description = "too large"), (status = 422, description = "validation errors")))]
pub async fn create(
    app: State<AppState>,
    who: Requester,
    Path(id): Path<String>,
    Query(q): Query<VersionQuery>,
    headers: HeaderMap,
    req: Request,
) -> AppResult<(StatusCode, axum::Json<Value>)> {
    let svc = service(&app, &id)?;
    if q.version.is_some_and(|v| v != svc.def.version) {
        return Err(AppError::NotFound("service version"));
    }
    filing::require_level(&svc, &who)?;
    let key = parse_idempotency_key(headers.get("idempotency-key").and_then(|v| v.to_str().ok()))?;
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let (data, uploads) = if content_type.starts_with("multipart/form-data") {
        let mp = Multipart::from_request(req, &app).await.map_err(|e| {
            AppError::bad_request(
                "multipart",
                format!(
                    "Nie udało się odczytać formularza multipart: {}",
                    e.body_text()
                ),
            )
        })?;
        read_multipart(&svc, mp).await?
    } else {
        // this route takes uploads, so its body limit is the upload one; JSON gets the JSON limit
        let limit = app.settings.limits.json_body_kib * 1024;
        let req = req.map(|b| axum::body::Body::new(http_body_util::Limited::new(b, limit)));
        let ApiJson(body) = ApiJson::<Map<String, Value>>::from_request(req, &app).await?;
        (data_of(body)?, Vec::new())
    };
    let filed = filing::file(&app, &svc, &who, &key, data, uploads).await?;
    let status = if filed.created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((status, axum::Json(filed_json(&filed))))
}

/// Reads the `data` part and the files, checking each file's size while it streams.
pub async fn read_multipart(
    svc: &crate::forms::Service,
    mut mp: Multipart,
) -> AppResult<(Value, Vec<Upload>)> {
    let mut data = None;
    let mut uploads = Vec::new();
    while let Some(part) = mp.next_field().await? {
        let name = part.name().unwrap_or("").to_owned();
        if name == "data" {
            let text = part.text().await?;
            let body: Map<String, Value> = serde_json::from_str(&text).map_err(|e| {
                AppError::bad_request(
                    "json.syntax",
                    format!("Część `data` nie jest obiektem JSON: {e}"),
                )
            })?;
            data = Some(if body.contains_key("data") {
                data_of(body)?
            } else {
                Value::Object(body)
            });
            continue;
        }
        let field = svc
            .field(&name)
            .filter(|f| f.kind == FieldType::File)
            .ok_or_else(|| {
                AppError::bad_request(
                    "multipart.unknown_part",
                    format!(
                        "Część `{name}` nie jest ani częścią `data`, ani polem pliku tej usługi."
                    ),
                )
            })?;
        let file_name = part.file_name().unwrap_or("").to_owned();
        if !files::valid_file_name(&file_name) {
            return Err(AppError::bad_request(
                "file.name",
                format!(
                    "Nazwa pliku `{file_name}` jest niedozwolona: najwyżej 128 znaków, bez spacji i znaków ~ \" # % & * : < > ? ! / \\ {{ | }}"
                ),
            ));
        }
        uploads.push(crate::web::upload::read_file(field, file_name, part).await?);
    }
    let data = data.ok_or_else(|| {
        AppError::bad_request(
            "data.missing",
            "Formularz multipart nie zawiera części `data`.",
        )
    })?;
    Ok((data, uploads))
}
