//! Data tables in `forms/data/`: the council's rates for a year, and the Minister of
//! Finance's caps they must not exceed (u.p.o.l. art. 20, DOMAIN.md §9).

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::domain::lang::Text;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TableKind {
    /// Rates a council set by resolution.
    Rates,
    /// Upper limits published by the Minister of Finance.
    Caps,
    /// Fees fixed by statute (the stamp duty act's annex), with their exemptions.
    Fees,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Table {
    pub id: String,
    pub kind: TableKind,
    pub title: Text,
    /// The resolution or notice the values come from.
    pub source: String,
    pub year: i32,
    /// The `caps` table these rates must stay within.
    #[serde(default)]
    pub capped_by: Option<String>,
    pub rows: Vec<TableRow>,
    /// Who or what pays nothing (a `fees` table: the stamp duty act's art. 2 and 7).
    #[serde(default)]
    pub exemptions: Vec<Exemption>,
}

/// One exemption from a fee, with the provision it comes from.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Exemption {
    pub key: String,
    pub label: Text,
    /// The provision, e.g. `art. 7 pkt 1`.
    pub basis: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TableRow {
    pub key: String,
    pub label: Text,
    /// What the rate multiplies: `m2`, `ha` or `pln` (value of a structure).
    pub unit: String,
    #[serde(with = "rust_decimal::serde::str")]
    pub rate: Decimal,
    /// The provision the rate comes from, e.g. `część II ust. 21 załącznika`.
    #[serde(default)]
    pub basis: Option<String>,
}

impl Table {
    pub fn rate(&self, key: &str) -> Option<Decimal> {
        self.rows.iter().find(|r| r.key == key).map(|r| r.rate)
    }

    pub fn row(&self, key: &str) -> Option<&TableRow> {
        self.rows.iter().find(|r| r.key == key)
    }

    /// Each rate above its cap, as `(key, rate, cap)`; a key missing from the caps is `None` cap.
    pub fn over_caps<'a>(&'a self, caps: &'a Table) -> Vec<(&'a str, Decimal, Option<Decimal>)> {
        self.rows
            .iter()
            .filter_map(|r| match caps.rate(&r.key) {
                Some(cap) if r.rate <= cap => None,
                cap => Some((r.key.as_str(), r.rate, cap)),
            })
            .collect()
    }
}
