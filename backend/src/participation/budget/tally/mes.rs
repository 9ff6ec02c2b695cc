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
}

/// One run of the rounds at one starting budget.
pub(super) struct Run {
    pub(super) winners: Vec<usize>,
    /// Total cost of the winners; may exceed the pool in the completion's last try.
    pub(super) spent: u128,
    pub(super) ties: Vec<Tie>,
    /// The draw as this run left it.
    draw: Draw,
    /// What every voter has left (for the tests of the properties).
    #[cfg(test)]
    pub(super) purse: Purse,
}

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
        Ok(Self {
            instance,
            satisfaction,
            supporters,
            candidates,
            free,
        })
    }

    /// Steps 1–3: runs at `budget / n`, `budget / n + unit`, … and keeps the last outcome
    /// that fits; each run draws from where `draw` stands, and `draw` goes on from the run
    /// kept.
    pub(super) fn complete(&self, unit: u64, draw: &mut Draw) -> Run {
        let n = self.instance.ballots.len() as u64;
        let budget = u128::from(self.instance.budget);
        let mut raise: u64 = 0;
        let mut kept: Option<Run> = None;
        loop {
            let start = Frac::ratio(self.instance.budget, n)
                .add(&Frac::int(raise))
                .reduced();
            let run = self.run(start, draw.clone());
            // the first try spends at most budget / n per voter, so it always fits
            let done = match kept {
                Some(kept) if run.spent > budget => kept,
                _ if self.exhaustive(&run) => run,
                _ => {
                    kept = Some(run);
                    raise = raise.saturating_add(unit);
                    continue;
                }
            };
            *draw = done.draw.clone();
            return done;
        }
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

    /// Step 2 at a starting budget of `start` per voter.
    pub(super) fn run(&self, start: Frac, mut draw: Draw) -> Run {
        let projects = &self.instance.projects;
        let mut purse = Purse::new(self.instance.ballots.len(), start);
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
        let mut open: Vec<(usize, Frac)> = self
            .candidates
            .iter()
            .map(|&p| {
                let all = self.supporters[p].len() as u64;
                (
                    p,
                    self.per_satisfaction(&Frac::ratio(projects[p].cost, all), p),
                )
            })
            .collect();
        loop {
            open.retain(|(p, _)| !in_taken_group(&projects[*p], &groups));
            open.sort_by(|a, b| a.1.cmp(&b.1));
            let mut best: Option<(Frac, Vec<(usize, Frac)>)> = None;
            let mut unaffordable = Vec::new();
            for (i, (p, bound)) in open.iter_mut().enumerate() {
                if best.as_ref().is_some_and(|(rho, _)| *bound > *rho) {
                    break;
                }
                let Some(price) = purse.price(projects[*p].cost, &self.supporters[*p]) else {
                    unaffordable.push(i);
                    continue;
                };
                let rho = self.per_satisfaction(&price, *p);
                *bound = rho.clone();
                match &mut best {
                    Some((best_rho, tied)) if rho == *best_rho => tied.push((*p, price)),
                    Some((best_rho, _)) if rho > *best_rho => {}
                    _ => best = Some((rho, vec![(*p, price)])),
                }
            }
            for i in unaffordable.into_iter().rev() {
                open.remove(i);
            }
            let Some((_, mut tied)) = best else {
                break;
            };
            let (winner, price) = if tied.len() == 1 {
                tied.swap_remove(0)
            } else {
                let mut ids: Vec<usize> = tied.iter().map(|(p, _)| *p).collect();
                ties.push(draw.break_tie(projects, &mut ids));
                let at = tied.iter().position(|(p, _)| *p == ids[0]).unwrap_or(0);
                tied.swap_remove(at)
            };
            purse.charge(&self.supporters[winner], &price);
            groups.extend(projects[winner].conflict_group.as_deref());
            spent += u128::from(projects[winner].cost);
            winners.push(winner);
            open.retain(|(p, _)| *p != winner);
        }
        Run {
            winners,
            spent,
            ties,
            draw,
            #[cfg(test)]
            purse,
        }
    }

    /// A supporter's payment for `p` per unit of their satisfaction with it.
    fn per_satisfaction(&self, payment: &Frac, p: usize) -> Frac {
        match self.satisfaction {
            Satisfaction::Cardinality => payment.clone(),
            Satisfaction::Cost => payment.over(self.instance.projects[p].cost).reduced(),
        }
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
    /// Per class, the money each of its voters has left. Class 0 is the empty purse.
    money: Vec<Frac>,
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
    /// that is less, cover `cost`; `None` when all they have does not.
    fn price(&mut self, cost: u64, supporters: &[u32]) -> Option<Frac> {
        self.gather(supporters);
        let cost = Frac::int(cost);
        let mut paid = Frac::zero();
        let mut payers = supporters.len() as u64;
        let mut found = None;
        for &c in &self.met {
            let money = &self.money[c as usize];
            let n = u64::from(self.count[c as usize]);
            // everyone from this class on pays an equal share of what is still missing,
            // unless that share is more than this class has: then it pays all it has
            let missing = cost.sub(&paid);
            if missing <= money.times(payers) {
                found = Some(missing.over(payers).reduced());
                break;
            }
            paid = paid.add(&money.times(n));
            payers -= n;
        }
        self.scatter();
        found
    }

    /// Each supporter pays `price`, or all they have when that is less.
    fn charge(&mut self, supporters: &[u32], price: &Frac) {
        self.gather(supporters);
        let mut moved = Vec::with_capacity(self.met.len());
        for &c in &self.met {
            let left = self.money[c as usize].sub(price).reduced();
            let to = if left.is_positive() {
                self.money.push(left);
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
        // the new classes take their places in the order by money
        for c in self.order.len()..self.money.len() {
            let money = &self.money[c];
            let at = self
                .order
                .partition_point(|&o| self.money[o as usize] <= *money);
            self.order.insert(at, c as u32);
        }
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
            assert_eq!(*run.purse.left(v), Frac::int(10));
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
        purse.charge(&[0, 1], &Frac::int(7));
        // c costs 30 among all three: 10 each would do, 13 ≥ 10: everyone pays 10
        assert_eq!(purse.price(30, &[0, 1, 2]), Some(Frac::int(10)));
        // costs 45: 15 each is more than 13, so voters 1 and 2 pay 13 each and voter 3
        // pays 45 - 26 = 19 ≤ 20
        assert_eq!(purse.price(45, &[0, 1, 2]), Some(Frac::int(19)));
        // costs 47: voter 3 would pay 21 > 20: unaffordable (46 < 47)
        assert_eq!(purse.price(47, &[0, 1, 2]), None);
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
