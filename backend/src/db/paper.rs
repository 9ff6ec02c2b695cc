//! Paper cards typed in at the office (`participation::paper`), for any instrument: the
//! entry, the second clerk's decision as a conditional update on a pending card (so two
//! clerks deciding at once cannot both win), and the keyset pages of the queue.

use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, DbErr,
    EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};
use time::OffsetDateTime;

use super::entity::paper_entry as entry;

pub const PENDING: &str = "pending";

pub struct NewEntry<'a> {
    pub instrument: &'a str,
    pub subject_id: &'a str,
    pub card: &'a str,
    pub person_key: &'a str,
    pub data: &'a str,
    pub entered_by: &'a str,
    pub entered_by_name: &'a str,
}

pub async fn insert(db: &impl ConnectionTrait, e: NewEntry<'_>) -> Result<entry::Model, DbErr> {
    entry::ActiveModel {
        id: Set(uuid::Uuid::now_v7().to_string()),
        instrument: Set(e.instrument.to_owned()),
        subject_id: Set(e.subject_id.to_owned()),
        card: Set(e.card.to_owned()),
        person_key: Set(e.person_key.to_owned()),
        data: Set(e.data.to_owned()),
        state: Set(PENDING.to_owned()),
        entered_by: Set(e.entered_by.to_owned()),
        entered_by_name: Set(e.entered_by_name.to_owned()),
        entered_at: Set(super::now()),
        decided_by: Set(None),
        decided_by_name: Set(None),
        decided_at: Set(None),
        reason: Set(None),
    }
    .insert(db)
    .await
}

/// The card `id` of this instrument's subject; another subject's card is none.
pub async fn find(
    db: &impl ConnectionTrait,
    instrument: &str,
    subject_id: &str,
    id: &str,
) -> Result<Option<entry::Model>, DbErr> {
    entry::Entity::find_by_id(id.to_owned())
        .filter(entry::Column::Instrument.eq(instrument))
        .filter(entry::Column::SubjectId.eq(subject_id))
        .one(db)
        .await
}

/// Whether this subject has a card numbered `card` already.
pub async fn card_exists(
    db: &impl ConnectionTrait,
    instrument: &str,
    subject_id: &str,
    card: &str,
) -> Result<bool, DbErr> {
    Ok(entry::Entity::find()
        .filter(entry::Column::Instrument.eq(instrument))
        .filter(entry::Column::SubjectId.eq(subject_id))
        .filter(entry::Column::Card.eq(card))
        .one(db)
        .await?
        .is_some())
}

pub struct Decision<'a> {
    pub state: &'a str,
    pub by: &'a str,
    pub by_name: &'a str,
    pub reason: Option<&'a str>,
    /// The card's content as kept after the decision (emptied for anonymous instruments).
    pub data: Option<&'a str>,
}

/// Records the decision on a pending card; `false` when it was decided meanwhile.
pub async fn decide(db: &impl ConnectionTrait, id: &str, d: Decision<'_>) -> Result<bool, DbErr> {
    let mut q = entry::Entity::update_many()
        .col_expr(entry::Column::State, Expr::value(d.state))
        .col_expr(entry::Column::DecidedBy, Expr::value(Some(d.by)))
        .col_expr(entry::Column::DecidedByName, Expr::value(Some(d.by_name)))
        .col_expr(entry::Column::DecidedAt, Expr::value(Some(super::now())))
        .col_expr(entry::Column::Reason, Expr::value(d.reason));
    if let Some(data) = d.data {
        q = q.col_expr(entry::Column::Data, Expr::value(data));
    }
    let r = q
        .filter(entry::Column::Id.eq(id))
        .filter(entry::Column::State.eq(PENDING))
        .exec(db)
        .await?;
    Ok(r.rows_affected == 1)
}

/// One page of a subject's cards in `state` (all when `None`), oldest first
/// (`paper_entry_page`).
pub async fn list(
    db: &impl ConnectionTrait,
    instrument: &str,
    subject_id: &str,
    state: Option<&str>,
    after: Option<(OffsetDateTime, String)>,
    limit: u64,
) -> Result<Vec<entry::Model>, DbErr> {
    let mut q = entry::Entity::find()
        .filter(entry::Column::Instrument.eq(instrument))
        .filter(entry::Column::SubjectId.eq(subject_id));
    if let Some(s) = state {
        q = q.filter(entry::Column::State.eq(s));
    }
    if let Some((at, id)) = after {
        q = q.filter(entry::Column::EnteredAt.gte(at)).filter(
            Condition::any().add(entry::Column::EnteredAt.gt(at)).add(
                Condition::all()
                    .add(entry::Column::EnteredAt.eq(at))
                    .add(entry::Column::Id.gt(id)),
            ),
        );
    }
    q.order_by_asc(entry::Column::EnteredAt)
        .order_by_asc(entry::Column::Id)
        .limit(limit)
        .all(db)
        .await
}
