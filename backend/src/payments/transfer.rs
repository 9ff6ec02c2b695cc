//! What a letter that demands a payment carries (issue 21 §1): the transfer data of each
//! debt still owed (recipient, account, amount, title, due date) and the Polish banks' 2D
//! payment code (Rekomendacja ZBP „Standard 2D”) as a QR figure, so the resident can pay
//! from a banking app.

use crate::config::Payments;
use crate::db::payments::Debt;
use crate::domain::nip::Nip;
use crate::domain::payment::{Grosze, Nrb, PaymentCode, qr};
use crate::receipt::pdf::Line;

/// The lines of `debt`'s transfer data; none when nothing is owed on it.
pub fn letter_lines(settings: &Payments, debt: &Debt) -> Vec<Line> {
    let Ok(amount) = Grosze::new(debt.amount - debt.paid) else {
        return Vec::new();
    };
    if amount.get() <= 0 {
        return Vec::new();
    }
    let account = Nrb::parse(&debt.account).ok();
    let shown = account
        .as_ref()
        .map_or_else(|| debt.account.clone(), ToString::to_string);
    let mut lines = vec![
        Line::Gap,
        Line::Heading("Dane do przelewu".into()),
        Line::Text(format!("Odbiorca: {}", settings.recipient)),
        Line::Text(format!("Numer rachunku: {shown}")),
        Line::Text(format!("Kwota do zapłaty: {amount}")),
        Line::Text(format!("Tytuł przelewu: {}", debt.title)),
        Line::Text(format!("Termin płatności: {}", debt.due)),
    ];
    if let Some(nrb) = account {
        let nip = settings.nip.as_deref().and_then(|n| Nip::parse(n).ok());
        let code = PaymentCode::new(nip.as_ref(), nrb, amount, &settings.recipient, &debt.title);
        if let Some((modules, side)) = qr::modules(&code) {
            lines.push(Line::Small(
                "Kod do zapłaty w aplikacji banku (standard 2D Związku Banków Polskich):".into(),
            ));
            lines.push(Line::Qr {
                modules,
                side,
                alt: format!(
                    "Kod QR przelewu: rachunek {shown}, kwota {amount}, tytuł {}",
                    debt.title
                ),
            });
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    fn debt(paid: i64) -> Debt {
        Debt {
            id: "d".into(),
            number: 42,
            owner_kind: "identity".into(),
            owner: "o".into(),
            source_kind: "case".into(),
            source_ref: "c".into(),
            amount: 1_700,
            paid,
            title: "NAL-42 opłata skarbowa".into(),
            account: "92124012340001567890123456".into(),
            due: "2026-12-11".into(),
            status: "open".into(),
        }
    }

    #[test]
    fn a_debt_owed_gives_its_transfer_data_and_the_2d_code_as_a_figure_in_a_pdf() {
        let settings = Payments {
            recipient: "Gmina Przykładowo".into(),
            ..Payments::default()
        };
        let lines = letter_lines(&settings, &debt(700));
        let text: Vec<String> = lines
            .iter()
            .filter_map(|l| match l {
                Line::Text(t) => Some(t.clone()),
                _ => None,
            })
            .collect();
        assert!(
            text.contains(&"Kwota do zapłaty: 10,00 zł".to_owned()),
            "{text:?}"
        );
        assert!(text.contains(&"Tytuł przelewu: NAL-42 opłata skarbowa".to_owned()));
        assert!(matches!(lines.last(), Some(Line::Qr { alt, .. }) if alt.contains("10,00 zł")));
        // laid out in a PDF/UA document (krilla's validator checks the figure's alt text)
        let pdf = crate::receipt::pdf::document("Wezwanie", lines).expect("PDF/UA");
        assert!(pdf.starts_with(b"%PDF-"));
        // paid in full: nothing to transfer
        assert!(letter_lines(&settings, &debt(1_700)).is_empty());
    }
}
