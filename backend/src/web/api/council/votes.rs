//! The session itself: `POST /api/council/sessions/{id}/attendance` (a councillor signs
//! in), `POST /api/council/sessions/{id}/votes` and `/votes/{vote}/close` (the chair), and
//! `PUT /api/council/sessions/{id}/votes/{vote}/ballots/{login}` (a councillor's own vote).

use axum::Json;
use axum::extract::{Path, State};
use serde::Deserialize;
use serde_json::{Value, json};

use super::view;
use crate::error::AppResult;
use crate::participation::council::room;
use crate::participation::council::view::SessionView;
use crate::state::AppState;
use crate::web::extract::{ApiJson, Requester};

#[utoipa::path(post, path = "/api/council/sessions/{id}/attendance", tag = "council", params(("id" = String, Path)),
    responses((status = 200, description = "`{recorded}`: whether this sign-in recorded the attendance (false: recorded before)"),
        (status = 401, description = "not logged in"), (status = 403, description = "not a member of the council"),
        (status = 404, description = "no such session"), (status = 409, description = "the session is not open")))]
pub async fn sign_in(
    app: State<AppState>,
    who: Requester,
    Path(id): Path<String>,
) -> AppResult<Json<Value>> {
    let recorded = room::sign_in(&app, who.identity.as_ref(), &id).await?;
    Ok(Json(json!({ "recorded": recorded })))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OpenVoteRequest {
    /// The agenda item voted on.
    pub item: String,
}

#[utoipa::path(post, path = "/api/council/sessions/{id}/votes", tag = "council", params(("id" = String, Path)), request_body = OpenVoteRequest,
    responses((status = 200, description = "the session with its vote under way", body = SessionView),
        (status = 401, description = "not logged in"), (status = 403, description = "not the session's chair"),
        (status = 404, description = "no such session or item"),
        (status = 409, description = "no quorum (u.s.g. art. 14), another vote under way, the item adopted already, or the session not open")))]
pub async fn open(
    app: State<AppState>,
    who: Requester,
    Path(id): Path<String>,
    ApiJson(r): ApiJson<OpenVoteRequest>,
) -> AppResult<Json<SessionView>> {
    let v = room::open_vote(&app, who.identity.as_ref(), &id, &r.item).await?;
    Ok(Json(view(&app, &v.session_id).await?))
}

#[utoipa::path(post, path = "/api/council/sessions/{id}/votes/{vote}/close", tag = "council",
    params(("id" = String, Path), ("vote" = String, Path)),
    responses((status = 200, description = "the session with the vote's result and named list", body = SessionView),
        (status = 401, description = "not logged in"), (status = 403, description = "not the session's chair"),
        (status = 404, description = "no such session or vote"), (status = 409, description = "closed already")))]
pub async fn close(
    app: State<AppState>,
    who: Requester,
    Path((id, vote)): Path<(String, String)>,
) -> AppResult<Json<SessionView>> {
    let v = room::close_vote(&app, who.identity.as_ref(), &id, &vote).await?;
    Ok(Json(view(&app, &v.session_id).await?))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BallotRequest {
    /// `for`, `against` or `abstain`.
    pub choice: String,
}

#[utoipa::path(put, path = "/api/council/sessions/{id}/votes/{vote}/ballots/{login}", tag = "council",
    params(("id" = String, Path), ("vote" = String, Path), ("login" = String, Path, description = "the councillor voting: the one logged in")),
    request_body = BallotRequest,
    responses((status = 204, description = "the vote is cast"), (status = 400, description = "not a choice"),
        (status = 401, description = "not logged in"), (status = 403, description = "not a member of the council, or a vote for someone else"),
        (status = 404, description = "no such session or vote"),
        (status = 409, description = "the vote is closed, the councillor is not signed in, or has voted")))]
pub async fn cast(
    app: State<AppState>,
    who: Requester,
    Path((id, vote, login)): Path<(String, String, String)>,
    ApiJson(r): ApiJson<BallotRequest>,
) -> AppResult<axum::http::StatusCode> {
    room::cast(&app, who.identity.as_ref(), &id, &vote, &login, &r.choice).await?;
    Ok(axum::http::StatusCode::NO_CONTENT)
}
