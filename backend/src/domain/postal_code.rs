//! Polish postal code `NN-NNN` (DOMAIN.md §3).

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PostalCode(String);

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("a postal code has the form 00-000")]
pub struct PostalCodeError;

impl PostalCodeError {
    pub fn code(self) -> &'static str {
        "postal_code.format"
    }
}

impl PostalCode {
    /// Accepts `00-950` and, leniently, `00950`; always normalises to `00-950`.
    pub fn parse(input: &str) -> Result<Self, PostalCodeError> {
        let s = input.trim();
        let digits: String = match s.len() {
            6 if s.as_bytes()[2] == b'-' => format!("{}{}", &s[..2], &s[3..]),
            5 => s.to_owned(),
            _ => return Err(PostalCodeError),
        };
        if !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(PostalCodeError);
        }
        Ok(Self(format!("{}-{}", &digits[..2], &digits[2..])))
    }
}

impl AsRef<str> for PostalCode {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn postal_codes() {
        assert_eq!(
            PostalCode::parse("00-950").map(|p| p.0),
            Ok("00-950".into())
        );
        assert_eq!(PostalCode::parse("64530").map(|p| p.0), Ok("64-530".into()));
        for bad in [
            "00950-", "0-0950", "00_950", "ab-cde", "00-9500", "", "ż0-950",
        ] {
            assert_eq!(PostalCode::parse(bad), Err(PostalCodeError), "{bad}");
        }
    }
}
