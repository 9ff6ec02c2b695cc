//! The consultation pages a resident sees in English (issue 14): the list, the archive, a
//! consultation with its comments and report, the answer form and the results, when the
//! resident chooses English (`?lang=en`, then the cookie, then `Accept-Language`).

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use okienko::domain::identity::Role;
use serde_json::json;
use time::{Duration, OffsetDateTime};

use crate::consultations::{consultation, published, put_json, today};
use crate::helpers::{TestApp, anon};

fn english(page: &str, texts: &[&str]) {
    assert!(page.contains(r#"<html lang="en""#), "{page}");
    for t in texts {
        assert!(page.contains(t), "`{t}` missing: {page}");
    }
}

#[tokio::test]
async fn a_resident_reads_the_consultation_pages_in_english() {
    let app = TestApp::new().await;
    let councillor = app.with_roles("radna-1", vec![Role::Councillor]).await;
    let resident = app.resident_with_pesel("44051401359").await;
    let id = published(
        &app,
        &councillor,
        &consultation("informal_open", today(), 1),
    )
    .await;
    let url = format!("/api/consultations/{id}");

    let list = app.get("/konsultacje?lang=en", &anon()).await;
    assert_eq!(list.status, StatusCode::OK);
    english(
        &list.text(),
        &[
            "Public consultations",
            "Subject",
            ">open<",
            "Archived consultations",
        ],
    );
    let answer = app
        .get(&format!("/konsultacje/{id}/odpowiedz?lang=en"), &resident)
        .await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.text());
    english(
        &answer.text(),
        &[
            "Send your answer",
            "Declaration of residence",
            "I declare that I live in the gmina",
            "Back to the consultation",
        ],
    );
    let body = json!({"declaration": {"lives_in_gmina": true, "area": "OS-CENTRUM"}, "anchor": "§ 2 ust. 2", "text": "Lower, please."}).to_string();
    let r = app
        .post_json(&format!("{url}/comments"), &resident, None, &body)
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let comment = r.json()["id"].as_str().unwrap().to_owned();
    // Accept-Language alone is enough
    let page = app
        .send(
            Request::get(format!("/konsultacje/{id}"))
                .header(header::ACCEPT_LANGUAGE, "en-GB,en;q=0.9")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    english(
        &page.text(),
        &[
            "Public consultations: open",
            "Legal basis",
            "Resolution no.",
            "Comments",
            "Report this comment",
            "Answer the questions",
            "Participation and results",
        ],
    );
    // (the questionnaire's labels are the form definition's: Polish where it has no `en`)
    assert!(
        !page.text().contains("Zgłoś tę uwagę") && !page.text().contains("Podstawa"),
        "{}",
        page.text()
    );

    okienko::worker::run_due(&app.state, OffsetDateTime::now_utc() + Duration::days(3))
        .await
        .unwrap();
    let r = put_json(
        &app,
        &format!("{url}/comments/{comment}/position"),
        &councillor,
        r#"{"position":"partly_accepted","justification":"Lowered to 2.5 m."}"#,
    )
    .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.text());
    let r = app
        .post_json(&format!("{url}/report"), &councillor, None, "")
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());

    let page = app
        .get(&format!("/konsultacje/{id}?lang=en"), &anon())
        .await
        .text();
    english(
        &page,
        &[
            "Public consultations: report published",
            "Consultation report",
            "Comments and the office&#39;s position",
            "partly accepted",
            "The report as PDF",
            "Justification",
        ],
    );
    let results = app
        .get(&format!("/konsultacje/{id}/wyniki?lang=en"), &anon())
        .await
        .text();
    english(
        &results,
        &[
            "Results: ",
            "Participation",
            "online",
            "on paper",
            "Statistics fixed at closing",
            "Answers by age",
        ],
    );
    let archive = app
        .get("/konsultacje/archiwum?lang=en", &anon())
        .await
        .text();
    english(
        &archive,
        &["Archived consultations", "Current consultations"],
    );
    // and Polish stays the default
    let page = app
        .get(&format!("/konsultacje/{id}?lang=pl"), &anon())
        .await
        .text();
    assert!(
        page.contains("Raport z konsultacji") && page.contains("uwzględniona częściowo"),
        "{page}"
    );
}
