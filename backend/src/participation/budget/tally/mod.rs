//! Who wins a pool by the way of determining results the council's resolution sets (u.s.g.
//! art. 5a ust. 7 pkt 4): the rules of PARTICIPATION.md §3, pure (no database, no clock), so the
//! same code tallies an edition in the office, a pabulib `.pb` file in `okienko budget
//! tally`, and the benchmarks.
//!
//! Amounts are integer units of the pool's currency (grosze or złote, as the edition keeps
//! them); never floats. Projects are indexed `0..projects.len()`; a ballot lists the indexes
//! it supports, each once, with points where the ballot kind gives them.
//!
//! `greedy.rs` is the count by votes, `mes.rs` the Method of Equal Shares with its
//! completion, `exact.rs` the exact fractions MES decides with, `fast.rs` the quick way
//! through a run of MES in proven intervals of floats (redone exactly when they cannot
//! decide), `file.rs` the count of a
//! pabulib file (`okienko budget tally`), `sample.rs` random pools for the benchmark;
//! docs/budget-results.md says how a town hall reads and checks the outcome.

mod exact;
mod fast;
pub mod file;
mod greedy;
mod mes;
#[cfg(test)]
mod properties;
pub mod sample;

use std::collections::HashSet;

/// One project on the ballot of one pool.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Project {
    /// The project's id as the edition (or the `.pb` file) names it.
    pub id: String,
    pub cost: u64,
    /// Projects of one conflict group (e.g. two uses of one plot): at most one wins.
    pub conflict_group: Option<String>,
}

/// One valid ballot: the projects it supports, with points (1 for an approval ballot).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ballot {
    pub choices: Vec<(usize, u64)>,
}

impl Ballot {
    /// An approval ballot.
    pub fn approval(projects: impl IntoIterator<Item = usize>) -> Self {
        Self {
            choices: projects.into_iter().map(|p| (p, 1)).collect(),
        }
    }
}

/// One pool's instance.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Instance {
    pub budget: u64,
    pub projects: Vec<Project>,
    pub ballots: Vec<Ballot>,
    /// The resolution's minimum number of votes (points) a project needs to win; 0 for none.
    pub min_votes: u64,
}

/// A voter's satisfaction under the Method of Equal Shares.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Satisfaction {
    /// The cost of their approved winners.
    Cost,
    /// The number of their approved winners.
    Cardinality,
}

/// The rule of an edition, fixed before voting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "rule", rename_all = "snake_case")]
pub enum Rule {
    /// Projects by votes, each funded if it still fits (with the minimum and the groups).
    Greedy,
    /// The Method of Equal Shares for approval ballots, completed by raising the voters'
    /// budget one unit at a time and then greedily.
    EqualShares { satisfaction: Satisfaction },
}

/// A tie the rule broke by the seeded draw: the tied projects and the order drawn.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Tie {
    pub tied: Vec<String>,
    pub order: Vec<String>,
}

/// The outcome of one pool.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Tally {
    /// Winning project indexes, in the order they were chosen.
    pub winners: Vec<usize>,
    pub spent: u64,
    /// Votes (points) per project, by index.
    pub votes: Vec<u64>,
    /// Every tie broken by the draw, in the order met.
    pub ties: Vec<Tie>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TallyError {
    #[error("ballot {ballot} names project {project}, and the pool has {count}")]
    UnknownProject {
        ballot: usize,
        project: usize,
        count: usize,
    },
    #[error("the Method of Equal Shares counts approval ballots; ballot {0} gives points")]
    NotApproval(usize),
    #[error("{0}")]
    Unsupported(&'static str),
}

/// The seeded draw that breaks ties: anyone with the seed replays it. SplitMix64, so the
/// sequence is fixed by this code, not by a crate's version.
#[derive(Debug, Clone)]
pub struct Draw {
    state: u64,
    seeded: bool,
}

impl Draw {
    pub fn new(seed: u64) -> Self {
        Self {
            state: seed,
            seeded: true,
        }
    }

    /// No draw: tied projects go in the order of their ids (compared as text, so `"10"`
    /// before `"2"`), which is pabutools' default `lexico_tie_breaking`. For checking a
    /// `.pb` file against pabutools, and for files that carry no seed.
    pub fn by_id() -> Self {
        Self {
            state: 0,
            seeded: false,
        }
    }

    fn next(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Shuffles `items` (Fisher–Yates).
    pub fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = (self.next() % (i as u64 + 1)) as usize;
            items.swap(i, j);
        }
    }

    /// Orders tied projects (indexes) and says what was tied and the order drawn: by the
    /// seeded shuffle of the projects in index order, or by id without a seed. The first of
    /// the order is preferred.
    fn break_tie(&mut self, projects: &[Project], tied: &mut [usize]) -> Tie {
        let ids = |run: &[usize]| run.iter().map(|&p| projects[p].id.clone()).collect();
        tied.sort_unstable();
        let before = ids(tied);
        if self.seeded {
            self.shuffle(tied);
        } else {
            tied.sort_by(|&a, &b| projects[a].id.cmp(&projects[b].id));
        }
        Tie {
            tied: before,
            order: ids(tied),
        }
    }
}

/// Tallies one pool under `rule`, breaking ties with `draw`.
pub fn tally(instance: &Instance, rule: Rule, draw: &mut Draw) -> Result<Tally, TallyError> {
    tally_in_units(instance, rule, 1, draw)
}

/// [`tally`] where one unit of the pool's currency is `unit` units of the instance (100 when
/// a `.pb` file's amounts in złote with grosze were read as grosze): the Method of Equal
/// Shares' completion raises the voters' budget by one unit of the currency at a time,
/// whatever the instance counts in. The greedy rule does not depend on it.
pub fn tally_in_units(
    instance: &Instance,
    rule: Rule,
    unit: u64,
    draw: &mut Draw,
) -> Result<Tally, TallyError> {
    check(instance)?;
    match rule {
        Rule::Greedy => Ok(greedy::tally(instance, draw)),
        Rule::EqualShares { satisfaction } => mes::tally(instance, satisfaction, unit.max(1), draw),
    }
}

fn check(instance: &Instance) -> Result<(), TallyError> {
    let count = instance.projects.len();
    for (b, ballot) in instance.ballots.iter().enumerate() {
        if let Some(&(project, _)) = ballot.choices.iter().find(|(p, _)| *p >= count) {
            return Err(TallyError::UnknownProject {
                ballot: b,
                project,
                count,
            });
        }
    }
    Ok(())
}

/// Votes (points) per project.
pub fn votes(instance: &Instance) -> Vec<u64> {
    let mut votes = vec![0u64; instance.projects.len()];
    for ballot in &instance.ballots {
        for &(p, points) in &ballot.choices {
            votes[p] += points;
        }
    }
    votes
}

/// The projects chosen so far: winners in order, what is left of the pool, the conflict
/// groups that have a winner.
struct Selection<'a> {
    winners: Vec<usize>,
    left: u64,
    groups: HashSet<&'a str>,
}

impl<'a> Selection<'a> {
    fn new(instance: &Instance) -> Self {
        Self {
            winners: Vec::new(),
            left: instance.budget,
            groups: HashSet::new(),
        }
    }

    /// Whether `p` may still win: under the minimum of votes (never with no votes at all)
    /// or in a group that has a winner it may not.
    fn open(&self, project: &Project, votes: u64, min_votes: u64) -> bool {
        votes >= min_votes.max(1)
            && !project
                .conflict_group
                .as_deref()
                .is_some_and(|g| self.groups.contains(g))
    }

    /// Takes `p`, which fits in what is left.
    fn take(&mut self, instance: &'a Instance, p: usize) {
        let project = &instance.projects[p];
        self.left -= project.cost;
        self.groups.extend(project.conflict_group.as_deref());
        self.winners.push(p);
    }

    fn into_tally(self, instance: &Instance, votes: Vec<u64>, ties: Vec<Tie>) -> Tally {
        Tally {
            spent: instance.budget - self.left,
            winners: self.winners,
            votes,
            ties,
        }
    }
}
