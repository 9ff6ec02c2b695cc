//! `okienko ledger import DIR`: a domain system's ledger from five CSV files in the
//! columns of docs/ledger.md. Every file is read and checked before anything is written;
//! every problem names its `file:line` and column; then the whole ledger is replaced in one
//! transaction, so importing the same files again changes nothing.

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::str::FromStr;

use rust_decimal::Decimal;
use time::Date;

use super::csv;
use crate::db::ledger::MAX_PER_TAXPAYER;
use crate::domain::ledger::{
    Assessment, AssessmentKind, Family, Instalment, Payment, Snapshot, TaxObject, Taxpayer,
    TaxpayerId,
};

/// The largest file read (bytes), the longest line (bytes) and the most problems listed.
pub const MAX_FILE_BYTES: u64 = 256 * 1024 * 1024;
pub const MAX_LINE_BYTES: usize = 4096;
const MAX_PROBLEMS: usize = 50;

pub const TAXPAYERS: (&str, &str) = (
    "taxpayers.csv",
    "taxpayer_id;id_kind;id_number;name;address",
);
pub const OBJECTS: (&str, &str) = (
    "objects.csv",
    "taxpayer_id;object_id;family;category;location;land_register;base",
);
pub const ASSESSMENTS: (&str, &str) = (
    "assessments.csv",
    "taxpayer_id;year;family;kind;reference;issued_on;amount",
);
pub const INSTALMENTS: (&str, &str) = (
    "instalments.csv",
    "taxpayer_id;year;family;number;due_on;amount",
);
pub const PAYMENTS: (&str, &str) = ("payments.csv", "payment_id;taxpayer_id;paid_on;amount");

/// What an import found wrong: every line is `file:line: column: rule`.
#[derive(Debug)]
pub struct Problems(pub Vec<String>);

impl std::fmt::Display for Problems {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0.join("\n"))
    }
}

/// The columns of one line, by the header's names (also the residents' import's).
pub(crate) struct Row<'a> {
    names: &'a [&'a str],
    cells: Vec<String>,
}

impl Row<'_> {
    pub(crate) fn get(&self, name: &str) -> &str {
        let i = self.names.iter().position(|n| *n == name).unwrap_or(0);
        self.cells.get(i).map_or("", |s| s.trim())
    }

    /// A text of 1..=`max` characters (0 allowed when `optional`).
    pub(crate) fn text(&self, name: &str, max: usize) -> Result<String, String> {
        let v = self.get(name);
        if v.is_empty() {
            return Err(format!("{name}: required"));
        }
        self.opt(name, max).map(Option::unwrap_or_default)
    }

    pub(crate) fn opt(&self, name: &str, max: usize) -> Result<Option<String>, String> {
        let v = self.get(name);
        if v.chars().count() > max {
            return Err(format!("{name}: at most {max} characters"));
        }
        Ok((!v.is_empty()).then(|| v.to_owned()))
    }

    pub(crate) fn date(&self, name: &str) -> Result<Date, String> {
        crate::forms::expr::parse_date(self.get(name))
            .ok_or_else(|| format!("{name}: a date YYYY-MM-DD, not `{}`", self.get(name)))
    }

    /// A decimal ≥ 0 with at most `scale` places.
    fn decimal(&self, name: &str, scale: u32) -> Result<Decimal, String> {
        let v = self.get(name);
        let d = Decimal::from_str(v).map_err(|_| format!("{name}: a number, not `{v}`"))?;
        if d.is_sign_negative() || d.normalize().scale() > scale {
            return Err(format!("{name}: ≥ 0 with at most {scale} decimal places"));
        }
        Ok(d)
    }

    fn int<T: TryFrom<i64>>(
        &self,
        name: &str,
        range: std::ops::RangeInclusive<i64>,
    ) -> Result<T, String> {
        self.get(name)
            .parse::<i64>()
            .ok()
            .filter(|n| range.contains(n))
            .and_then(|n| T::try_from(n).ok())
            .ok_or_else(|| format!("{name}: a whole number {}..={}", range.start(), range.end()))
    }

    fn family(&self) -> Result<Family, String> {
        Family::parse(self.get("family")).ok_or_else(|| {
            format!(
                "family: property, agricultural, forest or transport, not `{}`",
                self.get("family")
            )
        })
    }
}

/// Reads the five files of `dir` into a snapshot, or every problem found (at most 50).
pub fn read(dir: &Path) -> Result<Snapshot, Problems> {
    let mut p = Vec::new();
    let mut s = Snapshot::default();
    let mut keys = HashSet::new();
    let mut ids = HashSet::new();
    each(dir, TAXPAYERS, &mut p, |r| {
        let key = r.text("taxpayer_id", 64)?;
        let id = TaxpayerId::parse(r.get("id_kind"), r.get("id_number"))
            .map_err(|e| format!("id_number: {e}"))?;
        if !keys.insert(key.clone()) {
            return Err(format!("taxpayer_id: `{key}` appears twice"));
        }
        if !ids.insert((id.kind(), id.value().to_owned())) {
            return Err(format!(
                "id_number: {} {} appears twice",
                id.kind(),
                id.value()
            ));
        }
        s.taxpayers.push(Taxpayer {
            key,
            id,
            name: r.text("name", 300)?,
            address: r.text("address", 300)?,
        });
        Ok(())
    });
    let mut per = HashMap::<(&'static str, String), u64>::new();
    let mut owner = |r: &Row, kind: &'static str| -> Result<String, String> {
        let key = r.text("taxpayer_id", 64)?;
        if !keys.contains(&key) {
            return Err(format!("taxpayer_id: `{key}` is not in {}", TAXPAYERS.0));
        }
        let n = per.entry((kind, key.clone())).or_default();
        *n += 1;
        if *n > MAX_PER_TAXPAYER {
            return Err(format!(
                "taxpayer_id: more than {MAX_PER_TAXPAYER} rows for `{key}`"
            ));
        }
        Ok(key)
    };
    let mut seen = HashSet::new();
    each(dir, OBJECTS, &mut p, |r| {
        let k = owner(r, "object")?;
        let o = TaxObject {
            key: r.text("object_id", 64)?,
            family: r.family()?,
            category: r.text("category", 64)?,
            location: r.text("location", 300)?,
            land_register: r.opt("land_register", 32)?,
            base: r.decimal("base", 4)?,
        };
        if !seen.insert((k.clone(), o.key.clone())) {
            return Err(format!("object_id: `{}` appears twice for `{k}`", o.key));
        }
        s.objects.push((k, o));
        Ok(())
    });
    seen.clear();
    each(dir, ASSESSMENTS, &mut p, |r| {
        let k = owner(r, "assessment")?;
        let a = Assessment {
            year: r.int("year", 2000..=2100)?,
            family: r.family()?,
            kind: AssessmentKind::parse(r.get("kind"))
                .ok_or_else(|| "kind: decision or declaration".to_owned())?,
            reference: r.text("reference", 64)?,
            issued_on: r.date("issued_on")?,
            amount: r.decimal("amount", 2)?,
        };
        if !seen.insert((k.clone(), format!("{}/{}", a.year, a.family.as_str()))) {
            return Err(format!(
                "year: a second {} assessment of {} for `{k}`",
                a.family.as_str(),
                a.year
            ));
        }
        s.assessments.push((k, a));
        Ok(())
    });
    seen.clear();
    each(dir, INSTALMENTS, &mut p, |r| {
        let k = owner(r, "instalment")?;
        let i = Instalment {
            year: r.int("year", 2000..=2100)?,
            family: r.family()?,
            number: r.int("number", 1..=12)?,
            due_on: r.date("due_on")?,
            amount: r.decimal("amount", 2)?,
        };
        if !seen.insert((
            k.clone(),
            format!("{}/{}/{}", i.year, i.family.as_str(), i.number),
        )) {
            return Err(format!(
                "number: instalment {} of {} appears twice for `{k}`",
                i.number, i.year
            ));
        }
        s.instalments.push((k, i));
        Ok(())
    });
    seen.clear();
    each(dir, PAYMENTS, &mut p, |r| {
        let k = owner(r, "payment")?;
        let pay = Payment {
            key: r.text("payment_id", 64)?,
            paid_on: r.date("paid_on")?,
            amount: r.decimal("amount", 2)?,
        };
        if !seen.insert((String::new(), pay.key.clone())) {
            return Err(format!("payment_id: `{}` appears twice", pay.key));
        }
        s.payments.push((k, pay));
        Ok(())
    });
    if p.is_empty() {
        Ok(s)
    } else {
        Err(Problems(p))
    }
}

/// Calls `f` on every data line of `file` in `dir` after checking its header, and records
/// each problem as `file:line: ...`.
pub(crate) fn each(
    dir: &Path,
    (file, header): (&str, &str),
    problems: &mut Vec<String>,
    mut f: impl FnMut(&Row) -> Result<(), String>,
) {
    if problems.len() >= MAX_PROBLEMS {
        return;
    }
    let path = dir.join(file);
    let text = match read_bounded(&path) {
        Ok(t) => t,
        Err(e) => return problems.push(format!("{file}: {e}")),
    };
    let names: Vec<&str> = header.split(';').collect();
    let mut lines = text.lines().enumerate();
    match lines.next() {
        Some((_, h)) if h.trim_start_matches('\u{feff}').trim() == header => {}
        _ => return problems.push(format!("{file}:1: the header must be `{header}`")),
    }
    for (i, line) in lines {
        let n = i + 1;
        if line.trim().is_empty() {
            continue;
        }
        let outcome = if line.len() > MAX_LINE_BYTES {
            Err(format!("a line is at most {MAX_LINE_BYTES} bytes"))
        } else {
            match csv::fields(line) {
                Ok(cells) if cells.len() == names.len() => f(&Row {
                    names: &names,
                    cells,
                }),
                Ok(cells) => Err(format!("{} columns, not {}", names.len(), cells.len())),
                Err(e) => Err(e.to_owned()),
            }
        };
        if let Err(e) = outcome {
            problems.push(format!("{file}:{n}: {e}"));
            if problems.len() >= MAX_PROBLEMS {
                problems.push("(stopped after 50 problems)".into());
                return;
            }
        }
    }
}

fn read_bounded(path: &Path) -> Result<String, String> {
    let meta = std::fs::metadata(path).map_err(|e| format!("cannot read it: {e}"))?;
    if meta.len() > MAX_FILE_BYTES {
        return Err(format!("larger than {MAX_FILE_BYTES} bytes"));
    }
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read it: {e}"))?;
    String::from_utf8(bytes)
        .map_err(|e| format!("not UTF-8 (byte {})", e.utf8_error().valid_up_to()))
}

/// Reads `dir` and replaces the ledger with it; returns the rows written per file.
pub async fn run(db: &sea_orm::DatabaseConnection, dir: &Path) -> anyhow::Result<[usize; 5]> {
    let s = read(dir).map_err(|p| anyhow::anyhow!("the ledger was not imported:\n{p}"))?;
    crate::db::ledger::replace(db, &s).await?;
    Ok([
        s.taxpayers.len(),
        s.objects.len(),
        s.assessments.len(),
        s.instalments.len(),
        s.payments.len(),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, files: [&str; 5]) {
        let names = [
            TAXPAYERS.0,
            OBJECTS.0,
            ASSESSMENTS.0,
            INSTALMENTS.0,
            PAYMENTS.0,
        ];
        for (n, body) in names.iter().zip(files) {
            std::fs::write(dir.join(n), body).unwrap();
        }
    }

    #[test]
    fn every_problem_names_its_file_line_and_column() {
        let dir = tempfile::tempdir().unwrap();
        write(
            dir.path(),
            [
                "taxpayer_id;id_kind;id_number;name;address\nT1;pesel;44051401359;Jan Nowak;Ostróda\nT1;nip;8567346215;Firma;Ostróda\nT2;pesel;44051401358;X;Y\n",
                "taxpayer_id;object_id;family;category;location;land_register;base\nT1;O1;property;land_other;\"ul. Długa 1; dz. 5\";;812.5\nT9;O2;property;land_other;x;;1\nT1;O3;boats;land_other;x;;1\n",
                "taxpayer_id;year;family;kind;reference;issued_on;amount\nT1;2026;property;decision;FN.3120.1.2026;2026-02-01;812.49\n",
                "taxpayer_id;year;family;number;due_on;amount\nT1;2026;property;1;2026-03-15;203.12\nT1;2026;property;1;2026-05-15;203.12\n",
                "payment_id;taxpayer_id;paid_on;amount\nP1;T1;2026-03-01;-5\n",
            ],
        );
        let p = read(dir.path()).unwrap_err().0;
        assert_eq!(
            p,
            [
                "taxpayers.csv:3: taxpayer_id: `T1` appears twice",
                "taxpayers.csv:4: id_number: the PESEL check digit does not match",
                "objects.csv:3: taxpayer_id: `T9` is not in taxpayers.csv",
                "objects.csv:4: family: property, agricultural, forest or transport, not `boats`",
                "instalments.csv:3: number: instalment 1 of 2026 appears twice for `T1`",
                "payments.csv:2: amount: ≥ 0 with at most 2 decimal places",
            ]
        );
    }

    #[test]
    fn a_wrong_header_or_a_missing_file_is_named() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(TAXPAYERS.0), "id;name\n").unwrap();
        let p = read(dir.path()).unwrap_err().0;
        assert!(
            p[0].starts_with("taxpayers.csv:1: the header must be"),
            "{p:?}"
        );
        assert!(p[1].starts_with("objects.csv: cannot read it"), "{p:?}");
    }
}
