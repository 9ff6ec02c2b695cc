//! Registering an initiative: the committee, the draft resolution and its justification.

use serde::{Deserialize, Serialize};

use crate::db::entity::initiative as row;
use crate::db::initiatives::{self as store, NewInitiative};
use crate::domain::identity::{Identity, Role};
use crate::domain::initiative::{committee_problems, threshold};
use crate::error::{AppError, AppResult};
use crate::forms::FieldError;
use crate::state::AppState;

/// A member of the committee.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Member {
    pub name: String,
    /// Where they live (the committee's members are residents).
    pub residence: String,
    /// A representative (pełnomocnik) acts for the committee.
    #[serde(default)]
    pub representative: bool,
}

/// What the committee registers.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Registration {
    pub title: String,
    /// The draft resolution's text, paragraph by paragraph.
    pub draft: String,
    pub justification: String,
    pub members: Vec<Member>,
}

const TITLE: (usize, usize) = (5, 300);
const DRAFT: (usize, usize) = (20, 100_000);
const JUSTIFICATION: (usize, usize) = (20, 50_000);
const MEMBERS_MAX: usize = 100;

fn length(out: &mut Vec<FieldError>, path: &str, text: &str, (lo, hi): (usize, usize)) {
    let n = text.trim().chars().count();
    if n < lo || n > hi {
        out.push(FieldError {
            path: path.into(),
            code: "length".into(),
            message: format!("od {lo} do {hi} znaków (podano {n})"),
        });
    }
}

/// Every problem of a registration, by field.
pub fn problems(r: &Registration, min_committee: usize) -> Vec<FieldError> {
    let mut out = Vec::new();
    length(&mut out, "title", &r.title, TITLE);
    length(&mut out, "draft", &r.draft, DRAFT);
    length(&mut out, "justification", &r.justification, JUSTIFICATION);
    if r.members.len() > MEMBERS_MAX {
        out.push(FieldError {
            path: "members".into(),
            code: "rows.max".into(),
            message: format!("komitet może mieć najwyżej {MEMBERS_MAX} członków w zgłoszeniu"),
        });
    }
    for (i, m) in r.members.iter().enumerate() {
        length(&mut out, &format!("members[{i}].name"), &m.name, (3, 300));
        length(
            &mut out,
            &format!("members[{i}].residence"),
            &m.residence,
            (2, 300),
        );
    }
    let representatives = r.members.iter().filter(|m| m.representative).count();
    for message in committee_problems(r.members.len(), representatives, min_committee) {
        out.push(FieldError {
            path: "members".into(),
            code: "initiative.committee".into(),
            message,
        });
    }
    out
}

/// Registers the initiative of a logged-in resident, who becomes its representative.
pub async fn register(
    app: &AppState,
    who: Option<&Identity>,
    r: &Registration,
) -> AppResult<row::Model> {
    let who = who.ok_or(AppError::Unauthenticated)?;
    if !who.has_role(Role::Resident) {
        return Err(AppError::Forbidden(
            "inicjatywę zgłasza komitet mieszkańców, zalogowany przez węzeł krajowy".into(),
        ));
    }
    let settings = &app.settings.initiative;
    let errors = problems(r, settings.min_committee);
    if !errors.is_empty() {
        return Err(AppError::fields(errors));
    }
    let threshold = i32::try_from(threshold(settings.residents)).unwrap_or(i32::MAX);
    let committee = serde_json::to_string(&r.members).map_err(anyhow::Error::from)?;
    let secret = crate::auth::random_token();
    let owner = crate::auth::owner_of(who);
    let row = store::create(
        &app.db,
        NewInitiative {
            id: uuid::Uuid::now_v7().to_string(),
            created_by: &owner,
            title: r.title.trim(),
            draft: r.draft.trim(),
            justification: r.justification.trim(),
            committee,
            threshold,
            keeps_pesel: settings.keeps_pesel,
            secret,
        },
    )
    .await?;
    tracing::info!(initiative = %row.id, threshold, "initiative registered");
    Ok(row)
}

/// The committee as registered.
pub fn members(row: &row::Model) -> Vec<Member> {
    serde_json::from_str(&row.committee).unwrap_or_default()
}
