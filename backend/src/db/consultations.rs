//! Consultations: the row with its current version's dates and its phase, every version of
//! its content, answers (one per participant key) and comments with the office's position.
//! Writes that must happen once are conditional updates (`WHERE phase = …`), so any number
//! of nodes and workers may race on them.

use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, DbErr,
    EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};
use time::{Date, OffsetDateTime};

use super::entity::{
    consultation, consultation_answer as answer, consultation_comment as comment,
    consultation_version as version,
};
use crate::domain::consultation::{Consultation, Phase};
use crate::domain::ids::{CommentId, ConsultationId};

/// A consultation's content as saved: the domain value and its questionnaire.
pub struct Content<'a> {
    pub consultation: &'a Consultation,
    pub body: String,
    pub questionnaire: &'a str,
    pub questionnaire_hash: &'a str,
}

fn version_row(
    id: ConsultationId,
    v: i32,
    c: &Content<'_>,
    by: &str,
    now: OffsetDateTime,
) -> version::ActiveModel {
    version::ActiveModel {
        id: Set(uuid::Uuid::now_v7().to_string()),
        consultation_id: Set(id.to_string()),
        version: Set(v),
        body: Set(c.body.clone()),
        questionnaire: Set(c.questionnaire.to_owned()),
        questionnaire_hash: Set(c.questionnaire_hash.to_owned()),
        created_by: Set(by.to_owned()),
        created_at: Set(now),
    }
}

/// Stores a new draft and its version 1.
pub async fn create(
    db: &impl ConnectionTrait,
    id: ConsultationId,
    by: &str,
    secret: &str,
    c: &Content<'_>,
) -> Result<consultation::Model, DbErr> {
    let now = super::now();
    let d = &c.consultation.dates;
    let row = consultation::ActiveModel {
        id: Set(id.to_string()),
        created_by: Set(by.to_owned()),
        phase: Set(Phase::Draft.as_str().to_owned()),
        version: Set(1),
        kind: Set(c.consultation.kind.as_str().to_owned()),
        subject: Set(c.consultation.subject.trim().to_owned()),
        announced_on: Set(d.announced_on),
        opens_on: Set(d.opens_on),
        closes_on: Set(d.closes_on),
        report_due_on: Set(d.report_due_on),
        secret: Set(secret.to_owned()),
        published_at: Set(None),
        report: Set(None),
        reported_at: Set(None),
        archives_on: Set(None),
        archived_at: Set(None),
        statistics: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(db)
    .await?;
    version_row(id, 1, c, by, now).insert(db).await?;
    Ok(row)
}

/// Saves a new version over `current`, only if nobody saved or opened it meanwhile: the
/// row must still be at `current.version` and in an editable phase. `false` otherwise.
pub async fn update(
    db: &impl ConnectionTrait,
    current: &consultation::Model,
    by: &str,
    c: &Content<'_>,
) -> Result<bool, DbErr> {
    let now = super::now();
    let d = &c.consultation.dates;
    let next = current.version + 1;
    let r = consultation::Entity::update_many()
        .col_expr(consultation::Column::Version, Expr::value(next))
        .col_expr(
            consultation::Column::Kind,
            Expr::value(c.consultation.kind.as_str()),
        )
        .col_expr(
            consultation::Column::Subject,
            Expr::value(c.consultation.subject.trim()),
        )
        .col_expr(
            consultation::Column::AnnouncedOn,
            Expr::value(d.announced_on),
        )
        .col_expr(consultation::Column::OpensOn, Expr::value(d.opens_on))
        .col_expr(consultation::Column::ClosesOn, Expr::value(d.closes_on))
        .col_expr(
            consultation::Column::ReportDueOn,
            Expr::value(d.report_due_on),
        )
        .col_expr(consultation::Column::UpdatedAt, Expr::value(now))
        .filter(consultation::Column::Id.eq(&current.id))
        .filter(consultation::Column::Version.eq(current.version))
        .filter(
            consultation::Column::Phase.is_in([Phase::Draft.as_str(), Phase::Announced.as_str()]),
        )
        .exec(db)
        .await?;
    if r.rows_affected == 0 {
        return Ok(false);
    }
    let id = ConsultationId::parse(&current.id).unwrap_or_default();
    version_row(id, next, c, by, now).insert(db).await?;
    Ok(true)
}

pub async fn find(
    db: &impl ConnectionTrait,
    id: ConsultationId,
) -> Result<Option<consultation::Model>, DbErr> {
    consultation::Entity::find_by_id(id.to_string())
        .one(db)
        .await
}

pub async fn version(
    db: &impl ConnectionTrait,
    id: &str,
    v: i32,
) -> Result<Option<version::Model>, DbErr> {
    version::Entity::find()
        .filter(version::Column::ConsultationId.eq(id))
        .filter(version::Column::Version.eq(v))
        .one(db)
        .await
}

/// Marks a draft published; `false` when it was published already or is not a draft.
pub async fn publish(db: &impl ConnectionTrait, id: &str) -> Result<bool, DbErr> {
    let r = consultation::Entity::update_many()
        .col_expr(
            consultation::Column::PublishedAt,
            Expr::value(Some(super::now())),
        )
        .filter(consultation::Column::Id.eq(id))
        .filter(consultation::Column::Phase.eq(Phase::Draft.as_str()))
        .filter(consultation::Column::PublishedAt.is_null())
        .exec(db)
        .await?;
    Ok(r.rows_affected == 1)
}

/// Moves a consultation from `from` to `to`; `false` when another node did it first.
pub async fn move_phase(
    db: &impl ConnectionTrait,
    id: &str,
    from: Phase,
    to: Phase,
) -> Result<bool, DbErr> {
    let r = consultation::Entity::update_many()
        .col_expr(consultation::Column::Phase, Expr::value(to.as_str()))
        .filter(consultation::Column::Id.eq(id))
        .filter(consultation::Column::Phase.eq(from.as_str()))
        .exec(db)
        .await?;
    Ok(r.rows_affected == 1)
}

/// Published consultations whose dates may move them on `today`: those not yet closed
/// whose next date has come.
pub async fn due_to_move(
    db: &impl ConnectionTrait,
    today: Date,
) -> Result<Vec<consultation::Model>, DbErr> {
    consultation::Entity::find()
        .filter(consultation::Column::PublishedAt.is_not_null())
        .filter(
            Condition::any()
                .add(
                    Condition::all()
                        .add(consultation::Column::Phase.eq(Phase::Draft.as_str()))
                        .add(consultation::Column::AnnouncedOn.lte(today)),
                )
                .add(
                    Condition::all()
                        .add(consultation::Column::Phase.eq(Phase::Announced.as_str()))
                        .add(consultation::Column::OpensOn.lte(today)),
                )
                .add(
                    Condition::all()
                        .add(consultation::Column::Phase.eq(Phase::Open.as_str()))
                        .add(consultation::Column::ClosesOn.lt(today)),
                ),
        )
        .all(db)
        .await
}

/// Reported consultations whose archiving day has come.
pub async fn due_to_archive(
    db: &impl ConnectionTrait,
    today: Date,
) -> Result<Vec<consultation::Model>, DbErr> {
    consultation::Entity::find()
        .filter(consultation::Column::Phase.eq(Phase::Reported.as_str()))
        .filter(consultation::Column::ArchivesOn.lte(today))
        .all(db)
        .await
}

/// Archives a reported consultation, once: `false` when another pass did it first.
pub async fn archive(db: &impl ConnectionTrait, id: &str) -> Result<bool, DbErr> {
    let r = consultation::Entity::update_many()
        .col_expr(
            consultation::Column::Phase,
            Expr::value(Phase::Archived.as_str()),
        )
        .col_expr(
            consultation::Column::ArchivedAt,
            Expr::value(Some(super::now())),
        )
        .filter(consultation::Column::Id.eq(id))
        .filter(consultation::Column::Phase.eq(Phase::Reported.as_str()))
        .exec(db)
        .await?;
    Ok(r.rows_affected == 1)
}

/// Published consultations in `phases`, by opening day (latest first), keyset-paged.
pub async fn list(
    db: &impl ConnectionTrait,
    phases: &[Phase],
    after: Option<(Date, String)>,
    limit: u64,
) -> Result<Vec<consultation::Model>, DbErr> {
    let mut q = consultation::Entity::find()
        .filter(consultation::Column::PublishedAt.is_not_null())
        .filter(consultation::Column::Phase.is_in(phases.iter().map(|p| p.as_str())));
    if let Some((on, id)) = after {
        q = q
            .filter(consultation::Column::OpensOn.lte(on))
            .filter(opening_before(on, id));
    }
    q.order_by_desc(consultation::Column::OpensOn)
        .order_by_desc(consultation::Column::Id)
        .limit(limit)
        .all(db)
        .await
}

/// One person's voice in a consultation: their key (or, anonymous, nothing of them), the
/// version answered, the answers, where it came from and the facts the statistics count.
pub struct Voice<'a> {
    pub participant: &'a str,
    pub version: i32,
    pub data: &'a str,
    /// `online` or `paper`.
    pub channel: &'a str,
    pub area: Option<&'a str>,
    pub age_band: Option<&'a str>,
}

/// The answer a new one replaced: its channel and its data as stored.
pub struct Earlier {
    pub channel: String,
    pub data: String,
}

/// Takes the lock on `participant`'s answer and reads it. On PostgreSQL the row's lock
/// (`FOR UPDATE`); SQLite has one writer at a time, so a write first takes the database's
/// (a read first would make the transaction's later write fail when another came between).
async fn lock_answer(
    txn: &impl ConnectionTrait,
    consultation_id: &str,
    participant: &str,
) -> Result<Option<Earlier>, DbErr> {
    use sea_orm::{DatabaseBackend, QueryTrait};
    let backend = txn.get_database_backend();
    let mut q = answer::Entity::find()
        .select_only()
        .column(answer::Column::Channel)
        .column(answer::Column::Data)
        .filter(answer::Column::ConsultationId.eq(consultation_id))
        .filter(answer::Column::Participant.eq(participant));
    if backend == DatabaseBackend::Postgres {
        q = q.lock_exclusive();
    } else {
        let lock = answer::Entity::update_many()
            .col_expr(
                answer::Column::UpdatedAt,
                Expr::col(answer::Column::UpdatedAt),
            )
            .filter(answer::Column::ConsultationId.eq(consultation_id))
            .filter(answer::Column::Participant.eq(participant))
            .build(backend);
        txn.execute_raw(lock).await?;
    }
    let row = txn.query_one_raw(q.build(backend)).await?;
    row.map(|r| {
        Ok(Earlier {
            channel: r.try_get("", "channel")?,
            data: r.try_get("", "data")?,
        })
    })
    .transpose()
}

/// PostgreSQL: replaces `participant`'s answer, if any, and gives the one replaced (the
/// row locked by the subquery, then updated).
async fn replace_returning_earlier(
    txn: &impl ConnectionTrait,
    consultation_id: &str,
    v: &Voice<'_>,
    now: OffsetDateTime,
) -> Result<Option<Earlier>, DbErr> {
    let row = txn
        .query_one_raw(sea_orm::Statement::from_sql_and_values(
            sea_orm::DatabaseBackend::Postgres,
            "UPDATE consultation_answer AS a SET data = $1, version = $2, channel = $3, area = $4, age_band = $5, updated_at = $6 \
             FROM (SELECT id, channel, data FROM consultation_answer WHERE consultation_id = $7 AND participant = $8 FOR UPDATE) AS old \
             WHERE a.id = old.id RETURNING old.channel AS channel, old.data AS data",
            [
                v.data.into(),
                v.version.into(),
                v.channel.into(),
                v.area.map(str::to_owned).into(),
                v.age_band.map(str::to_owned).into(),
                now.into(),
                consultation_id.into(),
                v.participant.into(),
            ],
        ))
        .await?;
    row.map(|r| {
        Ok(Earlier {
            channel: r.try_get("", "channel")?,
            data: r.try_get("", "data")?,
        })
    })
    .transpose()
}

/// Stores `participant`'s answer, replacing their earlier one, online or paper (the
/// online voice wins), and runs `then(earlier)` (the change to the tally) with it: on
/// PostgreSQL the replacement and `then` go as one statement. Run it in a transaction.
/// Gives the answer replaced, if any.
pub async fn put_answer(
    txn: &impl ConnectionTrait,
    consultation_id: &str,
    v: &Voice<'_>,
    then: impl FnOnce(Option<&Earlier>) -> Option<sea_orm::Statement>,
) -> Result<Option<Earlier>, DbErr> {
    use sea_orm::QueryTrait;
    use sea_orm::sea_query::OnConflict;
    let now = super::now();
    let postgres = txn.get_database_backend() == sea_orm::DatabaseBackend::Postgres;
    if postgres {
        // lock, replace and read the earlier answer in one statement: one round trip
        if let Some(earlier) = replace_returning_earlier(txn, consultation_id, v, now).await? {
            super::execute_all(txn, then(Some(&earlier)).into_iter().collect()).await?;
            return Ok(Some(earlier));
        }
    }
    let mut earlier = if postgres {
        None
    } else {
        lock_answer(txn, consultation_id, v.participant).await?
    };
    if earlier.is_none() {
        let inserted = answer::Entity::insert(answer::ActiveModel {
            id: Set(uuid::Uuid::now_v7().to_string()),
            consultation_id: Set(consultation_id.to_owned()),
            participant: Set(v.participant.to_owned()),
            version: Set(v.version),
            data: Set(v.data.to_owned()),
            channel: Set(v.channel.to_owned()),
            area: Set(v.area.map(str::to_owned)),
            age_band: Set(v.age_band.map(str::to_owned)),
            created_at: Set(now),
            updated_at: Set(now),
        })
        .on_conflict(
            OnConflict::columns([answer::Column::ConsultationId, answer::Column::Participant])
                .do_nothing()
                .to_owned(),
        )
        .exec_without_returning(txn)
        .await?;
        if inserted == 1 {
            super::execute_all(txn, then(None).into_iter().collect()).await?;
            return Ok(None);
        }
        // the same person's answer from another request came first (and is committed now)
        earlier = lock_answer(txn, consultation_id, v.participant).await?;
        if earlier.is_none() {
            return Err(DbErr::RecordNotInserted);
        }
    }
    let replace = answer::Entity::update_many()
        .col_expr(answer::Column::Data, Expr::value(v.data))
        .col_expr(answer::Column::Version, Expr::value(v.version))
        .col_expr(answer::Column::Channel, Expr::value(v.channel))
        .col_expr(answer::Column::Area, Expr::value(v.area))
        .col_expr(answer::Column::AgeBand, Expr::value(v.age_band))
        .col_expr(answer::Column::UpdatedAt, Expr::value(now))
        .filter(answer::Column::ConsultationId.eq(consultation_id))
        .filter(answer::Column::Participant.eq(v.participant))
        .build(txn.get_database_backend());
    let mut writes = vec![replace];
    writes.extend(then(earlier.as_ref()));
    super::execute_all(txn, writes).await?;
    Ok(earlier)
}

async fn insert_answer(
    db: &impl ConnectionTrait,
    consultation_id: &str,
    v: &Voice<'_>,
    id: uuid::Uuid,
    participant: &str,
    at: OffsetDateTime,
) -> Result<(), DbErr> {
    answer::ActiveModel {
        id: Set(id.to_string()),
        consultation_id: Set(consultation_id.to_owned()),
        participant: Set(participant.to_owned()),
        version: Set(v.version),
        data: Set(v.data.to_owned()),
        channel: Set(v.channel.to_owned()),
        area: Set(v.area.map(str::to_owned)),
        age_band: Set(v.age_band.map(str::to_owned)),
        created_at: Set(at),
        updated_at: Set(at),
    }
    .insert(db)
    .await
    .map(drop)
}

/// Stores an accepted paper answer unless the person answered already (online, or on an
/// earlier card): `None` when it counts, or the channel of the voice that counts.
pub async fn add_paper_answer(
    txn: &impl ConnectionTrait,
    consultation_id: &str,
    v: &Voice<'_>,
) -> Result<Option<String>, DbErr> {
    let earlier = answer::Entity::find()
        .filter(answer::Column::ConsultationId.eq(consultation_id))
        .filter(answer::Column::Participant.eq(v.participant))
        .one(txn)
        .await?;
    if let Some(e) = earlier {
        return Ok(Some(e.channel));
    }
    insert_answer(
        txn,
        consultation_id,
        v,
        uuid::Uuid::now_v7(),
        v.participant,
        super::now(),
    )
    .await?;
    Ok(None)
}

/// Records an anonymous answer: that the person answered (their key, once), and apart from
/// it the answer, under a random id and key and stamped only with the day, so nothing in
/// either row leads to the other. `false` when the person answered already. Run it in a
/// transaction.
pub async fn put_anonymous_answer(
    txn: &impl ConnectionTrait,
    consultation_id: &str,
    v: &Voice<'_>,
    day: OffsetDateTime,
) -> Result<bool, DbErr> {
    use super::entity::consultation_participant as who;
    use sea_orm::sea_query::OnConflict;
    let first = who::Entity::insert(who::ActiveModel {
        consultation_id: Set(consultation_id.to_owned()),
        participant: Set(v.participant.to_owned()),
        channel: Set(v.channel.to_owned()),
        area: Set(v.area.map(str::to_owned)),
        age_band: Set(v.age_band.map(str::to_owned)),
    })
    .on_conflict(
        OnConflict::columns([who::Column::ConsultationId, who::Column::Participant])
            .do_nothing()
            .to_owned(),
    )
    .exec_without_returning(txn)
    .await?;
    if first == 0 {
        return Ok(false);
    }
    // the answer keeps the channel (results show paper and online apart), not the facts
    // about the person: those stay with who answered
    let apart = Voice {
        area: None,
        age_band: None,
        ..*v
    };
    let key = uuid::Uuid::new_v4().simple().to_string();
    insert_answer(
        txn,
        consultation_id,
        &apart,
        uuid::Uuid::new_v4(),
        &key,
        day,
    )
    .await?;
    Ok(true)
}

/// Rewrites the answers of an anonymous consultation in a random order under new random
/// ids, in the caller's transaction (the close). Until then the rows lie in the order they
/// came, as do the markers of who answered (`consultation_participant`), so someone reading
/// the database's raw row order (SQLite's rowid, PostgreSQL's heap) could line the two up;
/// afterwards the answers' order and ids are drawn at random. Their content, keys, channel
/// and day stay as they were. The answers are held in memory while rewritten (an anonymous
/// consultation's few thousand; 100,000 answers of 1 KB take 100 MB for the moment).
/// PostgreSQL keeps the old rows' bytes on disk until `VACUUM` reuses their space
/// (docs/consultations.md). Returns the rows rewritten.
pub async fn shuffle_answers(
    txn: &impl ConnectionTrait,
    consultation_id: &str,
) -> Result<u64, DbErr> {
    let mut rows = answer::Entity::find()
        .filter(answer::Column::ConsultationId.eq(consultation_id))
        .all(txn)
        .await?;
    if rows.is_empty() {
        return Ok(0);
    }
    answer::Entity::delete_many()
        .filter(answer::Column::ConsultationId.eq(consultation_id))
        .exec(txn)
        .await?;
    // a random order: each row sorted by a fresh random key
    rows.sort_by_cached_key(|_| uuid::Uuid::new_v4());
    let count = rows.len() as u64;
    for chunk in rows.chunks(500) {
        let models = chunk.iter().map(|r| answer::ActiveModel {
            id: Set(uuid::Uuid::new_v4().to_string()),
            consultation_id: Set(r.consultation_id.clone()),
            participant: Set(r.participant.clone()),
            version: Set(r.version),
            data: Set(r.data.clone()),
            channel: Set(r.channel.clone()),
            area: Set(r.area.clone()),
            age_band: Set(r.age_band.clone()),
            created_at: Set(r.created_at),
            updated_at: Set(r.updated_at),
        });
        answer::Entity::insert_many(models)
            .exec_without_returning(txn)
            .await?;
    }
    Ok(count)
}

/// Answers by channel: `(online, paper)`, from the index `consultation_answer_channel`.
pub async fn count_by_channel(
    db: &impl ConnectionTrait,
    consultation_id: &str,
) -> Result<(u64, u64), DbErr> {
    let rows: Vec<(String, i64)> = answer::Entity::find()
        .select_only()
        .column(answer::Column::Channel)
        .column_as(Expr::cust("COUNT(*)"), "n")
        .filter(answer::Column::ConsultationId.eq(consultation_id))
        .group_by(answer::Column::Channel)
        .into_tuple()
        .all(db)
        .await?;
    let of = |channel: &str| {
        rows.iter()
            .filter(|(c, _)| c == channel)
            .map(|(_, n)| u64::try_from(*n).unwrap_or(0))
            .sum::<u64>()
    };
    Ok((of("online"), of("paper")))
}

pub async fn count_answers(db: &impl ConnectionTrait, consultation_id: &str) -> Result<u64, DbErr> {
    answer::Entity::find()
        .filter(answer::Column::ConsultationId.eq(consultation_id))
        .count(db)
        .await
}

/// One page of answers, oldest first (`consultation_answer_page`).
pub async fn answers(
    db: &impl ConnectionTrait,
    consultation_id: &str,
    after: Option<(OffsetDateTime, String)>,
    limit: u64,
) -> Result<Vec<answer::Model>, DbErr> {
    let mut q = answer::Entity::find().filter(answer::Column::ConsultationId.eq(consultation_id));
    if let Some((at, id)) = after {
        q = q.filter(answer::Column::CreatedAt.gte(at)).filter(
            Condition::any().add(answer::Column::CreatedAt.gt(at)).add(
                Condition::all()
                    .add(answer::Column::CreatedAt.eq(at))
                    .add(answer::Column::Id.gt(id)),
            ),
        );
    }
    q.order_by_asc(answer::Column::CreatedAt)
        .order_by_asc(answer::Column::Id)
        .limit(limit)
        .all(db)
        .await
}

pub struct NewComment<'a> {
    pub consultation_id: &'a str,
    pub participant: &'a str,
    pub author_name: Option<String>,
    pub anchor: String,
    pub body: &'a str,
    /// `published`, or `pending` where comments are moderated before publication.
    pub status: &'a str,
}

pub async fn add_comment(
    db: &impl ConnectionTrait,
    c: NewComment<'_>,
) -> Result<comment::Model, DbErr> {
    comment::ActiveModel {
        id: Set(CommentId::new().to_string()),
        consultation_id: Set(c.consultation_id.to_owned()),
        participant: Set(c.participant.to_owned()),
        author_name: Set(c.author_name),
        anchor: Set(c.anchor),
        body: Set(c.body.to_owned()),
        created_at: Set(super::now()),
        position: Set(None),
        justification: Set(None),
        answered_at: Set(None),
        status: Set(c.status.to_owned()),
        moderation_reason: Set(None),
        moderated_by: Set(None),
        moderated_at: Set(None),
        reports: Set(0),
    }
    .insert(db)
    .await
}

/// All comments of a consultation, in the order they came; those waiting for moderation
/// only with `pending`.
pub async fn comments(
    db: &impl ConnectionTrait,
    consultation_id: &str,
    pending: bool,
) -> Result<Vec<comment::Model>, DbErr> {
    let mut q = comment::Entity::find().filter(comment::Column::ConsultationId.eq(consultation_id));
    if !pending {
        q = q.filter(comment::Column::Status.ne("pending"));
    }
    q.order_by_asc(comment::Column::CreatedAt)
        .order_by_asc(comment::Column::Id)
        .all(db)
        .await
}

/// Records the office's position on a comment of this consultation; `false` when the
/// comment is not this consultation's.
pub async fn answer_comment(
    db: &impl ConnectionTrait,
    consultation_id: &str,
    id: CommentId,
    position: &str,
    justification: &str,
) -> Result<bool, DbErr> {
    let r = comment::Entity::update_many()
        .col_expr(comment::Column::Position, Expr::value(Some(position)))
        .col_expr(
            comment::Column::Justification,
            Expr::value(Some(justification)),
        )
        .col_expr(comment::Column::AnsweredAt, Expr::value(Some(super::now())))
        .filter(comment::Column::Id.eq(id.to_string()))
        .filter(comment::Column::ConsultationId.eq(consultation_id))
        .exec(db)
        .await?;
    Ok(r.rows_affected == 1)
}

/// Stores the statistics fixed at closing, unless some are stored already.
pub async fn fix_statistics(
    db: &impl ConnectionTrait,
    id: &str,
    statistics: &str,
) -> Result<bool, DbErr> {
    let r = consultation::Entity::update_many()
        .col_expr(
            consultation::Column::Statistics,
            Expr::value(Some(statistics)),
        )
        .filter(consultation::Column::Id.eq(id))
        .filter(consultation::Column::Statistics.is_null())
        .exec(db)
        .await?;
    Ok(r.rows_affected == 1)
}

/// Publishes the report of a closed consultation; `false` when it is not closed (any more).
pub async fn publish_report(
    db: &impl ConnectionTrait,
    id: &str,
    report: &str,
    archives_on: Date,
) -> Result<bool, DbErr> {
    let r = consultation::Entity::update_many()
        .col_expr(consultation::Column::Report, Expr::value(Some(report)))
        .col_expr(
            consultation::Column::ArchivesOn,
            Expr::value(Some(archives_on)),
        )
        .col_expr(
            consultation::Column::ReportedAt,
            Expr::value(Some(super::now())),
        )
        .col_expr(
            consultation::Column::Phase,
            Expr::value(Phase::Reported.as_str()),
        )
        .filter(consultation::Column::Id.eq(id))
        .filter(consultation::Column::Phase.eq(Phase::Closed.as_str()))
        .exec(db)
        .await?;
    Ok(r.rows_affected == 1)
}

/// Calls `f` on every answer of a consultation, oldest first, reading a page at a time
/// (`consultation_answer_page`), so a million answers never sit in memory at once.
pub async fn each_answer(
    db: &impl ConnectionTrait,
    consultation_id: &str,
    mut f: impl FnMut(&answer::Model),
) -> Result<(), DbErr> {
    const PAGE: u64 = 5000;
    let mut after = None;
    loop {
        let page = answers(db, consultation_id, after, PAGE).await?;
        page.iter().for_each(&mut f);
        match page.last() {
            Some(last) if page.len() as u64 == PAGE => {
                after = Some((last.created_at, last.id.clone()));
            }
            _ => return Ok(()),
        }
    }
}

/// The console's list: consultations in `phase` (as stored) that `author` may see (the
/// published ones and their own; every one when `None`), latest opening first,
/// keyset-paged (`consultation_phase`).
pub async fn console(
    db: &impl ConnectionTrait,
    phase: Phase,
    author: Option<&str>,
    after: Option<(Date, String)>,
    limit: u64,
) -> Result<Vec<consultation::Model>, DbErr> {
    let mut q = consultation::Entity::find().filter(consultation::Column::Phase.eq(phase.as_str()));
    if let Some(a) = author {
        q = q.filter(
            Condition::any()
                .add(consultation::Column::PublishedAt.is_not_null())
                .add(consultation::Column::CreatedBy.eq(a)),
        );
    }
    if let Some((on, id)) = after {
        q = q.filter(opening_before(on, id));
    }
    q.order_by_desc(consultation::Column::OpensOn)
        .order_by_desc(consultation::Column::Id)
        .limit(limit)
        .all(db)
        .await
}

/// After the row `(on, id)` in the order latest opening first: the keyset condition of the
/// lists of consultations.
fn opening_before(on: Date, id: String) -> Condition {
    Condition::any()
        .add(consultation::Column::OpensOn.lt(on))
        .add(
            Condition::all()
                .add(consultation::Column::OpensOn.eq(on))
                .add(consultation::Column::Id.lt(id)),
        )
}

/// One page of a consultation's public comments (not those waiting for moderation), in
/// the order they came (`consultation_comment_page`).
pub async fn comments_page(
    db: &impl ConnectionTrait,
    consultation_id: &str,
    after: Option<(OffsetDateTime, String)>,
    limit: u64,
) -> Result<Vec<comment::Model>, DbErr> {
    let mut q = comment::Entity::find()
        .filter(comment::Column::ConsultationId.eq(consultation_id))
        .filter(comment::Column::Status.ne("pending"));
    if let Some((at, id)) = after {
        q = q.filter(
            Condition::any().add(comment::Column::CreatedAt.gt(at)).add(
                Condition::all()
                    .add(comment::Column::CreatedAt.eq(at))
                    .add(comment::Column::Id.gt(id)),
            ),
        );
    }
    q.order_by_asc(comment::Column::CreatedAt)
        .order_by_asc(comment::Column::Id)
        .limit(limit)
        .all(db)
        .await
}
