//! The dev IdP's second factor for staff personas: TOTP (RFC 6238, via totp-rs), six
//! digits every 30 s, one step of clock skew either way. A persona's secret is derived from
//! its id: this is development only, where anyone may pick any persona, and the step shows
//! the secret as an authenticator app's setup would, so a test (or a person with an
//! authenticator app) can answer it. The ID token then carries `amr: ["pwd", "otp"]`.

use totp_rs::{Builder, Totp};

/// The TOTP of persona `id`.
pub fn of(id: &str) -> Option<Totp> {
    use sha2::Digest;
    let digest = sha2::Sha256::digest(format!("okienko-dev-idp-totp:{id}").as_bytes());
    Builder::new()
        .with_secret(digest[..20].to_vec())
        .build()
        .ok()
}

/// The secret of persona `id` in base32, as an authenticator app takes it.
pub fn secret_base32(id: &str) -> String {
    of(id).map(|t| t.secret().to_base32()).unwrap_or_default()
}

/// Whether `code` is persona `id`'s code now (or one step before or after).
pub fn check(id: &str, code: &str) -> bool {
    of(id).is_some_and(|t| t.check_current(code.trim()).is_some())
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_current_code_passes_and_others_do_not() {
        let t = super::of("clerk-fn").unwrap();
        let code = t.generate_current().to_string();
        assert_eq!(code.len(), 6);
        assert!(super::check("clerk-fn", &code));
        assert!(!super::check("clerk-fn", "abcdef"));
        assert!(!super::secret_base32("clerk-fn").is_empty());
    }
}
