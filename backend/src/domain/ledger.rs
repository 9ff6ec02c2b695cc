//! The gmina's tax ledger as pure values (issue 20 §2): a taxpayer known by PESEL or NIP,
//! their taxable objects, the yearly assessments, the instalments due and the payments
//! made; and the balance on a day, whose unpaid part past its due date is the arrears
//! (Ordynacja podatkowa art. 51 § 1).

use rust_decimal::Decimal;
use serde::Serialize;
use time::Date;

use super::nip::Nip;
use super::pesel::Pesel;

/// How the ledger knows a taxpayer: a natural person by PESEL, anyone else by NIP.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TaxpayerId {
    Pesel(Pesel),
    Nip(Nip),
}

impl TaxpayerId {
    /// `kind` is `pesel` or `nip`; the value must pass its check digit.
    pub fn parse(kind: &str, value: &str) -> Result<Self, String> {
        match kind {
            "pesel" => Pesel::parse(value)
                .map(Self::Pesel)
                .map_err(|e| e.to_string()),
            "nip" => Nip::parse(value).map(Self::Nip).map_err(|e| e.to_string()),
            other => Err(format!("rodzaj to `pesel` albo `nip`, a nie `{other}`")),
        }
    }

    pub fn kind(&self) -> &'static str {
        match self {
            Self::Pesel(_) => "pesel",
            Self::Nip(_) => "nip",
        }
    }

    /// The digits as stored and shown.
    pub fn value(&self) -> &str {
        match self {
            Self::Pesel(p) => p.as_ref(),
            Self::Nip(n) => n.as_ref(),
        }
    }
}

/// The four families of local taxes (u.p.o.l., ustawa o podatku rolnym, o podatku leśnym).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Family {
    Property,
    Agricultural,
    Forest,
    Transport,
}

impl Family {
    pub const ALL: [Self; 4] = [
        Self::Property,
        Self::Agricultural,
        Self::Forest,
        Self::Transport,
    ];

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.as_str() == s)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Property => "property",
            Self::Agricultural => "agricultural",
            Self::Forest => "forest",
            Self::Transport => "transport",
        }
    }

    pub fn pl(self) -> &'static str {
        match self {
            Self::Property => "podatek od nieruchomości",
            Self::Agricultural => "podatek rolny",
            Self::Forest => "podatek leśny",
            Self::Transport => "podatek od środków transportowych",
        }
    }
}

/// A natural person's tax is set by the mayor's decision (u.p.o.l. art. 6 ust. 6); a
/// company declares it itself (art. 6 ust. 9).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum AssessmentKind {
    Decision,
    Declaration,
}

impl AssessmentKind {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "decision" => Some(Self::Decision),
            "declaration" => Some(Self::Declaration),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Decision => "decision",
            Self::Declaration => "declaration",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Taxpayer {
    /// The domain system's own key of the taxpayer (its account number).
    pub key: String,
    pub id: TaxpayerId,
    pub name: String,
    pub address: String,
}

/// A land, building, structure, agricultural or forest area, or a vehicle: `category` is a
/// row of the year's rates (`forms/data/`), `base` its area (m², ha) or value (zł).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TaxObject {
    pub key: String,
    pub family: Family,
    pub category: String,
    pub location: String,
    pub land_register: Option<String>,
    pub base: Decimal,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Assessment {
    pub year: i32,
    pub family: Family,
    pub kind: AssessmentKind,
    pub reference: String,
    pub issued_on: Date,
    pub amount: Decimal,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Instalment {
    pub year: i32,
    pub family: Family,
    pub number: i16,
    pub due_on: Date,
    pub amount: Decimal,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Payment {
    pub key: String,
    pub paid_on: Date,
    pub amount: Decimal,
}

/// The whole ledger as a domain system exports it; each row names its taxpayer's key.
#[derive(Debug, Default)]
pub struct Snapshot {
    pub taxpayers: Vec<Taxpayer>,
    pub objects: Vec<(String, TaxObject)>,
    pub assessments: Vec<(String, Assessment)>,
    pub instalments: Vec<(String, Instalment)>,
    pub payments: Vec<(String, Payment)>,
}

/// A taxpayer's account on a day: what fell due before it, what was paid by it, and the
/// arrears, the tax not paid by its due date (Ordynacja podatkowa art. 51 § 1). A plain
/// figure: the payments module will later carry instalments as debts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Balance {
    pub as_of: Date,
    pub due: Decimal,
    pub paid: Decimal,
    pub arrears: Decimal,
    pub overpaid: Decimal,
}

impl Balance {
    /// An instalment is in arrears from the day after its due date; a payment counts from
    /// the day it was made (art. 60 § 1: the day of the payment).
    pub fn of(instalments: &[Instalment], payments: &[Payment], as_of: Date) -> Self {
        let due: Decimal = instalments
            .iter()
            .filter(|i| i.due_on < as_of)
            .map(|i| i.amount)
            .sum();
        let paid: Decimal = payments
            .iter()
            .filter(|p| p.paid_on <= as_of)
            .map(|p| p.amount)
            .sum();
        Self {
            as_of,
            due,
            paid,
            arrears: (due - paid).max(Decimal::ZERO),
            overpaid: (paid - due).max(Decimal::ZERO),
        }
    }

    pub fn has_arrears(&self) -> bool {
        self.arrears > Decimal::ZERO
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn inst(due_on: Date, amount: i64) -> Instalment {
        Instalment {
            year: 2026,
            family: Family::Property,
            number: 1,
            due_on,
            amount: Decimal::from(amount),
        }
    }

    fn pay(paid_on: Date, amount: i64) -> Payment {
        Payment {
            key: "p".into(),
            paid_on,
            amount: Decimal::from(amount),
        }
    }

    /// Ordynacja podatkowa art. 51 § 1: only tax unpaid after its due date is in arrears.
    #[test]
    fn op_art_51_arrears_are_what_is_unpaid_after_its_due_date() {
        let i = [
            inst(date!(2026 - 03 - 15), 100),
            inst(date!(2026 - 05 - 15), 100),
        ];
        let p = [pay(date!(2026 - 03 - 10), 60)];
        let on_due_day = Balance::of(&i, &p, date!(2026 - 03 - 15));
        assert_eq!(on_due_day.arrears, Decimal::ZERO);
        let after = Balance::of(&i, &p, date!(2026 - 03 - 16));
        assert_eq!(after.arrears, Decimal::from(40));
        assert!(after.has_arrears());
        let later_paid = [
            pay(date!(2026 - 03 - 10), 60),
            pay(date!(2026 - 04 - 01), 200),
        ];
        let over = Balance::of(&i, &later_paid, date!(2026 - 04 - 02));
        assert_eq!(
            (over.arrears, over.overpaid),
            (Decimal::ZERO, Decimal::from(160))
        );
    }

    #[test]
    fn a_taxpayer_is_known_by_a_valid_pesel_or_nip() {
        assert_eq!(
            TaxpayerId::parse("pesel", "44051401359").unwrap().kind(),
            "pesel"
        );
        assert_eq!(
            TaxpayerId::parse("nip", "856-734-62-15").unwrap().value(),
            "8567346215"
        );
        assert!(TaxpayerId::parse("nip", "8567346216").is_err());
        assert!(TaxpayerId::parse("regon", "1").is_err());
    }
}
