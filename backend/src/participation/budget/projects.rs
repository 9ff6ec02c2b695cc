//! Residents' projects during intake: proposed through the project form, edited by their
//! author until intake closes, and supported online by logged-in residents, one support
//! per person and project (a keyed hash).

use serde_json::Value;

use super::{Loaded, actor, load, outside, person_key, resident, today};
use crate::db::budget::projects::{self as store, Content};
use crate::db::entity::budget_project as row;
use crate::db::participation_history::{self as history, Entry};
use crate::domain::budget::Phase;
use crate::domain::identity::Identity;
use crate::domain::ids::ProjectId;
use crate::domain::lang::Lang;
use crate::error::{AppError, AppResult};
use crate::state::AppState;

/// The edition, if it takes projects today, and the resident.
async fn intake<'a>(
    app: &AppState,
    who: Option<&'a Identity>,
    id: &str,
    action: &str,
) -> AppResult<(Loaded, &'a Identity)> {
    let who = resident(who)?;
    let l = load(app, id).await?;
    let phase = l.phase(today());
    if phase != Phase::Intake {
        let w = &l.edition.windows;
        return Err(outside(
            action,
            format!("od {} do {}", w.intake_opens, w.intake_closes),
            phase,
        ));
    }
    Ok((l, who))
}

/// A project of the edition; an unknown id or another edition's is a 404.
pub async fn find(app: &AppState, l: &Loaded, project: &str) -> AppResult<row::Model> {
    let id = ProjectId::parse(project).ok_or(AppError::NotFound("project"))?;
    store::find(&app.db, &l.row.id, id)
        .await?
        .ok_or(AppError::NotFound("project"))
}

pub async fn propose(
    app: &AppState,
    who: Option<&Identity>,
    id: &str,
    data: &Value,
    lang: Lang,
) -> AppResult<(Loaded, row::Model)> {
    let (l, who) = intake(app, who, id, "projekty zgłasza się").await?;
    let p = super::project_form::parse(app, &l, who, data, lang)?;
    let txn = sea_orm::TransactionTrait::begin(&app.db).await?;
    let project = store::insert(
        &txn,
        &l.row.id,
        &crate::auth::owner_of(who),
        &Content {
            pool_code: &p.pool_code,
            title: &p.title,
            data: &p.data,
            cost: p.cost,
        },
    )
    .await?;
    let (actor, name) = actor(who);
    history::append(
        &txn,
        &l.row.id,
        Entry {
            actor: &actor,
            actor_name: &name,
            action: "project_proposed",
            detail: format!("project {} in pool {}", project.id, p.pool_code),
        },
    )
    .await?;
    txn.commit().await?;
    Ok((l, project))
}

/// The author's new content, until intake closes; anyone else gets a 404.
pub async fn edit(
    app: &AppState,
    who: Option<&Identity>,
    id: &str,
    project: &str,
    data: &Value,
    lang: Lang,
) -> AppResult<(Loaded, row::Model)> {
    let (l, who) = intake(app, who, id, "autor poprawia projekt").await?;
    let current = find(app, &l, project).await?;
    if current.author != crate::auth::owner_of(who) {
        return Err(AppError::NotFound("project"));
    }
    let p = super::project_form::parse(app, &l, who, data, lang)?;
    let content = Content {
        pool_code: &p.pool_code,
        title: &p.title,
        data: &p.data,
        cost: p.cost,
    };
    if !store::replace(&app.db, &current.id, &content).await? {
        return Err(AppError::Conflict(
            "projekt jest oceniany: nie można go już zmienić".into(),
        ));
    }
    let updated = find(app, &l, project).await?;
    Ok((l, updated))
}

/// A resident's support; `false` when they supported the project already.
pub async fn support(
    app: &AppState,
    who: Option<&Identity>,
    id: &str,
    project: &str,
) -> AppResult<(row::Model, bool)> {
    let (l, who) = intake(app, who, id, "projekty popiera się").await?;
    let p = find(app, &l, project).await?;
    let key = person_key(&l.row, who)?;
    let txn = sea_orm::TransactionTrait::begin(&app.db).await?;
    let first = store::support(&txn, &p.id, &key).await?;
    txn.commit().await?;
    let p = find(app, &l, project).await?;
    Ok((p, first))
}
