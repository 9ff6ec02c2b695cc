//! Login through a provider, the callback, logout, the session refresh, and `/api/me`.

pub mod callback;
pub mod failed;
pub mod login;
pub mod logout;
pub mod me;

/// The key a pending login is stored under: the hash of its `state` together with the
/// login cookie of the browser that started it. A callback carrying the state but not the
/// same cookie (another browser sent there by an attacker: login CSRF) finds nothing.
pub fn flow_key(state: &str, binding: &str) -> String {
    crate::auth::sha256_hex(&format!("{state}\n{binding}"))
}

/// Where to send a browser that must log in at `level` (or higher) and then come back.
pub fn login_url(level: &str, return_to: &str) -> String {
    let enc = |s: &str| url::form_urlencoded::byte_serialize(s.as_bytes()).collect::<String>();
    format!(
        "/auth/login?provider=national&level={}&return_to={}",
        enc(level),
        enc(return_to)
    )
}

/// A path on this site to come back to, or `/`: never another origin (open redirect).
pub fn safe_return_to(raw: Option<&str>) -> String {
    match raw {
        Some(p)
            if p.starts_with('/')
                && !p.starts_with("//")
                && !p.contains('\\')
                && !p.chars().any(char::is_control) =>
        {
            p.to_owned()
        }
        _ => "/".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn only_local_paths_are_returned_to() {
        use super::safe_return_to;
        assert_eq!(safe_return_to(Some("/uslugi/dn-1?x=1")), "/uslugi/dn-1?x=1");
        for bad in [
            "//evil.example/",
            "https://evil.example/",
            "/\\evil",
            "",
            "x",
        ] {
            assert_eq!(safe_return_to(Some(bad)), "/", "{bad}");
        }
        assert_eq!(safe_return_to(None), "/");
    }
}
