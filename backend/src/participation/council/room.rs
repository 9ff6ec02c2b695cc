//! The session itself (eRada): the office opens it; councillors sign in on their own
//! devices and their attendance is recorded; the chair opens a vote on an item once there
//! is a quorum (u.s.g. art. 14), each present councillor votes from their own device (no
//! one votes for another), the chair closes it and the result follows the item's majority,
//! frozen at opening. A closed vote never changes. Every change holds the session's lock,
//! goes into its hash-chained history and wakes the live screen.

use sea_orm::TransactionTrait;
use sea_orm::sea_query::Expr;
use serde_json::json;

use super::{chair_of, councillor, councillor_actor, office, record, record_all, session};
use crate::db::cases::Actor;
use crate::db::entity::{council_session as row, council_vote};
use crate::db::{council as db, council_votes as votes};
use crate::domain::council::{Choice, Majority, Tally, has_quorum, quorum, result};
use crate::domain::identity::Identity;
use crate::domain::ids::{AgendaItemId, VoteId};
use crate::error::{AppError, AppResult};
use crate::state::AppState;

/// Locks the session `id` for this transaction; 404 when there is none.
async fn locked(txn: &impl sea_orm::ConnectionTrait, id: &str) -> AppResult<row::Model> {
    db::lock(txn, id)
        .await?
        .ok_or(AppError::NotFound("session"))
}

fn must_be_open(s: &row::Model) -> AppResult<()> {
    match s.status.as_str() {
        "open" => Ok(()),
        "planned" => Err(AppError::Conflict(
            "sesja nie została jeszcze otwarta".into(),
        )),
        _ => Err(AppError::Conflict("sesja została zamknięta".into())),
    }
}

/// The office opens (`open`) or closes (`close`) the session; a session with a vote under
/// way is not closed.
pub async fn set_status(
    app: &AppState,
    who: Option<&Identity>,
    id: &str,
    to: &str,
) -> AppResult<row::Model> {
    let actor = office(app, who)?;
    let s = session(app, id).await?;
    let txn = app.db.begin().await?;
    let s = locked(&txn, &s.id).await?;
    match (s.status.as_str(), to) {
        ("planned", "open") => {}
        ("open", "closed") => {
            if votes::votes(&txn, &s.id)
                .await?
                .iter()
                .any(|v| v.status == "open")
            {
                return Err(AppError::Conflict(
                    "trwa głosowanie; przewodniczący musi je najpierw zamknąć".into(),
                ));
            }
        }
        (from, _) => {
            return Err(AppError::Conflict(format!(
                "sesji w stanie „{}” nie można {}",
                super::view::status_label(from),
                if to == "open" {
                    "otworzyć"
                } else {
                    "zamknąć"
                }
            )));
        }
    }
    db::update_session(&txn, &s.id, vec![(row::Column::Status, Expr::value(to))]).await?;
    record(&txn, &s.id, &actor, to, json!({})).await?;
    txn.commit().await?;
    app.council_live.changed(&s.id);
    tracing::info!(council.session = %s.id, to, "session status");
    session(app, &s.id).await
}

/// A councillor signs in to an open session from their device; their attendance is
/// recorded once. Returns whether this sign-in recorded it.
pub async fn sign_in(app: &AppState, who: Option<&Identity>, id: &str) -> AppResult<bool> {
    let c = councillor(app, who)?;
    let s = session(app, id).await?;
    let txn = app.db.begin().await?;
    let s = locked(&txn, &s.id).await?;
    must_be_open(&s)?;
    let fresh = votes::sign_in(&txn, &s.id, &c.login, &c.name).await?;
    if fresh {
        record(
            &txn,
            &s.id,
            &councillor_actor(c, "radny"),
            "present",
            json!({}),
        )
        .await?;
        txn.commit().await?;
        app.council_live.changed(&s.id);
    }
    Ok(fresh)
}

/// The chair of the session; anyone else is refused.
fn chair(app: &AppState, who: Option<&Identity>, s: &row::Model) -> AppResult<Actor> {
    let c = councillor(app, who)?;
    match chair_of(&app.settings.council, s) {
        Some(ch) if ch.login == c.login => Ok(councillor_actor(c, "przewodniczący obrad")),
        _ => Err(AppError::Forbidden(
            "głosowania otwiera i zamyka przewodniczący obrad".into(),
        )),
    }
}

/// The chair opens a vote on an item of the session: one vote at a time, with a quorum
/// (u.s.g. art. 14), not on an item adopted already. The item's rule and the statutory
/// number are frozen in the vote.
pub async fn open_vote(
    app: &AppState,
    who: Option<&Identity>,
    id: &str,
    item_id: &str,
) -> AppResult<council_vote::Model> {
    let s = session(app, id).await?;
    let actor = chair(app, who, &s)?;
    let item_id = AgendaItemId::parse(item_id).ok_or(AppError::NotFound("item"))?;
    let item = db::item(&app.db, &item_id.to_string())
        .await?
        .filter(|i| i.session_id == s.id)
        .ok_or(AppError::NotFound("item"))?;
    let rule = Majority::parse(&item.majority).map_err(|e| anyhow::anyhow!(e))?;
    let txn = app.db.begin().await?;
    let s = locked(&txn, &s.id).await?;
    must_be_open(&s)?;
    let all = votes::votes(&txn, &s.id).await?;
    if all.iter().any(|v| v.status == "open") {
        return Err(AppError::Conflict(
            "trwa inne głosowanie; zamknij je najpierw".into(),
        ));
    }
    if all
        .iter()
        .any(|v| v.item_id == item.id && v.adopted == Some(true))
    {
        return Err(AppError::Conflict(
            "ten punkt został już przyjęty w głosowaniu".into(),
        ));
    }
    let statutory = app.settings.council.statutory_members;
    let present = u32::try_from(votes::present(&txn, &s.id).await?.len()).unwrap_or(u32::MAX);
    if !has_quorum(present, statutory) {
        return Err(AppError::Conflict(format!(
            "brak kworum: obecnych {present}, potrzeba co najmniej {} z ustawowego składu {statutory} (art. 14 ustawy o samorządzie gminnym)",
            quorum(statutory)
        )));
    }
    let n = |x: u32| i32::try_from(x).unwrap_or(i32::MAX);
    let vote = votes::open(
        &txn,
        votes::NewVote {
            session_id: &s.id,
            item_id: &item.id,
            majority: &rule.as_string(),
            statutory: n(statutory),
            present: n(present),
            secret: item.secret_basis.is_some(),
        },
    )
    .await?;
    record(
        &txn,
        &s.id,
        &actor,
        "vote_opened",
        json!({ "vote": vote.id, "item": item.position, "title": item.title, "majority": rule.label_pl(), "present": present, "secret_basis": item.secret_basis }),
    )
    .await?;
    txn.commit().await?;
    app.council_live.changed(&s.id);
    Ok(vote)
}

/// The vote `vote_id` of the session `id`, or 404.
async fn vote_of(app: &AppState, id: &str, vote_id: &str) -> AppResult<council_vote::Model> {
    let v = VoteId::parse(vote_id).ok_or(AppError::NotFound("vote"))?;
    votes::vote(&app.db, &v.to_string())
        .await?
        .filter(|v| v.session_id == id)
        .ok_or(AppError::NotFound("vote"))
}

/// A councillor votes on an open vote, for themselves only: `login` is the councillor the
/// vote is cast for, and must be the one logged in (403 otherwise). Present councillors
/// only, once; nothing after closing.
pub async fn cast(
    app: &AppState,
    who: Option<&Identity>,
    id: &str,
    vote_id: &str,
    login: &str,
    choice: &str,
) -> AppResult<()> {
    let c = councillor(app, who)?;
    if c.login != login {
        return Err(AppError::Forbidden(
            "radny głosuje wyłącznie osobiście, za siebie (art. 14 ustawy o samorządzie gminnym)"
                .into(),
        ));
    }
    let choice = Choice::parse(choice).ok_or_else(|| {
        AppError::bad_request(
            "choice",
            "`choice` to for (za), against (przeciw) albo abstain (wstrzymuję się)",
        )
    })?;
    let s = session(app, id).await?;
    let v = vote_of(app, &s.id, vote_id).await?;
    // attendance is never withdrawn: checked before taking the session's turn
    if !votes::present(&app.db, &s.id)
        .await?
        .iter()
        .any(|a| a.login == c.login)
    {
        return Err(AppError::Conflict(
            "najpierw potwierdź obecność na sesji".into(),
        ));
    }
    if v.secret {
        return cast_secret(app, &s.id, &v.id, c, choice).await;
    }
    if !votes::cast(&app.db, &v.id, &c.login, &c.name, choice).await? {
        let closed = votes::vote(&app.db, &v.id)
            .await?
            .is_none_or(|v| v.status != "open");
        if closed {
            return Err(AppError::Conflict(
                "głosowanie zostało zamknięte; głosu nie można już oddać ani zmienić".into(),
            ));
        }
        let had = votes::ballot(&app.db, &v.id, &c.login).await?;
        return Err(AppError::Conflict(format!(
            "głos został już oddany ({}); głosuje się raz",
            had.and_then(|b| Choice::parse(&b.choice))
                .map_or("", Choice::label_pl)
        )));
    }
    app.council_live.changed(&s.id);
    Ok(())
}

/// A secret vote (u.s.g. art. 19 ust. 1): the choice is counted on the vote, the ballot
/// records only that the councillor voted, both or neither; a refusal never repeats how
/// they voted.
async fn cast_secret(
    app: &AppState,
    session_id: &str,
    vote_id: &str,
    c: &crate::config::Councillor,
    choice: Choice,
) -> AppResult<()> {
    let txn = app.db.begin().await?;
    if !votes::cast_secret(&txn, vote_id, &c.login, &c.name, choice).await? {
        txn.rollback().await?;
        let closed = votes::vote(&app.db, vote_id)
            .await?
            .is_none_or(|v| v.status != "open");
        return Err(AppError::Conflict(if closed {
            "głosowanie zostało zamknięte; głosu nie można już oddać".into()
        } else {
            "głos został już oddany; głosuje się raz (głosowanie tajne)".into()
        }));
    }
    txn.commit().await?;
    app.council_live.changed(session_id);
    Ok(())
}

/// The chair closes a vote: the votes cast are counted against the rule frozen at opening,
/// and the result is fixed.
pub async fn close_vote(
    app: &AppState,
    who: Option<&Identity>,
    id: &str,
    vote_id: &str,
) -> AppResult<council_vote::Model> {
    let s = session(app, id).await?;
    let actor = chair(app, who, &s)?;
    let v = vote_of(app, &s.id, vote_id).await?;
    let rule = Majority::parse(&v.majority).map_err(|e| anyhow::anyhow!(e))?;
    let txn = app.db.begin().await?;
    locked(&txn, &s.id).await?;
    // closed first: from here no vote can be written, and every one written is counted
    if !votes::mark_closed(&txn, &v.id).await? {
        return Err(AppError::Conflict(
            "głosowanie zostało już zamknięte".into(),
        ));
    }
    let mut ballots = votes::ballots(&txn, &v.id).await?;
    ballots.sort_by(|a, b| (a.at, &a.login).cmp(&(b.at, &b.login)));
    let mut tally = Tally::default();
    if v.secret {
        // counted on the vote's row, read after closing waited for every vote being cast
        let counted = votes::vote(&txn, &v.id)
            .await?
            .ok_or(AppError::NotFound("vote"))?;
        let n = |x: i32| u32::try_from(x).unwrap_or(0);
        tally = Tally {
            for_: n(counted.secret_for),
            against: n(counted.secret_against),
            abstain: n(counted.secret_abstain),
        };
    } else {
        for b in &ballots {
            if let Some(c) = Choice::parse(&b.choice) {
                tally.add(c);
            }
        }
    }
    let statutory = u32::try_from(v.statutory).unwrap_or(0);
    let (adopted, text) = result(rule, statutory, tally);
    votes::set_result(&txn, &v.id, tally, adopted, &text).await?;
    // each vote cast, in the order cast, then the result: sealed into the session's history
    let mut entries: Vec<(Actor, &str, serde_json::Value)> = ballots
        .iter()
        .map(|b| {
            let by = Actor {
                id: b.login.clone(),
                name: b.name.clone(),
                position: "radny".into(),
            };
            let at =
                b.at.format(&time::format_description::well_known::Rfc3339)
                    .unwrap_or_default();
            // a secret vote's entry says that they voted, never how
            let detail = if v.secret {
                json!({ "vote": v.id, "secret": true, "at": at })
            } else {
                json!({ "vote": v.id, "choice": b.choice, "at": at })
            };
            (by, "voted", detail)
        })
        .collect();
    entries.push((
        actor,
        "vote_closed",
        json!({ "vote": v.id, "secret": v.secret, "for": tally.for_, "against": tally.against, "abstain": tally.abstain, "adopted": adopted, "result": text }),
    ));
    record_all(&txn, &s.id, &entries).await?;
    txn.commit().await?;
    app.council_live.changed(&s.id);
    tracing::info!(council.session = %s.id, council.vote = %v.id, adopted, "vote closed");
    votes::vote(&app.db, &v.id)
        .await?
        .ok_or(AppError::NotFound("vote"))
}
