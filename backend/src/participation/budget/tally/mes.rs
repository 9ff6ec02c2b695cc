//! The Method of Equal Shares for approval ballots (Peters & Skowron 2020; Peters,
//! Pierczyński & Skowron, NeurIPS 2021), as pabutools computes
//! `method_of_equal_shares(voter_budget_increment=1)` completed by
//! `completion_by_rule_combination` with the greedy count:
//!
//! 1. The pool is split equally: each of the `n` ballots (empty ones too) gets `budget / n`.
//! 2. Rounds: a project is affordable while its supporters together still hold its cost. For
//!    each, the price `q` is the least payment such that supporters pay `q` each, or all they
//!    have when that is less, and the cost is covered. Its price per unit of satisfaction is
//!    `q / cost` (satisfaction = cost) or `q` (satisfaction = the number of winners). The
//!    round buys the project with the least of it (ties: the draw), its supporters pay, and
//!    the rounds go on until nothing is affordable.
//! 3. Completion: while the outcome is not exhaustive (some project not bought would still
//!    fit), the run is repeated with every voter's budget one currency unit higher; the last
//!    outcome that fits in the pool is kept (the first that does not, ends the search).
//! 4. What is left is filled by the greedy count ([`super::greedy::fill`]).
//!
//! Local rules on top of the paper's method: a project under the minimum of votes is not
//! offered to the voters at all (nobody's money goes to it, and it cannot win in the
//! completion); once a project of a conflict group is bought, the group's others are
//! withdrawn from the rounds, the exhaustiveness check and the greedy fill. A project that
//! costs nothing and has supporters is bought before the rounds, as pabutools does (by votes,
//! then id, one of a group). With no minimum and no groups the winners are pabutools'.
//!
//! Money is exact ([`Frac`]). Voters with the same money left form one class; a price
//! computation counts a project's supporters per class and walks the classes from the
//! poorest, so its big-number work is per class, not per voter.

use std::collections::HashSet;

use super::exact::Frac;
use super::fast::{Affine, EXACT_UP_TO, Iv, Payment, Reach, Voters, Wallets};
use super::{
    Draw, Instance, Project, Satisfaction, Selection, Tally, TallyError, Tie, greedy, votes,
};

pub(super) fn tally(
    instance: &Instance,
    satisfaction: Satisfaction,
    unit: u64,
    draw: &mut Draw,
) -> Result<Tally, TallyError> {
    let mes = Mes::new(instance, satisfaction)?;
    let votes = votes(instance);
    let mut selection = Selection::new(instance);
    let mut ties = Vec::new();
    if !instance.ballots.is_empty() {
        let run = mes.complete(unit, draw);
        for &p in &run.winners {
            selection.take(instance, p);
        }
        ties = run.ties;
    }
    ties.extend(greedy::fill(instance, &votes, &mut selection, draw));
    Ok(selection.into_tally(instance, votes, ties))
}

pub(super) struct Mes<'a> {
    instance: &'a Instance,
    satisfaction: Satisfaction,
    /// Per project, the ballots approving it (each once).
    supporters: Vec<Vec<u32>>,
    /// Projects the rounds may buy: supported, at or over the minimum, costing something.
    candidates: Vec<usize>,
    /// Supported projects at or over the minimum that cost nothing.
    free: Vec<usize>,
    /// Whether every cost, the pool and the number of ballots are exact as floats (up to
    /// 2^53), which the quick run needs.
    floats_exact: bool,
    /// The ballots as the quick run counts them.
    voters: Voters,
}

/// One run of the rounds at one starting budget.
pub(super) struct Run {
    pub(super) winners: Vec<usize>,
    /// Total cost of the winners; may exceed the pool in the completion's last try.
    pub(super) spent: u128,
    pub(super) ties: Vec<Tie>,
    /// The draw as this run left it.
    draw: Draw,
    /// How far the start budget may rise with this run's outcome unchanged.
    reach: Skip,
    /// What every voter has left (for the tests of the properties), by an exact run.
    #[cfg(test)]
    pub(super) purse: Option<Purse>,
}

/// How far the start may rise with a run's outcome unchanged: exactly, from an exact run, or
/// a lower bound, from a run in intervals.
enum Skip {
    Exact(Horizon),
    AtLeast(Reach),
}

impl Skip {
    fn steps(&self, unit: u64) -> u64 {
        match self {
            Skip::Exact(h) => h.steps(unit),
            Skip::AtLeast(r) => r.steps(unit),
        }
    }
}

/// How a completion went: its runs, and how many of them had to be exact.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(super) struct Runs {
    pub(super) runs: u64,
    pub(super) exact: u64,
}

/// How a completion runs: skipping the raises that change nothing, trying each run in
/// intervals before exact fractions, and taking the runs of `threads` raises side by side
/// (each run depends on its raise alone, so those not needed are dropped). The outcome is
/// the same any way (tests compare).
#[derive(Debug, Clone, Copy)]
pub(super) struct Way {
    pub(super) skip: bool,
    pub(super) intervals: bool,
    pub(super) threads: usize,
}

/// Pools with fewer approvals are counted on one thread: a run takes well under a
/// millisecond there, less than starting threads.
const APPROVALS_FOR_THREADS: usize = 100_000;

impl<'a> Mes<'a> {
    pub(super) fn new(
        instance: &'a Instance,
        satisfaction: Satisfaction,
    ) -> Result<Self, TallyError> {
        let count = instance.projects.len();
        let mut supporters: Vec<Vec<u32>> = vec![Vec::new(); count];
        // the ballot that last approved each project: a project named twice counts once
        let mut last = vec![u32::MAX; count];
        for (b, ballot) in instance.ballots.iter().enumerate() {
            let b = u32::try_from(b).map_err(|_| TallyError::Unsupported("too many ballots"))?;
            for &(p, points) in &ballot.choices {
                if points != 1 {
                    return Err(TallyError::NotApproval(b as usize));
                }
                if last[p] != b {
                    last[p] = b;
                    supporters[p].push(b);
                }
            }
        }
        let minimum = instance.min_votes.max(1);
        let (mut free, candidates): (Vec<usize>, Vec<usize>) = (0..count)
            .filter(|&p| supporters[p].len() as u64 >= minimum)
            .partition(|&p| instance.projects[p].cost == 0);
        free.sort_by(|&a, &b| {
            (supporters[b].len().cmp(&supporters[a].len()))
                .then_with(|| instance.projects[a].id.cmp(&instance.projects[b].id))
        });
        let floats_exact = instance.budget <= EXACT_UP_TO
            && instance.ballots.len() as u64 <= EXACT_UP_TO
            && instance.projects.iter().all(|p| p.cost <= EXACT_UP_TO);
        let voters = Voters::new(instance.ballots.len(), &supporters, &candidates);
        Ok(Self {
            instance,
            satisfaction,
            supporters,
            candidates,
            free,
            floats_exact,
            voters,
        })
    }

    /// Steps 1–3: runs at `budget / n`, `budget / n + unit`, … and keeps the last outcome
    /// that fits; each run draws from where `draw` stands, and `draw` goes on from the run
    /// kept. A run also says up to which start its every decision stays the same
    /// ([`Run::lasts`]); the raises below that give the same outcome, so they are skipped:
    /// the outcome is the one of trying every raise, in a fraction of the runs.
    ///
    /// Each run is first taken in intervals of floats ([`super::fast`]), and again in exact
    /// fractions only when the intervals cannot prove one of its decisions.
    pub(super) fn complete(&self, unit: u64, draw: &mut Draw) -> Run {
        let approvals: usize = self
            .candidates
            .iter()
            .map(|&p| self.supporters[p].len())
            .sum();
        let threads = if approvals >= APPROVALS_FOR_THREADS {
            std::thread::available_parallelism().map_or(1, |n| n.get().min(4))
        } else {
            1
        };
        self.complete_by(
            unit,
            draw,
            Way {
                skip: true,
                intervals: true,
                threads,
            },
        )
        .0
    }

    /// [`Mes::complete`] by the `way` given (the tests compare the ways).
    pub(super) fn complete_by(&self, unit: u64, draw: &mut Draw, way: Way) -> (Run, Runs) {
        let budget = u128::from(self.instance.budget);
        let mut raise: u64 = 0;
        let mut kept: Option<Run> = None;
        let mut runs = Runs::default();
        // runs taken ahead, by raise
        let mut ahead: Vec<(u64, Run, bool)> = Vec::new();
        loop {
            if !ahead.iter().any(|(r, ..)| *r == raise) {
                let raises: Vec<u64> = (0..way.threads.max(1) as u64)
                    .map(|k| raise.saturating_add(k.saturating_mul(unit)))
                    .collect();
                ahead = self.runs_side_by_side(&raises, draw, way.intervals);
            }
            let Some(at) = ahead.iter().position(|(r, ..)| *r == raise) else {
                unreachable!("the run at this raise was just taken");
            };
            let (_, run, exact) = ahead.swap_remove(at);
            runs.runs += 1;
            runs.exact += u64::from(exact);
            // the first try spends at most budget / n per voter, so it always fits
            let done = match kept {
                Some(kept) if run.spent > budget => kept,
                _ if self.exhaustive(&run) => run,
                _ => {
                    let steps = if way.skip { run.reach.steps(unit) } else { 1 };
                    kept = Some(run);
                    raise = raise.saturating_add(steps.saturating_mul(unit));
                    continue;
                }
            };
            tracing::debug!(
                runs = runs.runs,
                exact = runs.exact,
                raise,
                winners = done.winners.len(),
                "equal shares completed"
            );
            *draw = done.draw.clone();
            return (done, runs);
        }
    }

    /// The runs at `raises`, each on its own thread but the first: `(raise, run, whether
    /// it had to be exact)`.
    fn runs_side_by_side(
        &self,
        raises: &[u64],
        draw: &Draw,
        intervals: bool,
    ) -> Vec<(u64, Run, bool)> {
        let one = |raise: u64| match intervals
            .then(|| self.fast_run(raise, draw.clone()))
            .flatten()
        {
            Some(run) => (raise, run, false),
            None => (raise, self.run(self.start(raise), draw.clone()), true),
        };
        let Some((&first, rest)) = raises.split_first() else {
            return Vec::new();
        };
        std::thread::scope(|scope| {
            let others: Vec<_> = rest.iter().map(|&r| scope.spawn(move || one(r))).collect();
            let mut done = vec![one(first)];
            for handle in others {
                match handle.join() {
                    Ok(run) => done.push(run),
                    Err(panic) => std::panic::resume_unwind(panic),
                }
            }
            done
        })
    }

    /// Each voter's starting budget with `raise` added: `budget / n + raise`.
    pub(super) fn start(&self, raise: u64) -> Frac {
        Frac::ratio(self.instance.budget, self.instance.ballots.len() as u64)
            .add(&Frac::int(raise))
            .reduced()
    }

    /// Whether no candidate left out of `run` could still be bought within the pool.
    fn exhaustive(&self, run: &Run) -> bool {
        let groups = groups_of(self.instance, &run.winners);
        let left = u128::from(self.instance.budget).saturating_sub(run.spent);
        !self.candidates.iter().any(|&p| {
            let project = &self.instance.projects[p];
            !run.winners.contains(&p)
                && u128::from(project.cost) <= left
                && !in_taken_group(project, &groups)
        })
    }

    /// Step 2 at a starting budget of `start` per voter. Every amount is followed with its
    /// rate of change per unit of `start` (all are affine in it while the decisions hold),
    /// and every decision taken notes in `lasts` how far `start` may rise before it could
    /// go the other way.
    pub(super) fn run(&self, start: Frac, mut draw: Draw) -> Run {
        let projects = &self.instance.projects;
        let mut purse = Purse::new(self.instance.ballots.len(), start);
        let mut lasts = Horizon::default();
        let mut winners: Vec<usize> = Vec::new();
        let mut groups: HashSet<&str> = HashSet::new();
        let mut spent: u128 = 0;
        let mut ties = Vec::new();
        for &p in &self.free {
            if !in_taken_group(&projects[p], &groups) {
                groups.extend(projects[p].conflict_group.as_deref());
                winners.push(p);
            }
        }
        // each candidate with a lower bound of its price per unit of satisfaction: money only
        // goes down, so prices only go up, and a round stops looking once the bound of the
        // next candidate is above the best price found (pabutools does the same)
        let mut open: Vec<Open> = self
            .candidates
            .iter()
            .map(|&p| {
                let all = self.supporters[p].len() as u64;
                let bound = Linear {
                    at: self.per_satisfaction(&Frac::ratio(projects[p].cost, all), p),
                    rate: Frac::zero(),
                };
                Open { p, bound }
            })
            .collect();
        loop {
            open.retain(|o| !in_taken_group(&projects[o.p], &groups));
            open.sort_by(|a, b| a.bound.at.cmp(&b.bound.at));
            let mut best: Option<Linear> = None;
            // evaluated this round: (index in open, price per unit, payment)
            let mut priced: Vec<(usize, Linear, Linear)> = Vec::new();
            let mut unaffordable = Vec::new();
            let mut looked = open.len();
            for (i, o) in open.iter_mut().enumerate() {
                if best.as_ref().is_some_and(|b| o.bound.at > b.at) {
                    looked = i;
                    break;
                }
                let Some(q) = purse.price(projects[o.p].cost, &self.supporters[o.p], &mut lasts)
                else {
                    unaffordable.push(i);
                    continue;
                };
                let rho = Linear {
                    at: self.per_satisfaction(&q.at, o.p),
                    rate: self.per_satisfaction(&q.rate, o.p),
                };
                o.bound = rho.clone();
                if best.as_ref().is_none_or(|b| rho.at < b.at) {
                    best = Some(rho.clone());
                }
                priced.push((i, rho, q));
            }
            let Some(best) = best else {
                break;
            };
            // the round's choice holds while the others stay dearer (and the tied, tied)
            for (_, rho, _) in &priced {
                if rho.at == best.at {
                    if rho.rate != best.rate {
                        // a tie that holds at this start only: the next start decides anew
                        lasts.0 = Some(Frac::zero());
                    }
                } else {
                    lasts.watch(&rho.at.sub(&best.at), &rho.rate.sub(&best.rate));
                }
            }
            for o in &open[looked..] {
                lasts.watch(&o.bound.at.sub(&best.at), &o.bound.rate.sub(&best.rate));
            }
            let mut tied: Vec<(usize, Linear)> = priced
                .into_iter()
                .filter(|(_, rho, _)| rho.at == best.at)
                .map(|(i, _, q)| (open[i].p, q))
                .collect();
            let (winner, price) = if tied.len() == 1 {
                tied.swap_remove(0)
            } else {
                let mut ids: Vec<usize> = tied.iter().map(|(p, _)| *p).collect();
                ties.push(draw.break_tie(projects, &mut ids));
                let at = tied.iter().position(|(p, _)| *p == ids[0]).unwrap_or(0);
                tied.swap_remove(at)
            };
            for i in unaffordable.into_iter().rev() {
                open.remove(i);
            }
            purse.charge(&self.supporters[winner], &price, &mut lasts);
            groups.extend(projects[winner].conflict_group.as_deref());
            spent += u128::from(projects[winner].cost);
            winners.push(winner);
            open.retain(|o| o.p != winner);
        }
        Run {
            winners,
            spent,
            ties,
            draw,
            reach: Skip::Exact(lasts),
            #[cfg(test)]
            purse: Some(purse),
        }
    }

    /// [`Mes::run`] at the start `budget / n + raise`, in intervals ([`super::fast`]); `None`
    /// when they cannot prove one of its decisions. Step for step the exact run: the same
    /// candidates, bounds, rounds, ties and charges.
    pub(super) fn fast_run(&self, raise: u64, mut draw: Draw) -> Option<Run> {
        let projects = &self.instance.projects;
        let n = self.instance.ballots.len() as u64;
        if !self.floats_exact || n == 0 {
            return None;
        }
        let start =
            Iv::int(u128::from(self.instance.budget) + u128::from(raise) * u128::from(n)).over(n);
        let mut wallets = Wallets::new(&self.voters.weight, start);
        let mut reach = Reach::default();
        let mut winners: Vec<usize> = Vec::new();
        let mut groups: HashSet<&str> = HashSet::new();
        let mut spent: u128 = 0;
        let mut ties = Vec::new();
        for &p in &self.free {
            if !in_taken_group(&projects[p], &groups) {
                groups.extend(projects[p].conflict_group.as_deref());
                winners.push(p);
            }
        }
        let mut open: Vec<FastOpen> = self
            .candidates
            .iter()
            .map(|&p| {
                let all = self.supporters[p].len() as u64;
                let least = Payment {
                    q: Affine {
                        at: Iv::int(u128::from(projects[p].cost)).over(all),
                        rate: Iv::ZERO,
                    },
                    exact_payers: None,
                    poor: None,
                };
                FastOpen {
                    p,
                    bound: least.per_satisfaction(self.satisfaction, projects[p].cost),
                }
            })
            .collect();
        loop {
            open.retain(|o| !in_taken_group(&projects[o.p], &groups));
            open.sort_by(|a, b| a.bound.at.lo.total_cmp(&b.bound.at.lo));
            // the least upper end of a price found: no project whose price is surely above
            // it can be the cheapest
            let mut best_hi = f64::INFINITY;
            let mut priced: Vec<(usize, Affine, Payment)> = Vec::new();
            // per project priced, its supporters' classes, for the charge
            let mut seen: Vec<Vec<(u32, u32)>> = Vec::new();
            let mut unaffordable = Vec::new();
            let mut looked = open.len();
            for (i, o) in open.iter_mut().enumerate() {
                if o.bound.at.lo > best_hi {
                    looked = i;
                    break;
                }
                let cost = projects[o.p].cost;
                let all = self.supporters[o.p].len() as u64;
                let Some(q) = wallets
                    .price(cost, all, &self.voters.supporters[o.p], &mut reach)
                    .ok()?
                else {
                    unaffordable.push(i);
                    continue;
                };
                let rho = q.per_satisfaction(self.satisfaction, cost);
                o.bound = rho;
                best_hi = best_hi.min(rho.at.hi);
                priced.push((i, rho, q));
                seen.push(wallets.take_seen());
            }
            if priced.is_empty() {
                break;
            }
            // those that may be the cheapest: one, or equal prices told exactly
            let mut tied: Vec<usize> = (0..priced.len())
                .filter(|&k| priced[k].1.at.lo <= best_hi)
                .collect();
            if tied.len() > 1 {
                let exact = |k: usize| {
                    let (i, _, q) = &priced[k];
                    q.exact_per_satisfaction(self.satisfaction, projects[open[*i].p].cost)
                };
                let mut least: Option<(u128, u128)> = None;
                let mut values = Vec::with_capacity(tied.len());
                for &k in &tied {
                    let v = exact(k)?;
                    if least.is_none_or(|l| less(v, l)) {
                        least = Some(v);
                    }
                    values.push(v);
                }
                let least = least?;
                tied = tied
                    .into_iter()
                    .zip(values)
                    .filter(|&(_, v)| !less(least, v))
                    .map(|(k, _)| k)
                    .collect();
            }
            // tied prices are exact, with no one paying all they have: none changes with the
            // start (rate 0), so the tie holds as long as the others stay dearer
            let best = priced[tied[0]].1;
            for (k, (_, rho, _)) in priced.iter().enumerate() {
                if !tied.contains(&k) {
                    reach.watch(rho.at.sub(best.at), rho.rate.sub(best.rate));
                }
            }
            for o in &open[looked..] {
                reach.watch(o.bound.at.sub(best.at), o.bound.rate.sub(best.rate));
            }
            let (chosen, winner, price) = if tied.len() == 1 {
                let (i, _, q) = priced[tied[0]];
                (tied[0], open[i].p, q)
            } else {
                let mut ids: Vec<usize> = tied.iter().map(|&k| open[priced[k].0].p).collect();
                ties.push(draw.break_tie(projects, &mut ids));
                let k = tied
                    .iter()
                    .copied()
                    .find(|&k| open[priced[k].0].p == ids[0])?;
                (k, open[priced[k].0].p, priced[k].2)
            };
            for i in unaffordable.into_iter().rev() {
                open.remove(i);
            }
            // the winner's payers stay who they are; the others' may change, and their
            // prices with them, but never below the line watched above: see `fast.rs`
            if let Some((gap, rate)) = price.poor {
                reach.watch(gap, rate);
            }
            wallets
                .charge(&self.voters.supporters[winner], &seen[chosen], &price.q)
                .ok()?;
            groups.extend(projects[winner].conflict_group.as_deref());
            spent += u128::from(projects[winner].cost);
            winners.push(winner);
            open.retain(|o| o.p != winner);
        }
        Some(Run {
            winners,
            spent,
            ties,
            draw,
            reach: Skip::AtLeast(reach),
            #[cfg(test)]
            purse: None,
        })
    }

    /// A supporter's payment for `p` per unit of their satisfaction with it.
    fn per_satisfaction(&self, payment: &Frac, p: usize) -> Frac {
        match self.satisfaction {
            Satisfaction::Cardinality => payment.clone(),
            Satisfaction::Cost => payment.over(self.instance.projects[p].cost),
        }
    }
}

/// `a < b` for fractions `(num, den)` of the quick run's exact prices (small: a cost and
/// a number of payers; their products fit in 128 bits).
fn less(a: (u128, u128), b: (u128, u128)) -> bool {
    a.0 * b.1 < b.0 * a.1
}

/// [`Open`] of the quick run.
struct FastOpen {
    p: usize,
    bound: Affine,
}

/// A candidate still open, with a lower bound of its price per unit of satisfaction.
struct Open {
    p: usize,
    bound: Linear,
}

/// An amount at the run's start budget, and how much it changes per unit the start rises.
#[derive(Debug, Clone)]
struct Linear {
    at: Frac,
    rate: Frac,
}

/// How far the start budget may rise with every decision of a run still taken alike: the
/// least distance at which a gap that must stay positive (a price above the winner's, a
/// poor voter's money below the price, a shortfall) could close. `None`: no decision turns.
#[derive(Debug, Clone, Default)]
pub(super) struct Horizon(Option<Frac>);

impl Horizon {
    /// A gap of `gap` (not negative) that changes by `rate` per unit of start budget.
    fn watch(&mut self, gap: &Frac, rate: &Frac) {
        if !rate.is_negative() {
            return;
        }
        let distance = gap.over_frac(&rate.negated());
        if self.0.as_ref().is_none_or(|d| distance < *d) {
            self.0 = Some(distance);
        }
    }

    /// The raises of `unit` to skip to the first start at or past the horizon (at least 1).
    fn steps(&self, unit: u64) -> u64 {
        self.0.as_ref().map_or(1, |d| d.ceil_over(unit).max(1))
    }
}

fn groups_of<'a>(instance: &'a Instance, winners: &[usize]) -> HashSet<&'a str> {
    winners
        .iter()
        .filter_map(|&p| instance.projects[p].conflict_group.as_deref())
        .collect()
}

fn in_taken_group(project: &Project, groups: &HashSet<&str>) -> bool {
    project
        .conflict_group
        .as_deref()
        .is_some_and(|g| groups.contains(g))
}

/// The voters' money, by class: voters with equal money left share a class.
pub(super) struct Purse {
    /// Per voter, their class.
    class: Vec<u32>,
    /// Per class, the money each of its voters has left, and its rate per unit of start
    /// budget (1 for the untouched, more for those whose payments shrink as the others get
    /// richer, 0 for the empty purse, class 0).
    money: Vec<Frac>,
    rate: Vec<Frac>,
    /// Classes by money, least first, and each class's place in that order.
    order: Vec<u32>,
    rank: Vec<u32>,
    /// Scratch: voters per class of one project's supporters, and the classes met.
    count: Vec<u32>,
    met: Vec<u32>,
}

impl Purse {
    fn new(voters: usize, start: Frac) -> Self {
        Self {
            class: vec![1; voters],
            money: vec![Frac::zero(), start],
            rate: vec![Frac::zero(), Frac::int(1)],
            order: vec![0, 1],
            rank: vec![0, 1],
            count: vec![0, 0],
            met: Vec::new(),
        }
    }

    /// The money voter `v` has left.
    #[cfg(test)]
    pub(super) fn left(&self, v: usize) -> &Frac {
        &self.money[self.class[v] as usize]
    }

    /// Counts `supporters` per class into `count`, the classes met in `met` by money.
    fn gather(&mut self, supporters: &[u32]) {
        self.met.clear();
        for &v in supporters {
            let c = self.class[v as usize] as usize;
            if self.count[c] == 0 {
                self.met.push(c as u32);
            }
            self.count[c] += 1;
        }
        let rank = &self.rank;
        self.met.sort_unstable_by_key(|&c| rank[c as usize]);
    }

    fn scatter(&mut self) {
        for &c in &self.met {
            self.count[c as usize] = 0;
        }
    }

    /// The least payment `q` such that the supporters, each paying `q` or all they have when
    /// that is less, cover `cost`; `None` when all they have does not. Notes in `lasts` how
    /// long the same supporters stay the ones paying all they have (or short of the cost).
    fn price(&mut self, cost: u64, supporters: &[u32], lasts: &mut Horizon) -> Option<Linear> {
        self.gather(supporters);
        let cost = Frac::int(cost);
        let mut paid = Frac::zero();
        let mut paid_rate = Frac::zero();
        let mut payers = supporters.len() as u64;
        // the richest of those paying all they have, and the fastest-growing
        let mut poor: Option<(usize, Frac)> = None;
        let mut found = None;
        for &c in &self.met {
            let c = c as usize;
            let money = &self.money[c];
            let n = u64::from(self.count[c]);
            // everyone from this class on pays an equal share of what is still missing,
            // unless that share is more than this class has: then it pays all it has
            let missing = cost.sub(&paid);
            if missing <= money.times(payers) {
                found = Some(Linear {
                    at: missing.over(payers),
                    rate: paid_rate.negated().over(payers),
                });
                break;
            }
            paid = paid.add(&money.times(n));
            paid_rate = paid_rate.add(&self.rate[c].times(n));
            payers -= n;
            if c != 0 {
                let fastest = match poor.take() {
                    Some((_, r)) if r >= self.rate[c] => r,
                    _ => self.rate[c].clone(),
                };
                poor = Some((c, fastest));
            }
        }
        match (&found, poor) {
            // the poor stay poor while the price stays above their money: the richest of
            // them at the fastest rate among them closes the gap first (or later)
            (Some(q), Some((richest, fastest))) => {
                lasts.watch(&q.at.sub(&self.money[richest]), &q.rate.sub(&fastest));
            }
            // short of the cost while the supporters' money stays under it
            (None, _) => lasts.watch(&cost.sub(&paid), &paid_rate.negated()),
            (Some(_), None) => {}
        }
        self.scatter();
        found
    }

    /// Each supporter pays `price`, or all they have when that is less.
    fn charge(&mut self, supporters: &[u32], price: &Linear, lasts: &mut Horizon) {
        self.gather(supporters);
        let mut moved = Vec::with_capacity(self.met.len());
        for &c in &self.met {
            let left = self.money[c as usize].sub(&price.at).reduced();
            if c != 0 && !left.is_positive() && !left.is_negative() {
                // paid exactly all they had: from the next start on they keep something
                lasts.0 = Some(Frac::zero());
            }
            let to = if left.is_positive() {
                self.money.push(left);
                self.rate
                    .push(self.rate[c as usize].sub(&price.rate).reduced());
                self.count.push(0);
                (self.money.len() - 1) as u32
            } else {
                0
            };
            moved.push((c, to));
        }
        self.scatter();
        for &v in supporters {
            let c = self.class[v as usize];
            if let Ok(i) =
                moved.binary_search_by_key(&self.rank[c as usize], |(c, _)| self.rank[*c as usize])
            {
                self.class[v as usize] = moved[i].1;
            }
        }
        // the new classes take their places in the order by money: sorted, then merged in
        // one pass (inserting one by one moved the whole order for each)
        let mut new: Vec<u32> = (self.order.len() as u32..self.money.len() as u32).collect();
        let money = &self.money;
        new.sort_by(|&a, &b| money[a as usize].cmp(&money[b as usize]));
        let mut order = Vec::with_capacity(self.order.len() + new.len());
        let mut fresh = new.into_iter().peekable();
        for &o in &self.order {
            while let Some(&c) = fresh.peek()
                && money[c as usize] < money[o as usize]
            {
                order.push(c);
                fresh.next();
            }
            order.push(o);
        }
        order.extend(fresh);
        self.order = order;
        self.rank.resize(self.order.len(), 0);
        for (i, &c) in self.order.iter().enumerate() {
            self.rank[c as usize] = i as u32;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Ballot, Rule, tally};
    use super::*;

    fn project(id: &str, cost: u64) -> Project {
        Project {
            id: id.into(),
            cost,
            conflict_group: None,
        }
    }

    fn mes(instance: &Instance, satisfaction: Satisfaction) -> Tally {
        tally(
            instance,
            Rule::EqualShares { satisfaction },
            &mut Draw::by_id(),
        )
        .unwrap()
    }

    fn ids(instance: &Instance, t: &Tally) -> Vec<String> {
        t.winners
            .iter()
            .map(|&p| instance.projects[p].id.clone())
            .collect()
    }

    /// Three voters, a pool of 300: a has voters 1 and 2, b voter 3, c all three.
    fn three_voters(cost_c: u64) -> Instance {
        Instance {
            budget: 300,
            projects: vec![project("a", 200), project("b", 100), project("c", cost_c)],
            ballots: vec![
                Ballot::approval([0, 2]),
                Ballot::approval([0, 2]),
                Ballot::approval([1, 2]),
            ],
            min_votes: 0,
        }
    }

    #[test]
    fn equal_shares_with_cost_satisfaction_by_hand() {
        // each voter has 100. Prices per unit of satisfaction (cost sat): a 200 by 2 → 100
        // each, 100/200 = 1/2; b 100 by 1 → 100/100 = 1; c 90 by 3 → 30 each, 30/90 = 1/3.
        // Round 1 buys c (1/3): everyone has 70. Round 2: a needs 100 each from 2 voters
        // with 70: unaffordable (140 < 200); b needs 100 from voter 3 with 70: unaffordable.
        // The run spent 90 and is not exhaustive (a or b would fit in 210), so the budget
        // rises one unit at a time: at 100 + 30 = 130 each, after c (30 each) voters 1 and
        // 2 have 100 each: a (200) is bought; voter 3 has 100: b is bought; 390 > 300 does
        // not fit. At 129 each: 99 + 99 < 200 and 99 < 100, so the last that fits is c alone
        // (spent 90). Then the greedy fill by votes: a (2 votes, 200) fits in 210; b (1 vote,
        // 100) does not fit in 10.
        let instance = three_voters(90);
        let t = mes(&instance, Satisfaction::Cost);
        assert_eq!(ids(&instance, &t), ["c", "a"]);
        assert_eq!(t.spent, 290);
    }

    #[test]
    fn equal_shares_with_cardinality_satisfaction_by_hand() {
        // the same instance by the number of winners: prices per unit are the payments: a
        // 100, b 100, c 30. c first (everyone 70 left), then nothing affordable, as above:
        // the same outcome here, while the next test tells the two apart
        let instance = three_voters(90);
        let t = mes(&instance, Satisfaction::Cardinality);
        assert_eq!(ids(&instance, &t), ["c", "a"]);
    }

    #[test]
    fn cost_and_cardinality_satisfaction_choose_differently() {
        // pool 100, 4 voters with 25 each. x costs 100 and all four approve it; y costs 20,
        // z costs 20, each approved by voters 1 and 2.
        // cost: x 25 each, 25/100 = 1/4; y and z 10 each, 10/20 = 1/2. x first, and then
        // nobody has money left: x alone, spent 100, exhaustive.
        // cardinality: x 25; y and z 10 each: y and z tie at 10, the id decides y; then z
        // (voters 1 and 2 have 15 each, pay 10 each); then x needs 100 from 5 + 5 + 25 + 25:
        // unaffordable. {y, z} spent 40; x (100) does not fit in 60: exhaustive.
        let instance = Instance {
            budget: 100,
            projects: vec![project("x", 100), project("y", 20), project("z", 20)],
            ballots: vec![
                Ballot::approval([0, 1, 2]),
                Ballot::approval([0, 1, 2]),
                Ballot::approval([0]),
                Ballot::approval([0]),
            ],
            min_votes: 0,
        };
        let cost = mes(&instance, Satisfaction::Cost);
        assert_eq!(ids(&instance, &cost), ["x"]);
        // the only tie is the greedy fill's, y and z at 2 votes, neither fitting in 0
        assert_eq!(cost.ties.len(), 1);
        assert_eq!(cost.ties[0].tied, ["y", "z"]);
        let card = mes(&instance, Satisfaction::Cardinality);
        assert_eq!(ids(&instance, &card), ["y", "z"]);
        assert_eq!(card.spent, 40);
        assert_eq!(card.ties.len(), 1);
        assert_eq!(card.ties[0].order, ["y", "z"]);
    }

    #[test]
    fn the_budget_rises_until_a_project_becomes_affordable() {
        // pool 90, 3 voters with 30 each. p costs 30 (voter 1 alone: 30/30 = 1 per unit);
        // q costs 60 (voters 1, 2 and 3: 20 each, 20/60 = 1/3). q first: everyone has 10.
        // p: voter 1 has 10 < 30: unaffordable. Spent 60; p (30) fits in 30: not
        // exhaustive. Raising: at 31 each, q leaves 11 each, p still unaffordable ... at 50
        // each q leaves 30 for voter 1: p is bought, 90 in all: fits exactly and is
        // exhaustive, so {q, p}.
        let instance = Instance {
            budget: 90,
            projects: vec![project("p", 30), project("q", 60)],
            ballots: vec![
                Ballot::approval([0, 1]),
                Ballot::approval([1]),
                Ballot::approval([1]),
            ],
            min_votes: 0,
        };
        let t = mes(&instance, Satisfaction::Cost);
        assert_eq!(ids(&instance, &t), ["q", "p"]);
        assert_eq!(t.spent, 90);
        // the run at the first budget alone: q, and 10 left to each
        let m = Mes::new(&instance, Satisfaction::Cost).unwrap();
        let run = m.run(Frac::int(30), Draw::by_id());
        assert_eq!(run.winners, [1]);
        for v in 0..3 {
            assert_eq!(*run.purse.as_ref().unwrap().left(v), Frac::int(10));
        }
    }

    #[test]
    fn unequal_money_the_poor_pay_all_they_have() {
        // pool 60, 3 voters with 20 each. a costs 30, voters 1 and 2: 15 each (15/30 = 1/2);
        // b costs 24, voters 1, 2, 3 (8 each, 8/24 = 1/3). b first: 12 left each. Then a: 15
        // each from voters 1 and 2 with 12: unaffordable (24 < 30).
        // The run at 20 buys b (24) and stops, not exhaustive (a fits in 36). At 23 each:
        // after b, 15 each: a is bought (54 spent): fits; is it exhaustive? nothing else:
        // yes. Before that, 21 and 22 leave 13 and 14: a unaffordable. So {b, a} at 23.
        let instance = Instance {
            budget: 60,
            projects: vec![project("a", 30), project("b", 24)],
            ballots: vec![
                Ballot::approval([0, 1]),
                Ballot::approval([0, 1]),
                Ballot::approval([1]),
            ],
            min_votes: 0,
        };
        let t = mes(&instance, Satisfaction::Cost);
        assert_eq!(ids(&instance, &t), ["b", "a"]);
        assert_eq!(t.spent, 54);
        // with 13 and 13 and 20: a voter class with less money pays all of it
        let mut purse = Purse::new(3, Frac::int(20));
        let fixed = |at: u64| Linear {
            at: Frac::int(at),
            rate: Frac::zero(),
        };
        purse.charge(&[0, 1], &fixed(7), &mut Horizon::default());
        let mut lasts = Horizon::default();
        // c costs 30 among all three: 10 each would do, 13 ≥ 10: everyone pays 10
        assert_eq!(
            purse.price(30, &[0, 1, 2], &mut lasts).map(|q| q.at),
            Some(Frac::int(10))
        );
        // costs 45: 15 each is more than 13, so voters 1 and 2 pay 13 each and voter 3
        // pays 45 - 26 = 19 ≤ 20
        assert_eq!(
            purse.price(45, &[0, 1, 2], &mut lasts).map(|q| q.at),
            Some(Frac::int(19))
        );
        // costs 47: voter 3 would pay 21 > 20: unaffordable (46 < 47)
        assert_eq!(purse.price(47, &[0, 1, 2], &mut lasts).map(|q| q.at), None);
    }

    #[test]
    fn the_completion_keeps_the_last_outcome_that_fits_and_greedy_fills_the_rest() {
        // pool 100, 2 voters with 50 each. a costs 60 (voters 1 and 2: 30 each, 30/60);
        // b costs 50 (voter 1: 50/50 = 1); c costs 40 (voter 2: 40/40 = 1).
        // At 50: a (1/2) first, 20 left each; b and c unaffordable. Spent 60; c fits in 40:
        // not exhaustive. At 60: a, then 30 left each: unaffordable. At 70: a, 40 left
        // each: c (40, voter 2) affordable, b (50) not: {a, c} = 100: fits and exhaustive.
        let instance = Instance {
            budget: 100,
            projects: vec![project("a", 60), project("b", 50), project("c", 40)],
            ballots: vec![Ballot::approval([0, 1]), Ballot::approval([0, 2])],
            min_votes: 0,
        };
        let t = mes(&instance, Satisfaction::Cost);
        assert_eq!(ids(&instance, &t), ["a", "c"]);
        assert_eq!(t.spent, 100);
    }

    #[test]
    fn leftover_money_stays_when_nothing_else_fits() {
        // pool 100, one voter approving a (70) and b (40): a first? cost sat: a 70/70 = 1,
        // b 40/40 = 1: a tie, the id decides a. Then b (40) does not fit in 30: exhaustive.
        // 30 is left over.
        let instance = Instance {
            budget: 100,
            projects: vec![project("a", 70), project("b", 40)],
            ballots: vec![Ballot::approval([0, 1])],
            min_votes: 0,
        };
        let t = mes(&instance, Satisfaction::Cost);
        assert_eq!(ids(&instance, &t), ["a"]);
        assert_eq!(t.spent, 70);
        assert_eq!(t.ties[0].tied, ["a", "b"]);
    }

    #[test]
    fn the_minimum_and_conflict_groups_hold_under_equal_shares() {
        // pool 100, 3 voters with 33⅓. a (30, group "plot") all three: 10 each, 1/3;
        // b (30, group "plot") all three: a tie with a, the id decides a, and b leaves with
        // its group; c (10) only voter 1, under the minimum of 2: never offered.
        // d (60), voters 2 and 3: 30 each, 1/2 per unit; after a they have 23⅓ each:
        // unaffordable at the first budget. Raised to 100/3 + 7 = 40⅓ each (+6 leaves 29⅓
        // after a): after a, 30⅓ each: d bought:
        // a + d = 90: fits; c is not a candidate, b is in a's group: exhaustive.
        // The greedy fill adds nothing (c is under the minimum, b in the group).
        let mut instance = Instance {
            budget: 100,
            projects: vec![
                project("a", 30),
                project("b", 30),
                project("c", 10),
                project("d", 60),
            ],
            ballots: vec![
                Ballot::approval([0, 1, 2]),
                Ballot::approval([0, 1, 3]),
                Ballot::approval([0, 1, 3]),
            ],
            min_votes: 2,
        };
        instance.projects[0].conflict_group = Some("plot".into());
        instance.projects[1].conflict_group = Some("plot".into());
        let t = mes(&instance, Satisfaction::Cost);
        assert_eq!(ids(&instance, &t), ["a", "d"]);
        assert_eq!(t.spent, 90);
    }

    #[test]
    fn points_are_refused_and_no_ballots_leave_only_the_empty_outcome() {
        let mut instance = three_voters(90);
        instance.ballots[1].choices[0].1 = 3;
        assert_eq!(
            tally(
                &instance,
                Rule::EqualShares {
                    satisfaction: Satisfaction::Cost
                },
                &mut Draw::new(1)
            ),
            Err(TallyError::NotApproval(1))
        );
        instance.ballots.clear();
        let t = mes(&instance, Satisfaction::Cost);
        assert!(t.winners.is_empty());
        assert_eq!(t.spent, 0);
    }

    #[test]
    fn a_seeded_draw_breaks_a_tie_and_replays() {
        // two projects of 50 with one voter each and a pool of 50: a tie at 1 per unit
        let instance = Instance {
            budget: 50,
            projects: vec![project("a", 50), project("b", 50)],
            ballots: vec![Ballot::approval([0]), Ballot::approval([1])],
            min_votes: 0,
        };
        let rule = Rule::EqualShares {
            satisfaction: Satisfaction::Cost,
        };
        // each voter has 25: neither is affordable; raising to 50 each, both are: the tie
        // is drawn, the winner takes the pool; both would be 100: the last that fits is the
        // run at 49 (nothing), then the greedy fill draws between the two at 1 vote
        let winners: HashSet<usize> = (0..40)
            .map(|seed| {
                tally(&instance, rule, &mut Draw::new(seed))
                    .unwrap()
                    .winners[0]
            })
            .collect();
        assert_eq!(winners.len(), 2, "both sides of the draw happen");
        let a = tally(&instance, rule, &mut Draw::new(9)).unwrap();
        assert_eq!(a, tally(&instance, rule, &mut Draw::new(9)).unwrap());
        assert_eq!(a.ties.len(), 1);
        assert_eq!(a.ties[0].order[0], instance.projects[a.winners[0]].id);
    }
}
