//! `POST /api/consultations/{id}/publish`: a draft goes public; its dates move it on.

use axum::Json;
use axum::extract::{Path, State};
use serde_json::Value;

use super::view;
use crate::error::AppResult;
use crate::participation::consultations::{content, publish};
use crate::state::AppState;
use crate::web::extract::Requester;

#[utoipa::path(post, path = "/api/consultations/{id}/publish", tag = "consultations", params(("id" = String, Path)),
    responses((status = 403, description = "not a councillor or the coordinator"), (status = 401, description = "no login where one is needed, or a bearer token that is not a live API client's"), (status = 200, description = "published: `phase` is where its dates put it today"),
        (status = 404, description = "unknown, or someone else's draft"), (status = 409, description = "published already"),
        (status = 422, description = "a rule is broken, e.g. `publish.late` after the start day")))]
pub async fn post(
    app: State<AppState>,
    who: Requester,
    Path(id): Path<String>,
) -> AppResult<Json<Value>> {
    let c = publish::publish(&app, who.identity.as_ref(), &id).await?;
    let (body, questionnaire) = content(&app, &c).await?;
    Ok(Json(view(
        &app,
        &c,
        &body,
        &questionnaire,
        (0, 0),
        who.lang,
    )))
}
