//! Properties of both rules over random instances drawn with [`Draw`] (so a failing seed
//! replays): the pool is never exceeded, one winner at most per conflict group, nobody under
//! the minimum wins, greedy leaves nothing that would still fit, a run of equal shares never
//! charges a voter more than their share and its payments add up to the winners' costs, and
//! without a seed the outcome does not depend on the order of projects or ballots, and
//! amounts in grosze with a unit of 100 choose as the same amounts in whole złote; the
//! completion's skipping of raises that change nothing gives the outcome of trying each,
//! and runs in intervals of floats choose as exact runs whenever they decide.

use std::collections::{HashMap, HashSet};

use super::exact::Frac;
use super::mes::{Mes, Way};
use super::{Ballot, Draw, Instance, Project, Rule, Satisfaction, Tally, tally, votes};

const CASES: u64 = 300;

const RULES: [Rule; 3] = [
    Rule::Greedy,
    Rule::EqualShares {
        satisfaction: Satisfaction::Cost,
    },
    Rule::EqualShares {
        satisfaction: Satisfaction::Cardinality,
    },
];

/// A small random pool: costs from a short list (so ties happen), a few conflict groups,
/// sometimes a minimum of votes, ballots approving random subsets (some empty).
fn instance(seed: u64) -> Instance {
    let mut r = Draw::new(seed);
    let mut below = |n: u64| r.next() % n;
    let count = 1 + below(10) as usize;
    let projects: Vec<Project> = (0..count)
        .map(|i| Project {
            id: format!("p{}", below(1000) * 100 + i as u64),
            cost: [0, 5, 10, 10, 20, 25, 40, 60, 100][below(9) as usize] + below(2) * below(30),
            conflict_group: (below(4) == 0).then(|| format!("g{}", below(2))),
        })
        .collect();
    let voters = below(25) as usize;
    let ballots = (0..voters)
        .map(|_| Ballot::approval((0..count).filter(|_| below(3) == 0)))
        .collect();
    let total: u64 = projects.iter().map(|p| p.cost).sum();
    Instance {
        budget: below(total + 2),
        projects,
        ballots,
        min_votes: if below(3) == 0 { below(4) } else { 0 },
    }
}

fn check_outcome(instance: &Instance, t: &Tally, seed: u64) {
    let cost: u64 = t.winners.iter().map(|&p| instance.projects[p].cost).sum();
    assert_eq!(t.spent, cost, "seed {seed}");
    assert!(t.spent <= instance.budget, "seed {seed}: over the pool");
    let distinct: HashSet<usize> = t.winners.iter().copied().collect();
    assert_eq!(
        distinct.len(),
        t.winners.len(),
        "seed {seed}: a winner twice"
    );
    let mut groups = HashSet::new();
    for &p in &t.winners {
        if let Some(g) = &instance.projects[p].conflict_group {
            assert!(groups.insert(g), "seed {seed}: two winners of group {g}");
        }
        assert!(
            t.votes[p] >= instance.min_votes.max(1),
            "seed {seed}: a winner under the minimum"
        );
    }
    // both rules end with the greedy fill: nothing that may win still fits
    let left = instance.budget - t.spent;
    for (p, project) in instance.projects.iter().enumerate() {
        let open = t.votes[p] >= instance.min_votes.max(1)
            && !project
                .conflict_group
                .as_ref()
                .is_some_and(|g| groups.contains(g));
        assert!(
            distinct.contains(&p) || !open || project.cost > left,
            "seed {seed}: {} would still fit",
            project.id
        );
    }
}

#[test]
fn both_rules_stay_within_the_pool_the_groups_and_the_minimum() {
    for seed in 0..CASES {
        let instance = instance(seed);
        for rule in RULES {
            let t = tally(&instance, rule, &mut Draw::new(seed)).unwrap();
            check_outcome(&instance, &t, seed);
            assert_eq!(t, tally(&instance, rule, &mut Draw::new(seed)).unwrap());
        }
    }
}

#[test]
fn a_run_of_equal_shares_charges_no_voter_more_than_their_share() {
    for seed in 0..CASES {
        let instance = instance(seed);
        let n = instance.ballots.len() as u64;
        if n == 0 {
            continue;
        }
        let share = Frac::ratio(instance.budget, n);
        for satisfaction in [Satisfaction::Cost, Satisfaction::Cardinality] {
            let mes = Mes::new(&instance, satisfaction).unwrap();
            let run = mes.run(share.clone(), Draw::new(seed));
            let mut paid = Frac::zero();
            for v in 0..instance.ballots.len() {
                let left = run.purse.as_ref().expect("an exact run").left(v);
                assert!(*left >= Frac::zero(), "seed {seed}: voter {v} in debt");
                assert!(*left <= share, "seed {seed}: voter {v} got money");
                paid = paid.add(&share.sub(left));
            }
            // what the voters paid is exactly what the winners cost: so no voter paid more
            // than their share and the run never bought beyond the pool
            let cost: u64 = run.winners.iter().map(|&p| instance.projects[p].cost).sum();
            assert_eq!(paid, Frac::int(cost), "seed {seed}");
            assert!(run.spent <= u128::from(instance.budget), "seed {seed}");
        }
    }
}

#[test]
fn without_a_seed_the_order_of_projects_and_ballots_does_not_matter() {
    for seed in 0..CASES {
        let instance = instance(seed);
        if instance
            .projects
            .iter()
            .map(|p| &p.id)
            .collect::<HashSet<_>>()
            .len()
            < instance.projects.len()
        {
            continue;
        }
        // the same pool, projects and ballots reversed
        let count = instance.projects.len();
        let mut reversed = instance.clone();
        reversed.projects.reverse();
        reversed.ballots = instance
            .ballots
            .iter()
            .rev()
            .map(|b| Ballot::approval(b.choices.iter().map(|&(p, _)| count - 1 - p)))
            .collect();
        assert_eq!(votes(&reversed).len(), count);
        for rule in RULES {
            let won = |i: &Instance| -> HashMap<String, u64> {
                let t = tally(i, rule, &mut Draw::by_id()).unwrap();
                t.winners
                    .iter()
                    .map(|&p| (i.projects[p].id.clone(), i.projects[p].cost))
                    .collect()
            };
            assert_eq!(won(&instance), won(&reversed), "seed {seed}, {rule:?}");
        }
    }
}

#[test]
fn amounts_in_grosze_with_a_unit_of_100_choose_as_whole_zloty() {
    for seed in 0..CASES {
        let instance = instance(seed);
        let mut grosze = instance.clone();
        grosze.budget *= 100;
        for p in &mut grosze.projects {
            p.cost *= 100;
        }
        for rule in RULES {
            let zl = tally(&instance, rule, &mut Draw::new(seed)).unwrap();
            let gr = super::tally_in_units(&grosze, rule, 100, &mut Draw::new(seed)).unwrap();
            assert_eq!(zl.winners, gr.winners, "seed {seed}, {rule:?}");
            assert_eq!(zl.spent * 100, gr.spent);
        }
    }
}

#[test]
fn skipping_the_raises_that_change_nothing_gives_the_outcome_of_trying_each() {
    for seed in 0..CASES {
        // amounts 37 times larger: more raises before the outcome changes
        let mut instance = instance(seed);
        if instance.ballots.is_empty() {
            continue;
        }
        instance.budget *= 37;
        for p in &mut instance.projects {
            p.cost *= 37;
        }
        for satisfaction in [Satisfaction::Cost, Satisfaction::Cardinality] {
            let mes = Mes::new(&instance, satisfaction).unwrap();
            let exactly = |skip| {
                let way = Way {
                    skip,
                    intervals: false,
                    threads: 1,
                };
                mes.complete_by(1, &mut Draw::new(seed), way).0
            };
            let (skipping, each) = (exactly(true), exactly(false));
            assert_eq!(
                skipping.winners, each.winners,
                "seed {seed}, {satisfaction:?}"
            );
            assert_eq!(skipping.ties, each.ties, "seed {seed}, {satisfaction:?}");
        }
    }
}

/// A pool with few ties: costs of any whole amount, more voters.
fn untied_instance(seed: u64) -> Instance {
    let mut r = Draw::new(seed ^ 0x5eed);
    let mut below = |n: u64| r.next() % n;
    let count = 2 + below(12) as usize;
    let projects: Vec<Project> = (0..count)
        .map(|i| Project {
            id: format!("p{i}"),
            cost: 1000 + below(50_000),
            conflict_group: (below(6) == 0).then(|| format!("g{}", below(2))),
        })
        .collect();
    let voters = 1 + below(200) as usize;
    let ballots = (0..voters)
        .map(|_| Ballot::approval((0..count).filter(|_| below(3) == 0)))
        .collect();
    let total: u64 = projects.iter().map(|p| p.cost).sum();
    Instance {
        budget: total / (2 + below(4)),
        projects,
        ballots,
        min_votes: 0,
    }
}

#[test]
fn runs_in_intervals_choose_as_exact_runs_whenever_they_decide() {
    // run by run: at each start the quick run either declines or buys what the exact run
    // buys, in the same order, with the same ties drawn; and it must decide most runs of
    // pools without ties (or the test would prove nothing)
    let (mut decided, mut tried) = (0u64, 0u64);
    for seed in 0..CASES {
        for instance in [instance(seed), untied_instance(seed)] {
            if instance.ballots.is_empty() {
                continue;
            }
            for satisfaction in [Satisfaction::Cost, Satisfaction::Cardinality] {
                let mes = Mes::new(&instance, satisfaction).unwrap();
                for raise in [0, 1, 2, 5, 17, 100, 1000] {
                    let exact = mes.run(mes.start(raise), Draw::new(seed));
                    tried += 1;
                    if let Some(fast) = mes.fast_run(raise, Draw::new(seed)) {
                        decided += 1;
                        let at = format!("seed {seed}, {satisfaction:?}, raise {raise}");
                        assert_eq!(fast.winners, exact.winners, "{at}");
                        assert_eq!(fast.ties, exact.ties, "{at}");
                        assert_eq!(fast.spent, exact.spent, "{at}");
                    }
                }
            }
        }
    }
    assert!(
        decided * 2 > tried,
        "{decided} of {tried} decided in intervals"
    );
}

#[test]
fn the_completion_in_intervals_gives_the_exact_outcome() {
    let mut exact_runs = (0u64, 0u64);
    for seed in 0..CASES {
        let mut small = instance(seed);
        small.budget *= 7;
        for p in &mut small.projects {
            p.cost *= 7;
        }
        // the small pools against trying every raise exactly; the larger ones (thousands of
        // raises) against the exact completion that skips
        for (instance, each) in [(small, true), (untied_instance(seed), false)] {
            if instance.ballots.is_empty() {
                continue;
            }
            for satisfaction in [Satisfaction::Cost, Satisfaction::Cardinality] {
                let mes = Mes::new(&instance, satisfaction).unwrap();
                let by = |skip, intervals, threads| {
                    let mut draw = Draw::new(seed);
                    let way = Way {
                        skip,
                        intervals,
                        threads,
                    };
                    let (run, runs) = mes.complete_by(1, &mut draw, way);
                    (run.winners, run.ties, draw.next(), runs)
                };
                let exact = by(!each, false, 1);
                // side by side on 3 threads for a few
                let threads = if seed % 10 == 0 { 3 } else { 1 };
                for skip in [true, false] {
                    if !skip && !each {
                        continue;
                    }
                    let quick = by(skip, true, threads);
                    let at = format!("seed {seed}, {satisfaction:?}, skip {skip}");
                    assert_eq!(quick.0, exact.0, "{at}");
                    assert_eq!(quick.1, exact.1, "{at}");
                    assert_eq!(quick.2, exact.2, "{at}: the draw goes on alike");
                    exact_runs.0 += quick.3.exact;
                    exact_runs.1 += quick.3.runs;
                }
            }
        }
    }
    assert!(
        exact_runs.0 * 2 < exact_runs.1,
        "{} of {} runs redone exactly",
        exact_runs.0,
        exact_runs.1
    );
}
