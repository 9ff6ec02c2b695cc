//! Extractors that reject early: who is asking (owner key, identity), in which language,
//! and JSON bodies whose rejections become `AppError`s.

use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::header;
use axum::http::request::Parts;
use axum::middleware::Next;
use axum::response::Response;
use axum_extra::extract::CookieJar;
use std::sync::Arc;

use crate::auth::api_token::Scope;
use crate::domain::identity::Identity;
use crate::domain::lang::Lang;
use crate::error::AppError;
use crate::state::AppState;
use crate::web::session::Current;

pub const OWNER_COOKIE: &str = "okienko_owner";
pub const SESSION_COOKIE: &str = "okienko_session";
pub const LANG_COOKIE: &str = "okienko_lang";

/// A JSON body; malformed JSON, wrong types or a missing content type become specific 4xx.
/// Every body is a JSON object. A number with a zero fraction (`3.0`) is an integer, as
/// JSON Schema says it is: a body serde refuses only for such numbers is read again with
/// them as integers.
pub struct ApiJson<T>(pub T);

impl<T: serde::de::DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, AppError> {
        use axum::extract::rejection::JsonRejection;
        if !json_content_type(req.headers()) {
            return Err(AppError::UnsupportedMediaType(
                "Wyślij dane z nagłówkiem `Content-Type: application/json`.".into(),
            ));
        }
        let bytes = axum::body::Bytes::from_request(req, state)
            .await
            .map_err(|e| AppError::from(JsonRejection::from(e)))?;
        let object = bytes.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'{');
        match axum::Json::<T>::from_bytes(&bytes) {
            // serde reads a struct from an array too, by position: every body here is an object
            Ok(_) if !object => Err(AppError::bad_request(
                "json.shape",
                "Dane JSON nie mają oczekiwanej struktury: treść musi być obiektem JSON.",
            )),
            Ok(axum::Json(v)) => Ok(Self(v)),
            Err(JsonRejection::JsonDataError(e)) => {
                let mut whole: serde_json::Value =
                    serde_json::from_slice(&bytes).unwrap_or_default();
                if object
                    && integral_floats_as_integers(&mut whole)
                    && let Ok(v) = serde_json::from_value::<T>(whole)
                {
                    return Ok(Self(v));
                }
                Err(JsonRejection::JsonDataError(e).into())
            }
            Err(e) => Err(e.into()),
        }
    }
}

/// `application/json` or any `application/*+json`, as axum's `Json` takes.
fn json_content_type(headers: &axum::http::HeaderMap) -> bool {
    let Some(ct) = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
    else {
        return false;
    };
    let essence = ct
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    essence
        .strip_prefix("application/")
        .is_some_and(|sub| sub == "json" || sub.ends_with("+json"))
}

/// Rewrites every float with a zero fraction in the range of `i64`/`u64` as an integer;
/// says whether it changed any.
fn integral_floats_as_integers(v: &mut serde_json::Value) -> bool {
    use serde_json::Value;
    match v {
        Value::Number(n) if n.is_f64() => {
            let f = n.as_f64().unwrap_or(f64::NAN);
            // the casts are exact: `f` is whole and within the target's range
            let int = if f.fract() != 0.0 {
                None
            } else if (0.0..1.8e19).contains(&f) {
                Some(Value::from(f as u64))
            } else if (-9.2e18..0.0).contains(&f) {
                Some(Value::from(f as i64))
            } else {
                None
            };
            match int {
                Some(i) => {
                    *v = i;
                    true
                }
                None => false,
            }
        }
        // every element is visited: a changed one must not stop the walk
        Value::Array(items) => {
            let mut changed = false;
            for i in items {
                changed |= integral_floats_as_integers(i);
            }
            changed
        }
        Value::Object(map) => {
            let mut changed = false;
            for i in map.values_mut() {
                changed |= integral_floats_as_integers(i);
            }
            changed
        }
        _ => false,
    }
}

pub use crate::auth::{random_token, sha256_hex};

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
    let existing =
        crate::web::cookies::get(&state, req.headers(), OWNER_COOKIE).filter(|v| v.len() == 43);
    let (token, fresh) = match existing {
        Some(t) => (t, false),
        None => (random_token(), true),
    };
    req.extensions_mut().insert(OwnerToken(token.clone()));
    let mut res = next.run(req).await;
    if fresh
        && let Some(v) = crate::web::cookies::header(&state, OWNER_COOKIE, &token, Some(2_592_000))
    {
        res.headers_mut().append(header::SET_COOKIE, v);
    }
    res
}

/// An API client authenticated by its bearer token.
#[derive(Debug, Clone)]
pub struct Client {
    pub id: String,
    pub name: String,
    pub scopes: Vec<Scope>,
}

/// Who is asking: the owner key their drafts and submissions are stored under, the
/// identity of their session or the API client of their bearer token, if any.
#[derive(Debug, Clone)]
pub struct Requester {
    pub owner: String,
    pub identity: Option<Identity>,
    pub session: Option<Arc<Current>>,
    pub client: Option<Client>,
    /// The owner key of this browser's anonymous drafts (also when logged in).
    pub anon_owner: String,
    pub lang: Lang,
}

impl Requester {
    /// Refuses (403) unless the request comes from an API client holding `scope`.
    pub fn require_scope(&self, scope: Scope) -> Result<&Client, AppError> {
        match &self.client {
            Some(c) if c.scopes.contains(&scope) => Ok(c),
            Some(_) => Err(AppError::Forbidden(format!(
                "Ten klient API nie ma uprawnienia `{}`.",
                scope.as_str()
            ))),
            None => Err(AppError::Unauthenticated),
        }
    }
}

impl FromRequestParts<AppState> for Requester {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let anon_token = parts
            .extensions
            .get::<OwnerToken>()
            .map(|t| t.0.clone())
            .or_else(|| crate::web::cookies::get(state, &parts.headers, OWNER_COOKIE))
            .unwrap_or_default();
        let anon_owner = sha256_hex(&format!("anon:{anon_token}"));
        let lang = lang_of(parts);
        if let Some(token) = bearer(parts) {
            let client = client_of(state, token).await?;
            return Ok(Self {
                owner: sha256_hex(&format!("client:{}", client.id)),
                identity: None,
                session: None,
                client: Some(client),
                anon_owner,
                lang,
            });
        }
        let session = parts
            .extensions
            .get::<Option<Arc<Current>>>()
            .cloned()
            .flatten();
        let identity = session.as_ref().map(|s| s.live.identity.clone());
        let owner = identity
            .as_ref()
            .map_or_else(|| anon_owner.clone(), crate::auth::owner_of);
        Ok(Self {
            owner,
            identity,
            session,
            client: None,
            anon_owner,
            lang,
        })
    }
}

fn bearer(parts: &Parts) -> Option<&str> {
    let h = parts.headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = h.split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| token.trim())
}

async fn client_of(state: &AppState, token: &str) -> Result<Client, AppError> {
    let verify = || crate::auth::api_token::verify(&state.keys, &state.settings.base_url(), token);
    let mut verified = verify();
    // a token signed with a key rotated on another node moments ago
    if verified.is_err() && state.keys.refresh_on_miss(&state.db).await {
        verified = verify();
    }
    let claims = verified.map_err(|why| {
        tracing::info!(reason = %why, "API token refused");
        AppError::Unauthenticated
    })?;
    let row = crate::db::api_clients::find_active(&state.db, &claims.sub)
        .await?
        .ok_or(AppError::Unauthenticated)?;
    Ok(Client {
        id: row.id,
        name: row.name,
        // the row, not the token, says what the client may do now
        scopes: row.scopes.split(' ').filter_map(Scope::parse).collect(),
    })
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
