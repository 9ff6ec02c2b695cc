//! Paper in the participatory budget, typed in with four eyes (`participation::paper`): a
//! clerk types in a paper voting card or one signature of a paper support list, a second
//! clerk compares it with the paper and accepts it.
//!
//! **Who counts when a person votes on paper and online** (the resolution's rule on
//! doubles; okienko applies the one most resolutions write, "liczy się głos oddany jako
//! pierwszy"): the first ballot **recorded** counts. An online ballot is recorded when it
//! is sent; a paper card when the second clerk accepts it. A card of someone whose ballot
//! is recorded already becomes an invalid ballot (`duplicate`), counted apart in the
//! protocol; an online ballot after an accepted card is refused (409), as a second online
//! one is. The other rules a resolution could choose (online prevails, paper prevails)
//! would need to find and strike out a ballot already counted, and nothing links a ballot
//! to its voter (the vote is secret: `db::budget::ballots`), so okienko does not offer
//! them. A paper card that breaks its pool's rule, or names pools its voter may not vote
//! in, is an invalid ballot too (`rule_broken`, `ineligible`) and uses up the person's one
//! ballot, as a spoilt card does at a polling station.
//!
//! Support lists: one support per person and project, online or on paper, by the same
//! keyed hash; the first recorded counts and a second is a duplicate.

use std::collections::BTreeMap;

use sea_orm::{DatabaseTransaction, DbErr};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::voting::{Choice, mark};
use super::{Loaded, load, office, outside, today};
use crate::db::budget::{ballots, projects};
use crate::domain::budget::{CHOICES_MAX, Invalid, Phase, Status};
use crate::domain::identity::Identity;
use crate::domain::ids::ProjectId;
use crate::domain::pesel::Pesel;
use crate::error::{AppError, AppResult};
use crate::forms::FieldError;
use crate::participation::paper::{Applied, Instrument};
use crate::state::AppState;

/// Paper voting cards of an edition.
pub struct Ballots;

/// Signatures of paper support lists of an edition's projects.
pub struct Supports;

fn problem(path: &str, code: &str, message: impl Into<String>) -> AppError {
    AppError::fields(vec![FieldError {
        path: path.into(),
        code: code.into(),
        message: message.into(),
    }])
}

/// The edition, for someone who handles paper, while the protocol is not yet published.
async fn edition(app: &AppState, who: &Identity, id: &str) -> AppResult<Loaded> {
    office(Some(who)).map_err(|_| {
        AppError::Forbidden(
            "karty papierowe wpisują i przyjmują urzędnicy (rola clerk) i koordynator".into(),
        )
    })?;
    let l = load(app, id).await?;
    if l.row.secret.is_empty() {
        return Err(AppError::Conflict(
            "wyniki edycji są ogłoszone; kart papierowych już się nie wpisuje".into(),
        ));
    }
    Ok(l)
}

/// A paper voting card as typed in: what the card's boxes say.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Card {
    /// The voter ticked the declaration that they live in the gmina.
    pub declares_residence: bool,
    /// The area written on the card, if any.
    #[serde(default)]
    pub area: Option<String>,
    /// Per pool code, the projects marked.
    pub choices: BTreeMap<String, Vec<Choice>>,
}

/// What is kept of a checked card until it is decided (then erased: the ballot is secret).
#[derive(Serialize, Deserialize)]
struct Checked {
    area: Option<String>,
    choices: BTreeMap<String, Vec<(String, u64)>>,
    /// `valid`, or the invalidity (`ineligible`, `rule_broken`) with what is wrong.
    status: String,
    reason: Option<String>,
    wrong: Vec<String>,
}

impl Instrument for Ballots {
    const NAME: &'static str = "budget_ballot";
    type Subject = Loaded;

    /// Cards are typed in from the first day of voting until the protocol is published
    /// (cards handed in on the last day are typed in after it; the worker does not tally
    /// while any card waits for its second clerk).
    async fn subject(&self, app: &AppState, who: &Identity, id: &str) -> AppResult<Loaded> {
        let l = edition(app, who, id).await?;
        let phase = l.phase(today());
        if !matches!(phase, Phase::Voting | Phase::Counting | Phase::Results) {
            let w = &l.edition.windows;
            return Err(outside(
                "karty do głosowania wpisuje się",
                format!("od {} do ogłoszenia wyników", w.voting_opens),
                phase,
            ));
        }
        Ok(l)
    }

    fn subject_id(s: &Loaded) -> &str {
        &s.row.id
    }

    fn secret(s: &Loaded) -> &str {
        &s.row.secret
    }

    fn anonymous(_: &Loaded) -> bool {
        true
    }

    /// What the clerk typed must be what a card can say (a known area, the edition's pools,
    /// the projects on their ballots): anything else is a typing error (422). What the
    /// voter marked wrongly is kept, and makes the card an invalid ballot when accepted.
    async fn check(
        &self,
        app: &AppState,
        s: &Loaded,
        _pesel: &Pesel,
        data: &Value,
    ) -> AppResult<String> {
        let card: Card = serde_json::from_value(data.clone()).map_err(|e| {
            problem(
                "data",
                "budget.card",
                format!("karta: declares_residence, area i choices ({{pula: [{{project}}]}}): {e}"),
            )
        })?;
        if let Some(a) = &card.area
            && app.catalogue.areas.get(a).is_none()
        {
            return Err(problem(
                "data.area",
                "ballot.unknown_area",
                format!("obszaru `{a}` nie ma w gminie: sprawdź, co wpisano"),
            ));
        }
        let count: usize = card.choices.values().map(Vec::len).sum();
        if count > CHOICES_MAX {
            return Err(problem(
                "data.choices",
                "ballot.too_many",
                format!("karta ma najwyżej {CHOICES_MAX} pól"),
            ));
        }
        let on_ballot = projects::with_status(
            &app.db,
            &s.row.id,
            &[Status::Admitted, Status::AdmittedOnAppeal],
        )
        .await?;
        for (code, chosen) in &card.choices {
            if s.edition.pool(code).is_none() {
                return Err(problem(
                    &format!("data.choices.{code}"),
                    "ballot.unknown_pool",
                    format!("puli {code} nie ma w tej edycji: sprawdź, co wpisano"),
                ));
            }
            if let Some(c) = chosen.iter().find(|c| {
                !on_ballot
                    .iter()
                    .any(|p| p.id == c.project && &p.pool_code == code)
            }) {
                return Err(problem(
                    &format!("data.choices.{code}"),
                    "ballot.unknown_project",
                    format!(
                        "projektu `{}` nie ma na karcie puli {code}: sprawdź, co wpisano",
                        c.project
                    ),
                ));
            }
        }
        let marked = mark(
            app,
            &s.edition,
            &on_ballot,
            card.declares_residence,
            card.area.as_deref(),
            &card.choices,
        );
        // who may not vote in a pool weighs more than how they marked it
        let invalid = marked
            .wrong
            .iter()
            .map(|(i, _)| *i)
            .find(|i| *i == Invalid::Ineligible)
            .or(marked.wrong.first().map(|(i, _)| *i))
            .map(|i| i.as_str().to_owned());
        let checked = Checked {
            area: card.area,
            choices: marked.stored,
            status: if invalid.is_some() {
                "invalid"
            } else {
                "valid"
            }
            .into(),
            reason: invalid,
            wrong: marked.wrong.into_iter().map(|(_, r)| r.message).collect(),
        };
        Ok(serde_json::to_string(&checked).map_err(anyhow::Error::from)?)
    }

    /// The tally's lock (`db::budget::editions::paper_changed`): a card typed in or decided
    /// while the count runs makes its publication wait for the next pass; after the protocol
    /// no card is taken.
    async fn lock(&self, txn: &DatabaseTransaction, s: &Loaded) -> AppResult<()> {
        if crate::db::budget::editions::paper_changed(txn, &s.row.id).await? {
            Ok(())
        } else {
            Err(AppError::Conflict(
                "wyniki edycji są ogłoszone; kart papierowych już się nie wpisuje".into(),
            ))
        }
    }

    async fn apply(
        &self,
        txn: &DatabaseTransaction,
        s: &Loaded,
        person_key: &str,
        data: &str,
    ) -> Result<Applied, DbErr> {
        let c: Checked = serde_json::from_str(data)
            .map_err(|e| DbErr::Custom(format!("paper ballot of {}: {e}", s.row.id)))?;
        let choices = json!(c.choices).to_string();
        let mut ballot = ballots::NewBallot {
            edition_id: &s.row.id,
            area: c.area.as_deref(),
            choices: &choices,
            channel: "paper",
            status: &c.status,
            reason: c.reason.as_deref(),
            cast_on: today(),
        };
        let cast = ballots::cast(txn, person_key, &ballot).await?;
        super::voting::freeze(txn, &s.row.id).await?;
        metrics::counter!("okienko_budget_ballots_total", "channel" => "paper").increment(1);
        if cast.is_none() {
            ballot.status = "invalid";
            ballot.reason = Some("duplicate");
            ballots::record(txn, &ballot).await?;
            return Ok(Applied::Duplicate(
                "ta osoba już głosowała (przez internet albo na karcie przyjętej wcześniej); liczy się głos zapisany jako pierwszy, a ta karta jest nieważna".into(),
            ));
        }
        Ok(match c.reason {
            None => Applied::Counted,
            Some(reason) => {
                Applied::Refused(format!("karta nieważna ({reason}): {}", c.wrong.join("; ")))
            }
        })
    }
}

/// One signature of a paper support list.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Signature {
    /// The project the list supports.
    pub project: String,
}

impl Instrument for Supports {
    const NAME: &'static str = "budget_support";
    type Subject = Loaded;

    /// Lists are handed in during intake and typed in until evaluation closes; a project's
    /// supports count until its formal evaluation.
    async fn subject(&self, app: &AppState, who: &Identity, id: &str) -> AppResult<Loaded> {
        let l = edition(app, who, id).await?;
        let phase = l.phase(today());
        if !matches!(phase, Phase::Intake | Phase::Evaluation) {
            let w = &l.edition.windows;
            return Err(outside(
                "listy poparcia wpisuje się",
                format!("od {} do {}", w.intake_opens, w.evaluation_closes),
                phase,
            ));
        }
        Ok(l)
    }

    fn subject_id(s: &Loaded) -> &str {
        &s.row.id
    }

    fn secret(s: &Loaded) -> &str {
        &s.row.secret
    }

    fn anonymous(_: &Loaded) -> bool {
        false
    }

    async fn check(
        &self,
        app: &AppState,
        s: &Loaded,
        _pesel: &Pesel,
        data: &Value,
    ) -> AppResult<String> {
        let sig: Signature = serde_json::from_value(data.clone()).map_err(|e| {
            problem(
                "data",
                "budget.signature",
                format!("podpis z listy poparcia: {{\"project\": id projektu}}: {e}"),
            )
        })?;
        let project = match ProjectId::parse(&sig.project) {
            Some(id) => projects::find(&app.db, &s.row.id, id).await?,
            None => None,
        }
        .ok_or_else(|| {
            problem(
                "data.project",
                "budget.unknown_project",
                "tego projektu nie ma w tej edycji",
            )
        })?;
        if project.status != Status::Submitted.as_str() {
            return Err(AppError::Conflict(format!(
                "projekt „{}” jest już oceniony formalnie: poparcia się nie dopisuje",
                project.title
            )));
        }
        Ok(json!({ "project": project.id }).to_string())
    }

    async fn apply(
        &self,
        txn: &DatabaseTransaction,
        s: &Loaded,
        person_key: &str,
        data: &str,
    ) -> Result<Applied, DbErr> {
        let v: Value = serde_json::from_str(data).unwrap_or(Value::Null);
        let project = v["project"]
            .as_str()
            .and_then(ProjectId::parse)
            .ok_or_else(|| DbErr::Custom(format!("paper support of {}: {data}", s.row.id)))?;
        let Some(p) = projects::find(txn, &s.row.id, project).await? else {
            return Ok(Applied::Refused("projektu już nie ma".into()));
        };
        if p.status != Status::Submitted.as_str() {
            return Ok(Applied::Refused(
                "projekt jest już oceniony formalnie: poparcie nie liczy się".into(),
            ));
        }
        Ok(if projects::support(txn, &p.id, person_key).await? {
            Applied::Counted
        } else {
            Applied::Duplicate(
                "ta osoba już poparła ten projekt (przez internet albo na innej liście); liczy się jedno poparcie".into(),
            )
        })
    }
}
