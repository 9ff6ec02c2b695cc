//! Importing a pabulib `.pb` file as an edition (`okienko budget import FILE`), so a town
//! hall can rerun a past edition under okienko's rules, or try another rule on it: one
//! pool (the whole gmina) with the file's budget, its projects on the ballot with their
//! costs and names, and every vote as a valid ballot (channel `import`, no voters: the file
//! has none to key). The windows are set in the past up to today, the rules frozen, and
//! the worker tallies and publishes the signed protocol on its next pass.
//!
//! Bounded as `pabulib` reads (size, projects, votes); the file's errors name its line.

use std::collections::BTreeMap;

use sea_orm::TransactionTrait;
use serde_json::json;
use sha3::Digest;
use time::Duration;

use super::pabulib::{PbError, PbFile, VoteType};
use super::{Loaded, today};
use crate::db::budget::{ballots, editions, projects};
use crate::db::participation_history::{self as history, Entry};
use crate::domain::budget::{
    BallotKind, Edition, Pool, Satisfaction, Status, TITLE_MAX, Windows, WinnerRule,
};
use crate::domain::consultation::LegalBasis;
use crate::domain::ids::EditionId;
use crate::state::AppState;

/// The one pool's code.
pub const POOL: &str = "PB";
/// Ballots inserted at a time.
const BATCH: usize = 500;

/// What the import made.
pub struct Imported {
    pub edition: Loaded,
    pub projects: usize,
    pub ballots: usize,
}

fn clip(s: &str) -> String {
    s.trim().chars().take(TITLE_MAX).collect()
}

fn whole(message: impl Into<String>) -> PbError {
    PbError {
        line: None,
        message: message.into(),
    }
}

/// The rule the file names (`rule` in META: `greedy`, `equalshares…`), unless `rule` is
/// given.
fn rule_of(file: &PbFile, rule: Option<WinnerRule>) -> WinnerRule {
    rule.unwrap_or_else(|| match file.meta("rule") {
        Some(r) if r.to_ascii_lowercase().starts_with("equalshares") => WinnerRule::EqualShares {
            satisfaction: Satisfaction::Cost,
        },
        _ => WinnerRule::Greedy,
    })
}

/// Reads `text` (a `.pb` file called `name`) into a new edition; `rule` overrides the
/// file's. A file that does not parse, or an edition okienko would refuse, is an error
/// naming the line or the rule (`PbError`), and nothing is stored.
pub async fn import(
    app: &AppState,
    text: &str,
    name: &str,
    rule: Option<WinnerRule>,
) -> anyhow::Result<Imported> {
    let file = PbFile::parse(text)?;
    let pool = file.instance()?;
    let kind = file.vote_type()?;
    // grosze from the file's units (1 or 100 to the currency's unit)
    let to_grosze = |units: u64| -> Result<u64, PbError> {
        match pool.unit {
            1 => units.checked_mul(100),
            10 => units.checked_mul(10),
            100 => Some(units),
            _ => None,
        }
        .ok_or_else(|| whole("kwoty mają najwyżej dwa miejsca po przecinku (grosze)"))
    };
    let count = u32::try_from(pool.instance.projects.len()).unwrap_or(u32::MAX);
    let meta_u32 = |k: &str| file.meta(k).and_then(|v| v.trim().parse::<u32>().ok());
    let ballot = match kind {
        VoteType::Approval => BallotKind::Approval {
            max_projects: meta_u32("max_length").unwrap_or(count).max(1),
        },
        VoteType::Cumulative | VoteType::Scoring => BallotKind::Points {
            points: meta_u32("max_sum_points")
                .or(meta_u32("max_points"))
                .unwrap_or(u32::MAX)
                .max(1),
        },
        VoteType::Ordinal => return Err(whole("głosów porządkowych się nie importuje").into()),
    };
    let t = today();
    let day = |n: i64| t - Duration::days(n);
    let place = [
        file.meta("unit"),
        file.meta("instance"),
        file.meta("subunit"),
    ]
    .into_iter()
    .flatten()
    .filter(|s| !s.trim().is_empty())
    .collect::<Vec<_>>()
    .join(", ");
    let title = match file.meta("description") {
        Some(d) if !d.trim().is_empty() => d.to_owned(),
        _ if !place.is_empty() => place.clone(),
        _ => name.to_owned(),
    };
    let edition = Edition {
        title: clip(&format!("{title} (z pliku pabulib)")),
        legal_basis: LegalBasis {
            resolution: clip(&format!("plik pabulib {name}")),
            adopted_on: t,
            link: "https://pabulib.org".into(),
        },
        pools: vec![Pool {
            code: POOL.into(),
            name: clip(if place.is_empty() {
                "Pula z pliku"
            } else {
                &place
            }),
            area: None,
            amount: to_grosze(pool.instance.budget)?,
            ballot,
        }],
        windows: Windows {
            intake_opens: day(6),
            intake_closes: day(5),
            evaluation_closes: day(4),
            appeals_closes: day(3),
            voting_opens: day(2),
            voting_closes: day(1),
            results_on: t,
        },
        rule: rule_of(&file, rule),
        min_votes: file
            .meta("min_votes")
            .and_then(|v| v.trim().parse().ok())
            .unwrap_or(0),
        support_threshold: 0,
        min_voting_age: None,
        pesel_on_ballot: false,
        powiat_city: false,
        expenditure: None,
        child_votes_by_parent: false,
    };
    let refusals = edition.check(&app.catalogue.areas);
    if !refusals.is_empty() {
        let why: Vec<String> = refusals
            .iter()
            .map(|r| format!("{}: {}", r.path, r.message))
            .collect();
        return Err(whole(format!(
            "okienko nie przyjmie tej edycji: {}",
            why.join("; ")
        ))
        .into());
    }
    let names = file.projects.header.iter().position(|h| h == "name");
    let id = EditionId::new();
    let txn = app.db.begin().await?;
    let row = editions::create(
        &txn,
        id,
        "pabulib-import",
        &crate::auth::random_token(),
        &edition,
    )
    .await?;
    let mut ids = Vec::with_capacity(pool.instance.projects.len());
    for (p, file_row) in pool.instance.projects.iter().zip(&file.projects.rows) {
        let title = names
            .and_then(|c| file_row.fields.get(c))
            .filter(|n| !n.trim().is_empty())
            .map_or_else(|| format!("Projekt {}", p.id), |n| clip(n));
        let data = json!({ "pabulib_id": p.id, "line": file_row.line }).to_string();
        let cost = i64::try_from(to_grosze(p.cost)?).map_err(|_| PbError {
            line: Some(file_row.line),
            message: "koszt za duży".into(),
        })?;
        let saved = projects::insert(
            &txn,
            &row.id,
            "pabulib-import",
            &projects::Content {
                pool_code: POOL,
                title: &title,
                data: &data,
                cost,
            },
        )
        .await?;
        projects::change(&txn, &saved.id, Status::Submitted, Status::Admitted, vec![]).await?;
        ids.push(saved.id);
    }
    let mut batch = Vec::with_capacity(BATCH);
    for b in &pool.instance.ballots {
        let picks: Vec<(&str, u64)> = b
            .choices
            .iter()
            .map(|&(i, n)| (ids[i].as_str(), n))
            .collect();
        let choices: BTreeMap<&str, Vec<(&str, u64)>> = BTreeMap::from([(POOL, picks)]);
        batch.push(json!(choices).to_string());
        if batch.len() == BATCH {
            ballots::record_many(&txn, &row.id, "import", t, &batch).await?;
            batch.clear();
        }
    }
    ballots::record_many(&txn, &row.id, "import", t, &batch).await?;
    editions::freeze(&txn, &row.id).await?;
    history::append(
        &txn,
        &row.id,
        Entry {
            actor: "pabulib-import",
            actor_name: "okienko budget import",
            action: "imported",
            detail: format!(
                "{name}: {} projects, {} ballots, SHA3-256 {}",
                ids.len(),
                pool.instance.ballots.len(),
                crate::forms::catalogue::hex(&sha3::Sha3_256::digest(text.as_bytes()))
            ),
        },
    )
    .await?;
    txn.commit().await?;
    tracing::info!(budget.edition = %row.id, projects = ids.len(), ballots = pool.instance.ballots.len(), "pabulib file imported");
    Ok(Imported {
        projects: ids.len(),
        ballots: pool.instance.ballots.len(),
        edition: Loaded { row, edition },
    })
}
