//! `/api/consultations/requests`: residents' requests to start a consultation (issue 14
//! §3): filing one, supporting it, reading them; at the threshold the request is filed as
//! a case through the ordinary filing path (`file::lodge`).

pub mod file;
pub mod read;
pub mod support;

use serde_json::{Value, json};

use crate::db::entity::consultation_request as row;
use crate::error::AppResult;
use crate::participation::consultations::request::area_name;
use crate::state::AppState;

/// What anyone may read of a request: not its author, nor who supports it.
pub async fn public(app: &AppState, r: &row::Model, supports: u64) -> AppResult<Value> {
    let case = match &r.submission_id {
        Some(s) => crate::db::cases::by_submission(&app.db, s).await?,
        None => None,
    };
    Ok(json!({
        "id": r.id,
        "state": r.state,
        "subject": r.subject,
        "justification": r.justification,
        "area": r.area,
        "area_name": area_name(app, r),
        "threshold": r.threshold,
        "supports": supports,
        "filed_at": r.filed_at.map(|t| t.to_string()),
        "case": case.map(|c| json!({ "sign": c.sign, "due_on": c.due_on.to_string() })),
        "created_at": r.created_at.to_string(),
    }))
}
