//! Moderating consultation comments: the coordinator's decision on one comment, residents'
//! reports (one per resident and comment), and the moderation queue's keyset pages.

use sea_orm::sea_query::{Expr, ExprTrait, OnConflict};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect,
};
use time::OffsetDateTime;

use super::entity::{consultation_comment as comment, consultation_comment_report as report};
use crate::domain::ids::CommentId;

pub async fn find(
    db: &impl ConnectionTrait,
    consultation_id: &str,
    id: CommentId,
) -> Result<Option<comment::Model>, DbErr> {
    comment::Entity::find_by_id(id.to_string())
        .filter(comment::Column::ConsultationId.eq(consultation_id))
        .one(db)
        .await
}

/// Publishes or hides a comment, with the reason and who decided; the reports so far are
/// reviewed by it. `false` when the comment is not this consultation's.
pub async fn decide(
    db: &impl ConnectionTrait,
    consultation_id: &str,
    id: CommentId,
    status: &str,
    reason: Option<&str>,
    by: &str,
) -> Result<bool, DbErr> {
    let r = comment::Entity::update_many()
        .col_expr(comment::Column::Status, Expr::value(status))
        .col_expr(comment::Column::ModerationReason, Expr::value(reason))
        .col_expr(comment::Column::ModeratedBy, Expr::value(Some(by)))
        .col_expr(
            comment::Column::ModeratedAt,
            Expr::value(Some(super::now())),
        )
        .col_expr(comment::Column::Reports, Expr::value(0))
        .filter(comment::Column::Id.eq(id.to_string()))
        .filter(comment::Column::ConsultationId.eq(consultation_id))
        .exec(db)
        .await?;
    Ok(r.rows_affected == 1)
}

/// Records `reporter`'s report of a comment and counts it; `false` when they reported it
/// already. Run it in a transaction.
pub async fn report(
    txn: &impl ConnectionTrait,
    id: CommentId,
    reporter: &str,
    reason: &str,
) -> Result<bool, DbErr> {
    let inserted = report::Entity::insert(report::ActiveModel {
        comment_id: Set(id.to_string()),
        reporter: Set(reporter.to_owned()),
        reason: Set(reason.to_owned()),
        created_at: Set(super::now()),
    })
    .on_conflict(
        OnConflict::columns([report::Column::CommentId, report::Column::Reporter])
            .do_nothing()
            .to_owned(),
    )
    .exec_without_returning(txn)
    .await?;
    if inserted == 0 {
        return Ok(false);
    }
    comment::Entity::update_many()
        .col_expr(
            comment::Column::Reports,
            Expr::col(comment::Column::Reports).add(1),
        )
        .filter(comment::Column::Id.eq(id.to_string()))
        .exec(txn)
        .await?;
    Ok(true)
}

/// The reasons residents gave when reporting a comment.
pub async fn reasons(db: &impl ConnectionTrait, id: &str) -> Result<Vec<String>, DbErr> {
    Ok(report::Entity::find()
        .filter(report::Column::CommentId.eq(id))
        .order_by_asc(report::Column::CreatedAt)
        .limit(20)
        .all(db)
        .await?
        .into_iter()
        .map(|r| r.reason)
        .collect())
}

fn waiting(consultation_id: &str) -> Condition {
    Condition::all()
        .add(comment::Column::ConsultationId.eq(consultation_id))
        .add(
            Condition::any()
                .add(comment::Column::Status.eq("pending"))
                .add(
                    Condition::all()
                        .add(comment::Column::Status.eq("published"))
                        .add(comment::Column::Reports.gt(0)),
                ),
        )
}

/// The moderation queue: comments waiting for publication and published ones residents
/// reported since the last review, oldest first (`consultation_comment_queue`).
pub async fn queue(
    db: &impl ConnectionTrait,
    consultation_id: &str,
    after: Option<(OffsetDateTime, String)>,
    limit: u64,
) -> Result<Vec<comment::Model>, DbErr> {
    let mut q = comment::Entity::find().filter(waiting(consultation_id));
    if let Some((at, id)) = after {
        q = q.filter(
            Condition::any().add(comment::Column::CreatedAt.gt(at)).add(
                Condition::all()
                    .add(comment::Column::CreatedAt.eq(at))
                    .add(comment::Column::Id.gt(id)),
            ),
        );
    }
    q.order_by_asc(comment::Column::CreatedAt)
        .order_by_asc(comment::Column::Id)
        .limit(limit)
        .all(db)
        .await
}

/// How many comments wait for moderation.
pub async fn waiting_count(db: &impl ConnectionTrait, consultation_id: &str) -> Result<u64, DbErr> {
    comment::Entity::find()
        .filter(waiting(consultation_id))
        .count(db)
        .await
}
