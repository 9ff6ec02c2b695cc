//! Projects: proposed, edited during intake, supported (one support per person), evaluated,
//! appealed, grouped by conflict, and marked selected by the tally. Every status change is
//! conditional on the status it changes, so a decision is taken once.

use sea_orm::sea_query::{Expr, ExprTrait, OnConflict, SimpleExpr};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait,
    QueryFilter, QueryOrder, QuerySelect,
};
use time::OffsetDateTime;

use crate::db::entity::{budget_project as project, budget_support as support};
use crate::db::keyset::{self, Order};
use crate::domain::budget::Status;
use crate::domain::ids::ProjectId;

/// A project's content, as the project form validated it.
pub struct Content<'a> {
    pub pool_code: &'a str,
    pub title: &'a str,
    pub data: &'a str,
    pub cost: i64,
}

pub async fn insert(
    db: &impl ConnectionTrait,
    edition_id: &str,
    author: &str,
    c: &Content<'_>,
) -> Result<project::Model, DbErr> {
    let now = crate::db::now();
    project::ActiveModel {
        id: Set(ProjectId::new().to_string()),
        edition_id: Set(edition_id.to_owned()),
        pool_code: Set(c.pool_code.to_owned()),
        author: Set(author.to_owned()),
        title: Set(c.title.to_owned()),
        data: Set(c.data.to_owned()),
        cost: Set(c.cost),
        corrected_cost: Set(None),
        cost_reason: Set(None),
        status: Set(Status::Submitted.as_str().to_owned()),
        formal_reasons: Set(None),
        merit_reasons: Set(None),
        evaluated_by: Set(None),
        appeal: Set(None),
        appealed_at: Set(None),
        appeal_reasons: Set(None),
        conflict_group: Set(None),
        supports: Set(0),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(db)
    .await
}

/// Replaces a submitted project's content; `false` once it is being evaluated.
pub async fn replace(db: &impl ConnectionTrait, id: &str, c: &Content<'_>) -> Result<bool, DbErr> {
    let r = project::Entity::update_many()
        .col_expr(project::Column::PoolCode, Expr::value(c.pool_code))
        .col_expr(project::Column::Title, Expr::value(c.title))
        .col_expr(project::Column::Data, Expr::value(c.data))
        .col_expr(project::Column::Cost, Expr::value(c.cost))
        .col_expr(project::Column::UpdatedAt, Expr::value(crate::db::now()))
        .filter(project::Column::Id.eq(id))
        .filter(project::Column::Status.eq(Status::Submitted.as_str()))
        .exec(db)
        .await?;
    Ok(r.rows_affected == 1)
}

pub async fn find(
    db: &impl ConnectionTrait,
    edition_id: &str,
    id: ProjectId,
) -> Result<Option<project::Model>, DbErr> {
    project::Entity::find_by_id(id.to_string())
        .filter(project::Column::EditionId.eq(edition_id))
        .one(db)
        .await
}

/// One page of an edition's projects, in the order they came (`budget_project_page`).
pub async fn page(
    db: &impl ConnectionTrait,
    edition_id: &str,
    after: Option<(OffsetDateTime, String)>,
    limit: u64,
) -> Result<Vec<project::Model>, DbErr> {
    let mut q = project::Entity::find().filter(project::Column::EditionId.eq(edition_id));
    if let Some((at, id)) = after {
        q = q.filter(keyset::after(
            project::Column::CreatedAt,
            project::Column::Id,
            at,
            id,
            Order::Asc,
        ));
    }
    q.order_by_asc(project::Column::CreatedAt)
        .order_by_asc(project::Column::Id)
        .limit(limit)
        .all(db)
        .await
}

/// Every project of an edition with one of `statuses` (the ballot, the tally).
pub async fn with_status(
    db: &impl ConnectionTrait,
    edition_id: &str,
    statuses: &[Status],
) -> Result<Vec<project::Model>, DbErr> {
    project::Entity::find()
        .filter(project::Column::EditionId.eq(edition_id))
        .filter(project::Column::Status.is_in(statuses.iter().map(|s| s.as_str())))
        .order_by_asc(project::Column::CreatedAt)
        .order_by_asc(project::Column::Id)
        .all(db)
        .await
}

/// Records `supporter`'s support of a submitted project, once; `false` when they
/// supported it already. Run it in a transaction.
pub async fn support(txn: &impl ConnectionTrait, id: &str, supporter: &str) -> Result<bool, DbErr> {
    let first = support::Entity::insert(support::ActiveModel {
        project_id: Set(id.to_owned()),
        supporter: Set(supporter.to_owned()),
    })
    .on_conflict(
        OnConflict::columns([support::Column::ProjectId, support::Column::Supporter])
            .do_nothing()
            .to_owned(),
    )
    .exec_without_returning(txn)
    .await?;
    if first == 0 {
        return Ok(false);
    }
    project::Entity::update_many()
        .col_expr(
            project::Column::Supports,
            Expr::col(project::Column::Supports).add(1),
        )
        .filter(project::Column::Id.eq(id))
        .exec(txn)
        .await?;
    Ok(true)
}

/// A change of status and what comes with it, made only from `from`.
pub async fn change(
    db: &impl ConnectionTrait,
    id: &str,
    from: Status,
    to: Status,
    with: Vec<(project::Column, SimpleExpr)>,
) -> Result<bool, DbErr> {
    let mut q = project::Entity::update_many()
        .col_expr(project::Column::Status, Expr::value(to.as_str()))
        .col_expr(project::Column::UpdatedAt, Expr::value(crate::db::now()));
    for (col, value) in with {
        q = q.col_expr(col, value);
    }
    let r = q
        .filter(project::Column::Id.eq(id))
        .filter(project::Column::Status.eq(from.as_str()))
        .exec(db)
        .await?;
    Ok(r.rows_affected == 1)
}

/// Puts a project on the ballot in a conflict group, or takes it out of one.
pub async fn set_conflict_group(
    db: &impl ConnectionTrait,
    id: &str,
    group: Option<&str>,
) -> Result<bool, DbErr> {
    let r = project::Entity::update_many()
        .col_expr(project::Column::ConflictGroup, Expr::value(group))
        .col_expr(project::Column::UpdatedAt, Expr::value(crate::db::now()))
        .filter(project::Column::Id.eq(id))
        .filter(
            project::Column::Status
                .is_in([Status::Admitted.as_str(), Status::AdmittedOnAppeal.as_str()]),
        )
        .exec(db)
        .await?;
    Ok(r.rows_affected == 1)
}

/// After the tally: the winners selected, the rest of the ballot not.
pub async fn mark_results(
    db: &impl ConnectionTrait,
    edition_id: &str,
    winners: &[String],
) -> Result<(), DbErr> {
    let on_ballot = [Status::Admitted.as_str(), Status::AdmittedOnAppeal.as_str()];
    project::Entity::update_many()
        .col_expr(
            project::Column::Status,
            Expr::value(Status::Selected.as_str()),
        )
        .filter(project::Column::EditionId.eq(edition_id))
        .filter(project::Column::Id.is_in(winners.iter().map(String::as_str)))
        .filter(project::Column::Status.is_in(on_ballot))
        .exec(db)
        .await?;
    project::Entity::update_many()
        .col_expr(
            project::Column::Status,
            Expr::value(Status::NotSelected.as_str()),
        )
        .filter(project::Column::EditionId.eq(edition_id))
        .filter(project::Column::Status.is_in(on_ballot))
        .exec(db)
        .await?;
    Ok(())
}
