//! The council's resolution on an item it adopted: its number and text go on the item and
//! into the session's history (published with the named lists); an item dealing with a
//! council's case closes the case with its procedure's notification, the resolution's
//! number and text as the reasons, and the register of petitions shows the answer.

use sea_orm::TransactionTrait;
use serde::Deserialize;
use serde_json::json;

use super::{committee, committee_or_office, record, session, text};
use crate::db::entity::council_item;
use crate::db::{council as db, council_votes as votes};
use crate::domain::clock;
use crate::domain::identity::Identity;
use crate::domain::ids::AgendaItemId;
use crate::error::{AppError, AppResult};
use crate::state::AppState;

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ResolutionRequest {
    /// e.g. `XII/87/2026`.
    pub number: String,
    /// The resolution's text (or its operative part).
    pub text: String,
    /// For an item with a case: `granted` (a petition granted, a complaint justified) or
    /// `refused`.
    pub outcome: Option<String>,
}

pub async fn record_resolution(
    app: &AppState,
    who: Option<&Identity>,
    session_id: &str,
    item_id: &str,
    r: &ResolutionRequest,
) -> AppResult<council_item::Model> {
    let actor = committee_or_office(app, who)?;
    let s = session(app, session_id).await?;
    let item_id = AgendaItemId::parse(item_id).ok_or(AppError::NotFound("item"))?;
    let item = db::item(&app.db, &item_id.to_string())
        .await?
        .filter(|i| i.session_id == s.id)
        .ok_or(AppError::NotFound("item"))?;
    let number = text(&r.number, "number", 64)?;
    let body = text(&r.text, "text", 20_000)?;
    if item.resolution_no.is_some() {
        return Err(AppError::Conflict(
            "uchwała w tym punkcie została już zapisana".into(),
        ));
    }
    let adopted = votes::votes(&app.db, &s.id)
        .await?
        .into_iter()
        .any(|v| v.item_id == item.id && v.adopted == Some(true));
    if !adopted {
        return Err(AppError::Conflict(
            "rada nie przyjęła tego punktu w głosowaniu; uchwałę zapisuje się po głosowaniu, w którym uzyskała wymaganą większość".into(),
        ));
    }
    if let Some(sign) = &item.case_sign {
        let raw = r.outcome.as_deref().ok_or_else(|| {
            AppError::bad_request(
                "outcome",
                "punkt dotyczy sprawy: podaj `outcome` (granted albo refused)",
            )
        })?;
        let outcome = committee::outcome(raw)?;
        let reason = format!(
            "Uchwała nr {number} {} z dnia {}: {body}",
            genitive(&app.settings.council.name),
            clock::pl_date(clock::in_poland(s.starts_at).date())
        );
        committee::close_case(app, &actor, sign, outcome, reason).await?;
    }
    let txn = app.db.begin().await?;
    db::lock(&txn, &s.id).await?;
    db::set_resolution(&txn, &item.id, number, body).await?;
    record(
        &txn,
        &s.id,
        &actor,
        "resolution",
        json!({ "item": item.position, "number": number, "case": item.case_sign }),
    )
    .await?;
    txn.commit().await?;
    app.council_live.changed(&s.id);
    db::item(&app.db, &item.id)
        .await?
        .ok_or(AppError::NotFound("item"))
}

/// "Rada Gminy X" as "Rady Gminy X" (the council's name in the genitive, as a resolution's
/// title has it); other names stay as they are.
fn genitive(name: &str) -> String {
    match name.strip_prefix("Rada ") {
        Some(rest) => format!("Rady {rest}"),
        None => name.to_owned(),
    }
}
