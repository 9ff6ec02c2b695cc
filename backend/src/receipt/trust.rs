//! Which keys `okienko receipt verify` checks a receipt against. Never the keys the
//! receipt itself points to: a forger signs with their own keys and names their own
//! server as `iss`. Keys come from a JWK Set the user names (`--jwks`), or from the
//! published set of an issuer configured as trusted (`receipts.trusted_issuers`, and this
//! installation's own `base_url`). Fetching is https only (plain http to a loopback address
//! in development), follows no redirects, and is bounded in size and time.

use std::path::PathBuf;
use std::time::Duration;

use url::Url;

/// The largest key set read (okienko's own, with a few rotated keys, is under 2 KiB).
pub const MAX_JWKS_BYTES: usize = 64 * 1024;
const TIMEOUT: Duration = Duration::from_secs(10);

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeySource {
    File(PathBuf),
    Url(Url),
}

#[derive(Debug, thiserror::Error)]
pub enum TrustError {
    #[error(
        "the receipt names issuer `{0}`, which is not trusted here; verify with --jwks FILE (the issuer's key set, obtained from a source you trust) or add the issuer to receipts.trusted_issuers"
    )]
    UntrustedIssuer(String),
    #[error("`{0}` is not an https:// URL (keys are fetched over https only)")]
    NotHttps(String),
    #[error("fetching {url}: {why}")]
    Fetch { url: String, why: String },
}

/// What the installation trusts.
pub struct Policy<'a> {
    pub trusted_issuers: &'a [String],
    /// This installation's `base_url`.
    pub own_issuer: &'a str,
    /// Plain http to 127.0.0.1/::1/localhost (development and tests only).
    pub allow_loopback_http: bool,
}

fn same_issuer(a: &str, b: &str) -> bool {
    a.trim_end_matches('/') == b.trim_end_matches('/')
}

/// Where the keys for a receipt issued by `iss` come from: `--jwks` (a file, or a URL the
/// user named), else the published set of a trusted issuer.
pub fn source(jwks: Option<&str>, iss: &str, policy: &Policy) -> Result<KeySource, TrustError> {
    if let Some(given) = jwks {
        if given.contains("://") {
            return Ok(KeySource::Url(fetchable(
                given,
                policy.allow_loopback_http,
            )?));
        }
        return Ok(KeySource::File(PathBuf::from(given)));
    }
    let trusted = same_issuer(iss, policy.own_issuer)
        || policy.trusted_issuers.iter().any(|t| same_issuer(iss, t));
    if !trusted || iss.is_empty() {
        return Err(TrustError::UntrustedIssuer(iss.to_owned()));
    }
    let url = format!("{}/.well-known/jwks.json", iss.trim_end_matches('/'));
    Ok(KeySource::Url(fetchable(&url, policy.allow_loopback_http)?))
}

/// `raw` as a URL okienko may fetch keys from.
pub fn fetchable(raw: &str, allow_loopback_http: bool) -> Result<Url, TrustError> {
    let url = Url::parse(raw).map_err(|_| TrustError::NotHttps(raw.to_owned()))?;
    let loopback = match url.host() {
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        None => false,
    };
    match url.scheme() {
        "https" => Ok(url),
        "http" if allow_loopback_http && loopback => Ok(url),
        _ => Err(TrustError::NotHttps(raw.to_owned())),
    }
}

/// Fetches a JWK Set: no redirects, at most [`MAX_JWKS_BYTES`], within ten seconds.
pub async fn fetch(url: &Url) -> Result<serde_json::Value, TrustError> {
    let fail = |why: String| TrustError::Fetch {
        url: url.to_string(),
        why,
    };
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(TIMEOUT)
        .connect_timeout(TIMEOUT)
        .build()
        .map_err(|e| fail(e.to_string()))?;
    let mut res = client
        .get(url.clone())
        .send()
        .await
        .map_err(|e| fail(e.to_string()))?;
    if res.status() != reqwest::StatusCode::OK {
        return Err(fail(format!(
            "the answer was {} (redirects are not followed)",
            res.status()
        )));
    }
    if res
        .content_length()
        .is_some_and(|n| n > MAX_JWKS_BYTES as u64)
    {
        return Err(fail(format!("larger than {MAX_JWKS_BYTES} bytes")));
    }
    let mut body = Vec::new();
    while let Some(chunk) = res.chunk().await.map_err(|e| fail(e.to_string()))? {
        if body.len() + chunk.len() > MAX_JWKS_BYTES {
            return Err(fail(format!("larger than {MAX_JWKS_BYTES} bytes")));
        }
        body.extend_from_slice(&chunk);
    }
    serde_json::from_slice(&body).map_err(|e| fail(format!("not JSON: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy(trusted: &[String]) -> Policy<'_> {
        Policy {
            trusted_issuers: trusted,
            own_issuer: "https://e.gmina.example",
            allow_loopback_http: false,
        }
    }

    #[test]
    fn a_receipts_own_issuer_is_never_asked_for_keys_unless_trusted() {
        let none: Vec<String> = Vec::new();
        // the forger's receipt names the forger's server
        assert!(matches!(
            source(None, "https://forger.example", &policy(&none)),
            Err(TrustError::UntrustedIssuer(_))
        ));
        let trusted = vec!["https://bip.sasiednia.example/".to_owned()];
        assert_eq!(
            source(None, "https://bip.sasiednia.example", &policy(&trusted)).unwrap(),
            KeySource::Url(
                Url::parse("https://bip.sasiednia.example/.well-known/jwks.json").unwrap()
            )
        );
        assert!(matches!(
            source(None, "https://e.gmina.example/", &policy(&none)),
            Ok(KeySource::Url(_))
        ));
        // --jwks wins: a file, or an https URL
        assert_eq!(
            source(Some("keys.json"), "https://forger.example", &policy(&none)).unwrap(),
            KeySource::File("keys.json".into())
        );
        assert!(matches!(
            source(Some("http://keys.example/jwks.json"), "x", &policy(&none)),
            Err(TrustError::NotHttps(_))
        ));
    }

    #[test]
    fn plain_http_only_to_loopback_and_only_when_allowed() {
        assert!(fetchable("http://127.0.0.1:8080/x", true).is_ok());
        assert!(fetchable("http://localhost/x", true).is_ok());
        assert!(fetchable("http://127.0.0.1:8080/x", false).is_err());
        assert!(fetchable("http://169.254.169.254/latest", true).is_err());
        assert!(fetchable("file:///etc/passwd", true).is_err());
        assert!(fetchable("https://e.gmina.example/jwks.json", false).is_ok());
    }

    /// A one-shot HTTP server answering `response` to the first request.
    async fn serve_once(response: String) -> Url {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move {
            use tokio::io::{AsyncReadExt, AsyncWriteExt};
            if let Ok((mut s, _)) = listener.accept().await {
                let mut buf = [0u8; 4096];
                let _ = s.read(&mut buf).await;
                let _ = s.write_all(response.as_bytes()).await;
                let _ = s.shutdown().await;
            }
        });
        Url::parse(&format!("http://{addr}/.well-known/jwks.json")).unwrap()
    }

    #[tokio::test]
    async fn redirects_are_not_followed_and_large_sets_are_refused() {
        let url = serve_once(
            "HTTP/1.1 302 Found\r\nLocation: http://169.254.169.254/\r\nContent-Length: 0\r\n\r\n"
                .into(),
        )
        .await;
        let e = fetch(&url).await.unwrap_err().to_string();
        assert!(e.contains("302"), "{e}");
        let big = "x".repeat(MAX_JWKS_BYTES + 1);
        let url = serve_once(format!(
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\r\n{big}"
        ))
        .await;
        let e = fetch(&url).await.unwrap_err().to_string();
        assert!(e.contains("larger than"), "{e}");
        let url =
            serve_once("HTTP/1.1 200 OK\r\nContent-Length: 11\r\n\r\n{\"keys\":[]}".into()).await;
        assert_eq!(fetch(&url).await.unwrap(), serde_json::json!({"keys": []}));
    }
}
