//! Permits issued on a service's cases (the public register of mass events, u.b.i.m.):
//! the cases granted, newest decision first, by keyset pages over the index
//! `(service_id, outcome, decided_at, id)` (migration `m20261204_000401`).

use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};
use time::OffsetDateTime;

use super::entity::{case_file, submission};
use super::keyset::{self, Order};

/// One page of the cases of `service` decided `granted`, after the keyset
/// `(decided_at, id)`, newest first, with their submissions.
pub async fn granted_page(
    db: &impl ConnectionTrait,
    service: &str,
    after: Option<(OffsetDateTime, String)>,
    limit: u64,
) -> Result<Vec<(case_file::Model, submission::Model)>, DbErr> {
    use case_file::Column as C;
    let mut q = case_file::Entity::find()
        .filter(C::ServiceId.eq(service))
        .filter(C::Outcome.eq("granted"))
        .filter(C::DecidedAt.is_not_null());
    if let Some((at, id)) = after {
        q = q.filter(keyset::after(C::DecidedAt, C::Id, at, id, Order::Desc));
    }
    let cases = q
        .order_by_desc(C::DecidedAt)
        .order_by_desc(C::Id)
        .limit(limit)
        .all(db)
        .await?;
    super::petitions::with_submissions(db, cases).await
}
