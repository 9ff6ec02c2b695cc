//! The Polish banks' 2D payment code: Rekomendacja ZBP „Standard 2D” (2013-12-03), a
//! string of nine fields separated by `|` that banking apps read from a QR code:
//!
//! | # | field | length |
//! |---|---|---|
//! | 1 | recipient's NIP (empty for a recipient without one) | 10 |
//! | 2 | country | 2 (`PL`) |
//! | 3 | account (NRB) | 26 |
//! | 4 | amount in grosze, zero-padded; `000000` lets the payer type it | 6 |
//! | 5 | recipient's name | up to 20 |
//! | 6 | title | up to 32 |
//! | 7, 8, 9 | reserved (direct debit id, Invoobill id, reserve) | 20, 12, 24 |
//!
//! The whole code is at most 160 characters.

use super::{Grosze, Nrb};
use crate::domain::nip::Nip;

/// A payment code built from parsed parts, its free-text fields cut to their lengths.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaymentCode {
    nip: Option<String>,
    account: Nrb,
    /// `None`: more than the six digits hold (above 9 999,99 zł), so the payer types it.
    amount: Option<Grosze>,
    recipient: String,
    title: String,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PaymentCodeError {
    #[error("a 2D payment code has 9 fields separated by `|` (got {0})")]
    Fields(usize),
    #[error("the 2D payment code's field {field} is wrong: {rule}")]
    Field { field: &'static str, rule: String },
}

const NAME_LEN: usize = 20;
const TITLE_LEN: usize = 32;
const AMOUNT_MAX: i64 = 999_999;

/// A free-text field as the code may carry it: no `|` or control characters, trimmed,
/// at most `len` characters.
fn field_text(s: &str, len: usize) -> String {
    let cleaned: String = s
        .chars()
        .map(|c| if c == '|' || c.is_control() { ' ' } else { c })
        .collect();
    cleaned
        .trim()
        .chars()
        .take(len)
        .collect::<String>()
        .trim_end()
        .to_string()
}

impl PaymentCode {
    /// The code for a payment of `amount` to `account`; the recipient's name and the title
    /// are cut to the recommendation's 20 and 32 characters (put the debt's reference first).
    pub fn new(
        nip: Option<&Nip>,
        account: Nrb,
        amount: Grosze,
        recipient: &str,
        title: &str,
    ) -> Self {
        Self {
            nip: nip.map(|n| n.as_ref().to_string()),
            account,
            amount: (amount.get() > 0 && amount.get() <= AMOUNT_MAX).then_some(amount),
            recipient: field_text(recipient, NAME_LEN),
            title: field_text(title, TITLE_LEN),
        }
    }

    /// Reads a code (as a banking app would), checking each field.
    pub fn parse(code: &str) -> Result<Self, PaymentCodeError> {
        let fields: Vec<&str> = code.split('|').collect();
        let [nip, country, account, amount, recipient, title, _, _, _] = fields[..] else {
            return Err(PaymentCodeError::Fields(fields.len()));
        };
        let bad = |field, rule: &str| PaymentCodeError::Field {
            field,
            rule: rule.to_string(),
        };
        let nip = match nip {
            "" => None,
            n => Some(Nip::parse(n).map_err(|e| bad("nip", &e.to_string()))?),
        };
        if country != "PL" {
            return Err(bad("country", "only `PL`"));
        }
        let account = Nrb::parse(account).map_err(|e| bad("account", &e.to_string()))?;
        if amount.len() != 6 || !amount.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad("amount", "six digits of grosze"));
        }
        let amount = amount
            .parse()
            .ok()
            .and_then(|g| Grosze::new(g).ok())
            .ok_or_else(|| bad("amount", "six digits of grosze"))?;
        if recipient.chars().count() > NAME_LEN || title.chars().count() > TITLE_LEN {
            return Err(bad("recipient/title", "at most 20 and 32 characters"));
        }
        Ok(Self {
            nip: nip.map(|n| n.as_ref().to_string()),
            account,
            amount: (amount != Grosze::ZERO).then_some(amount),
            recipient: recipient.to_string(),
            title: title.to_string(),
        })
    }

    /// The amount the code fixes, `None` when the payer types it.
    pub fn amount(&self) -> Option<Grosze> {
        self.amount
    }

    pub fn account(&self) -> &Nrb {
        &self.account
    }

    pub fn title(&self) -> &str {
        &self.title
    }

    /// The code's text, the QR code's content.
    pub fn text(&self) -> String {
        format!(
            "{}|PL|{}|{:06}|{}|{}|||",
            self.nip.as_deref().unwrap_or(""),
            self.account.digits(),
            self.amount.map_or(0, Grosze::get),
            self.recipient,
            self.title
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The account of the recommendation's examples (its check digits are valid).
    fn account() -> Nrb {
        Nrb::parse("92124012340001567890123456").unwrap()
    }

    /// The recommendation's type 1 example, `1234567890|PL|…`, has a NIP whose check digit
    /// is wrong (okienko only prints its own, valid NIP); the same code with a valid one.
    #[test]
    fn recipient_of_type_1_with_a_fixed_amount() {
        let nip = Nip::parse("8567346215").unwrap();
        let code = PaymentCode::new(
            Some(&nip),
            account(),
            Grosze::new(1200).unwrap(),
            "Odbiorca 1",
            "FV 1234/34/2012",
        );
        assert_eq!(
            code.text(),
            "8567346215|PL|92124012340001567890123456|001200|Odbiorca 1|FV 1234/34/2012|||"
        );
        assert_eq!(PaymentCode::parse(&code.text()), Ok(code));
    }

    #[test]
    fn recipient_of_type_2_without_nip_and_an_amount_the_payer_types() {
        let code = PaymentCode::new(
            None,
            account(),
            Grosze::ZERO,
            "Odbiorca 1",
            "Przelew ekspress",
        );
        assert_eq!(
            code.text(),
            "|PL|92124012340001567890123456|000000|Odbiorca 1|Przelew ekspress|||"
        );
        assert_eq!(code.amount(), None);
        // the recommendation's type 2 example, with its amount fixed, exactly
        let text = "|PL|92124012340001567890123456|001200|Odbiorca 1|Przelew ekspress|||";
        let parsed = PaymentCode::parse(text).unwrap();
        assert_eq!(parsed.amount(), Some(Grosze::new(1200).unwrap()));
        assert_eq!(parsed.text(), text);
    }

    #[test]
    fn long_fields_are_cut_and_large_amounts_left_to_the_payer() {
        let code = PaymentCode::new(
            None,
            account(),
            Grosze::new(1_000_000).unwrap(),
            "Urząd Gminy Żółkiewka Wielka",
            "OPL-2026-000123 opłata skarbowa | zaświadczenie",
        );
        let text = code.text();
        assert_eq!(
            text,
            "|PL|92124012340001567890123456|000000|Urząd Gminy Żółkiewk|OPL-2026-000123 opłata skarbowa|||"
        );
        assert!(text.chars().count() <= 160);
        assert_eq!(text.matches('|').count(), 8);
    }

    #[test]
    fn refused_codes() {
        assert_eq!(PaymentCode::parse("a|b"), Err(PaymentCodeError::Fields(2)));
        assert!(PaymentCode::parse("|DE|61109010140000071219812874|000100|A|B|||").is_err());
        assert!(PaymentCode::parse("|PL|62109010140000071219812874|000100|A|B|||").is_err());
        assert!(PaymentCode::parse("|PL|61109010140000071219812874|1,00|A|B|||").is_err());
    }
}
