//! `/api/initiatives`: the citizens' legislative initiative (u.s.g. art. 41a), one file per
//! action: public reading, registering, supporting, filing, and the office's verification.

pub mod file;
pub mod paper;
pub mod read;
pub mod register;
pub mod support;
pub mod verify;

use serde_json::{Value, json};

use crate::db::entity::initiative as row;
use crate::db::initiatives::Counts;
use crate::error::{AppError, AppResult};
use crate::participation::initiative::register::members;

/// What anyone may read of an initiative: the committee's names and residences are public
/// (they promote it); supporters are not.
pub fn public(i: &row::Model, counts: &Counts) -> Value {
    json!({
        "id": i.id,
        "state": i.state,
        "title": i.title,
        "draft": i.draft,
        "justification": i.justification,
        "committee": members(i),
        "threshold": i.threshold,
        "supports": counts,
        "filed_at": i.filed_at.map(|t| t.to_string()),
        "created_at": i.created_at.to_string(),
    })
}

/// The `after` of a keyset page over time-ordered ids, and the page size.
pub fn page_params(after: Option<&str>, limit: Option<u64>) -> AppResult<(Option<String>, u64)> {
    let limit = limit.unwrap_or(20);
    if !(1..=100).contains(&limit) {
        return Err(AppError::bad_request(
            "limit",
            "`limit` musi mieć wartość od 1 do 100.",
        ));
    }
    let after = match after.filter(|s| !s.is_empty()) {
        None => None,
        Some(a) => Some(
            uuid::Uuid::try_parse(a)
                .map_err(|_| {
                    AppError::bad_request(
                        "after",
                        "`after` to wartość `next` z poprzedniej strony wyników.",
                    )
                })?
                .to_string(),
        ),
    };
    Ok((after, limit))
}
