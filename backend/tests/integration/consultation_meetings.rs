//! A consultation's meetings (issue 14 §1): date, place, the minutes uploaded afterwards
//! to object storage, listed on the consultation's page.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use okienko::domain::identity::Role;
use serde_json::json;
use time::Duration;
use time::format_description::well_known::Rfc3339;

use crate::consultations::{codes, consultation, published, today};
use crate::helpers::{TestApp, anon};

#[tokio::test]
async fn meetings_are_listed_with_their_minutes_uploaded_afterwards() {
    let app = TestApp::new().await;
    let councillor = app.with_roles("radna-1", vec![Role::Councillor]).await;
    let id = published(&app, &councillor, &consultation("formal_open", today(), 14)).await;
    let url = format!("/api/consultations/{id}/meetings");
    let at = |d: i64| {
        (time::OffsetDateTime::now_utc() + Duration::days(d))
            .replace_nanosecond(0)
            .unwrap()
            .format(&Rfc3339)
            .unwrap()
    };

    let bad = json!({ "kind": "picnic", "starts_at": "jutro", "place": " " }).to_string();
    let r = app.post_json(&url, &councillor, None, &bad).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    assert_eq!(
        codes(&r),
        ["meeting.kind", "meeting.starts_at", "meeting.place"]
    );
    let resident = app.resident_with_pesel("44051401359").await;
    let workshop = json!({ "kind": "workshop", "starts_at": at(-1), "place": "Sala narad, Urząd Gminy, ul. Główna 1" }).to_string();
    assert_eq!(
        app.post_json(&url, &resident, None, &workshop).await.status,
        StatusCode::FORBIDDEN
    );
    let r = app.post_json(&url, &councillor, None, &workshop).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let past = r.json()["id"].as_str().unwrap().to_owned();
    let walk = json!({ "kind": "study_walk", "starts_at": at(3), "place": "Zbiórka przy szkole w Borowie" }).to_string();
    let r = app.post_json(&url, &councillor, None, &walk).await;
    let future = r.json()["id"].as_str().unwrap().to_owned();

    // the minutes: after the meeting only, stored and served back as they came
    let pdf = "%PDF-1.4 protokół ze spotkania";
    let upload = |meeting: &str| {
        Request::post(format!("{url}/{meeting}/minutes"))
            .header(header::COOKIE, &councillor)
            .header(header::CONTENT_TYPE, "multipart/form-data; boundary=X")
            .body(Body::from(format!("--X\r\nContent-Disposition: form-data; name=\"file\"; filename=\"protokol.pdf\"\r\nContent-Type: application/pdf\r\n\r\n{pdf}\r\n--X--\r\n")))
            .unwrap()
    };
    let r = app.send(upload(&future)).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text());
    let r = app.send(upload(&past)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(r.json()["minutes"]["name"], "protokol.pdf");
    let r = app.send(upload(&uuid::Uuid::now_v7().to_string())).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);

    let list = app.get(&url, &anon()).await.json();
    assert_eq!(list["items"].as_array().map(Vec::len), Some(2));
    assert_eq!(list["items"][0]["kind"], "workshop");
    assert_eq!(list["items"][1]["minutes"], serde_json::Value::Null);
    let href = list["items"][0]["minutes"]["href"]
        .as_str()
        .unwrap()
        .to_owned();
    let file = app.get(&href, &anon()).await;
    assert_eq!(file.status, StatusCode::OK);
    assert_eq!(file.headers[header::CONTENT_TYPE], "application/pdf");
    assert_eq!(file.text(), pdf);
    assert_eq!(
        app.get(&format!("{url}/{future}/minutes"), &anon())
            .await
            .status,
        StatusCode::NOT_FOUND
    );

    let page = app.get(&format!("/konsultacje/{id}"), &anon()).await.text();
    assert!(
        page.contains("warsztaty") && page.contains("spacer studyjny") && page.contains(&href),
        "{page}"
    );
    let h = app
        .get(&format!("/api/consultations/{id}/history"), &anon())
        .await
        .json();
    let actions: Vec<&str> = h["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert!(
        actions.contains(&"meeting_added") && actions.contains(&"minutes_added"),
        "{actions:?}"
    );
}
