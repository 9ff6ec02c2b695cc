//! The OpenID Connect relying party for one configured provider: discovery (cached, and
//! redone when the provider rotates its keys), the authorization request with PKCE (S256),
//! `state` and `nonce`, and the code exchange with ID-token verification.

use std::sync::Arc;
use std::time::{Duration, Instant};

use openidconnect::core::{
    CoreAuthDisplay, CoreAuthPrompt, CoreAuthenticationFlow, CoreErrorResponseType,
    CoreGenderClaim, CoreJsonWebKey, CoreJweContentEncryptionAlgorithm, CoreJwsSigningAlgorithm,
    CoreRevocableToken, CoreRevocationErrorResponse, CoreTokenIntrospectionResponse, CoreTokenType,
};
use openidconnect::{
    AdditionalClaims, AuthenticationContextClass, AuthorizationCode, ClaimsVerificationError,
    Client, ClientId, ClientSecret, CsrfToken, EmptyExtraTokenFields, EndSessionUrl,
    EndpointMaybeSet, EndpointNotSet, EndpointSet, IdTokenFields, IssuerUrl, LoginHint, Nonce,
    PkceCodeChallenge, PkceCodeVerifier, ProviderMetadataWithLogout, RedirectUrl, Scope,
    SignatureVerificationError, StandardErrorResponse, StandardTokenResponse, TokenResponse as _,
};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use tokio::sync::RwLock;

use super::claims::{self, ClaimsError};
use crate::config::Provider;
use crate::domain::identity::Identity;
use crate::domain::level::IdentityLevel;

/// Claims beyond the standard ones (`pesel`, roles, unit, ...), kept as they came.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ExtraClaims {
    #[serde(flatten)]
    pub other: Map<String, Value>,
}
impl AdditionalClaims for ExtraClaims {}

type Tokens = StandardTokenResponse<
    IdTokenFields<
        ExtraClaims,
        EmptyExtraTokenFields,
        CoreGenderClaim,
        CoreJweContentEncryptionAlgorithm,
        CoreJwsSigningAlgorithm,
    >,
    CoreTokenType,
>;

type OidcClient = Client<
    ExtraClaims,
    CoreAuthDisplay,
    CoreGenderClaim,
    CoreJweContentEncryptionAlgorithm,
    CoreJsonWebKey,
    CoreAuthPrompt,
    StandardErrorResponse<CoreErrorResponseType>,
    Tokens,
    CoreTokenIntrospectionResponse,
    CoreRevocableToken,
    CoreRevocationErrorResponse,
    EndpointSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointMaybeSet,
    EndpointMaybeSet,
>;

/// Why a login failed. Each kind gets its own page text and log line.
#[derive(Debug, thiserror::Error)]
pub enum LoginError {
    #[error("unknown provider `{0}`")]
    UnknownProvider(String),
    #[error("the provider cannot be reached: {0}")]
    ProviderDown(String),
    #[error("the login link is unknown, expired or already used")]
    UnknownState,
    #[error("the callback came without the login cookie of the browser that started the login")]
    NotThisBrowser,
    #[error("the provider answered with error `{error}`")]
    Provider { error: String },
    #[error("the callback names issuer `{0}`, not the one this login went to")]
    IssuerMismatch(String),
    #[error("the code exchange failed: {0}")]
    Exchange(String),
    #[error("the ID token was refused: {0}")]
    IdToken(String),
    #[error("{0}")]
    Claims(#[from] ClaimsError),
}

impl LoginError {
    /// A short code for logs and for the page's text lookup.
    pub fn code(&self) -> &'static str {
        match self {
            Self::UnknownProvider(_) => "unknown_provider",
            Self::ProviderDown(_) => "provider_down",
            Self::UnknownState => "unknown_state",
            Self::NotThisBrowser => "not_this_browser",
            Self::Provider { error } if error == "access_denied" => "cancelled",
            Self::Provider { .. } => "provider_error",
            Self::IssuerMismatch(_) => "issuer_mismatch",
            Self::Exchange(_) => "exchange",
            Self::IdToken(_) => "id_token",
            Self::Claims(ClaimsError::NoRole) => "no_role",
            Self::Claims(ClaimsError::NoSecondFactor) => "no_second_factor",
            Self::Claims(_) => "claims",
        }
    }
}

/// Why an ID token was refused; a missing key may mean the provider rotated its keys.
enum Refused {
    NoKey(String),
    Other(String),
}

/// What the login page hands to the provider and keeps for the callback.
pub struct Started {
    pub url: url::Url,
    pub state: String,
    pub nonce: String,
    pub pkce_verifier: String,
}

/// What a successful callback yields.
pub struct Finished {
    pub identity: Identity,
    pub id_token: String,
}

struct Discovered {
    client: OidcClient,
    issuer: String,
    end_session: Option<EndSessionUrl>,
    at: Instant,
}

pub struct Oidc {
    pub name: String,
    pub settings: Provider,
    redirect: RedirectUrl,
    http: openidconnect::reqwest::Client,
    cache: RwLock<Option<Arc<Discovered>>>,
}

/// How long discovery (and with it the provider's keys) is trusted before it is read again.
const DISCOVERY_TTL: Duration = Duration::from_secs(3600);
/// Clock skew tolerated on `exp` and `iat`.
const LEEWAY_SECS: i64 = 60;

impl Oidc {
    pub fn new(name: &str, settings: Provider, callback: &str) -> anyhow::Result<Self> {
        let http = openidconnect::reqwest::ClientBuilder::new()
            // never follow redirects from a provider's endpoints (SSRF)
            .redirect(openidconnect::reqwest::redirect::Policy::none())
            .timeout(Duration::from_secs(10))
            .build()?;
        Ok(Self {
            name: name.to_owned(),
            settings,
            redirect: RedirectUrl::new(callback.to_owned())?,
            http,
            cache: RwLock::new(None),
        })
    }

    async fn discovered(&self, refresh: bool) -> Result<Arc<Discovered>, LoginError> {
        if !refresh
            && let Some(d) = self.cache.read().await.as_ref()
            && d.at.elapsed() < DISCOVERY_TTL
        {
            return Ok(d.clone());
        }
        let issuer = IssuerUrl::new(self.settings.issuer.clone())
            .map_err(|e| LoginError::ProviderDown(e.to_string()))?;
        let meta = ProviderMetadataWithLogout::discover_async(issuer, &self.http)
            .await
            .map_err(|e| LoginError::ProviderDown(error_chain(&e)))?;
        let end_session = meta.additional_metadata().end_session_endpoint.clone();
        let issuer = meta.issuer().to_string();
        let client = OidcClient::from_provider_metadata(
            meta,
            ClientId::new(self.settings.client_id.clone()),
            self.settings.client_secret.clone().map(ClientSecret::new),
        )
        .set_redirect_uri(self.redirect.clone());
        let d = Arc::new(Discovered {
            client,
            issuer,
            end_session,
            at: Instant::now(),
        });
        *self.cache.write().await = Some(d.clone());
        Ok(d)
    }

    /// The provider's authorization URL for a new login; `level` asks for at least that
    /// level of assurance (`acr_values`), `login_hint` preselects an account.
    pub async fn start(
        &self,
        level: Option<IdentityLevel>,
        login_hint: Option<&str>,
    ) -> Result<Started, LoginError> {
        let d = self.discovered(false).await?;
        let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
        let mut req = d
            .client
            .authorize_url(
                CoreAuthenticationFlow::AuthorizationCode,
                CsrfToken::new_random,
                Nonce::new_random,
            )
            .set_pkce_challenge(challenge);
        for s in self.settings.scopes.iter().filter(|s| *s != "openid") {
            req = req.add_scope(Scope::new(s.clone()));
        }
        // always name the minimum level (eIDAS `RequestedAuthnContext`, comparison minimum):
        // providers put `acr` in the ID token only when it was asked for
        let wanted = level
            .filter(|l| *l > IdentityLevel::None)
            .unwrap_or(IdentityLevel::Low);
        req = req.add_auth_context_value(AuthenticationContextClass::new(claims::acr_value(
            &self.settings,
            wanted,
        )));
        if level.is_some() {
            // step-up: a fresh login, so that a stronger means is used
            req = req.add_prompt(CoreAuthPrompt::Login);
        }
        if let Some(h) = login_hint {
            req = req.set_login_hint(LoginHint::new(h.to_owned()));
        }
        let (url, state, nonce) = req.url();
        Ok(Started {
            url,
            state: state.secret().clone(),
            nonce: nonce.secret().clone(),
            pkce_verifier: verifier.secret().clone(),
        })
    }

    /// Exchanges the code and verifies the ID token: signature (keys from the provider's
    /// JWKS, read again once if no key matches, for rotation), `iss`, `aud`, `azp`, `exp`
    /// and `iat` with a minute's leeway, and the `nonce` of this login.
    pub async fn finish(
        &self,
        code: &str,
        pkce_verifier: &str,
        nonce: &str,
        iss: Option<&str>,
    ) -> Result<Finished, LoginError> {
        let d = self.discovered(false).await?;
        // RFC 9207: when the provider names itself on the callback, it must be ours
        if let Some(iss) = iss
            && iss.trim_end_matches('/') != d.issuer.trim_end_matches('/')
        {
            return Err(LoginError::IssuerMismatch(iss.to_owned()));
        }
        let tokens = d
            .client
            .exchange_code(AuthorizationCode::new(code.to_owned()))
            .map_err(|e| LoginError::Exchange(e.to_string()))?
            .set_pkce_verifier(PkceCodeVerifier::new(pkce_verifier.to_owned()))
            .request_async(&self.http)
            .await
            .map_err(|e| LoginError::Exchange(error_chain(&e)))?;
        let id_token = tokens
            .id_token()
            .ok_or_else(|| LoginError::IdToken("the token response has no id_token".into()))?;
        let nonce = Nonce::new(nonce.to_owned());
        let verified = match self.verify(&d, id_token, &nonce) {
            Err(Refused::NoKey(_)) if d.at.elapsed() > Duration::from_secs(30) => {
                // the provider may have rotated its keys since discovery: read them again
                let fresh = self.discovered(true).await?;
                self.verify(&fresh, id_token, &nonce)
            }
            other => other,
        }
        .map_err(|r| match r {
            Refused::NoKey(why) | Refused::Other(why) => LoginError::IdToken(why),
        })?;
        let identity = claims::identity(&self.name, &self.settings, &verified)?;
        Ok(Finished {
            identity,
            id_token: id_token.to_string(),
        })
    }

    fn verify(
        &self,
        d: &Discovered,
        id_token: &openidconnect::IdToken<
            ExtraClaims,
            CoreGenderClaim,
            CoreJweContentEncryptionAlgorithm,
            CoreJwsSigningAlgorithm,
        >,
        nonce: &Nonce,
    ) -> Result<Map<String, Value>, Refused> {
        let leeway = chrono::Duration::seconds(LEEWAY_SECS);
        let verifier = d
            .client
            .id_token_verifier()
            .set_time_fn(move || chrono::Utc::now() - leeway)
            .set_issue_time_verifier_fn(move |iat| {
                if iat > chrono::Utc::now() + leeway {
                    Err(format!("issued in the future ({iat})"))
                } else {
                    Ok(())
                }
            });
        let claims = id_token.claims(&verifier, nonce).map_err(|e| match e {
            ClaimsVerificationError::SignatureVerification(
                SignatureVerificationError::NoMatchingKey,
            ) => Refused::NoKey(error_chain(&e)),
            other => Refused::Other(error_chain(&other)),
        })?;
        let raw = serde_json::to_value(claims)
            .ok()
            .and_then(|v| v.as_object().cloned())
            .unwrap_or_default();
        // azp, when present, must be us (OIDC Core 3.1.3.7 items 4 and 5)
        if let Some(azp) = raw.get("azp").and_then(Value::as_str)
            && azp != self.settings.client_id
        {
            return Err(Refused::Other(format!("azp `{azp}` is not this client")));
        }
        Ok(raw)
    }

    /// Where to send the browser to end the provider's session too (RP-initiated logout),
    /// if the provider offers it.
    pub async fn logout_url(&self, id_token: Option<&str>, after: &str) -> Option<url::Url> {
        let d = self.discovered(false).await.ok()?;
        let end = d.end_session.as_ref()?;
        let mut url = end.url().clone();
        {
            let mut q = url.query_pairs_mut();
            if let Some(t) = id_token {
                q.append_pair("id_token_hint", t);
            }
            q.append_pair("client_id", &self.settings.client_id);
            q.append_pair("post_logout_redirect_uri", after);
        }
        Some(url)
    }
}

fn error_chain(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut cur = e.source();
    while let Some(c) = cur {
        s.push_str(": ");
        s.push_str(&c.to_string());
        cur = c.source();
    }
    s
}
