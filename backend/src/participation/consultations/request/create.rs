//! A resident files a request to start a consultation; their own support is its first.

use serde::Deserialize;

use crate::db::consultation_requests::{self as store, NewRequest};
use crate::db::entity::consultation_request as row;
use crate::domain::identity::{Identity, Role};
use crate::domain::level::IdentityLevel;
use crate::error::{AppError, AppResult};
use crate::forms::FieldError;
use crate::participation::consultations::take_part::{Declaration, residence};
use crate::state::AppState;

/// What a resident files.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Filing {
    /// What the consultation should be about.
    pub subject: String,
    pub justification: String,
    /// An area code of `forms/areas.yaml`; none for the whole gmina.
    #[serde(default)]
    pub area: Option<String>,
    /// The author's declaration of residence (in the area, for an area's request).
    #[serde(default)]
    pub declaration: Option<Declaration>,
}

pub const SUBJECT: (usize, usize) = (5, 300);
pub const JUSTIFICATION: (usize, usize) = (20, 20_000);

fn length(out: &mut Vec<FieldError>, path: &str, what: &str, text: &str, (lo, hi): (usize, usize)) {
    let n = text.trim().chars().count();
    if n < lo || n > hi {
        out.push(FieldError {
            path: path.into(),
            code: "length".into(),
            message: format!("{what}: od {lo} do {hi} znaków (podano {n})"),
        });
    }
}

/// Every problem of a filing, by field (the declaration last).
pub fn problems(app: &AppState, f: &Filing) -> Vec<FieldError> {
    let mut out = Vec::new();
    length(
        &mut out,
        "subject",
        "przedmiot konsultacji",
        &f.subject,
        SUBJECT,
    );
    length(
        &mut out,
        "justification",
        "uzasadnienie",
        &f.justification,
        JUSTIFICATION,
    );
    let area = f
        .area
        .as_deref()
        .map(str::trim)
        .filter(|a| !a.is_empty())
        .map(str::to_owned);
    if let Some(a) = &area
        && app.catalogue.areas.get(a).is_none()
    {
        out.push(FieldError {
            path: "area".into(),
            code: "area.unknown".into(),
            message: format!("nie ma obszaru {a}: wybierz obszar z listy albo całą gminę"),
        });
        return out;
    }
    let scope = match &area {
        None => crate::domain::consultation::Scope::Gmina,
        Some(a) => crate::domain::consultation::Scope::Areas {
            areas: vec![a.clone()],
        },
    };
    if let Err(e) = residence(app, &scope, f.declaration.as_ref()) {
        out.push(e);
    }
    out
}

/// Files the request of a logged-in resident with their support, and answers it.
pub async fn create(app: &AppState, who: Option<&Identity>, f: &Filing) -> AppResult<row::Model> {
    let who = who.ok_or(AppError::Unauthenticated)?;
    if !who.has_role(Role::Resident) || who.level < IdentityLevel::Substantial {
        return Err(AppError::Forbidden(
            "wniosek o konsultacje składa mieszkaniec gminy zalogowany przez węzeł krajowy".into(),
        ));
    }
    let errors = problems(app, f);
    if !errors.is_empty() {
        return Err(AppError::fields(errors));
    }
    let area = f
        .area
        .as_deref()
        .map(str::trim)
        .filter(|a| !a.is_empty())
        .map(str::to_owned);
    let threshold =
        i32::try_from(app.settings.consultations.request_threshold.max(1)).unwrap_or(i32::MAX);
    let secret = crate::auth::random_token();
    let author = serde_json::to_string(who).map_err(anyhow::Error::from)?;
    let txn = sea_orm::TransactionTrait::begin(&app.db).await?;
    let r = store::create(
        &txn,
        NewRequest {
            id: uuid::Uuid::now_v7().to_string(),
            created_by: &crate::auth::owner_of(who),
            author,
            subject: f.subject.trim(),
            justification: f.justification.trim(),
            area: area.as_deref(),
            threshold,
            secret,
        },
    )
    .await?;
    let key = crate::participation::keyed::person_key(&r.secret, who);
    store::add_support(&txn, &r.id, &key, area.as_deref()).await?;
    txn.commit().await?;
    tracing::info!(request = %r.id, threshold, "consultation request filed");
    Ok(r)
}
