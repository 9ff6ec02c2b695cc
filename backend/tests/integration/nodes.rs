//! Two nodes on one database (issue 18 §1): node B has its own data directory and shares
//! with node A only the database, the object store and the key-encryption key, as two
//! machines behind a proxy do. What one node did, the other accepts.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use time::{Duration, OffsetDateTime};

use crate::helpers::{Browser, Resp, TestApp, send_to};
use okienko::auth::api_token::Scope;
use okienko::receipt::keys::{Keystore, SIGNING};

struct Node {
    state: okienko::state::AppState,
    router: axum::Router,
    _dir: tempfile::TempDir,
}

impl Node {
    async fn get(&self, uri: &str, headers: &[(header::HeaderName, String)]) -> Resp {
        let mut req = Request::get(uri);
        for (k, v) in headers {
            req = req.header(k, v);
        }
        send_to(self.router.clone(), req.body(Body::empty()).unwrap()).await
    }
}

/// Node A, refreshing its keys every second.
async fn node_a() -> TestApp {
    TestApp::with(|s| s.keys.refresh_seconds = 1).await
}

/// A second node beside `a`: another data directory, the same database, object store and KEK.
async fn node_b(a: &TestApp) -> Node {
    let dir = tempfile::tempdir().unwrap();
    let mut settings = a.state.settings.clone();
    let kek = std::fs::read_to_string(settings.data_dir.join("kek")).unwrap();
    settings.database_url = Some(settings.database_url());
    settings.storage_url = Some(
        settings
            .data_dir
            .join("attachments")
            .to_string_lossy()
            .into_owned(),
    );
    settings.keys.kek = Some(okienko::config::Secret::new(kek));
    settings.data_dir = dir.path().to_path_buf();
    let catalogue = okienko::startup::load_catalogue(&settings).unwrap();
    let state = okienko::startup::build(settings, catalogue).await.unwrap();
    let router = okienko::web::router(state.clone());
    Node {
        state,
        router,
        _dir: dir,
    }
}

fn jws_of(filed: &Resp) -> String {
    filed.json()["receipt"]["jws"]
        .as_str()
        .expect("a receipt")
        .to_owned()
}

fn kid_of(jws: &str) -> String {
    jsonwebtoken::decode_header(jws).unwrap().kid.unwrap()
}

#[tokio::test]
async fn two_nodes_share_keys_sessions_tokens_and_receipts() {
    let a = node_a().await;
    let b = node_b(&a).await;
    // one JWKS, whichever node answers
    let jwks_a = a.get("/.well-known/jwks.json", "").await.json();
    let jwks_b = b.get("/.well-known/jwks.json", &[]).await.json();
    assert_eq!(jwks_a, jwks_b);
    assert_eq!(jwks_a["keys"].as_array().unwrap().len(), 1);

    // a resident logs in on A (through the dev IdP) and goes on on B
    let mut browser = Browser::new(&a);
    let (done, _) = crate::auth::login(&mut browser, "national", "jan", "").await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.text());
    let me_on_b = b
        .get("/api/me", &[(header::COOKIE, browser.cookie_header())])
        .await;
    assert_eq!(me_on_b.status, StatusCode::OK, "{}", me_on_b.text());
    assert!(me_on_b.json()["pesel"].is_string(), "{}", me_on_b.text());

    // an API token issued by A is accepted by B
    let token = a.api_token(&[Scope::SubmissionsRead]).await;
    let listed = b
        .get(
            "/api/submissions",
            &[(header::AUTHORIZATION, format!("Bearer {token}"))],
        )
        .await;
    assert_eq!(listed.status, StatusCode::OK, "{}", listed.text());

    // a receipt signed on A verifies with B's JWKS
    let resident = a
        .resident(okienko::domain::level::IdentityLevel::Substantial)
        .await;
    let filed = a
        .post_json(
            "/api/services/informacja-publiczna/submissions",
            &resident,
            Some("two-nodes-1"),
            crate::api::INFO,
        )
        .await;
    assert_eq!(filed.status, StatusCode::CREATED, "{}", filed.text());
    let first = jws_of(&filed);
    okienko::receipt::verify::verify(&first, &jwks_b).unwrap();

    // a key rotated on B: B publishes it and signs with it after its refresh, A within
    // `keys.refresh_seconds`; the old key stays published on both
    let keks = okienko::startup::keks(&b.state.settings).unwrap();
    let new_kid = Keystore::rotate(&b.state.db, &keks, SIGNING).await.unwrap();
    assert!(b.state.keys.refresh(&b.state.db).await.unwrap());
    let waited = std::time::Instant::now();
    while a.state.keys.kids().last() != Some(&new_kid) {
        assert!(
            waited.elapsed() < std::time::Duration::from_secs(10),
            "node A never took the key rotated on B"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let filed = a
        .post_json(
            "/api/services/informacja-publiczna/submissions",
            &resident,
            Some("two-nodes-2"),
            crate::api::INFO,
        )
        .await;
    let second = jws_of(&filed);
    assert_eq!(kid_of(&second), new_kid);
    assert_ne!(kid_of(&first), new_kid);
    let jwks_b = b.get("/.well-known/jwks.json", &[]).await.json();
    assert_eq!(jwks_b["keys"].as_array().unwrap().len(), 2);
    okienko::receipt::verify::verify(&first, &jwks_b).unwrap();
    okienko::receipt::verify::verify(&second, &jwks_b).unwrap();
    assert_eq!(a.get("/.well-known/jwks.json", "").await.json(), jwks_b);
}

/// A token signed with a key that another node rotated in a moment ago: the node that has
/// not refreshed yet reads the keys at once instead of refusing it.
#[tokio::test]
async fn a_token_signed_with_a_key_rotated_elsewhere_is_accepted_at_once() {
    let a = TestApp::new().await; // refreshes every 30 s
    let b = node_b(&a).await;
    let keks = okienko::startup::keks(&b.state.settings).unwrap();
    let kid = Keystore::rotate(&b.state.db, &keks, SIGNING).await.unwrap();
    b.state.keys.refresh(&b.state.db).await.unwrap();
    let token = okienko::auth::api_token::create_client(
        &b.state.db,
        &b.state.keys,
        &b.state.settings.base_url(),
        "B's client",
        &[Scope::SubmissionsRead],
        Duration::days(1),
    )
    .await
    .unwrap()
    .token;
    assert_eq!(kid_of(&token), kid);
    assert!(!a.state.keys.kids().contains(&kid));
    let r = a
        .send(
            Request::get("/api/submissions")
                .header(header::AUTHORIZATION, format!("Bearer {token}"))
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
}

/// The workers of both nodes drain one outbox: every e-mail leaves once and every deemed
/// delivery is written once, however the two passes interleave.
#[tokio::test]
async fn the_workers_of_two_nodes_send_each_mail_and_move_each_deadline_once() {
    let a = TestApp::new().await;
    let b = node_b(&a).await;
    let mut letters = Vec::new();
    for i in 0..4 {
        letters.push(crate::delivery::letter_to(&a, &format!("nodes-{i}")).await);
    }
    // past day 15 of every letter: notices, reminders, the last calls and deemed deliveries
    let later = OffsetDateTime::now_utc() + Duration::days(20);
    let (done_a, done_b) = tokio::join!(
        okienko::worker::run_due(&a.state, later),
        okienko::worker::run_due(&b.state, later)
    );
    let jobs = done_a.unwrap() + done_b.unwrap();
    assert!(
        okienko::db::outbox::pending(&a.state.db)
            .await
            .unwrap()
            .is_empty()
    );
    // a job done twice would count twice
    let rows = {
        use sea_orm::{EntityTrait, PaginatorTrait};
        okienko::db::entity::outbox::Entity::find()
            .count(&a.state.db)
            .await
            .unwrap()
    };
    assert_eq!(jobs as u64, rows);
    let eml = |dir: &std::path::Path| {
        std::fs::read_dir(dir.join("mail"))
            .map(|d| d.count())
            .unwrap_or(0)
    };
    let mails = eml(&a.state.settings.data_dir) + eml(&b.state.settings.data_dir);
    // each job that succeeded sent at most one e-mail; the deemed deliveries send none
    let deemed = letters.len();
    assert_eq!(mails + deemed, jobs, "every job done once, on one node");
    for (_, _, id) in &letters {
        let ev = okienko::db::mailboxes::evidences(&a.state.db, id)
            .await
            .unwrap();
        assert_eq!(ev.iter().filter(|e| e.code == "E.1").count(), 1, "{id}");
    }
    // a second pass on both finds nothing left to do
    let (again_a, again_b) = tokio::join!(
        okienko::worker::run_due(&a.state, later),
        okienko::worker::run_due(&b.state, later)
    );
    assert_eq!(again_a.unwrap() + again_b.unwrap(), 0);
}
