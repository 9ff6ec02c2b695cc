//! A session's attendance, electronic votes and each councillor's vote. Every write here
//! runs in a transaction that holds the session's lock (`db::council::lock`).

use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait,
    QueryFilter, QueryOrder,
};

use super::entity::{
    council_attendance as attendance, council_ballot as ballot, council_vote as vote,
};
use crate::domain::council::{Choice, Tally};

/// Records `login` present; `false` when they were already.
pub async fn sign_in(
    txn: &impl ConnectionTrait,
    session_id: &str,
    login: &str,
    name: &str,
) -> Result<bool, DbErr> {
    let here = attendance::Entity::find_by_id((session_id.to_owned(), login.to_owned()))
        .one(txn)
        .await?;
    if here.is_some() {
        return Ok(false);
    }
    attendance::ActiveModel {
        session_id: Set(session_id.to_owned()),
        login: Set(login.to_owned()),
        name: Set(name.to_owned()),
        at: Set(super::now()),
    }
    .insert(txn)
    .await?;
    Ok(true)
}

pub async fn present(
    db: &impl ConnectionTrait,
    session_id: &str,
) -> Result<Vec<attendance::Model>, DbErr> {
    attendance::Entity::find()
        .filter(attendance::Column::SessionId.eq(session_id))
        .order_by_asc(attendance::Column::Name)
        .all(db)
        .await
}

pub struct NewVote<'a> {
    pub session_id: &'a str,
    pub item_id: &'a str,
    pub majority: &'a str,
    pub statutory: i32,
    pub present: i32,
    pub secret: bool,
}

pub async fn open(txn: &impl ConnectionTrait, v: NewVote<'_>) -> Result<vote::Model, DbErr> {
    vote::ActiveModel {
        id: Set(uuid::Uuid::now_v7().to_string()),
        session_id: Set(v.session_id.to_owned()),
        item_id: Set(v.item_id.to_owned()),
        status: Set("open".into()),
        majority: Set(v.majority.to_owned()),
        statutory: Set(v.statutory),
        present: Set(v.present),
        opened_at: Set(super::now()),
        closed_at: Set(None),
        votes_for: Set(None),
        votes_against: Set(None),
        votes_abstain: Set(None),
        adopted: Set(None),
        result: Set(None),
        secret: Set(v.secret),
        secret_for: Set(0),
        secret_against: Set(0),
        secret_abstain: Set(0),
    }
    .insert(txn)
    .await
}

/// The session's votes in the order they were opened.
pub async fn votes(db: &impl ConnectionTrait, session_id: &str) -> Result<Vec<vote::Model>, DbErr> {
    vote::Entity::find()
        .filter(vote::Column::SessionId.eq(session_id))
        .order_by_asc(vote::Column::OpenedAt)
        .order_by_asc(vote::Column::Id)
        .all(db)
        .await
}

pub async fn vote(db: &impl ConnectionTrait, id: &str) -> Result<Option<vote::Model>, DbErr> {
    vote::Entity::find_by_id(id.to_owned()).one(db).await
}

/// Records a councillor's vote in one statement, without taking the session's turn, so a
/// council's members vote side by side: written only while the vote is open (on PostgreSQL
/// under a share lock on the vote's row, which the chair's closing waits for, so no vote
/// lands after the count; SQLite runs one writer at a time) and only once (the table's
/// key). `false`: nothing was written (the vote is closed, or they voted already).
pub async fn cast(
    db: &impl ConnectionTrait,
    vote_id: &str,
    login: &str,
    name: &str,
    choice: Choice,
) -> Result<bool, DbErr> {
    use sea_orm::{DbBackend, Statement, Value};
    let backend = db.get_database_backend();
    let mut values: Vec<Value> = vec![
        vote_id.into(),
        login.into(),
        name.into(),
        choice.as_str().into(),
        super::now().into(),
    ];
    let sql = if backend == DbBackend::Postgres {
        "INSERT INTO council_ballot (vote_id, login, name, choice, at) SELECT $1, $2, $3, $4, $5 \
         WHERE EXISTS (SELECT 1 FROM council_vote WHERE id = $1 AND status = 'open' FOR SHARE) \
         ON CONFLICT (vote_id, login) DO NOTHING"
    } else {
        values.push(vote_id.into());
        "INSERT INTO council_ballot (vote_id, login, name, choice, at) SELECT ?, ?, ?, ?, ? \
         WHERE EXISTS (SELECT 1 FROM council_vote WHERE id = ? AND status = 'open') \
         ON CONFLICT (vote_id, login) DO NOTHING"
    };
    let res = db
        .execute_raw(Statement::from_sql_and_values(backend, sql, values))
        .await?;
    Ok(res.rows_affected() == 1)
}

/// The choice a secret vote's ballot row holds: that the councillor voted, never how.
pub const SECRET: &str = "secret";

/// Records a councillor's secret vote (the caller's transaction, not the session's turn):
/// the choice is counted on the vote's row, while it is open, and the ballot row records
/// only that they voted, once. The count comes first, taking the vote's row lock, so the
/// ballot written after it can never wait on another voter's. `false`: nothing was kept
/// (closed, or they voted already: the caller rolls the transaction back).
pub async fn cast_secret(
    txn: &impl ConnectionTrait,
    vote_id: &str,
    login: &str,
    name: &str,
    choice: Choice,
) -> Result<bool, DbErr> {
    let column = match choice {
        Choice::For => vote::Column::SecretFor,
        Choice::Against => vote::Column::SecretAgainst,
        Choice::Abstain => vote::Column::SecretAbstain,
    };
    let counted = vote::Entity::update_many()
        .col_expr(column, Expr::col(column).add(1))
        .filter(vote::Column::Id.eq(vote_id))
        .filter(vote::Column::Status.eq("open"))
        .filter(vote::Column::Secret.eq(true))
        .exec(txn)
        .await?;
    if counted.rows_affected != 1 {
        return Ok(false);
    }
    let res = ballot::Entity::insert(ballot::ActiveModel {
        vote_id: Set(vote_id.to_owned()),
        login: Set(login.to_owned()),
        name: Set(name.to_owned()),
        choice: Set(SECRET.to_owned()),
        at: Set(super::now()),
    })
    .on_conflict(
        sea_orm::sea_query::OnConflict::columns([ballot::Column::VoteId, ballot::Column::Login])
            .do_nothing()
            .to_owned(),
    )
    .exec_without_returning(txn)
    .await?;
    Ok(res == 1)
}

/// Votes cast so far in the session's vote under way: with the session's change counter,
/// what other nodes' live views poll (a vote cast does not take the session's turn).
pub async fn open_ballots(db: &impl ConnectionTrait, session_id: &str) -> Result<u64, DbErr> {
    use sea_orm::PaginatorTrait;
    let open: Vec<String> = vote::Entity::find()
        .filter(vote::Column::SessionId.eq(session_id))
        .filter(vote::Column::Status.eq("open"))
        .all(db)
        .await?
        .into_iter()
        .map(|v| v.id)
        .collect();
    if open.is_empty() {
        return Ok(0);
    }
    ballot::Entity::find()
        .filter(ballot::Column::VoteId.is_in(open))
        .count(db)
        .await
}

pub async fn ballot(
    db: &impl ConnectionTrait,
    vote_id: &str,
    login: &str,
) -> Result<Option<ballot::Model>, DbErr> {
    ballot::Entity::find_by_id((vote_id.to_owned(), login.to_owned()))
        .one(db)
        .await
}

/// The named list of a vote, by name.
pub async fn ballots(
    db: &impl ConnectionTrait,
    vote_id: &str,
) -> Result<Vec<ballot::Model>, DbErr> {
    ballot::Entity::find()
        .filter(ballot::Column::VoteId.eq(vote_id))
        .order_by_asc(ballot::Column::Name)
        .all(db)
        .await
}

/// Closes a vote (the caller holds the session's turn); `false` when it was closed
/// already. On PostgreSQL this waits for votes being written (their share lock): after it,
/// the ballots are all there and no more can come.
pub async fn mark_closed(txn: &impl ConnectionTrait, vote_id: &str) -> Result<bool, DbErr> {
    let res = vote::Entity::update_many()
        .col_expr(vote::Column::Status, Expr::value("closed"))
        .col_expr(vote::Column::ClosedAt, Expr::value(super::now()))
        .filter(vote::Column::Id.eq(vote_id))
        .filter(vote::Column::Status.eq("open"))
        .exec(txn)
        .await?;
    Ok(res.rows_affected == 1)
}

/// Fixes a closed vote's result.
pub async fn set_result(
    txn: &impl ConnectionTrait,
    vote_id: &str,
    tally: Tally,
    adopted: bool,
    result: &str,
) -> Result<(), DbErr> {
    let n = |x: u32| i32::try_from(x).unwrap_or(i32::MAX);
    vote::Entity::update_many()
        .col_expr(vote::Column::VotesFor, Expr::value(n(tally.for_)))
        .col_expr(vote::Column::VotesAgainst, Expr::value(n(tally.against)))
        .col_expr(vote::Column::VotesAbstain, Expr::value(n(tally.abstain)))
        .col_expr(vote::Column::Adopted, Expr::value(adopted))
        .col_expr(vote::Column::Result, Expr::value(result))
        .filter(vote::Column::Id.eq(vote_id))
        .exec(txn)
        .await?;
    Ok(())
}
