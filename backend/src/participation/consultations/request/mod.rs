//! Residents' requests to start a consultation (issue 14 §3; Ostróda's e-service 10): a
//! resident files a request (subject, justification, the whole gmina or one area), other
//! residents support it online, once each by the keyed hash of who they are
//! (`participation::keyed`) and with the declaration of residence consultations ask
//! (`take_part::residence`), and at the threshold the council's resolution sets
//! (`[consultations] request_threshold`) it is filed as a case of the service
//! `wniosek-o-konsultacje` in the author's name, through the ordinary filing path (by the
//! web layer: `web::api::consultations::requests::file`).
//!
//! Who may do what: residents logged in through the national node file and support;
//! requests are public from filing (the author's name is not shown); the author's case
//! is theirs, as any filing.

pub mod create;
pub mod support;

use serde_json::{Value, json};

use crate::db::consultation_requests::{self as store, COLLECTING};
use crate::db::entity::consultation_request as row;
use crate::domain::consultation::Scope;
use crate::domain::identity::Identity;
use crate::domain::lang::Lang;
use crate::error::{AppError, AppResult};
use crate::state::AppState;

/// The service a request is filed as at its threshold.
pub const SERVICE: &str = "wniosek-o-konsultacje";

/// A request by id; an unknown or malformed id is a 404.
pub async fn find(app: &AppState, id: &str) -> AppResult<row::Model> {
    if uuid::Uuid::try_parse(id).is_err() {
        return Err(AppError::NotFound("consultation request"));
    }
    store::find(&app.db, id)
        .await?
        .ok_or(AppError::NotFound("consultation request"))
}

/// The territory a request concerns, as a consultation's scope: supporters declare living
/// in it.
pub fn scope(r: &row::Model) -> Scope {
    match &r.area {
        None => Scope::Gmina,
        Some(a) => Scope::Areas {
            areas: vec![a.clone()],
        },
    }
}

/// The area's name, or the whole gmina.
pub fn area_name(app: &AppState, r: &row::Model) -> String {
    match &r.area {
        None => "cała gmina".into(),
        Some(a) => app
            .catalogue
            .areas
            .get(a)
            .map_or(a.clone(), |x| x.name.get(Lang::Pl).to_owned()),
    }
}

/// Whether the request has the supports to be filed, and is not filed yet.
pub fn due(r: &row::Model, supports: u64) -> bool {
    r.state == COLLECTING && supports >= u64::try_from(r.threshold).unwrap_or(u64::MAX)
}

/// The author's identity, stored to file the case in their name.
pub fn author(r: &row::Model) -> AppResult<Identity> {
    serde_json::from_str(&r.author)
        .map_err(|e| AppError::Internal(anyhow::anyhow!("request {}: author: {e}", r.id)))
}

/// The filing data of the service `wniosek-o-konsultacje`.
pub fn filing_data(app: &AppState, r: &row::Model, supports: u64) -> Value {
    json!({
        "request_id": r.id,
        "subject": r.subject,
        "justification": r.justification,
        "area": r.area.as_ref().map(|_| area_name(app, r)),
        "supports": supports,
    })
}
