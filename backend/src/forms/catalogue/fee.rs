//! The checks of a service's `fee`: an exact amount in grosze, a `fees` table that exists,
//! and the amount of the position it cites (the stamp duty act's annex).

use rust_decimal::Decimal;

use super::{Compiler, Tables};
use crate::forms::definition::{Fee, FeeKind};
use crate::forms::tables::TableKind;

impl Compiler<'_> {
    pub(super) fn check_fee(&mut self, fee: &Fee, tables: &Tables) {
        let amount = fee.amount.to_string();
        if fee.amount <= Decimal::ZERO || fee.amount.scale() > 2 {
            self.report(
                "amount",
                format!("fee amount `{amount}` is not a positive sum in złoty and grosze"),
                Some("write it as a string with at most two decimals, e.g. amount: \"17.00\"; a free service has no `fee`"),
            );
        }
        let Some(id) = &fee.exemptions else {
            if fee.kind == FeeKind::StampDuty {
                self.report(
                    "stamp_duty",
                    "stamp duty names no table of its rates and exemptions".into(),
                    Some("add `exemptions: stamp-duty` (forms/data/stamp-duty.yaml: the act's annex and art. 2 and 7)"),
                );
            }
            if fee.position.is_some() {
                self.report(
                    "position",
                    "the fee cites a position but names no table".into(),
                    Some("add `exemptions: <table id>`"),
                );
            }
            return;
        };
        let Some((table, _, _)) = tables.get(id) else {
            self.report(
                &format!("exemptions: {id}"),
                format!("fee table `{id}` does not exist"),
                Some("tables live in forms/data/<id>.yaml"),
            );
            return;
        };
        if table.kind != TableKind::Fees {
            self.report(
                &format!("exemptions: {id}"),
                format!("table `{id}` is not a table of fees (`kind: fees`)"),
                None,
            );
            return;
        }
        let Some(key) = &fee.position else { return };
        match table.rate(key) {
            None => self.report(
                &format!("position: {key}"),
                format!("`{id}` has no position `{key}`"),
                Some("name a row key of the table"),
            ),
            Some(rate) if rate != fee.amount => self.report(
                "amount",
                format!("fee amount {amount} is not the {rate} of position `{key}` in `{id}`"),
                Some("the statute fixes the amount; copy it from the table"),
            ),
            Some(_) => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::forms::Catalogue;
    use crate::forms::engine::{Input, validate};

    const SERVICE: &str = include_str!("../../../../forms/wypis-wyrys-planu.yaml");
    const TABLE: &str = include_str!("../../../../forms/data/stamp-duty.yaml");

    fn compiled(text: &str) -> Result<Catalogue, Vec<String>> {
        Catalogue::from_sources(vec![
            ("wypis.yaml".into(), text.into()),
            ("data/stamp-duty.yaml".into(), TABLE.into()),
        ])
        .map_err(|p| p.iter().map(ToString::to_string).collect())
    }

    /// Stamp duty act, annex część I ust. 51: the amount is the statute's; a definition
    /// that charges another sum for the position it cites fails `forms check`.
    #[test]
    fn stamp_duty_amount_must_be_the_annex_position() {
        assert!(compiled(SERVICE).is_ok());
        let wrong = SERVICE.replace("amount: \"30.00\"", "amount: \"35.00\"");
        let found = compiled(&wrong).err().unwrap_or_default();
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(
            found[0].contains("fee amount 35.00 is not the 30.00 of position `plan_extract_short`"),
            "{found:?}"
        );
    }

    /// Amounts are exact złoty and grosze, and an exemption names fields of the form.
    #[test]
    fn a_fee_in_fractions_of_a_grosz_or_over_unknown_fields_fails() {
        let found = compiled(
            &SERVICE
                .replace("amount: \"30.00\"", "amount: \"30.005\"")
                .replace(
                    "exempt_if: purpose == 'housing'",
                    "exempt_if: aim == 'housing'",
                ),
        )
        .err()
        .unwrap_or_default();
        assert!(
            found
                .iter()
                .any(|p| p.contains("`30.005` is not a positive sum")),
            "{found:?}"
        );
        assert!(found.iter().any(|p| p.contains("names `aim`")), "{found:?}");
        let no_table = SERVICE.replace("  exemptions: stamp-duty\n", "");
        let found = compiled(&no_table).err().unwrap_or_default();
        assert!(
            found.iter().any(|p| p.contains("names no table")),
            "{found:?}"
        );
    }

    /// Stamp duty act art. 2 ust. 1 pkt 1 lit. h: nothing is due in housing matters; the
    /// filing's outcome carries the fee due for its data.
    #[test]
    fn stamp_duty_art_2_housing_pays_nothing() {
        let c = compiled(SERVICE).unwrap_or_default();
        let svc = c.get("wypis-wyrys-planu").cloned();
        let Some(svc) = svc else {
            panic!("the service compiles")
        };
        let input = Input {
            lang: crate::domain::lang::Lang::Pl,
            today: time::macros::date!(2026 - 12 - 07),
            identity: None,
        };
        let due =
            |purpose: &str| validate(&svc, &serde_json::json!({ "purpose": purpose }), &input).fee;
        assert_eq!(due("housing"), Some(rust_decimal::Decimal::ZERO));
        assert_eq!(due("sale"), Some(rust_decimal::Decimal::new(3000, 2)));
    }
}
