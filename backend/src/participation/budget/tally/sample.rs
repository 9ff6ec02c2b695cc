//! Random pools shaped like a city-wide edition, for `okienko bench tally`: project costs
//! from 20 000 to 2 000 000 (whole złote), a pool of about a quarter of their total, some
//! projects far more popular than others, each ballot approving 1 to 10 projects.

use super::{Ballot, Draw, Instance, Project};

pub fn sample(seed: u64, ballots: usize, projects: usize) -> Instance {
    let mut draw = Draw::new(seed);
    let projects: Vec<Project> = (0..projects)
        .map(|i| Project {
            id: (i + 1).to_string(),
            cost: 20_000 + draw.next() % 1_980_000 / 1000 * 1000,
            conflict_group: None,
        })
        .collect();
    let total: u64 = projects.iter().map(|p| p.cost).sum();
    // popularity: weight 1 000 000 / (rank + 3), ranks shuffled; a ballot picks by weight
    let mut rank: Vec<u64> = (0..projects.len() as u64).collect();
    draw.shuffle(&mut rank);
    let mut cumulative = Vec::with_capacity(projects.len());
    let mut sum = 0u64;
    for r in &rank {
        sum += 1_000_000 / (r + 3);
        cumulative.push(sum);
    }
    let mut chosen = vec![usize::MAX; projects.len()];
    let ballots = (0..ballots)
        .map(|b| {
            let want = (1 + draw.next() % 10).min(projects.len() as u64);
            let mut picks = Vec::with_capacity(want as usize);
            while (picks.len() as u64) < want {
                let x = draw.next() % sum.max(1);
                let p = cumulative.partition_point(|&c| c <= x);
                if chosen[p] != b {
                    chosen[p] = b;
                    picks.push(p);
                }
            }
            Ballot::approval(picks)
        })
        .collect();
    Instance {
        budget: total / 4,
        projects,
        ballots,
        min_votes: 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sample_is_a_valid_pool_and_replays() {
        let a = sample(3, 500, 40);
        assert_eq!(a, sample(3, 500, 40));
        assert_eq!(a.ballots.len(), 500);
        assert!(
            a.ballots
                .iter()
                .all(|b| (1..=10).contains(&b.choices.len()))
        );
        assert!(a.projects.iter().all(|p| p.cost >= 20_000));
        let votes = super::super::votes(&a);
        assert!(
            votes.iter().max() > votes.iter().min(),
            "some are more popular"
        );
    }
}
