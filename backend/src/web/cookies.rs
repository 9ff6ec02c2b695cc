//! The cookies okienko sets: their names and attributes in one place.
//!
//! Over https (always in production, see `config::Settings::checked`) every name carries
//! the `__Host-` prefix and the `Secure` attribute: the browser then accepts the cookie
//! only from this origin over https, with `Path=/` and no `Domain`, so a sibling subdomain
//! or a network attacker on plain http cannot plant or overwrite it. A browser refuses a
//! `__Host-` cookie without `Secure`, and `Secure` cookies are not kept from plain-http
//! origins, so development over `http://localhost` uses the plain names.

use std::borrow::Cow;

use axum::http::{HeaderMap, HeaderValue};
use axum_extra::extract::CookieJar;

use crate::state::AppState;

pub use crate::web::extract::{OWNER_COOKIE, SESSION_COOKIE};

/// Binds a login at the provider to the browser that started it (login CSRF): set by
/// `/auth/login`, required with `state` at `/auth/callback`.
pub const LOGIN_COOKIE: &str = "okienko_login";

/// Whether okienko is served over https (then cookies are `__Host-` and `Secure`).
pub fn secure(state: &AppState) -> bool {
    state.settings.base_url().starts_with("https://")
}

/// The name `base` goes by: `__Host-<base>` over https, `<base>` over plain http.
pub fn name(secure: bool, base: &str) -> Cow<'_, str> {
    if secure {
        Cow::Owned(format!("__Host-{base}"))
    } else {
        Cow::Borrowed(base)
    }
}

/// The value of cookie `base` in a request's headers, under the name this origin uses.
pub fn get(state: &AppState, headers: &HeaderMap, base: &str) -> Option<String> {
    CookieJar::from_headers(headers)
        .get(&name(secure(state), base))
        .map(|c| c.value().to_owned())
}

/// `Set-Cookie` for `base=value`: HttpOnly, SameSite=Lax, `Path=/`, and over https
/// `Secure` and the `__Host-` name; `max_age` in seconds (`Some(0)` deletes it).
pub fn set_cookie(secure: bool, base: &str, value: &str, max_age: Option<i64>) -> String {
    let mut c = format!(
        "{}={value}; Path=/; HttpOnly; SameSite=Lax",
        name(secure, base)
    );
    if let Some(secs) = max_age {
        c.push_str(&format!("; Max-Age={secs}"));
    }
    if secure {
        c.push_str("; Secure");
    }
    c
}

/// The header value for [`set_cookie`]; `None` only if `value` holds bytes a header cannot
/// (never for okienko's own random tokens).
pub fn header(
    state: &AppState,
    base: &str,
    value: &str,
    max_age: Option<i64>,
) -> Option<HeaderValue> {
    HeaderValue::from_str(&set_cookie(secure(state), base, value, max_age)).ok()
}

/// The header that deletes cookie `base` in the browser.
pub fn clear(state: &AppState, base: &str) -> HeaderValue {
    header(state, base, "", Some(0)).unwrap_or(HeaderValue::from_static(
        "okienko_session=; Path=/; Max-Age=0",
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn https_cookies_are_host_prefixed_and_secure_and_http_ones_plain() {
        let c = set_cookie(true, SESSION_COOKIE, "t", None);
        assert_eq!(
            c,
            "__Host-okienko_session=t; Path=/; HttpOnly; SameSite=Lax; Secure"
        );
        assert!(!c.contains("Domain"));
        let c = set_cookie(false, LOGIN_COOKIE, "t", Some(900));
        assert_eq!(
            c,
            "okienko_login=t; Path=/; HttpOnly; SameSite=Lax; Max-Age=900"
        );
    }
}
