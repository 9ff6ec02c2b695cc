//! A consultation's meetings: `POST /api/consultations/{id}/meetings` (its author or the
//! coordinator adds one), `GET` (public with the consultation),
//! `POST …/meetings/{meeting}/minutes` (the minutes as the multipart part `file`, after the
//! meeting) and `GET …/meetings/{meeting}/minutes` (the file).

use axum::Json;
use axum::extract::{Multipart, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{Value, json};
use time::format_description::well_known::Rfc3339;

use crate::db::entity::consultation_meeting as meeting;
use crate::error::{AppError, AppResult};
use crate::participation::consultations::meetings::{self, Minutes};
use crate::participation::consultations::visible;
use crate::state::AppState;
use crate::web::extract::{ApiJson, Requester};

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MeetingRequest {
    /// `open_meeting`, `expert_panel`, `workshop` or `study_walk`.
    pub kind: String,
    /// RFC 3339, e.g. `2027-01-20T17:00:00+01:00`.
    pub starts_at: String,
    /// Where (1 to 300 characters).
    pub place: String,
}

/// A meeting as the API and the pages show it.
pub fn meeting_view(m: &meeting::Model) -> Value {
    json!({
        "id": m.id,
        "kind": m.kind,
        "starts_at": m.starts_at.format(&Rfc3339).unwrap_or_default(),
        "starts_on": crate::domain::clock::in_poland(m.starts_at).date().to_string(),
        "place": m.place,
        "minutes": m.minutes_name.as_ref().map(|name| json!({
            "name": name,
            "href": format!("/api/consultations/{}/meetings/{}/minutes", m.consultation_id, m.id),
        })),
    })
}

#[utoipa::path(post, path = "/api/consultations/{id}/meetings", tag = "consultations", params(("id" = String, Path)), request_body = MeetingRequest,
    responses((status = 201, description = "the meeting"), (status = 401, description = "not logged in"),
        (status = 403, description = "not its author or the coordinator"), (status = 404, description = "unknown consultation"),
        (status = 409, description = "the report is published, or 200 meetings listed already"),
        (status = 422, description = "an unknown kind, a bad date or no place, by field")))]
pub async fn add(
    app: State<AppState>,
    who: Requester,
    Path(id): Path<String>,
    ApiJson(req): ApiJson<MeetingRequest>,
) -> AppResult<(StatusCode, Json<Value>)> {
    let m = meetings::add(
        &app,
        who.identity.as_ref(),
        &id,
        &req.kind,
        &req.starts_at,
        &req.place,
    )
    .await?;
    Ok((StatusCode::CREATED, Json(meeting_view(&m))))
}

#[utoipa::path(get, path = "/api/consultations/{id}/meetings", tag = "consultations", params(("id" = String, Path)),
    responses((status = 401, description = "no login where one is needed, or a bearer token that is not a live API client's"), (status = 200, description = "`{items}`: the meetings by date, with their minutes once uploaded"), (status = 404, description = "unknown consultation")))]
pub async fn list(
    app: State<AppState>,
    who: Requester,
    Path(id): Path<String>,
) -> AppResult<Json<Value>> {
    let c = visible(&app, who.identity.as_ref(), &id).await?;
    let items: Vec<Value> = crate::db::consultation_meetings::list(&app.db, &c.id)
        .await?
        .iter()
        .map(meeting_view)
        .collect();
    Ok(Json(json!({ "items": items })))
}

#[utoipa::path(post, path = "/api/consultations/{id}/meetings/{meeting}/minutes", tag = "consultations",
    params(("id" = String, Path), ("meeting" = String, Path)),
    request_body(content = crate::web::upload::FilePart, content_type = "multipart/form-data", description = "the part `file`: a PDF or scan of at most 10 MiB"),
    responses((status = 200, description = "the meeting with its minutes"), (status = 400, description = "no `file` part, a bad name or type"),
        (status = 401, description = "not logged in"), (status = 403, description = "not its author or the coordinator"),
        (status = 404, description = "unknown consultation or meeting"), (status = 409, description = "before the meeting, or the report is published"),
        (status = 413, description = "too large")))]
pub async fn upload_minutes(
    app: State<AppState>,
    who: Requester,
    Path((id, meeting)): Path<(String, String)>,
    mut mp: Multipart,
) -> AppResult<Json<Value>> {
    // who may is checked before up to 10 MiB are read (and checked again with the meeting)
    meetings::editable(&app, who.identity.as_ref(), &id).await?;
    let part = mp
        .next_field()
        .await?
        .filter(|p| p.name() == Some("file"))
        .ok_or_else(|| {
            AppError::bad_request(
                "file.missing",
                "Wyślij protokół jako część `file` formularza multipart.",
            )
        })?;
    let name = part.file_name().unwrap_or("").to_owned();
    if !crate::domain::files::valid_file_name(&name) {
        return Err(AppError::bad_request(
            "file.name",
            format!("Nazwa pliku `{name}` jest niedozwolona."),
        ));
    }
    let up = crate::web::upload::read_part("file", 10, name, part).await?;
    let m = meetings::minutes(
        &app,
        who.identity.as_ref(),
        &id,
        &meeting,
        Minutes {
            name: up.name,
            content_type: up.content_type,
            sha3_256: up.sha3_256,
            bytes: up.bytes,
        },
    )
    .await?;
    Ok(Json(meeting_view(&m)))
}

#[utoipa::path(get, path = "/api/consultations/{id}/meetings/{meeting}/minutes", tag = "consultations",
    params(("id" = String, Path), ("meeting" = String, Path)),
    responses((status = 401, description = "no login where one is needed, or a bearer token that is not a live API client's"), (status = 200, description = "the minutes file"), (status = 404, description = "unknown consultation or meeting, or no minutes yet")))]
pub async fn minutes(
    app: State<AppState>,
    who: Requester,
    Path((id, meeting)): Path<(String, String)>,
) -> AppResult<Response> {
    use axum::http::{HeaderValue, header};
    let (m, bytes) = meetings::minutes_file(&app, who.identity.as_ref(), &id, &meeting).await?;
    let content_type = m
        .minutes_type
        .as_deref()
        .and_then(|t| HeaderValue::from_str(t).ok())
        .unwrap_or(HeaderValue::from_static("application/octet-stream"));
    let name = m.minutes_name.unwrap_or_else(|| "protokol".into());
    Ok((
        [
            (header::CONTENT_TYPE, content_type),
            (
                header::CONTENT_DISPOSITION,
                crate::web::disposition::header("attachment", &name),
            ),
        ],
        bytes,
    )
        .into_response())
}
