//! The agenda: `POST /api/council/sessions/{id}/items` (an item, possibly a council's case)
//! and `POST /api/council/sessions/{id}/items/{item}/resolution` (the council's resolution).

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;

use super::view;
use crate::error::AppResult;
use crate::participation::council::agenda::{self, NewItemRequest};
use crate::participation::council::resolution::{self, ResolutionRequest};
use crate::participation::council::view::SessionView;
use crate::state::AppState;
use crate::web::extract::{ApiJson, Requester};

#[utoipa::path(post, path = "/api/council/sessions/{id}/items", tag = "council", params(("id" = String, Path)), request_body = NewItemRequest,
    responses((status = 201, description = "the session with the item at the end of its agenda", body = SessionView),
        (status = 400, description = "an empty title, an unknown majority rule, a case without its version"),
        (status = 401, description = "not logged in"), (status = 403, description = "not the committee nor the council office"),
        (status = 404, description = "no such session, or a case that is not the council's"), (status = 409, description = "a closed session, or the case changed or is settled")))]
pub async fn add(
    app: State<AppState>,
    who: Requester,
    Path(id): Path<String>,
    ApiJson(r): ApiJson<NewItemRequest>,
) -> AppResult<(StatusCode, Json<SessionView>)> {
    let item = agenda::add_item(&app, who.identity.as_ref(), &id, &r).await?;
    Ok((
        StatusCode::CREATED,
        Json(view(&app, &item.session_id).await?),
    ))
}

#[utoipa::path(post, path = "/api/council/sessions/{id}/items/{item}/resolution", tag = "council",
    params(("id" = String, Path), ("item" = String, Path)), request_body = ResolutionRequest,
    responses((status = 200, description = "the session with the resolution on its item; an item's case is closed with its notification", body = SessionView),
        (status = 400, description = "an empty number or text, or no outcome for an item with a case"),
        (status = 401, description = "not logged in"), (status = 403, description = "not the committee nor the council office"),
        (status = 404, description = "no such session or item"), (status = 409, description = "the item was not adopted, or has its resolution")))]
pub async fn resolution(
    app: State<AppState>,
    who: Requester,
    Path((id, item)): Path<(String, String)>,
    ApiJson(r): ApiJson<ResolutionRequest>,
) -> AppResult<Json<SessionView>> {
    let item = resolution::record_resolution(&app, who.identity.as_ref(), &id, &item, &r).await?;
    Ok(Json(view(&app, &item.session_id).await?))
}
