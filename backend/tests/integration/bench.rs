//! The filing benchmark's checks catch a wrong answer: they pass on real filings and fail
//! when a notice is missing, a receipt is altered or a number is skipped.

use sea_orm::ConnectionTrait;

use crate::api::INFO;
use crate::helpers::TestApp;

async fn failures(app: &TestApp, acks: &std::path::Path) -> u64 {
    okienko::bench::checks::check(&app.state.db, acks, &app.state.keys.jwks(), 0)
        .await
        .unwrap()
        .failures
}

#[tokio::test]
async fn the_benchmark_checks_pass_real_filings_and_catch_wrong_ones() {
    let app = TestApp::new().await;
    let me = app
        .resident(okienko::domain::level::IdentityLevel::Substantial)
        .await;
    let mut lines = String::new();
    for i in 0..5 {
        let r = app
            .post_json(
                "/api/services/informacja-publiczna/submissions",
                &me,
                Some(&format!("bench-{i}")),
                INFO,
            )
            .await;
        let v = r.json();
        lines.push_str(&format!(
            "{}\t{}\n",
            v["receipt"]["id"].as_str().unwrap(),
            v["submission_id"].as_str().unwrap()
        ));
    }
    let acks = app.state.settings.data_dir.join("acks.tsv");
    std::fs::write(&acks, &lines).unwrap();
    let db = &app.state.db;
    let c = okienko::bench::checks::check(db, &acks, &app.state.keys.jwks(), 0)
        .await
        .unwrap();
    assert_eq!((c.failures, c.receipts_valid, c.notices), (0, 5, 5), "{c}");

    // a lost notice
    db.execute_unprepared("DELETE FROM outbox WHERE id = (SELECT MIN(id) FROM outbox)")
        .await
        .unwrap();
    assert_eq!(failures(&app, &acks).await, 1);
    // an altered receipt
    db.execute_unprepared(
        "UPDATE receipt SET jws = jws || 'x' WHERE id = (SELECT MIN(id) FROM receipt)",
    )
    .await
    .unwrap();
    assert_eq!(failures(&app, &acks).await, 2);
    // a skipped register number
    db.execute_unprepared(
        "UPDATE case_file SET register_no = register_no + 100 WHERE id = (SELECT MAX(id) FROM case_file)",
    )
    .await
    .unwrap();
    assert!(failures(&app, &acks).await >= 3);
}
