//! Extractors that reject early: who is asking (owner key, identity), in which language,
//! and JSON bodies whose rejections become `AppError`s.

use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;
use axum_extra::extract::CookieJar;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use sha2::{Digest, Sha256};

use crate::domain::identity::Identity;
use crate::domain::lang::Lang;
use crate::error::AppError;
use crate::state::AppState;

pub const OWNER_COOKIE: &str = "okienko_owner";
pub const SESSION_COOKIE: &str = "okienko_session";
pub const LANG_COOKIE: &str = "okienko_lang";

/// A JSON body; malformed JSON, wrong types or a missing content type become specific 4xx.
#[derive(FromRequest)]
#[from_request(via(axum::Json), rejection(AppError))]
pub struct ApiJson<T>(pub T);

pub fn random_token() -> String {
    let mut b = [0u8; 32];
    // getrandom only fails on platforms without an entropy source; then refuse to continue
    if getrandom::fill(&mut b).is_err() {
        tracing::error!("no system randomness available");
    }
    URL_SAFE_NO_PAD.encode(b)
}

pub fn sha256_hex(s: &str) -> String {
    crate::forms::catalogue::hex(&Sha256::digest(s.as_bytes()))
}

/// The anonymous owner token of this browser, set by [`owner_cookie`].
#[derive(Clone)]
struct OwnerToken(String);

/// Gives every client a random, HttpOnly owner token so anonymous drafts and receipts
/// belong to someone without an account; unguessable, so a draft id alone opens nothing.
pub async fn owner_cookie(
    state: axum::extract::State<AppState>,
    mut req: Request,
    next: Next,
) -> Response {
    let jar = CookieJar::from_headers(req.headers());
    let existing = jar
        .get(OWNER_COOKIE)
        .map(|c| c.value().to_owned())
        .filter(|v| v.len() == 43);
    let (token, fresh) = match existing {
        Some(t) => (t, false),
        None => (random_token(), true),
    };
    req.extensions_mut().insert(OwnerToken(token.clone()));
    let mut res = next.run(req).await;
    if fresh {
        let secure = if state.settings.base_url().starts_with("https://") {
            "; Secure"
        } else {
            ""
        };
        let cookie = format!(
            "{OWNER_COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age=2592000{secure}"
        );
        if let Ok(v) = HeaderValue::from_str(&cookie) {
            res.headers_mut().append(header::SET_COOKIE, v);
        }
    }
    res
}

/// Who is asking: the owner key their drafts and submissions are stored under, and the
/// identity of their session, if any.
#[derive(Debug, Clone)]
pub struct Requester {
    pub owner: String,
    pub identity: Option<Identity>,
    pub lang: Lang,
}

impl FromRequestParts<AppState> for Requester {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let jar = CookieJar::from_headers(&parts.headers);
        let identity = match jar.get(SESSION_COOKIE) {
            Some(c) => crate::db::sessions::identity(&state.db, &sha256_hex(c.value())).await?,
            None => None,
        };
        let owner = match &identity {
            Some(id) => sha256_hex(&format!("id:{}:{}", id.provider, id.subject)),
            None => {
                let token = parts
                    .extensions
                    .get::<OwnerToken>()
                    .map(|t| t.0.clone())
                    .or_else(|| jar.get(OWNER_COOKIE).map(|c| c.value().to_owned()))
                    .unwrap_or_default();
                sha256_hex(&format!("anon:{token}"))
            }
        };
        Ok(Self {
            owner,
            identity,
            lang: lang_of(parts),
        })
    }
}

/// `?lang=` wins, then the language cookie, then `Accept-Language`; Polish by default.
pub fn lang_of(parts: &Parts) -> Lang {
    let from_query = parts.uri.query().and_then(|q| {
        url::form_urlencoded::parse(q.as_bytes())
            .find(|(k, _)| k == "lang")
            .and_then(|(_, v)| Lang::parse(&v))
    });
    let jar = CookieJar::from_headers(&parts.headers);
    from_query
        .or_else(|| jar.get(LANG_COOKIE).and_then(|c| Lang::parse(c.value())))
        .or_else(|| {
            parts
                .headers
                .get(header::ACCEPT_LANGUAGE)
                .and_then(|h| h.to_str().ok())
                .map(Lang::from_accept_language)
        })
        .unwrap_or_default()
}

/// Just the language, for handlers that need nothing else.
pub struct Language(pub Lang);

impl<S: Send + Sync> FromRequestParts<S> for Language {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(Self(lang_of(parts)))
    }
}
