//! The earlier filings a submission names (`filing` fields: what a correction corrects),
//! checked against the filer: their own, of the same service, filed (a receipt exists).
//! Another owner's filing is answered as one that does not exist, so a guessed number
//! tells nothing.

use serde_json::{Map, Value};

use crate::db::submissions;
use crate::error::AppResult;
use crate::forms::definition::FieldType;
use crate::forms::{FieldError, Service};
use crate::state::AppState;
use crate::web::extract::Requester;

/// An error for every `filing` field whose number is not one of the filer's own filings
/// of `svc`; empty when all hold.
pub async fn check(
    app: &AppState,
    svc: &Service,
    who: &Requester,
    data: &Map<String, Value>,
) -> AppResult<Vec<FieldError>> {
    let mut errors = Vec::new();
    for f in svc.fields().filter(|f| f.kind == FieldType::Filing) {
        let Some(number) = data.get(&f.id).and_then(Value::as_str) else {
            continue;
        };
        let found = submissions::receipt_owned(&app.db, number, &who.owner).await?;
        if found.is_none_or(|(_, s)| s.service_id != svc.def.id) {
            errors.push(FieldError {
                path: f.id.clone(),
                code: "filing.not_found".into(),
                message: crate::forms::messages::message("filing.not_found", who.lang, &[]),
            });
        }
    }
    Ok(errors)
}
