//! The results: on the results day the worker tallies every pool with `tally::tally` under
//! the edition's rule, with a seeded draw for ties whose seed (the hash of the edition's
//! history when voting was over, so nobody knew it before) and outcome go into the
//! history; then the protocol (winners per pool with votes and amounts, leftovers, ballots
//! online and on paper, invalid ones by reason) is signed and published once. Publishing
//! also forgets the edition's secret, so the voters' keys can no longer be recomputed.

use std::collections::BTreeMap;

use serde_json::{Value, json};
use time::format_description::well_known::Rfc3339;

use super::Loaded;
use super::tally::{self, Ballot, Draw, Instance, Project, Rule, Satisfaction};
use crate::db::budget::{ballots, editions, projects};
use crate::db::entity::budget_project as project_row;
use crate::db::participation_history::{self as history, Entry};
use crate::domain::budget::{Status, WinnerRule};
use crate::state::AppState;

/// Ballots read at a time.
const PAGE: u64 = 5_000;

fn rule(r: WinnerRule) -> Rule {
    match r {
        WinnerRule::Greedy => Rule::Greedy,
        WinnerRule::EqualShares { satisfaction } => Rule::EqualShares {
            satisfaction: match satisfaction {
                crate::domain::budget::Satisfaction::Cost => Satisfaction::Cost,
                crate::domain::budget::Satisfaction::Cardinality => Satisfaction::Cardinality,
            },
        },
    }
}

/// The draw's seed: the first 8 bytes of the history's last hash.
pub fn seed_of(head: &str) -> u64 {
    u64::from_str_radix(head.get(..16).unwrap_or("0"), 16).unwrap_or(0)
}

/// The ballots' counts and each pool's valid ballots as project indexes.
pub struct Counted {
    by_pool: BTreeMap<String, Vec<Ballot>>,
    pub channels: BTreeMap<String, u64>,
    pub valid: u64,
    pub invalid: BTreeMap<String, u64>,
}

async fn count(
    app: &AppState,
    edition_id: &str,
    index: &BTreeMap<String, (String, usize)>,
) -> anyhow::Result<Counted> {
    let mut c = Counted {
        by_pool: BTreeMap::new(),
        channels: BTreeMap::new(),
        valid: 0,
        invalid: BTreeMap::new(),
    };
    let mut after: Option<String> = None;
    loop {
        let page = ballots::page(&app.db, edition_id, after.as_deref(), PAGE).await?;
        let Some(last) = page.last() else { break };
        after = Some(last.id.clone());
        for b in &page {
            *c.channels.entry(b.channel.clone()).or_default() += 1;
            if b.status != "valid" {
                let reason = b.reason.clone().unwrap_or_else(|| "unknown".into());
                *c.invalid.entry(reason).or_default() += 1;
                continue;
            }
            c.valid += 1;
            let choices: BTreeMap<String, Vec<(String, u64)>> = serde_json::from_str(&b.choices)?;
            for (pool, picks) in choices {
                let chosen: Vec<(usize, u64)> = picks
                    .iter()
                    .filter_map(|(p, points)| {
                        index
                            .get(p)
                            .filter(|(in_pool, _)| *in_pool == pool)
                            .map(|(_, i)| (*i, *points))
                    })
                    .collect();
                if !chosen.is_empty() {
                    c.by_pool
                        .entry(pool)
                        .or_default()
                        .push(Ballot { choices: chosen });
                }
            }
        }
    }
    Ok(c)
}

fn cost_of(p: &project_row::Model) -> u64 {
    u64::try_from(p.corrected_cost.unwrap_or(p.cost)).unwrap_or(0)
}

/// One pool as the tally sees it: its projects on the ballot, in the instance's order,
/// and the instance (amounts in grosze).
pub struct PoolInstance {
    pub pool: crate::domain::budget::Pool,
    pub projects: Vec<project_row::Model>,
    pub instance: Instance,
}

/// Every pool of `l` with its valid ballots, and the ballots' counts.
pub async fn instances(app: &AppState, l: &Loaded) -> anyhow::Result<(Vec<PoolInstance>, Counted)> {
    // after the tally they are selected or not, and still the ballot the votes name
    let on_ballot = projects::with_status(&app.db, &l.row.id, &Status::ON_BALLOT).await?;
    let mut per_pool: BTreeMap<String, Vec<project_row::Model>> = BTreeMap::new();
    let mut index = BTreeMap::new();
    for p in on_ballot {
        let list = per_pool.entry(p.pool_code.clone()).or_default();
        index.insert(p.id.clone(), (p.pool_code.clone(), list.len()));
        list.push(p);
    }
    let mut counted = count(app, &l.row.id, &index).await?;
    let pools = l
        .edition
        .pools
        .iter()
        .map(|pool| {
            let listed = per_pool.remove(&pool.code).unwrap_or_default();
            let instance = Instance {
                budget: pool.amount,
                projects: listed
                    .iter()
                    .map(|p| Project {
                        id: p.id.clone(),
                        cost: cost_of(p),
                        conflict_group: p.conflict_group.clone(),
                    })
                    .collect(),
                ballots: counted.by_pool.remove(&pool.code).unwrap_or_default(),
                min_votes: l.edition.min_votes,
            };
            PoolInstance {
                pool: pool.clone(),
                projects: listed,
                instance,
            }
        })
        .collect();
    Ok((pools, counted))
}

/// Grosze to one złoty: the Method of Equal Shares' completion raises the voters' budget
/// one złoty at a time.
const GROSZE: u64 = 100;

/// Tallies `l` and publishes its protocol; `false` when another node did it first.
pub async fn publish(app: &AppState, l: &Loaded) -> anyhow::Result<bool> {
    let edition_id = &l.row.id;
    // the count is whole only when every paper card typed in has had its second clerk
    let pending = crate::db::paper::list(
        &app.db,
        <super::paper::Ballots as crate::participation::paper::Instrument>::NAME,
        edition_id,
        Some(crate::db::paper::PENDING),
        None,
        1,
    )
    .await?;
    if !pending.is_empty() {
        tracing::warn!(budget.edition = %edition_id, "paper ballots wait for a second clerk: the results wait for them");
        return Ok(false);
    }
    let (instances, counted) = instances(app, l).await?;
    let head = history::list(&app.db, edition_id)
        .await?
        .last()
        .map(|e| e.hash.clone())
        .unwrap_or_default();
    let seed = seed_of(&head);
    let mut draw = Draw::new(seed);
    let mut pools = Vec::new();
    let mut winners_all: Vec<String> = Vec::new();
    let mut ties_all = Vec::new();
    for PoolInstance {
        pool,
        projects: listed,
        instance,
    } in &instances
    {
        let t = tally::tally_in_units(instance, rule(l.edition.rule), GROSZE, &mut draw)
            .map_err(|e| anyhow::anyhow!("pool {}: {e}", pool.code))?;
        let winners: Vec<String> = t.winners.iter().map(|&i| listed[i].id.clone()).collect();
        winners_all.extend(winners.iter().cloned());
        ties_all.extend(t.ties.iter().cloned());
        pools.push(json!({
            "code": pool.code,
            "name": pool.name,
            "area": pool.area,
            "amount": pool.amount,
            "spent": t.spent,
            "leftover": pool.amount.saturating_sub(t.spent),
            "ballots": instance.ballots.len(),
            "winners": winners,
            "ties": t.ties,
            "projects": listed.iter().enumerate().map(|(i, p)| json!({
                "id": p.id,
                "title": p.title,
                "cost": cost_of(p),
                "votes": t.votes.get(i).copied().unwrap_or(0),
                "conflict_group": p.conflict_group,
                "selected": t.winners.contains(&i),
            })).collect::<Vec<_>>(),
        }));
    }
    let at = time::OffsetDateTime::now_utc().format(&Rfc3339)?;
    let mut protocol = json!({
        "id": edition_id,
        "edition_id": edition_id,
        "title": l.edition.title,
        "at": at,
        "legal_basis": l.edition.legal_basis,
        "rule": l.edition.rule,
        "min_votes": l.edition.min_votes,
        "seed": format!("{seed:016x}"),
        "ballots": {
            "online": counted.channels.get("online").copied().unwrap_or(0),
            "paper": counted.channels.get("paper").copied().unwrap_or(0),
            "valid": counted.valid,
            "invalid": counted.invalid,
        },
        "pools": pools,
    });
    // an edition imported from a pabulib file (`import`) has its votes on neither channel
    if let Some(n) = counted.channels.get("import") {
        protocol["ballots"]["imported"] = json!(n);
    }
    let protocol = super::signature::seal(
        &app.keys,
        &app.settings.base_url(),
        super::signature::PROTOCOL_TYPE,
        protocol,
    )?;
    let txn = sea_orm::TransactionTrait::begin(&app.db).await?;
    history::append(
        &txn,
        edition_id,
        Entry {
            actor: "worker",
            actor_name: "okienko",
            action: "tallied",
            detail: format!(
                "seed {seed:016x} (from the history's hash {head}); ties drawn: {}",
                serde_json::to_string(&ties_all)?
            ),
        },
    )
    .await?;
    // `l` was read before the pending cards were looked at: a card typed in or accepted
    // since then moved `paper_seq`, and the next pass counts again
    if !editions::publish_protocol(&txn, edition_id, l.row.paper_seq, &protocol.to_string()).await?
    {
        tracing::info!(budget.edition = %edition_id, "paper cards changed during the count, or another node published: counted again on the next pass");
        return Ok(false);
    }
    projects::mark_results(&txn, edition_id, &winners_all).await?;
    history::append(
        &txn,
        edition_id,
        Entry {
            actor: "worker",
            actor_name: "okienko",
            action: "results_published",
            detail: format!(
                "SHA3-256 {}",
                crate::participation::signing::digest(&protocol)
            ),
        },
    )
    .await?;
    txn.commit().await?;
    tracing::info!(budget.edition = %edition_id, winners = winners_all.len(), seed = %format!("{seed:016x}"), "budget results published");
    Ok(true)
}

/// The published protocol, if any.
pub fn protocol(l: &Loaded) -> Option<Value> {
    l.row
        .protocol
        .as_deref()
        .and_then(|p| serde_json::from_str(p).ok())
}
