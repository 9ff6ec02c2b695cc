//! The council's calendar: sessions and their agenda items. A session's writers take turns
//! on its row (`lock`), so its history's next place and its one open vote are theirs.

use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait,
    QueryFilter, QueryOrder, QuerySelect,
};
use time::OffsetDateTime;

use super::entity::{council_item as item, council_session as session};

pub struct NewSession<'a> {
    pub title: &'a str,
    pub starts_at: OffsetDateTime,
    pub place: &'a str,
}

pub async fn create_session(
    txn: &impl ConnectionTrait,
    s: NewSession<'_>,
) -> Result<session::Model, DbErr> {
    let now = super::now();
    session::ActiveModel {
        id: Set(uuid::Uuid::now_v7().to_string()),
        title: Set(s.title.to_owned()),
        starts_at: Set(s.starts_at),
        place: Set(s.place.to_owned()),
        status: Set("planned".into()),
        chair: Set(None),
        recording_url: Set(None),
        minutes_url: Set(None),
        events: Set(0),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(txn)
    .await
}

pub async fn session(db: &impl ConnectionTrait, id: &str) -> Result<Option<session::Model>, DbErr> {
    session::Entity::find_by_id(id.to_owned()).one(db).await
}

/// Takes the session's row for this transaction (the first write of every change to a
/// session): concurrent writers on any node wait for each other here. `None`: no session.
pub async fn lock(txn: &impl ConnectionTrait, id: &str) -> Result<Option<session::Model>, DbErr> {
    // one round trip: the row comes back with the update that locks it
    let rows = session::Entity::update_many()
        .col_expr(
            session::Column::Events,
            Expr::col(session::Column::Events).add(1),
        )
        .col_expr(session::Column::UpdatedAt, Expr::value(super::now()))
        .filter(session::Column::Id.eq(id))
        .exec_with_returning(txn)
        .await?;
    Ok(rows.into_iter().next())
}

/// A session's changed fields (the caller holds its lock).
pub async fn update_session(
    txn: &impl ConnectionTrait,
    id: &str,
    changes: Vec<(session::Column, sea_orm::sea_query::SimpleExpr)>,
) -> Result<(), DbErr> {
    let mut q = session::Entity::update_many();
    for (c, v) in changes {
        q = q.col_expr(c, v);
    }
    q.filter(session::Column::Id.eq(id)).exec(txn).await?;
    Ok(())
}

/// The calendar from `from` on (or, `past`, before it, newest first), after the keyset
/// `(starts_at, id)`; served by the index `(starts_at, id)`.
pub async fn sessions_page(
    db: &impl ConnectionTrait,
    from: OffsetDateTime,
    past: bool,
    after: Option<(OffsetDateTime, String)>,
    limit: u64,
) -> Result<Vec<session::Model>, DbErr> {
    use sea_orm::Condition;
    let (at, id) = (session::Column::StartsAt, session::Column::Id);
    let mut q = session::Entity::find();
    q = if past {
        q.filter(at.lt(from)).order_by_desc(at).order_by_desc(id)
    } else {
        q.filter(at.gte(from)).order_by_asc(at).order_by_asc(id)
    };
    if let Some((k, i)) = after {
        q = q.filter(if past {
            Condition::any()
                .add(at.lt(k))
                .add(Condition::all().add(at.eq(k)).add(id.lt(i)))
        } else {
            Condition::any()
                .add(at.gt(k))
                .add(Condition::all().add(at.eq(k)).add(id.gt(i)))
        });
    }
    q.limit(limit).all(db).await
}

pub struct NewItem<'a> {
    pub title: &'a str,
    pub case_sign: Option<&'a str>,
    pub majority: &'a str,
    pub secret_basis: Option<&'a str>,
}

/// Adds an item at the end of the agenda (the caller holds the session's lock).
pub async fn add_item(
    txn: &impl ConnectionTrait,
    session_id: &str,
    i: NewItem<'_>,
) -> Result<item::Model, DbErr> {
    let last: Option<i32> = item::Entity::find()
        .select_only()
        .column_as(item::Column::Position.max(), "last")
        .filter(item::Column::SessionId.eq(session_id))
        .into_tuple::<Option<i32>>()
        .one(txn)
        .await?
        .flatten();
    item::ActiveModel {
        id: Set(uuid::Uuid::now_v7().to_string()),
        session_id: Set(session_id.to_owned()),
        position: Set(last.unwrap_or(0) + 1),
        title: Set(i.title.to_owned()),
        case_sign: Set(i.case_sign.map(str::to_owned)),
        majority: Set(i.majority.to_owned()),
        resolution_no: Set(None),
        resolution_text: Set(None),
        secret_basis: Set(i.secret_basis.map(str::to_owned)),
    }
    .insert(txn)
    .await
}

pub async fn items(db: &impl ConnectionTrait, session_id: &str) -> Result<Vec<item::Model>, DbErr> {
    item::Entity::find()
        .filter(item::Column::SessionId.eq(session_id))
        .order_by_asc(item::Column::Position)
        .all(db)
        .await
}

pub async fn item(db: &impl ConnectionTrait, id: &str) -> Result<Option<item::Model>, DbErr> {
    item::Entity::find_by_id(id.to_owned()).one(db).await
}

/// The items that deal with the case `sign`.
pub async fn items_of_case(
    db: &impl ConnectionTrait,
    sign: &str,
) -> Result<Vec<item::Model>, DbErr> {
    item::Entity::find()
        .filter(item::Column::CaseSign.eq(sign))
        .all(db)
        .await
}

/// Records the council's resolution on an item.
pub async fn set_resolution(
    txn: &impl ConnectionTrait,
    item_id: &str,
    number: &str,
    text: &str,
) -> Result<(), DbErr> {
    item::Entity::update_many()
        .col_expr(item::Column::ResolutionNo, Expr::value(number))
        .col_expr(item::Column::ResolutionText, Expr::value(text))
        .filter(item::Column::Id.eq(item_id))
        .exec(txn)
        .await?;
    Ok(())
}
