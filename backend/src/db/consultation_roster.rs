//! A consultation's roster: who may take part, as keyed hashes (`participation::
//! consultations::roster`). An import replaces the whole roster in one transaction.

use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait, QueryFilter,
};

use super::entity::consultation_roster as roster;

#[derive(Debug)]
pub struct Member {
    pub member: String,
    pub voice: String,
    /// `person` or `organisation`.
    pub kind: &'static str,
}

/// Replaces the roster of `consultation_id` with `members`; run it in a transaction.
pub async fn replace(
    txn: &impl ConnectionTrait,
    consultation_id: &str,
    members: &[Member],
) -> Result<(), DbErr> {
    roster::Entity::delete_many()
        .filter(roster::Column::ConsultationId.eq(consultation_id))
        .exec(txn)
        .await?;
    // in chunks: a statement's placeholders are bounded (SQLite: 32,766)
    for chunk in members.chunks(1000) {
        roster::Entity::insert_many(chunk.iter().map(|m| roster::ActiveModel {
            consultation_id: Set(consultation_id.to_owned()),
            member: Set(m.member.clone()),
            voice: Set(m.voice.clone()),
            kind: Set(m.kind.to_owned()),
        }))
        .exec_without_returning(txn)
        .await?;
    }
    Ok(())
}

/// The voice a member of the roster answers with; `None` when not on it.
pub async fn voice_of(
    db: &impl ConnectionTrait,
    consultation_id: &str,
    member: &str,
) -> Result<Option<String>, DbErr> {
    Ok(
        roster::Entity::find_by_id((consultation_id.to_owned(), member.to_owned()))
            .one(db)
            .await?
            .map(|m| m.voice),
    )
}

pub async fn count(db: &impl ConnectionTrait, consultation_id: &str) -> Result<u64, DbErr> {
    roster::Entity::find()
        .filter(roster::Column::ConsultationId.eq(consultation_id))
        .count(db)
        .await
}
