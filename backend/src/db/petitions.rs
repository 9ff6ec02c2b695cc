//! The public register of petitions (u.p.p. art. 8): the cases of petition services, newest
//! first, by keyset pages over the index `(service_id, filed_at, id)`.

use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect,
};
use time::OffsetDateTime;

use super::entity::{case_file, submission};

/// What the register may be narrowed to.
#[derive(Debug, Default, Clone)]
pub struct Filter {
    /// Only dealt with (`true`) or only still open (`false`).
    pub answered: Option<bool>,
    /// Filed in this year.
    pub year: Option<i32>,
}

/// One page of petitions of `services` after the keyset `(filed_at, id)`, newest first, with
/// their submissions.
pub async fn page(
    db: &impl ConnectionTrait,
    services: &[String],
    f: &Filter,
    after: Option<(OffsetDateTime, String)>,
    limit: u64,
) -> Result<Vec<(case_file::Model, submission::Model)>, DbErr> {
    use case_file::Column as C;
    let mut q = case_file::Entity::find().filter(C::ServiceId.is_in(services.iter().cloned()));
    if let Some(answered) = f.answered {
        let settled = ["decided", "closed", "archived"];
        q = q.filter(if answered {
            C::Status.is_in(settled)
        } else {
            C::Status.is_not_in(settled)
        });
    }
    if let Some(year) = f.year {
        q = q.filter(C::Year.eq(year));
    }
    if let Some((at, id)) = after {
        q = q.filter(
            Condition::any()
                .add(C::FiledAt.lt(at))
                .add(Condition::all().add(C::FiledAt.eq(at)).add(C::Id.lt(id))),
        );
    }
    let cases = q
        .order_by_desc(C::FiledAt)
        .order_by_desc(C::Id)
        .limit(limit)
        .all(db)
        .await?;
    with_submissions(db, cases).await
}

/// The petitions of `services` filed between `from` and `to`, at most `limit`, with their
/// submissions (the candidates for joining, u.p.p. art. 11).
pub async fn filed_between(
    db: &impl ConnectionTrait,
    services: &[String],
    from: OffsetDateTime,
    to: OffsetDateTime,
    limit: u64,
) -> Result<Vec<(case_file::Model, submission::Model)>, DbErr> {
    use case_file::Column as C;
    let cases = case_file::Entity::find()
        .filter(C::ServiceId.is_in(services.iter().cloned()))
        .filter(C::FiledAt.between(from, to))
        .order_by_desc(C::FiledAt)
        .limit(limit)
        .all(db)
        .await?;
    with_submissions(db, cases).await
}

pub(super) async fn with_submissions(
    db: &impl ConnectionTrait,
    cases: Vec<case_file::Model>,
) -> Result<Vec<(case_file::Model, submission::Model)>, DbErr> {
    let ids: Vec<String> = cases.iter().map(|c| c.submission_id.clone()).collect();
    let subs = submission::Entity::find()
        .filter(submission::Column::Id.is_in(ids))
        .all(db)
        .await?;
    Ok(cases
        .into_iter()
        .filter_map(|c| {
            let s = subs.iter().find(|s| s.id == c.submission_id)?.clone();
            Some((c, s))
        })
        .collect())
}
