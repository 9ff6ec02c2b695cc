//! The audit history of a participation instrument (a consultation, a budget edition): each entry holds the SHA-256 of the one before and of
//! its own fields, so a changed, removed or reordered entry breaks every hash after it.
//! Entries are appended in the transaction of the action they record.

use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
};
use sha2::{Digest, Sha256};
use time::format_description::well_known::Rfc3339;

use super::entity::participation_event as event;

/// The `prev_hash` of the first entry.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// Who did what; `actor` is an owner key, or `worker` for moves at the dates.
pub struct Entry<'a> {
    pub actor: &'a str,
    pub actor_name: &'a str,
    pub action: &'a str,
    pub detail: String,
}

/// The worker's move of an instrument from phase `from` to `to` at its dates.
pub fn moved(from: &str, to: &str, today: time::Date) -> Entry<'static> {
    Entry {
        actor: "worker",
        actor_name: "okienko",
        action: "moved",
        detail: format!("{from} → {to} on {today}"),
    }
}

pub fn entry_hash(prev: &str, e: &event::Model) -> String {
    let text = format!(
        "{prev}\n{}\n{}\n{}\n{}\n{}\n{}\n{}",
        e.subject_id,
        e.seq,
        e.at.format(&Rfc3339).unwrap_or_default(),
        e.actor,
        e.actor_name,
        e.action,
        e.detail
    );
    crate::forms::catalogue::hex(&Sha256::digest(text.as_bytes()))
}

pub async fn append(
    txn: &impl ConnectionTrait,
    subject_id: &str,
    e: Entry<'_>,
) -> Result<(), DbErr> {
    append_all(txn, subject_id, vec![e]).await
}

/// Appends `entries` in their order with one insert (a vote's ballots sealed at its close).
/// The caller holds the subject's turn, so nobody appends in between.
pub async fn append_all(
    txn: &impl ConnectionTrait,
    subject_id: &str,
    entries: Vec<Entry<'_>>,
) -> Result<(), DbErr> {
    if entries.is_empty() {
        return Ok(());
    }
    let last = event::Entity::find()
        .filter(event::Column::SubjectId.eq(subject_id))
        .order_by_desc(event::Column::Seq)
        .one(txn)
        .await?;
    let (mut seq, mut prev) = last.map_or((0, GENESIS.to_owned()), |l| (l.seq, l.hash));
    // whole seconds: what every database stores and gives back unchanged
    let at = super::now()
        .replace_nanosecond(0)
        .unwrap_or_else(|_| super::now());
    let mut rows = Vec::with_capacity(entries.len());
    for e in entries {
        seq += 1;
        let mut m = event::Model {
            id: uuid::Uuid::now_v7().to_string(),
            subject_id: subject_id.to_owned(),
            seq,
            at,
            actor: e.actor.to_owned(),
            actor_name: e.actor_name.to_owned(),
            action: e.action.to_owned(),
            detail: e.detail,
            prev_hash: prev.clone(),
            hash: String::new(),
        };
        m.hash = entry_hash(&prev, &m);
        prev = m.hash.clone();
        rows.push(event::ActiveModel {
            id: Set(m.id),
            subject_id: Set(m.subject_id),
            seq: Set(m.seq),
            at: Set(m.at),
            actor: Set(m.actor),
            actor_name: Set(m.actor_name),
            action: Set(m.action),
            detail: Set(m.detail),
            prev_hash: Set(m.prev_hash),
            hash: Set(m.hash),
        });
    }
    event::Entity::insert_many(rows)
        .exec_without_returning(txn)
        .await?;
    Ok(())
}

pub async fn list(db: &impl ConnectionTrait, subject_id: &str) -> Result<Vec<event::Model>, DbErr> {
    event::Entity::find()
        .filter(event::Column::SubjectId.eq(subject_id))
        .order_by_asc(event::Column::Seq)
        .all(db)
        .await
}

/// Whether the chain is whole: `None`, or the first entry (its seq) where it breaks.
pub fn first_break(entries: &[event::Model]) -> Option<i32> {
    let mut prev = GENESIS.to_owned();
    for (i, e) in entries.iter().enumerate() {
        let expected = i32::try_from(i + 1).unwrap_or(i32::MAX);
        if e.seq != expected || e.prev_hash != prev || entry_hash(&prev, e) != e.hash {
            return Some(expected);
        }
        prev = e.hash.clone();
    }
    None
}
