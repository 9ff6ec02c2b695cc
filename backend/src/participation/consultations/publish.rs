//! Publishing a draft: its rules are checked once more on the day (a planning act's
//! announcement cannot come after its start day), then the dates take over.

use super::{content, coordinator, may_edit, phases, refused, today, visible};
use crate::db::entity::consultation as row;
use crate::domain::identity::Identity;
use crate::error::{AppError, AppResult};
use crate::state::AppState;

pub async fn publish(app: &AppState, who: Option<&Identity>, id: &str) -> AppResult<row::Model> {
    let me = coordinator(who)?;
    let c = visible(app, who, id).await?;
    if !may_edit(me, &c) {
        return Err(AppError::Forbidden(
            "Konsultację publikuje jej autor albo koordynator konsultacji.".into(),
        ));
    }
    if c.published_at.is_some() {
        return Err(AppError::Conflict(
            "Konsultacja jest już opublikowana.".into(),
        ));
    }
    let (body, _) = content(app, &c).await?;
    let day = today();
    let mut refusals = body.check(|a| app.catalogue.areas.get(a).is_some());
    refusals.extend(body.check_publish(day));
    if !refusals.is_empty() {
        return Err(refused(refusals));
    }
    let txn = sea_orm::TransactionTrait::begin(&app.db).await?;
    if !crate::db::consultations::publish(&txn, &c.id).await? {
        return Err(AppError::Conflict(
            "Konsultacja jest już opublikowana.".into(),
        ));
    }
    let (actor, name) = super::actor(me);
    let d = &body.dates;
    crate::db::participation_history::append(
        &txn,
        &c.id,
        crate::db::participation_history::Entry {
            actor: &actor,
            actor_name: &name,
            action: "published",
            detail: format!(
                "version {}: announced {}, open {} to {}",
                c.version, d.announced_on, d.opens_on, d.closes_on
            ),
        },
    )
    .await?;
    txn.commit().await?;
    // its announcement day may be today: move it now rather than at the worker's next pass
    phases::advance(&app.db, day).await?;
    visible(app, who, id).await
}
