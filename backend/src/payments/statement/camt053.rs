//! ISO 20022 camt.053 (BankToCustomerStatement, versions .001.02 to .001.13): the
//! statement's `Acct/Id/IBAN`, each `Ntry` with its `Amt`, `CdtDbtInd`, `BookgDt`,
//! `AcctSvcrRef`, and per `TxDtls` the debtor (`RltdPties/Dbtr`), its account, the
//! credited account (`CdtrAcct`: a virtual account) and the title (`RmtInf/Ustrd`, several
//! joined, or `Strd/CdtrRefInf/Ref`). An entry with several `TxDtls` that each carry an
//! amount (a batch booking) becomes one entry per transaction.

use quick_xml::Reader;
use quick_xml::events::Event;
use time::Date;

use super::{Entry, Format, MAX_ENTRIES, Statement, StatementError};
use crate::domain::payment::{Grosze, Nrb};

const MAX_DEPTH: usize = 64;
const MAX_TEXT: usize = 10_000;

#[derive(Default)]
struct Tx {
    amount: Option<Grosze>,
    reference: Option<String>,
    payer_name: String,
    payer_account: Option<String>,
    credited: Option<String>,
    title: Vec<String>,
}

#[derive(Default)]
struct Ntry {
    line: usize,
    amount: Option<Grosze>,
    credit: Option<bool>,
    booked: Option<Date>,
    reference: Option<String>,
    txs: Vec<Tx>,
}

/// Counts lines up to a byte position, moving forward only.
struct Lines<'a> {
    text: &'a [u8],
    at: usize,
    line: usize,
}

impl Lines<'_> {
    fn at(&mut self, pos: u64) -> usize {
        let pos = usize::try_from(pos)
            .unwrap_or(usize::MAX)
            .min(self.text.len());
        if pos > self.at {
            self.line += self.text[self.at..pos]
                .iter()
                .filter(|b| **b == b'\n')
                .count();
            self.at = pos;
        }
        self.line
    }
}

pub fn parse(text: &str) -> Result<Statement, StatementError> {
    let mut reader = Reader::from_str(text);
    let mut lines = Lines {
        text: text.as_bytes(),
        at: 0,
        line: 1,
    };
    let mut path: Vec<String> = Vec::new();
    let mut account = String::new();
    let mut entries = Vec::new();
    let mut ntry: Option<Ntry> = None;
    let mut buf = String::new();
    loop {
        let pos = reader.buffer_position();
        let event = reader.read_event().map_err(|e| {
            let line = lines.at(reader.error_position());
            StatementError::at(line, format!("niepoprawny XML: {e}"))
        })?;
        let line = lines.at(pos);
        match event {
            Event::Start(e) => {
                if path.len() == MAX_DEPTH {
                    return Err(StatementError::at(
                        line,
                        "zbyt głęboko zagnieżdżone elementy",
                    ));
                }
                let name = String::from_utf8_lossy(e.local_name().as_ref()).into_owned();
                if let Some(n) = ntry.as_mut() {
                    if name == "TxDtls" {
                        n.txs.push(Tx::default());
                    }
                    if name == "Amt" {
                        currency(&e, line)?;
                    }
                } else if name == "Ntry" {
                    ntry = Some(Ntry {
                        line,
                        ..Ntry::default()
                    });
                }
                path.push(name);
                buf.clear();
            }
            Event::Text(t) => push_text(&mut buf, &t.decode().unwrap_or_default(), line)?,
            Event::CData(t) => push_text(&mut buf, &t.decode().unwrap_or_default(), line)?,
            Event::GeneralRef(r) => {
                let name = r.decode().unwrap_or_default();
                let reference = format!("&{name};");
                let resolved = quick_xml::escape::unescape(&reference).map_err(|_| {
                    StatementError::at(line, format!("nieznana encja `{reference}`"))
                })?;
                push_text(&mut buf, &resolved, line)?;
            }
            Event::End(_) => {
                let text = buf.trim().to_string();
                buf.clear();
                let names: Vec<&str> = path.iter().map(String::as_str).collect();
                match ntry.as_mut() {
                    Some(n) => {
                        if names.last() == Some(&"Ntry") {
                            if entries.len() + n.txs.len().max(1) > MAX_ENTRIES {
                                return Err(StatementError::TooManyEntries);
                            }
                            if let Some(done) = ntry.take() {
                                finish(done, &mut entries)?;
                            }
                        } else {
                            on_text(n, &names, text, line)?;
                        }
                    }
                    None if names.ends_with(&["Stmt", "Acct", "Id", "IBAN"])
                        || names.ends_with(&["Stmt", "Acct", "Id", "Othr", "Id"]) =>
                    {
                        account = text;
                    }
                    None => {}
                }
                path.pop();
            }
            Event::Eof if path.is_empty() => break,
            Event::Eof => {
                return Err(StatementError::at(
                    line,
                    format!("dokument kończy się wewnątrz `<{}>`", path.join("/")),
                ));
            }
            _ => {}
        }
    }
    if !text.contains("BkToCstmrStmt") {
        return Err(StatementError::UnknownFormat);
    }
    if account.is_empty() {
        return Err(StatementError::at(
            1,
            "brak `Stmt/Acct/Id/IBAN` (rachunku) w wyciągu",
        ));
    }
    Ok(Statement {
        format: Format::Camt053,
        account,
        entries,
    })
}

fn push_text(buf: &mut String, text: &str, line: usize) -> Result<(), StatementError> {
    if buf.len() + text.len() > MAX_TEXT {
        return Err(StatementError::at(
            line,
            format!("tekst elementu jest dłuższy niż {MAX_TEXT} bajtów"),
        ));
    }
    buf.push_str(text);
    Ok(())
}

fn currency(e: &quick_xml::events::BytesStart<'_>, line: usize) -> Result<(), StatementError> {
    let ccy = e.try_get_attribute("Ccy").ok().flatten();
    match ccy.as_ref().map(|a| a.value.as_ref()) {
        None | Some(b"PLN") => Ok(()),
        Some(other) => Err(StatementError::at(
            line,
            format!(
                "kwota w `{}`: przyjmujemy tylko PLN",
                String::from_utf8_lossy(other)
            ),
        )),
    }
}

/// An element's text inside an entry, by its path.
fn on_text(n: &mut Ntry, path: &[&str], text: String, line: usize) -> Result<(), StatementError> {
    let at = path.iter().rposition(|p| *p == "Ntry").unwrap_or(0);
    let rel = &path[at + 1..];
    let amount = |t: &str| {
        Grosze::parse_zloty(t)
            .map_err(|_| StatementError::at(line, format!("`Amt` `{t}` nie jest kwotą")))
    };
    match rel {
        ["Amt"] => n.amount = Some(amount(&text)?),
        ["CdtDbtInd"] => {
            n.credit = Some(match text.as_str() {
                "CRDT" => true,
                "DBIT" => false,
                other => {
                    return Err(StatementError::at(
                        line,
                        format!("`CdtDbtInd` to CRDT albo DBIT, nie `{other}`"),
                    ));
                }
            })
        }
        ["BookgDt", "Dt"] | ["BookgDt", "DtTm"] => {
            let day = text.get(..10).unwrap_or(&text);
            let format = time::macros::format_description!("[year]-[month]-[day]");
            n.booked = Some(Date::parse(day, format).map_err(|_| {
                StatementError::at(line, format!("`BookgDt` `{text}` nie jest datą"))
            })?);
        }
        ["AcctSvcrRef"] => n.reference = Some(text),
        ["NtryDtls", "TxDtls", rest @ ..] => {
            if let Some(tx) = n.txs.last_mut() {
                tx_text(tx, rest, text, line)?;
            }
        }
        _ => {}
    }
    Ok(())
}

fn tx_text(tx: &mut Tx, rel: &[&str], text: String, line: usize) -> Result<(), StatementError> {
    match rel {
        ["Amt"] | ["AmtDtls", "TxAmt", "Amt"] => {
            tx.amount =
                Some(Grosze::parse_zloty(&text).map_err(|_| {
                    StatementError::at(line, format!("`Amt` `{text}` nie jest kwotą"))
                })?);
        }
        ["Refs", "AcctSvcrRef"] => tx.reference = Some(text),
        ["RltdPties", "Dbtr", "Nm"] | ["RltdPties", "Dbtr", "Pty", "Nm"] => tx.payer_name = text,
        ["RltdPties", "DbtrAcct", "Id", _] | ["RltdPties", "DbtrAcct", "Id", "Othr", "Id"] => {
            tx.payer_account = Some(text);
        }
        ["RltdPties", "CdtrAcct", "Id", "IBAN"] => tx.credited = Some(text),
        ["RmtInf", "Ustrd"] | ["RmtInf", "Strd", "CdtrRefInf", "Ref"] => tx.title.push(text),
        _ => {}
    }
    Ok(())
}

fn finish(n: Ntry, out: &mut Vec<Entry>) -> Result<(), StatementError> {
    let missing = |what: &str| StatementError::at(n.line, format!("operacja nie ma `{what}`"));
    let amount = n.amount.ok_or_else(|| missing("Amt"))?;
    let credit = n.credit.ok_or_else(|| missing("CdtDbtInd"))?;
    let booked = n.booked.ok_or_else(|| missing("BookgDt"))?;
    let split = n.txs.len() > 1 && n.txs.iter().all(|t| t.amount.is_some());
    let txs = if n.txs.is_empty() {
        vec![Tx::default()]
    } else {
        n.txs
    };
    for (i, tx) in txs.into_iter().enumerate() {
        if i > 0 && !split {
            break;
        }
        let reference = tx.reference.or_else(|| {
            n.reference
                .clone()
                .map(|r| if split { format!("{r}/{i}") } else { r })
        });
        out.push(Entry {
            line: n.line,
            booked,
            amount: if split {
                tx.amount.unwrap_or(amount)
            } else {
                amount
            },
            credit,
            bank_reference: reference,
            credited_account: tx.credited.and_then(|a| Nrb::parse(&a).ok()),
            payer_account: tx.payer_account,
            payer_name: tx.payer_name,
            title: tx.title.join(" "),
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = include_str!("../../../tests/payments/camt053_pl.xml");

    #[test]
    fn polish_bank_statement() {
        let s = super::super::parse(SAMPLE.as_bytes()).unwrap();
        assert_eq!(s.format, Format::Camt053);
        assert_eq!(s.account, "PL61109010140000071219812874");
        assert_eq!(s.entries.len(), 4);
        let first = &s.entries[0];
        assert_eq!(first.amount, Grosze::new(1700).unwrap());
        assert!(first.credit);
        assert_eq!(first.booked, time::macros::date!(2026 - 12 - 01));
        assert_eq!(first.bank_reference.as_deref(), Some("E2026120100001"));
        assert_eq!(first.payer_name, "Zażółć Gęślą Jaźń");
        assert_eq!(
            first.title,
            "OPL-000042 opłata skarbowa za zaświadczenie o zameldowaniu & wymeldowaniu"
        );
        assert_eq!(
            first.credited_account.as_ref().map(Nrb::digits),
            Some("14102010260000000000001234")
        );
        // a batch booking: one entry per transaction
        assert_eq!(s.entries[1].amount, Grosze::new(10_000).unwrap());
        assert_eq!(s.entries[2].amount, Grosze::new(25_050).unwrap());
        assert_eq!(s.entries[2].title, "TAX-2026-000777");
        assert!(!s.entries[3].credit);
        assert_eq!(s.entries[3].line, 56);
    }

    #[test]
    fn errors_name_their_line() {
        let wrong = SAMPLE.replacen(">17.00<", ">17,0.0<", 1);
        assert!(matches!(
            parse(&wrong),
            Err(StatementError::Line { line: 14, .. })
        ));
        let euro = SAMPLE.replacen("Ccy=\"PLN\">17.00", "Ccy=\"EUR\">17.00", 1);
        assert_eq!(
            parse(&euro),
            Err(StatementError::at(
                14,
                "kwota w `EUR`: przyjmujemy tylko PLN"
            ))
        );
        let cut = &SAMPLE[..SAMPLE.find("</Ntry>").unwrap()];
        assert!(parse(cut).is_err());
        let nested = format!("<Document>{}", "<a>".repeat(MAX_DEPTH + 1));
        assert!(matches!(parse(&nested), Err(StatementError::Line { .. })));
    }
}
