//! The participatory budget (budżet obywatelski, u.s.g. art. 5a ust. 3–7; issue 15): an
//! edition as the council's resolution sets it, the phases its windows put it in, a
//! project's way from intake to the ballot, and the rules a ballot keeps. Pure: built by
//! parsing, no I/O.
//!
//! A refusal names its rule and the article or ruling behind it (PARTICIPATION.md §3), so
//! the coordinator knows what to change and why.

use serde::{Deserialize, Serialize};
use time::Date;

pub use super::consultation::{LegalBasis, Refusal};

// dates travel as `YYYY-MM-DD`
time::serde::format_description!(iso_date, Date, "[year]-[month]-[day]");

/// The longest title of an edition or a project, in characters.
pub const TITLE_MAX: usize = 300;
/// The longest reasons, appeal or description, in characters.
pub const TEXT_MAX: usize = 10_000;
/// The most pools an edition has, and projects a ballot may name in one pool.
pub const POOLS_MAX: usize = 64;
pub const CHOICES_MAX: usize = 200;

/// One pool: the whole gmina or one area of `forms/areas.yaml`, with its amount and the
/// kind of its ballot.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Pool {
    /// A stable code, e.g. `GMINA` or the area's code.
    pub code: String,
    pub name: String,
    /// The area the pool covers; none for the whole gmina.
    #[serde(default)]
    pub area: Option<String>,
    /// In grosze.
    pub amount: u64,
    pub ballot: BallotKind,
}

/// How a resident marks the ballot of one pool.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum BallotKind {
    /// Any projects up to `max_projects`.
    Approval { max_projects: u32 },
    /// Any projects whose costs together fit in the pool's amount.
    Knapsack,
    /// Up to `points` points spread over the projects.
    Points { points: u32 },
}

/// A voter's satisfaction under the Method of Equal Shares.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Satisfaction {
    Cost,
    Cardinality,
}

/// How winners are picked, fixed before voting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(tag = "rule", rename_all = "snake_case", deny_unknown_fields)]
pub enum WinnerRule {
    Greedy,
    EqualShares { satisfaction: Satisfaction },
}

/// The resolution's windows, in Polish legal time; each is a first and a last day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Windows {
    #[serde(with = "iso_date")]
    pub intake_opens: Date,
    #[serde(with = "iso_date")]
    pub intake_closes: Date,
    /// Evaluation runs from the day after intake to this day.
    #[serde(with = "iso_date")]
    pub evaluation_closes: Date,
    /// Appeals run from the day after evaluation to this day.
    #[serde(with = "iso_date")]
    pub appeals_closes: Date,
    #[serde(with = "iso_date")]
    pub voting_opens: Date,
    #[serde(with = "iso_date")]
    pub voting_closes: Date,
    /// The day the results are determined and published.
    #[serde(with = "iso_date")]
    pub results_on: Date,
}

/// An edition as the coordinator sends it, from the council's resolution (u.s.g. art. 5a
/// ust. 7). See [`Edition::check`] for what it must satisfy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Edition {
    pub title: String,
    pub legal_basis: LegalBasis,
    pub pools: Vec<Pool>,
    pub windows: Windows,
    pub rule: WinnerRule,
    /// The fewest votes (points) a project needs to win; 0 for none.
    #[serde(default)]
    pub min_votes: u64,
    /// Residents' supports a project needs to be admitted (art. 5a ust. 7 pkt 2).
    #[serde(default)]
    pub support_threshold: u64,
    /// A minimum voting age. Courts struck such limits down: any value is refused.
    #[serde(default)]
    #[schema(minimum = 0, maximum = 255)]
    pub min_voting_age: Option<u8>,
    /// Whether the ballot asks for a PESEL: off unless the resolution requires it.
    #[serde(default)]
    pub pesel_on_ballot: bool,
    /// A city with powiat rights, for which the budget is mandatory (art. 5a ust. 5).
    #[serde(default)]
    pub powiat_city: bool,
    /// The gmina's expenditure in the last submitted budget execution report, in grosze.
    #[serde(default)]
    pub expenditure: Option<u64>,
    /// Whether a parent may vote for their child under [`CHILD_AGE`] (where the resolution
    /// allows it).
    #[serde(default)]
    pub child_votes_by_parent: bool,
}

/// The age under which a parent votes for their child, where the resolution allows it.
pub const CHILD_AGE: u32 = 13;

/// Whether a child born on `born` is still under [`CHILD_AGE`] on `today`: the age is
/// reached at the start of the birthday, 28 February for one born on 29 February (k.c.
/// art. 112, counted as `initiative::comes_of_age` counts it).
pub fn child_under_age(born: Date, today: Date) -> bool {
    super::initiative::comes_of_age(born, CHILD_AGE).is_none_or(|d| today < d)
}

/// What the validators need from `forms/areas.yaml`.
pub trait Territory {
    /// Every area's code.
    fn areas(&self) -> Vec<String>;
    /// Residents of an area (`Some(code)`) or of the whole gmina (`None`), where known;
    /// `None` for an unknown area too.
    fn residents(&self, area: Option<&str>) -> Option<u64>;
    fn knows(&self, area: &str) -> bool;
}

fn refusal(path: &str, code: &'static str, message: impl Into<String>) -> Refusal {
    Refusal {
        path: path.to_owned(),
        code,
        message: message.into(),
    }
}

/// grosze → `1 234,56 zł`.
pub fn zloty(grosze: u64) -> String {
    let whole = (grosze / 100).to_string();
    let mut grouped = String::new();
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i).is_multiple_of(3) {
            grouped.push('\u{a0}');
        }
        grouped.push(c);
    }
    format!("{grouped},{:02} zł", grosze % 100)
}

impl Edition {
    /// Every rule the edition breaks.
    pub fn check(&self, territory: &impl Territory) -> Vec<Refusal> {
        let mut out = Vec::new();
        let title = self.title.trim();
        if title.is_empty() || title.chars().count() > TITLE_MAX {
            out.push(refusal(
                "title",
                "title.length",
                format!("tytuł ma od 1 do {TITLE_MAX} znaków"),
            ));
        }
        out.extend(self.legal_basis.check("art. 5a ust. 7 u.s.g."));
        out.extend(self.check_pools(territory));
        out.extend(self.check_windows());
        if let Some(age) = self.min_voting_age {
            out.push(refusal(
                "min_voting_age",
                "voting.age_limit",
                format!(
                    "budżet obywatelski nie może ograniczać głosowania wiekiem ({age} lat): głosuje każdy mieszkaniec (wyrok WSA w Opolu II SA/Op 108/18; wyrok WSA we Wrocławiu III SA/Wr 777/16)"
                ),
            ));
        }
        if let WinnerRule::EqualShares { .. } = self.rule {
            for (i, p) in self.pools.iter().enumerate() {
                if !matches!(p.ballot, BallotKind::Approval { .. }) {
                    out.push(refusal(
                        &format!("pools[{i}].ballot"),
                        "rule.equal_shares_approval",
                        "metoda równych udziałów liczy karty z wyborem projektów (Peters, Pierczyński, Skowron 2021): wybierz taką kartę albo zasadę większości głosów",
                    ));
                }
            }
        }
        out
    }

    fn check_pools(&self, territory: &impl Territory) -> Vec<Refusal> {
        let mut out = Vec::new();
        if self.pools.is_empty() || self.pools.len() > POOLS_MAX {
            out.push(refusal(
                "pools",
                "pools.count",
                format!("edycja ma od 1 do {POOLS_MAX} pul"),
            ));
        }
        let mut seen = std::collections::HashSet::new();
        for (i, p) in self.pools.iter().enumerate() {
            let at = |f: &str| format!("pools[{i}].{f}");
            let code_ok = !p.code.is_empty()
                && p.code.len() <= 32
                && p.code
                    .chars()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '-');
            if !code_ok {
                out.push(refusal(
                    &at("code"),
                    "pool.code",
                    "kod puli to od 1 do 32 wielkich liter, cyfr lub `-`",
                ));
            } else if !seen.insert(p.code.as_str()) {
                out.push(refusal(
                    &at("code"),
                    "pool.duplicate",
                    format!("pula `{}` występuje dwa razy", p.code),
                ));
            }
            if p.name.trim().is_empty() || p.name.chars().count() > TITLE_MAX {
                out.push(refusal(
                    &at("name"),
                    "pool.name",
                    format!("nazwa puli ma od 1 do {TITLE_MAX} znaków"),
                ));
            }
            if let Some(a) = &p.area
                && !territory.knows(a)
            {
                out.push(refusal(
                    &at("area"),
                    "pool.unknown_area",
                    format!("obszaru `{a}` nie ma w forms/areas.yaml"),
                ));
            }
            if p.amount == 0 {
                out.push(refusal(
                    &at("amount"),
                    "pool.amount",
                    "kwota puli (w groszach) jest większa od zera",
                ));
            }
            match p.ballot {
                BallotKind::Approval { max_projects: 0 } | BallotKind::Points { points: 0 } => out
                    .push(refusal(
                        &at("ballot"),
                        "pool.ballot",
                        "karta pozwala wybrać co najmniej jeden projekt",
                    )),
                _ => {}
            }
            out.extend(self.check_threshold(i, p, territory));
        }
        // every resident votes somewhere: a pool for the whole gmina, or one for every area
        if !self.pools.is_empty() && !self.pools.iter().any(|p| p.area.is_none()) {
            let covered: Vec<&str> = self
                .pools
                .iter()
                .filter_map(|p| p.area.as_deref())
                .collect();
            let left: Vec<String> = territory
                .areas()
                .into_iter()
                .filter(|a| !covered.contains(&a.as_str()))
                .collect();
            if !left.is_empty() {
                out.push(refusal(
                    "pools",
                    "territory.uncovered",
                    format!(
                        "mieszkańcy obszarów {} nie mieliby na co głosować: głosowanie obejmuje całą gminę (art. 5a ust. 3 i ust. 7 pkt 4 u.s.g., głosowanie równe i bezpośrednie); dodaj pulę ogólnogminną albo pulę dla każdego z tych obszarów",
                        left.join(", ")
                    ),
                ));
            }
        }
        if self.powiat_city {
            let total: u64 = self.pools.iter().map(|p| p.amount).sum();
            match self.expenditure {
                None => out.push(refusal(
                    "expenditure",
                    "powiat_city.expenditure",
                    "miasto na prawach powiatu podaje wydatki z ostatniego przedłożonego sprawozdania z wykonania budżetu (art. 5a ust. 5 u.s.g.)",
                )),
                // below 0.5 %: total / expenditure < 5 / 1000
                Some(e) if u128::from(total) * 200 < u128::from(e) => out.push(refusal(
                    "pools",
                    "powiat_city.minimum",
                    format!(
                        "w mieście na prawach powiatu budżet obywatelski wynosi co najmniej 0,5% wydatków z ostatniego przedłożonego sprawozdania z wykonania budżetu (art. 5a ust. 5 u.s.g.): co najmniej {}, a pule dają razem {}",
                        zloty(e.div_ceil(200)),
                        zloty(total)
                    ),
                )),
                Some(_) => {}
            }
        }
        out
    }

    /// At most 0.1 % of the residents of the area the pool covers (art. 5a ust. 7 pkt 2).
    fn check_threshold(&self, i: usize, p: &Pool, territory: &impl Territory) -> Vec<Refusal> {
        if self.support_threshold == 0 {
            return Vec::new();
        }
        let path = format!("pools[{i}]");
        match territory.residents(p.area.as_deref()) {
            None => vec![refusal(
                &path,
                "support_threshold.residents_unknown",
                format!(
                    "forms/areas.yaml nie podaje liczby mieszkańców obszaru {}, więc nie da się sprawdzić, czy próg poparcia nie przekracza 0,1% mieszkańców (art. 5a ust. 7 pkt 2 u.s.g.)",
                    p.area.as_deref().unwrap_or("gminy")
                ),
            )],
            Some(residents) if self.support_threshold * 1000 > residents => vec![refusal(
                "support_threshold",
                "support_threshold.above_limit",
                format!(
                    "projekt może wymagać poparcia najwyżej 0,1% mieszkańców obszaru puli (art. 5a ust. 7 pkt 2 u.s.g.): pulę {} zamieszkuje {residents} osób, więc próg to najwyżej {}, a nie {}",
                    p.code,
                    residents / 1000,
                    self.support_threshold
                ),
            )],
            Some(_) => Vec::new(),
        }
    }

    fn check_windows(&self) -> Vec<Refusal> {
        let w = &self.windows;
        let steps: [(&str, Date, Date, bool); 6] = [
            (
                "windows.intake_closes",
                w.intake_opens,
                w.intake_closes,
                false,
            ),
            (
                "windows.evaluation_closes",
                w.intake_closes,
                w.evaluation_closes,
                true,
            ),
            (
                "windows.appeals_closes",
                w.evaluation_closes,
                w.appeals_closes,
                true,
            ),
            (
                "windows.voting_opens",
                w.appeals_closes,
                w.voting_opens,
                true,
            ),
            (
                "windows.voting_closes",
                w.voting_opens,
                w.voting_closes,
                false,
            ),
            ("windows.results_on", w.voting_closes, w.results_on, true),
        ];
        steps
            .into_iter()
            .filter(|(_, before, after, strict)| {
                if *strict {
                    after <= before
                } else {
                    after < before
                }
            })
            .map(|(path, before, after, _)| {
                refusal(
                    path,
                    "windows.order",
                    format!(
                        "terminy następują po sobie: zgłaszanie, ocena, odwołania (obowiązkowe, art. 5a ust. 7 pkt 3 u.s.g.), głosowanie, wyniki; {after} to za wcześnie po {before}"
                    ),
                )
            })
            .collect()
    }

    pub fn pool(&self, code: &str) -> Option<&Pool> {
        self.pools.iter().find(|p| p.code == code)
    }

    /// The pools a resident of `area` votes in: the whole gmina's and their area's.
    pub fn pools_for(&self, area: &str) -> Vec<&Pool> {
        self.pools
            .iter()
            .filter(|p| p.area.as_deref().is_none_or(|a| a == area))
            .collect()
    }
}

impl LegalBasis {
    /// The resolution is named and linked; `article` is the statute that requires it.
    pub fn check(&self, article: &str) -> Vec<Refusal> {
        let mut out = Vec::new();
        if self.resolution.trim().is_empty() {
            out.push(refusal(
                "legal_basis.resolution",
                "legal_basis.required",
                format!("podaj uchwałę rady ({article})"),
            ));
        }
        if !(self.link.starts_with("https://") || self.link.starts_with("http://")) {
            out.push(refusal(
                "legal_basis.link",
                "legal_basis.link",
                "odnośnik do uchwały to adres http(s)",
            ));
        }
        out
    }
}

/// Where an edition is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    Announced,
    Intake,
    Evaluation,
    Appeals,
    /// Between the appeals and the vote: the ballot is being set.
    Ready,
    Voting,
    /// Voting is over; the results are determined on their day.
    Counting,
    /// The protocol is published.
    Results,
}

impl Phase {
    pub const ALL: [Self; 8] = [
        Self::Announced,
        Self::Intake,
        Self::Evaluation,
        Self::Appeals,
        Self::Ready,
        Self::Voting,
        Self::Counting,
        Self::Results,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Announced => "announced",
            Self::Intake => "intake",
            Self::Evaluation => "evaluation",
            Self::Appeals => "appeals",
            Self::Ready => "ready",
            Self::Voting => "voting",
            Self::Counting => "counting",
            Self::Results => "results",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Announced => "ogłoszona",
            Self::Intake => "zgłaszanie projektów",
            Self::Evaluation => "ocena projektów",
            Self::Appeals => "odwołania",
            Self::Ready => "przygotowanie głosowania",
            Self::Voting => "głosowanie",
            Self::Counting => "ustalanie wyników",
            Self::Results => "wyniki ogłoszone",
        }
    }

    /// The phase the windows put an edition in on `today`; phases only move forward, and
    /// the results come from the tally, never from a date alone.
    pub fn at(self, w: &Windows, today: Date) -> Self {
        let by_date = if today > w.voting_closes {
            Self::Counting
        } else if today >= w.voting_opens {
            Self::Voting
        } else if today > w.appeals_closes {
            Self::Ready
        } else if today > w.evaluation_closes {
            Self::Appeals
        } else if today > w.intake_closes {
            Self::Evaluation
        } else if today >= w.intake_opens {
            Self::Intake
        } else {
            Self::Announced
        };
        self.max(by_date)
    }
}

/// A project's way: submitted, evaluated formally then on its merits, appealed, on the
/// ballot, and finally selected or not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Submitted,
    FormallyRejected,
    FormallyAccepted,
    Admitted,
    Rejected,
    Appealed,
    AdmittedOnAppeal,
    AppealDismissed,
    Selected,
    NotSelected,
}

/// The two steps of evaluation (art. 5a ust. 7 pkt 3): formal requirements, then the
/// merits (legality, technical feasibility, cost).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    Formal,
    Merit,
}

impl Status {
    pub const ALL: [Self; 10] = [
        Self::Submitted,
        Self::FormallyRejected,
        Self::FormallyAccepted,
        Self::Admitted,
        Self::Rejected,
        Self::Appealed,
        Self::AdmittedOnAppeal,
        Self::AppealDismissed,
        Self::Selected,
        Self::NotSelected,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Submitted => "submitted",
            Self::FormallyRejected => "formally_rejected",
            Self::FormallyAccepted => "formally_accepted",
            Self::Admitted => "admitted",
            Self::Rejected => "rejected",
            Self::Appealed => "appealed",
            Self::AdmittedOnAppeal => "admitted_on_appeal",
            Self::AppealDismissed => "appeal_dismissed",
            Self::Selected => "selected",
            Self::NotSelected => "not_selected",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Submitted => "zgłoszony",
            Self::FormallyRejected => "odrzucony w ocenie formalnej",
            Self::FormallyAccepted => "po ocenie formalnej",
            Self::Admitted => "dopuszczony do głosowania",
            Self::Rejected => "odrzucony w ocenie merytorycznej",
            Self::Appealed => "odwołanie w rozpatrzeniu",
            Self::AdmittedOnAppeal => "dopuszczony do głosowania po odwołaniu",
            Self::AppealDismissed => "odwołanie nieuwzględnione",
            Self::Selected => "wybrany do realizacji",
            Self::NotSelected => "niewybrany",
        }
    }

    /// The statuses of a project on the ballot: admitted, and after the tally selected or not.
    pub const ON_BALLOT: [Self; 4] = [
        Self::Admitted,
        Self::AdmittedOnAppeal,
        Self::Selected,
        Self::NotSelected,
    ];

    /// Whether the project is on the ballot.
    pub fn on_ballot(self) -> bool {
        Self::ON_BALLOT.contains(&self)
    }

    /// The status after a `stage` evaluation, or why this one cannot be made now.
    pub fn evaluated(self, stage: Stage, positive: bool) -> Result<Self, &'static str> {
        match (stage, self) {
            (Stage::Formal, Self::Submitted) => Ok(if positive {
                Self::FormallyAccepted
            } else {
                Self::FormallyRejected
            }),
            (Stage::Formal, _) => Err("ocenę formalną wydaje się raz, dla zgłoszonego projektu"),
            (Stage::Merit, Self::FormallyAccepted) => Ok(if positive {
                Self::Admitted
            } else {
                Self::Rejected
            }),
            (Stage::Merit, _) => {
                Err("ocenę merytoryczną wydaje się raz, po pozytywnej ocenie formalnej")
            }
        }
    }

    /// Whether the author may appeal: against not admitting the project to the vote.
    pub fn appealable(self) -> bool {
        matches!(self, Self::FormallyRejected | Self::Rejected)
    }
}

/// Where a winning project's implementation is, as each milestone records it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Implementation {
    Planned,
    InProgress,
    Done,
    Abandoned,
}

impl Implementation {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Planned => "planned",
            Self::InProgress => "in_progress",
            Self::Done => "done",
            Self::Abandoned => "abandoned",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [Self::Planned, Self::InProgress, Self::Done, Self::Abandoned]
            .into_iter()
            .find(|i| i.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Planned => "zaplanowany",
            Self::InProgress => "w realizacji",
            Self::Done => "zrealizowany",
            Self::Abandoned => "odstąpiono od realizacji",
        }
    }
}

/// One project a ballot names in one pool, with what the pool's rule needs to know.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pick {
    pub project: String,
    pub points: u64,
    pub cost: u64,
    /// In this pool and on the ballot.
    pub on_ballot: bool,
}

/// Why a ballot is invalid, as Warsaw counts them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Invalid {
    Duplicate,
    Ineligible,
    RuleBroken,
}

impl Invalid {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Duplicate => "duplicate",
            Self::Ineligible => "ineligible",
            Self::RuleBroken => "rule_broken",
        }
    }
}

impl Pool {
    /// What is wrong with the picks of one ballot in this pool.
    pub fn check_ballot(&self, picks: &[Pick]) -> Vec<Refusal> {
        let path = format!("choices.{}", self.code);
        let mut out = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for p in picks {
            if !p.on_ballot {
                out.push(refusal(
                    &path,
                    "ballot.unknown_project",
                    format!("projektu {} nie ma na karcie puli {}", p.project, self.code),
                ));
            }
            if !seen.insert(p.project.as_str()) {
                out.push(refusal(
                    &path,
                    "ballot.repeated",
                    format!("projekt {} wybrano dwa razy", p.project),
                ));
            }
        }
        match self.ballot {
            BallotKind::Approval { max_projects } => {
                if picks.len() > max_projects as usize {
                    out.push(refusal(
                        &path,
                        "ballot.too_many",
                        format!(
                            "w puli {} można wybrać najwyżej {max_projects} projektów (zasady głosowania z uchwały), a na tej karcie wybrano {}",
                            self.code,
                            picks.len()
                        ),
                    ));
                }
            }
            BallotKind::Knapsack => {
                let total: u64 = picks.iter().map(|p| p.cost).sum();
                if total > self.amount {
                    out.push(refusal(
                        &path,
                        "ballot.over_amount",
                        format!(
                            "wybrane projekty kosztują razem {}, więcej niż kwota puli {}: {}",
                            zloty(total),
                            self.code,
                            zloty(self.amount)
                        ),
                    ));
                }
            }
            BallotKind::Points { points } => {
                let given: u64 = picks.iter().map(|p| p.points).sum();
                if given > u64::from(points) || picks.iter().any(|p| p.points == 0) {
                    out.push(refusal(
                        &path,
                        "ballot.points",
                        format!(
                            "w puli {} głosujący rozdziela {points} punktów, każdemu wybranemu projektowi co najmniej jeden; na tej karcie rozdzielono {given}",
                            self.code
                        ),
                    ));
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    struct Gmina;

    impl Territory for Gmina {
        fn areas(&self) -> Vec<String> {
            vec!["OS-CENTRUM".into(), "SOL-BOROWO".into()]
        }
        fn residents(&self, area: Option<&str>) -> Option<u64> {
            match area {
                None => Some(52_000),
                Some("OS-CENTRUM") => Some(12_500),
                Some(_) => None,
            }
        }
        fn knows(&self, area: &str) -> bool {
            self.areas().iter().any(|a| a == area)
        }
    }

    fn edition() -> Edition {
        Edition {
            title: "Budżet obywatelski 2027".into(),
            legal_basis: LegalBasis {
                resolution: "XV/201/2026".into(),
                adopted_on: date!(2026 - 09 - 24),
                link: "https://bip.przykladowo.example.pl/uchwaly/xv-201-2026".into(),
            },
            pools: vec![
                Pool {
                    code: "GMINA".into(),
                    name: "Projekty ogólnomiejskie".into(),
                    area: None,
                    amount: 100_000_000,
                    ballot: BallotKind::Approval { max_projects: 3 },
                },
                Pool {
                    code: "OS-CENTRUM".into(),
                    name: "Osiedle Centrum".into(),
                    area: Some("OS-CENTRUM".into()),
                    amount: 20_000_000,
                    ballot: BallotKind::Knapsack,
                },
            ],
            windows: Windows {
                intake_opens: date!(2027 - 01 - 11),
                intake_closes: date!(2027 - 02 - 28),
                evaluation_closes: date!(2027 - 04 - 30),
                appeals_closes: date!(2027 - 05 - 14),
                voting_opens: date!(2027 - 06 - 01),
                voting_closes: date!(2027 - 06 - 14),
                results_on: date!(2027 - 06 - 21),
            },
            rule: WinnerRule::Greedy,
            min_votes: 0,
            support_threshold: 10,
            min_voting_age: None,
            pesel_on_ballot: false,
            powiat_city: false,
            expenditure: None,
            child_votes_by_parent: false,
        }
    }

    fn codes(r: &[Refusal]) -> Vec<&'static str> {
        r.iter().map(|r| r.code).collect()
    }

    #[test]
    fn an_edition_from_a_resolution_passes() {
        assert!(edition().check(&Gmina).is_empty());
        assert!(!edition().pesel_on_ballot);
    }

    #[test]
    fn usg_5a_an_age_limit_on_voting_is_refused_naming_the_rulings() {
        let mut e = edition();
        e.min_voting_age = Some(16);
        let r = e.check(&Gmina);
        assert_eq!(codes(&r), ["voting.age_limit"]);
        assert!(r[0].message.contains("II SA/Op 108/18"), "{}", r[0].message);
        assert!(
            r[0].message.contains("III SA/Wr 777/16"),
            "{}",
            r[0].message
        );
    }

    #[test]
    fn usg_5a_a_vote_leaving_part_of_the_territory_out_is_refused() {
        let mut e = edition();
        e.pools.remove(0);
        let r = e.check(&Gmina);
        assert_eq!(codes(&r), ["territory.uncovered"]);
        assert!(r[0].message.contains("SOL-BOROWO"), "{}", r[0].message);
        assert!(!r[0].message.contains("OS-CENTRUM,"), "{}", r[0].message);
        // a pool for each area covers it, as a pool for the whole gmina does
        e.pools.push(Pool {
            code: "SOL-BOROWO".into(),
            name: "Borowo".into(),
            area: Some("SOL-BOROWO".into()),
            amount: 5_000_000,
            ballot: BallotKind::Approval { max_projects: 2 },
        });
        e.support_threshold = 0;
        assert!(e.check(&Gmina).is_empty());
    }

    #[test]
    fn usg_5a_ust_7_pkt_2_support_threshold_at_most_a_thousandth_of_residents() {
        let mut e = edition();
        // Centrum has 12 500 residents: 12 supports is 0.096 %, 13 is above 0.1 %
        e.support_threshold = 12;
        assert!(e.check(&Gmina).is_empty());
        e.support_threshold = 13;
        let r = e.check(&Gmina);
        assert_eq!(codes(&r), ["support_threshold.above_limit"]);
        assert!(r[0].message.contains("art. 5a ust. 7 pkt 2"));
        assert!(r[0].message.contains("najwyżej 12"), "{}", r[0].message);
        // an area whose residents are unknown cannot be checked
        e.pools[1].area = Some("SOL-BOROWO".into());
        e.support_threshold = 1;
        assert_eq!(
            codes(&e.check(&Gmina)),
            ["support_threshold.residents_unknown"]
        );
    }

    #[test]
    fn usg_5a_ust_5_a_powiat_city_gives_at_least_half_a_percent() {
        let mut e = edition();
        e.powiat_city = true;
        assert_eq!(codes(&e.check(&Gmina)), ["powiat_city.expenditure"]);
        // pools total 1 200 000 zł; 0.5 % of 240 000 000 zł is exactly that
        e.expenditure = Some(24_000_000_000);
        assert!(e.check(&Gmina).is_empty());
        e.expenditure = Some(24_000_000_200);
        let r = e.check(&Gmina);
        assert_eq!(codes(&r), ["powiat_city.minimum"]);
        assert!(r[0].message.contains("ust. 5"));
        assert!(
            r[0].message.contains("1\u{a0}200\u{a0}000,01 zł"),
            "{}",
            r[0].message
        );
    }

    #[test]
    fn windows_out_of_order_are_refused_by_field() {
        let mut e = edition();
        e.windows.appeals_closes = e.windows.evaluation_closes;
        e.windows.results_on = date!(2027 - 06 - 14);
        let r = e.check(&Gmina);
        assert_eq!(
            r.iter().map(|r| r.path.as_str()).collect::<Vec<_>>(),
            ["windows.appeals_closes", "windows.results_on"]
        );
    }

    #[test]
    fn equal_shares_needs_approval_ballots() {
        let mut e = edition();
        e.rule = WinnerRule::EqualShares {
            satisfaction: Satisfaction::Cost,
        };
        let r = e.check(&Gmina);
        assert_eq!(codes(&r), ["rule.equal_shares_approval"]);
        assert_eq!(r[0].path, "pools[1].ballot");
    }

    #[test]
    fn phases_follow_the_windows_and_never_go_back() {
        let w = edition().windows;
        let p = Phase::Announced;
        assert_eq!(p.at(&w, date!(2027 - 01 - 10)), Phase::Announced);
        assert_eq!(p.at(&w, date!(2027 - 01 - 11)), Phase::Intake);
        assert_eq!(p.at(&w, date!(2027 - 02 - 28)), Phase::Intake);
        assert_eq!(p.at(&w, date!(2027 - 03 - 01)), Phase::Evaluation);
        assert_eq!(p.at(&w, date!(2027 - 05 - 01)), Phase::Appeals);
        assert_eq!(p.at(&w, date!(2027 - 05 - 15)), Phase::Ready);
        assert_eq!(p.at(&w, date!(2027 - 06 - 01)), Phase::Voting);
        assert_eq!(p.at(&w, date!(2027 - 06 - 15)), Phase::Counting);
        assert_eq!(p.at(&w, date!(2027 - 12 - 31)), Phase::Counting);
        assert_eq!(Phase::Results.at(&w, date!(2027 - 06 - 15)), Phase::Results);
        assert_eq!(Phase::Voting.at(&w, date!(2027 - 01 - 01)), Phase::Voting);
    }

    #[test]
    fn a_project_is_evaluated_formally_then_on_merits_and_appealed_once_rejected() {
        let s = Status::Submitted;
        assert!(s.evaluated(Stage::Merit, true).is_err());
        let f = s.evaluated(Stage::Formal, true).unwrap_or(s);
        assert_eq!(f, Status::FormallyAccepted);
        assert_eq!(f.evaluated(Stage::Merit, false), Ok(Status::Rejected));
        assert!(Status::Rejected.appealable());
        assert!(!Status::Admitted.appealable());
        assert!(Status::AdmittedOnAppeal.on_ballot());
        assert!(!Status::AppealDismissed.on_ballot());
        assert!(Status::Admitted.evaluated(Stage::Formal, true).is_err());
    }

    fn pick(project: &str, points: u64, cost: u64) -> Pick {
        Pick {
            project: project.into(),
            points,
            cost,
            on_ballot: true,
        }
    }

    #[test]
    fn a_ballot_keeps_its_pools_rule() {
        let e = edition();
        let approval = &e.pools[0];
        let three = [pick("a", 1, 1), pick("b", 1, 1), pick("c", 1, 1)];
        assert!(approval.check_ballot(&three).is_empty());
        let four = [three.to_vec(), vec![pick("d", 1, 1)]].concat();
        assert_eq!(codes(&approval.check_ballot(&four)), ["ballot.too_many"]);
        let twice = [pick("a", 1, 1), pick("a", 1, 1)];
        assert_eq!(codes(&approval.check_ballot(&twice)), ["ballot.repeated"]);
        let knapsack = &e.pools[1];
        let fits = [pick("a", 1, 15_000_000), pick("b", 1, 5_000_000)];
        assert!(knapsack.check_ballot(&fits).is_empty());
        let over = [pick("a", 1, 15_000_000), pick("b", 1, 5_000_001)];
        let r = knapsack.check_ballot(&over);
        assert_eq!(codes(&r), ["ballot.over_amount"]);
        assert!(
            r[0].message.contains("200\u{a0}000,01 zł"),
            "{}",
            r[0].message
        );
        let points = Pool {
            ballot: BallotKind::Points { points: 5 },
            ..e.pools[0].clone()
        };
        assert!(
            points
                .check_ballot(&[pick("a", 3, 1), pick("b", 2, 1)])
                .is_empty()
        );
        assert_eq!(
            codes(&points.check_ballot(&[pick("a", 3, 1), pick("b", 3, 1)])),
            ["ballot.points"]
        );
        let mut off = pick("z", 1, 1);
        off.on_ballot = false;
        assert_eq!(
            codes(&approval.check_ballot(&[off])),
            ["ballot.unknown_project"]
        );
    }

    #[test]
    fn a_child_is_under_13_until_the_thirteenth_birthday() {
        let born = date!(2014 - 06 - 02);
        assert!(child_under_age(born, date!(2027 - 06 - 01)));
        assert!(!child_under_age(born, date!(2027 - 06 - 02)));
        // born on 29 February 2012: 13 on 28 February 2025
        let leap = date!(2012 - 02 - 29);
        assert!(child_under_age(leap, date!(2025 - 02 - 27)));
        assert!(!child_under_age(leap, date!(2025 - 02 - 28)));
    }

    #[test]
    fn it_travels_as_json() {
        let e = edition();
        let j = serde_json::to_value(&e).unwrap_or_default();
        assert_eq!(j["windows"]["voting_opens"], "2027-06-01");
        assert_eq!(j["pools"][0]["ballot"]["kind"], "approval");
        assert_eq!(j["rule"]["rule"], "greedy");
        let back: Edition = serde_json::from_value(j).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(back, e);
    }
}
