//! The JSON API, described by the OpenAPI document at `/api/openapi.json`.

pub mod budgets;
pub mod cases;
pub mod consultations;
pub mod council;
pub mod drafts;
pub mod health;
pub mod identifiers;
pub mod initiatives;
pub mod mailboxes;
pub mod mass_events;
pub mod openapi;
pub mod paper;
pub mod payments;
pub mod petition_cosigners;
pub mod petition_report;
pub mod petitions;
pub mod receipts;
pub mod services;
pub mod stats;
pub mod status;
pub mod submission_list;
pub mod submissions;
pub mod validate;

use crate::error::{AppError, AppResult};
use crate::forms::Service;
use crate::state::AppState;
use std::sync::Arc;

/// Looks a service up by id; an id that is not in the catalogue (or is filed from another
/// instrument's page, such as an initiative's draft) is a 404.
pub fn service(app: &AppState, id: &str) -> AppResult<Arc<Service>> {
    app.catalogue
        .get_listed(id)
        .cloned()
        .ok_or(AppError::NotFound("service"))
}
