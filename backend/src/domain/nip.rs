//! NIP, the Polish tax identification number (DOMAIN.md §3).

/// A NIP with a valid check digit, held as its 10 digits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Nip(String);

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum NipError {
    #[error("a NIP has exactly 10 digits")]
    Format,
    #[error("the NIP check digit does not match")]
    Checksum,
}

impl NipError {
    pub fn code(self) -> &'static str {
        match self {
            Self::Format => "nip.format",
            Self::Checksum => "nip.checksum",
        }
    }
}

const WEIGHTS: [u32; 9] = [6, 5, 7, 2, 3, 4, 5, 6, 7];

impl Nip {
    /// Accepts `8567346215`, `856-734-62-15`, `856 734 62 15` and a `PL` prefix.
    pub fn parse(input: &str) -> Result<Self, NipError> {
        let trimmed = input.trim();
        let trimmed = trimmed
            .strip_prefix("PL")
            .or_else(|| trimmed.strip_prefix("pl"))
            .unwrap_or(trimmed);
        let compact: String = trimmed
            .chars()
            .filter(|c| !matches!(c, '-' | ' '))
            .collect();
        let d = super::digits_of(&compact, 10).ok_or(NipError::Format)?;
        let sum = super::weighted_sum(&d[..9], &WEIGHTS) % 11;
        if sum == 10 || sum != d[9] {
            return Err(NipError::Checksum);
        }
        Ok(Self(compact))
    }

    /// The display form `XXX-XXX-XX-XX`.
    pub fn formatted(&self) -> String {
        let s = &self.0;
        format!("{}-{}-{}-{}", &s[0..3], &s[3..6], &s[6..8], &s[8..10])
    }
}

impl AsRef<str> for Nip {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn valid_numbers_in_every_notation() {
        for input in [
            "8567346215",
            "856-734-62-15",
            "PL8567346215",
            " 856 734 62 15 ",
            "5261040828",
        ] {
            assert!(Nip::parse(input).is_ok(), "{input}");
        }
        assert_eq!(
            Nip::parse("PL 856-734-62-15").map(|n| n.formatted()),
            Ok("856-734-62-15".into())
        );
    }

    #[test]
    fn invalid_numbers() {
        assert_eq!(Nip::parse("8567346216"), Err(NipError::Checksum));
        assert_eq!(Nip::parse("856734621"), Err(NipError::Format));
        assert_eq!(Nip::parse("85673462150"), Err(NipError::Format));
        assert_eq!(Nip::parse("abcdefghij"), Err(NipError::Format));
        // weighted sum mod 11 == 10 is never valid, whatever the last digit
        assert_eq!(Nip::parse("0000010040"), Err(NipError::Checksum));
    }
}
