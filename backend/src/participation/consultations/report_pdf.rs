//! The published report as PDF/UA (`receipt::pdf::document`, as the budget's protocol and
//! the petitions' yearly information): what the signed JSON says, laid out for reading
//! and printing, every comment a heading naming its place and the office's position (so
//! the outline lists them), with the JWS and the digest at the end. The PDF is made from
//! the stored report each time and adds no signature of its own: the report's JWS is the
//! signature (`okienko receipt verify` on the JSON), and the PDF carries it.

use serde_json::Value;

use crate::receipt::pdf::{Line, document};

fn text(v: &Value) -> String {
    v.as_str().unwrap_or_default().to_owned()
}

/// The office's position as the report names it.
pub fn position_label(code: Option<&str>) -> &'static str {
    match code {
        Some("accepted") => "uwzględniona",
        Some("partly_accepted") => "uwzględniona częściowo",
        Some("rejected") => "nieuwzględniona",
        _ => "bez stanowiska (ukryta)",
    }
}

/// The heading of the `n`th comment: its place and the office's position.
pub fn comment_heading(n: usize, k: &Value) -> String {
    format!(
        "Uwaga nr {n} do {}: {}",
        text(&k["anchor"]),
        position_label(k["position"].as_str())
    )
}

fn comment_lines(n: usize, k: &Value) -> Vec<Line> {
    let mut lines = vec![Line::Gap, Line::Heading(comment_heading(n, k))];
    match k["hidden"].as_str() {
        Some(reason) => lines.push(Line::Text(format!(
            "Treść ukryta przez moderatora: {reason}"
        ))),
        None => lines.push(Line::Text(format!(
            "Treść: {}{}",
            text(&k["text"]),
            k["author"]
                .as_str()
                .map(|a| format!(" (autor: {a})"))
                .unwrap_or_default()
        ))),
    }
    if let Some(j) = k["justification"].as_str() {
        lines.push(Line::Text(format!("Uzasadnienie stanowiska: {j}")));
    }
    lines
}

/// The report `r` (as `GET /api/consultations/{id}/report` gives it) as a PDF/UA document.
pub fn render(r: &Value) -> anyhow::Result<Vec<u8>> {
    let subject = text(&r["subject"]);
    let lb = &r["legal_basis"];
    let d = &r["dates"];
    let mut lines = vec![
        Line::Heading("RAPORT Z KONSULTACJI SPOŁECZNYCH".into()),
        Line::Title(subject.clone()),
        Line::Text(format!(
            "Podstawa: uchwała nr {} z dnia {} ({})",
            text(&lb["resolution"]),
            text(&lb["adopted_on"]),
            text(&lb["link"])
        )),
        Line::Text(format!(
            "Konsultacje trwały od {} do {}; ogłoszone {}; raport opublikowany {}.",
            text(&d["opens_on"]),
            text(&d["closes_on"]),
            text(&d["announced_on"]),
            text(&r["published_at"])
        )),
        Line::Text(format!(
            "Odpowiedzi: {} (przez internet {}, na papierze {}).",
            r["answers"].as_u64().unwrap_or(0),
            r["answers_online"].as_u64().unwrap_or(0),
            r["answers_paper"].as_u64().unwrap_or(0)
        )),
    ];
    if let Some(docs) = r["documents"].as_array().filter(|d| !d.is_empty()) {
        lines.push(Line::Gap);
        lines.push(Line::Heading("Dokumenty konsultacji".into()));
        for doc in docs {
            lines.push(Line::Text(format!(
                "{} ({}), SHA3-256 {}",
                text(&doc["title"]),
                text(&doc["name"]),
                text(&doc["sha3_256"])
            )));
        }
    }
    lines.push(Line::Gap);
    let comments = r["comments"].as_array().cloned().unwrap_or_default();
    lines.push(Line::Heading(format!(
        "Uwagi i stanowisko urzędu ({})",
        comments.len()
    )));
    if comments.is_empty() {
        lines.push(Line::Text("Nie zgłoszono uwag.".into()));
    }
    for (i, k) in comments.iter().enumerate() {
        lines.extend(comment_lines(i + 1, k));
    }
    lines.push(Line::Gap);
    lines.push(Line::Heading("Podpis elektroniczny".into()));
    lines.push(Line::Text(format!(
        "Podpisany jest raport w postaci JSON (GET /api/consultations/{}/report); zapisz go i sprawdź poleceniem okienko receipt verify. Ten dokument przedstawia jego treść.",
        text(&r["consultation_id"])
    )));
    lines.push(Line::Small(format!(
        "SHA3-256 treści: {}",
        super::signature::digest(r)
    )));
    lines.push(Line::Small(text(&r["jws"])));
    document(&format!("Raport z konsultacji — {subject}"), lines)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    #[test]
    fn a_report_renders_as_pdf_ua_with_a_heading_per_comment() {
        let r = json!({
            "consultation_id": "0190", "subject": "Tablice reklamowe", "published_at": "2027-03-01T10:00:00Z",
            "legal_basis": {"resolution": "XII/123/2026", "adopted_on": "2026-03-26", "link": "https://bip.example.pl"},
            "dates": {"announced_on": "2027-01-01", "opens_on": "2027-01-10", "closes_on": "2027-01-31"},
            "answers": 3, "answers_online": 2, "answers_paper": 1,
            "comments": [
                {"anchor": "§ 2 ust. 2", "text": "Za wysoko.", "position": "partly_accepted", "justification": "Obniżone."},
                {"anchor": "§ 1", "hidden": "obraźliwa", "position": null},
            ],
            "jws": "eyJhbGciOiJFZERTQSJ9.e30.c2ln",
        });
        assert_eq!(
            super::comment_heading(1, &r["comments"][0]),
            "Uwaga nr 1 do § 2 ust. 2: uwzględniona częściowo"
        );
        let pdf = super::render(&r).unwrap();
        assert!(pdf.starts_with(b"%PDF-1.7"));
        assert!(String::from_utf8_lossy(&pdf).contains("pdfuaid:part"));
    }
}
