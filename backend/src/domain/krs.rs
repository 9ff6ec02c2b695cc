//! The number of an entry in the National Court Register (KRS): ten digits, written with
//! leading zeros. It has no check digit, so only its form is checked.

/// A KRS number, held as its ten digits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Krs(String);

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum KrsError {
    #[error("a KRS number has 1 to 10 digits (written with leading zeros to 10)")]
    Format,
}

impl KrsError {
    pub fn code(self) -> &'static str {
        "krs.format"
    }
}

impl Krs {
    /// Accepts `0000123456` and `123456` (padded to ten digits); refuses zero.
    pub fn parse(input: &str) -> Result<Self, KrsError> {
        let s = input.trim();
        if s.is_empty() || s.len() > 10 || !s.bytes().all(|b| b.is_ascii_digit()) {
            return Err(KrsError::Format);
        }
        if s.bytes().all(|b| b == b'0') {
            return Err(KrsError::Format);
        }
        Ok(Self(format!("{s:0>10}")))
    }
}

impl AsRef<str> for Krs {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn krs_numbers_are_ten_digits_with_leading_zeros() {
        assert_eq!(Krs::parse("0000123456").unwrap().as_ref(), "0000123456");
        assert_eq!(Krs::parse(" 123456 ").unwrap().as_ref(), "0000123456");
        for bad in ["", "0000000000", "12345678901", "12-3456", "KRS1"] {
            assert_eq!(Krs::parse(bad), Err(KrsError::Format), "{bad}");
        }
    }
}
