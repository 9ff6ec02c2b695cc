//! Issue 18 §2: what a client sees when something under okienko fails (scripts/faults runs
//! the same against real processes): the database gone, the file store gone, a body
//! trickled in.

use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::helpers::TestApp;
use okienko::domain::level::IdentityLevel;

const URL: &str = "/api/services/zameldowanie/submissions";

/// A registration with one PDF, as multipart.
fn registration() -> Vec<u8> {
    let data = json!({"stay_kind": "permanent",
        "arrival_date": okienko::domain::clock::in_poland(time::OffsetDateTime::now_utc()).date().to_string(),
        "address": {"building": "5", "postal_code": "64-530", "locality": "Przykładowo"}, "has_title": true});
    let mut body = Vec::new();
    body.extend_from_slice(b"--XX\r\nContent-Disposition: form-data; name=\"data\"\r\n\r\n");
    body.extend_from_slice(json!({ "data": data }).to_string().as_bytes());
    body.extend_from_slice(b"\r\n--XX\r\nContent-Disposition: form-data; name=\"title_document\"; filename=\"umowa.pdf\"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.7 umowa\r\n--XX--\r\n");
    body
}

async fn file(app: &TestApp, me: &str, key: &str) -> crate::helpers::Resp {
    app.send(
        Request::post(URL)
            .header(header::CONTENT_TYPE, "multipart/form-data; boundary=XX")
            .header(header::COOKIE, me)
            .header("idempotency-key", key)
            .body(Body::from(registration()))
            .unwrap(),
    )
    .await
}

async fn submissions(app: &TestApp) -> u64 {
    use sea_orm::{EntityTrait, PaginatorTrait};
    okienko::db::entity::submission::Entity::find()
        .count(&app.state.db)
        .await
        .unwrap()
}

fn files_under(dir: &std::path::Path) -> usize {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    entries
        .flatten()
        .map(|e| {
            if e.path().is_dir() {
                files_under(&e.path())
            } else {
                1
            }
        })
        .sum()
}

#[tokio::test]
async fn with_the_file_store_gone_a_filing_is_refused_503_and_nothing_is_kept() {
    let store = tempfile::tempdir().unwrap();
    let folder = store.path().join("attachments");
    let app = TestApp::with(|s| s.storage_url = Some(folder.display().to_string())).await;
    let me = app.resident(IdentityLevel::Substantial).await;
    // the folder replaced by a file: an unmounted share, a bucket deleted
    std::fs::remove_dir_all(&folder).unwrap();
    std::fs::write(&folder, b"not a folder").unwrap();
    let refused = file(&app, &me, "store-gone-1").await;
    assert_eq!(
        refused.status,
        StatusCode::SERVICE_UNAVAILABLE,
        "{}",
        refused.text()
    );
    assert_eq!(refused.json()["code"], "storage_unavailable");
    assert_eq!(
        refused.headers[header::CONTENT_TYPE],
        "application/problem+json"
    );
    assert!(refused.headers.contains_key(header::RETRY_AFTER));
    assert_eq!(submissions(&app).await, 0);
    // back: the same key files, once
    std::fs::remove_file(&folder).unwrap();
    std::fs::create_dir(&folder).unwrap();
    let filed = file(&app, &me, "store-gone-1").await;
    assert_eq!(filed.status, StatusCode::CREATED, "{}", filed.text());
    assert_eq!(submissions(&app).await, 1);
    assert_eq!(files_under(&folder), 1);
}

/// A node killed between storing a filing's files and its commit leaves files no row
/// names: `okienko storage sweep` finds them by age and deletes them, and only them.
#[tokio::test]
async fn the_sweep_deletes_the_files_no_filing_names_and_keeps_the_filed_ones() {
    use okienko::integrity::sweep::orphans;
    let store = tempfile::tempdir().unwrap();
    let folder = store.path().join("attachments");
    let app = TestApp::with(|s| s.storage_url = Some(folder.display().to_string())).await;
    let me = app.resident(IdentityLevel::Substantial).await;
    let filed = file(&app, &me, "sweep-1").await;
    assert_eq!(filed.status, StatusCode::CREATED, "{}", filed.text());
    // what a killed node leaves: a file stored under a submission id never committed
    let today = okienko::domain::clock::in_poland(time::OffsetDateTime::now_utc()).date();
    let never = uuid::Uuid::now_v7().to_string();
    let orphan = okienko::storage::attachment_key(today, &never, 0, &"ab".repeat(32));
    std::fs::create_dir_all(folder.join(format!("submissions/{today}"))).unwrap();
    std::fs::write(folder.join(&orphan), b"%PDF-1.7 left behind").unwrap();
    assert_eq!(files_under(&folder), 2);
    // younger than the age asked for: not even looked at
    let young = orphans(&app.state, Duration::from_secs(3600), false)
        .await
        .unwrap();
    assert_eq!((young.looked_at, young.orphans.len()), (0, 0));
    // an age no date can hold: nothing is that old
    let ancient = orphans(&app.state, Duration::from_secs(u64::MAX), false)
        .await
        .unwrap();
    assert_eq!((ancient.looked_at, ancient.orphans.len()), (0, 0));
    // a dry run names it and deletes nothing
    tokio::time::sleep(Duration::from_millis(20)).await;
    let dry = orphans(&app.state, Duration::ZERO, true).await.unwrap();
    assert_eq!((dry.looked_at, dry.kept), (2, 1));
    assert_eq!(dry.orphans, vec![orphan.clone()]);
    assert_eq!(files_under(&folder), 2);
    // the sweep deletes it; the filing's own file stays and still verifies
    let swept = orphans(&app.state, Duration::ZERO, false).await.unwrap();
    assert_eq!(swept.orphans, vec![orphan.clone()]);
    assert_eq!(files_under(&folder), 1);
    assert!(!folder.join(&orphan).exists());
    let report = okienko::integrity::verify(&app.state, true).await.unwrap();
    assert!(report.is_clean(), "{:?}", report.problems);
}

#[tokio::test]
async fn with_the_database_gone_requests_are_refused_503_with_retry_after_at_once() {
    let app = TestApp::new().await;
    let me = app.resident(IdentityLevel::Substantial).await;
    app.state.db.close_by_ref().await.unwrap();
    let t = Instant::now();
    let refused = file(&app, &me, "db-gone-1").await;
    assert!(t.elapsed() < Duration::from_secs(5), "{:?}", t.elapsed());
    assert_eq!(
        refused.status,
        StatusCode::SERVICE_UNAVAILABLE,
        "{}",
        refused.text()
    );
    assert_eq!(refused.json()["code"], "unavailable");
    assert_eq!(refused.headers[header::RETRY_AFTER], "2");
    let ready = app.get("/readyz", "").await;
    assert_eq!(ready.status, StatusCode::SERVICE_UNAVAILABLE);
}

/// Headers trickled in: the connection is closed once `limits.header_read_timeout_secs`
/// has passed without the end of the headers; a normal request beside it is answered.
#[tokio::test]
async fn headers_trickled_in_are_cut_after_the_header_timeout() {
    let app = TestApp::with(|s| s.limits.header_read_timeout_secs = 1).await;
    let mut slow = tokio::net::TcpStream::connect(app.state.settings.listen)
        .await
        .unwrap();
    let t = Instant::now();
    slow.write_all(b"GET /api/services HTTP/1.1\r\nHost: x\r\n")
        .await
        .unwrap();
    // one more header line every 300 ms, never the blank line that ends them
    let mut closed = None;
    for i in 0..20 {
        tokio::time::sleep(Duration::from_millis(300)).await;
        if slow
            .write_all(format!("X-Slow-{i}: 1\r\n").as_bytes())
            .await
            .is_err()
        {
            closed = Some(t.elapsed());
            break;
        }
        let mut buf = [0u8; 512];
        if let Ok(Ok(n)) = tokio::time::timeout(Duration::from_millis(1), slow.read(&mut buf)).await
        {
            // hyper answers 408 or just closes: either way the connection ends
            if n == 0 || String::from_utf8_lossy(&buf[..n]).contains(" 408 ") {
                closed = Some(t.elapsed());
                break;
            }
        }
    }
    let closed = closed.expect("the connection was still open after 6 s");
    assert!(
        closed >= Duration::from_millis(900) && closed < Duration::from_secs(4),
        "closed after {closed:?}"
    );
    // others are served meanwhile and after
    assert_eq!(app.get("/api/services", "").await.status, StatusCode::OK);
}

#[tokio::test]
async fn a_body_trickled_in_holds_no_slot_and_is_cut_with_408() {
    let app = TestApp::with(|s| {
        s.limits.max_in_flight = 1;
        s.limits.body_grace_secs = 1;
        s.limits.body_min_bytes_per_sec = 500;
    })
    .await;
    let me = app.resident(IdentityLevel::Substantial).await;
    let body = registration();
    let mut slow = tokio::net::TcpStream::connect(app.state.settings.listen)
        .await
        .unwrap();
    let head = format!(
        "POST {URL} HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=XX\r\nContent-Length: {}\r\nCookie: {me}\r\nIdempotency-Key: slow-1\r\n\r\n",
        body.len()
    );
    slow.write_all(head.as_bytes()).await.unwrap();
    slow.write_all(&body[..10]).await.unwrap();
    let t = Instant::now();
    tokio::time::sleep(Duration::from_millis(200)).await;
    // while it trickles it holds no slot: the only one is free, and a resident files
    assert_eq!(app.state.admission.in_flight(), 0);
    let filed = file(&app, &me, "beside-slow-1").await;
    assert_eq!(filed.status, StatusCode::CREATED, "{}", filed.text());
    let mut answer = vec![0; 512];
    let n = tokio::time::timeout(Duration::from_secs(10), slow.read(&mut answer))
        .await
        .expect("an answer before the request timeout")
        .unwrap();
    let answer = String::from_utf8_lossy(&answer[..n]);
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(answer.contains("body_too_slow"), "{answer}");
    assert!(t.elapsed() < Duration::from_secs(5), "{:?}", t.elapsed());
    assert_eq!(submissions(&app).await, 1);
}
