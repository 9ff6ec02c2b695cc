//! Subscriptions (issue 14 §2): residents subscribe to every consultation or to an area's;
//! announcing a consultation e-mails the subscribers it concerns through the outbox, once,
//! and each e-mail's link ends its subscription.

use axum::http::StatusCode;
use okienko::domain::identity::Role;
use serde_json::json;
use time::Duration;

use crate::consultations::{codes, consultation, published, today};
use crate::helpers::{TestApp, anon};

const SUBS: &str = "/api/consultations/subscriptions";

fn mails(app: &TestApp) -> Vec<String> {
    let dir = app.state.settings.data_dir.join("mail");
    std::fs::read_dir(&dir)
        .map(|d| {
            d.map(|f| {
                std::fs::read_to_string(f.unwrap().path())
                    .unwrap()
                    .replace("=\r\n", "")
            })
            .collect()
        })
        .unwrap_or_default()
}

#[tokio::test]
async fn announcing_a_consultation_emails_its_subscribers_once() {
    let app = TestApp::new().await;
    let centrum = app.resident_with_pesel("44051401359").await;
    let everything = app.resident_with_pesel("02070803628").await;
    let zacisze = app.resident_with_pesel("85071503827").await;
    let sub = |email: &str, area: Option<&str>| json!({ "email": email, "area": area }).to_string();

    assert_eq!(
        app.post_json(SUBS, &anon(), None, &sub("a@example.pl", None))
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
    let r = app
        .post_json(SUBS, &centrum, None, &sub("nie-adres", Some("OS-NIGDZIE")))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    assert_eq!(codes(&r), ["email", "scope.unknown_area"]);
    let r = app
        .post_json(
            SUBS,
            &centrum,
            None,
            &sub("anna@example.pl", Some("OS-CENTRUM")),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let token = r.json()["unsubscribe_token"].as_str().unwrap().to_owned();
    let r = app
        .post_json(
            SUBS,
            &centrum,
            None,
            &sub("anna.nowak@example.pl", Some("OS-CENTRUM")),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(r.json()["unsubscribe_token"], token.as_str());
    let r = app
        .post_json(SUBS, &everything, None, &sub("wszystko@example.pl", None))
        .await;
    assert_eq!(
        (r.status, r.json()["scope"].clone()),
        (StatusCode::CREATED, json!("*"))
    );
    let r = app
        .post_json(
            SUBS,
            &zacisze,
            None,
            &sub("zacisze@example.pl", Some("OS-ZACISZE")),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED);
    let mine = app.get(SUBS, &centrum).await.json();
    assert_eq!(mine["items"].as_array().map(Vec::len), Some(1));
    assert_eq!(mine["items"][0]["email"], "anna.nowak@example.pl");

    // announced tomorrow: Osiedle Centrum's and everyone's subscribers hear of it, once
    let councillor = app.with_roles("radna-1", vec![Role::Councillor]).await;
    let tomorrow = today() + Duration::days(1);
    let mut c = consultation("informal_open", tomorrow + Duration::days(1), 10);
    c["dates"]["announced_on"] = json!(tomorrow.to_string());
    let id = published(&app, &councillor, &c).await;
    assert!(mails(&app).iter().all(|m| !m.contains(&id)));
    let at = time::OffsetDateTime::now_utc() + Duration::days(1);
    okienko::worker::run_due(&app.state, at).await.unwrap();
    okienko::worker::run_due(&app.state, at + Duration::hours(1))
        .await
        .unwrap();
    let sent: Vec<String> = mails(&app)
        .into_iter()
        .filter(|m| m.contains(&format!("/konsultacje/{id}")))
        .collect();
    assert_eq!(sent.len(), 2, "{sent:?}");
    assert!(sent.iter().any(|m| m.contains("anna.nowak@example.pl")
        && m.contains(&format!("/konsultacje/subskrypcja/{token}"))));
    assert!(sent.iter().any(|m| m.contains("wszystko@example.pl")));
    assert!(sent.iter().all(|m| !m.contains("zacisze@example.pl")));

    // the link shows a button; its POST ends the subscription, once
    let page = app
        .get(&format!("/konsultacje/subskrypcja/{token}"), &anon())
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.text().contains("Rezygnuję"), "{}", page.text());
    let r = app
        .post_form(&format!("/konsultacje/subskrypcja/{token}"), &anon(), "")
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let r = app
        .send(
            axum::http::Request::delete(format!("{SUBS}/{token}"))
                .body(axum::body::Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(app.get(SUBS, &centrum).await.json()["items"], json!([]));
}
