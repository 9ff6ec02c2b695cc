//! SWIFT MT940 as Polish banks export it: `:25:` the account, `:61:` an entry (date, D/C
//! mark, amount, type, references), `:86:` its details in subfields `~NN` (or `<NN`,
//! `^NN`): `~20`..`~25` the title, `~30`/`~31` or `~38` the payer's account, `~32`/`~33`
//! the payer's name. A subfield may continue on the next line. The credited virtual
//! account, where the bank prints it, is a valid NRB in `:61:`'s supplementary details.

use time::{Date, Month};

use super::{Entry, Format, MAX_ENTRIES, MAX_LINE_CHARS, Statement, StatementError};
use crate::domain::payment::{Grosze, Nrb};

/// A tag with its value (continuation lines joined) and the line it starts on.
struct Field<'a> {
    tag: &'a str,
    line: usize,
    lines: Vec<&'a str>,
}

pub fn parse(text: &str) -> Result<Statement, StatementError> {
    let fields = fields(text)?;
    let mut account = String::new();
    let mut entries: Vec<Entry> = Vec::new();
    for field in &fields {
        match field.tag {
            "25" => {
                account = field
                    .lines
                    .concat()
                    .trim()
                    .trim_start_matches('/')
                    .to_string()
            }
            "61" => {
                if entries.len() == MAX_ENTRIES {
                    return Err(StatementError::TooManyEntries);
                }
                entries.push(entry(field)?);
            }
            "86" => {
                if let Some(last) = entries.last_mut() {
                    details(field, last);
                }
            }
            _ => {}
        }
    }
    if account.is_empty() {
        return Err(StatementError::at(1, "brak rachunku `:25:` w wyciągu"));
    }
    Ok(Statement {
        format: Format::Mt940,
        account,
        entries,
    })
}

/// The file's tagged fields; lines that start no tag continue the last one.
fn fields(text: &str) -> Result<Vec<Field<'_>>, StatementError> {
    let mut fields: Vec<Field<'_>> = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line = i + 1;
        let raw = raw.trim_end_matches('\r');
        if raw.chars().count() > MAX_LINE_CHARS {
            return Err(StatementError::at(
                line,
                format!("dłuższy niż {MAX_LINE_CHARS} znaków"),
            ));
        }
        if let Some((tag, value)) = tagged(raw) {
            fields.push(Field {
                tag,
                line,
                lines: vec![value],
            });
        } else if raw == "-" || raw.starts_with("-}") || raw.starts_with('{') {
            // end of a message, or a SWIFT block header
        } else if let Some(last) = fields.last_mut() {
            last.lines.push(raw);
        } else if !raw.trim().is_empty() {
            return Err(StatementError::at(
                line,
                "tekst przed pierwszym polem `:20:`",
            ));
        }
    }
    Ok(fields)
}

/// `:61:value` → ("61", "value"): a tag is two digits and an optional letter.
fn tagged(raw: &str) -> Option<(&str, &str)> {
    let rest = raw.strip_prefix(':')?;
    let end = rest.find(':')?;
    let tag = &rest[..end];
    let ok = (2..=3).contains(&tag.len())
        && tag.bytes().take(2).all(|b| b.is_ascii_digit())
        && tag.bytes().skip(2).all(|b| b.is_ascii_uppercase());
    ok.then(|| (tag, &rest[end + 1..]))
}

/// `:61:` YYMMDD [MMDD] C|D|RC|RD [funds code] amount type reference [//bank reference]
/// then optional supplementary details on the next line.
fn entry(field: &Field<'_>) -> Result<Entry, StatementError> {
    let bad = |what: &str| StatementError::at(field.line, format!("`:61:` {what}"));
    let first = field.lines.first().copied().unwrap_or_default();
    let booked = yymmdd(first.get(..6).ok_or_else(|| bad("nie ma daty waluty"))?)
        .ok_or_else(|| bad("data waluty nie ma postaci RRMMDD"))?;
    let mut rest = &first[6..];
    if rest.len() >= 4 && rest.as_bytes()[..4].iter().all(u8::is_ascii_digit) {
        rest = &rest[4..];
    }
    let (credit, rest) = if let Some(r) = rest.strip_prefix("RC") {
        (false, r)
    } else if let Some(r) = rest.strip_prefix("RD") {
        (true, r)
    } else if let Some(r) = rest.strip_prefix('C') {
        (true, r)
    } else if let Some(r) = rest.strip_prefix('D') {
        (false, r)
    } else {
        return Err(bad("nie ma znacznika uznania/obciążenia (C, D, RC, RD)"));
    };
    let rest = match rest.as_bytes().first() {
        Some(b) if b.is_ascii_alphabetic() => &rest[1..],
        _ => rest,
    };
    let amount_len = rest
        .find(|c: char| !(c.is_ascii_digit() || c == ','))
        .unwrap_or(rest.len());
    let amount = Grosze::parse_zloty(&rest[..amount_len])
        .map_err(|_| bad(&format!("kwota `{}` nie jest kwotą", &rest[..amount_len])))?;
    let rest = rest[amount_len..].get(4..).unwrap_or_default();
    let bank_reference = rest
        .split_once("//")
        .map(|(_, r)| r.trim())
        .filter(|r| !r.is_empty() && *r != "NONREF")
        .map(str::to_string);
    let credited_account = field.lines[1..]
        .iter()
        .find_map(|l| Nrb::parse(l.trim()).ok());
    Ok(Entry {
        line: field.line,
        booked,
        amount,
        credit,
        bank_reference,
        credited_account,
        payer_account: None,
        payer_name: String::new(),
        title: String::new(),
    })
}

fn yymmdd(s: &str) -> Option<Date> {
    let n = |r: std::ops::Range<usize>| s.get(r).and_then(|d| d.parse::<u8>().ok());
    let month = Month::try_from(n(2..4)?).ok()?;
    Date::from_calendar_date(2000 + i32::from(n(0..2)?), month, n(4..6)?).ok()
}

/// `:86:`'s subfields into the entry: the lines are joined as they wrap.
fn details(field: &Field<'_>, entry: &mut Entry) {
    let joined = field.lines.concat();
    let Some(subfields) = subfields(&joined) else {
        entry.title = joined.trim().to_string();
        return;
    };
    let get = |code: &str| {
        subfields
            .iter()
            .filter(|(c, _)| *c == code)
            .map(|(_, v)| *v)
            .collect::<Vec<_>>()
    };
    entry.title = join_wrapped(
        ["20", "21", "22", "23", "24", "25"]
            .iter()
            .flat_map(|c| get(c)),
    );
    entry.payer_name = join_wrapped(["32", "33"].iter().flat_map(|c| get(c)));
    entry.payer_account = get("38").first().map(|v| v.trim().to_string()).or_else(|| {
        let sort = get("30").concat();
        let number = get("31").concat();
        (!number.trim().is_empty()).then(|| format!("{}{}", sort.trim(), number.trim()))
    });
}

/// `020~00VENT~20title` → [("00", "VENT"), ("20", "title")], with the separator the bank
/// uses after the 3-digit transaction code (`~`, `<`, `^` or `?`).
fn subfields(text: &str) -> Option<Vec<(&str, &str)>> {
    let t = text.trim_start();
    let sep = t
        .chars()
        .nth(3)
        .filter(|c| matches!(c, '~' | '<' | '^' | '?'))?;
    if !t.get(..3)?.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some(
        t[3..]
            .split(sep)
            .filter_map(|part| Some((part.get(..2)?, &part[2..])))
            .collect(),
    )
}

/// A title's parts: a part filling its whole subfield (27 characters) was cut mid-word,
/// so the next continues it; otherwise they are words apart.
fn join_wrapped<'a>(parts: impl Iterator<Item = &'a str>) -> String {
    let mut out = String::new();
    let mut glued = true;
    for part in parts {
        if !glued && !out.is_empty() {
            out.push(' ');
        }
        out.push_str(part.trim_end());
        glued = part.chars().count() >= 27;
    }
    out.trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = include_str!("../../../tests/payments/mt940_pko.sta");

    #[test]
    fn polish_bank_statement_with_multi_line_titles() {
        let s = parse(SAMPLE).unwrap();
        assert_eq!(s.account, "PL61109010140000071219812874");
        assert_eq!(s.entries.len(), 4);
        let first = &s.entries[0];
        assert_eq!(first.booked, time::macros::date!(2026 - 12 - 01));
        assert_eq!(first.amount, Grosze::new(1700).unwrap());
        assert!(first.credit);
        assert_eq!(first.bank_reference.as_deref(), Some("7712345678"));
        assert_eq!(
            first.title,
            "OPL-000042 opłata skarbowa za zaświadczenie o zameldowaniu"
        );
        assert_eq!(first.payer_name, "Zażółć Gęślą Jaźń ul. Źródlana 5");
        assert_eq!(
            first.payer_account.as_deref(),
            Some("PL27114020040000300201355387")
        );
        let second = &s.entries[1];
        assert_eq!(
            second.credited_account.as_ref().map(Nrb::digits),
            Some("14102010260000000000001234")
        );
        assert_eq!(second.amount, Grosze::new(123_456).unwrap());
        assert_eq!(
            second.payer_account.as_deref(),
            Some("109010140000071219812874")
        );
        assert_eq!(second.bank_reference, None);
        // a title cut mid-word at 27 characters is glued back
        assert_eq!(
            s.entries[2].title,
            "Podatek od nieruchomości rata 4/2026 TAX-2026-000777"
        );
        assert!(!s.entries[3].credit);
        assert_eq!(s.entries[3].line, 21);
    }

    #[test]
    fn errors_name_their_line() {
        let broken = SAMPLE.replacen("C17,00", "C1,7,00", 1);
        assert_eq!(
            parse(&broken),
            Err(StatementError::at(
                5,
                "`:61:` kwota `1,7,00` nie jest kwotą"
            ))
        );
        let bad_date = ":20:X\n:25:PL61109010140000071219812874\n:61:261301C1,00NTRFNONREF\n";
        assert_eq!(
            parse(bad_date),
            Err(StatementError::at(
                3,
                "`:61:` data waluty nie ma postaci RRMMDD"
            ))
        );
        let long = format!(":20:X\n:25:A\n:86:{}\n", "x".repeat(MAX_LINE_CHARS + 1));
        assert!(matches!(
            parse(&long),
            Err(StatementError::Line { line: 3, .. })
        ));
    }

    #[test]
    fn windows_1250_files() {
        let (bytes, _, _) = encoding_rs::WINDOWS_1250.encode(SAMPLE);
        let s = super::super::parse(&bytes).unwrap();
        assert_eq!(s.entries[0].payer_name, "Zażółć Gęślą Jaźń ul. Źródlana 5");
    }
}
