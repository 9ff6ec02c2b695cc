//! `GET /api/consultations` (published ones, by phase) and `GET /api/consultations/{id}`.

use axum::Json;
use axum::extract::{Path, Query, State};
use serde::Deserialize;
use serde_json::{Value, json};

use super::view;
use crate::db::consultations as store;
use crate::domain::consultation::Phase;
use crate::error::{AppError, AppResult};
use crate::participation::consultations::{content, phase_of, today, visible};
use crate::state::AppState;
use crate::web::cursor;
use crate::web::extract::Requester;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct ListQuery {
    /// `announced`, `open` (default), `closed`, `reported` or `archived` (read-only, out
    /// of the current lists).
    #[param(pattern = "^(announced|open|closed|reported|archived)$")]
    pub phase: Option<String>,
    /// The `next` of the previous page.
    #[param(pattern = "^[A-Za-z0-9_-]*$")]
    pub after: Option<String>,
    /// Page size, 1 to 100 (default 20).
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<u64>,
}

#[utoipa::path(get, path = "/api/consultations", tag = "consultations", params(ListQuery),
    responses((status = 200, description = "`{items, next}`, latest opening first"), (status = 400, description = "bad phase, cursor or limit")))]
pub async fn list(app: State<AppState>, Query(q): Query<ListQuery>) -> AppResult<Json<Value>> {
    let phase = match q.phase.as_deref() {
        None => Phase::Open,
        Some(p) => Phase::parse(p)
            .filter(|p| *p != Phase::Draft)
            .ok_or_else(|| {
                AppError::bad_request(
                    "phase",
                    "`phase` to announced, open, closed, reported albo archived.",
                )
            })?,
    };
    let limit = q.limit.unwrap_or(20);
    if !(1..=100).contains(&limit) {
        return Err(AppError::bad_request(
            "limit",
            "`limit` musi mieć wartość od 1 do 100.",
        ));
    }
    let after = cursor::decode::<time::Date>(q.after.as_deref())?;
    // the stored phase may lag a worker pass behind the dates: read the neighbours too and
    // keep those whose dates put them in `phase` today
    let stored: Vec<Phase> = match phase {
        Phase::Announced => vec![Phase::Draft, Phase::Announced],
        Phase::Open => vec![Phase::Announced, Phase::Open],
        Phase::Closed => vec![Phase::Open, Phase::Closed],
        other => vec![other],
    };
    let rows = store::list(&app.db, &stored, after, limit + 1).await?;
    let more = rows.len() as u64 > limit;
    let day = today();
    let page = &rows[..rows.len().min(limit as usize)];
    let items: Vec<Value> = page
        .iter()
        .filter(|c| c.published_at.is_some() && phase_of(c, day) == phase)
        .map(|c| {
            json!({
                "id": c.id,
                "kind": c.kind,
                "subject": c.subject,
                "phase": phase_of(c, day).as_str(),
                "opens_on": c.opens_on.to_string(),
                "closes_on": c.closes_on.to_string(),
            })
        })
        .collect();
    let next = more
        .then(|| page.last().map(|c| cursor::encode(&c.opens_on, &c.id)))
        .flatten();
    Ok(Json(json!({ "items": items, "next": next })))
}

#[utoipa::path(get, path = "/api/consultations/{id}", tag = "consultations", params(("id" = String, Path)),
    responses((status = 401, description = "no login where one is needed, or a bearer token that is not a live API client's"), (status = 200, description = "the consultation, its current version, and the number of answers"), (status = 404, description = "unknown, or a draft not yours")))]
pub async fn get(
    app: State<AppState>,
    who: Requester,
    Path(id): Path<String>,
) -> AppResult<Json<Value>> {
    let c = visible(&app, who.identity.as_ref(), &id).await?;
    let (body, questionnaire) = content(&app, &c).await?;
    let turnout = store::count_by_channel(&app.db, &c.id).await?;
    Ok(Json(view(
        &app,
        &c,
        &body,
        &questionnaire,
        turnout,
        who.lang,
    )))
}
