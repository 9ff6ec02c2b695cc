//! `GET /api/me`: who the session (or API token) belongs to.

use axum::Json;
use serde_json::{Value, json};

use crate::error::{AppError, AppResult};
use crate::web::extract::Requester;

#[utoipa::path(get, path = "/api/me", tag = "identity",
    responses((status = 200, description = "the session's identity, roles and level of assurance"),
        (status = 401, description = "no session")))]
pub async fn get(who: Requester) -> AppResult<Json<Value>> {
    if let Some(c) = &who.client {
        let scopes: Vec<&str> = c.scopes.iter().map(|s| s.as_str()).collect();
        return Ok(Json(
            json!({ "client": { "id": c.id, "name": c.name, "scopes": scopes } }),
        ));
    }
    let s = who.session.as_ref().ok_or(AppError::Unauthenticated)?;
    let id = &s.live.identity;
    let fmt = |t: time::OffsetDateTime| {
        t.format(&time::format_description::well_known::Rfc3339)
            .unwrap_or_default()
    };
    Ok(Json(json!({
        "subject": id.subject,
        "provider": id.provider,
        "name": id.full_name(),
        "given_name": id.given_name,
        "family_name": id.family_name,
        "pesel": id.pesel,
        "birth_date": id.birth_date,
        "email": id.email,
        "level": id.level.as_str(),
        "roles": id.roles,
        "unit": id.unit,
        "session": { "idle_expires_at": fmt(s.live.idle_expires_at), "expires_at": fmt(s.live.expires_at) },
    })))
}
