//! The office's letters: a decision or a call to supplement, from the service's template
//! (or okienko's plain one), laid out as a PDF in Polish and kept with the case.

use std::collections::BTreeMap;

use crate::domain::procedure::Procedure;
use crate::forms::Service;
use crate::forms::definition::{LetterTemplate, placeholders};
use crate::receipt::pdf::{Line, document};

/// The appeal instruction of an administrative decision (KPA art. 107 § 1 pkt 7, art. 127
/// § 1, art. 129 § 2; the appellate body of a gmina's own matters is the SKO, art. 17 pkt 1).
const APPEAL: &str = " Od decyzji przysługuje odwołanie do samorządowego kolegium odwoławczego za pośrednictwem organu, który wydał decyzję, w terminie 14 dni od dnia jej doręczenia (art. 127 § 1 i art. 129 § 2 KPA).";

/// okienko's plain letters, for services that define none: a decision with its appeal
/// instruction where the procedure ends in one, a notification without appeal where it
/// does not (u.p.p. art. 13; KPA art. 238).
fn default_template(procedure: Procedure, kind: &str) -> Option<LetterTemplate> {
    procedure.allows_letter(kind).ok()?;
    let (title, body): (&str, String) = match (procedure, kind) {
        (Procedure::Petition, _) => petition_template(kind)?,
        (Procedure::ComplaintOrMotion, _) => complaint_template(kind)?,
        (Procedure::Initiative, _) => initiative_template(kind)?,
        (Procedure::Certificate, "granted") => (
            "ZAŚWIADCZENIE",
            "Na podstawie art. 217 Kodeksu postępowania administracyjnego, na wniosek złożony {filed_on} (nr w rejestrze {register_no}), {authority} zaświadcza w sprawie „{service}”, co następuje.".into(),
        ),
        (Procedure::Certificate, "refused") => (
            "POSTANOWIENIE O ODMOWIE WYDANIA ZAŚWIADCZENIA",
            "Na podstawie art. 219 Kodeksu postępowania administracyjnego {authority} odmawia wydania zaświadczenia wnioskowanego {filed_on} w sprawie „{service}”. Na postanowienie służy zażalenie do samorządowego kolegium odwoławczego za pośrednictwem organu, który je wydał, w terminie 7 dni od dnia jego doręczenia (art. 141 § 2 KPA).".into(),
        ),
        (_, "fee_notice") => (
            "POWIADOMIENIE O OPŁACIE ZA UDOSTĘPNIENIE INFORMACJI",
            "Na podstawie art. 15 ust. 2 ustawy o dostępie do informacji publicznej powiadamiamy, że udostępnienie informacji wnioskowanej {filed_on} w sposób lub w formie wskazanych we wniosku wiąże się z dodatkowymi kosztami; opłata wynosi {fee}. Informacja zostanie udostępniona po upływie 14 dni od dnia powiadomienia, chyba że w tym terminie zmienią Państwo wniosek w zakresie sposobu lub formy udostępnienia albo wycofają go.".into(),
        ),
        (_, "suspended") => (
            "POSTANOWIENIE O ZAWIESZENIU POSTĘPOWANIA",
            "Na podstawie art. 97 § 1 albo art. 98 § 1 Kodeksu postępowania administracyjnego (podstawa: {reason}) {authority} zawiesza postępowanie w sprawie „{service}” (znak {sign}). Na czas zawieszenia termin załatwienia sprawy nie biegnie (art. 35 § 5 KPA). Na postanowienie służy zażalenie do samorządowego kolegium odwoławczego za pośrednictwem organu, który je wydał, w terminie 7 dni od dnia jego doręczenia (art. 101 § 3 i art. 141 § 2 KPA).".into(),
        ),
        (_, "resumed") => (
            "POSTANOWIENIE O PODJĘCIU ZAWIESZONEGO POSTĘPOWANIA",
            "Na podstawie art. 97 § 2 Kodeksu postępowania administracyjnego {authority} podejmuje zawieszone postępowanie w sprawie „{service}” (znak {sign}). Termin załatwienia sprawy biegnie dalej; nowy termin: {new_due_on}.".into(),
        ),
        (_, "granted") => (
            "DECYZJA",
            format!("Na podstawie przepisów właściwych dla sprawy „{{service}}”, po rozpatrzeniu wniosku złożonego {{filed_on}} (nr w rejestrze {{register_no}}), {{authority}} uwzględnia wniosek.{APPEAL}"),
        ),
        (_, "refused") => (
            "DECYZJA",
            format!("Po rozpatrzeniu wniosku złożonego {{filed_on}} w sprawie „{{service}}” (nr w rejestrze {{register_no}}) {{authority}} odmawia jego uwzględnienia.{APPEAL}"),
        ),
        (_, "left_unconsidered") => (
            "ZAWIADOMIENIE O POZOSTAWIENIU WNIOSKU BEZ ROZPOZNANIA",
            "Wniosek złożony {filed_on} w sprawie „{service}” pozostaje bez rozpoznania, ponieważ braki formalne nie zostały usunięte w wyznaczonym terminie (art. 64 § 2 Kodeksu postępowania administracyjnego).".into(),
        ),
        (_, "discontinued") => (
            "DECYZJA O UMORZENIU POSTĘPOWANIA",
            format!("Postępowanie w sprawie „{{service}}” wszczęte wnioskiem z {{filed_on}} zostaje umorzone.{APPEAL}"),
        ),
        (_, "call_to_supplement") => (
            "WEZWANIE DO USUNIĘCIA BRAKÓW FORMALNYCH",
            "Na podstawie art. 64 § 2 Kodeksu postępowania administracyjnego wzywam do usunięcia braków wniosku złożonego {filed_on} w sprawie „{service}” przez: {items}, w terminie {term} od dnia doręczenia niniejszego wezwania. Nieusunięcie braków w terminie spowoduje pozostawienie wniosku bez rozpoznania.".into(),
        ),
        (_, "delay_notice") => (
            "ZAWIADOMIENIE O NIEZAŁATWIENIU SPRAWY W TERMINIE",
            "Na podstawie art. 36 § 1 Kodeksu postępowania administracyjnego zawiadamiam, że sprawa „{service}” (znak {sign}) nie zostanie załatwiona w terminie. Przyczyna: {reason}. Nowy termin załatwienia sprawy: {new_due_on}. Przysługuje prawo do wniesienia ponaglenia (art. 37 KPA).".into(),
        ),
        _ => return None,
    };
    Some(LetterTemplate {
        title: title.into(),
        body,
    })
}

/// A petition's letters (ustawa z dnia 11 lipca 2014 r. o petycjach).
fn petition_template(kind: &str) -> Option<(&'static str, String)> {
    let dealt = |how: &str| {
        format!(
            "Na podstawie art. 13 ust. 1 ustawy z dnia 11 lipca 2014 r. o petycjach {{authority}} zawiadamia, że petycja złożona {{filed_on}} (nr w rejestrze {{register_no}}) {how}. Sposób załatwienia petycji nie może być przedmiotem skargi (art. 13 ust. 2)."
        )
    };
    Some(match kind {
        "granted" => ("ZAWIADOMIENIE O SPOSOBIE ZAŁATWIENIA PETYCJI", dealt("została uwzględniona")),
        "refused" => ("ZAWIADOMIENIE O SPOSOBIE ZAŁATWIENIA PETYCJI", dealt("nie została uwzględniona")),
        "left_unconsidered" => (
            "ZAWIADOMIENIE O POZOSTAWIENIU PETYCJI BEZ ROZPATRZENIA",
            "Petycja złożona {filed_on} pozostaje bez rozpatrzenia (art. 7 ustawy o petycjach).".into(),
        ),
        "call_to_supplement" => (
            "WEZWANIE DO UZUPEŁNIENIA PETYCJI",
            "Na podstawie art. 7 ust. 2 ustawy o petycjach wzywam do uzupełnienia petycji złożonej {filed_on} przez: {items}, w terminie {term} od dnia doręczenia wezwania. Petycja nieuzupełniona w terminie pozostaje bez rozpatrzenia. Termin jej rozpatrzenia (art. 10 ust. 1) biegnie od dnia uzupełnienia.".into(),
        ),
        "forwarded" => (
            "ZAWIADOMIENIE O PRZEKAZANIU PETYCJI",
            "Na podstawie art. 6 ust. 1 ustawy o petycjach zawiadamiam, że petycja złożona {filed_on} (nr w rejestrze {register_no}) została przekazana do rozpatrzenia podmiotowi właściwemu: {forward_to}. Termin jej rozpatrzenia liczy się od dnia otrzymania petycji przez ten podmiot (art. 10 ust. 1).".into(),
        ),
        "delay_notice" => (
            "ZAWIADOMIENIE O PRZEDŁUŻENIU TERMINU ROZPATRZENIA PETYCJI",
            "Na podstawie art. 10 ust. 2 ustawy o petycjach zawiadamiam, że petycja złożona {filed_on} (znak {sign}) nie zostanie rozpatrzona w terminie. Przyczyna: {reason}. Przewidywany termin rozpatrzenia petycji: {new_due_on}.".into(),
        ),
        _ => return None,
    })
}

/// A citizens' legislative initiative's letters (u.s.g. art. 41a): the committee is told
/// what the council did with its draft.
fn initiative_template(kind: &str) -> Option<(&'static str, String)> {
    let dealt = |how: &str| {
        format!(
            "Zawiadamiam, że projekt uchwały wniesiony {{filed_on}} w ramach obywatelskiej inicjatywy uchwałodawczej (art. 41a ustawy o samorządzie gminnym; nr w rejestrze {{register_no}}) był przedmiotem obrad rady gminy, która {how}."
        )
    };
    Some(match kind {
        "granted" => ("ZAWIADOMIENIE O ROZPATRZENIU PROJEKTU UCHWAŁY", dealt("podjęła uchwałę zgodnie z projektem")),
        "refused" => ("ZAWIADOMIENIE O ROZPATRZENIU PROJEKTU UCHWAŁY", dealt("nie podjęła uchwały zgodnie z projektem")),
        "left_unconsidered" => (
            "ZAWIADOMIENIE O POZOSTAWIENIU PROJEKTU BEZ ROZPATRZENIA",
            "Projekt uchwały wniesiony {filed_on} pozostaje bez rozpatrzenia, ponieważ nie poparła go wymagana liczba mieszkańców posiadających czynne prawo wyborcze do rady gminy (art. 41a ust. 2 i 3 ustawy o samorządzie gminnym), a braki nie zostały usunięte w wyznaczonym terminie.".into(),
        ),
        "call_to_supplement" => (
            "WEZWANIE DO USUNIĘCIA BRAKÓW PROJEKTU UCHWAŁY",
            "Wzywam komitet inicjatywy uchwałodawczej do usunięcia braków projektu uchwały wniesionego {filed_on}: {items}, w terminie {term} od dnia doręczenia wezwania (uchwała rady gminy wydana na podstawie art. 41a ust. 5 ustawy o samorządzie gminnym).".into(),
        ),
        _ => return None,
    })
}

/// A complaint's or a motion's letters (KPA dział VIII).
fn complaint_template(kind: &str) -> Option<(&'static str, String)> {
    let dealt = |how: &str| {
        format!(
            "Na podstawie art. 237 § 3 i art. 238 § 1 Kodeksu postępowania administracyjnego {{authority}} zawiadamia, że skarga lub wniosek złożone {{filed_on}} (nr w rejestrze {{register_no}}) {how}. Pouczenie: w razie ponowienia skargi uznanej za bezzasadną bez wskazania nowych okoliczności organ może podtrzymać swoje poprzednie stanowisko z adnotacją w aktach sprawy, bez zawiadamiania skarżącego (art. 239 § 1 KPA)."
        )
    };
    Some(match kind {
        "granted" => ("ZAWIADOMIENIE O SPOSOBIE ZAŁATWIENIA SKARGI LUB WNIOSKU", dealt("zostały uwzględnione")),
        "refused" => ("ZAWIADOMIENIE O SPOSOBIE ZAŁATWIENIA SKARGI LUB WNIOSKU", dealt("nie zostały uwzględnione")),
        "left_unconsidered" => (
            "ZAWIADOMIENIE O POZOSTAWIENIU SKARGI LUB WNIOSKU BEZ ROZPATRZENIA",
            "Skarga lub wniosek złożone {filed_on} pozostają bez rozpatrzenia, ponieważ nie wyjaśniono ich przedmiotu w wyznaczonym terminie (§ 8 ust. 2 rozporządzenia Rady Ministrów z dnia 8 stycznia 2002 r. w sprawie organizacji przyjmowania i rozpatrywania skarg i wniosków).".into(),
        ),
        "call_to_supplement" => (
            "WEZWANIE DO WYJAŚNIENIA PRZEDMIOTU SKARGI LUB WNIOSKU",
            "Wzywam do wyjaśnienia przedmiotu skargi lub wniosku złożonych {filed_on}: {items}, w terminie {term} od dnia doręczenia wezwania, z pouczeniem, że nieusunięcie tych braków spowoduje pozostawienie sprawy bez rozpatrzenia.".into(),
        ),
        "forwarded" => (
            "ZAWIADOMIENIE O PRZEKAZANIU SKARGI LUB WNIOSKU",
            "Na podstawie art. 231 § 1 Kodeksu postępowania administracyjnego zawiadamiam, że skarga lub wniosek złożone {filed_on} (nr w rejestrze {register_no}) zostały przekazane organowi właściwemu: {forward_to}.".into(),
        ),
        "delay_notice" => (
            "ZAWIADOMIENIE O NIEZAŁATWIENIU SPRAWY W TERMINIE",
            "Na podstawie art. 237 § 4 w związku z art. 36 § 1 Kodeksu postępowania administracyjnego zawiadamiam, że skarga lub wniosek (znak {sign}) nie zostaną załatwione w terminie. Przyczyna: {reason}. Nowy termin: {new_due_on}.".into(),
        ),
        _ => return None,
    })
}

/// The template for `kind` in `service`: its own, or, when it defines no letters at all,
/// okienko's plain one for its procedure. `None` when the service defines letters but not
/// this one, or its procedure has no such letter.
pub fn template(service: Option<&Service>, kind: &str) -> Option<LetterTemplate> {
    match service {
        Some(s) if !s.def.letters.is_empty() => s.def.letters.get(kind).cloned(),
        Some(s) => default_template(s.def.procedure, kind),
        None => default_template(Procedure::Administrative, kind),
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
    /// What a letter demanding a payment carries (`payments::transfer`): empty otherwise.
    pub payment: Vec<Line>,
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
    lines.extend(l.payment.iter().cloned());
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
        let t = default_template(Procedure::Administrative, "granted").unwrap();
        let pdf = pdf(&Letter {
            template: &t,
            values: &v,
            authority: "Urząd Gminy Przykładowo",
            place_and_date: "Przykładowo, 21.11.2026".into(),
            sign: "OR.1431.1.2026",
            addressee: "Jan Kowalski".into(),
            reason: Some("Wniosek spełnia wymagania."),
            signer: "z up. Wójta — Ewa Zielińska, kierownik".into(),
            payment: Vec::new(),
        })
        .unwrap();
        assert!(pdf.starts_with(b"%PDF-"));
    }

    /// u.p.p. art. 13 and KPA art. 238: a petition, a complaint or a motion ends with a
    /// notification, never a "DECYZJA" or an appeal; an administrative decision carries its
    /// appeal instruction (KPA art. 107 § 1 pkt 7); every default uses known placeholders.
    #[test]
    fn upp_art_13_kpa_art_238_notifications_not_decisions() {
        use crate::domain::procedure::LETTER_KINDS;
        let all = [
            Procedure::Administrative,
            Procedure::Petition,
            Procedure::ComplaintOrMotion,
            Procedure::PublicInformation,
            Procedure::Certificate,
        ];
        for procedure in all {
            for k in LETTER_KINDS {
                let Some(t) = default_template(procedure, k) else {
                    assert!(procedure.allows_letter(k).is_err(), "{procedure:?} {k}");
                    continue;
                };
                for p in placeholders(&t.body) {
                    assert!(
                        crate::forms::definition::LETTER_PLACEHOLDERS.contains(&p),
                        "{k}: {p}"
                    );
                }
                if procedure.ends_without_decision() {
                    assert!(!t.title.contains("DECYZJA"), "{procedure:?} {k}");
                    assert!(!t.body.contains("odwołani"), "{procedure:?} {k}");
                }
            }
        }
        let petition = default_template(Procedure::Petition, "granted").unwrap();
        assert_eq!(
            petition.title,
            "ZAWIADOMIENIE O SPOSOBIE ZAŁATWIENIA PETYCJI"
        );
        assert!(petition.body.contains("art. 13"));
        assert!(default_template(Procedure::Petition, "discontinued").is_none());
        let complaint = default_template(Procedure::ComplaintOrMotion, "refused").unwrap();
        assert!(complaint.body.contains("art. 238") && complaint.body.contains("art. 239"));
        let decision = default_template(Procedure::Administrative, "refused").unwrap();
        assert!(decision.title == "DECYZJA" && decision.body.contains("odwołanie"));
    }
}
