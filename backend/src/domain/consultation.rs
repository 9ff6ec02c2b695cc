//! Public consultations (u.s.g. art. 5a; issue 14): what a consultation is, the rules of
//! each kind, and the phase its dates put it in. Pure: built by parsing, no I/O.
//!
//! A refusal names its rule and its article, so a councillor knows what to change.

use serde::{Deserialize, Serialize};
use time::{Date, Duration};

// dates travel as `YYYY-MM-DD`
time::serde::format_description!(iso_date, Date, "[year]-[month]-[day]");

/// The kinds a gmina runs; each is a template with its own rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    InformalOpen,
    InformalClosed,
    FormalOpen,
    FormalClosed,
    /// Organisations consulted on local law (ustawa o działalności pożytku publicznego
    /// art. 5 ust. 5), or the residents of one sołectwo.
    AuthorisedGroup,
    /// A planning act (u.p.z.p. art. 8h–8k).
    PlanningAct,
    /// A development strategy (u.s.g. art. 10f).
    DevelopmentStrategy,
}

impl Kind {
    pub const ALL: [Self; 7] = [
        Self::InformalOpen,
        Self::InformalClosed,
        Self::FormalOpen,
        Self::FormalClosed,
        Self::AuthorisedGroup,
        Self::PlanningAct,
        Self::DevelopmentStrategy,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::InformalOpen => "informal_open",
            Self::InformalClosed => "informal_closed",
            Self::FormalOpen => "formal_open",
            Self::FormalClosed => "formal_closed",
            Self::AuthorisedGroup => "authorised_group",
            Self::PlanningAct => "planning_act",
            Self::DevelopmentStrategy => "development_strategy",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// Who may take part by default: residents for open kinds, a roster otherwise.
    pub fn participants(self) -> Participants {
        match self {
            Self::InformalClosed | Self::FormalClosed | Self::AuthorisedGroup => {
                Participants::Roster
            }
            _ => Participants::Residents,
        }
    }
}

/// Who may take part.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Participants {
    /// Anyone who lives in the gmina (where one lives, not zameldowanie), logged in.
    Residents,
    /// Only those on the consultation's roster (organisations or named residents).
    Roster,
}

/// The council's resolution on consultations that the consultation runs under.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LegalBasis {
    /// E.g. `XII/123/2026`.
    pub resolution: String,
    #[serde(with = "iso_date")]
    pub adopted_on: Date,
    /// Where it is published (BIP, Dziennik Urzędowy).
    pub link: String,
}

/// The whole gmina, or areas listed in `forms/areas.yaml`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Scope {
    Gmina,
    Areas { areas: Vec<String> },
}

/// The consultation's dates, all in Polish legal time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Dates {
    #[serde(with = "iso_date")]
    pub announced_on: Date,
    /// The first day residents may answer.
    #[serde(with = "iso_date")]
    pub opens_on: Date,
    /// The last day residents may answer.
    #[serde(with = "iso_date")]
    pub closes_on: Date,
    #[serde(with = "iso_date")]
    pub report_due_on: Date,
}

/// The forms a consultation is held in (u.p.z.p. art. 8i ust. 2 lists them for planning acts).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Form {
    /// Collecting comments (pkt 1).
    Comments,
    /// pkt 2: meetings, panels and workshops preceded by a presentation of the draft.
    OpenMeeting,
    ExpertPanel,
    Workshop,
    /// pkt 3–5: on the area, surveys, interviews, a point or the designer's duty hours.
    StudyWalk,
    Survey,
    GeoSurvey,
    Interview,
    ConsultationPoint,
    DesignerHours,
}

impl Form {
    fn is_meeting(self) -> bool {
        matches!(self, Self::OpenMeeting | Self::ExpertPanel | Self::Workshop)
    }

    fn is_field_form(self) -> bool {
        matches!(
            self,
            Self::StudyWalk
                | Self::Survey
                | Self::GeoSurvey
                | Self::Interview
                | Self::ConsultationPoint
                | Self::DesignerHours
        )
    }
}

/// What a councillor or coordinator sends to create or edit a consultation (before the
/// rules of its kind are checked: see [`Consultation::parse`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Consultation {
    pub kind: Kind,
    pub subject: String,
    pub legal_basis: LegalBasis,
    pub scope: Scope,
    pub dates: Dates,
    #[serde(default)]
    pub forms: Vec<Form>,
    /// Who may take part; the kind's default when absent.
    #[serde(default)]
    pub participants: Option<Participants>,
    /// Answers are kept with no link to the person who gave them (and so cannot be
    /// changed once given).
    #[serde(default)]
    pub anonymous: bool,
    /// The text under consultation, split into numbered paragraphs (`§ 3.`, `2.`) that
    /// comments anchor to; see [`anchors`].
    #[serde(default)]
    pub document: String,
    /// When comments are moderated: after publication (the default) or before it.
    #[serde(default)]
    pub moderation: Moderation,
    /// Informal kinds only: the answers' results are public while it is open, not only
    /// after closing.
    #[serde(default)]
    pub results_while_open: bool,
}

/// When residents' comments are moderated.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Moderation {
    /// Published at once; the coordinator hides what breaks the rules afterwards.
    #[default]
    After,
    /// Published once the coordinator has read them.
    Before,
}

/// A rule a consultation breaks: the field, the rule's code and a message naming the
/// article where there is one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Refusal {
    pub path: String,
    pub code: &'static str,
    pub message: String,
}

fn refusal(path: &str, code: &'static str, message: impl Into<String>) -> Refusal {
    Refusal {
        path: path.to_owned(),
        code,
        message: message.into(),
    }
}

/// The shortest window of a development strategy's consultation, in days.
pub const STRATEGY_MIN_DAYS: i64 = 35;
pub const SUBJECT_MAX: usize = 300;

impl Consultation {
    /// Checks everything a consultation must satisfy to be saved: the general rules and
    /// those of its kind. `known_area` says whether an area code is in `forms/areas.yaml`.
    pub fn check(&self, known_area: impl Fn(&str) -> bool) -> Vec<Refusal> {
        let mut out = Vec::new();
        let subject = self.subject.trim();
        if subject.is_empty() || subject.chars().count() > SUBJECT_MAX {
            out.push(refusal(
                "subject",
                "subject.length",
                format!("Temat musi mieć od 1 do {SUBJECT_MAX} znaków."),
            ));
        }
        let lb = &self.legal_basis;
        if lb.resolution.trim().is_empty() {
            out.push(refusal(
                "legal_basis.resolution",
                "legal_basis.required",
                "Wskaż uchwałę rady gminy w sprawie konsultacji (u.s.g. art. 5a ust. 2).",
            ));
        }
        if !(lb.link.starts_with("https://") || lb.link.starts_with("http://")) {
            out.push(refusal(
                "legal_basis.link",
                "legal_basis.link",
                "Odnośnik do uchwały musi być adresem http(s).",
            ));
        }
        if let Scope::Areas { areas } = &self.scope {
            if areas.is_empty() {
                out.push(refusal(
                    "scope.areas",
                    "scope.empty",
                    "Wskaż co najmniej jeden obszar albo wybierz całą gminę.",
                ));
            }
            for (i, a) in areas.iter().enumerate() {
                if !known_area(a) {
                    out.push(refusal(
                        &format!("scope.areas[{i}]"),
                        "scope.unknown_area",
                        format!("Obszaru `{a}` nie ma w forms/areas.yaml."),
                    ));
                }
            }
        }
        out.extend(self.check_dates());
        match self.kind {
            Kind::PlanningAct => out.extend(self.check_planning_act()),
            Kind::DevelopmentStrategy => out.extend(self.check_strategy()),
            _ => {}
        }
        if self.participants() == Participants::Residents
            && matches!(
                self.kind,
                Kind::InformalClosed | Kind::FormalClosed | Kind::AuthorisedGroup
            )
        {
            out.push(refusal(
                "participants",
                "participants.closed_kind",
                format!(
                    "Konsultację rodzaju `{}` prowadzi się z listą uprawnionych, a nie ze wszystkimi mieszkańcami.",
                    self.kind.as_str()
                ),
            ));
        }
        if self.results_while_open
            && !matches!(self.kind, Kind::InformalOpen | Kind::InformalClosed)
        {
            out.push(refusal(
                "results_while_open",
                "results.informal_only",
                "Odpowiedzi pokazuje się przed zamknięciem tylko w konsultacjach nieformalnych; formalne pokazują je po zamknięciu.",
            ));
        }
        out
    }

    pub fn participants(&self) -> Participants {
        self.participants
            .unwrap_or_else(|| self.kind.participants())
    }

    fn check_dates(&self) -> Vec<Refusal> {
        let d = &self.dates;
        let mut out = Vec::new();
        // a planning act's announcement has its own rule, with its article
        if d.announced_on > d.opens_on && self.kind != Kind::PlanningAct {
            out.push(refusal(
                "dates.announced_on",
                "dates.order",
                "Konsultację trzeba ogłosić najpóźniej w dniu jej otwarcia.",
            ));
        }
        if d.closes_on < d.opens_on {
            out.push(refusal(
                "dates.closes_on",
                "dates.order",
                "Konsultacja nie może się zakończyć przed dniem jej otwarcia.",
            ));
        }
        if d.report_due_on < d.closes_on {
            out.push(refusal(
                "dates.report_due_on",
                "dates.order",
                "Termin raportu nie może przypadać przed dniem zamknięcia konsultacji.",
            ));
        }
        out
    }

    /// u.p.z.p. art. 8i ust. 2: comments plus one form of pkt 2 and one of pkt 3–5; the
    /// announcement goes out by the start day (art. 8h–8k).
    fn check_planning_act(&self) -> Vec<Refusal> {
        let mut out = Vec::new();
        let has = |p: fn(Form) -> bool| self.forms.iter().any(|f| p(*f));
        if !self.forms.contains(&Form::Comments) {
            out.push(refusal(
                "forms",
                "planning_act.comments",
                "Konsultacje aktu planistycznego zbierają uwagi (u.p.z.p. art. 8i ust. 2 pkt 1).",
            ));
        }
        if !has(Form::is_meeting) {
            out.push(refusal(
                "forms",
                "planning_act.meeting",
                "Konsultacje aktu planistycznego wymagają otwartego spotkania, dyskusji z ekspertami albo warsztatu (u.p.z.p. art. 8i ust. 2 pkt 2).",
            ));
        }
        if !has(Form::is_field_form) {
            out.push(refusal(
                "forms",
                "planning_act.field_form",
                "Konsultacje aktu planistycznego wymagają spaceru studyjnego, badania ankietowego lub geoankiety, wywiadów, punktu konsultacyjnego albo dyżuru projektanta (u.p.z.p. art. 8i ust. 2 pkt 3–5).",
            ));
        }
        if self.dates.announced_on > self.dates.opens_on {
            out.push(refusal(
                "dates.announced_on",
                "planning_act.announcement",
                "Konsultacje aktu planistycznego ogłasza się najpóźniej w dniu ich rozpoczęcia (u.p.z.p. art. 8h–8k).",
            ));
        }
        out
    }

    /// u.s.g. art. 10f with ustawa o zasadach prowadzenia polityki rozwoju art. 6 ust. 3:
    /// at least 35 days, counted from the day after opening (k.c. art. 111 § 2).
    fn check_strategy(&self) -> Vec<Refusal> {
        let d = &self.dates;
        let earliest = d.opens_on + Duration::days(STRATEGY_MIN_DAYS);
        if d.closes_on < earliest {
            vec![refusal(
                "dates.closes_on",
                "development_strategy.window",
                format!(
                    "Strategię rozwoju konsultuje się co najmniej {STRATEGY_MIN_DAYS} dni (u.s.g. art. 10f; ustawa o zasadach prowadzenia polityki rozwoju art. 6 ust. 3): konsultacja otwarta {} może się zakończyć najwcześniej {earliest}.",
                    d.opens_on
                ),
            )]
        } else {
            Vec::new()
        }
    }

    /// Whether it may be published on `today`: its announcement cannot reach residents
    /// after its opening day.
    pub fn check_publish(&self, today: Date) -> Vec<Refusal> {
        if today <= self.dates.opens_on {
            return Vec::new();
        }
        let article = if self.kind == Kind::PlanningAct {
            " (u.p.z.p. art. 8h–8k)"
        } else {
            ""
        };
        vec![refusal(
            "dates.opens_on",
            "publish.late",
            format!(
                "Konsultacja miała się rozpocząć {}, a ten dzień już minął: ogłasza się ją najpóźniej w dniu rozpoczęcia{article}; najpierw zmień daty.",
                self.dates.opens_on
            ),
        )]
    }
}

/// Where a consultation is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    Draft,
    Announced,
    Open,
    Closed,
    Reported,
    /// Read-only with its report, out of the lists of current consultations: moved by the
    /// worker on `archives_on`, a setting's days after the report.
    Archived,
}

impl Phase {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Announced => "announced",
            Self::Open => "open",
            Self::Closed => "closed",
            Self::Reported => "reported",
            Self::Archived => "archived",
        }
    }

    /// The phase as a Polish sentence names it ("konsultacja jest …").
    pub fn label_pl(self) -> &'static str {
        match self {
            Self::Draft => "w przygotowaniu",
            Self::Announced => "ogłoszona",
            Self::Open => "otwarta",
            Self::Closed => "zamknięta",
            Self::Reported => "zakończona raportem",
            Self::Archived => "w archiwum",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [
            Self::Draft,
            Self::Announced,
            Self::Open,
            Self::Closed,
            Self::Reported,
            Self::Archived,
        ]
        .into_iter()
        .find(|p| p.as_str() == s)
    }

    /// The phase the dates put a consultation in on `today`. A draft stays a draft until
    /// published; a report is published by hand, never by a date, and archiving follows
    /// the report (`archives_on`). Phases only move forward.
    pub fn at(self, published: bool, dates: &Dates, today: Date) -> Self {
        if self >= Self::Reported || (self == Self::Draft && !published) {
            return self;
        }
        let by_date = if today > dates.closes_on {
            Self::Closed
        } else if today >= dates.opens_on {
            Self::Open
        } else if today >= dates.announced_on {
            Self::Announced
        } else {
            Self::Draft
        };
        self.max(by_date)
    }

    /// Whether the consultation's content may still change: not once it has opened.
    pub fn editable(self) -> bool {
        matches!(self, Self::Draft | Self::Announced)
    }
}

/// A numbered paragraph of the document under consultation: `§ 3` or `§ 3 ust. 2`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Anchor {
    pub paragraph: u32,
    pub section: Option<u32>,
}

impl Anchor {
    /// Parses `§ 3`, `§3 ust. 2`, `§ 3 ust 2`.
    pub fn parse(s: &str) -> Option<Self> {
        let rest = s.trim().strip_prefix('§')?.trim_start();
        let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
        let paragraph = digits.parse().ok()?;
        let rest = rest[digits.len()..].trim();
        if rest.is_empty() {
            return Some(Self {
                paragraph,
                section: None,
            });
        }
        let n = rest.strip_prefix("ust")?.trim_start_matches('.').trim();
        let section = n.parse().ok()?;
        Some(Self {
            paragraph,
            section: Some(section),
        })
    }
}

impl std::fmt::Display for Anchor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.section {
            Some(s) => write!(f, "§ {} ust. {s}", self.paragraph),
            None => write!(f, "§ {}", self.paragraph),
        }
    }
}

/// The anchors of a draft resolution written the Polish way: a line starting `§ 3.` opens
/// paragraph 3 (with `§ 3. 1.` its first section), and a line starting `2.` inside it is
/// its section 2.
pub fn anchors(document: &str) -> Vec<Anchor> {
    let mut out = Vec::new();
    let mut current: Option<u32> = None;
    for line in document.lines().map(str::trim) {
        if let Some(rest) = line.strip_prefix('§') {
            let rest = rest.trim_start();
            let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
            let Ok(p) = digits.parse::<u32>() else {
                continue;
            };
            current = Some(p);
            out.push(Anchor {
                paragraph: p,
                section: None,
            });
            let after = rest[digits.len()..].trim_start_matches('.').trim_start();
            if let Some(s) = leading_number(after) {
                out.push(Anchor {
                    paragraph: p,
                    section: Some(s),
                });
            }
        } else if let (Some(p), Some(s)) = (current, leading_number(line)) {
            out.push(Anchor {
                paragraph: p,
                section: Some(s),
            });
        }
    }
    out
}

/// `2. text` → 2.
fn leading_number(s: &str) -> Option<u32> {
    let digits: String = s.chars().take_while(char::is_ascii_digit).collect();
    if digits.is_empty() || !s[digits.len()..].starts_with('.') {
        return None;
    }
    digits.parse().ok()
}

/// The office's position on a comment in the report (u.p.z.p. art. 8k).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Position {
    Accepted,
    PartlyAccepted,
    Rejected,
}

impl Position {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Accepted => "accepted",
            Self::PartlyAccepted => "partly_accepted",
            Self::Rejected => "rejected",
        }
    }
}

/// The longest comment, in characters.
pub const COMMENT_MAX: usize = 5000;

/// The age bands the statistics fixed at closing count, youngest first.
pub const AGE_BANDS: [&str; 7] = ["0-17", "18-24", "25-34", "35-44", "45-54", "55-64", "65+"];

/// The age band of someone born on `birth` (the PESEL's birth date) on the day `on`, in
/// whole years: a birthday counts from its day.
pub fn age_band(birth: Date, on: Date) -> &'static str {
    let before_birthday = (on.month() as u8, on.day()) < (birth.month() as u8, birth.day());
    let age = on.year() - birth.year() - i32::from(before_birthday);
    let i = match age {
        ..18 => 0,
        18..25 => 1,
        25..35 => 2,
        35..45 => 3,
        45..55 => 4,
        55..65 => 5,
        _ => 6,
    };
    AGE_BANDS[i]
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn consultation(kind: Kind) -> Consultation {
        Consultation {
            kind,
            subject: "Projekt uchwały w sprawie zasad ustawiania tablic".into(),
            legal_basis: LegalBasis {
                resolution: "XII/123/2026".into(),
                adopted_on: date!(2026 - 03 - 26),
                link: "https://bip.przykladowo.example.pl/uchwaly/xii-123-2026".into(),
            },
            scope: Scope::Gmina,
            dates: Dates {
                announced_on: date!(2027 - 01 - 04),
                opens_on: date!(2027 - 01 - 11),
                closes_on: date!(2027 - 02 - 15),
                report_due_on: date!(2027 - 03 - 15),
            },
            forms: vec![Form::Comments],
            participants: None,
            anonymous: false,
            document: String::new(),
            moderation: Moderation::After,
            results_while_open: false,
        }
    }

    fn codes(r: &[Refusal]) -> Vec<&'static str> {
        r.iter().map(|r| r.code).collect()
    }

    #[test]
    fn an_informal_consultation_with_dates_in_order_passes() {
        assert!(consultation(Kind::InformalOpen).check(|_| true).is_empty());
    }

    #[test]
    fn dates_out_of_order_are_refused_by_field() {
        let mut c = consultation(Kind::FormalOpen);
        c.dates.announced_on = date!(2027 - 01 - 12);
        c.dates.closes_on = date!(2027 - 01 - 10);
        let r = c.check(|_| true);
        assert_eq!(
            r.iter().map(|r| r.path.as_str()).collect::<Vec<_>>(),
            ["dates.announced_on", "dates.closes_on"]
        );
        assert!(r.iter().all(|r| r.code == "dates.order"));
    }

    #[test]
    fn a_development_strategy_runs_at_least_35_days() {
        let mut c = consultation(Kind::DevelopmentStrategy);
        // opened on Monday 11 January 2027: 34 days later is 14 February, refused
        c.dates.closes_on = date!(2027 - 02 - 14);
        let r = c.check(|_| true);
        assert_eq!(codes(&r), ["development_strategy.window"]);
        assert!(r[0].message.contains("art. 10f"), "{}", r[0].message);
        assert!(r[0].message.contains("art. 6 ust. 3"), "{}", r[0].message);
        assert!(r[0].message.contains("2027-02-15"), "{}", r[0].message);
        // 35 days later, 15 February, is enough
        c.dates.closes_on = date!(2027 - 02 - 15);
        assert!(c.check(|_| true).is_empty());
    }

    #[test]
    fn a_planning_act_needs_comments_a_meeting_and_a_field_form() {
        let mut c = consultation(Kind::PlanningAct);
        c.forms = vec![Form::Survey];
        let r = c.check(|_| true);
        assert_eq!(codes(&r), ["planning_act.comments", "planning_act.meeting"]);
        assert!(r[0].message.contains("art. 8i ust. 2 pkt 1"));
        c.forms = vec![Form::Comments, Form::Workshop];
        assert_eq!(codes(&c.check(|_| true)), ["planning_act.field_form"]);
        c.forms = vec![Form::Comments, Form::Workshop, Form::StudyWalk];
        assert!(c.check(|_| true).is_empty());
    }

    #[test]
    fn a_planning_act_is_announced_by_its_start_day() {
        let mut c = consultation(Kind::PlanningAct);
        c.forms = vec![Form::Comments, Form::OpenMeeting, Form::DesignerHours];
        c.dates.announced_on = date!(2027 - 01 - 12);
        let r = c.check(|_| true);
        assert_eq!(codes(&r), ["planning_act.announcement"]);
        assert!(r[0].message.contains("u.p.z.p."));
        // publishing it after its start day is refused too, naming the act
        c.dates.announced_on = date!(2027 - 01 - 11);
        assert!(c.check_publish(date!(2027 - 01 - 11)).is_empty());
        let late = c.check_publish(date!(2027 - 01 - 12));
        assert_eq!(codes(&late), ["publish.late"]);
        assert!(late[0].message.contains("u.p.z.p."));
    }

    #[test]
    fn areas_must_be_listed_and_closed_kinds_need_a_roster() {
        let mut c = consultation(Kind::FormalClosed);
        c.scope = Scope::Areas {
            areas: vec!["SOL-BOROWO".into(), "NOWHERE".into()],
        };
        c.participants = Some(Participants::Residents);
        let r = c.check(|a| a == "SOL-BOROWO");
        assert_eq!(
            codes(&r),
            ["scope.unknown_area", "participants.closed_kind"]
        );
        assert_eq!(r[0].path, "scope.areas[1]");
        assert_eq!(c.kind.participants(), Participants::Roster);
    }

    #[test]
    fn phases_follow_the_dates_and_never_go_back() {
        let c = consultation(Kind::InformalOpen);
        let d = &c.dates;
        let p = Phase::Draft;
        assert_eq!(p.at(false, d, date!(2027 - 01 - 20)), Phase::Draft);
        assert_eq!(p.at(true, d, date!(2027 - 01 - 03)), Phase::Draft);
        assert_eq!(p.at(true, d, date!(2027 - 01 - 04)), Phase::Announced);
        assert_eq!(p.at(true, d, date!(2027 - 01 - 11)), Phase::Open);
        assert_eq!(p.at(true, d, date!(2027 - 02 - 15)), Phase::Open);
        assert_eq!(p.at(true, d, date!(2027 - 02 - 16)), Phase::Closed);
        assert_eq!(
            Phase::Closed.at(true, d, date!(2027 - 01 - 20)),
            Phase::Closed
        );
        assert_eq!(
            Phase::Reported.at(true, d, date!(2027 - 05 - 01)),
            Phase::Reported
        );
        assert_eq!(
            Phase::Archived.at(true, d, date!(2027 - 05 - 01)),
            Phase::Archived
        );
        assert_eq!(Phase::parse("archived"), Some(Phase::Archived));
        assert!(Phase::Announced.editable());
        assert!(!Phase::Open.editable());
    }

    #[test]
    fn it_travels_as_json_with_iso_dates() {
        let c = consultation(Kind::PlanningAct);
        let j = serde_json::to_value(&c).unwrap_or_default();
        assert_eq!(j["dates"]["opens_on"], "2027-01-11");
        assert_eq!(j["scope"]["kind"], "gmina");
        let back: Consultation = serde_json::from_value(j).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(back, c);
    }

    #[test]
    fn anchors_of_a_draft_resolution() {
        let doc = "Uchwała nr ...\n§ 1. Ustala się zasady.\n§ 2. 1. Tablice stawia się...\n2. Wysokość tablic...\n§ 3.\n1. Kolory\n2. Wymiary\nUzasadnienie 3. nie jest ustępem";
        let a: Vec<String> = anchors(doc).iter().map(ToString::to_string).collect();
        assert_eq!(
            a,
            [
                "§ 1",
                "§ 2",
                "§ 2 ust. 1",
                "§ 2 ust. 2",
                "§ 3",
                "§ 3 ust. 1",
                "§ 3 ust. 2"
            ]
        );
        assert_eq!(
            Anchor::parse("§ 3 ust. 2"),
            Some(Anchor {
                paragraph: 3,
                section: Some(2)
            })
        );
        assert_eq!(
            Anchor::parse("§3").map(|a| a.to_string()),
            Some("§ 3".into())
        );
        assert_eq!(Anchor::parse("art. 3"), None);
        assert_eq!(Anchor::parse("§ 3 pkt 2"), None);
    }
    #[test]
    fn age_bands_count_whole_years_from_the_birthday() {
        let born = date!(2009 - 03 - 15);
        assert_eq!(age_band(born, date!(2027 - 03 - 14)), "0-17");
        assert_eq!(age_band(born, date!(2027 - 03 - 15)), "18-24");
        assert_eq!(
            age_band(date!(1944 - 05 - 14), date!(2027 - 01 - 11)),
            "65+"
        );
        assert_eq!(
            age_band(date!(1992 - 02 - 29), date!(2027 - 02 - 28)),
            "25-34"
        );
        assert_eq!(
            age_band(date!(1962 - 02 - 28), date!(2027 - 02 - 27)),
            "55-64"
        );
    }
}
