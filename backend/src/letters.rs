//! The office's letters: a decision or a call to supplement, from the service's template
//! (or okienko's plain one), laid out as a PDF in Polish and kept with the case.

use std::collections::BTreeMap;

use crate::forms::Service;
use crate::forms::definition::{LetterTemplate, placeholders};
use crate::receipt::pdf::{Line, document};

/// okienko's plain letters, for services that define none.
fn default_template(kind: &str) -> Option<LetterTemplate> {
    let (title, body) = match kind {
        "granted" => (
            "DECYZJA",
            "Na podstawie przepisów właściwych dla sprawy „{service}”, po rozpatrzeniu wniosku złożonego {filed_on} (nr w rejestrze {register_no}), {authority} uwzględnia wniosek.",
        ),
        "refused" => (
            "DECYZJA",
            "Po rozpatrzeniu wniosku złożonego {filed_on} w sprawie „{service}” (nr w rejestrze {register_no}) {authority} odmawia jego uwzględnienia.",
        ),
        "left_unconsidered" => (
            "ZAWIADOMIENIE O POZOSTAWIENIU WNIOSKU BEZ ROZPOZNANIA",
            "Wniosek złożony {filed_on} w sprawie „{service}” pozostaje bez rozpoznania, ponieważ braki formalne nie zostały usunięte w wyznaczonym terminie (art. 64 § 2 Kodeksu postępowania administracyjnego).",
        ),
        "discontinued" => (
            "DECYZJA O UMORZENIU POSTĘPOWANIA",
            "Postępowanie w sprawie „{service}” wszczęte wnioskiem z {filed_on} zostaje umorzone.",
        ),
        "call_to_supplement" => (
            "WEZWANIE DO USUNIĘCIA BRAKÓW FORMALNYCH",
            "Na podstawie art. 64 § 2 Kodeksu postępowania administracyjnego wzywam do usunięcia braków wniosku złożonego {filed_on} w sprawie „{service}” przez: {items}, w terminie do {answer_by}. Nieusunięcie braków w terminie spowoduje pozostawienie wniosku bez rozpoznania.",
        ),
        "delay_notice" => (
            "ZAWIADOMIENIE O NIEZAŁATWIENIU SPRAWY W TERMINIE",
            "Na podstawie art. 36 § 1 Kodeksu postępowania administracyjnego zawiadamiam, że sprawa „{service}” (znak {sign}) nie zostanie załatwiona w terminie. Przyczyna: {reason}. Nowy termin załatwienia sprawy: {new_due_on}. Przysługuje prawo do wniesienia ponaglenia (art. 37 KPA).",
        ),
        _ => return None,
    };
    Some(LetterTemplate {
        title: title.into(),
        body: body.into(),
    })
}

/// The template for `kind` in `service`: its own, or, when it defines no letters at all,
/// okienko's plain one. `None` when the service defines letters but not this one.
pub fn template(service: Option<&Service>, kind: &str) -> Option<LetterTemplate> {
    match service {
        Some(s) if !s.def.letters.is_empty() => s.def.letters.get(kind).cloned(),
        _ => default_template(kind),
    }
}

/// Fills `{name}` placeholders; unknown names stay as they are (load-time checks refuse them).
pub fn fill(body: &str, values: &BTreeMap<&str, String>) -> String {
    let mut out = body.to_owned();
    for name in placeholders(body) {
        if let Some(v) = values.get(name) {
            out = out.replace(&format!("{{{name}}}"), v);
        }
    }
    out
}

pub struct Letter<'a> {
    pub template: &'a LetterTemplate,
    pub values: &'a BTreeMap<&'a str, String>,
    pub authority: &'a str,
    pub place_and_date: String,
    pub sign: &'a str,
    pub addressee: String,
    pub reason: Option<&'a str>,
    pub signer: String,
}

/// The letter as a PDF.
pub fn pdf(l: &Letter) -> anyhow::Result<Vec<u8>> {
    let mut lines = vec![
        Line::Heading(l.authority.to_owned()),
        Line::Text(l.place_and_date.clone()),
        Line::Text(format!("Znak sprawy: {}", l.sign)),
        Line::Gap,
        Line::Text(l.addressee.clone()),
        Line::Gap,
        Line::Title(l.template.title.clone()),
        Line::Gap,
        Line::Text(fill(&l.template.body, l.values)),
    ];
    if let Some(r) = l.reason.filter(|r| !r.trim().is_empty()) {
        lines.push(Line::Gap);
        lines.push(Line::Heading("Uzasadnienie".into()));
        lines.push(Line::Text(r.to_owned()));
    }
    lines.push(Line::Gap);
    lines.push(Line::Gap);
    lines.push(Line::Text(l.signer.clone()));
    lines.push(Line::Small(
        "Pismo wytworzone w systemie okienko; doręczane elektronicznie.".into(),
    ));
    document(&format!("{} — {}", l.template.title, l.sign), lines)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_filled_and_every_default_exists() {
        let v = BTreeMap::from([
            ("sign", "OR.1431.1.2026".to_owned()),
            ("date", "21.11.2026".into()),
        ]);
        assert_eq!(
            fill("Sprawa {sign} z {date}, {nieznane}", &v),
            "Sprawa OR.1431.1.2026 z 21.11.2026, {nieznane}"
        );
        for k in crate::forms::definition::LETTER_KINDS {
            let t = default_template(k).unwrap();
            for p in placeholders(&t.body) {
                assert!(
                    crate::forms::definition::LETTER_PLACEHOLDERS.contains(&p),
                    "{k}: {p}"
                );
            }
        }
        let t = default_template("granted").unwrap();
        let pdf = pdf(&Letter {
            template: &t,
            values: &v,
            authority: "Urząd Gminy Przykładowo",
            place_and_date: "Przykładowo, 21.11.2026".into(),
            sign: "OR.1431.1.2026",
            addressee: "Jan Kowalski".into(),
            reason: Some("Wniosek spełnia wymagania."),
            signer: "z up. Wójta — Ewa Zielińska, kierownik".into(),
        })
        .unwrap();
        assert!(pdf.starts_with(b"%PDF-"));
    }
}
