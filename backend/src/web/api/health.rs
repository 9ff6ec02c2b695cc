//! Liveness, readiness and metrics for the load balancer and Prometheus.

use axum::http::StatusCode;
use axum::response::IntoResponse;
use sea_orm::ConnectionTrait;
use serde_json::json;

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

/// Prometheus text exposition.
#[utoipa::path(get, path = "/metrics", tag = "operations", responses((status = 200, description = "metrics")))]
pub async fn metrics(app: axum::extract::State<AppState>) -> impl IntoResponse {
    // the admission gate's counts as they are at the scrape
    metrics::gauge!("okienko_requests_in_flight").set(app.admission.in_flight() as f64);
    metrics::gauge!("okienko_requests_queued").set(app.admission.queued() as f64);
    let body = app.metrics.as_ref().map(|h| h.render()).unwrap_or_default();
    (
        [(
            axum::http::header::CONTENT_TYPE,
            "text/plain; version=0.0.4",
        )],
        body,
    )
}
