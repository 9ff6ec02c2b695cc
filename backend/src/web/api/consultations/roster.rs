//! `PUT /api/consultations/{id}/roster`: the roster of a closed or authorised-group
//! consultation as CSV (`participation::consultations::roster` has the format), replacing
//! the earlier one. Only keyed hashes are kept.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, header};
use serde_json::{Value, json};

use crate::error::{AppError, AppResult};
use crate::participation::consultations::roster;
use crate::state::AppState;
use crate::web::extract::Requester;

#[utoipa::path(put, path = "/api/consultations/{id}/roster", tag = "consultations", params(("id" = String, Path)),
    request_body(content = String, content_type = "text/csv", description = "`rodzaj;numer;pesel_przedstawiciela` a line: `pesel;44051401359;`, `nip;8567346215;<PESEL>`, `krs;0000123456;<PESEL>`; at most 20,000 lines"),
    responses((status = 200, description = "`{members, organisations}`"), (status = 401, description = "not logged in"),
        (status = 403, description = "not its author or the coordinator"), (status = 404, description = "unknown consultation"),
        (status = 409, description = "not a roster kind, or closed"), (status = 415, description = "not text/csv"),
        (status = 422, description = "every bad line, by `line N`, with the identifier's rule (`pesel.checksum`, `nip.checksum`, `krs.format`, `roster.twice`); nothing is saved")))]
pub async fn put(
    app: State<AppState>,
    who: Requester,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: String,
) -> AppResult<Json<Value>> {
    let csv = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/csv"));
    if !csv {
        return Err(AppError::UnsupportedMediaType(
            "Wyślij listę uprawnionych jako text/csv.".into(),
        ));
    }
    let done = roster::import(&app, who.identity.as_ref(), &id, &body).await?;
    Ok(Json(
        json!({ "members": done.members, "organisations": done.organisations }),
    ))
}
