//! Cases: every submission is registered and gets a case sign, consecutive and gap-free
//! under concurrent filing; the history chain holds and detects tampering.

use std::collections::BTreeSet;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use tower::ServiceExt;

use crate::helpers::{TestApp, anon};

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn hundreds_of_concurrent_filings_get_consecutive_register_numbers_and_signs() {
    let app = TestApp::new().await;
    let n = 200;
    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..n {
        let router = app.router.clone();
        tasks.spawn(async move {
            let mut req = Request::post("/api/services/informacja-publiczna/submissions")
                .header(header::CONTENT_TYPE, "application/json")
                .header(header::COOKIE, anon())
                .header("idempotency-key", format!("concurrent-{i}"))
                .body(Body::from(crate::api::INFO))
                .unwrap();
            req.extensions_mut()
                .insert(axum::extract::ConnectInfo(std::net::SocketAddr::from((
                    [127, 0, 0, 1],
                    40000,
                ))));
            let res = router.oneshot(req).await.unwrap();
            let status = res.status();
            let body = res.into_body().collect().await.unwrap().to_bytes();
            (
                status,
                serde_json::from_slice::<serde_json::Value>(&body).unwrap(),
            )
        });
    }
    let mut registers = BTreeSet::new();
    let mut signs = BTreeSet::new();
    let mut year = 0;
    while let Some(r) = tasks.join_next().await {
        let (status, body) = r.unwrap();
        assert_eq!(status, StatusCode::CREATED, "{body}");
        let reg = &body["receipt"]["claims"]["registration"];
        let (no, y) = reg["register_no"]
            .as_str()
            .unwrap()
            .split_once('/')
            .unwrap();
        year = y.parse::<i32>().unwrap();
        assert!(
            registers.insert(no.parse::<i64>().unwrap()),
            "register {no} given twice"
        );
        assert!(signs.insert(reg["case_sign"].as_str().unwrap().to_owned()));
        assert_eq!(reg["access_code"].as_str().unwrap().len(), 10);
    }
    // 1..=n, nothing missing, nothing repeated
    assert_eq!(registers, (1..=n as i64).collect::<BTreeSet<_>>());
    let want: BTreeSet<String> = (1..=n).map(|i| format!("OR.1431.{i}.{year}")).collect();
    assert_eq!(signs, want);
    // each case's history starts with its registration and its chain holds
    for sign in signs.iter().take(5) {
        let case = okienko::db::cases::by_sign(&app.state.db, sign)
            .await
            .unwrap()
            .unwrap();
        let history = okienko::db::cases::history(&app.state.db, &case.id)
            .await
            .unwrap();
        assert_eq!(history.len(), 1);
        assert_eq!(history[0].action, "register");
        assert_eq!(okienko::db::cases::first_broken(&history), None);
    }
}

#[tokio::test]
async fn the_history_chain_names_the_first_changed_entry() {
    use okienko::db::cases::{Actor, append, first_broken, history};
    use sea_orm::{ConnectionTrait, TransactionTrait};
    let app = TestApp::new().await;
    let filed = app
        .post_json(
            "/api/services/informacja-publiczna/submissions",
            &anon(),
            Some("chain"),
            crate::api::INFO,
        )
        .await
        .json();
    let sign = filed["receipt"]["claims"]["registration"]["case_sign"]
        .as_str()
        .unwrap()
        .to_owned();
    let case = okienko::db::cases::by_sign(&app.state.db, &sign)
        .await
        .unwrap()
        .unwrap();
    let txn = app.state.db.begin().await.unwrap();
    let clerk = Actor {
        id: "staff:clerk-or".into(),
        name: "Urzędnik OR".into(),
        position: "inspektor".into(),
    };
    for action in ["assign", "start", "note"] {
        append(
            &txn,
            &case.id,
            &clerk,
            action,
            "in_progress",
            &serde_json::json!({}),
            time::OffsetDateTime::now_utc(),
        )
        .await
        .unwrap();
    }
    txn.commit().await.unwrap();
    let events = history(&app.state.db, &case.id).await.unwrap();
    assert_eq!(events.len(), 4);
    assert_eq!(first_broken(&events), None);
    // someone edits entry 2 in the database
    app.state
        .db
        .execute_unprepared(&format!(
            "UPDATE case_event SET actor_name = 'Ktoś inny' WHERE case_id = '{}' AND seq = 2",
            case.id
        ))
        .await
        .unwrap();
    let events = history(&app.state.db, &case.id).await.unwrap();
    assert_eq!(first_broken(&events), Some(2));
    // or deletes entry 3: entry 4 no longer follows
    app.state
        .db
        .execute_unprepared(&format!(
            "UPDATE case_event SET actor_name = 'Urzędnik OR' WHERE case_id = '{}' AND seq = 2",
            case.id
        ))
        .await
        .unwrap();
    assert_eq!(
        first_broken(&history(&app.state.db, &case.id).await.unwrap()),
        None
    );
    app.state
        .db
        .execute_unprepared(&format!(
            "DELETE FROM case_event WHERE case_id = '{}' AND seq = 3",
            case.id
        ))
        .await
        .unwrap();
    assert_eq!(
        first_broken(&history(&app.state.db, &case.id).await.unwrap()),
        Some(4)
    );
}
