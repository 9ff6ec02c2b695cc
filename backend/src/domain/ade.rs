//! Addresses for electronic delivery (adres do doręczeń elektronicznych, DOMAIN.md §1).
//!
//! Format `AE:PL-NNNNN-NNNNN-LLLLL-CC`. The check pair has no official specification; the
//! rule below matches published addresses, so a mismatch is a warning, never a rejection.

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ade {
    value: String,
    check_pair_matches: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("an e-delivery address has the form AE:PL-12345-67890-ABCDE-12")]
pub struct AdeError;

impl AdeError {
    pub fn code(self) -> &'static str {
        "ade.format"
    }
}

impl Ade {
    pub fn parse(input: &str) -> Result<Self, AdeError> {
        let value = input.trim().to_owned();
        let rest = value.strip_prefix("AE:").ok_or(AdeError)?;
        let parts: Vec<&str> = rest.split('-').collect();
        let [country, g1, g2, letters, check] = parts.as_slice() else {
            return Err(AdeError);
        };
        let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
        let country_ok = country.len() == 2 && country.bytes().all(|b| b.is_ascii_uppercase());
        if !country_ok
            || !digits(g1, 5)
            || !digits(g2, 5)
            || letters.len() != 5
            || !letters.bytes().all(|b| b.is_ascii_uppercase())
            || !digits(check, 2)
        {
            return Err(AdeError);
        }
        let check_pair_matches = expected_check(g1, g2, letters).to_string() == **check
            || format!("{:02}", expected_check(g1, g2, letters)) == **check;
        Ok(Self {
            value,
            check_pair_matches,
        })
    }

    /// Whether the check pair matches the empirical rule (a warning when it does not).
    pub fn check_pair_matches(&self) -> bool {
        self.check_pair_matches
    }

    /// Builds the address for the given groups with its check pair (used for mailboxes).
    pub fn with_check(g1: u32, g2: u32, letters: &str) -> Result<Self, AdeError> {
        let (g1, g2) = (format!("{g1:05}"), format!("{g2:05}"));
        let check = expected_check(&g1, &g2, letters);
        Self::parse(&format!("AE:PL-{g1}-{g2}-{letters}-{check:02}"))
    }
}

/// `CC = digit_sum(|Σ ASCII(letters) − (int(g1) + int(g2))|)`.
fn expected_check(g1: &str, g2: &str, letters: &str) -> u64 {
    let ascii: i64 = letters.bytes().map(i64::from).sum();
    let groups: i64 = g1.parse::<i64>().unwrap_or(0) + g2.parse::<i64>().unwrap_or(0);
    let mut n = (ascii - groups).unsigned_abs();
    let mut sum = 0;
    while n > 0 {
        sum += n % 10;
        n /= 10;
    }
    sum
}

impl AsRef<str> for Ade {
    fn as_ref(&self) -> &str {
        &self.value
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn published_addresses_have_matching_check_pairs() {
        for a in [
            "AE:PL-30275-59799-JADHJ-27",
            "AE:PL-20189-46019-DVEJA-29",
            "AE:PL-12869-16149-GHRES-21",
        ] {
            let ade = Ade::parse(a).unwrap();
            assert!(ade.check_pair_matches(), "{a}");
        }
    }

    #[test]
    fn wrong_check_pair_is_only_a_warning() {
        let ade = Ade::parse("AE:PL-30275-59799-JADHJ-28").unwrap();
        assert!(!ade.check_pair_matches());
    }

    #[test]
    fn malformed_addresses() {
        for bad in [
            "AE:PL-30275-59799-JADH1-27",
            "AE:PL-3027-59799-JADHJ-27",
            "PL-30275-59799-JADHJ-27",
            "AE:PL-30275-59799-jadhj-27",
            "AE:PL-30275-59799-JADHJ-2",
            "AE:PL-30275-59799-JADHJ-27-1",
            "",
        ] {
            assert_eq!(Ade::parse(bad), Err(AdeError), "{bad}");
        }
    }

    #[test]
    fn generated_addresses_validate() {
        let ade = Ade::with_check(12345, 67890, "ABCDE").unwrap();
        assert!(ade.check_pair_matches());
    }
}
