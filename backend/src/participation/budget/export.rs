//! The open data of participatory budgets (PARTICIPATION.md §3): once the results are
//! published, each pool of an edition is exported as a pabulib `.pb` file (the tally
//! branch's `pabulib.rs` writes it), with its projects on the ballot and every valid
//! ballot, so anyone can recount it with `okienko budget tally` or pabutools. Amounts are
//! złote with grosze; voters are numbered in the order of the ballots' random ids.

use super::pabulib::{self, PbFile};
use super::results::{PoolInstance, instances};
use super::{Loaded, today};
use crate::domain::budget::{BallotKind, WinnerRule};
use crate::error::{AppError, AppResult};
use crate::state::AppState;

/// Grosze to the złoty the file counts in.
const UNIT: u64 = 100;

/// Pool `code` of `l` as a `.pb` file.
pub async fn pool_file(app: &AppState, l: &Loaded, code: &str) -> AppResult<String> {
    if l.row.protocol.is_none() {
        return Err(AppError::Conflict(format!(
            "dane głosowania udostępnia się po ogłoszeniu wyników ({}); edycja jest na etapie „{}”",
            l.edition.windows.results_on,
            l.phase(today()).label()
        )));
    }
    let (pools, _) = instances(app, l).await?;
    let PoolInstance {
        pool,
        projects,
        instance,
    } = pools
        .into_iter()
        .find(|p| p.pool.code == code)
        .ok_or(AppError::NotFound("pool"))?;
    let rule = match l.edition.rule {
        WinnerRule::Greedy => "greedy",
        WinnerRule::EqualShares { .. } => "equalshares",
    };
    let w = &l.edition.windows;
    let (begin, end) = (w.voting_opens.to_string(), w.voting_closes.to_string());
    let max_length = match pool.ballot {
        BallotKind::Approval { max_projects } => max_projects.to_string(),
        _ => String::new(),
    };
    let mut meta = vec![
        ("description", l.edition.title.as_str()),
        ("country", "Poland"),
        ("unit", app.settings.authority.name.as_str()),
        ("subunit", pool.name.as_str()),
        ("instance", l.edition.title.as_str()),
        ("rule", rule),
        ("date_begin", begin.as_str()),
        ("date_end", end.as_str()),
        ("currency", "PLN"),
        ("language", "pl"),
    ];
    if !max_length.is_empty() {
        meta.push(("max_length", max_length.as_str()));
    }
    let min_votes = l.edition.min_votes.to_string();
    if l.edition.min_votes > 0 {
        meta.push(("min_votes", min_votes.as_str()));
    }
    let mut file = PbFile::from_instance(&meta, &instance)
        .map_err(|e| anyhow::anyhow!("pool {code} of {}: {e}", l.row.id))?;
    // amounts in złote: the instance counts grosze
    let money = pabulib::Pool {
        instance,
        unit: UNIT,
    };
    for (k, v) in &mut file.meta {
        if k == "budget" {
            *v = money.amount(money.instance.budget);
        }
    }
    // pabulib has no conflict groups nor minimum: written for the reader, a recount
    // (`okienko budget tally`, pabutools) does not apply them
    file.projects.header.push("name".into());
    file.projects.header.push("conflict_group".into());
    for (row, (p, project)) in file
        .projects
        .rows
        .iter_mut()
        .zip(money.instance.projects.iter().zip(&projects))
    {
        if let Some(cost) = row.fields.get_mut(1) {
            *cost = money.amount(p.cost);
        }
        row.fields.push(project.title.clone());
        row.fields
            .push(project.conflict_group.clone().unwrap_or_default());
    }
    Ok(file.write())
}
