//! `GET /api/petitions` and `GET /api/petitions/{sign}`: the public register of petitions
//! (u.p.p. art. 8), open to anyone: no login, only what the act lets be published.

use axum::Json;
use axum::extract::{Path, Query, State};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::db::{cases, petitions as db_petitions, submissions};
use crate::error::{AppError, AppResult};
use crate::participation::petitions::{self, PublicPetition, YearReport};
use crate::state::AppState;
use crate::web::cursor;

/// The register's filters and page.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
pub struct RegisterQuery {
    /// `in_progress` or `answered`.
    #[param(pattern = "^(in_progress|answered)?$")]
    pub state: Option<String>,
    /// The year of filing.
    #[param(minimum = 2000, maximum = 2100)]
    pub year: Option<i32>,
    /// The cursor of the next page.
    #[param(pattern = "^[A-Za-z0-9_-]*$")]
    pub after: Option<String>,
    /// Page size, 1–100 (20).
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<u64>,
}

impl RegisterQuery {
    pub fn filter(&self) -> AppResult<db_petitions::Filter> {
        let answered = match self.state.as_deref().filter(|s| !s.is_empty()) {
            None => None,
            Some("answered") => Some(true),
            Some("in_progress") => Some(false),
            Some(_) => {
                return Err(AppError::bad_request(
                    "state",
                    "`state` to in_progress albo answered.",
                ));
            }
        };
        if self.year.is_some_and(|y| !(2000..=2100).contains(&y)) {
            return Err(AppError::bad_request("year", "`year` to rok, np. 2026."));
        }
        Ok(db_petitions::Filter {
            answered,
            year: self.year,
        })
    }
}

/// One page of the register, newest first, and the cursor of the next.
pub async fn page(
    app: &AppState,
    q: &RegisterQuery,
) -> AppResult<(Vec<PublicPetition>, Option<String>)> {
    let filter = q.filter()?;
    let limit = crate::web::cursor::limit(q.limit, 20, 100)?;
    let after = cursor::decode::<time::OffsetDateTime>(q.after.as_deref())?;
    let services = petitions::services(&app.catalogue);
    let rows = db_petitions::page(&app.db, &services, &filter, after, limit + 1).await?;
    let more = rows.len() as u64 > limit;
    let shown: Vec<_> = rows
        .into_iter()
        .take(usize::try_from(limit).unwrap_or(20))
        .collect();
    let next = more
        .then(|| {
            shown
                .last()
                .map(|(c, _)| cursor::encode(&c.filed_at, &c.id))
        })
        .flatten();
    let items = shown
        .iter()
        .map(|(c, s)| petitions::public(c, s, &[]))
        .collect();
    Ok((items, next))
}

/// A petition of the register with every published step; 404 for a case that is not a
/// petition.
pub async fn one(app: &AppState, sign: &str) -> AppResult<PublicPetition> {
    let services = petitions::services(&app.catalogue);
    let case = cases::by_sign(&app.db, sign)
        .await?
        .filter(|c| services.contains(&c.service_id))
        .ok_or(AppError::NotFound("petition"))?;
    let sub = submissions::by_id(&app.db, &case.submission_id)
        .await?
        .ok_or(AppError::NotFound("petition"))?;
    let history = cases::history(&app.db, &case.id).await?;
    Ok(petitions::public(&case, &sub, &history))
}

#[utoipa::path(get, path = "/api/petitions", tag = "petitions", params(RegisterQuery),
    responses((status = 200, description = "a page of the public register of petitions, newest first"),
        (status = 400, description = "a filter or cursor that is not valid")))]
pub async fn list(app: State<AppState>, Query(q): Query<RegisterQuery>) -> AppResult<Json<Value>> {
    let (items, next) = page(&app, &q).await?;
    Ok(Json(json!({ "items": items, "next": next })))
}

#[utoipa::path(get, path = "/api/petitions/{sign}", tag = "petitions",
    params(("sign" = String, Path, description = "the petition's case sign")),
    responses((status = 200, description = "the petition and every published step", body = PublicPetition),
        (status = 404, description = "no petition with this sign")))]
pub async fn get(
    app: State<AppState>,
    Path(sign): Path<String>,
) -> AppResult<Json<PublicPetition>> {
    Ok(Json(one(&app, &sign).await?))
}

/// The summary of a year's petitions (u.p.p. art. 14), every petition of the year in it.
pub async fn report(app: &AppState, year: i32) -> AppResult<YearReport> {
    let mut q = RegisterQuery {
        year: Some(year),
        limit: Some(100),
        ..RegisterQuery::default()
    };
    q.filter()?;
    let mut all = Vec::new();
    loop {
        let (items, next) = page(app, &q).await?;
        all.extend(items);
        match next {
            Some(c) => q.after = Some(c),
            None => break,
        }
    }
    Ok(petitions::year_report(year, all))
}

#[utoipa::path(get, path = "/api/petitions/reports/{year}", tag = "petitions",
    params(("year" = i32, Path, minimum = 2000, maximum = 2100, description = "the year the petitions were filed")),
    responses((status = 200, description = "the yearly summary of petitions (u.p.p. art. 14)", body = YearReport),
        (status = 400, description = "not a year")))]
pub async fn year_report(
    app: State<AppState>,
    Path(year): Path<i32>,
) -> AppResult<Json<YearReport>> {
    Ok(Json(report(&app, year).await?))
}
