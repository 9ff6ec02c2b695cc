//! PESEL, the Polish personal identification number (DOMAIN.md §3).

use serde::Serialize;
use time::{Date, Month};

/// The sex encoded in digit 10 of a PESEL (even: female, odd: male).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Sex {
    Female,
    Male,
}

/// A PESEL whose checksum and encoded birth date are valid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pesel {
    value: String,
    birth_date: Date,
    sex: Sex,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum PeselError {
    #[error("a PESEL has exactly 11 digits")]
    Format,
    #[error("the PESEL encodes a date that does not exist")]
    Date,
    #[error("the PESEL check digit does not match")]
    Checksum,
}

impl PeselError {
    pub fn code(self) -> &'static str {
        match self {
            Self::Format => "pesel.format",
            Self::Date => "pesel.date",
            Self::Checksum => "pesel.checksum",
        }
    }
}

const WEIGHTS: [u32; 10] = [1, 3, 7, 9, 1, 3, 7, 9, 1, 3];

impl Pesel {
    pub fn parse(input: &str) -> Result<Self, PeselError> {
        let value = input.trim();
        let d = super::digits_of(value, 11).ok_or(PeselError::Format)?;
        let check = (10 - super::weighted_sum(&d[..10], &WEIGHTS) % 10) % 10;
        let birth_date = Self::decode_date(&d).ok_or(PeselError::Date)?;
        if check != d[10] {
            return Err(PeselError::Checksum);
        }
        let sex = if d[9] % 2 == 0 {
            Sex::Female
        } else {
            Sex::Male
        };
        Ok(Self {
            value: value.to_owned(),
            birth_date,
            sex,
        })
    }

    /// The century is encoded in the month: +80 → 1800s, +0 → 1900s, +20 → 2000s,
    /// +40 → 2100s, +60 → 2200s.
    fn decode_date(d: &[u32]) -> Option<Date> {
        let yy = (d[0] * 10 + d[1]) as i32;
        let mm = d[2] * 10 + d[3];
        let dd = (d[4] * 10 + d[5]) as u8;
        let (century, month) = match mm {
            81..=92 => (1800, mm - 80),
            1..=12 => (1900, mm),
            21..=32 => (2000, mm - 20),
            41..=52 => (2100, mm - 40),
            61..=72 => (2200, mm - 60),
            _ => return None,
        };
        let month = Month::try_from(u8::try_from(month).ok()?).ok()?;
        Date::from_calendar_date(century + yy, month, dd).ok()
    }

    pub fn birth_date(&self) -> Date {
        self.birth_date
    }

    pub fn sex(&self) -> Sex {
        self.sex
    }
}

impl AsRef<str> for Pesel {
    fn as_ref(&self) -> &str {
        &self.value
    }
}

impl std::fmt::Display for Pesel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use time::macros::date;

    #[test]
    fn known_valid_numbers_in_every_century() {
        for (pesel, born, sex) in [
            ("44051401359", date!(1944 - 05 - 14), Sex::Male),
            ("02070803628", date!(1902 - 07 - 08), Sex::Female),
            ("02270803624", date!(2002 - 07 - 08), Sex::Female),
            ("02470803620", date!(2102 - 07 - 08), Sex::Female),
            ("02670803626", date!(2202 - 07 - 08), Sex::Female),
            ("02870803622", date!(1802 - 07 - 08), Sex::Female),
            ("90090515836", date!(1990 - 09 - 05), Sex::Male),
        ] {
            let p = Pesel::parse(pesel).unwrap_or_else(|e| panic!("{pesel}: {e}"));
            assert_eq!(p.birth_date(), born, "{pesel}");
            assert_eq!(p.sex(), sex, "{pesel}");
            assert_eq!(p.as_ref(), pesel);
        }
    }

    #[test]
    fn rejects_wrong_check_digit_date_and_format() {
        assert_eq!(Pesel::parse("44051401358"), Err(PeselError::Checksum));
        assert_eq!(Pesel::parse("4405140135"), Err(PeselError::Format));
        assert_eq!(Pesel::parse("4405140135a"), Err(PeselError::Format));
        assert_eq!(Pesel::parse(""), Err(PeselError::Format));
        // 30 February 1990
        assert_eq!(Pesel::parse("90023012345"), Err(PeselError::Date));
        // month 13 is not any century
        assert_eq!(Pesel::parse("90130112345"), Err(PeselError::Date));
        // 29 February exists in 2000 and not in 1900
        assert!(
            Pesel::parse("00222900000")
                .map_err(|e| e != PeselError::Date)
                .unwrap_err()
        );
        assert_eq!(Pesel::parse("00022900000"), Err(PeselError::Date));
    }

    /// Builds a valid PESEL from its first ten digits.
    fn with_check(first10: &[u32]) -> String {
        let check = (10 - crate::domain::weighted_sum(first10, &WEIGHTS) % 10) % 10;
        first10
            .iter()
            .chain([check].iter())
            .map(|d| char::from_digit(*d, 10).unwrap_or('0'))
            .collect()
    }

    proptest! {
        #[test]
        fn any_valid_date_with_its_check_digit_parses(
            year in 1800i32..2300, ordinal in 1u16..=365, serial in 0u32..10_000
        ) {
            let date = Date::from_ordinal_date(year, ordinal).unwrap();
            let offset = match year / 100 { 18 => 80, 19 => 0, 20 => 20, 21 => 40, _ => 60 };
            let yy = (year % 100) as u32;
            let mm = date.month() as u32 + offset;
            let dd = date.day() as u32;
            let digits = [yy / 10, yy % 10, mm / 10, mm % 10, dd / 10, dd % 10,
                serial / 1000, serial / 100 % 10, serial / 10 % 10, serial % 10];
            let pesel = with_check(&digits);
            let parsed = Pesel::parse(&pesel).unwrap();
            prop_assert_eq!(parsed.birth_date(), date);
            // changing any single digit of a valid PESEL is always detected
            for i in 0..11 {
                let mut bytes = pesel.clone().into_bytes();
                bytes[i] = b'0' + (bytes[i] - b'0' + 1) % 10;
                prop_assert!(Pesel::parse(std::str::from_utf8(&bytes).unwrap()).is_err());
            }
        }
    }
}
