//! Archiving (issue 14 §2): the report sets the day; on it the worker moves the
//! consultation from reported to archived exactly once, however many run; an archived
//! consultation stays public and read-only with its report, leaves the lists of current
//! ones, and the archive pages by keyset.

use axum::http::StatusCode;
use okienko::domain::identity::Role;
use serde_json::json;
use time::{Duration, OffsetDateTime};

use crate::consultations::{consultation, published, today};
use crate::helpers::{TestApp, anon};

/// A consultation of one day, closed by the worker and reported; its id.
async fn reported(app: &TestApp, councillor: &str, subject: &str) -> String {
    let mut c = consultation("informal_open", today(), 1);
    c["subject"] = json!(subject);
    let id = published(app, councillor, &c).await;
    okienko::worker::run_due(&app.state, OffsetDateTime::now_utc() + Duration::days(3))
        .await
        .unwrap();
    let r = app
        .post_json(
            &format!("/api/consultations/{id}/report"),
            councillor,
            None,
            "",
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    id
}

#[tokio::test]
async fn a_reported_consultation_is_archived_once_on_its_day_and_stays_readable() {
    let app = TestApp::new().await;
    let councillor = app.with_roles("radna-1", vec![Role::Councillor]).await;
    let first = reported(&app, &councillor, "Park przy Lipowej").await;
    let second = reported(&app, &councillor, "Ścieżka rowerowa do Borowa").await;
    let url = format!("/api/consultations/{first}");
    let c = app.get(&url, &anon()).await.json();
    let day = today() + Duration::days(365);
    assert_eq!(c["archives_on"], day.to_string(), "{c}");
    assert_eq!(c["phase"], "reported");

    // the day before: nothing moves
    let moved = okienko::participation::consultations::phases::advance(
        &app.state.db,
        day - Duration::days(1),
    )
    .await
    .unwrap();
    assert_eq!(moved, 0);
    // on its day, four workers at once: each consultation moves once
    let mut runs = tokio::task::JoinSet::new();
    for _ in 0..4 {
        let db = app.state.db.clone();
        runs.spawn(async move {
            okienko::participation::consultations::phases::advance(&db, day).await
        });
    }
    let mut moved = 0;
    while let Some(r) = runs.join_next().await {
        moved += r.unwrap().unwrap();
    }
    assert_eq!(moved, 2);
    let c = app.get(&url, &anon()).await.json();
    assert_eq!(
        (c["phase"].clone(), c["archived"].clone()),
        (json!("archived"), json!(true))
    );
    let h = app.get(&format!("{url}/history"), &anon()).await.json();
    let archived: Vec<_> = h["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| {
            e["detail"]
                .as_str()
                .unwrap_or("")
                .starts_with("reported → archived")
        })
        .collect();
    assert_eq!(archived.len(), 1, "{h}");
    assert_eq!(h["verified"], true);

    // public and read-only with its report
    let report = app.get(&format!("{url}/report"), &anon()).await;
    assert_eq!(report.status, StatusCode::OK);
    assert!(report.json()["jws"].is_string());
    let page = app.get(&format!("/konsultacje/{first}"), &anon()).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.text().contains("Raport z konsultacji") && page.text().contains("w archiwum"),
        "{}",
        page.text()
    );
    let r = app
        .post_json(&format!("{url}/report"), &councillor, None, "")
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text());
    let r = app
        .post_json(
            &format!("{url}/meetings"),
            &councillor,
            None,
            &json!({"kind": "workshop", "starts_at": "2027-01-20T17:00:00+01:00", "place": "Sala"})
                .to_string(),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text());

    // out of the current lists, in the archive, paged by keyset
    let reported = app
        .get("/api/consultations?phase=reported", &anon())
        .await
        .json();
    assert_eq!(reported["items"], json!([]));
    let current = app.get("/konsultacje", &anon()).await.text();
    assert!(
        !current.contains(&first) && !current.contains(&second),
        "{current}"
    );
    let one = app
        .get("/api/consultations?phase=archived&limit=1", &anon())
        .await
        .json();
    assert_eq!(one["items"].as_array().map(Vec::len), Some(1), "{one}");
    let next = one["next"].as_str().expect("a next page").to_owned();
    let two = app
        .get(
            &format!("/api/consultations?phase=archived&limit=1&after={next}"),
            &anon(),
        )
        .await
        .json();
    let mut ids = vec![one["items"][0]["id"].clone(), two["items"][0]["id"].clone()];
    ids.sort_by_key(|v| v.as_str().unwrap_or("").to_owned());
    let mut want = vec![json!(first), json!(second)];
    want.sort_by_key(|v| v.as_str().unwrap_or("").to_owned());
    assert_eq!(ids, want);
    assert_eq!(two["next"], json!(null));
    let archive = app.get("/konsultacje/archiwum", &anon()).await;
    assert_eq!(archive.status, StatusCode::OK);
    assert!(
        archive.text().contains(&first) && archive.text().contains("Ścieżka rowerowa"),
        "{}",
        archive.text()
    );
}
