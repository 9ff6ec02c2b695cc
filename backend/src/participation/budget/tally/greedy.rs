//! The greedy rule: projects in order of votes, each funded if it still fits in what is left
//! of the pool, skipping those under the minimum and those whose conflict group already has
//! a winner; equal votes are ordered by the seeded draw.

use super::{Draw, Instance, Selection, Tally, Tie, votes};

pub fn tally(instance: &Instance, draw: &mut Draw) -> Tally {
    let votes = votes(instance);
    let mut selection = Selection::new(instance);
    let ties = fill(instance, &votes, &mut selection, draw);
    selection.into_tally(instance, votes, ties)
}

/// Adds to `selection`, in order of votes, every project not chosen yet that still fits and
/// may win; the Method of Equal Shares ends with it too. Returns the ties drawn.
pub(super) fn fill<'a>(
    instance: &'a Instance,
    votes: &[u64],
    selection: &mut Selection<'a>,
    draw: &mut Draw,
) -> Vec<Tie> {
    let chosen: Vec<bool> = {
        let mut chosen = vec![false; instance.projects.len()];
        for &p in &selection.winners {
            chosen[p] = true;
        }
        chosen
    };
    let rest: Vec<usize> = (0..instance.projects.len())
        .filter(|&p| !chosen[p])
        .collect();
    let (order, ties) = by_votes(instance, rest, votes, draw);
    for p in order {
        let project = &instance.projects[p];
        if project.cost <= selection.left && selection.open(project, votes[p], instance.min_votes) {
            selection.take(instance, p);
        }
    }
    ties
}

/// `projects` by votes, most first; each run of equal votes ordered by the draw.
fn by_votes(
    instance: &Instance,
    mut order: Vec<usize>,
    votes: &[u64],
    draw: &mut Draw,
) -> (Vec<usize>, Vec<Tie>) {
    order.sort_by_key(|&p| std::cmp::Reverse(votes[p]));
    let mut ties = Vec::new();
    let mut start = 0;
    while start < order.len() {
        let end = start + order[start..].partition_point(|&p| votes[p] == votes[order[start]]);
        if end - start > 1 && votes[order[start]] > 0 {
            ties.push(draw.break_tie(&instance.projects, &mut order[start..end]));
        }
        start = end;
    }
    (order, ties)
}

#[cfg(test)]
mod tests {
    use super::super::{Ballot, Project};
    use super::*;

    fn project(id: &str, cost: u64, group: Option<&str>) -> Project {
        Project {
            id: id.into(),
            cost,
            conflict_group: group.map(Into::into),
        }
    }

    #[test]
    fn funds_by_votes_skipping_what_no_longer_fits_and_the_second_of_a_group() {
        // votes: a 3, b 2, c 2 (tie: draw), d 1; budget 100
        let instance = Instance {
            budget: 100,
            projects: vec![
                project("a", 60, Some("plot")),
                project("b", 50, None),
                project("c", 30, Some("plot")),
                project("d", 40, None),
            ],
            ballots: vec![
                Ballot::approval([0, 1]),
                Ballot::approval([0, 2]),
                Ballot::approval([0, 1, 2, 3]),
            ],
            min_votes: 0,
        };
        let t = tally(&instance, &mut Draw::new(7));
        // a (60) wins; b (50) does not fit in 40; c is a's group; d (40) fits exactly
        assert_eq!(t.winners, vec![0, 3]);
        assert_eq!(t.spent, 100);
        assert_eq!(t.votes, vec![3, 2, 2, 1]);
        assert_eq!(t.ties.len(), 1);
        assert_eq!(t.ties[0].tied.len(), 2);
    }

    #[test]
    fn the_minimum_of_votes_keeps_a_cheap_project_out() {
        let instance = Instance {
            budget: 100,
            projects: vec![project("a", 10, None), project("b", 10, None)],
            ballots: vec![Ballot::approval([0, 1]), Ballot::approval([0])],
            min_votes: 2,
        };
        let t = tally(&instance, &mut Draw::new(1));
        assert_eq!(t.winners, vec![0]);
        assert_eq!(t.spent, 10);
    }

    #[test]
    fn the_same_seed_replays_the_same_draw() {
        let instance = Instance {
            budget: 10,
            projects: (0..6).map(|i| project(&i.to_string(), 10, None)).collect(),
            ballots: vec![Ballot::approval(0..6)],
            min_votes: 0,
        };
        let a = tally(&instance, &mut Draw::new(42));
        let b = tally(&instance, &mut Draw::new(42));
        assert_eq!(a, b);
        assert_eq!(a.winners.len(), 1);
        assert_eq!(a.ties[0].order[0], instance.projects[a.winners[0]].id);
    }
}
