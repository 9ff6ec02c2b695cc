//! Authentication to the national service as UA API 3.0.8 requires: its `oAuthUserAgent`
//! scheme (OAuth 2.0, scopes `read_messages`, `write_messages`, …) with, for EZD-class
//! systems, the client authenticated at the authorization server by its X.509 certificate
//! (OAuth 2.0 Mutual-TLS Client Authentication, RFC 8705). okienko asks the token endpoint
//! for a token with the client-credentials grant over the mutual-TLS connection, keeps it
//! until shortly before it expires, and sends it as `Authorization: Bearer`.

use std::time::{Duration, Instant};

use serde::Deserialize;
use tokio::sync::Mutex;

use crate::config::Secret;

/// A token is renewed this long before the server says it expires.
const RENEW_BEFORE: Duration = Duration::from_secs(60);
/// When the server gives no `expires_in`.
const DEFAULT_LIFETIME: Duration = Duration::from_secs(300);
/// Largest token answer read.
const MAX_TOKEN_BYTES: usize = 64 * 1024;

#[derive(Deserialize)]
struct TokenResponse {
    access_token: Secret,
    #[serde(default)]
    token_type: Option<String>,
    #[serde(default)]
    expires_in: Option<u64>,
}

/// Gets and keeps the bearer token.
pub struct Tokens {
    token_url: url::Url,
    client_id: String,
    client_secret: Option<Secret>,
    scope: String,
    cached: Mutex<Option<(Secret, Instant)>>,
}

impl std::fmt::Debug for Tokens {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Tokens")
            .field("token_url", &self.token_url.as_str())
            .field("client_id", &self.client_id)
            .finish_non_exhaustive()
    }
}

impl Tokens {
    pub fn new(
        token_url: url::Url,
        client_id: String,
        client_secret: Option<Secret>,
        scopes: &[String],
    ) -> Self {
        Self {
            token_url,
            client_id,
            client_secret,
            scope: scopes.join(" "),
            cached: Mutex::new(None),
        }
    }

    /// A valid token: the kept one, or a new one from the token endpoint.
    pub async fn bearer(&self, http: &reqwest::Client) -> Result<Secret, super::Error> {
        let mut cached = self.cached.lock().await;
        if let Some((token, until)) = cached.as_ref()
            && Instant::now() < *until
        {
            return Ok(token.clone());
        }
        let (token, lifetime) = self.fetch(http).await?;
        let until = Instant::now() + lifetime.saturating_sub(RENEW_BEFORE);
        *cached = Some((token.clone(), until));
        Ok(token)
    }

    /// Forgets the kept token (the API said 401: it was revoked or expired early).
    pub async fn forget(&self) {
        *self.cached.lock().await = None;
    }

    async fn fetch(&self, http: &reqwest::Client) -> Result<(Secret, Duration), super::Error> {
        let mut form = vec![
            ("grant_type", "client_credentials"),
            ("client_id", self.client_id.as_str()),
        ];
        if !self.scope.is_empty() {
            form.push(("scope", self.scope.as_str()));
        }
        let mut req = http.post(self.token_url.clone()).form(&form);
        if let Some(secret) = &self.client_secret {
            req = req.basic_auth(&self.client_id, Some(secret.expose()));
        }
        let res = req.send().await.map_err(super::Error::transport)?;
        let status = res.status();
        let body = super::client::read_bounded(res, MAX_TOKEN_BYTES).await?;
        if !status.is_success() {
            // the body of a token error names the OAuth error; it holds no secret
            return Err(super::Error::Token(format!(
                "the token endpoint answered {status}: {}",
                String::from_utf8_lossy(&body)
                    .chars()
                    .take(300)
                    .collect::<String>()
            )));
        }
        let t: TokenResponse = serde_json::from_slice(&body)
            .map_err(|e| super::Error::Token(format!("unreadable token answer: {e}")))?;
        if t.token_type
            .as_deref()
            .is_some_and(|k| !k.eq_ignore_ascii_case("bearer"))
        {
            return Err(super::Error::Token(
                "the token is not a bearer token".into(),
            ));
        }
        let lifetime = t.expires_in.map_or(DEFAULT_LIFETIME, Duration::from_secs);
        Ok((t.access_token, lifetime))
    }
}
