//! Editions: the resolution's settings, the windows' dates and the phase, the first ballot
//! that freezes the rules, and the protocol published once.

use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait,
    QueryFilter, QueryOrder, QuerySelect,
};
use time::Date;

use crate::db::entity::budget_edition as edition;
use crate::db::keyset::{self, Order};
use crate::domain::budget::{Edition, Phase};
use crate::domain::ids::EditionId;

pub async fn create(
    db: &impl ConnectionTrait,
    id: EditionId,
    by: &str,
    secret: &str,
    e: &Edition,
) -> Result<edition::Model, DbErr> {
    let now = crate::db::now();
    let w = &e.windows;
    edition::ActiveModel {
        id: Set(id.to_string()),
        created_by: Set(by.to_owned()),
        phase: Set(Phase::Announced.as_str().to_owned()),
        version: Set(1),
        title: Set(e.title.trim().to_owned()),
        body: Set(serde_json::to_string(e).unwrap_or_default()),
        intake_opens_on: Set(w.intake_opens),
        intake_closes_on: Set(w.intake_closes),
        evaluation_closes_on: Set(w.evaluation_closes),
        appeals_closes_on: Set(w.appeals_closes),
        voting_opens_on: Set(w.voting_opens),
        voting_closes_on: Set(w.voting_closes),
        results_on: Set(w.results_on),
        secret: Set(secret.to_owned()),
        frozen_at: Set(None),
        protocol: Set(None),
        published_at: Set(None),
        paper_seq: Set(0),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(db)
    .await
}

/// Saves new settings over `current`, only if nobody saved meanwhile and no ballot has
/// been cast (the rules freeze at the first one); `false` otherwise.
pub async fn update(
    db: &impl ConnectionTrait,
    current: &edition::Model,
    e: &Edition,
) -> Result<bool, DbErr> {
    let w = &e.windows;
    let r = edition::Entity::update_many()
        .col_expr(edition::Column::Version, Expr::value(current.version + 1))
        .col_expr(edition::Column::Title, Expr::value(e.title.trim()))
        .col_expr(
            edition::Column::Body,
            Expr::value(serde_json::to_string(e).unwrap_or_default()),
        )
        .col_expr(edition::Column::IntakeOpensOn, Expr::value(w.intake_opens))
        .col_expr(
            edition::Column::IntakeClosesOn,
            Expr::value(w.intake_closes),
        )
        .col_expr(
            edition::Column::EvaluationClosesOn,
            Expr::value(w.evaluation_closes),
        )
        .col_expr(
            edition::Column::AppealsClosesOn,
            Expr::value(w.appeals_closes),
        )
        .col_expr(edition::Column::VotingOpensOn, Expr::value(w.voting_opens))
        .col_expr(
            edition::Column::VotingClosesOn,
            Expr::value(w.voting_closes),
        )
        .col_expr(edition::Column::ResultsOn, Expr::value(w.results_on))
        .col_expr(edition::Column::UpdatedAt, Expr::value(crate::db::now()))
        .filter(edition::Column::Id.eq(&current.id))
        .filter(edition::Column::Version.eq(current.version))
        .filter(edition::Column::FrozenAt.is_null())
        .exec(db)
        .await?;
    Ok(r.rows_affected == 1)
}

pub async fn find(
    db: &impl ConnectionTrait,
    id: EditionId,
) -> Result<Option<edition::Model>, DbErr> {
    edition::Entity::find_by_id(id.to_string()).one(db).await
}

/// Moves an edition from `from` to `to`; `false` when another node did it first.
pub async fn move_phase(
    db: &impl ConnectionTrait,
    id: &str,
    from: Phase,
    to: Phase,
) -> Result<bool, DbErr> {
    let r = edition::Entity::update_many()
        .col_expr(edition::Column::Phase, Expr::value(to.as_str()))
        .filter(edition::Column::Id.eq(id))
        .filter(edition::Column::Phase.eq(from.as_str()))
        .exec(db)
        .await?;
    Ok(r.rows_affected == 1)
}

/// Editions whose results are not published yet: the ones the dates may move.
pub async fn unfinished(db: &impl ConnectionTrait) -> Result<Vec<edition::Model>, DbErr> {
    edition::Entity::find()
        .filter(edition::Column::Phase.ne(Phase::Results.as_str()))
        .order_by_asc(edition::Column::Id)
        .all(db)
        .await
}

/// Editions, latest intake first, keyset-paged (`budget_edition_page`).
pub async fn list(
    db: &impl ConnectionTrait,
    after: Option<(Date, String)>,
    limit: u64,
) -> Result<Vec<edition::Model>, DbErr> {
    let mut q = edition::Entity::find();
    if let Some((on, id)) = after {
        q = q.filter(keyset::after(
            edition::Column::IntakeOpensOn,
            edition::Column::Id,
            on,
            id,
            Order::Desc,
        ));
    }
    q.order_by_desc(edition::Column::IntakeOpensOn)
        .order_by_desc(edition::Column::Id)
        .limit(limit)
        .all(db)
        .await
}

/// Marks the first ballot: from now on the rules cannot change. `true` for the first.
pub async fn freeze(db: &impl ConnectionTrait, id: &str) -> Result<bool, DbErr> {
    let r = edition::Entity::update_many()
        .col_expr(
            edition::Column::FrozenAt,
            Expr::value(Some(crate::db::now())),
        )
        .filter(edition::Column::Id.eq(id))
        .filter(edition::Column::FrozenAt.is_null())
        .exec(db)
        .await?;
    Ok(r.rows_affected == 1)
}

/// Publishes the protocol of an edition being counted, once, and forgets the secret of its
/// keyed hashes, so nobody can tell afterwards whose key is whose. `false` when it was
/// published already.
pub async fn publish_protocol(
    db: &impl ConnectionTrait,
    id: &str,
    paper_seq: i64,
    protocol: &str,
) -> Result<bool, DbErr> {
    let r = edition::Entity::update_many()
        .col_expr(edition::Column::Protocol, Expr::value(Some(protocol)))
        .col_expr(
            edition::Column::PublishedAt,
            Expr::value(Some(crate::db::now())),
        )
        .col_expr(edition::Column::Phase, Expr::value(Phase::Results.as_str()))
        .col_expr(edition::Column::Secret, Expr::value(""))
        .filter(edition::Column::Id.eq(id))
        .filter(edition::Column::Phase.eq(Phase::Counting.as_str()))
        .filter(edition::Column::Protocol.is_null())
        // no paper card typed in or decided since the count read the ballots
        .filter(edition::Column::PaperSeq.eq(paper_seq))
        .exec(db)
        .await?;
    Ok(r.rows_affected == 1)
}

/// The paper lock: a paper voting card of edition `id` is typed in or decided in `txn`.
/// Bumps the counter the tally's publication checks (on PostgreSQL it also holds the
/// edition's row until `txn` ends, so a publication waits for it); `false` once the
/// protocol is published, when cards are no longer taken.
pub async fn paper_changed(db: &impl ConnectionTrait, id: &str) -> Result<bool, DbErr> {
    let r = edition::Entity::update_many()
        .col_expr(
            edition::Column::PaperSeq,
            Expr::col(edition::Column::PaperSeq).add(1),
        )
        .filter(edition::Column::Id.eq(id))
        .filter(edition::Column::Protocol.is_null())
        .exec(db)
        .await?;
    Ok(r.rows_affected == 1)
}
