//! `okienko bench tally`: the budget tally on a random city-sized pool (docs/performance.md,
//! "Participatory budget: the tally"): greedy, and equal shares by cost and by cardinality
//! with their completion, each timed alone.

use std::time::Instant;

use crate::participation::budget::tally::{self, Draw, Rule, Satisfaction, sample::sample};

pub fn run(ballots: usize, projects: usize, seed: u64) -> anyhow::Result<()> {
    let started = Instant::now();
    let instance = sample(seed, ballots, projects);
    let approvals: usize = instance.ballots.iter().map(|b| b.choices.len()).sum();
    println!(
        "pool: {} ballots ({approvals} approvals), {} projects, budget {}; generated in {:.0} ms",
        instance.ballots.len(),
        instance.projects.len(),
        instance.budget,
        started.elapsed().as_secs_f64() * 1000.0
    );
    let rules = [
        ("greedy", Rule::Greedy),
        (
            "mes cost",
            Rule::EqualShares {
                satisfaction: Satisfaction::Cost,
            },
        ),
        (
            "mes cardinality",
            Rule::EqualShares {
                satisfaction: Satisfaction::Cardinality,
            },
        ),
    ];
    for (name, rule) in rules {
        let started = Instant::now();
        let t = tally::tally(&instance, rule, &mut Draw::new(seed))?;
        println!(
            "{name:>16}: {:>9.1} ms  ({} winners, spent {} of {})",
            started.elapsed().as_secs_f64() * 1000.0,
            t.winners.len(),
            t.spent,
            instance.budget
        );
    }
    Ok(())
}
