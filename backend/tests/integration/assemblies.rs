//! Prawo o zgromadzeniach art. 21–22: a simplified assembly is notified to the crisis
//! management centre that `forms/units.yaml` names, not handled as the gmina's ordinary case.

use std::path::Path;

use axum::http::StatusCode;
use okienko::domain::level::IdentityLevel;
use serde_json::json;
use time::{Duration, OffsetDateTime};

use crate::helpers::TestApp;

/// The shipped forms with the crisis centre swapped for the voivodeship's (no `unit`).
fn forms_without_a_gmina_centre(to: &Path) {
    let from = Path::new(env!("CARGO_MANIFEST_DIR")).join("../forms");
    for dir in ["", "data", "schemas"] {
        std::fs::create_dir_all(to.join(dir)).unwrap();
        for f in std::fs::read_dir(from.join(dir)).unwrap() {
            let f = f.unwrap();
            if f.path().is_file() {
                std::fs::copy(f.path(), to.join(dir).join(f.file_name())).unwrap();
            }
        }
    }
    let units = std::fs::read_to_string(to.join("units.yaml")).unwrap();
    let start = units.find("crisis_centre:").unwrap();
    let end = units.find("jrwa:").unwrap();
    let centre = "crisis_centre:\n  name: { pl: \"Wojewódzkie Centrum Zarządzania Kryzysowego w Poznaniu\", en: \"Poznań Voivodeship Crisis Management Centre\" }\n  phone: \"+48 61 854 99 00\"\n  email: wczk@poznan.example.gov.pl\n";
    let units = format!("{}{centre}{}", &units[..start], &units[end..]);
    std::fs::write(to.join("units.yaml"), units).unwrap();
}

/// A simplified assembly in 5 days (art. 22 ust. 1: 30 to 2 days before).
fn simplified() -> String {
    let day = OffsetDateTime::now_utc().date() + Duration::days(5);
    json!({ "data": { "procedure": "simplified", "organiser_kind": "person", "id_kind": "pesel",
        "email": "jan@example.pl", "phone": "600100200", "assembly_date": day.to_string(),
        "start_time": "12:00", "duration_hours": "1", "place": "Plac przed urzędem gminy",
        "participants": 20, "threats": "Brak." } })
    .to_string()
}

/// Files the simplified assembly; returns (case sign, receipt id).
async fn file(app: &TestApp, me: &str) -> (String, String) {
    let r = app
        .post_json(
            "/api/services/zgromadzenie/submissions",
            me,
            Some("assembly-1"),
            &simplified(),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let v = r.json();
    let sign = v["receipt"]["claims"]["registration"]["case_sign"].as_str();
    (
        sign.unwrap().to_owned(),
        v["receipt"]["id"].as_str().unwrap().to_owned(),
    )
}

/// Art. 22 ust. 1 and 3: the gmina has no crisis management centre, so the notice goes by
/// e-mail (through the outbox) to the voivodeship's, and the organiser is told so; the gmina
/// keeps the incoming notice registered in its default unit.
#[tokio::test]
async fn art_22_simplified_assembly_is_emailed_to_the_voivodeship_centre() {
    let forms = tempfile::tempdir().unwrap();
    forms_without_a_gmina_centre(forms.path());
    let app = TestApp::with(|s| s.forms_dir = Some(forms.path().to_path_buf())).await;
    let me = app.resident(IdentityLevel::Substantial).await;
    let (sign, receipt) = file(&app, &me).await;
    assert!(sign.starts_with("OR.5520."), "{sign}");
    let page = app.get(&format!("/potwierdzenie/{receipt}"), &me).await;
    let page = page.text();
    assert!(page.contains("Wojewódzkie Centrum Zarządzania Kryzysowego w Poznaniu"));
    assert!(page.contains("wczk@poznan.example.gov.pl") && page.contains("+48 61 854 99 00"));

    let done = okienko::worker::run_due(&app.state, OffsetDateTime::now_utc())
        .await
        .unwrap();
    assert_eq!(
        done, 2,
        "the organiser's confirmation and the centre's notice"
    );
    let mails: Vec<String> = std::fs::read_dir(app.state.settings.data_dir.join("mail"))
        .unwrap()
        .map(|f| std::fs::read_to_string(f.unwrap().path()).unwrap())
        .map(|m| m.replace("=\r\n", "").replace("=3D", "="))
        .collect();
    let notice = mails
        .iter()
        .find(|m| m.contains("To: wczk@poznan.example.gov.pl"))
        .expect("an e-mail to the centre");
    assert!(notice.contains("Reply-To: jan@example.pl"), "{notice}");
    // the organiser's PESEL (prefilled from the identity), the place and the case sign
    for part in ["44051401359", "Plac przed urz", &sign, "600100200"] {
        assert!(notice.contains(part), "{part} in {notice}");
    }
}

/// Art. 22 ust. 1: where the centre is part of the office, its unit takes the case, no
/// e-mail leaves, and the organiser sees the centre's round-the-clock telephone.
#[tokio::test]
async fn art_22_simplified_assembly_goes_to_the_gminas_own_centre() {
    let app = TestApp::new().await;
    let me = app.resident(IdentityLevel::Substantial).await;
    let (sign, receipt) = file(&app, &me).await;
    assert!(sign.starts_with("ZK.5520."), "{sign}");
    let page = app.get(&format!("/potwierdzenie/{receipt}"), &me).await;
    assert!(page.text().contains("+48 61 000 11 12"));
    let done = okienko::worker::run_due(&app.state, OffsetDateTime::now_utc())
        .await
        .unwrap();
    assert_eq!(done, 1, "only the organiser's confirmation");
}
