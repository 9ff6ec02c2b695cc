//! Co-signers of a group's petition: one confirmation a person (the unique `(case_id,
//! owner)`), listed by keyset pages over `(case_id, consent, id)`.

use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect,
};

use super::entity::petition_cosigner as row;

/// Records a confirmation; `false` when this person confirmed already.
pub async fn confirm(
    db: &impl ConnectionTrait,
    case_id: &str,
    owner: &str,
    name: &str,
    consent: bool,
) -> Result<bool, DbErr> {
    let inserted = row::Entity::insert(row::ActiveModel {
        id: Set(uuid::Uuid::now_v7().to_string()),
        case_id: Set(case_id.to_owned()),
        owner: Set(owner.to_owned()),
        name: Set(name.to_owned()),
        consent: Set(consent),
        confirmed_at: Set(super::now()),
    })
    .on_conflict(
        OnConflict::columns([row::Column::CaseId, row::Column::Owner])
            .do_nothing()
            .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    Ok(inserted == 1)
}

/// A page of the confirmations of `case_id` after `after` (an id), oldest first; only
/// those who consented when `consented_only`.
pub async fn page(
    db: &impl ConnectionTrait,
    case_id: &str,
    consented_only: bool,
    after: Option<&str>,
    limit: u64,
) -> Result<Vec<row::Model>, DbErr> {
    let mut q = row::Entity::find().filter(row::Column::CaseId.eq(case_id));
    if consented_only {
        q = q.filter(row::Column::Consent.eq(true));
    }
    if let Some(after) = after {
        q = q.filter(row::Column::Id.gt(after));
    }
    q.order_by_asc(row::Column::Id).limit(limit).all(db).await
}

/// How many confirmed, and how many of them consented to their name being published.
pub async fn counts(db: &impl ConnectionTrait, case_id: &str) -> Result<(u64, u64), DbErr> {
    let all = row::Entity::find()
        .filter(row::Column::CaseId.eq(case_id))
        .count(db)
        .await?;
    let named = row::Entity::find()
        .filter(row::Column::CaseId.eq(case_id))
        .filter(row::Column::Consent.eq(true))
        .count(db)
        .await?;
    Ok((all, named))
}

/// Whether `owner` confirmed `case_id`.
pub async fn confirmed_by(
    db: &impl ConnectionTrait,
    case_id: &str,
    owner: &str,
) -> Result<Option<row::Model>, DbErr> {
    row::Entity::find()
        .filter(row::Column::CaseId.eq(case_id))
        .filter(row::Column::Owner.eq(owner))
        .one(db)
        .await
}
