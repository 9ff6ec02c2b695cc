//! `GET /api/status?sign=...&code=...`: where a case stands, for anyone holding the receipt
//! (the case sign and the access code printed on it). Status and dates only: no names, no
//! data. A wrong code looks exactly like an unknown sign. Rate-limited with the logins.

use axum::Json;
use axum::extract::{Query, State};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::auth::sha256_hex;
use crate::db::cases;
use crate::domain::case::Status;
use crate::error::{AppError, AppResult};
use crate::state::AppState;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct StatusQuery {
    /// The case sign from the receipt, e.g. `OR.1431.17.2026`.
    pub sign: String,
    /// The access code from the receipt.
    pub code: String,
}

#[utoipa::path(get, path = "/api/status", tag = "cases", params(StatusQuery),
    responses((status = 200, description = "status and dates"), (status = 404, description = "no case with this sign and code"),
        (status = 429, description = "too many attempts")))]
pub async fn get(app: State<AppState>, Query(q): Query<StatusQuery>) -> AppResult<Json<Value>> {
    let code = q.code.trim().to_ascii_uppercase();
    let case = cases::by_sign(&app.db, q.sign.trim())
        .await?
        .filter(|c| c.access_code_hash == sha256_hex(&code))
        .ok_or(AppError::NotFound("case with this sign and access code"))?;
    let status = Status::parse(&case.status);
    Ok(Json(json!({
        "sign": case.sign,
        "status": case.status,
        "status_label": status.map(Status::label_pl),
        "outcome": case.outcome,
        "filed_on": case.started_on.to_string(),
        "due_on": case.due_on.to_string(),
        "waiting_for_applicant": status == Some(Status::AwaitingApplicant),
    })))
}
