//! The published protocol as PDF/UA (`receipt::pdf::document`, as receipts and agendas):
//! what the signed JSON says, laid out for reading and printing, with the JWS at the end.
//! The PDF is made from the stored protocol each time and signs nothing itself: the
//! signature is the JSON's (`okienko receipt verify`), unchanged.

use serde_json::Value;

use crate::domain::budget::zloty;
use crate::receipt::pdf::{Line, document};

fn text(v: &Value) -> String {
    v.as_str().unwrap_or_default().to_owned()
}

fn reason_label(code: &str) -> &str {
    match code {
        "duplicate" => "druga karta tej samej osoby",
        "ineligible" => {
            "głos w puli, w której głosujący nie głosuje, albo bez oświadczenia o zamieszkaniu"
        }
        "rule_broken" => "karta niezgodna z zasadami puli",
        other => other,
    }
}

/// The protocol `p` (as `GET /api/budgets/{id}/results` gives it) as a PDF/UA document.
pub fn render(p: &Value) -> anyhow::Result<Vec<u8>> {
    let title = text(&p["title"]);
    let lb = &p["legal_basis"];
    let mut lines = vec![
        Line::Heading("PROTOKÓŁ WYNIKÓW GŁOSOWANIA".into()),
        Line::Title(title.clone()),
        Line::Text(format!(
            "Podstawa: uchwała nr {} z {} (art. 5a u.s.g.)",
            text(&lb["resolution"]),
            text(&lb["adopted_on"])
        )),
        Line::Text(format!("Ogłoszony: {}", text(&p["at"]))),
        Line::Text(format!(
            "Zasada wyboru: {}; minimalna liczba głosów: {}; ziarno losowania remisów: {}",
            match p["rule"]["rule"].as_str() {
                Some("equal_shares") => "metoda równych udziałów",
                _ => "kolejno według liczby głosów",
            },
            p["min_votes"].as_u64().unwrap_or(0),
            text(&p["seed"])
        )),
        Line::Gap,
        Line::Heading("Karty do głosowania".into()),
    ];
    let b = &p["ballots"];
    lines.push(Line::Text(format!(
        "Oddane przez internet: {}; na papierze: {}; ważne: {}",
        b["online"].as_u64().unwrap_or(0),
        b["paper"].as_u64().unwrap_or(0),
        b["valid"].as_u64().unwrap_or(0)
    )));
    let invalid = b["invalid"].as_object().cloned().unwrap_or_default();
    if invalid.is_empty() {
        lines.push(Line::Text("Nieważne: 0".into()));
    }
    for (reason, n) in &invalid {
        lines.push(Line::Text(format!(
            "Nieważne ({}): {}",
            reason_label(reason),
            n.as_u64().unwrap_or(0)
        )));
    }
    for pool in p["pools"].as_array().into_iter().flatten() {
        lines.push(Line::Gap);
        lines.push(Line::Heading(format!(
            "Pula {}: {}",
            text(&pool["code"]),
            text(&pool["name"])
        )));
        lines.push(Line::Text(format!(
            "Kwota puli: {}; wybrane projekty kosztują {}; zostaje {}; ważnych kart w puli: {}",
            zloty(pool["amount"].as_u64().unwrap_or(0)),
            zloty(pool["spent"].as_u64().unwrap_or(0)),
            zloty(pool["leftover"].as_u64().unwrap_or(0)),
            pool["ballots"].as_u64().unwrap_or(0)
        )));
        for project in pool["projects"].as_array().into_iter().flatten() {
            lines.push(Line::Text(format!(
                "{} {} — koszt {}, głosów {}{}",
                if project["selected"].as_bool().unwrap_or(false) {
                    "WYBRANY:"
                } else {
                    "niewybrany:"
                },
                text(&project["title"]),
                zloty(project["cost"].as_u64().unwrap_or(0)),
                project["votes"].as_u64().unwrap_or(0),
                project["conflict_group"]
                    .as_str()
                    .map(|g| format!(", grupa wykluczających się: {g}"))
                    .unwrap_or_default()
            )));
        }
        for tie in pool["ties"].as_array().into_iter().flatten() {
            lines.push(Line::Small(format!(
                "Remis rozstrzygnięty losowaniem: {tie}"
            )));
        }
    }
    lines.push(Line::Gap);
    lines.push(Line::Heading("Podpis elektroniczny".into()));
    lines.push(Line::Text(
        "Podpisany jest protokół w postaci JSON (GET /api/budgets/{id}/results); zapisz go i sprawdź poleceniem okienko receipt verify. Ten dokument przedstawia jego treść.".into(),
    ));
    lines.push(Line::Small(text(&p["jws"])));
    document(&format!("Protokół — {title}"), lines)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    #[test]
    fn a_protocol_renders_as_pdf_ua() {
        let p = json!({
            "title": "Budżet obywatelski 2027", "at": "2027-06-01T10:00:00Z",
            "legal_basis": {"resolution": "XV/201/2026", "adopted_on": "2026-09-24"},
            "rule": {"rule": "greedy"}, "min_votes": 0, "seed": "00ff00ff00ff00ff",
            "ballots": {"online": 2, "paper": 1, "valid": 2, "invalid": {"duplicate": 1}},
            "pools": [{"code": "GMINA", "name": "Ogólnogminna", "amount": 100, "spent": 60, "leftover": 40, "ballots": 2,
                "ties": [], "projects": [{"title": "Park żółwi", "cost": 60, "votes": 2, "selected": true, "conflict_group": null}]}],
            "jws": "eyJhbGciOiJFZERTQSJ9.e30.c2ln",
        });
        let pdf = super::render(&p).unwrap();
        assert!(pdf.starts_with(b"%PDF-1.7"));
        let raw = String::from_utf8_lossy(&pdf);
        assert!(raw.contains("pdfuaid:part"));
    }
}
