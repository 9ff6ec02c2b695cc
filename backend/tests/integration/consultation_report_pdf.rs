//! The report as PDF/UA (issue 14 §4): produced from the signed report, every comment a
//! heading naming its place and the office's position, with the report's JWS; linked
//! from the consultation's page.

use axum::http::{StatusCode, header};
use okienko::domain::identity::Role;
use serde_json::json;
use time::{Duration, OffsetDateTime};

use crate::consultations::{consultation, published, put_json, today};
use crate::helpers::{TestApp, anon};

/// How a PDF writes `text` as a text string (the outline's titles, the tags' titles):
/// bare ASCII, or UTF-16BE in hex after its byte order mark.
fn pdf_text_string(text: &str) -> String {
    if text.bytes().all(|b| (32..=126).contains(&b)) {
        return format!("({text})");
    }
    let hex: String = text.encode_utf16().map(|u| format!("{u:04X}")).collect();
    format!("<FEFF{hex}>")
}

#[tokio::test]
async fn the_report_pdf_names_every_comments_position() {
    let app = TestApp::new().await;
    let councillor = app.with_roles("radna-1", vec![Role::Councillor]).await;
    let id = published(&app, &councillor, &consultation("formal_open", today(), 1)).await;
    let url = format!("/api/consultations/{id}");
    let resident = app.resident_with_pesel("44051401359").await;
    let neighbour = app.resident_with_pesel("02070803628").await;
    let mut comments = Vec::new();
    for (who, anchor, text) in [
        (&resident, "§ 2 ust. 2", "Tablice do 2 m."),
        (&neighbour, "§ 1", "Dodać zakaz banerów."),
        (&resident, "§ 3", "Wykonanie przez radę."),
    ] {
        let body = json!({"declaration": {"lives_in_gmina": true, "area": "OS-CENTRUM"}, "anchor": anchor, "text": text}).to_string();
        let r = app
            .post_json(&format!("{url}/comments"), who, None, &body)
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
        comments.push(r.json()["id"].as_str().unwrap().to_owned());
    }
    // no PDF before the report
    assert_eq!(
        app.get(&format!("{url}/report.pdf"), &anon()).await.status,
        StatusCode::NOT_FOUND
    );
    okienko::worker::run_due(&app.state, OffsetDateTime::now_utc() + Duration::days(3))
        .await
        .unwrap();
    for (comment, position) in comments
        .iter()
        .zip(["partly_accepted", "accepted", "rejected"])
    {
        let body = json!({"position": position, "justification": "Stanowisko urzędu."}).to_string();
        let r = put_json(
            &app,
            &format!("{url}/comments/{comment}/position"),
            &councillor,
            &body,
        )
        .await;
        assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.text());
    }
    let r = app
        .post_json(&format!("{url}/report"), &councillor, None, "")
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let jws = r.json()["jws"].as_str().unwrap().to_owned();

    let pdf = app.get(&format!("{url}/report.pdf"), &anon()).await;
    assert_eq!(pdf.status, StatusCode::OK);
    assert_eq!(pdf.headers[header::CONTENT_TYPE], "application/pdf");
    assert!(pdf.body.starts_with(b"%PDF-1.7"));
    let raw = String::from_utf8_lossy(&pdf.body);
    assert!(raw.contains("pdfuaid:part"), "PDF/UA-1 declared");
    for heading in [
        "Uwaga nr 1 do § 2 ust. 2: uwzględniona częściowo",
        "Uwaga nr 2 do § 1: uwzględniona",
        "Uwaga nr 3 do § 3: nieuwzględniona",
    ] {
        assert!(
            raw.contains(&pdf_text_string(heading)),
            "the PDF names `{heading}`"
        );
    }
    assert!(!jws.is_empty());
    let page = app.get(&format!("/konsultacje/{id}"), &anon()).await.text();
    assert!(page.contains(&format!("{url}/report.pdf")), "{page}");
}
