//! Drafts: save as you go, whole or one step at a time. A draft belongs to its applicant;
//! anyone else asking for it gets 404.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde_json::{Map, Value, json};

use super::service;
use crate::db::drafts;
use crate::db::entity::draft;
use crate::domain::clock;
use crate::domain::ids::DraftId;
use crate::error::{AppError, AppResult};
use crate::filing::data_of;
use crate::forms::{Input, validate};
use crate::state::AppState;
use crate::web::extract::{ApiJson, Requester};

/// `{"data": {...}}`: a form's fields by name, for a draft (`null` removes one in a PATCH),
/// a validation or a filing.
#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FormBody {
    #[schema(value_type = Object)]
    pub data: Map<String, Value>,
}

/// `POST /api/services/{id}/drafts`: the fields the applicant has so far, if any.
#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewDraft {
    #[serde(default)]
    #[schema(value_type = Object)]
    pub data: Map<String, Value>,
}

fn draft_id(s: &str) -> AppResult<DraftId> {
    DraftId::parse(s).ok_or(AppError::NotFound("draft"))
}

fn view(app: &AppState, who: &Requester, d: &draft::Model) -> Value {
    let data: Value = serde_json::from_str(&d.data).unwrap_or_else(|_| json!({}));
    let validation = app.catalogue.get(&d.service_id).map(|svc| {
        let today = clock::in_poland(time::OffsetDateTime::now_utc()).date();
        let out = validate(svc, &data, &Input { lang: who.lang, today, identity: who.identity.as_ref() });
        json!({ "valid": out.valid, "errors": out.errors, "warnings": out.warnings, "computed": out.computed })
    });
    json!({
        "id": d.id,
        "service_id": d.service_id,
        "service_version": d.service_version,
        "definition_hash": d.definition_hash,
        "data": data,
        "validation": validation,
        "created_at": d.created_at.unix_timestamp(),
        "updated_at": d.updated_at.unix_timestamp(),
    })
}

/// Starts a draft for a service, with whatever data the applicant has so far.
#[utoipa::path(post, path = "/api/services/{id}/drafts", tag = "drafts", params(("id" = String, Path)),
    request_body = NewDraft, responses((status = 429, description = "an anonymous client address over `limits.validate_per_minute` (`Retry-After`)"), (status = 401, description = "no login where one is needed, or a bearer token that is not a live API client's"), (status = 201, description = "the draft"), (status = 404, description = "unknown service")))]
pub async fn create(
    app: State<AppState>,
    who: Requester,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<Map<String, Value>>,
) -> AppResult<(StatusCode, axum::Json<Value>)> {
    let svc = service(&app, &id)?;
    let data = if body.is_empty() {
        json!({})
    } else {
        data_of(body)?
    };
    let d = drafts::create(&app.db, &who.owner, &svc, &data).await?;
    Ok((StatusCode::CREATED, axum::Json(view(&app, &who, &d))))
}

/// Reads a draft with its current validation.
#[utoipa::path(get, path = "/api/drafts/{id}", tag = "drafts", params(("id" = String, Path)), responses((status = 401, description = "no login where one is needed, or a bearer token that is not a live API client's"), (status = 200, description = "the draft"), (status = 404, description = "no such draft of yours")))]
pub async fn read(
    app: State<AppState>,
    who: Requester,
    Path(id): Path<String>,
) -> AppResult<axum::Json<Value>> {
    let d = drafts::find_owned(&app.db, draft_id(&id)?, &who.owner)
        .await?
        .ok_or(AppError::NotFound("draft"))?;
    Ok(axum::Json(view(&app, &who, &d)))
}

/// Replaces the whole draft data.
#[utoipa::path(put, path = "/api/drafts/{id}", tag = "drafts", params(("id" = String, Path)), request_body = FormBody, responses((status = 429, description = "an anonymous client address over `limits.validate_per_minute` (`Retry-After`)"), (status = 401, description = "no login where one is needed, or a bearer token that is not a live API client's"), (status = 200, description = "the draft"), (status = 404, description = "no such draft of yours")))]
pub async fn replace(
    app: State<AppState>,
    who: Requester,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<Map<String, Value>>,
) -> AppResult<axum::Json<Value>> {
    let data = data_of(body)?;
    let d = drafts::find_owned(&app.db, draft_id(&id)?, &who.owner)
        .await?
        .ok_or(AppError::NotFound("draft"))?;
    let d = drafts::update(&app.db, d, &data).await?;
    Ok(axum::Json(view(&app, &who, &d)))
}

/// Merges the given fields into the draft (e.g. one step's fields); `null` removes a field.
#[utoipa::path(patch, path = "/api/drafts/{id}", tag = "drafts", params(("id" = String, Path)), request_body = FormBody, responses((status = 429, description = "an anonymous client address over `limits.validate_per_minute` (`Retry-After`)"), (status = 401, description = "no login where one is needed, or a bearer token that is not a live API client's"), (status = 200, description = "the draft"), (status = 404, description = "no such draft of yours")))]
pub async fn merge(
    app: State<AppState>,
    who: Requester,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<Map<String, Value>>,
) -> AppResult<axum::Json<Value>> {
    let patch = data_of(body)?;
    let d = drafts::find_owned(&app.db, draft_id(&id)?, &who.owner)
        .await?
        .ok_or(AppError::NotFound("draft"))?;
    let mut data: Map<String, Value> = serde_json::from_str(&d.data).unwrap_or_default();
    for (k, v) in patch.as_object().into_iter().flatten() {
        if v.is_null() {
            data.remove(k);
        } else {
            data.insert(k.clone(), v.clone());
        }
    }
    let d = drafts::update(&app.db, d, &Value::Object(data)).await?;
    Ok(axum::Json(view(&app, &who, &d)))
}

/// Deletes a draft.
#[utoipa::path(delete, path = "/api/drafts/{id}", tag = "drafts", params(("id" = String, Path)), responses((status = 429, description = "an anonymous client address over `limits.validate_per_minute` (`Retry-After`)"), (status = 401, description = "no login where one is needed, or a bearer token that is not a live API client's"), (status = 204, description = "deleted"), (status = 404, description = "no such draft of yours")))]
pub async fn delete(
    app: State<AppState>,
    who: Requester,
    Path(id): Path<String>,
) -> AppResult<StatusCode> {
    if drafts::delete(&app.db, draft_id(&id)?, &who.owner).await? {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(AppError::NotFound("draft"))
    }
}
