//! Bank statements as Polish banks export them: MT940 (`mt940.rs`) and ISO 20022
//! camt.053 (`camt053.rs`), detected from the content. Pure and bounded: at most
//! [`MAX_BYTES`], [`MAX_ENTRIES`] entries and [`MAX_LINE_CHARS`] characters a line; every
//! error names its line, in Polish (the clerk who uploads the file reads it).

pub mod camt053;
pub mod mt940;

use time::Date;

use crate::domain::payment::{Grosze, Nrb};

/// 64 MiB: a day's statement of a large gmina is a few MB.
pub const MAX_BYTES: usize = 64 << 20;
/// Entries in one file.
pub const MAX_ENTRIES: usize = 250_000;
/// Characters in one line of an MT940 file (SWIFT's own limit is 65; banks exceed it).
pub const MAX_LINE_CHARS: usize = 2_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Mt940,
    Camt053,
}

impl Format {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Mt940 => "mt940",
            Self::Camt053 => "camt053",
        }
    }
}

/// One booked entry of a statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// The line of the file where the entry starts (1-based).
    pub line: usize,
    pub booked: Date,
    pub amount: Grosze,
    /// A credit (money in); debits are kept but never matched to debts.
    pub credit: bool,
    /// The bank's own reference of the entry, `None` when it gives none (`NONREF`).
    pub bank_reference: Option<String>,
    /// The account credited, when the bank names it (a virtual account).
    pub credited_account: Option<Nrb>,
    pub payer_account: Option<String>,
    pub payer_name: String,
    /// The transfer title, its parts joined.
    pub title: String,
}

/// A parsed statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Statement {
    pub format: Format,
    /// The statement's account as the bank writes it (an IBAN or NRB for Polish banks).
    pub account: String,
    pub entries: Vec<Entry>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StatementError {
    #[error("wyciąg jest większy niż {} MiB", MAX_BYTES >> 20)]
    TooLarge,
    #[error("wyciąg ma więcej niż {MAX_ENTRIES} operacji")]
    TooManyEntries,
    #[error("to nie jest wyciąg MT940 (`:20:` … `:61:`) ani dokument camt.053")]
    UnknownFormat,
    #[error("wiersz {line}: {message}")]
    Line { line: usize, message: String },
}

impl StatementError {
    pub(crate) fn at(line: usize, message: impl Into<String>) -> Self {
        Self::Line {
            line,
            message: message.into(),
        }
    }
}

/// Parses a statement in either format, detected from its first characters. Text that is
/// not UTF-8 is read as Windows-1250, the code page Polish banks' MT940 files use.
pub fn parse(bytes: &[u8]) -> Result<Statement, StatementError> {
    if bytes.len() > MAX_BYTES {
        return Err(StatementError::TooLarge);
    }
    let text = decode(bytes);
    let start = text.trim_start_matches('\u{feff}').trim_start();
    if start.starts_with('<') {
        camt053::parse(&text)
    } else if start.starts_with(":20:") || start.starts_with("{1:") || start.contains("\n:61:") {
        mt940::parse(&text)
    } else {
        Err(StatementError::UnknownFormat)
    }
}

fn decode(bytes: &[u8]) -> std::borrow::Cow<'_, str> {
    match std::str::from_utf8(bytes) {
        Ok(s) => s.into(),
        Err(_) => encoding_rs::WINDOWS_1250.decode(bytes).0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_and_oversized_files() {
        assert_eq!(parse(b"hello"), Err(StatementError::UnknownFormat));
        assert_eq!(
            parse(&vec![b' '; MAX_BYTES + 1]),
            Err(StatementError::TooLarge)
        );
    }
}
