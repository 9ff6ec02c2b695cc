//! The vote, kept in two tables that share only the edition: `budget_voter` says who
//! voted (a keyed hash), `budget_ballot` holds the ballots under random ids, dated by the
//! day only. Nothing in one row leads to a row of the other.

use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait,
    QueryFilter, QueryOrder, QuerySelect,
};
use time::Date;

use crate::db::entity::{budget_ballot as ballot, budget_voter as voter};

pub struct NewBallot<'a> {
    pub edition_id: &'a str,
    pub area: Option<&'a str>,
    /// `{pool code: [[project id, points], …]}`.
    pub choices: &'a str,
    pub channel: &'a str,
    pub status: &'a str,
    pub reason: Option<&'a str>,
    pub cast_on: Date,
}

/// Records that `voter` voted and, apart from it, the ballot under a random id. `None` when
/// the voter has voted already (nothing is stored). Run it in a transaction.
pub async fn cast(
    txn: &impl ConnectionTrait,
    voter_key: &str,
    b: &NewBallot<'_>,
) -> Result<Option<String>, DbErr> {
    let first = voter::Entity::insert(voter::ActiveModel {
        edition_id: Set(b.edition_id.to_owned()),
        voter: Set(voter_key.to_owned()),
    })
    .on_conflict(
        OnConflict::columns([voter::Column::EditionId, voter::Column::Voter])
            .do_nothing()
            .to_owned(),
    )
    .exec_without_returning(txn)
    .await?;
    if first == 0 {
        return Ok(None);
    }
    Ok(Some(record(txn, b).await?))
}

/// Stores a ballot that no voter's row stands for: a paper card of someone whose ballot
/// counts already, kept as `invalid` (`duplicate`) so the protocol counts it.
pub async fn record(txn: &impl ConnectionTrait, b: &NewBallot<'_>) -> Result<String, DbErr> {
    // random, not time-ordered: the id says nothing of when it was cast
    let id = uuid::Uuid::new_v4().to_string();
    ballot::ActiveModel {
        id: Set(id.clone()),
        edition_id: Set(b.edition_id.to_owned()),
        area: Set(b.area.map(str::to_owned)),
        choices: Set(b.choices.to_owned()),
        channel: Set(b.channel.to_owned()),
        status: Set(b.status.to_owned()),
        reason: Set(b.reason.map(str::to_owned)),
        cast_on: Set(b.cast_on),
    }
    .insert(txn)
    .await?;
    Ok(id)
}

/// Stores valid ballots that no voter's row stands for (`choices` as in [`NewBallot`]):
/// an imported file's votes. Run it in a transaction.
pub async fn record_many(
    txn: &impl ConnectionTrait,
    edition_id: &str,
    channel: &str,
    cast_on: Date,
    choices: &[String],
) -> Result<(), DbErr> {
    if choices.is_empty() {
        return Ok(());
    }
    let rows = choices.iter().map(|c| ballot::ActiveModel {
        id: Set(uuid::Uuid::new_v4().to_string()),
        edition_id: Set(edition_id.to_owned()),
        area: Set(None),
        choices: Set(c.clone()),
        channel: Set(channel.to_owned()),
        status: Set("valid".to_owned()),
        reason: Set(None),
        cast_on: Set(cast_on),
    });
    ballot::Entity::insert_many(rows)
        .exec_without_returning(txn)
        .await?;
    Ok(())
}

/// Whether any ballot of the edition is stored.
pub async fn any(db: &impl ConnectionTrait, edition_id: &str) -> Result<bool, DbErr> {
    Ok(ballot::Entity::find()
        .filter(ballot::Column::EditionId.eq(edition_id))
        .one(db)
        .await?
        .is_some())
}

/// One page of an edition's ballots, by id (`budget_ballot_edition`): the tally reads them
/// a page at a time.
pub async fn page(
    db: &impl ConnectionTrait,
    edition_id: &str,
    after: Option<&str>,
    limit: u64,
) -> Result<Vec<ballot::Model>, DbErr> {
    let mut q = ballot::Entity::find().filter(ballot::Column::EditionId.eq(edition_id));
    if let Some(after) = after {
        q = q.filter(ballot::Column::Id.gt(after));
    }
    q.order_by_asc(ballot::Column::Id)
        .limit(limit)
        .all(db)
        .await
}
