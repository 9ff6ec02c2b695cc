//! `GET/POST /api/budgets` and `GET/PUT /api/budgets/{id}`: editions.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use serde::Deserialize;
use serde_json::{Value, json};

use super::edition_view;
use crate::db::budget::editions as store;
use crate::domain::budget::Edition;
use crate::error::{AppError, AppResult};
use crate::participation::budget::{editions, load, phase_of, today};
use crate::state::AppState;
use crate::web::cursor;
use crate::web::extract::{ApiJson, Requester};

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EditionRequest {
    /// title, legal_basis {resolution, adopted_on, link}, pools [{code, name, area, amount
    /// (grosze), ballot {kind: approval (max_projects) | knapsack | points (points)}}],
    /// windows {intake_opens, intake_closes, evaluation_closes, appeals_closes, voting_opens,
    /// voting_closes, results_on}, rule {rule: greedy | equal_shares (satisfaction: cost |
    /// cardinality)}, min_votes, support_threshold, min_voting_age, pesel_on_ballot,
    /// powiat_city, expenditure (grosze).
    pub edition: Edition,
    /// On edits: the version being edited; a newer one makes this a 409.
    #[serde(default)]
    pub version: Option<i32>,
}

#[utoipa::path(post, path = "/api/budgets", tag = "budgets", request_body = EditionRequest,
    responses((status = 201, description = "the edition, announced"), (status = 401, description = "not logged in"),
        (status = 403, description = "not the coordinator (admin)"),
        (status = 422, description = "rules broken, each with its field, rule code and the article or ruling")))]
pub async fn create(
    app: State<AppState>,
    who: Requester,
    ApiJson(req): ApiJson<EditionRequest>,
) -> AppResult<(StatusCode, Json<Value>)> {
    let l = editions::create(&app, who.identity.as_ref(), &req.edition).await?;
    Ok((StatusCode::CREATED, Json(edition_view(&app, &l, who.lang))))
}

#[utoipa::path(put, path = "/api/budgets/{id}", tag = "budgets", params(("id" = String, Path)), request_body = EditionRequest,
    responses((status = 200, description = "the new version"), (status = 401, description = "not logged in"),
        (status = 403, description = "not the coordinator"), (status = 404, description = "unknown edition"),
        (status = 409, description = "the rules are frozen since the first ballot (the message says when), or the edition was edited meanwhile"),
        (status = 422, description = "rules broken")))]
pub async fn edit(
    app: State<AppState>,
    who: Requester,
    Path(id): Path<String>,
    ApiJson(req): ApiJson<EditionRequest>,
) -> AppResult<Json<Value>> {
    let l = editions::edit(&app, who.identity.as_ref(), &id, req.version, &req.edition).await?;
    Ok(Json(edition_view(&app, &l, who.lang)))
}

#[utoipa::path(get, path = "/api/budgets/{id}", tag = "budgets", params(("id" = String, Path)),
    responses((status = 401, description = "no login where one is needed, or a bearer token that is not a live API client's"), (status = 200, description = "the edition, its phase today and the project form"), (status = 404, description = "unknown edition")))]
pub async fn get(
    app: State<AppState>,
    who: Requester,
    Path(id): Path<String>,
) -> AppResult<Json<Value>> {
    let l = load(&app, &id).await?;
    Ok(Json(edition_view(&app, &l, who.lang)))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct ListQuery {
    /// The `next` of the previous page.
    #[param(pattern = "^[A-Za-z0-9_-]*$")]
    pub after: Option<String>,
    /// Page size, 1 to 100 (default 20).
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<u64>,
}

/// A page size from 1 to 100, 20 when absent.
pub fn limit(l: Option<u64>) -> AppResult<u64> {
    let limit = l.unwrap_or(20);
    if (1..=100).contains(&limit) {
        Ok(limit)
    } else {
        Err(AppError::bad_request(
            "limit",
            "`limit` musi mieć wartość od 1 do 100.",
        ))
    }
}

#[utoipa::path(get, path = "/api/budgets", tag = "budgets", params(ListQuery),
    responses((status = 200, description = "`{items, next}`, latest intake first"), (status = 400, description = "bad cursor or limit")))]
pub async fn list(app: State<AppState>, Query(q): Query<ListQuery>) -> AppResult<Json<Value>> {
    let limit = limit(q.limit)?;
    let after = cursor::decode::<time::Date>(q.after.as_deref())?;
    let rows = store::list(&app.db, after, limit + 1).await?;
    let more = rows.len() as u64 > limit;
    let page = &rows[..rows.len().min(limit as usize)];
    let day = today();
    let items: Vec<Value> = page
        .iter()
        .filter_map(|r| {
            let e: Edition = serde_json::from_str(&r.body).ok()?;
            let phase = phase_of(r, &e, day);
            Some(json!({
                "id": r.id,
                "title": r.title,
                "phase": phase.as_str(),
                "phase_label": phase.label(),
                "intake_opens": r.intake_opens_on.to_string(),
                "voting_opens": r.voting_opens_on.to_string(),
                "voting_closes": r.voting_closes_on.to_string(),
            }))
        })
        .collect();
    let next = more
        .then(|| {
            page.last()
                .map(|r| cursor::encode(&r.intake_opens_on, &r.id))
        })
        .flatten();
    Ok(Json(json!({ "items": items, "next": next })))
}
