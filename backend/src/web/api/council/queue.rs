//! The committee's queue: `GET /api/council/queue`, `GET /api/council/queue/{sign}` and
//! `POST /api/council/queue/{sign}/opinion`.

use axum::Json;
use axum::extract::{Path, Query, State};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::error::AppResult;
use crate::participation::council::committee::{self, Queued};
use crate::state::AppState;
use crate::web::cursor;
use crate::web::extract::{ApiJson, Requester};

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
pub struct QueueQuery {
    /// The cursor of the next page.
    #[param(pattern = "^[A-Za-z0-9_-]*$")]
    pub after: Option<String>,
    /// Page size, 1–100 (50).
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<u64>,
}

/// One page of the queue and the cursor of the next.
pub async fn page(
    app: &AppState,
    who: &Requester,
    q: &QueueQuery,
) -> AppResult<(Vec<Queued>, Option<String>)> {
    let after = cursor::decode::<time::Date>(q.after.as_deref())?;
    let limit = crate::web::cursor::limit(q.limit, 50, 100)?;
    let (items, next) = committee::queue(app, who.identity.as_ref(), after, limit).await?;
    Ok((items, next.map(|(d, id)| cursor::encode(&d, &id))))
}

/// The council's open cases (petitions, complaints, motions) by deadline (u.s.g. art. 18b).
#[utoipa::path(get, path = "/api/council/queue", tag = "council", params(QueueQuery),
    responses((status = 200, description = "`{items, next}`: open cases by deadline, each with the committee's opinion and the sessions it is on"),
        (status = 400, description = "a cursor or limit that is not valid"), (status = 401, description = "not logged in"),
        (status = 403, description = "not a member of the committee nor the council office")))]
pub async fn list(
    app: State<AppState>,
    who: Requester,
    Query(q): Query<QueueQuery>,
) -> AppResult<Json<Value>> {
    let (items, next) = page(&app, &who, &q).await?;
    Ok(Json(json!({ "items": items, "next": next })))
}

#[utoipa::path(get, path = "/api/council/queue/{sign}", tag = "council", params(("sign" = String, Path)),
    responses((status = 200, description = "the case as the queue shows it"), (status = 401, description = "not logged in"),
        (status = 403, description = "not a member of the committee nor the council office"), (status = 404, description = "not a case of the council's")))]
pub async fn get(
    app: State<AppState>,
    who: Requester,
    Path(sign): Path<String>,
) -> AppResult<Json<Queued>> {
    Ok(Json(
        committee::one(&app, who.identity.as_ref(), &sign).await?,
    ))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OpinionRequest {
    /// The case's version as the page showed it (409 when it changed).
    pub version: i32,
    /// The committee's opinion, up to 20,000 characters.
    pub opinion: String,
}

/// Records the committee's opinion as a step of the case (published by the register of
/// petitions, u.p.p. art. 8 ust. 1).
#[utoipa::path(post, path = "/api/council/queue/{sign}/opinion", tag = "council", params(("sign" = String, Path)), request_body = OpinionRequest,
    responses((status = 200, description = "the case with its opinion"), (status = 400, description = "an empty or too long opinion"),
        (status = 401, description = "not logged in"), (status = 403, description = "not a member of the committee nor the council office"),
        (status = 404, description = "not a case of the council's"), (status = 409, description = "the case changed, or is settled")))]
pub async fn opinion(
    app: State<AppState>,
    who: Requester,
    Path(sign): Path<String>,
    ApiJson(r): ApiJson<OpinionRequest>,
) -> AppResult<Json<Queued>> {
    Ok(Json(
        committee::opinion(&app, who.identity.as_ref(), &sign, r.version, &r.opinion).await?,
    ))
}
