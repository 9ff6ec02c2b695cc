//! The committee files its initiative once it has the supports art. 41a ust. 3 asks for:
//! the draft becomes a case of the service `inicjatywa-uchwalodawcza` (its sign, its
//! 3-month term, its receipt), filed through the ordinary filing path by the web layer.

use serde_json::{Value, json};

use crate::db::entity::initiative as row;
use crate::db::initiatives::{self as store, COLLECTING};
use crate::domain::identity::Identity;
use crate::error::{AppError, AppResult};
use crate::state::AppState;

use super::find;
use super::register::members;

/// The service the drafts are filed as.
pub const SERVICE: &str = "inicjatywa-uchwalodawcza";

/// Checks that `who` may file initiative `id` now and answers its filing data.
pub async fn filing_data(
    app: &AppState,
    who: Option<&Identity>,
    id: &str,
) -> AppResult<(row::Model, Value)> {
    let who = who.ok_or(AppError::Unauthenticated)?;
    let i = find(app, id).await?;
    if crate::auth::owner_of(who) != i.created_by {
        return Err(AppError::Forbidden(
            "inicjatywę składa pełnomocnik komitetu, który ją zgłosił".into(),
        ));
    }
    if i.state != COLLECTING {
        return Err(AppError::Conflict(
            "ta inicjatywa została już złożona".into(),
        ));
    }
    let counts = store::counts(&app.db, &i.id).await?;
    let have = counts.total();
    if have < u64::try_from(i.threshold).unwrap_or(u64::MAX) {
        return Err(AppError::Conflict(format!(
            "projekt ma {have} poparć; potrzeba {} (art. 41a ust. 3 u.s.g., przy {} mieszkańcach gminy)",
            i.threshold, app.settings.initiative.residents
        )));
    }
    let committee = members(&i)
        .iter()
        .map(|m| {
            let role = if m.representative {
                " (pełnomocnik)"
            } else {
                ""
            };
            format!("{}, {}{role}", m.name, m.residence)
        })
        .collect::<Vec<_>>()
        .join("\n");
    let data = json!({
        "initiative_id": i.id,
        "title": i.title,
        "draft": i.draft,
        "justification": i.justification,
        "committee": committee,
        "supports": have,
    });
    Ok((i, data))
}

/// Records the filing; a second call for the same initiative changes nothing.
pub async fn filed(app: &AppState, i: &row::Model, submission_id: &str) -> AppResult<()> {
    if store::mark_filed(&app.db, &i.id, submission_id).await? {
        tracing::info!(initiative = %i.id, submission = submission_id, "initiative filed");
    }
    Ok(())
}
