//! Pure domain types and rules. No I/O, no web, no database: see docs/ARCHITECTURE.md.

pub mod ade;
pub mod budget;
pub mod case;
pub mod clock;
pub mod consultation;
pub mod consultation_document;
pub mod council;
pub mod deadlines;
pub mod deemed;
pub mod files;
pub mod holidays;
pub mod identifier;
pub mod identity;
pub mod ids;
pub mod initiative;
pub mod krs;
pub mod lang;
pub mod ledger;
pub mod level;
pub mod money;
pub mod nip;
pub mod payment;
pub mod pesel;
pub mod petition;
pub mod postal_code;
pub mod procedure;
pub mod regon;
pub mod residence;
pub mod search;
pub mod term;

/// Sum of `digits[i] * weights[i]` for the checksum algorithms of Polish identifiers.
fn weighted_sum(digits: &[u32], weights: &[u32]) -> u32 {
    digits.iter().zip(weights).map(|(d, w)| d * w).sum()
}

/// Decimal digits of `s`, or `None` when `s` is not exactly `len` ASCII digits.
fn digits_of(s: &str, len: usize) -> Option<Vec<u32>> {
    if s.len() != len {
        return None;
    }
    s.chars().map(|c| c.to_digit(10)).collect()
}
