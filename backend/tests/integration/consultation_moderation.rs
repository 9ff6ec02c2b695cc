//! Moderating comments (issue 14 §3): before publication as an option, a hidden comment
//! keeps its place with the reason, residents report comments, and the coordinator's queue.

use axum::http::StatusCode;
use okienko::domain::identity::Role;
use serde_json::{Value, json};
use time::Duration;

use crate::consultations::{codes, consultation, published, put_json, today};
use crate::helpers::{TestApp, anon};

const DECLARED: &str = r#""declaration":{"lives_in_gmina":true,"area":"OS-CENTRUM"}"#;

fn comment(anchor: &str, text: &str) -> String {
    format!(r#"{{"anchor":"{anchor}","text":"{text}",{DECLARED}}}"#)
}

#[tokio::test]
async fn comments_are_moderated_hidden_with_a_reason_and_reported() {
    let app = TestApp::new().await;
    let councillor = app.with_roles("radna-1", vec![Role::Councillor]).await;
    let mut c = consultation("informal_open", today(), 14);
    c["moderation"] = json!("before");
    let id = published(&app, &councillor, &c).await;
    let url = format!("/api/consultations/{id}");
    let resident = app.resident_with_pesel("44051401359").await;
    let neighbour = app.resident_with_pesel("02070803628").await;

    // before publication: the comment waits in the coordinator's queue, unseen
    let r = app
        .post_json(
            &format!("{url}/comments"),
            &resident,
            None,
            &comment("§ 1", "Za szybko."),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    assert_eq!(r.json()["status"], "pending");
    let first = r.json()["id"].as_str().unwrap().to_owned();
    let r = app
        .post_json(
            &format!("{url}/comments"),
            &neighbour,
            None,
            &comment("§ 3", "Dobrze."),
        )
        .await;
    let second = r.json()["id"].as_str().unwrap().to_owned();
    let public = app.get(&format!("{url}/comments"), &anon()).await.json();
    assert_eq!(public["items"], json!([]));
    let queue = app.get(&format!("{url}/moderation"), &councillor).await;
    assert_eq!(queue.status, StatusCode::OK, "{}", queue.text());
    let queue = queue.json();
    assert_eq!(queue["items"][0]["text"], "Za szybko.");
    assert_eq!(queue["items"].as_array().map(Vec::len), Some(2));
    let page = app
        .get(&format!("{url}/moderation?limit=1"), &councillor)
        .await
        .json();
    let next = page["next"].as_str().unwrap();
    let rest = app
        .get(
            &format!("{url}/moderation?limit=1&after={next}"),
            &councillor,
        )
        .await
        .json();
    assert_eq!(rest["items"][0]["id"], second.as_str());
    assert_eq!(
        app.get(&format!("{url}/moderation"), &resident)
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let moderate = |k: &str| format!("{url}/comments/{k}/moderation");
    let r = put_json(
        &app,
        &moderate(&first),
        &councillor,
        r#"{"decision":"publish"}"#,
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(r.json()["status"], "published");
    let public = app.get(&format!("{url}/comments"), &anon()).await.json();
    assert_eq!(public["items"][0]["text"], "Za szybko.");
    let r = put_json(
        &app,
        &moderate(&first),
        &councillor,
        r#"{"decision":"delete"}"#,
    )
    .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);

    // residents report a comment, once each, with a reason
    let reports = format!("{url}/comments/{first}/reports");
    let r = app
        .post_json(&reports, &anon(), None, r#"{"reason":"Obraźliwa."}"#)
        .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    let clerk = app.staff("clerk-or", "OR").await;
    let r = app
        .post_json(&reports, &clerk, None, r#"{"reason":"Obraźliwa."}"#)
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = app
        .post_json(&reports, &neighbour, None, r#"{"reason":" "}"#)
        .await;
    assert_eq!(codes(&r), ["report.reason"]);
    let r = app
        .post_json(&reports, &neighbour, None, r#"{"reason":"Obraźliwa."}"#)
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.text());
    let r = app
        .post_json(&reports, &neighbour, None, r#"{"reason":"Znowu."}"#)
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text());
    let unknown = format!("{url}/comments/{}/reports", uuid::Uuid::now_v7());
    let r = app
        .post_json(&unknown, &neighbour, None, r#"{"reason":"x"}"#)
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let queue = app
        .get(&format!("{url}/moderation"), &councillor)
        .await
        .json();
    let reported = queue["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["id"] == first.as_str())
        .cloned()
        .unwrap();
    assert_eq!(
        (
            reported["reports"].clone(),
            reported["report_reasons"].clone()
        ),
        (json!(1), json!(["Obraźliwa."]))
    );

    // hidden: it keeps its place with the reason, not its text
    let r = put_json(
        &app,
        &moderate(&first),
        &councillor,
        r#"{"decision":"hide"}"#,
    )
    .await;
    assert_eq!(codes(&r), ["moderation.reason"]);
    let r = put_json(
        &app,
        &moderate(&first),
        &councillor,
        r#"{"decision":"hide","reason":"Narusza regulamin: obraźliwe słowa."}"#,
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let public = app.get(&format!("{url}/comments"), &anon()).await.json();
    assert_eq!(public["items"][0]["status"], "hidden");
    assert_eq!(public["items"][0]["text"], Value::Null);
    assert_eq!(
        public["items"][0]["hidden_because"],
        "Narusza regulamin: obraźliwe słowa."
    );
    let page = app.get(&format!("/konsultacje/{id}"), &anon()).await.text();
    assert!(
        page.contains("Uwaga ukryta przez moderatora: Narusza regulamin")
            && !page.contains("Za szybko."),
        "{page}"
    );
    let r = app
        .post_json(&reports, &resident, None, r#"{"reason":"x"}"#)
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);

    // the report waits for every comment to be moderated; a hidden one needs no position
    okienko::worker::run_due(
        &app.state,
        time::OffsetDateTime::now_utc() + Duration::days(15),
    )
    .await
    .unwrap();
    let r = app
        .post_json(&format!("{url}/report"), &councillor, None, "")
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    assert_eq!(codes(&r), ["report.pending"]);
    let r = put_json(
        &app,
        &moderate(&second),
        &councillor,
        r#"{"decision":"publish"}"#,
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let r = put_json(
        &app,
        &format!("{url}/comments/{second}/position"),
        &councillor,
        r#"{"position":"accepted","justification":"Dziękujemy."}"#,
    )
    .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.text());
    let r = app
        .post_json(&format!("{url}/report"), &councillor, None, "")
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let report = app.get(&format!("{url}/report"), &anon()).await.json();
    assert_eq!(report["comments"][0]["text"], Value::Null);
    assert_eq!(
        report["comments"][0]["hidden"],
        "Narusza regulamin: obraźliwe słowa."
    );
    let r = put_json(
        &app,
        &moderate(&second),
        &councillor,
        r#"{"decision":"hide","reason":"x"}"#,
    )
    .await;
    assert_eq!(r.status, StatusCode::CONFLICT);

    let h = app.get(&format!("{url}/history"), &anon()).await.json();
    let actions: Vec<&str> = h["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert!(
        actions.contains(&"comment_hidden") && actions.contains(&"comment_published"),
        "{actions:?}"
    );
    assert_eq!(h["verified"], true);
}
