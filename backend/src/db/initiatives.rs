//! Citizens' legislative initiatives: the initiative row, its supports (one per person by
//! the unique `(initiative_id, supporter)`), the office's verdicts, and filing as a
//! conditional update (`WHERE state = 'collecting'`), so a double click files once.

use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};
use time::Date;

use super::entity::{initiative, initiative_support as support};

pub const COLLECTING: &str = "collecting";
pub const FILED: &str = "filed";

pub struct NewInitiative<'a> {
    pub id: String,
    pub created_by: &'a str,
    pub title: &'a str,
    pub draft: &'a str,
    pub justification: &'a str,
    pub committee: String,
    pub threshold: i32,
    pub keeps_pesel: bool,
    pub secret: String,
}

pub async fn create(
    db: &impl ConnectionTrait,
    n: NewInitiative<'_>,
) -> Result<initiative::Model, DbErr> {
    initiative::ActiveModel {
        id: Set(n.id),
        created_by: Set(n.created_by.to_owned()),
        state: Set(COLLECTING.to_owned()),
        title: Set(n.title.to_owned()),
        draft: Set(n.draft.to_owned()),
        justification: Set(n.justification.to_owned()),
        committee: Set(n.committee),
        threshold: Set(n.threshold),
        keeps_pesel: Set(n.keeps_pesel),
        secret: Set(n.secret),
        submission_id: Set(None),
        filed_at: Set(None),
        created_at: Set(super::now()),
    }
    .insert(db)
    .await
}

pub async fn find(db: &impl ConnectionTrait, id: &str) -> Result<Option<initiative::Model>, DbErr> {
    initiative::Entity::find_by_id(id.to_owned()).one(db).await
}

/// One page of initiatives after the keyset `id` (time-ordered), oldest first.
pub async fn page(
    db: &impl ConnectionTrait,
    after: Option<&str>,
    limit: u64,
) -> Result<Vec<initiative::Model>, DbErr> {
    let mut q = initiative::Entity::find();
    if let Some(after) = after {
        q = q.filter(initiative::Column::Id.gt(after));
    }
    q.order_by_asc(initiative::Column::Id)
        .limit(limit)
        .all(db)
        .await
}

pub struct NewSupport<'a> {
    pub initiative_id: &'a str,
    pub supporter: &'a str,
    pub channel: &'a str,
    pub name: &'a str,
    pub address: Option<&'a str>,
    pub pesel: Option<&'a str>,
    pub supported_on: Date,
    pub entered_by: Option<&'a str>,
}

/// Records a support; `false` when this person has supported the initiative already.
pub async fn add_support(db: &impl ConnectionTrait, s: NewSupport<'_>) -> Result<bool, DbErr> {
    let inserted = support::Entity::insert(support::ActiveModel {
        id: Set(uuid::Uuid::now_v7().to_string()),
        initiative_id: Set(s.initiative_id.to_owned()),
        supporter: Set(s.supporter.to_owned()),
        channel: Set(s.channel.to_owned()),
        name: Set(s.name.to_owned()),
        address: Set(s.address.map(str::to_owned)),
        pesel: Set(s.pesel.map(str::to_owned)),
        supported_on: Set(s.supported_on),
        verdict: Set("pending".to_owned()),
        reason: Set(None),
        entered_by: Set(s.entered_by.map(str::to_owned)),
        verified_by: Set(None),
        created_at: Set(super::now()),
    })
    .on_conflict(
        OnConflict::columns([support::Column::InitiativeId, support::Column::Supporter])
            .do_nothing()
            .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    Ok(inserted == 1)
}

/// How many supports an initiative has, by channel and by verdict.
#[derive(Debug, Default, Clone, Copy, serde::Serialize, utoipa::ToSchema)]
pub struct Counts {
    pub online: u64,
    pub paper: u64,
    pub accepted: u64,
    pub rejected: u64,
    pub pending: u64,
}

impl Counts {
    pub fn total(&self) -> u64 {
        self.online + self.paper
    }
}

pub async fn counts(db: &impl ConnectionTrait, id: &str) -> Result<Counts, DbErr> {
    let rows: Vec<(String, String, i64)> = support::Entity::find()
        .select_only()
        .column(support::Column::Channel)
        .column(support::Column::Verdict)
        .column_as(support::Column::Id.count(), "n")
        .filter(support::Column::InitiativeId.eq(id))
        .group_by(support::Column::Channel)
        .group_by(support::Column::Verdict)
        .into_tuple()
        .all(db)
        .await?;
    let mut c = Counts::default();
    for (channel, verdict, n) in rows {
        let n = u64::try_from(n).unwrap_or(0);
        match channel.as_str() {
            "paper" => c.paper += n,
            _ => c.online += n,
        }
        match verdict.as_str() {
            "accepted" => c.accepted += n,
            "rejected" => c.rejected += n,
            _ => c.pending += n,
        }
    }
    Ok(c)
}

/// One page of an initiative's supports after the keyset `id`, in the order given.
pub async fn supports(
    db: &impl ConnectionTrait,
    initiative_id: &str,
    after: Option<&str>,
    limit: u64,
) -> Result<Vec<support::Model>, DbErr> {
    let mut q = support::Entity::find().filter(support::Column::InitiativeId.eq(initiative_id));
    if let Some(after) = after {
        q = q.filter(support::Column::Id.gt(after));
    }
    q.order_by_asc(support::Column::Id)
        .limit(limit)
        .all(db)
        .await
}

/// The verdict on one support of one initiative; `false` when there is no such support.
pub async fn set_verdict(
    db: &impl ConnectionTrait,
    initiative_id: &str,
    support_id: &str,
    verdict: &str,
    reason: Option<&str>,
    by: &str,
) -> Result<bool, DbErr> {
    let r = support::Entity::update_many()
        .col_expr(support::Column::Verdict, Expr::value(verdict))
        .col_expr(
            support::Column::Reason,
            Expr::value(reason.map(str::to_owned)),
        )
        .col_expr(support::Column::VerifiedBy, Expr::value(by))
        .filter(support::Column::InitiativeId.eq(initiative_id))
        .filter(support::Column::Id.eq(support_id))
        .exec(db)
        .await?;
    Ok(r.rows_affected == 1)
}

/// The same verdict on the pending supports `ids` of one initiative, in chunks.
pub async fn set_verdicts(
    db: &impl ConnectionTrait,
    initiative_id: &str,
    ids: &[String],
    verdict: &str,
    reason: Option<&str>,
    by: &str,
) -> Result<u64, DbErr> {
    let mut done = 0;
    for chunk in ids.chunks(500) {
        let r = support::Entity::update_many()
            .col_expr(support::Column::Verdict, Expr::value(verdict))
            .col_expr(
                support::Column::Reason,
                Expr::value(reason.map(str::to_owned)),
            )
            .col_expr(support::Column::VerifiedBy, Expr::value(by))
            .filter(support::Column::InitiativeId.eq(initiative_id))
            .filter(support::Column::Verdict.eq("pending"))
            .filter(support::Column::Id.is_in(chunk.iter().cloned()))
            .exec(db)
            .await?;
        done += r.rows_affected;
    }
    Ok(done)
}

/// Marks the initiative filed with its submission, once: `false` when it was filed already.
pub async fn mark_filed(
    db: &impl ConnectionTrait,
    id: &str,
    submission_id: &str,
) -> Result<bool, DbErr> {
    let r = initiative::Entity::update_many()
        .col_expr(initiative::Column::State, Expr::value(FILED))
        .col_expr(initiative::Column::SubmissionId, Expr::value(submission_id))
        .col_expr(initiative::Column::FiledAt, Expr::value(super::now()))
        .filter(initiative::Column::Id.eq(id))
        .filter(initiative::Column::State.eq(COLLECTING))
        .exec(db)
        .await?;
    Ok(r.rows_affected == 1)
}

/// Filed drafts whose case is still open after its due day: the council has not taken the
/// draft up within the 3 months of art. 41a ust. 4.
pub async fn overdue(
    db: &impl ConnectionTrait,
    service_id: &str,
    today: Date,
) -> Result<u64, DbErr> {
    use super::entity::case_file::{Column as C, Entity};
    Entity::find()
        .filter(C::ServiceId.eq(service_id))
        .filter(C::Status.is_not_in(["decided", "closed", "archived"]))
        .filter(C::DueOn.lt(today))
        .count(db)
        .await
}
