//! The pabulib `.pb` format (pabulib.org; Faliszewski et al., "Participatory Budgeting:
//! Data, Tools and Analysis", IJCAI 2023), the open data of participatory budgets: a `META`
//! section of `key;value` rows (budget, vote_type, …), `PROJECTS` (project_id;cost;…) and
//! `VOTES` (voter_id;vote with the project ids separated by commas; points for cumulative and
//! scoring ballots), each section's first row its header. Fields are separated by `;` and may
//! be quoted (`"a;b"`, `""` inside), as Python's csv module reads them, and are trimmed.
//!
//! [`PbFile`] is the file as written (every section, column and row, in order), so an edition
//! exported and read back is the same file; [`PbFile::instance`] reads a pool for the tally
//! from it. Pure: text in, text out. Bounded: [`MAX_BYTES`], [`MAX_PROJECTS`], [`MAX_VOTES`].
//! Errors name the line and, in Polish, what is wrong with it.

use std::collections::HashMap;
use std::fmt::Write as _;

use super::tally::{Ballot, Instance, Project};

/// The largest file read: the biggest pabulib files (Warsaw's city-wide pools) are under 64 MB.
pub const MAX_BYTES: usize = 128 * 1024 * 1024;
pub const MAX_PROJECTS: usize = 10_000;
pub const MAX_VOTES: usize = 5_000_000;
/// Columns of one row; pabulib's files have at most a dozen.
const MAX_COLUMNS: usize = 100;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}{}", .line.map(|l| format!("wiersz {l}: ")).unwrap_or_default(), .message)]
pub struct PbError {
    /// The line of the file (from 1), where one is at fault.
    pub line: Option<usize>,
    pub message: String,
}

fn at(line: usize, message: impl Into<String>) -> PbError {
    PbError {
        line: Some(line),
        message: message.into(),
    }
}

fn whole(message: impl Into<String>) -> PbError {
    PbError {
        line: None,
        message: message.into(),
    }
}

/// One row of `PROJECTS` or `VOTES`: as many fields as the header.
#[derive(Debug, Clone, Eq)]
pub struct Row {
    /// Where the row starts in the file it was read from (0 for a row built in memory).
    pub line: usize,
    pub fields: Vec<String>,
}

/// Rows are equal by their fields; where they stood in a file is not part of them.
impl PartialEq for Row {
    fn eq(&self, other: &Self) -> bool {
        self.fields == other.fields
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Section {
    pub header: Vec<String>,
    pub rows: Vec<Row>,
}

impl Section {
    fn column(&self, name: &str) -> Option<usize> {
        self.header.iter().position(|h| h == name)
    }
}

/// A `.pb` file.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PbFile {
    /// `META`'s keys and values in file order.
    pub meta: Vec<(String, String)>,
    pub projects: Section,
    pub votes: Section,
}

/// The kinds of ballot pabulib knows (`vote_type`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VoteType {
    /// Approval, and `choose-1` (approval of one project).
    Approval,
    /// Points spread over projects, a total per ballot.
    Cumulative,
    /// Points given to projects, each apart.
    Scoring,
    /// Projects in order of preference.
    Ordinal,
}

/// A pool read from a `.pb` file: the instance in whole units, `unit` of them to one unit of
/// the file's currency (1, or 100 when amounts have grosze); [`crate::participation::budget::tally::tally_in_units`]
/// takes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pool {
    pub instance: Instance,
    pub unit: u64,
}

impl Pool {
    /// An amount of the instance in the file's notation (`102533.36` where `unit` is 100).
    pub fn amount(&self, units: u64) -> String {
        let digits = self.unit.ilog10() as usize;
        if digits == 0 {
            return units.to_string();
        }
        format!(
            "{}.{:0digits$}",
            units / self.unit,
            units % self.unit,
            digits = digits
        )
    }
}

impl PbFile {
    /// Reads a `.pb` file (a leading byte-order mark is skipped).
    pub fn parse(text: &str) -> Result<Self, PbError> {
        if text.len() > MAX_BYTES {
            return Err(whole(format!(
                "plik ma {} MB, więcej niż {} MB",
                text.len() / (1024 * 1024),
                MAX_BYTES / (1024 * 1024)
            )));
        }
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let mut file = PbFile::default();
        let mut section: Option<&str> = None;
        let mut header_due = false;
        for record in Records::new(text) {
            let (line, fields) = record?;
            if fields.iter().all(String::is_empty) {
                continue;
            }
            let first = fields[0].to_lowercase();
            if let Some(name) = ["meta", "projects", "votes"]
                .into_iter()
                .find(|n| *n == first)
            {
                if fields.len() > 1 && fields[1..].iter().any(|f| !f.is_empty()) {
                    return Err(at(line, format!("po nazwie sekcji {name} nic więcej")));
                }
                let seen = match name {
                    "meta" => !file.meta.is_empty(),
                    "projects" => !file.projects.header.is_empty(),
                    _ => !file.votes.header.is_empty(),
                };
                if seen {
                    return Err(at(
                        line,
                        format!("sekcja {} drugi raz", name.to_uppercase()),
                    ));
                }
                section = Some(name);
                header_due = true;
                continue;
            }
            let Some(name) = section else {
                return Err(at(line, "przed pierwszą sekcją (META, PROJECTS, VOTES)"));
            };
            if header_due {
                header_due = false;
                if fields.iter().any(String::is_empty) {
                    return Err(at(line, "nagłówek sekcji ma pustą nazwę kolumny"));
                }
                match name {
                    "meta" => {}
                    "projects" => file.projects.header = fields,
                    _ => file.votes.header = fields,
                }
                continue;
            }
            match name {
                "meta" => {
                    let [key, value] = <[String; 2]>::try_from(fields).map_err(|f| {
                        at(
                            line,
                            format!("w META klucz;wartość, a jest {} pól", f.len()),
                        )
                    })?;
                    if file.meta.iter().any(|(k, _)| *k == key) {
                        return Err(at(line, format!("klucz {key} drugi raz w META")));
                    }
                    file.meta.push((key, value));
                }
                "projects" => push_row(&mut file.projects, line, fields, MAX_PROJECTS)?,
                _ => push_row(&mut file.votes, line, fields, MAX_VOTES)?,
            }
        }
        for (name, s) in [("PROJECTS", &file.projects), ("VOTES", &file.votes)] {
            if s.header.is_empty() {
                return Err(whole(format!("brak sekcji {name} z nagłówkiem")));
            }
        }
        Ok(file)
    }

    /// The file's text: `META`, `PROJECTS`, `VOTES`, fields quoted where they must be.
    pub fn write(&self) -> String {
        let mut out = String::from("META\nkey;value\n");
        for (k, v) in &self.meta {
            line(&mut out, [k, v]);
        }
        for (name, s) in [("PROJECTS", &self.projects), ("VOTES", &self.votes)] {
            out.push_str(name);
            out.push('\n');
            line(&mut out, &s.header);
            for row in &s.rows {
                line(&mut out, &row.fields);
            }
        }
        out
    }

    pub fn meta(&self, key: &str) -> Option<&str> {
        self.meta
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    pub fn vote_type(&self) -> Result<VoteType, PbError> {
        match self.meta("vote_type") {
            Some("approval" | "choose-1") => Ok(VoteType::Approval),
            Some("cumulative") => Ok(VoteType::Cumulative),
            Some("scoring") => Ok(VoteType::Scoring),
            Some("ordinal") => Ok(VoteType::Ordinal),
            Some(other) => Err(whole(format!(
                "vote_type {other}: znane są approval, choose-1, cumulative, scoring, ordinal"
            ))),
            None => Err(whole("brak vote_type w META")),
        }
    }

    /// The pool for the tally: projects in file order with their costs, a ballot per row of
    /// `VOTES` (empty ones too: they count among the voters sharing the pool), approvals or
    /// points. Ordinal ballots need a scoring the file does not fix, so they are refused.
    pub fn instance(&self) -> Result<Pool, PbError> {
        let kind = self.vote_type()?;
        if kind == VoteType::Ordinal {
            return Err(whole(
                "głosy porządkowe (ordinal) liczy się według punktacji, której plik nie podaje",
            ));
        }
        let budget = self
            .meta("budget")
            .ok_or_else(|| whole("brak budget w META"))?;
        let budget = Amount::parse(budget).map_err(|e| whole(format!("budget: {e}")))?;
        let id_col = self
            .projects
            .column("project_id")
            .ok_or_else(|| whole("PROJECTS nie ma kolumny project_id"))?;
        let cost_col = self
            .projects
            .column("cost")
            .ok_or_else(|| whole("PROJECTS nie ma kolumny cost"))?;
        let mut costs = Vec::with_capacity(self.projects.rows.len());
        let mut index: HashMap<&str, usize> = HashMap::new();
        for row in &self.projects.rows {
            let id = row.fields[id_col].as_str();
            if id.is_empty() || id.contains(',') {
                return Err(at(
                    row.line,
                    format!("project_id „{id}” pusty albo z przecinkiem"),
                ));
            }
            if index.insert(id, costs.len()).is_some() {
                return Err(at(row.line, format!("projekt {id} drugi raz")));
            }
            let cost = Amount::parse(&row.fields[cost_col])
                .map_err(|e| at(row.line, format!("koszt projektu {id}: {e}")))?;
            costs.push((id, cost));
        }
        let decimals = costs
            .iter()
            .map(|(_, c)| c.decimals)
            .chain([budget.decimals])
            .max()
            .unwrap_or(0);
        let unit = 10u64.pow(decimals);
        let units = |a: &Amount, line: Option<usize>| {
            a.units(decimals).ok_or_else(|| PbError {
                line,
                message: "kwota za duża".into(),
            })
        };
        let mut projects = Vec::with_capacity(costs.len());
        for ((id, cost), row) in costs.iter().zip(&self.projects.rows) {
            projects.push(Project {
                id: (*id).to_string(),
                cost: units(cost, Some(row.line))?,
                conflict_group: None,
            });
        }
        let ballots = self.ballots(kind, &index)?;
        Ok(Pool {
            instance: Instance {
                budget: units(&budget, None)?,
                projects,
                ballots,
                min_votes: 0,
            },
            unit,
        })
    }

    fn ballots(
        &self,
        kind: VoteType,
        index: &HashMap<&str, usize>,
    ) -> Result<Vec<Ballot>, PbError> {
        let vote_col = self
            .votes
            .column("vote")
            .ok_or_else(|| whole("VOTES nie ma kolumny vote"))?;
        let points_col = self.votes.column("points");
        if kind != VoteType::Approval && points_col.is_none() {
            return Err(whole("głosy z punktami, a VOTES nie ma kolumny points"));
        }
        let mut ballots = Vec::with_capacity(self.votes.rows.len());
        let mut seen = vec![usize::MAX; index.len()];
        for (b, row) in self.votes.rows.iter().enumerate() {
            let ids = list(&row.fields[vote_col]);
            let points: Vec<&str> = match points_col {
                Some(c) if kind != VoteType::Approval => list(&row.fields[c]),
                _ => Vec::new(),
            };
            if kind != VoteType::Approval && points.len() != ids.len() {
                return Err(at(
                    row.line,
                    format!("{} projektów, a {} punktów", ids.len(), points.len()),
                ));
            }
            let mut choices = Vec::with_capacity(ids.len());
            for (i, id) in ids.iter().enumerate() {
                let &p = index.get(id).ok_or_else(|| {
                    at(
                        row.line,
                        format!("głos na projekt {id}, którego nie ma w PROJECTS"),
                    )
                })?;
                let given = match kind {
                    VoteType::Approval => 1,
                    _ => points[i].parse::<u64>().map_err(|_| {
                        at(
                            row.line,
                            format!("punkty „{}” nie są liczbą całkowitą nieujemną", points[i]),
                        )
                    })?,
                };
                if seen[p] == b {
                    // an approval ballot is a set, as pabutools reads it
                    if kind == VoteType::Approval {
                        continue;
                    }
                    return Err(at(
                        row.line,
                        format!("projekt {id} drugi raz w jednym głosie"),
                    ));
                }
                seen[p] = b;
                choices.push((p, given));
            }
            ballots.push(Ballot { choices });
        }
        Ok(ballots)
    }

    /// A file of `instance` (an approval or points pool) with `meta` first: the counts,
    /// the budget and the vote type are written from the instance. Voters are numbered from
    /// 1. Project ids with a comma, `;` or a line break cannot be written in a vote list.
    pub fn from_instance(meta: &[(&str, &str)], instance: &Instance) -> Result<PbFile, PbError> {
        let points = instance
            .ballots
            .iter()
            .any(|b| b.choices.iter().any(|&(_, p)| p != 1));
        if let Some(p) = instance
            .projects
            .iter()
            .find(|p| p.id.is_empty() || p.id.contains([',', ';', '\n', '\r', '"']))
        {
            return Err(whole(format!(
                "id projektu „{}” nie zmieści się w liście głosu",
                p.id
            )));
        }
        let own = ["num_projects", "num_votes", "budget", "vote_type"];
        let mut file = PbFile {
            meta: meta
                .iter()
                .filter(|(k, _)| !own.contains(k))
                .map(|(k, v)| ((*k).to_string(), (*v).to_string()))
                .collect(),
            ..PbFile::default()
        };
        file.meta.extend([
            ("num_projects".into(), instance.projects.len().to_string()),
            ("num_votes".into(), instance.ballots.len().to_string()),
            ("budget".into(), instance.budget.to_string()),
            (
                "vote_type".into(),
                if points { "cumulative" } else { "approval" }.into(),
            ),
        ]);
        let votes = super::tally::votes(instance);
        file.projects.header = ["project_id", "cost", "votes"].map(String::from).to_vec();
        file.projects.rows = instance
            .projects
            .iter()
            .zip(&votes)
            .map(|(p, v)| Row {
                line: 0,
                fields: vec![p.id.clone(), p.cost.to_string(), v.to_string()],
            })
            .collect();
        file.votes.header = if points {
            ["voter_id", "vote", "points"].map(String::from).to_vec()
        } else {
            ["voter_id", "vote"].map(String::from).to_vec()
        };
        file.votes.rows = instance
            .ballots
            .iter()
            .enumerate()
            .map(|(i, b)| {
                let ids = b
                    .choices
                    .iter()
                    .map(|&(p, _)| instance.projects[p].id.as_str());
                let mut fields = vec![(i + 1).to_string(), ids.collect::<Vec<_>>().join(",")];
                if points {
                    let pts = b.choices.iter().map(|&(_, n)| n.to_string());
                    fields.push(pts.collect::<Vec<_>>().join(","));
                }
                Row { line: 0, fields }
            })
            .collect();
        Ok(file)
    }
}

fn push_row(s: &mut Section, line: usize, fields: Vec<String>, max: usize) -> Result<(), PbError> {
    if fields.len() != s.header.len() {
        return Err(at(
            line,
            format!("{} pól, a nagłówek ma {}", fields.len(), s.header.len()),
        ));
    }
    if s.rows.len() == max {
        return Err(at(line, format!("więcej niż {max} wierszy w sekcji")));
    }
    s.rows.push(Row { line, fields });
    Ok(())
}

/// A comma-separated list, empty items dropped (`""` is no project).
fn list(text: &str) -> Vec<&str> {
    text.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect()
}

/// One line of output: fields quoted where they hold `;`, `"` or a line break.
fn line<S: AsRef<str>>(out: &mut String, fields: impl IntoIterator<Item = S>) {
    for (i, f) in fields.into_iter().enumerate() {
        let f = f.as_ref();
        if i > 0 {
            out.push(';');
        }
        if f.contains([';', '"', '\n', '\r']) {
            let _ = write!(out, "\"{}\"", f.replace('"', "\"\""));
        } else {
            out.push_str(f);
        }
    }
    out.push('\n');
}

/// A non-negative amount: digits, and decimals after `.` or `,` (`102533.36`, `5000,5`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Amount {
    /// The digits without the separator, and how many were decimals.
    digits: u64,
    decimals: u32,
}

impl Amount {
    fn parse(text: &str) -> Result<Self, String> {
        let bad = || format!("„{text}” nie jest kwotą (cyfry, najwyżej 6 po kropce)");
        let (whole, frac) = match text.split_once(['.', ',']) {
            Some((w, f)) => (w, f),
            None => (text, ""),
        };
        if whole.is_empty()
            || frac.len() > 6
            || !whole.bytes().all(|b| b.is_ascii_digit())
            || !frac.bytes().all(|b| b.is_ascii_digit())
        {
            return Err(bad());
        }
        let digits = format!("{whole}{frac}").parse::<u64>().map_err(|_| bad())?;
        Ok(Self {
            digits,
            decimals: frac.len() as u32,
        })
    }

    /// The amount in units of `10^-decimals` (`decimals` at least its own).
    fn units(&self, decimals: u32) -> Option<u64> {
        self.digits
            .checked_mul(10u64.checked_pow(decimals - self.decimals)?)
    }
}

/// The records of a `;`-separated text, as Python's csv module splits them: a quoted field
/// may hold `;`, a line break and `""` for a quote. Each record with the line it starts on.
struct Records<'a> {
    text: &'a str,
    pos: usize,
    line: usize,
}

impl<'a> Records<'a> {
    fn new(text: &'a str) -> Self {
        Self {
            text,
            pos: 0,
            line: 1,
        }
    }
}

impl Iterator for Records<'_> {
    type Item = Result<(usize, Vec<String>), PbError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.pos >= self.text.len() {
            return None;
        }
        let start = self.line;
        let mut fields = Vec::new();
        let mut field = String::new();
        let mut quoted = false;
        let mut was_quoted = false;
        let mut chars = self.text[self.pos..].char_indices().peekable();
        let mut end = self.text.len() - self.pos;
        while let Some((i, c)) = chars.next() {
            match c {
                '"' if quoted => {
                    if chars.peek().is_some_and(|&(_, n)| n == '"') {
                        chars.next();
                        field.push('"');
                    } else {
                        quoted = false;
                    }
                }
                '"' if field.trim().is_empty() && !was_quoted => {
                    quoted = true;
                    was_quoted = true;
                    field.clear();
                }
                '\n' if quoted => {
                    self.line += 1;
                    field.push(c);
                }
                '\n' => {
                    self.line += 1;
                    end = i + 1;
                    break;
                }
                ';' if !quoted => {
                    fields.push(std::mem::take(&mut field).trim().to_string());
                    was_quoted = false;
                    if fields.len() > MAX_COLUMNS {
                        self.pos = self.text.len();
                        return Some(Err(at(start, format!("więcej niż {MAX_COLUMNS} pól"))));
                    }
                }
                _ => field.push(c),
            }
        }
        self.pos += end;
        if quoted {
            self.pos = self.text.len();
            return Some(Err(at(start, "cudzysłów otwarty i niezamknięty")));
        }
        let last = field.trim_end_matches('\r').trim().to_string();
        fields.push(last);
        Some(Ok((start, fields)))
    }
}

#[cfg(test)]
mod tests {
    use super::super::tally::{Draw, Rule, Satisfaction, tally_in_units};
    use super::*;

    const SMALL: &str = "\u{feff}META\nkey;value\ndescription;\"Osiedle; Centrum\"\nbudget;100.50\nvote_type;approval\nnum_votes;3\nPROJECTS\nproject_id;cost;name\n1;60;\"Ławki \"\"przy\"\" stawie\"\n2;40,5;\"Dwie\nlinie\"\n10;30;Zieleń\r\nVOTES\nvoter_id;vote\n1;1,2\n2;2,10,2\n\n3;\n";

    #[test]
    fn reads_quotes_decimals_and_a_ballot_that_names_a_project_twice() {
        let file = PbFile::parse(SMALL).unwrap();
        assert_eq!(file.meta("description"), Some("Osiedle; Centrum"));
        assert_eq!(file.projects.rows[0].fields[2], "Ławki \"przy\" stawie");
        assert_eq!(file.projects.rows[1].fields[2], "Dwie\nlinie");
        assert_eq!(
            file.projects.rows[2].line, 12,
            "the line after a quoted break"
        );
        assert_eq!(file.votes.rows.len(), 3);
        let pool = file.instance().unwrap();
        // 100.50 and 40,5 are read in grosze: one złoty is 100 units
        assert_eq!(pool.unit, 100);
        assert_eq!(pool.instance.budget, 10050);
        let costs: Vec<u64> = pool.instance.projects.iter().map(|p| p.cost).collect();
        assert_eq!(costs, [6000, 4050, 3000]);
        assert_eq!(pool.instance.ballots[1], Ballot::approval([1, 2]));
        assert!(
            pool.instance.ballots[2].choices.is_empty(),
            "an empty ballot counts"
        );
        assert_eq!(pool.amount(10050), "100.50");
    }

    #[test]
    fn writes_what_it_reads() {
        let file = PbFile::parse(SMALL).unwrap();
        let text = file.write();
        let again = PbFile::parse(&text).unwrap();
        assert_eq!(again, file);
        assert_eq!(again.write(), text);
    }

    #[test]
    fn an_instance_goes_out_and_comes_back() {
        let instance = Instance {
            budget: 500,
            projects: ["a", "b", "c d"]
                .iter()
                .zip([100, 250, 300])
                .map(|(id, cost)| Project {
                    id: (*id).into(),
                    cost,
                    conflict_group: None,
                })
                .collect(),
            ballots: vec![
                Ballot::approval([0, 2]),
                Ballot::approval([]),
                Ballot::approval([1]),
            ],
            min_votes: 0,
        };
        let file =
            PbFile::from_instance(&[("description", "Próba; z średnikiem")], &instance).unwrap();
        let back = PbFile::parse(&file.write()).unwrap();
        assert_eq!(back, file);
        assert_eq!(back.meta("vote_type"), Some("approval"));
        assert_eq!(back.meta("num_votes"), Some("3"));
        assert_eq!(back.instance().unwrap().instance, instance);
        // and points
        let mut cumulative = instance.clone();
        cumulative.ballots[0].choices = vec![(0, 3), (2, 2)];
        let file = PbFile::from_instance(&[], &cumulative).unwrap();
        let back = PbFile::parse(&file.write()).unwrap().instance().unwrap();
        assert_eq!(back.instance, cumulative);
        assert_eq!(back.unit, 1);
        // an id that a vote list cannot hold
        cumulative.projects[0].id = "1,2".into();
        assert!(PbFile::from_instance(&[], &cumulative).is_err());
    }

    #[test]
    fn errors_name_the_line() {
        let cases = [
            (
                "META\nkey;value\nbudget;10\nvote_type;approval\nPROJECTS\nproject_id;cost\n1;5\nVOTES\nvoter_id;vote\n1;1,7\n",
                "wiersz 10: głos na projekt 7, którego nie ma w PROJECTS",
            ),
            (
                "META\nkey;value\nbudget;10\nvote_type;approval\nPROJECTS\nproject_id;cost\n1;5;x\nVOTES\nvoter_id;vote\n",
                "wiersz 7: 3 pól, a nagłówek ma 2",
            ),
            (
                "META\nkey;value\nbudget;10\nvote_type;approval\nPROJECTS\nproject_id;cost\n1;-5\nVOTES\nvoter_id;vote\n",
                "wiersz 7: koszt projektu 1: „-5” nie jest kwotą (cyfry, najwyżej 6 po kropce)",
            ),
            (
                "META\nkey;value\nbudget;10\nvote_type;approval\nPROJECTS\nproject_id;cost\n1;5\n1;6\nVOTES\nvoter_id;vote\n",
                "wiersz 8: projekt 1 drugi raz",
            ),
            (
                "META\nkey;value\nbudget;10\nvote_type;cumulative\nPROJECTS\nproject_id;cost\n1;5\nVOTES\nvoter_id;vote;points\n1;1;2.5\n",
                "wiersz 10: punkty „2.5” nie są liczbą całkowitą nieujemną",
            ),
            (
                "META\nkey;value\nbudget;10\nvote_type;cumulative\nPROJECTS\nproject_id;cost\n1;5\nVOTES\nvoter_id;vote;points\n1;1;2,3\n",
                "wiersz 10: 1 projektów, a 2 punktów",
            ),
            (
                "META\nkey;value\nbudget;10\nvote_type;approval\nPROJECTS\nproject_id;cost\n1;\"5\nVOTES\n",
                "wiersz 7: cudzysłów otwarty i niezamknięty",
            ),
            (
                "budget;10\n",
                "wiersz 1: przed pierwszą sekcją (META, PROJECTS, VOTES)",
            ),
            (
                "META\nkey;value\nbudget;10\nvote_type;approval\nPROJECTS\nproject_id;cost\n1;5\n",
                "brak sekcji VOTES z nagłówkiem",
            ),
            (
                "META\nkey;value\nbudget;10\nvote_type;ordinal\nPROJECTS\nproject_id;cost\n1;5\nVOTES\nvoter_id;vote\n",
                "głosy porządkowe (ordinal) liczy się według punktacji, której plik nie podaje",
            ),
            (
                "META\nkey;value\nbudget;10\nPROJECTS\nproject_id;cost\n1;5\nVOTES\nvoter_id;vote\n",
                "brak vote_type w META",
            ),
        ];
        for (text, message) in cases {
            let got = PbFile::parse(text).and_then(|f| f.instance().map(|_| ()));
            assert_eq!(
                got.map_err(|e| e.to_string()),
                Err(message.to_string()),
                "{text}"
            );
        }
        let many_columns = format!("META\nkey;value\n{}\n", ["x"; MAX_COLUMNS + 2].join(";"));
        assert!(
            PbFile::parse(&many_columns)
                .unwrap_err()
                .to_string()
                .contains("więcej niż 100 pól")
        );
    }

    #[test]
    fn amounts_with_grosze_are_counted_in_grosze_and_reported_in_zloty() {
        // two voters share 100: a (60) is theirs, b (50) the first's, c (40) the second's.
        // In whole złote, equal shares end with a and c (tally::mes, the completion test).
        let zl = "META\nkey;value\nbudget;100\nvote_type;approval\nPROJECTS\nproject_id;cost\na;60\nb;50\nc;40\nVOTES\nvoter_id;vote\n1;a,b\n2;a,c\n";
        let rule = Rule::EqualShares {
            satisfaction: Satisfaction::Cost,
        };
        let pool = PbFile::parse(zl).unwrap().instance().unwrap();
        assert_eq!(pool.unit, 1);
        let t = tally_in_units(&pool.instance, rule, pool.unit, &mut Draw::by_id()).unwrap();
        assert_eq!(t.winners, [0, 2]);
        // a at 60.01 leaves 39.99, and c (40) no longer fits: a alone, 60.01 spent
        let gr = zl.replace("a;60", "a;60.01");
        let pool = PbFile::parse(&gr).unwrap().instance().unwrap();
        assert_eq!(pool.unit, 100);
        assert_eq!(pool.instance.budget, 10_000);
        let t = tally_in_units(&pool.instance, rule, pool.unit, &mut Draw::by_id()).unwrap();
        assert_eq!(t.winners, [0]);
        assert_eq!(pool.amount(t.spent), "60.01");
    }
}
