//! The clerk's view of a correction: the filing it corrects (its case, when it has one)
//! and what it changes, field by field, in the form's labels (`forms::diff`).

use serde_json::{Map, Value, json};

use crate::db::entity::submission;
use crate::domain::lang::Lang;
use crate::error::AppResult;
use crate::forms::Service;
use crate::forms::definition::FieldType;
use crate::state::AppState;

/// The section for the case page when `sub` names an earlier filing; `None` otherwise.
/// Labels come from the definition only when both filings were made under this version
/// of it, as the rows of the case page do.
pub async fn section(
    app: &AppState,
    svc: &Service,
    sub: &submission::Model,
    lang: Lang,
) -> AppResult<Option<Value>> {
    let Ok(after) = serde_json::from_str::<Map<String, Value>>(&sub.data) else {
        return Ok(None);
    };
    let Some(number) = svc
        .fields()
        .filter(|f| f.kind == FieldType::Filing)
        .find_map(|f| after.get(&f.id).and_then(Value::as_str))
    else {
        return Ok(None);
    };
    let Some(corrected) = crate::db::submissions::by_receipt(&app.db, number).await? else {
        return Ok(Some(json!({ "receipt_id": number, "missing": true })));
    };
    let before: Map<String, Value> = serde_json::from_str(&corrected.data).unwrap_or_default();
    let case = crate::db::cases::by_submission(&app.db, &corrected.id).await?;
    let changes = crate::forms::diff::changes(svc, &before, &after, lang);
    Ok(Some(json!({
        "receipt_id": number,
        "sign": case.map(|c| c.sign),
        "filed_on": crate::domain::clock::in_poland(corrected.filed_at).date().to_string(),
        "other_version": corrected.definition_hash != svc.hash,
        "changes": changes,
    })))
}

/// How many of the filer's earlier filings the step page offers to correct: the newest.
const OFFERED: u64 = 50;

/// The filer's own filings of `svc`, newest first, as the options of a `filing` field: the
/// resident picks the one a correction corrects instead of typing its number.
pub async fn own_filings(
    app: &AppState,
    svc: &Service,
    owner: &str,
    lang: Lang,
) -> AppResult<Vec<Value>> {
    let which = crate::db::submissions::Listing {
        owner: Some(owner),
        service: Some(svc.id()),
    };
    let filed = if lang == Lang::Pl {
        "złożony"
    } else {
        "filed"
    };
    Ok(crate::db::submissions::list(&app.db, which, None, OFFERED)
        .await?
        .iter()
        .map(|s| {
            let on = crate::domain::clock::in_poland(s.filed_at).date();
            json!({ "value": s.receipt_id, "label": format!("{} — {filed} {on}", s.receipt_id) })
        })
        .collect())
}
