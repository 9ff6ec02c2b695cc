//! The only module that knows HTTP. `router()` is the one route table: every URL is here.

pub mod api;
pub mod extract;
pub mod pages;
pub mod view;

use std::time::Duration;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderName, HeaderValue, StatusCode, header};
use axum::routing::{get, post};
use tower::ServiceBuilder;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::csrf::CsrfLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

use crate::state::AppState;

pub fn router(state: AppState) -> Router {
    let limits = state.settings.limits.clone();
    let api = Router::new()
        .route("/api/openapi.json", get(api::openapi::document))
        .route("/api/services", get(api::services::list))
        .route("/api/services/{id}", get(api::services::get))
        .route("/api/services/{id}/schema", get(api::services::schema))
        .route("/api/services/{id}/validate", post(api::validate::validate))
        .route("/api/services/{id}/drafts", post(api::drafts::create))
        .route(
            "/api/drafts/{id}",
            get(api::drafts::read)
                .put(api::drafts::replace)
                .patch(api::drafts::merge)
                .delete(api::drafts::delete),
        )
        .route(
            "/api/identifiers/{kind}/{value}",
            get(api::identifiers::check),
        )
        .route("/api/receipts/{id}", get(api::receipts::get))
        .route("/.well-known/jwks.json", get(api::receipts::jwks))
        .layer(DefaultBodyLimit::max(limits.json_body_kib * 1024));
    let uploads = Router::new()
        .route(
            "/api/services/{id}/submissions",
            post(api::submissions::create),
        )
        .route(
            "/uslugi/{id}/wniosek/{draft}/zloz",
            post(pages::submit::post),
        )
        .layer(DefaultBodyLimit::max(limits.upload_body_mib * 1024 * 1024));
    let pages = Router::new()
        .route("/", get(pages::catalogue::get))
        .route(
            "/uslugi/{id}",
            get(pages::start::get).post(pages::start::post),
        )
        .route(
            "/uslugi/{id}/wniosek/{draft}/{step}",
            get(pages::step::get).post(pages::step::post),
        )
        .route("/potwierdzenie/{receipt}", get(pages::submit::confirmation))
        .route("/assets/{*path}", get(pages::assets::get))
        .layer(DefaultBodyLimit::max(limits.json_body_kib * 1024));
    let ops = Router::new()
        .route("/healthz", get(api::health::healthz))
        .route("/readyz", get(api::health::readyz))
        .route("/metrics", get(api::health::metrics));

    let x_request_id = HeaderName::from_static("x-request-id");
    Router::new()
        .merge(api)
        .merge(uploads)
        .merge(pages)
        .fallback(pages::not_found)
        .layer(axum::middleware::from_fn_with_state(state.clone(), extract::owner_cookie))
        .merge(ops)
        .layer(
            ServiceBuilder::new()
                .layer(SetRequestIdLayer::new(x_request_id.clone(), MakeRequestUuid))
                .layer(TraceLayer::new_for_http())
                .layer(PropagateRequestIdLayer::new(x_request_id))
                .layer(CatchPanicLayer::new())
                .layer(TimeoutLayer::with_status_code(StatusCode::REQUEST_TIMEOUT, Duration::from_secs(limits.request_timeout_secs)))
                .layer(CsrfLayer::new())
                .layer(SetResponseHeaderLayer::if_not_present(
                    header::CONTENT_SECURITY_POLICY,
                    HeaderValue::from_static("default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; form-action 'self'"),
                ))
                .layer(SetResponseHeaderLayer::overriding(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")))
                .layer(SetResponseHeaderLayer::overriding(header::REFERRER_POLICY, HeaderValue::from_static("same-origin")))
                .layer(SetResponseHeaderLayer::overriding(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"))),
        )
        .with_state(state)
}
