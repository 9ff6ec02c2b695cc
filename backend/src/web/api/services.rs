//! The catalogue of e-services.

use axum::extract::{Path, Query, State};
use serde::Deserialize;
use serde_json::{Value, json};

use super::service;
use crate::error::AppResult;
use crate::forms::schema;
use crate::state::AppState;
use crate::web::extract::Language;
use crate::web::view;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct ListQuery {
    /// Only services of this category.
    pub category: Option<String>,
    /// Words that must appear in the title or description (case and Polish diacritics
    /// ignored; the first 8 words of the first 100 characters).
    pub q: Option<String>,
}

/// Lists the e-services, optionally filtered by category and text.
#[utoipa::path(get, path = "/api/services", tag = "services", params(ListQuery), responses((status = 200, description = "services")))]
pub async fn list(
    app: State<AppState>,
    Language(lang): Language,
    Query(q): Query<ListQuery>,
) -> AppResult<axum::Json<Value>> {
    let query = crate::domain::search::Query::parse(q.q.as_deref().unwrap_or(""));
    let items: Vec<Value> = app
        .catalogue
        .listed()
        .filter(|s| q.category.as_ref().is_none_or(|c| &s.def.category == c))
        .filter(|s| {
            let d = &s.def;
            let hay = [
                d.title.pl.as_str(),
                d.title.get(lang),
                d.description.get(lang),
                d.id.as_str(),
            ];
            query.matches(&crate::domain::search::fold(&hay.join(" ")))
        })
        .map(|s| view::summary(s, lang))
        .collect();
    Ok(axum::Json(json!({ "items": items })))
}

/// One service's definition, resolved for `Accept-Language` (or `?lang=`).
#[utoipa::path(get, path = "/api/services/{id}", tag = "services", params(("id" = String, Path)), responses((status = 200, description = "definition"), (status = 404, description = "unknown service")))]
pub async fn get(
    app: State<AppState>,
    Language(lang): Language,
    Path(id): Path<String>,
) -> AppResult<axum::Json<Value>> {
    let svc = service(&app, &id)?;
    Ok(axum::Json(view::full(&svc, lang)))
}

/// JSON Schema (2020-12) of the service's submission data.
#[utoipa::path(get, path = "/api/services/{id}/schema", tag = "services", params(("id" = String, Path)), responses((status = 200, description = "JSON Schema"), (status = 404, description = "unknown service")))]
pub async fn schema(
    app: State<AppState>,
    Language(lang): Language,
    Path(id): Path<String>,
) -> AppResult<axum::response::Response> {
    let svc = service(&app, &id)?;
    let body = schema::schema(&svc, lang, &app.settings.base_url());
    Ok((
        [(axum::http::header::CONTENT_TYPE, "application/schema+json")],
        axum::Json(body),
    )
        .into_response())
}

use axum::response::IntoResponse;

/// The published XSD of the service's e-filing document (a local tax form the council's
/// resolution lets be filed electronically, u.p.o.l. art. 6 ust. 14–15): what the
/// resolution names and what `/api/cases/{sign}/efiling.xml` follows.
#[utoipa::path(get, path = "/api/services/{id}/efiling.xsd", tag = "services", params(("id" = String, Path)), responses((status = 200, description = "application/xml: the XML Schema"), (status = 404, description = "unknown service, or one without an e-filing document")))]
pub async fn efiling_schema(
    app: State<AppState>,
    Path(id): Path<String>,
) -> AppResult<axum::response::Response> {
    let svc = service(&app, &id)?;
    let xsd = svc
        .efiling_schema
        .clone()
        .ok_or(crate::error::AppError::NotFound("e-filing schema"))?;
    Ok((
        [(
            axum::http::header::CONTENT_TYPE,
            "application/xml; charset=utf-8",
        )],
        xsd.to_string(),
    )
        .into_response())
}
