//! `POST /api/consultations/requests` (a resident files a request) and
//! `POST /api/consultations/requests/{id}/supports` (a resident supports one; the support
//! that reaches the threshold files it as a case).

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::Deserialize;
use serde_json::{Value, json};

use super::file::{case_json, lodge_after_support};
use super::public;
use crate::db::consultation_requests as store;
use crate::error::AppResult;
use crate::participation::consultations::request::create::{Filing, create};
use crate::participation::consultations::request::support::online;
use crate::participation::consultations::take_part::Declaration;
use crate::state::AppState;
use crate::web::extract::{ApiJson, Requester};

#[utoipa::path(post, path = "/api/consultations/requests", tag = "consultations", request_body = Filing,
    responses((status = 201, description = "filed, with the author's support: the request"), (status = 401, description = "not logged in"),
        (status = 403, description = "not a resident logged in through the national node"),
        (status = 422, description = "by field: subject, justification, an unknown area, residence not declared (or in another area)")))]
pub async fn create_post(
    app: State<AppState>,
    who: Requester,
    ApiJson(f): ApiJson<Filing>,
) -> AppResult<(StatusCode, Json<Value>)> {
    let r = create(&app, who.identity.as_ref(), &f).await?;
    let supports = store::supports(&app.db, &r.id).await?;
    // a threshold of one: the author's own support files it
    let filed = lodge_after_support(&app, &r, supports).await;
    let r = match filed {
        Some(_) => store::find(&app.db, &r.id).await?.unwrap_or(r),
        None => r,
    };
    Ok((StatusCode::CREATED, Json(public(&app, &r, supports).await?)))
}

#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RequestSupport {
    /// That one lives in the gmina (in the request's area, for an area's request).
    #[serde(default)]
    pub declaration: Option<Declaration>,
}

#[utoipa::path(post, path = "/api/consultations/requests/{id}/supports", tag = "consultations", params(("id" = String, Path)), request_body = RequestSupport,
    responses((status = 201, description = "supported: `{supports, threshold, case}`; `case` (sign, term, receipt) once this support filed the request"),
        (status = 401, description = "not logged in"), (status = 403, description = "not a resident, or living outside the request's area"),
        (status = 404, description = "unknown request"), (status = 409, description = "supported already, or filed already"),
        (status = 422, description = "residence not declared")))]
pub async fn post(
    app: State<AppState>,
    who: Requester,
    Path(id): Path<String>,
    ApiJson(req): ApiJson<RequestSupport>,
) -> AppResult<(StatusCode, Json<Value>)> {
    let (r, supports) = online(&app, who.identity.as_ref(), &id, req.declaration.as_ref()).await?;
    let filed = lodge_after_support(&app, &r, supports).await;
    Ok((
        StatusCode::CREATED,
        Json(json!({
            "supports": supports,
            "threshold": r.threshold,
            "case": filed.as_ref().map(case_json),
            "message": if filed.is_some() {
                "dziękujemy: Twoje poparcie zostało zapisane, a wniosek ma już wymaganą liczbę poparć i trafił do urzędu"
            } else {
                "dziękujemy: Twoje poparcie zostało zapisane"
            },
        })),
    ))
}
