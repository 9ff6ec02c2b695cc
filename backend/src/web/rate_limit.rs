//! Rate limits per client address (the address as `auth::rate_limit::ClientIp` finds it),
//! and `Retry-After` worked out from the limiter's own clock, rounded up, so a client that
//! waits as told is let in.
//!
//! Two limits: logins, callbacks and the status lookup (tower_governor, `auth.login_*`),
//! and form validation by anonymous clients (`limits.validate_*`, [`anonymous`]): every
//! step page post, `/validate` and filing runs the form engine, and anonymous clients may
//! send as many as they like without this.

use std::net::{IpAddr, SocketAddr};
use std::num::NonZeroU32;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::{ConnectInfo, Request, State};
use axum::http::{Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota};

use crate::auth::rate_limit::ClientIp;
use crate::error::AppError;
use crate::state::AppState;
use crate::web::session::Current;

/// Whole seconds to wait for `d`, rounded up (a limiter period of 2 s says 2, not 1).
pub fn retry_after_secs(d: Duration) -> u64 {
    let secs = d.as_secs() + u64::from(d.subsec_nanos() > 0);
    secs.max(1)
}

/// tower_governor reports whole seconds rounded down; the real wait is under one more
/// second and never over one period of the limiter.
pub fn governor_retry_after(wait_secs: u64, period: Duration) -> u64 {
    (wait_secs + 1).min(retry_after_secs(period)).max(1)
}

/// Anonymous validations per client address.
pub struct AnonymousLimit {
    limiter: DefaultKeyedRateLimiter<IpAddr>,
    client: ClientIp,
}

impl AnonymousLimit {
    pub fn from_settings(settings: &crate::config::Settings) -> Self {
        let per_minute =
            NonZeroU32::new(settings.limits.validate_per_minute).unwrap_or(NonZeroU32::MIN);
        let burst = NonZeroU32::new(settings.limits.validate_burst).unwrap_or(NonZeroU32::MIN);
        Self {
            limiter: DefaultKeyedRateLimiter::keyed(
                Quota::per_minute(per_minute).allow_burst(burst),
            ),
            client: ClientIp::from_settings(&settings.auth),
        }
    }

    /// `Err(seconds to wait)` when `ip` is over its limit.
    pub fn check(&self, ip: IpAddr) -> Result<(), u64> {
        // addresses whose cells are full again are forgotten, so memory stays bounded
        if self.limiter.len() > 100_000 {
            self.limiter.retain_recent();
        }
        self.limiter.check_key(&ip).map_err(|not_until| {
            retry_after_secs(not_until.wait_time_from(DefaultClock::default().now()))
        })
    }
}

/// Counts posts by anonymous clients (no session, no API token) against
/// `limits.validate_per_minute`; over it, 429 with `Retry-After`. Reads pass freely.
pub async fn anonymous(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let logged_in = req
        .extensions()
        .get::<Option<Arc<Current>>>()
        .is_some_and(Option::is_some);
    let reads = matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    if reads || logged_in || req.headers().contains_key(header::AUTHORIZATION) {
        return next.run(req).await;
    }
    let peer = req
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip());
    let limit = &state.anonymous_limit;
    let ip = limit
        .client
        .client(peer, req.headers())
        .unwrap_or(IpAddr::from([0, 0, 0, 0]));
    match limit.check(ip) {
        Ok(()) => next.run(req).await,
        Err(secs) => {
            tracing::info!(client = %ip, "anonymous validation rate limited");
            AppError::TooManyRequests(secs).into_response()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_rounds_up_to_what_the_limiter_needs() {
        assert_eq!(retry_after_secs(Duration::from_millis(1999)), 2);
        assert_eq!(retry_after_secs(Duration::from_secs(2)), 2);
        assert_eq!(retry_after_secs(Duration::ZERO), 1);
        // 30 a minute: one every 2 s; governor says 1 for a wait of 1.5 s
        assert_eq!(governor_retry_after(1, Duration::from_secs(2)), 2);
        assert_eq!(governor_retry_after(0, Duration::from_secs(2)), 1);
        assert_eq!(governor_retry_after(5, Duration::from_secs(2)), 2);
    }
}
