//! Residents' requests to start a consultation: the request row, its supports (one per
//! person by the unique `(request_id, supporter)`), and filing as a conditional update
//! (`WHERE state = 'collecting'`), so two last supports arriving together file it once.

use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};

use super::entity::{consultation_request as request, consultation_request_support as support};

pub const COLLECTING: &str = "collecting";
pub const FILED: &str = "filed";

pub struct NewRequest<'a> {
    pub id: String,
    pub created_by: &'a str,
    pub author: String,
    pub subject: &'a str,
    pub justification: &'a str,
    pub area: Option<&'a str>,
    pub threshold: i32,
    pub secret: String,
}

pub async fn create(db: &impl ConnectionTrait, n: NewRequest<'_>) -> Result<request::Model, DbErr> {
    request::ActiveModel {
        id: Set(n.id),
        created_by: Set(n.created_by.to_owned()),
        author: Set(n.author),
        state: Set(COLLECTING.to_owned()),
        subject: Set(n.subject.to_owned()),
        justification: Set(n.justification.to_owned()),
        area: Set(n.area.map(str::to_owned)),
        threshold: Set(n.threshold),
        secret: Set(n.secret),
        submission_id: Set(None),
        filed_at: Set(None),
        created_at: Set(super::now()),
    }
    .insert(db)
    .await
}

pub async fn find(db: &impl ConnectionTrait, id: &str) -> Result<Option<request::Model>, DbErr> {
    request::Entity::find_by_id(id.to_owned()).one(db).await
}

/// One page of requests after the keyset `id` (time-ordered), newest first, optionally in
/// one state.
pub async fn page(
    db: &impl ConnectionTrait,
    state: Option<&str>,
    before: Option<&str>,
    limit: u64,
) -> Result<Vec<request::Model>, DbErr> {
    let mut q = request::Entity::find();
    if let Some(state) = state {
        q = q.filter(request::Column::State.eq(state));
    }
    if let Some(before) = before {
        q = q.filter(request::Column::Id.lt(before));
    }
    q.order_by_desc(request::Column::Id)
        .limit(limit)
        .all(db)
        .await
}

/// Records a support; `false` when this person has supported the request already.
pub async fn add_support(
    db: &impl ConnectionTrait,
    request_id: &str,
    supporter: &str,
    area: Option<&str>,
) -> Result<bool, DbErr> {
    let inserted = support::Entity::insert(support::ActiveModel {
        id: Set(uuid::Uuid::now_v7().to_string()),
        request_id: Set(request_id.to_owned()),
        supporter: Set(supporter.to_owned()),
        area: Set(area.map(str::to_owned)),
        created_at: Set(super::now()),
    })
    .on_conflict(
        OnConflict::columns([support::Column::RequestId, support::Column::Supporter])
            .do_nothing()
            .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    Ok(inserted == 1)
}

/// How many residents support a request.
pub async fn supports(db: &impl ConnectionTrait, request_id: &str) -> Result<u64, DbErr> {
    support::Entity::find()
        .filter(support::Column::RequestId.eq(request_id))
        .count(db)
        .await
}

/// Marks the request filed with its submission, once: `false` when it was filed already.
pub async fn mark_filed(
    db: &impl ConnectionTrait,
    id: &str,
    submission_id: &str,
) -> Result<bool, DbErr> {
    let r = request::Entity::update_many()
        .col_expr(request::Column::State, Expr::value(FILED))
        .col_expr(request::Column::SubmissionId, Expr::value(submission_id))
        .col_expr(request::Column::FiledAt, Expr::value(super::now()))
        .filter(request::Column::Id.eq(id))
        .filter(request::Column::State.eq(COLLECTING))
        .exec(db)
        .await?;
    Ok(r.rows_affected == 1)
}
