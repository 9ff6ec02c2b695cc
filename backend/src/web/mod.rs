//! The only module that knows HTTP. `routes` is the one route table (every URL, with its
//! access rule from `access`); `router()` wraps it in the layers every request passes.

pub mod access;
pub mod admission;
pub mod api;
pub mod auth;
pub mod charts;
pub mod cookies;
pub mod cursor;
pub mod dev_idp;
pub mod disposition;
pub mod extract;
pub mod pages;
pub mod problem;
pub mod rate_limit;
pub mod routes;
pub mod serve;
pub mod session;
pub mod upload;
pub mod view;

use std::time::Duration;

use axum::Router;
use axum::http::{HeaderName, HeaderValue, StatusCode, header};
use tower::ServiceBuilder;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::csrf::CsrfLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

use crate::state::AppState;

/// The page policy. `form-action` also governs where a form's redirect may lead, so the
/// identity providers' origins are in it: "Start", "Submit" (step-up) and "Log out" are
/// forms whose answer redirects to the provider; so is the payment provider's.
fn content_security_policy(state: &AppState) -> HeaderValue {
    let mut targets = vec!["'self'".to_owned()];
    for p in state
        .settings
        .auth
        .providers(&state.settings.base_url())
        .values()
    {
        if let Ok(u) = url::Url::parse(&p.issuer) {
            let origin = u.origin().ascii_serialization();
            if !targets.contains(&origin) {
                targets.push(origin);
            }
        }
    }
    // "Zapłać online" is a form whose answer redirects to the payment provider
    if let Some(p24) = &state.settings.payments.przelewy24
        && let Ok(u) = url::Url::parse(&p24.base_url)
    {
        let origin = u.origin().ascii_serialization();
        if !targets.contains(&origin) {
            targets.push(origin);
        }
    }
    let csp = format!(
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; form-action {}",
        targets.join(" ")
    );
    HeaderValue::from_str(&csp).unwrap_or(HeaderValue::from_static(
        "default-src 'self'; frame-ancestors 'none'",
    ))
}

pub fn router(state: AppState) -> Router {
    let limits = state.settings.limits.clone();
    let routes = routes::build(&state);

    let csp = content_security_policy(&state);
    // production is https only (`config::Settings::checked`): browsers are told to keep it so
    let hsts = (state.settings.mode == crate::config::Mode::Production).then(|| {
        SetResponseHeaderLayer::overriding(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=63072000; includeSubDomains"),
        )
    });
    let x_request_id = HeaderName::from_static("x-request-id");
    routes
        .app
        .fallback(pages::not_found)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            extract::owner_cookie,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            session::resolve,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.admission.clone(),
            admission::admit,
        ))
        .merge(routes.ops)
        .layer(
            ServiceBuilder::new()
                .layer(SetRequestIdLayer::new(
                    x_request_id.clone(),
                    MakeRequestUuid,
                ))
                .layer(TraceLayer::new_for_http())
                .layer(PropagateRequestIdLayer::new(x_request_id))
                .layer(CatchPanicLayer::new())
                .layer(TimeoutLayer::with_status_code(
                    StatusCode::REQUEST_TIMEOUT,
                    Duration::from_secs(limits.request_timeout_secs),
                ))
                .layer(CsrfLayer::new())
                .layer(SetResponseHeaderLayer::if_not_present(
                    header::CONTENT_SECURITY_POLICY,
                    csp,
                ))
                .layer(SetResponseHeaderLayer::overriding(
                    header::X_CONTENT_TYPE_OPTIONS,
                    HeaderValue::from_static("nosniff"),
                ))
                .layer(SetResponseHeaderLayer::overriding(
                    header::REFERRER_POLICY,
                    HeaderValue::from_static("same-origin"),
                ))
                .layer(SetResponseHeaderLayer::overriding(
                    header::X_FRAME_OPTIONS,
                    HeaderValue::from_static("DENY"),
                ))
                .option_layer(hsts),
        )
        // outermost: even the CSRF layer's, the timeout's and a panic's answers are problems
        .layer(axum::middleware::from_fn(problem::api_problems))
        .with_state(state)
}
