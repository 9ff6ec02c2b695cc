//! Issue 18 §2: a retry never files twice, also for an anonymous API client that keeps no
//! cookie.

use axum::http::StatusCode;

use crate::api::INFO;
use crate::helpers::TestApp;

const INFO_URL: &str = "/api/services/informacja-publiczna/submissions";

#[tokio::test]
async fn an_anonymous_retry_without_cookies_returns_the_same_receipt() {
    let app = TestApp::new().await;
    // no cookie at all: every request is a new anonymous owner
    let first = app
        .post_json(INFO_URL, "", Some("anon-retry-1"), INFO)
        .await;
    assert_eq!(first.status, StatusCode::CREATED, "{}", first.text());
    let retry = app
        .post_json(INFO_URL, "", Some("anon-retry-1"), INFO)
        .await;
    assert_eq!(retry.status, StatusCode::OK, "{}", retry.text());
    assert_eq!(
        first.json()["receipt"]["claims"]["receipt_id"],
        retry.json()["receipt"]["claims"]["receipt_id"]
    );
    // the same key with another body: refused, and nothing of the first filing shown
    let other = INFO.replace("2025", "2024");
    let refused = app
        .post_json(INFO_URL, "", Some("anon-retry-1"), &other)
        .await;
    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        refused.text()
    );
    assert!(!refused.text().contains("UPO-"), "{}", refused.text());
    // another key files anew; one submission per key in all
    let second = app
        .post_json(INFO_URL, "", Some("anon-retry-2"), INFO)
        .await;
    assert_eq!(second.status, StatusCode::CREATED, "{}", second.text());
    let stored = {
        use sea_orm::{EntityTrait, PaginatorTrait};
        okienko::db::entity::submission::Entity::find()
            .count(&app.state.db)
            .await
            .unwrap()
    };
    assert_eq!(stored, 2);
}

/// Two retries racing: one filing, both answered with its receipt.
#[tokio::test]
async fn racing_anonymous_retries_file_once() {
    let app = TestApp::new().await;
    let send = |key: &'static str| {
        let router = app.router.clone();
        async move {
            let req = axum::http::Request::post(INFO_URL)
                .header(axum::http::header::CONTENT_TYPE, "application/json")
                .header("idempotency-key", key)
                .body(axum::body::Body::from(INFO))
                .unwrap();
            crate::helpers::send_to(router, req).await
        }
    };
    let (a, b) = tokio::join!(
        tokio::spawn(send("anon-race")),
        tokio::spawn(send("anon-race"))
    );
    let (a, b) = (a.unwrap(), b.unwrap());
    assert!(
        a.status.is_success() && b.status.is_success(),
        "{} {}",
        a.text(),
        b.text()
    );
    assert_eq!(
        a.json()["receipt"]["claims"]["receipt_id"],
        b.json()["receipt"]["claims"]["receipt_id"]
    );
}
