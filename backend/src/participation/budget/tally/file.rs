//! `okienko budget tally FILE.pb`: the winners of a pabulib file under a rule, as text for a
//! reader or as one JSON object for a script (`scripts/pabutools-check` compares it with
//! pabutools). Pure: the file's text in, the report out.

use std::fmt::Write as _;

use super::super::pabulib::{PbError, PbFile, Pool};
use super::{Draw, Rule, Satisfaction, Tally, TallyError, tally_in_units};

#[derive(Debug, thiserror::Error)]
pub enum FileError {
    #[error(transparent)]
    File(#[from] PbError),
    #[error(transparent)]
    Tally(#[from] TallyError),
}

/// A file's pool and its outcome.
#[derive(Debug)]
pub struct FileTally {
    pub pool: Pool,
    pub tally: Tally,
    pub rule: Rule,
    /// The draw's seed; `None`: ties went by project id.
    pub seed: Option<u64>,
}

/// Tallies the pool of a `.pb` file; ties by the seeded draw, or by id without a seed.
pub fn tally_file(text: &str, rule: Rule, seed: Option<u64>) -> Result<FileTally, FileError> {
    let pool = PbFile::parse(text)?.instance()?;
    let mut draw = seed.map_or_else(Draw::by_id, Draw::new);
    let tally = tally_in_units(&pool.instance, rule, pool.unit, &mut draw)?;
    Ok(FileTally {
        pool,
        tally,
        rule,
        seed,
    })
}

impl FileTally {
    fn ids(&self) -> Vec<&str> {
        self.tally
            .winners
            .iter()
            .map(|&p| self.pool.instance.projects[p].id.as_str())
            .collect()
    }

    /// `{"winners": [ids as in the file, in the order chosen], "spent": total cost}`, the
    /// cost in the file's notation (a JSON number, exact).
    pub fn json(&self) -> String {
        let winners = serde_json::to_string(&self.ids()).unwrap_or_else(|_| "[]".into());
        format!(
            "{{\"winners\":{winners},\"spent\":{}}}",
            self.pool.amount(self.tally.spent)
        )
    }

    /// The outcome for a reader: the rule, the winners with cost and votes, what is left,
    /// the ties and how they were broken.
    pub fn text(&self) -> String {
        let instance = &self.pool.instance;
        let amount = |units| self.pool.amount(units);
        let rule = match self.rule {
            Rule::Greedy => "greedy (by votes)".to_string(),
            Rule::EqualShares { satisfaction } => format!(
                "Method of Equal Shares, {} satisfaction, completed by +1 per voter and greedy",
                match satisfaction {
                    Satisfaction::Cost => "cost",
                    Satisfaction::Cardinality => "cardinality",
                }
            ),
        };
        let ties = match self.seed {
            Some(seed) => format!("the seeded draw, seed {seed}"),
            None => "project id (as text)".to_string(),
        };
        let mut out = String::new();
        let _ = writeln!(out, "rule:     {rule}");
        let _ = writeln!(out, "ties by:  {ties}");
        let _ = writeln!(
            out,
            "pool:     {} for {} projects, {} ballots",
            amount(instance.budget),
            instance.projects.len(),
            instance.ballots.len()
        );
        let _ = writeln!(
            out,
            "winners:  {} (in the order chosen)",
            self.tally.winners.len()
        );
        let width = self.ids().iter().map(|id| id.len()).max().unwrap_or(0);
        for &p in &self.tally.winners {
            let _ = writeln!(
                out,
                "  {:width$}  {:>14}  {:>8} votes",
                instance.projects[p].id,
                amount(instance.projects[p].cost),
                self.tally.votes[p],
            );
        }
        let _ = writeln!(
            out,
            "spent:    {}, left {}",
            amount(self.tally.spent),
            amount(instance.budget - self.tally.spent)
        );
        for tie in &self.tally.ties {
            let _ = writeln!(
                out,
                "tie:      {} → {}",
                tie.tied.join(", "),
                tie.order.join(", ")
            );
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = "META\nkey;value\nbudget;100\nvote_type;approval\nPROJECTS\nproject_id;cost\n10;60\n2;50\n3;40\nVOTES\nvoter_id;vote\n1;10,2\n2;10,3\n3;2\n4;3\n";

    #[test]
    fn json_names_the_winners_as_the_file_does() {
        // votes: 10 2, 2 2, 3 2: a three-way tie; by id as text "10" < "2" < "3": 10 (60)
        // wins, 2 (50) does not fit in 40, 3 (40) does
        let t = tally_file(FILE, Rule::Greedy, None).unwrap();
        assert_eq!(t.json(), r#"{"winners":["10","3"],"spent":100}"#);
        let text = t.text();
        assert!(text.contains("tie:      10, 2, 3 → 10, 2, 3"), "{text}");
        assert!(text.contains("spent:    100, left 0"), "{text}");
        let seeded = tally_file(FILE, Rule::Greedy, Some(5)).unwrap();
        assert!(seeded.text().contains("seed 5"));
    }

    /// Wieliczka's Zielony Milion 2023 (backend/tests/pabulib/README.md), which the city
    /// decided by equal shares; pabutools 1.2.3 chose these (by `scripts/pabutools_check.py`'s
    /// calls) in about a minute.
    const WIELICZKA: &str = include_str!("../../../../tests/pabulib/slow/poland_wieliczka_2023.pb");

    fn sorted_winners(rule: Rule) -> (Vec<String>, String) {
        let t = tally_file(WIELICZKA, rule, None).unwrap();
        let mut ids: Vec<String> = t.ids().into_iter().map(String::from).collect();
        ids.sort();
        (ids, t.pool.amount(t.tally.spent))
    }

    #[test]
    fn wieliczka_2023_as_pabutools_counts_it() {
        let (ids, spent) = sorted_winners(Rule::EqualShares {
            satisfaction: Satisfaction::Cost,
        });
        let pabutools = "17 19 20 24 25 26 29 32 33 34 36 39 40 41 42 43 56 58 6 60 61 62 66 \
                         67 69 7 70 71 74 88 9";
        assert_eq!(ids.join(" "), pabutools);
        assert_eq!(spent, "984579");
        let (ids, spent) = sorted_winners(Rule::EqualShares {
            satisfaction: Satisfaction::Cardinality,
        });
        let pabutools = "16 17 19 20 24 25 26 29 32 33 34 36 39 41 42 43 54 56 58 6 60 61 62 \
                         66 67 69 7 70 71 74 8 88 9";
        assert_eq!(ids.join(" "), pabutools);
        assert_eq!(spent, "990789");
        let (ids, spent) = sorted_winners(Rule::Greedy);
        let pabutools = "16 17 19 20 21 24 25 29 32 33 34 39 40 41 42 43 58 6 60 70 74 8 87";
        assert_eq!(ids.join(" "), pabutools);
        assert_eq!(spent, "998997");
    }

    #[test]
    fn equal_shares_refuses_points_naming_the_ballot() {
        let points = FILE
            .replace("approval", "cumulative")
            .replace(
                "voter_id;vote\n1;10,2\n",
                "voter_id;vote;points\n1;10,2;1,2\n",
            )
            .replace("2;10,3\n3;2\n4;3\n", "2;10,3;1,1\n3;2;1\n4;3;1\n");
        let rule = Rule::EqualShares {
            satisfaction: Satisfaction::Cost,
        };
        let e = tally_file(&points, rule, None).unwrap_err();
        assert!(e.to_string().contains("ballot 0 gives points"), "{e}");
        // greedy counts the points: 10 has 2, 2 has 3, 3 has 2
        let t = tally_file(&points, Rule::Greedy, None).unwrap();
        assert_eq!(t.json(), r#"{"winners":["2","3"],"spent":90}"#);
    }
}
