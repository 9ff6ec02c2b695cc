//! Amounts of money as whole grosze. Never a float: a statement's `1 234,56` and a
//! provider's `123456` become the same integer.

use std::fmt;

/// A non-negative amount in grosze (1 zł = 100 gr).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Grosze(i64);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GroszeError {
    #[error("an amount is digits with at most two decimal places, e.g. `123,45` (got `{0}`)")]
    Format(String),
    #[error("an amount may not be negative (got `{0}`)")]
    Negative(String),
    #[error("the amount `{0}` is too large")]
    TooLarge(String),
}

/// One trillion złoty: larger than any amount a town hall handles, small enough to add.
const MAX: i64 = 100_000_000_000_000;

impl Grosze {
    pub const ZERO: Self = Self(0);

    /// From a count of grosze, e.g. a provider's `amount` or a database column.
    pub fn new(grosze: i64) -> Result<Self, GroszeError> {
        match grosze {
            g if g < 0 => Err(GroszeError::Negative(g.to_string())),
            g if g > MAX => Err(GroszeError::TooLarge(g.to_string())),
            g => Ok(Self(g)),
        }
    }

    /// From a decimal amount in złoty as statements write it: `1234,56`, `1234.5`, `1 234,56`,
    /// `1234`. A comma or a dot separates the grosze; spaces group thousands.
    pub fn parse_zloty(input: &str) -> Result<Self, GroszeError> {
        let err = || GroszeError::Format(input.chars().take(40).collect());
        let compact: String = input.trim().chars().filter(|c| *c != ' ').collect();
        if compact
            .strip_prefix('-')
            .is_some_and(|rest| !rest.is_empty())
        {
            return Err(GroszeError::Negative(input.trim().to_string()));
        }
        let (whole, frac) = match compact.find([',', '.']) {
            Some(at) => (&compact[..at], &compact[at + 1..]),
            None => (compact.as_str(), ""),
        };
        let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        if whole.is_empty() || whole.len() > 15 || !digits(whole) || frac.len() > 2 || !digits(frac)
        {
            return Err(err());
        }
        let whole: i64 = whole.parse().map_err(|_| err())?;
        let frac: i64 = match frac.len() {
            0 => 0,
            1 => frac.parse::<i64>().map_err(|_| err())? * 10,
            _ => frac.parse().map_err(|_| err())?,
        };
        whole
            .checked_mul(100)
            .and_then(|g| g.checked_add(frac))
            .ok_or_else(|| GroszeError::TooLarge(input.trim().to_string()))
            .and_then(Self::new)
    }

    pub fn get(self) -> i64 {
        self.0
    }

    pub fn saturating_sub(self, other: Self) -> Self {
        Self(self.0.saturating_sub(other.0).max(0))
    }

    pub fn checked_add(self, other: Self) -> Option<Self> {
        self.0.checked_add(other.0).and_then(|g| Self::new(g).ok())
    }

    /// `1234,56` (the Polish notation, no grouping).
    pub fn to_zloty(self) -> String {
        format!("{},{:02}", self.0 / 100, self.0 % 100)
    }

    /// `1234.56`: what providers' and CSV consumers' decimal fields expect.
    pub fn to_decimal_string(self) -> String {
        format!("{}.{:02}", self.0 / 100, self.0 % 100)
    }
}

impl fmt::Display for Grosze {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} zł", self.to_zloty())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn statement_notations() {
        for (input, grosze) in [
            ("1234,56", 123_456),
            ("1234.56", 123_456),
            ("1 234,56", 123_456),
            ("1234,5", 123_450),
            ("1234", 123_400),
            ("0,01", 1),
            ("0,", 0),
        ] {
            assert_eq!(
                Grosze::parse_zloty(input).map(Grosze::get),
                Ok(grosze),
                "{input}"
            );
        }
    }

    #[test]
    fn refused_amounts() {
        assert!(matches!(
            Grosze::parse_zloty("1,234"),
            Err(GroszeError::Format(_))
        ));
        assert!(matches!(
            Grosze::parse_zloty(",50"),
            Err(GroszeError::Format(_))
        ));
        assert!(matches!(
            Grosze::parse_zloty("1e5"),
            Err(GroszeError::Format(_))
        ));
        assert!(matches!(
            Grosze::parse_zloty("-5,00"),
            Err(GroszeError::Negative(_))
        ));
        assert!(matches!(
            Grosze::parse_zloty("999999999999999,99"),
            Err(GroszeError::TooLarge(_))
        ));
        assert!(Grosze::new(-1).is_err());
    }

    proptest! {
        #[test]
        fn printing_and_parsing_agree(g in 0i64..MAX) {
            let amount = Grosze::new(g).unwrap();
            prop_assert_eq!(Grosze::parse_zloty(&amount.to_zloty()), Ok(amount));
            prop_assert_eq!(Grosze::parse_zloty(&amount.to_decimal_string()), Ok(amount));
        }
    }
}
