//! Subscriptions to consultations: `POST /api/consultations/subscriptions` (a resident
//! subscribes to every consultation or an area's), `GET` (theirs) and
//! `DELETE /api/consultations/subscriptions/{token}` (the e-mails' unsubscribe link).

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::Deserialize;
use serde_json::{Value, json};

use crate::db::entity::consultation_subscription as sub;
use crate::error::{AppError, AppResult};
use crate::participation::consultations::subscriptions;
use crate::state::AppState;
use crate::web::extract::{ApiJson, Requester};

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SubscribeRequest {
    /// Where the announcements go; the login's e-mail when absent.
    #[serde(default)]
    pub email: Option<String>,
    /// An area code (`forms/areas.yaml`); every consultation when absent.
    #[serde(default)]
    pub area: Option<String>,
}

fn view(s: &sub::Model) -> Value {
    json!({ "id": s.id, "email": s.email, "scope": s.scope, "unsubscribe_token": s.token })
}

#[utoipa::path(post, path = "/api/consultations/subscriptions", tag = "consultations", request_body = SubscribeRequest,
    responses((status = 201, description = "subscribed"), (status = 200, description = "subscribed already; the e-mail address is updated"),
        (status = 401, description = "not logged in"), (status = 403, description = "not a resident"),
        (status = 422, description = "a bad e-mail address or an unknown area")))]
pub async fn subscribe(
    app: State<AppState>,
    who: Requester,
    ApiJson(req): ApiJson<SubscribeRequest>,
) -> AppResult<(StatusCode, Json<Value>)> {
    let (s, new) = subscriptions::subscribe(
        &app,
        who.identity.as_ref(),
        req.email.as_deref(),
        req.area.as_deref(),
    )
    .await?;
    let status = if new {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((status, Json(view(&s))))
}

#[utoipa::path(get, path = "/api/consultations/subscriptions", tag = "consultations",
    responses((status = 200, description = "`{items}`: your subscriptions"), (status = 401, description = "not logged in")))]
pub async fn mine(app: State<AppState>, who: Requester) -> AppResult<Json<Value>> {
    let me = who.identity.as_ref().ok_or(AppError::Unauthenticated)?;
    let items: Vec<Value> =
        crate::db::consultation_subscriptions::mine(&app.db, &crate::auth::owner_of(me))
            .await?
            .iter()
            .map(view)
            .collect();
    Ok(Json(json!({ "items": items })))
}

#[utoipa::path(delete, path = "/api/consultations/subscriptions/{token}", tag = "consultations", params(("token" = String, Path)),
    responses((status = 204, description = "unsubscribed"), (status = 404, description = "no subscription with this token")))]
pub async fn unsubscribe(app: State<AppState>, Path(token): Path<String>) -> AppResult<StatusCode> {
    subscriptions::unsubscribe(&app, &token).await?;
    Ok(StatusCode::NO_CONTENT)
}
