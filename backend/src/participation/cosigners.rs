//! Co-signers of a petition filed by a group (u.p.p. art. 4 ust. 2 pkt 1; issue 16 §1):
//! each member confirms online, logged in, once, with their own consent to the publication
//! of their name (art. 4 ust. 3). The register names those who confirmed and consented;
//! the representative (the one who filed it) sees everyone who confirmed.

use serde::Serialize;
use serde_json::Value;

use crate::db::entity::{case_file, petition_cosigner as row, submission};
use crate::db::{cases, petition_cosigners as store, submissions};
use crate::domain::case::Status;
use crate::domain::identity::Identity;
use crate::error::{AppError, AppResult};
use crate::state::AppState;

/// A confirmation as a list shows it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Cosigner {
    pub id: String,
    pub name: String,
    /// Only in the representative's list: whether they consented to their name being
    /// published (the public list holds only those who did).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub consent: Option<bool>,
    pub confirmed_on: String,
}

/// A page of co-signers, the cursor of the next, and the counts.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CosignerPage {
    pub items: Vec<Cosigner>,
    pub next: Option<String>,
    pub confirmed: u64,
    pub named: u64,
    /// Whether the caller is the petition's representative (the full list).
    pub representative: bool,
}

/// A petition filed by a group, with its submission; 404 for a case that is not a petition,
/// 409 for a petition not filed by a group.
async fn group_petition(
    app: &AppState,
    sign: &str,
) -> AppResult<(case_file::Model, submission::Model)> {
    let services = super::petitions::services(&app.catalogue);
    let case = cases::by_sign(&app.db, sign)
        .await?
        .filter(|c| services.contains(&c.service_id))
        .ok_or(AppError::NotFound("petition"))?;
    let sub = submissions::by_id(&app.db, &case.submission_id)
        .await?
        .ok_or(AppError::NotFound("petition"))?;
    let data: Value = serde_json::from_str(&sub.data).unwrap_or(Value::Null);
    if data["submitter_kind"] != "group" {
        return Err(AppError::Conflict(
            "tę petycję wniósł jeden podmiot, nie grupa: nie ma współpodpisujących".into(),
        ));
    }
    Ok((case, sub))
}

/// Whether the case is a group's petition (for the page: whether to offer confirming).
pub async fn is_group(app: &AppState, sign: &str) -> AppResult<bool> {
    match group_petition(app, sign).await {
        Ok(_) => Ok(true),
        Err(AppError::Conflict(_)) => Ok(false),
        Err(e) => Err(e),
    }
}

/// `who` confirms they co-sign the petition `sign`, consenting or not to their name being
/// published. Once a person; only while the petition is being dealt with.
pub async fn confirm(
    app: &AppState,
    who: Option<&Identity>,
    sign: &str,
    consent: bool,
) -> AppResult<Cosigner> {
    let who = who.ok_or(AppError::Unauthenticated)?;
    let (case, _) = group_petition(app, sign).await?;
    if !Status::parse(&case.status).is_some_and(Status::is_open) {
        return Err(AppError::Conflict(
            "petycja została już rozpatrzona: nie można jej już współpodpisać".into(),
        ));
    }
    let name = who.full_name();
    if name.trim().is_empty() {
        return Err(AppError::Forbidden(
            "współpodpis wymaga imienia i nazwiska z logowania (węzeł krajowy)".into(),
        ));
    }
    let owner = crate::auth::owner_of(who);
    if !store::confirm(&app.db, &case.id, &owner, &name, consent).await? {
        return Err(AppError::Conflict(
            "ta osoba już potwierdziła współpodpis tej petycji".into(),
        ));
    }
    tracing::info!(case.sign = %sign, consent, "petition co-signed");
    let r = store::confirmed_by(&app.db, &case.id, &owner)
        .await?
        .ok_or_else(|| anyhow::anyhow!("the confirmation just written is missing"))?;
    Ok(view(&r, true))
}

fn view(r: &row::Model, full: bool) -> Cosigner {
    Cosigner {
        id: r.id.clone(),
        name: r.name.clone(),
        consent: full.then_some(r.consent),
        confirmed_on: crate::domain::clock::in_poland(r.confirmed_at)
            .date()
            .to_string(),
    }
}

/// A page of the co-signers of `sign`: to anyone, those who consented to their name being
/// published; to the representative, everyone who confirmed.
pub async fn page(
    app: &AppState,
    who: Option<&Identity>,
    sign: &str,
    after: Option<&str>,
    limit: u64,
) -> AppResult<CosignerPage> {
    let (case, sub) = group_petition(app, sign).await?;
    let representative = who.is_some_and(|w| crate::auth::owner_of(w) == sub.owner);
    let rows = store::page(&app.db, &case.id, !representative, after, limit + 1).await?;
    let more = rows.len() as u64 > limit;
    let shown: Vec<_> = rows
        .into_iter()
        .take(usize::try_from(limit).unwrap_or(50))
        .collect();
    let next = more.then(|| shown.last().map(|r| r.id.clone())).flatten();
    let (confirmed, named) = store::counts(&app.db, &case.id).await?;
    Ok(CosignerPage {
        items: shown.iter().map(|r| view(r, representative)).collect(),
        next,
        confirmed,
        named,
        representative,
    })
}
