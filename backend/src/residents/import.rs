//! `okienko residents import DIR`: the registers' registrations from the register system's
//! export, `registrations.csv` in the columns of docs/ledger.md ("Registers of
//! residence"), read and checked in full before anything is written (the ledger import's
//! reader, `ledger::import::each`); then every imported registration is replaced in one
//! transaction. The registrations okienko's own cases wrote stay.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use crate::db::residence::MAX_PER_PERSON;
use crate::domain::pesel::Pesel;
use crate::domain::residence::{Register, Registration, Stay};
use crate::ledger::import::{Problems, each};

pub const REGISTRATIONS: (&str, &str) = (
    "registrations.csv",
    "record_id;register;pesel;name;citizenship;stay;address;from_on;until_on;ended_on",
);

/// Reads `registrations.csv` of `dir`, or every problem found (at most 50).
pub fn read(dir: &Path) -> Result<Vec<Registration>, Problems> {
    let mut problems = Vec::new();
    let mut out = Vec::new();
    let mut keys = HashSet::new();
    let mut per = HashMap::<String, u64>::new();
    each(dir, REGISTRATIONS, &mut problems, |r| {
        let key = r.text("record_id", 64)?;
        if key.starts_with("case:") {
            return Err(
                "record_id: `case:` begins only the registrations okienko's cases make".into(),
            );
        }
        if !keys.insert(key.clone()) {
            return Err(format!("record_id: `{key}` appears twice"));
        }
        let register = Register::parse(r.get("register")).ok_or_else(|| {
            format!(
                "register: residents or foreigners, not `{}`",
                r.get("register")
            )
        })?;
        let pesel = Pesel::parse(r.get("pesel")).map_err(|e| format!("pesel: {e}"))?;
        let n = per.entry(pesel.as_ref().to_owned()).or_default();
        *n += 1;
        if *n > MAX_PER_PERSON {
            return Err(format!(
                "pesel: more than {MAX_PER_PERSON} registrations of one person"
            ));
        }
        let stay = Stay::parse(r.get("stay"))
            .ok_or_else(|| format!("stay: permanent or temporary, not `{}`", r.get("stay")))?;
        let citizenship = r.opt("citizenship", 64)?;
        if register == Register::Foreigners && citizenship.is_none() {
            return Err("citizenship: required in the register of foreigners' residence".into());
        }
        let optional_date = |name: &str| -> Result<Option<time::Date>, String> {
            if r.get(name).is_empty() {
                Ok(None)
            } else {
                r.date(name).map(Some)
            }
        };
        let from_on = r.date("from_on")?;
        let until_on = optional_date("until_on")?;
        let ended_on = optional_date("ended_on")?;
        if stay == Stay::Temporary && until_on.is_none() {
            return Err(
                "until_on: a temporary stay has its last day (u.e.l. art. 25 ust. 2)".into(),
            );
        }
        if until_on.is_some_and(|u| u < from_on) || ended_on.is_some_and(|e| e < from_on) {
            return Err("until_on, ended_on: not before from_on".into());
        }
        out.push(Registration {
            key,
            register,
            pesel,
            name: r.text("name", 300)?,
            citizenship,
            stay,
            address: r.text("address", 300)?,
            from_on,
            until_on,
            ended_on,
        });
        Ok(())
    });
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(Problems(problems))
    }
}

/// Reads `dir` and replaces the imported registrations with it; returns how many.
pub async fn run(db: &sea_orm::DatabaseConnection, dir: &Path) -> anyhow::Result<usize> {
    let rows = read(dir).map_err(|p| anyhow::anyhow!("the registers were not imported:\n{p}"))?;
    crate::db::residence::replace_imported(db, &rows).await?;
    Ok(rows.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_problem_names_its_line_and_column() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join(REGISTRATIONS.0),
            "record_id;register;pesel;name;citizenship;stay;address;from_on;until_on;ended_on\n\
             R1;residents;44051401359;Jan Nowak;;permanent;\"Rynek 1; 14-100 Ostróda\";2020-01-02;;\n\
             R1;residents;44051401359;Jan Nowak;;permanent;Ostróda;2020-01-02;;\n\
             R2;foreigners;44051401359;Ivan Petrenko;;temporary;Ostróda;2025-01-02;2026-01-01;\n\
             R3;residents;44051401358;X;;permanent;Ostróda;2020-01-02;;\n\
             R4;residents;44051401359;X;;temporary;Ostróda;2020-01-02;;\n\
             case:1;residents;44051401359;X;;permanent;Ostróda;2020-01-02;;\n",
        )
        .unwrap();
        let p = read(dir.path()).unwrap_err().0;
        assert_eq!(
            p,
            [
                "registrations.csv:3: record_id: `R1` appears twice",
                "registrations.csv:4: citizenship: required in the register of foreigners' residence",
                "registrations.csv:5: pesel: the PESEL check digit does not match",
                "registrations.csv:6: until_on: a temporary stay has its last day (u.e.l. art. 25 ust. 2)",
                "registrations.csv:7: record_id: `case:` begins only the registrations okienko's cases make",
            ]
        );
    }
}
