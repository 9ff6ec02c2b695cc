//! A session as anyone may see it: the agenda with each item's majority, who is present and
//! whether there is a quorum (u.s.g. art. 14), the vote under way (how many have voted,
//! not how), and every closed vote with its result and named list (art. 14: the lists are
//! made public), the resolutions, the recording (art. 20 ust. 1b) and the minutes. The
//! live screen, the API and the pages all show this. A secret vote (u.s.g. art. 19 ust. 1)
//! shows how many voted and its counts, never a named list.

use sea_orm::ConnectionTrait;
use serde::Serialize;
use time::format_description::well_known::Rfc3339;

use crate::config::Council;
use crate::db::entity::{council_item, council_session as session, council_vote};
use crate::db::{council as db, council_votes as votes};
use crate::domain::clock;
use crate::domain::council::{Choice, Majority, has_quorum, quorum};

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct SessionView {
    pub id: String,
    pub title: String,
    /// RFC 3339, and as Polish pages print it.
    pub starts_at: String,
    pub starts_at_pl: String,
    pub place: String,
    /// `planned`, `open` or `closed`.
    pub status: String,
    pub status_label: &'static str,
    pub chair: Option<String>,
    pub recording_url: Option<String>,
    pub minutes_url: Option<String>,
    pub statutory: u32,
    pub quorum: u32,
    pub present: Vec<String>,
    pub present_count: u32,
    pub has_quorum: bool,
    pub items: Vec<ItemView>,
    /// The vote under way, if any.
    pub current: Option<VoteView>,
    /// The session's history length: changes whenever anything happens.
    pub events: i32,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ItemView {
    pub id: String,
    pub position: i32,
    pub title: String,
    pub case_sign: Option<String>,
    pub majority: String,
    pub majority_label: String,
    pub resolution_no: Option<String>,
    pub resolution_text: Option<String>,
    /// The statute that makes its vote secret; `None`: open, named votes.
    pub secret_basis: Option<String>,
    pub votes: Vec<VoteView>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct VoteView {
    pub id: String,
    pub item_id: String,
    pub item_title: String,
    /// `open` or `closed`.
    pub status: String,
    pub majority_label: String,
    pub opened_at: String,
    pub closed_at: Option<String>,
    pub present: i32,
    /// Votes cast so far.
    pub cast: u32,
    pub votes_for: Option<i32>,
    pub votes_against: Option<i32>,
    pub votes_abstain: Option<i32>,
    pub adopted: Option<bool>,
    pub result: Option<String>,
    /// A secret vote: counts only, never a named list.
    pub secret: bool,
    /// The named list, once an open vote is closed; always empty for a secret one.
    pub named: Vec<NamedVote>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct NamedVote {
    pub name: String,
    pub choice: String,
    pub choice_label: &'static str,
}

pub fn status_label(s: &str) -> &'static str {
    match s {
        "planned" => "zaplanowana",
        "open" => "w toku",
        _ => "zakończona",
    }
}

fn rfc(t: time::OffsetDateTime) -> String {
    t.format(&Rfc3339).unwrap_or_default()
}

/// `at` as Polish pages print it: `10.12.2026, 16:00`.
pub fn pl_time(at: time::OffsetDateTime) -> String {
    let local = clock::in_poland(at);
    format!(
        "{}, {:02}:{:02}",
        clock::pl_date(local.date()),
        local.hour(),
        local.minute()
    )
}

fn majority_label(raw: &str) -> String {
    Majority::parse(raw).map_or_else(|_| raw.to_owned(), Majority::label_pl)
}

async fn vote_view(
    db: &impl ConnectionTrait,
    v: &council_vote::Model,
    item: Option<&council_item::Model>,
) -> Result<VoteView, sea_orm::DbErr> {
    let ballots = votes::ballots(db, &v.id).await?;
    let closed = v.status == "closed";
    let named = if closed && !v.secret {
        ballots
            .iter()
            .map(|b| NamedVote {
                name: b.name.clone(),
                choice: b.choice.clone(),
                choice_label: Choice::parse(&b.choice).map_or("", Choice::label_pl),
            })
            .collect()
    } else {
        Vec::new()
    };
    Ok(VoteView {
        id: v.id.clone(),
        item_id: v.item_id.clone(),
        item_title: item.map(|i| i.title.clone()).unwrap_or_default(),
        status: v.status.clone(),
        majority_label: majority_label(&v.majority),
        opened_at: rfc(v.opened_at),
        closed_at: v.closed_at.map(rfc),
        present: v.present,
        cast: u32::try_from(ballots.len()).unwrap_or(u32::MAX),
        votes_for: v.votes_for,
        votes_against: v.votes_against,
        votes_abstain: v.votes_abstain,
        adopted: v.adopted,
        result: v.result.clone(),
        secret: v.secret,
        named,
    })
}

/// The session as anyone sees it, read from the database.
pub async fn session_view(
    db: &impl ConnectionTrait,
    council: &Council,
    s: &session::Model,
) -> Result<SessionView, sea_orm::DbErr> {
    let items = db::items(db, &s.id).await?;
    let all_votes = votes::votes(db, &s.id).await?;
    let present: Vec<String> = votes::present(db, &s.id)
        .await?
        .into_iter()
        .map(|a| a.name)
        .collect();
    let mut views: Vec<ItemView> = items
        .iter()
        .map(|i| ItemView {
            id: i.id.clone(),
            position: i.position,
            title: i.title.clone(),
            case_sign: i.case_sign.clone(),
            majority: i.majority.clone(),
            majority_label: majority_label(&i.majority),
            resolution_no: i.resolution_no.clone(),
            resolution_text: i.resolution_text.clone(),
            secret_basis: i.secret_basis.clone(),
            votes: Vec::new(),
        })
        .collect();
    let mut current = None;
    for v in &all_votes {
        let item = items.iter().find(|i| i.id == v.item_id);
        let view = vote_view(db, v, item).await?;
        if v.status == "open" {
            current = Some(view.clone());
        }
        if let Some(iv) = views.iter_mut().find(|i| i.id == v.item_id) {
            iv.votes.push(view);
        }
    }
    let statutory = council.statutory_members;
    let present_count = u32::try_from(present.len()).unwrap_or(u32::MAX);
    let chair = super::chair_of(council, s).map(|m| m.name.clone());
    Ok(SessionView {
        id: s.id.clone(),
        title: s.title.clone(),
        starts_at: rfc(s.starts_at),
        starts_at_pl: pl_time(s.starts_at),
        place: s.place.clone(),
        status: s.status.clone(),
        status_label: status_label(&s.status),
        chair,
        recording_url: s.recording_url.clone(),
        minutes_url: s.minutes_url.clone(),
        statutory,
        quorum: quorum(statutory),
        present,
        present_count,
        has_quorum: has_quorum(present_count, statutory),
        items: views,
        current,
        events: s.events,
    })
}
