//! Liveness, readiness and metrics for the load balancer and Prometheus.

use std::net::SocketAddr;

use axum::extract::ConnectInfo;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::IntoResponse;
use sea_orm::ConnectionTrait;
use serde_json::json;

use crate::config::Mode;
use crate::error::AppError;
use crate::state::AppState;

/// The process is up.
#[utoipa::path(get, path = "/healthz", tag = "operations", responses((status = 200, description = "up")))]
pub async fn healthz() -> impl IntoResponse {
    axum::Json(json!({ "status": "ok" }))
}

/// The database answers and the catalogue is loaded.
#[utoipa::path(get, path = "/readyz", tag = "operations", responses((status = 200, description = "ready"), (status = 503, description = "not ready")))]
pub async fn readyz(app: axum::extract::State<AppState>) -> impl IntoResponse {
    let db = app.db.execute_unprepared("SELECT 1").await.is_ok();
    let forms = !app.catalogue.services.is_empty();
    let status = if db && forms {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    (
        status,
        axum::Json(json!({ "database": db, "forms": app.catalogue.services.len() })),
    )
}

/// Who may scrape `/metrics`: with `metrics.token` set, a request bearing it; without
/// one, loopback clients in development and nobody in production (the counts tell an
/// attacker how busy the office is and which paths fail).
fn may_scrape(app: &AppState, peer: Option<std::net::IpAddr>, headers: &HeaderMap) -> bool {
    match &app.settings.metrics.token {
        Some(token) => headers
            .get(header::AUTHORIZATION)
            .and_then(|h| h.to_str().ok())
            .and_then(|h| h.strip_prefix("Bearer "))
            .is_some_and(|given| {
                crate::auth::constant_time_eq(given.trim().as_bytes(), token.as_bytes())
            }),
        None => app.settings.mode == Mode::Development && peer.is_some_and(|p| p.is_loopback()),
    }
}

/// Prometheus text exposition, to the holder of `metrics.token`.
#[utoipa::path(get, path = "/metrics", tag = "operations",
    responses((status = 200, description = "metrics"), (status = 404, description = "no `metrics.token` given (or none configured)")))]
pub async fn metrics(
    app: axum::extract::State<AppState>,
    ext: axum::http::Extensions,
    headers: HeaderMap,
) -> Result<impl IntoResponse, AppError> {
    // 404, not 401: nothing tells a stranger that there is something here
    let peer = ext.get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip());
    if !may_scrape(&app, peer, &headers) {
        return Err(AppError::NotFound("page"));
    }
    // the admission gate's counts as they are at the scrape
    metrics::gauge!("okienko_requests_in_flight").set(app.admission.in_flight() as f64);
    metrics::gauge!("okienko_requests_queued").set(app.admission.queued() as f64);
    let body = app.metrics.as_ref().map(|h| h.render()).unwrap_or_default();
    Ok(([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], body))
}
