//! Polish account numbers: NRB (26 digits) and its IBAN form `PL` + NRB, with the
//! ISO 13616 / ISO 7064 MOD 97-10 check digits; and the virtual accounts a bank gives a
//! gmina (its prefix + a payer's or debt's number, the check digits computed).

use std::fmt;

/// A Polish account number with valid check digits, held as its 26 digits (NRB).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Nrb(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AccountError {
    #[error("an account number is 26 digits, optionally after `PL` (got {0} digits)")]
    Format(usize),
    #[error("only Polish accounts (`PL`) are accepted here")]
    Country,
    #[error("the account number's check digits do not match (ISO 13616)")]
    Checksum,
    #[error(
        "a virtual account prefix is 8 to 20 digits: the bank's sort code and the gmina's number"
    )]
    Prefix,
    #[error("the payer number {0} does not fit the digits the prefix leaves")]
    PayerTooLarge(u64),
}

impl AccountError {
    pub fn code(&self) -> &'static str {
        match self {
            Self::Format(_) => "account.format",
            Self::Country => "account.country",
            Self::Checksum => "account.checksum",
            Self::Prefix => "account.prefix",
            Self::PayerTooLarge(_) => "account.payer",
        }
    }
}

/// `PL` as ISO 13616 turns letters into numbers (P = 25, L = 21), moved behind the BBAN.
const PL: u64 = 2521;

/// The remainder modulo 97 of a string of ASCII digits, read left to right.
fn mod97(digits: &str) -> u64 {
    digits
        .bytes()
        .fold(0, |r, b| (r * 10 + u64::from(b - b'0')) % 97)
}

/// The two check digits of a Polish BBAN (24 digits): 98 - (BBAN ‖ PL ‖ 00) mod 97.
fn check_digits(bban: &str) -> String {
    let r = mod97(&format!("{bban}{PL}00"));
    format!("{:02}", 98 - r)
}

impl Nrb {
    /// Accepts `61 1090 1014 0000 0712 1981 2874`, `PL61109010140000071219812874` and the
    /// same with spaces or dashes; refuses any other country and wrong check digits.
    pub fn parse(input: &str) -> Result<Self, AccountError> {
        let compact: String = input
            .trim()
            .chars()
            .filter(|c| !matches!(c, ' ' | '-'))
            .take(40)
            .collect::<String>()
            .to_ascii_uppercase();
        let digits = match compact.get(..2) {
            Some("PL") => &compact[2..],
            Some(p) if p.bytes().all(|b| b.is_ascii_alphabetic()) => {
                return Err(AccountError::Country);
            }
            _ => compact.as_str(),
        };
        if digits.len() != 26 || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(AccountError::Format(
                digits.bytes().filter(u8::is_ascii_digit).count(),
            ));
        }
        if mod97(&format!("{}{PL}{}", &digits[2..], &digits[..2])) != 1 {
            return Err(AccountError::Checksum);
        }
        Ok(Self(digits.to_string()))
    }

    /// The 26 digits.
    pub fn digits(&self) -> &str {
        &self.0
    }

    /// `PL` + the 26 digits, as SEPA messages and camt.053 write it.
    pub fn iban(&self) -> String {
        format!("PL{}", self.0)
    }

    /// The bank's sort code (numer rozliczeniowy): digits 3 to 10.
    pub fn sort_code(&self) -> &str {
        &self.0[2..10]
    }
}

impl fmt::Display for Nrb {
    /// `61 1090 1014 0000 0712 1981 2874`, the way letters print it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0[..2])?;
        for chunk in self.0.as_bytes()[2..].chunks(4) {
            write!(f, " {}", String::from_utf8_lossy(chunk))?;
        }
        Ok(())
    }
}

impl AsRef<str> for Nrb {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

/// The gmina's virtual accounts: the bank's sort code and the gmina's number at the bank
/// (the prefix, 8 to 20 digits), then a payer's or debt's number filling the rest of the
/// 24-digit BBAN, the check digits in front computed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VirtualAccounts {
    prefix: String,
}

impl VirtualAccounts {
    pub fn new(prefix: &str) -> Result<Self, AccountError> {
        let prefix = prefix.trim();
        if !(8..=20).contains(&prefix.len()) || !prefix.bytes().all(|b| b.is_ascii_digit()) {
            return Err(AccountError::Prefix);
        }
        Ok(Self {
            prefix: prefix.to_string(),
        })
    }

    /// How many digits a payer's number may have.
    pub fn payer_digits(&self) -> usize {
        24 - self.prefix.len()
    }

    /// The account of payer (or debt) number `payer`.
    pub fn account_for(&self, payer: u64) -> Result<Nrb, AccountError> {
        let width = self.payer_digits();
        let number = format!("{payer:0width$}");
        if number.len() > width {
            return Err(AccountError::PayerTooLarge(payer));
        }
        let bban = format!("{}{number}", self.prefix);
        Ok(Nrb(format!("{}{bban}", check_digits(&bban))))
    }

    /// The payer number of one of these virtual accounts, `None` for any other account.
    pub fn payer_of(&self, account: &Nrb) -> Option<u64> {
        account.0[2..]
            .strip_prefix(self.prefix.as_str())
            .and_then(|n| n.parse().ok())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn published_examples() {
        // The SWIFT IBAN registry's Polish example, and a second valid account.
        for input in [
            "PL61109010140000071219812874",
            "PL61 1090 1014 0000 0712 1981 2874",
            "61 1090 1014 0000 0712 1981 2874",
            "pl27114020040000300201355387",
            "27-1140-2004-0000-3002-0135-5387",
        ] {
            assert!(Nrb::parse(input).is_ok(), "{input}");
        }
        let nrb = Nrb::parse("PL61109010140000071219812874").unwrap();
        assert_eq!(nrb.to_string(), "61 1090 1014 0000 0712 1981 2874");
        assert_eq!(nrb.iban(), "PL61109010140000071219812874");
        assert_eq!(nrb.sort_code(), "10901014");
    }

    #[test]
    fn refused_numbers() {
        assert_eq!(
            Nrb::parse("PL62109010140000071219812874"),
            Err(AccountError::Checksum)
        );
        // two digits swapped: MOD 97 catches every transposition
        assert_eq!(
            Nrb::parse("PL61109010140000071219818274"),
            Err(AccountError::Checksum)
        );
        assert_eq!(
            Nrb::parse("DE89370400440532013000"),
            Err(AccountError::Country)
        );
        assert_eq!(Nrb::parse("6110901014"), Err(AccountError::Format(10)));
        assert_eq!(Nrb::parse(""), Err(AccountError::Format(0)));
    }

    #[test]
    fn check_digits_of_the_published_example() {
        assert_eq!(check_digits("109010140000071219812874"), "61");
        assert_eq!(check_digits("114020040000300201355387"), "27");
    }

    #[test]
    fn virtual_accounts_are_valid_and_lead_back_to_their_payer() {
        let gmina = VirtualAccounts::new("1020102600").unwrap();
        assert_eq!(gmina.payer_digits(), 14);
        for payer in [0, 1, 42, 12_345_678, 99_999_999_999_999] {
            let account = gmina.account_for(payer).unwrap();
            let parsed = Nrb::parse(&account.iban()).unwrap();
            assert_eq!(parsed, account);
            assert_eq!(parsed.sort_code(), "10201026");
            assert_eq!(gmina.payer_of(&parsed), Some(payer));
        }
        assert_eq!(
            gmina.account_for(100_000_000_000_000),
            Err(AccountError::PayerTooLarge(100_000_000_000_000))
        );
        let other = Nrb::parse("PL61109010140000071219812874").unwrap();
        assert_eq!(gmina.payer_of(&other), None);
        assert_eq!(VirtualAccounts::new("1234567"), Err(AccountError::Prefix));
        assert_eq!(VirtualAccounts::new("12345678x"), Err(AccountError::Prefix));
    }
}
