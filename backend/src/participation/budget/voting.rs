//! Voting online: a logged-in resident declares where they live (residence is where one
//! lives, not zameldowanie) and marks the ballots of the pools that area votes in. The
//! ballot is checked against each pool's kind; one ballot per person and edition (a keyed
//! hash), which cannot be changed; the first ballot freezes the edition's rules. The
//! ballot is stored with no link to the person (`db::budget::ballots`), and the resident
//! gets a signed receipt.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::{Value, json};

use super::{load, outside, person_key, refused, resident, today};
use crate::db::budget::{ballots, editions, projects};
use crate::db::entity::budget_project as project_row;
use crate::db::participation_history::{self as history, Entry};
use crate::domain::budget::{CHOICES_MAX, Edition, Invalid, Phase, Pick, Refusal, Status};
use crate::domain::identity::Identity;
use crate::domain::pesel::Pesel;
use crate::error::{AppError, AppResult};
use crate::state::AppState;

/// One project chosen in one pool; `points` on a points ballot (1 otherwise).
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Choice {
    pub project: String,
    #[serde(default)]
    pub points: Option<u64>,
}

/// A ballot as the resident marks it.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Ballot {
    /// The resident declares that they live in the gmina.
    pub declares_residence: bool,
    /// The area (of `forms/areas.yaml`) they live in; its pool is on their ballot.
    #[serde(default)]
    pub area: Option<String>,
    /// Only where the resolution requires a PESEL on the ballot.
    #[serde(default)]
    pub pesel: Option<String>,
    /// Per pool code, the projects chosen.
    pub choices: BTreeMap<String, Vec<Choice>>,
    /// A parent's ballot for their child under 13, where the resolution allows it.
    #[serde(default)]
    pub child: Option<Child>,
}

/// The child a parent votes for: their PESEL (the child's one ballot is keyed by it, and it
/// is not stored) and the parent's declaration.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Child {
    pub pesel: String,
    /// The parent declares that they hold parental authority over the child.
    pub declares_parental_authority: bool,
}

fn refusal(path: &str, code: &'static str, message: impl Into<String>) -> Refusal {
    Refusal {
        path: path.into(),
        code,
        message: message.into(),
    }
}

/// Casts `b` and returns its signed receipt.
pub async fn cast(
    app: &AppState,
    who: Option<&Identity>,
    id: &str,
    b: &Ballot,
) -> AppResult<Value> {
    let who = resident(who)?;
    let l = load(app, id).await?;
    let phase = l.phase(today());
    if phase != Phase::Voting {
        let w = &l.edition.windows;
        return Err(outside(
            "mieszkańcy głosują",
            format!("od {} do {}", w.voting_opens, w.voting_closes),
            phase,
        ));
    }
    let on_ballot = projects::with_status(
        &app.db,
        &l.row.id,
        &[Status::Admitted, Status::AdmittedOnAppeal],
    )
    .await?;
    let marked = mark(
        app,
        &l.edition,
        &on_ballot,
        b.declares_residence,
        b.area.as_deref(),
        &b.choices,
    );
    let mut refusals: Vec<Refusal> = marked.wrong.into_iter().map(|(_, r)| r).collect();
    let stored = marked.stored;
    refusals.extend(pesel_refusal(&l.edition, who, b.pesel.as_deref()));
    let child = match &b.child {
        None => None,
        Some(c) => match child_pesel(&l.edition, c) {
            Ok(p) => Some(p),
            Err(r) => {
                refusals.push(r);
                None
            }
        },
    };
    if !refusals.is_empty() {
        return Err(refused(refusals));
    }
    // a parent's ballot for a child is the child's one ballot
    let key = match &child {
        Some(p) => crate::participation::keyed::key(
            super::secret(&l.row)?,
            &crate::participation::keyed::Subject::Pesel(p),
        ),
        None => person_key(&l.row, who)?,
    };
    let choices = json!(stored);
    let day = today();
    let txn = sea_orm::TransactionTrait::begin(&app.db).await?;
    let cast = ballots::cast(
        &txn,
        &key,
        &ballots::NewBallot {
            edition_id: &l.row.id,
            area: b.area.as_deref(),
            choices: &choices.to_string(),
            channel: "online",
            status: "valid",
            reason: None,
            cast_on: day,
        },
    )
    .await?;
    let Some(ballot_id) = cast else {
        return Err(AppError::Conflict(
            "głos w tej edycji już oddano: jedna osoba głosuje raz, a głosu nie można zmienić, bo nic nie łączy go z Tobą".into(),
        ));
    };
    freeze(&txn, &l.row.id).await?;
    txn.commit().await?;
    metrics::counter!("okienko_budget_ballots_total", "channel" => "online").increment(1);
    let receipt = json!({
        "id": ballot_id,
        "edition_id": l.row.id,
        "title": l.edition.title,
        "at": day.to_string(),
        "area": b.area,
        "choices": choices,
        "channel": "online",
        "for_child": child.is_some(),
    });
    Ok(super::signature::seal(
        &app.keys,
        &app.settings.base_url(),
        super::signature::BALLOT_TYPE,
        receipt,
    )?)
}

/// A ballot's marks checked against the edition: the choices to store (`{pool: [(project,
/// points)]}`) and what is wrong with them, each with the invalidity it makes of a paper
/// card (an online ballot with anything wrong is refused instead).
pub struct Marked {
    pub stored: BTreeMap<String, Vec<(String, u64)>>,
    pub wrong: Vec<(Invalid, Refusal)>,
}

/// Checks the marks: the declaration of residence and the area (who may vote in which
/// pools: `ineligible`), then each pool's rule (`rule_broken`).
pub fn mark(
    app: &AppState,
    e: &Edition,
    on_ballot: &[project_row::Model],
    declares_residence: bool,
    area: Option<&str>,
    choices: &BTreeMap<String, Vec<Choice>>,
) -> Marked {
    let mut wrong = Vec::new();
    if !declares_residence {
        wrong.push((Invalid::Ineligible, refusal(
            "declares_residence",
            "ballot.residence",
            "oświadcz, że mieszkasz w gminie: głosują mieszkańcy, a liczy się miejsce zamieszkania, nie zameldowania (art. 5a ust. 3 u.s.g.)",
        )));
    }
    if let Some(a) = area
        && app.catalogue.areas.get(a).is_none()
    {
        wrong.push((
            Invalid::Ineligible,
            refusal(
                "area",
                "ballot.unknown_area",
                format!("obszaru `{a}` nie ma w gminie"),
            ),
        ));
    }
    let eligible: Vec<&str> = match area {
        Some(a) => e.pools_for(a),
        None => e.pools.iter().filter(|p| p.area.is_none()).collect(),
    }
    .into_iter()
    .map(|p| p.code.as_str())
    .collect();
    let count: usize = choices.values().map(Vec::len).sum();
    if count == 0 || count > CHOICES_MAX {
        wrong.push((
            Invalid::RuleBroken,
            refusal(
                "choices",
                "ballot.empty",
                format!("wybierz od 1 do {CHOICES_MAX} projektów"),
            ),
        ));
    }
    let mut stored = BTreeMap::new();
    for (code, chosen) in choices {
        let Some(pool) = e.pool(code).filter(|p| eligible.contains(&p.code.as_str())) else {
            wrong.push((
                Invalid::Ineligible,
                refusal(
                    &format!("choices.{code}"),
                    "ballot.ineligible_pool",
                    format!(
                        "puli {code} nie ma na Twojej karcie: głosujesz w pulach {}",
                        eligible.join(", ")
                    ),
                ),
            ));
            continue;
        };
        let picks: Vec<Pick> = chosen
            .iter()
            .map(|c| {
                let project = on_ballot
                    .iter()
                    .find(|p| p.id == c.project && p.pool_code == pool.code);
                Pick {
                    project: c.project.clone(),
                    points: c.points.unwrap_or(1),
                    cost: project.map_or(0, |p| {
                        u64::try_from(p.corrected_cost.unwrap_or(p.cost)).unwrap_or(0)
                    }),
                    on_ballot: project.is_some(),
                }
            })
            .collect();
        wrong.extend(
            pool.check_ballot(&picks)
                .into_iter()
                .map(|r| (Invalid::RuleBroken, r)),
        );
        stored.insert(
            pool.code.clone(),
            picks.into_iter().map(|p| (p.project, p.points)).collect(),
        );
    }
    Marked { stored, wrong }
}

/// Freezes the edition's rules at its first ballot (online or paper), in `txn`.
pub async fn freeze(
    txn: &sea_orm::DatabaseTransaction,
    edition_id: &str,
) -> Result<(), sea_orm::DbErr> {
    if editions::freeze(txn, edition_id).await? {
        history::append(
            txn,
            edition_id,
            Entry {
                actor: "okienko",
                actor_name: "okienko",
                action: "frozen",
                detail: "the first ballot is cast: the voting rules are frozen".into(),
            },
        )
        .await?;
    }
    Ok(())
}

/// The child's PESEL, if the resolution lets parents vote for children under 13 and this
/// one is under 13 today.
fn child_pesel(e: &crate::domain::budget::Edition, c: &Child) -> Result<Pesel, Refusal> {
    use crate::domain::budget::{CHILD_AGE, child_under_age};
    if !e.child_votes_by_parent {
        return Err(refusal(
            "child",
            "ballot.child_not_allowed",
            "uchwała tej edycji nie przewiduje głosowania rodzica w imieniu dziecka",
        ));
    }
    if !c.declares_parental_authority {
        return Err(refusal(
            "child.declares_parental_authority",
            "ballot.child_declaration",
            "oświadcz, że masz władzę rodzicielską nad dzieckiem, w którego imieniu głosujesz",
        ));
    }
    let pesel = Pesel::parse(&c.pesel).map_err(|e| {
        refusal(
            "child.pesel",
            e.code(),
            format!("PESEL dziecka jest błędny: {e}"),
        )
    })?;
    if !child_under_age(pesel.birth_date(), today()) {
        return Err(refusal(
            "child.pesel",
            "ballot.child_age",
            format!(
                "rodzic głosuje tylko za dziecko, które nie ukończyło {CHILD_AGE} lat; starsze dziecko głosuje samo"
            ),
        ));
    }
    Ok(pesel)
}

/// A PESEL is asked only where the resolution requires it (Wojewoda Śląski,
/// NPII.4131.1.279.2019, struck such a requirement down), and then it is the voter's own.
fn pesel_refusal(
    e: &crate::domain::budget::Edition,
    who: &Identity,
    pesel: Option<&str>,
) -> Option<Refusal> {
    match (e.pesel_on_ballot, pesel) {
        (false, None) => None,
        (false, Some(_)) => Some(refusal(
            "pesel",
            "ballot.pesel_not_asked",
            "karta tej edycji nie zawiera numeru PESEL (rozstrzygnięcie nadzorcze Wojewody Śląskiego NPII.4131.1.279.2019): nie podawaj go",
        )),
        (true, Some(p)) if Pesel::parse(p).is_ok() && who.pesel.as_deref() == Some(p) => None,
        (true, _) => Some(refusal(
            "pesel",
            "ballot.pesel",
            "uchwała wymaga numeru PESEL na karcie: podaj własny",
        )),
    }
}
