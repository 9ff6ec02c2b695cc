//! Properties of both rules over random instances drawn with [`Draw`] (so a failing seed
//! replays): the pool is never exceeded, one winner at most per conflict group, nobody under
//! the minimum wins, greedy leaves nothing that would still fit, a run of equal shares never
//! charges a voter more than their share and its payments add up to the winners' costs, and
//! without a seed the outcome does not depend on the order of projects or ballots, and
//! amounts in grosze with a unit of 100 choose as the same amounts in whole złote.

use std::collections::{HashMap, HashSet};

use super::exact::Frac;
use super::mes::Mes;
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
                let left = run.purse.left(v);
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
