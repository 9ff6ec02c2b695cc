//! Cases: every submission is registered and gets a case sign, consecutive and gap-free
//! under concurrent filing; the history chain holds and detects tampering.

use std::collections::BTreeSet;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};

use crate::helpers::{TestApp, anon, file_info};

/// Files a public-information request as `cookie` with `key`, as a client on its own task.
async fn file(
    router: axum::Router,
    cookie: String,
    key: String,
) -> (StatusCode, serde_json::Value) {
    let r = file_info(router, cookie, key).await;
    (r.status, r.json())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn hundreds_of_concurrent_filings_get_consecutive_register_numbers_and_signs() {
    // 200 anonymous filings from one address: above the anonymous limit, which is not the
    // subject here
    let app = TestApp::with(|s| s.limits.validate_burst = 1000).await;
    let n = 200;
    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..n {
        tasks.spawn(file(app.router.clone(), anon(), format!("concurrent-{i}")));
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

/// Holds the committer while `filings` are spawned, waits until all are in its hands, lets
/// it go, and returns each task's `(tag, status, body)`.
async fn filed_together<T: Send + 'static>(
    app: &TestApp,
    filings: Vec<(T, String, String)>,
    before_release: impl AsyncFnOnce(),
) -> Vec<(T, StatusCode, serde_json::Value)> {
    let committer = app.state.committer.clone();
    let paused = committer.pause().await;
    let expected = committer.waiting() + filings.len() as u64;
    let mut tasks = tokio::task::JoinSet::new();
    for (tag, cookie, key) in filings {
        let filing = file(app.router.clone(), cookie, key);
        tasks.spawn(async move {
            let (status, body) = filing.await;
            (tag, status, body)
        });
    }
    let waited = std::time::Instant::now();
    while committer.waiting() < expected {
        assert!(
            waited.elapsed().as_secs() < 30,
            "{} of {expected} filings reached the committer",
            committer.waiting()
        );
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }
    before_release().await;
    drop(paused);
    tasks.join_all().await
}

fn register_no(body: &serde_json::Value) -> i64 {
    body["receipt"]["claims"]["registration"]["register_no"]
        .as_str()
        .and_then(|r| r.split_once('/'))
        .and_then(|(n, _)| n.parse().ok())
        .unwrap_or_else(|| panic!("no register number in {body}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn filings_share_transactions_at_the_peak_and_a_failing_one_takes_no_other_down() {
    let app = TestApp::new().await;
    let (commits0, filings0) = app.state.committer.counts();

    // 12 residents file at the same moment, and a client sends one filing 4 times over
    let twin = anon();
    let mut filings: Vec<(bool, String, String)> = (0..12)
        .map(|i| (false, anon(), format!("peak-{i}")))
        .collect();
    filings.extend((0..4).map(|_| (true, twin.clone(), "twin".to_owned())));
    let answers = filed_together(&app, filings, async || {}).await;
    let mut registers = BTreeSet::new();
    let mut twin_receipts = BTreeSet::new();
    for (is_twin, status, body) in &answers {
        assert!(status.is_success(), "{status}: {body}");
        registers.insert(register_no(body));
        if *is_twin {
            twin_receipts.insert(body["receipt"]["id"].as_str().unwrap().to_owned());
        }
    }
    // 13 filings in one transaction (at most MAX_BATCH = 16), numbered 1..=13; the four
    // copies got the one filing
    assert_eq!(registers, (1..=13).collect::<BTreeSet<i64>>());
    assert_eq!(twin_receipts.len(), 1, "{twin_receipts:?}");
    let (commits, filings) = app.state.committer.counts();
    assert_eq!((commits - commits0, filings - filings0), (1, 13));

    // one filing in a shared transaction fails (its key was taken meanwhile, as by a
    // retry on another node): the others are written all the same, with no gap
    let late = anon();
    let (status, first) = file(app.router.clone(), late.clone(), "first".into()).await;
    assert_eq!(status, StatusCode::CREATED, "{first}");
    let mut filings: Vec<(bool, String, String)> = (0..10)
        .map(|i| (false, anon(), format!("later-{i}")))
        .collect();
    filings.push((true, late, "second".into()));
    let db = app.state.db.clone();
    let answers = filed_together(&app, filings, async move || {
        use sea_orm::ConnectionTrait;
        // an anonymous filer's key is stored as `anon:` and its hash
        let stored = |k: &str| format!("anon:{}", okienko::receipt::claims::sha3_hex(k.as_bytes()));
        db.execute_unprepared(&format!(
            "UPDATE submission SET idempotency_key = '{}' WHERE idempotency_key = '{}'",
            stored("second"),
            stored("first")
        ))
        .await
        .unwrap();
    })
    .await;
    for (is_late, status, body) in &answers {
        assert!(status.is_success(), "{status}: {body}");
        if *is_late {
            // its key names the filing already written, which it gets back
            assert_eq!(*status, StatusCode::OK);
            assert_eq!(body["receipt"]["id"], first["receipt"]["id"]);
        } else {
            registers.insert(register_no(body));
        }
    }
    registers.insert(register_no(&first));
    assert_eq!(registers, (1..=24).collect::<BTreeSet<i64>>());
}

#[tokio::test]
async fn the_history_chain_names_the_first_changed_entry() {
    use okienko::db::cases::{Actor, Entry, append, first_broken, history};
    use sea_orm::{ConnectionTrait, TransactionTrait};
    let app = TestApp::new().await;
    let sign = app.file_request(&anon(), "chain").await;
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
            Entry {
                action,
                status: "in_progress",
                detail: &serde_json::json!({}),
                at: time::OffsetDateTime::now_utc(),
                document_id: None,
            },
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

#[tokio::test]
async fn a_clerk_works_a_case_from_registration_to_archive() {
    use serde_json::json;
    let app = TestApp::new().await;
    let sign = app.file_request(&anon(), "work-1").await;
    assert!(sign.starts_with("OR.1431."), "{sign}");
    let clerk = app.staff("clerk-or", "OR").await;
    let boss = app.staff("kierownik-or", "OR").await;
    let other = app.staff("clerk-fn", "FN").await;
    let resident = app
        .resident(okienko::domain::level::IdentityLevel::Substantial)
        .await;

    // the unit's queue shows it; another unit and residents do not see it
    let q = app.get("/api/cases", &clerk).await.json();
    assert_eq!(q["items"][0]["sign"], sign.as_str());
    assert_eq!(q["items"][0]["status"], "registered");
    assert!(
        app.get("/api/cases", &other).await.json()["items"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        app.get(&format!("/api/cases/{sign}"), &other).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.act(&other, &sign, "take", json!({"version": 1}))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get("/api/cases", &resident).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.get("/api/cases", &anon()).await.status,
        StatusCode::UNAUTHORIZED
    );

    // only the supervisor assigns; a stale page gets a conflict, not an overwrite
    let r = app
        .act(
            &clerk,
            &sign,
            "assign",
            json!({"version": 1, "assignee": "staff:clerk-or"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text());
    let r = app
        .act(
            &boss,
            &sign,
            "assign",
            json!({"version": 1, "assignee": "staff:clerk-or"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(r.json()["status"], "assigned");
    let r = app
        .act(
            &boss,
            &sign,
            "assign",
            json!({"version": 1, "assignee": "staff:clerk-or"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(
        r.text().contains("zmieniła się od wczytania strony"),
        "{}",
        r.text()
    );

    let r = app.act(&clerk, &sign, "start", json!({"version": 2})).await;
    assert_eq!(r.json()["status"], "in_progress", "{}", r.text());
    let due = r.json()["due_on"].as_str().unwrap().to_owned();
    // the term to remedy defects is at least 7 days
    let r = app
        .act(
            &clerk,
            &sign,
            "call_to_supplement",
            json!({"version": 3, "term": "P6D", "items": ["podpis"]}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(r.text().contains("art. 64"), "{}", r.text());
    let r = app
        .act(
            &clerk,
            &sign,
            "call_to_supplement",
            json!({"version": 3, "term": "P7D"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "items are required");
    let r = app
        .act(
            &clerk,
            &sign,
            "call_to_supplement",
            json!({"version": 3, "term": "P7D", "items": ["podpis wnioskodawcy"]}),
        )
        .await;
    assert_eq!(r.json()["status"], "awaiting_applicant", "{}", r.text());
    assert!(r.json()["paused_since"].is_string());
    let r = app
        .act(
            &clerk,
            &sign,
            "decide",
            json!({"version": 4, "outcome": "granted", "reason": "x"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    let r = app
        .act(&clerk, &sign, "supplemented", json!({"version": 4}))
        .await;
    assert_eq!(r.json()["status"], "in_progress");
    assert_eq!(
        r.json()["due_on"],
        due.as_str(),
        "supplied the same day: no days paused"
    );

    // art. 36: a later date with the reason
    let r = app
        .act(
            &clerk,
            &sign,
            "extend",
            json!({"version": 5, "due_on": "2000-01-01", "reason": "x"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    // public information: at most 2 months from the request (UDIP art. 13 ust. 2)
    let today = okienko::domain::clock::in_poland(time::OffsetDateTime::now_utc()).date();
    let later = okienko::domain::term::add_months(today, 1).unwrap();
    let r = app
        .act(
            &clerk,
            &sign,
            "extend",
            json!({"version": 5, "due_on": later.to_string(), "reason": "opinia innego organu"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(
        r.json()["due_on"],
        okienko::domain::term::due_on(later, true).to_string()
    );

    let r = app
        .act(
            &clerk,
            &sign,
            "decide",
            json!({"version": 6, "outcome": "granted"}),
        )
        .await;
    assert_eq!(
        r.status,
        StatusCode::BAD_REQUEST,
        "a decision needs its reason"
    );
    let r = app
        .act(
            &clerk,
            &sign,
            "decide",
            json!({"version": 6, "outcome": "granted", "reason": "udostępniono informację"}),
        )
        .await;
    assert_eq!(r.json()["status"], "decided");
    assert_eq!(r.json()["outcome"], "granted");
    for (v, a) in [(7, "close"), (8, "archive")] {
        let r = app.act(&clerk, &sign, a, json!({"version": v})).await;
        assert_eq!(r.status, StatusCode::OK, "{a}: {}", r.text());
    }
    let r = app
        .act(&clerk, &sign, "reopen", json!({"version": 9}))
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(r.text().contains("w archiwum"), "{}", r.text());
    let r = app.act(&clerk, &sign, "fly", json!({"version": 9})).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);

    // the history: every action, who and why, chained
    let h = app
        .get(&format!("/api/cases/{sign}/history"), &boss)
        .await
        .json();
    let actions: Vec<&str> = h["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        actions,
        [
            "register",
            "assign",
            "start",
            "call_to_supplement",
            "supplemented",
            "extend",
            "decide",
            "close",
            "archive"
        ]
    );
    assert_eq!(h["intact"], true);
    assert_eq!(h["entries"][1]["actor"], "staff:kierownik-or");
    assert_eq!(h["entries"][1]["position"], "kierownik");
    assert_eq!(
        h["entries"][5]["detail"]["delay_notice"]["reason"],
        "opinia innego organu"
    );
    let full = app.get(&format!("/api/cases/{sign}"), &clerk).await.json();
    assert_eq!(full["submission"]["data"]["access_form"], "electronic");
}

#[tokio::test]
async fn api_clients_read_cases_with_the_scope_and_act_only_with_write() {
    use okienko::auth::api_token::Scope;
    let app = TestApp::new().await;
    app.post_json(
        "/api/services/informacja-publiczna/submissions",
        &anon(),
        Some("api-1"),
        crate::api::INFO,
    )
    .await;
    let token = app.api_token(&[Scope::CasesRead]).await;
    let bearer = |req: axum::http::request::Builder| {
        req.header(header::AUTHORIZATION, format!("Bearer {token}"))
    };
    let r = app
        .send(
            bearer(Request::get("/api/cases?status=registered"))
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    let sign = r.json()["items"][0]["sign"].as_str().unwrap().to_owned();
    let r = app
        .send(
            bearer(Request::post(format!("/api/cases/{sign}/actions/take")))
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(r#"{"version":1}"#))
                .unwrap(),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(r.text().contains("cases:write"));
}

#[tokio::test]
async fn the_receipt_opens_the_public_status_and_my_submissions_show_the_case() {
    let app = TestApp::new().await;
    let me = anon();
    let filed = app
        .post_json(
            "/api/services/informacja-publiczna/submissions",
            &me,
            Some("status-1"),
            crate::api::INFO,
        )
        .await
        .json();
    let reg = &filed["receipt"]["claims"]["registration"];
    let sign = reg["case_sign"].as_str().unwrap();
    let code = reg["access_code"].as_str().unwrap();
    let r = app
        .get(
            &format!("/api/status?sign={sign}&code={}", code.to_lowercase()),
            &anon(),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let v = r.json();
    assert_eq!(v["status"], "registered");
    assert_eq!(v["due_on"], reg["due_on"]);
    // status and dates only: nothing about the person or the request
    let text = r.text();
    assert!(
        !text.contains("umów") && !text.contains("a@example.org"),
        "{text}"
    );
    let wrong = app
        .get(&format!("/api/status?sign={sign}&code=AAAAAAAAAA"), &anon())
        .await;
    assert_eq!(wrong.status, StatusCode::NOT_FOUND);
    let unknown = app
        .get(
            &format!("/api/status?sign=OR.1431.999.2026&code={code}"),
            &anon(),
        )
        .await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    assert_eq!(
        wrong.text(),
        unknown.text(),
        "a wrong code looks like an unknown sign"
    );
    let mine = app.get("/api/submissions", &me).await.json();
    assert_eq!(mine["items"][0]["case"]["sign"], sign);
    assert_eq!(mine["items"][0]["case"]["status_label"], "zarejestrowana");
}

#[tokio::test]
async fn stats_count_cases_time_decisions_and_months() {
    use serde_json::json;
    let app = TestApp::new().await;
    let mut signs = Vec::new();
    for i in 0..3 {
        let filed = app
            .post_json(
                "/api/services/informacja-publiczna/submissions",
                &anon(),
                Some(&format!("stats-{i}")),
                crate::api::INFO,
            )
            .await
            .json();
        signs.push(
            filed["receipt"]["claims"]["registration"]["case_sign"]
                .as_str()
                .unwrap()
                .to_owned(),
        );
    }
    let boss = app.staff("kierownik-or", "OR").await;
    for (v, a, body) in [
        (1, "take", json!({})),
        (
            2,
            "decide",
            json!({"outcome": "granted", "reason": "udostępniono"}),
        ),
    ] {
        let mut b = body;
        b["version"] = json!(v);
        let r = app.act(&boss, &signs[0], a, b).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    }
    assert_eq!(
        app.get("/api/stats", &anon()).await.status,
        StatusCode::UNAUTHORIZED
    );
    let s = app.get("/api/stats", &boss).await.json();
    assert_eq!(
        s["services_in_catalogue"],
        app.state.catalogue.services.len()
    );
    assert_eq!(s["initiatives_overdue"], 0);
    assert_eq!(s["services_in_use"], 1);
    assert_eq!(s["cases"][0]["total"], 3);
    assert_eq!(s["cases"][0]["by_status"]["registered"], 2);
    assert_eq!(s["cases"][0]["by_status"]["decided"], 1);
    assert_eq!(s["processing"][0]["decided"], 1);
    assert_eq!(s["processing"][0]["median_days"], 0.0);
    assert_eq!(s["late_share"], 0.0);
    assert_eq!(s["submissions_per_month"][0]["count"], 3);
    assert_eq!(
        s["submissions_per_month"][0]["month"]
            .as_str()
            .unwrap()
            .len(),
        7
    );
    // the same figures as a page: charts with their data tables
    let page = app.get("/urzad/statystyki", &boss).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.text());
    let html = page.text();
    assert!(html.contains("<svg") && html.contains("role=\"img\""));
    assert!(html.contains("Dane wykresu: wnioski w miesiącach"));
    let service = &app
        .state
        .catalogue
        .get("informacja-publiczna")
        .unwrap()
        .def
        .title
        .pl;
    assert!(
        html.contains(service.as_str()),
        "the service is named in the table"
    );
    // and the history as CSV in the metryka's columns
    let csv = app
        .get(&format!("/api/cases/{}/history.csv", signs[0]), &boss)
        .await;
    assert_eq!(csv.status, StatusCode::OK);
    assert!(
        csv.headers[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    let text = csv.text();
    let rows: Vec<&str> = text.trim_end().split("\r\n").collect();
    assert!(rows[0].contains("Lp.;Imię i nazwisko;Stanowisko"), "{text}");
    assert_eq!(rows.len(), 4, "header, register, take, decide: {text}");
    assert!(rows[3].contains("decide: udostępniono"), "{text}");
    let other = app.staff("clerk-fn", "FN").await;
    assert_eq!(
        app.get(&format!("/api/cases/{}/history.csv", signs[0]), &other)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn decisions_go_out_as_letters_and_a_missing_template_refuses_the_decision() {
    use serde_json::json;
    let app = TestApp::new().await;
    let sign = app.file_request(&anon(), "letter-1").await;
    let clerk = app.staff("kierownik-or", "OR").await;
    app.act(&clerk, &sign, "take", json!({"version": 1})).await;
    // informacja-publiczna defines its letters, but none for leaving a request unconsidered
    let r = app
        .act(
            &clerk,
            &sign,
            "decide",
            json!({"version": 2, "outcome": "left_unconsidered", "reason": "x"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(
        r.text().contains("letters.left_unconsidered"),
        "{}",
        r.text()
    );
    let r = app.act(
        &clerk,
        &sign,
        "decide",
        json!({"version": 2, "outcome": "refused", "reason": "Informacja przetworzona bez interesu publicznego."}),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let case = app.get(&format!("/api/cases/{sign}"), &clerk).await.json();
    let last = case["history"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["detail"]["document"]["title"], "DECYZJA");
    let doc = last["document_id"].as_str().unwrap();
    let pdf = app
        .get(&format!("/api/cases/{sign}/documents/{doc}"), &clerk)
        .await;
    assert_eq!(pdf.status, StatusCode::OK, "{}", pdf.text());
    assert!(pdf.body.starts_with(b"%PDF-"));
    let other = app.staff("clerk-fn", "FN").await;
    assert_eq!(
        app.get(&format!("/api/cases/{sign}/documents/{doc}"), &other)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn every_staff_route_of_another_units_case_is_404() {
    let app = TestApp::new().await;
    let sign = app.file_request(&anon(), "cross-1").await;
    let own = app.staff("kierownik-or", "OR").await;
    let other = app.staff("kierownik-fn", "FN").await;
    let gets = [
        format!("/api/cases/{sign}"),
        format!("/api/cases/{sign}/history"),
        format!("/api/cases/{sign}/history.csv"),
        format!("/api/cases/{sign}/history.pdf"),
        format!("/api/cases/{sign}/documents/00000000-0000-0000-0000-000000000000"),
        format!("/urzad/sprawy/{sign}"),
    ];
    for uri in &gets {
        assert_eq!(
            app.get(uri, &other).await.status,
            StatusCode::NOT_FOUND,
            "{uri}"
        );
    }
    for (uri, status) in gets.iter().zip([200, 200, 200, 200, 404, 200]) {
        assert_eq!(app.get(uri, &own).await.status.as_u16(), status, "{uri}");
    }
    let pdf = app
        .get(&format!("/api/cases/{sign}/history.pdf"), &own)
        .await;
    assert!(pdf.body.starts_with(b"%PDF-"));
    for action in ["take", "note", "decide"] {
        let api = app
            .act(
                &other,
                &sign,
                action,
                serde_json::json!({"version": 1, "note": "x"}),
            )
            .await;
        assert_eq!(api.status, StatusCode::NOT_FOUND, "api {action}");
        let page = app
            .send(
                Request::post(format!("/urzad/sprawy/{sign}/{action}"))
                    .header(header::COOKIE, &other)
                    .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                    .header("sec-fetch-site", "same-origin")
                    .body(Body::from("version=1&note=x"))
                    .unwrap(),
            )
            .await;
        assert_eq!(page.status, StatusCode::NOT_FOUND, "page {action}");
    }
    // and the other unit's queue does not list it
    let q = app.get("/api/cases", &other).await.json();
    assert!(q["items"].as_array().unwrap().is_empty());
}

#[tokio::test]
async fn a_petition_extends_by_at_most_three_months_with_a_delay_notice() {
    use okienko::domain::level::IdentityLevel;
    use serde_json::json;
    let app = TestApp::new().await;
    let me = app.resident(IdentityLevel::Low).await;
    let data = app
        .state
        .catalogue
        .get("petycja")
        .unwrap()
        .def
        .examples
        .valid[0]
        .data
        .clone();
    let filed = app
        .post_json(
            "/api/services/petycja/submissions",
            &me,
            Some("petition-1"),
            &json!({ "data": data }).to_string(),
        )
        .await;
    assert_eq!(filed.status, StatusCode::CREATED, "{}", filed.text());
    let reg = filed.json()["receipt"]["claims"]["registration"].clone();
    let sign = reg["case_sign"].as_str().unwrap().to_owned();
    assert!(sign.starts_with("OR.1510."), "{sign}");
    let due = okienko::forms::expr::parse_date(reg["due_on"].as_str().unwrap()).unwrap();
    let boss = app.staff("kierownik-or", "OR").await;
    app.act(&boss, &sign, "take", json!({"version": 1})).await;
    // four months past the due date is beyond the three-month cap
    let far = okienko::domain::term::add_months(due, 4).unwrap();
    let r = app
        .act(
            &boss,
            &sign,
            "extend",
            json!({"version": 2, "due_on": far.to_string(), "reason": "opinia"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.text());
    assert!(
        r.text()
            .contains("jeden raz, najwyżej o 3 miesiące (u.p.p. art. 10 ust. 2)"),
        "{}",
        r.text()
    );
    let near = okienko::domain::term::add_months(due, 2).unwrap();
    let r = app
        .act(
            &boss,
            &sign,
            "extend",
            json!({"version": 2, "due_on": near.to_string(), "reason": "potrzebna opinia komisji"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    // the notice went out as a letter the resident sees on the case page
    let case = app.get(&format!("/api/cases/{sign}"), &boss).await.json();
    let last = case["history"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(
        last["detail"]["document"]["title"],
        "ZAWIADOMIENIE O PRZEDŁUŻENIU TERMINU ROZPATRZENIA PETYCJI"
    );
    // once only (art. 10 ust. 2)
    let again = okienko::domain::term::add_months(due, 3).unwrap();
    let r = app
        .act(
            &boss,
            &sign,
            "extend",
            json!({"version": 3, "due_on": again.to_string(), "reason": "znowu"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text());
    assert!(r.text().contains("tylko raz"), "{}", r.text());
    let page = app.get(&format!("/moje-sprawy/{sign}"), &me).await.text();
    assert!(
        page.contains("potrzebna opinia komisji") && page.contains("Pismo (PDF)"),
        "{page}"
    );
    let staff_page = app
        .get(&format!("/urzad/sprawy/{sign}"), &boss)
        .await
        .text();
    assert!(
        staff_page.contains("Pisma w sprawie") && staff_page.contains("Potwierdzenie złożenia")
    );
}

/// KPA art. 35 § 5 and art. 57 § 4: the days waited for the applicant are added to the
/// term's own end, and the move off a day off is made once, at the end. A one-month term
/// from 31.01.2026 ends on Saturday 28.02 (due Monday 2.03); three days waited make it end
/// Tuesday 3.03, a working day: due 3.03, not 2.03 + 3 = 5.03.
#[tokio::test]
async fn kpa_art_35_5_days_waiting_for_the_applicant_are_added_before_the_weekend_move() {
    use sea_orm::ConnectionTrait;
    use serde_json::json;
    let app = TestApp::new().await;
    let sign = app.file_request(&anon(), "pause-1").await;
    let boss = app.staff("kierownik-or", "OR").await;
    app.act(&boss, &sign, "take", json!({"version": 1})).await;
    let r = app
        .act(
            &boss,
            &sign,
            "call_to_supplement",
            json!({"version": 2, "term": "P7D", "items": ["podpis"]}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    // the case as if filed on 31.01.2026 with a one-month term, the call out three days ago
    let today = okienko::domain::clock::in_poland(time::OffsetDateTime::now_utc()).date();
    let since = today - time::Duration::days(3);
    app.state
        .db
        .execute_unprepared(&format!(
            "UPDATE case_file SET term = 'P1M', started_on = '2026-01-31', term_end = '2026-02-28', \
             due_on = '2026-03-02', paused_since = '{since}' WHERE sign = '{sign}'"
        ))
        .await
        .unwrap();
    let r = app
        .act(&boss, &sign, "supplemented", json!({"version": 3}))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(r.json()["due_on"], "2026-03-03");
    assert_eq!(r.json()["paused_days"], 3);
}

/// u.p.p. art. 7 ust. 2 and art. 10 ust. 1, KPA art. 64 § 2: a petition is called to be
/// completed for exactly 14 days; it is left without consideration only once that term,
/// counted from the call's delivery, has passed; a completed petition's 3 months run again
/// from the day of completion; and its answer is a notification, never a decision.
#[tokio::test]
async fn upp_art_7_a_petition_call_runs_14_days_from_delivery() {
    use okienko::domain::level::IdentityLevel;
    use sea_orm::ConnectionTrait;
    use serde_json::json;
    let app = TestApp::new().await;
    let me = app.resident(IdentityLevel::Low).await;
    let sign = app
        .file_example(&me, "petycja", "petition-call", |_| ())
        .await;
    let boss = app.staff("kierownik-or", "OR").await;
    app.act(&boss, &sign, "take", json!({"version": 1})).await;
    let call =
        |term: &str| json!({"version": 2, "term": term, "items": ["adres do korespondencji"]});
    let r = app
        .act(&boss, &sign, "call_to_supplement", call("P7D"))
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.text());
    assert!(r.text().contains("art. 7 ust. 2"), "{}", r.text());
    let r = app
        .act(&boss, &sign, "call_to_supplement", call("P14D"))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let today = okienko::domain::clock::in_poland(time::OffsetDateTime::now_utc()).date();
    let pl = |d: time::Date| format!("{:02}.{:02}.{}", d.day(), d.month() as u8, d.year());
    // not delivered yet: refused, naming the deemed delivery and the first possible day
    let leave = |extra: serde_json::Value| {
        let mut body =
            json!({"version": 3, "outcome": "left_unconsidered", "reason": "brak adresu"});
        for (k, v) in extra.as_object().unwrap() {
            body[k] = v.clone();
        }
        body
    };
    let r = app.act(&boss, &sign, "decide", leave(json!({}))).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text());
    let deemed = today + time::Duration::days(15);
    assert!(r.text().contains(&pl(deemed)), "{}", r.text());
    // delivered on paper today: the term runs to today + 14 days (a working day)
    let r = app
        .act(
            &boss,
            &sign,
            "decide",
            leave(json!({"call_delivered_on": today.to_string()})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text());
    let answer_by =
        okienko::domain::term::due_date(okienko::domain::term::Term::Days(14), today, &[], true)
            .unwrap();
    assert!(r.text().contains(&pl(answer_by)), "{}", r.text());
    // a date in the future is not a delivery
    let r = app
        .act(
            &boss,
            &sign,
            "decide",
            leave(json!({"call_delivered_on": (today + time::Duration::days(1)).to_string()})),
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.text());
    // completed today: the 3 months start again from today (art. 10 ust. 1)
    let r = app
        .act(&boss, &sign, "supplemented", json!({"version": 3}))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let due =
        okienko::domain::term::due_date(okienko::domain::term::Term::Months(3), today, &[], true)
            .unwrap();
    assert_eq!(r.json()["due_on"], due.to_string());
    // filed 20 days before its completion: the extension (art. 10 ust. 2, at most 3 more
    // months) counts from the restarted term's end, not from filing plus the days waited
    app.state
        .db
        .execute_unprepared(&format!(
            "UPDATE case_file SET started_on = '{}' WHERE sign = '{sign}'",
            today - time::Duration::days(20)
        ))
        .await
        .unwrap();
    let restarted_end = okienko::domain::term::add_months(today, 3).unwrap();
    let last = okienko::domain::term::add_months(restarted_end, 3).unwrap();
    let r = app
        .act(
            &boss,
            &sign,
            "extend",
            json!({"version": 4, "due_on": last.to_string(), "reason": "opinia komisji rady"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    // a petition is not discontinued; its answer is a notification without appeal
    let r = app
        .act(
            &boss,
            &sign,
            "decide",
            json!({"version": 5, "outcome": "discontinued", "reason": "x"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text());
    let r = app
        .act(
            &boss,
            &sign,
            "decide",
            json!({"version": 5, "outcome": "granted", "reason": "Rada podjęła uchwałę."}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let case = app.get(&format!("/api/cases/{sign}"), &boss).await.json();
    let last = case["history"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(
        last["detail"]["document"]["title"],
        "ZAWIADOMIENIE O SPOSOBIE ZAŁATWIENIA PETYCJI"
    );
}

/// KPA art. 64 § 2: after the call's term, counted from a delivery 20 days ago, has passed,
/// the submission may be left unconsidered.
#[tokio::test]
async fn kpa_art_64_2_left_unconsidered_once_the_term_from_delivery_has_passed() {
    use okienko::domain::level::IdentityLevel;
    use serde_json::json;
    let app = TestApp::new().await;
    let me = app.resident(IdentityLevel::Low).await;
    let sign = app
        .file_example(&me, "petycja", "petition-left", |_| ())
        .await;
    let boss = app.staff("kierownik-or", "OR").await;
    app.act(&boss, &sign, "take", json!({"version": 1})).await;
    let r = app
        .act(
            &boss,
            &sign,
            "call_to_supplement",
            json!({"version": 2, "term": "P14D", "items": ["podpis"]}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let today = okienko::domain::clock::in_poland(time::OffsetDateTime::now_utc()).date();
    let long_ago = today - time::Duration::days(20);
    let r = app.act(
        &boss,
        &sign,
        "decide",
        json!({"version": 3, "outcome": "left_unconsidered", "reason": "brak adresu", "call_delivered_on": long_ago.to_string()}),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(r.json()["outcome"], "left_unconsidered");
}

/// UDIP art. 13 ust. 2 and art. 15 ust. 2: public information is extended to 2 months from
/// the request at most; a fee is notified within 14 days, and the information is provided
/// only 14 days after the notice is delivered.
#[tokio::test]
async fn udip_art_13_15_extension_cap_and_fee_notice() {
    use serde_json::json;
    let app = TestApp::new().await;
    let sign = app.file_request(&anon(), "udip-1").await;
    let clerk = app.staff("kierownik-or", "OR").await;
    app.act(&clerk, &sign, "take", json!({"version": 1})).await;
    let today = okienko::domain::clock::in_poland(time::OffsetDateTime::now_utc()).date();
    let three_months = okienko::domain::term::add_months(today, 3).unwrap();
    let r = app
        .act(
            &clerk,
            &sign,
            "extend",
            json!({"version": 2, "due_on": three_months.to_string(), "reason": "duży zakres"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.text());
    assert!(r.text().contains("UDIP art. 13 ust. 2"), "{}", r.text());
    let page = app
        .get(&format!("/urzad/sprawy/{sign}"), &clerk)
        .await
        .text();
    assert!(
        page.contains("Powiadom o opłacie (art. 15 ust. 2 UDIP)"),
        "{page}"
    );
    let r = app
        .act(
            &clerk,
            &sign,
            "fee_notice",
            json!({"version": 2, "fee": "-3"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.text());
    let r = app
        .act(
            &clerk,
            &sign,
            "fee_notice",
            json!({"version": 2, "fee": "25,50"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let case = app.get(&format!("/api/cases/{sign}"), &clerk).await.json();
    let last = case["history"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["detail"]["fee"], "25,50 zł");
    assert_eq!(
        last["detail"]["document"]["title"],
        "POWIADOMIENIE O OPŁACIE ZA UDOSTĘPNIENIE INFORMACJI"
    );
    // the information waits 14 days after the notice's delivery
    let r = app
        .act(
            &clerk,
            &sign,
            "decide",
            json!({"version": 3, "outcome": "granted", "reason": "x"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text());
    assert!(r.text().contains("art. 15 ust. 2"), "{}", r.text());
}

/// KPA art. 97–98 and art. 35 § 5: suspended proceedings are a state with their own clock;
/// the days suspended are added to the term's own end when they resume, each step goes out
/// as a postanowienie, and a suspension at the party's request notes the day it lapses
/// (art. 98 § 2: 3 years). Petitions are not suspended.
#[tokio::test]
async fn kpa_art_97_suspension_stops_the_clock_and_resumes_it() {
    use sea_orm::ConnectionTrait;
    use serde_json::json;
    let app = TestApp::new().await;
    let me = app
        .resident(okienko::domain::level::IdentityLevel::Substantial)
        .await;
    // a case of an administrative service (registration of residence, KPA proceedings)
    let sign = app.file_request(&anon(), "suspend-1").await;
    app.state
        .db
        .execute_unprepared(&format!(
            "UPDATE case_file SET service_id = 'zameldowanie' WHERE sign = '{sign}'"
        ))
        .await
        .unwrap();
    let boss = app.staff("kierownik-or", "OR").await;
    app.act(&boss, &sign, "take", json!({"version": 1})).await;
    let r = app
        .act(
            &boss,
            &sign,
            "suspend",
            json!({"version": 2, "reason": "wniosek strony", "ground": "art99"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.text());
    let r = app
        .act(
            &boss,
            &sign,
            "suspend",
            json!({"version": 2, "reason": "wniosek strony", "ground": "art98"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(r.json()["status"], "suspended");
    let today = okienko::domain::clock::in_poland(time::OffsetDateTime::now_utc()).date();
    let case = app.get(&format!("/api/cases/{sign}"), &boss).await.json();
    let last = case["history"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(
        last["detail"]["document"]["title"],
        "POSTANOWIENIE O ZAWIESZENIU POSTĘPOWANIA"
    );
    let lapse = okienko::domain::term::add_months(today, 36).unwrap();
    assert_eq!(last["detail"]["lapses_on"], lapse.to_string());
    // a decision waits for the proceedings to resume
    let r = app
        .act(
            &boss,
            &sign,
            "decide",
            json!({"version": 3, "outcome": "granted", "reason": "x"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text());
    // suspended on Friday 27.02.2026 with the term ending Saturday 28.02; resumed 10 days
    // later: the term's own end moves to Tuesday 10.03, a working day
    let since = today - time::Duration::days(10);
    app.state
        .db
        .execute_unprepared(&format!(
            "UPDATE case_file SET term_end = '2026-02-28', due_on = '2026-03-02', paused_since = '{since}' WHERE sign = '{sign}'"
        ))
        .await
        .unwrap();
    let r = app
        .act(
            &boss,
            &sign,
            "resume",
            json!({"version": 3, "reason": "strona wniosła o podjęcie"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(r.json()["status"], "in_progress");
    assert_eq!(r.json()["due_on"], "2026-03-10");
    // petitions are not suspended
    let petition = app.file_example(&me, "petycja", "suspend-2", |_| ()).await;
    let or = app.staff("kierownik-or", "OR").await;
    app.act(&or, &petition, "take", json!({"version": 1})).await;
    let r = app
        .act(
            &or,
            &petition,
            "suspend",
            json!({"version": 2, "reason": "x", "ground": "art98"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text());
    assert!(r.text().contains("KPA art. 97"), "{}", r.text());
}

/// Ustawa o bezpieczeństwie imprez masowych art. 29 ust. 1: a mass event's permit is issued
/// at least 7 days before the event, so days waited for the organiser (art. 35 § 5 KPA)
/// push the due date on only up to that day, and no extension goes past it.
#[tokio::test]
async fn art_29_pauses_and_extensions_stop_7_days_before_the_mass_event() {
    use sea_orm::ConnectionTrait;
    use serde_json::json;
    let app = TestApp::new().await;
    let sign = app.file_request(&anon(), "mass-event-cap").await;
    let today = okienko::domain::clock::in_poland(time::OffsetDateTime::now_utc()).date();
    let event = today + time::Duration::days(20);
    // the case of a mass event on `event`
    for sql in [
        format!("UPDATE case_file SET service_id = 'impreza-masowa' WHERE sign = '{sign}'"),
        format!(
            "UPDATE submission SET data = '{{\"event_date\":\"{event}\"}}' WHERE id = (SELECT submission_id FROM case_file WHERE sign = '{sign}')"
        ),
    ] {
        app.state.db.execute_unprepared(&sql).await.unwrap();
    }
    let cap =
        okienko::domain::holidays::previous_working_day(event - time::Duration::days(7), true);
    let boss = app.staff("kierownik-or", "OR").await;
    app.act(&boss, &sign, "take", json!({"version": 1})).await;
    let r = app
        .act(
            &boss,
            &sign,
            "call_to_supplement",
            json!({"version": 2, "term": "P7D", "items": ["plan obiektu"]}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    // the organiser took 30 days: the due date stops at the cap
    let since = today - time::Duration::days(30);
    app.state
        .db
        .execute_unprepared(&format!(
            "UPDATE case_file SET paused_since = '{since}' WHERE sign = '{sign}'"
        ))
        .await
        .unwrap();
    let r = app
        .act(&boss, &sign, "supplemented", json!({"version": 3}))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(r.json()["due_on"], cap.to_string());
    let r = app.act(
        &boss,
        &sign,
        "extend",
        json!({"version": 4, "due_on": (event - time::Duration::days(2)).to_string(), "reason": "opinia policji"}),
    )
    .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.text());
    assert!(r.text().contains("art. 29"), "{}", r.text());
}
