//! The public register of mass events: every permit issued (ustawa z dnia 20 marca 2009 r.
//! o bezpieczeństwie imprez masowych, art. 25 and art. 29: the wójt's permit), read from the
//! `impreza-masowa` cases decided `granted`, so it fills itself as permits are issued.
//! It shows what a permit makes public: the organiser, the event's name, place, date and
//! hours, and the largest number of people allowed; nothing of the security manager or the
//! attachments.

use serde::Serialize;
use serde_json::Value;

use crate::db::entity::{case_file, submission};

/// The service whose granted cases are the permits.
pub const SERVICE: &str = "impreza-masowa";

/// One permit as the register shows it to anyone.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PublicPermit {
    /// The case's sign, which the permit bears.
    pub sign: String,
    /// The day the permit was issued (Polish legal date).
    pub issued_on: String,
    pub organiser: String,
    pub event_name: String,
    pub place: String,
    /// The event's date, `YYYY-MM-DD`.
    pub event_date: String,
    pub start_time: String,
    pub end_time: String,
    /// The largest number of people the permit allows.
    pub max_participants: Option<i64>,
}

fn text(data: &Value, key: &str) -> String {
    data[key].as_str().unwrap_or("").trim().to_owned()
}

/// The register's entry of a granted case; `None` for a case not decided.
pub fn public(case: &case_file::Model, sub: &submission::Model) -> Option<PublicPermit> {
    let decided = case.decided_at?;
    let data: Value = serde_json::from_str(&sub.data).unwrap_or(Value::Null);
    Some(PublicPermit {
        sign: case.sign.clone(),
        issued_on: crate::domain::clock::in_poland(decided).date().to_string(),
        organiser: text(&data, "organiser_name"),
        event_name: text(&data, "event_name"),
        place: text(&data, "place"),
        event_date: text(&data, "event_date"),
        start_time: text(&data, "start_time"),
        end_time: text(&data, "end_time"),
        max_participants: data["max_participants"].as_i64(),
    })
}
