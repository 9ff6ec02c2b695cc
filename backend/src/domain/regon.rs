//! REGON, the statistical number of businesses: 9 or 14 digits (DOMAIN.md §3).

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Regon(String);

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum RegonError {
    #[error("a REGON has 9 or 14 digits")]
    Format,
    #[error("the REGON check digit does not match")]
    Checksum,
}

impl RegonError {
    pub fn code(self) -> &'static str {
        match self {
            Self::Format => "regon.format",
            Self::Checksum => "regon.checksum",
        }
    }
}

const WEIGHTS_9: [u32; 8] = [8, 9, 2, 3, 4, 5, 6, 7];
const WEIGHTS_14: [u32; 13] = [2, 4, 8, 5, 0, 9, 7, 3, 6, 1, 2, 4, 8];

fn check_digit(digits: &[u32], weights: &[u32]) -> u32 {
    super::weighted_sum(digits, weights) % 11 % 10
}

impl Regon {
    pub fn parse(input: &str) -> Result<Self, RegonError> {
        let compact: String = input
            .trim()
            .chars()
            .filter(|c| !matches!(c, '-' | ' '))
            .collect();
        let d = super::digits_of(&compact, compact.len())
            .filter(|d| d.len() == 9 || d.len() == 14)
            .ok_or(RegonError::Format)?;
        if check_digit(&d[..8], &WEIGHTS_9) != d[8] {
            return Err(RegonError::Checksum);
        }
        if d.len() == 14 && check_digit(&d[..13], &WEIGHTS_14) != d[13] {
            return Err(RegonError::Checksum);
        }
        Ok(Self(compact))
    }

    /// 9 for a main entity, 14 for a local unit.
    pub fn length(&self) -> usize {
        self.0.len()
    }
}

impl AsRef<str> for Regon {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn valid_regon_9_and_14() {
        assert_eq!(Regon::parse("123456785").map(|r| r.length()), Ok(9));
        assert_eq!(Regon::parse("12345678512347").map(|r| r.length()), Ok(14));
        assert!(Regon::parse("192598184").is_ok());
    }

    #[test]
    fn invalid_regon() {
        assert_eq!(Regon::parse("123456786"), Err(RegonError::Checksum));
        // a 14-digit REGON whose first nine digits are not a valid REGON-9
        assert_eq!(Regon::parse("12345678612347"), Err(RegonError::Checksum));
        assert_eq!(Regon::parse("12345678512348"), Err(RegonError::Checksum));
        assert_eq!(Regon::parse("1234567851"), Err(RegonError::Format));
        assert_eq!(Regon::parse("12345678x"), Err(RegonError::Format));
    }
}
