//! Payments through the routes (issue 21 §2, §3) on SQLite and PostgreSQL, against the
//! Przelewy24 emulator (`scripts/p24_emulator.py`, its own process per test): a fee opened
//! by filing holds the certificate until paid (KPA art. 261 § 1); the resident pays from
//! `/platnosci`; the emulator's notification reaches `/api/payments/p24/notification` over
//! HTTP. What really happens: the tab closed after paying, the notification twice or
//! before the return, the provider down, another amount, a forged or oversized body, and
//! a debt never paid twice. The clerks' statement upload, queue, manual match and report.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use okienko::db::payments::{self as db, Debt};
use okienko::domain::level::IdentityLevel;
use serde_json::{Value, json};

use crate::helpers::{Resp, TestApp};
use crate::payments::{Emulator, PREFIX, control, emulator, mt940};

async fn app_with(em: &Emulator) -> TestApp {
    let url = em.url.clone();
    TestApp::with(move |s| {
        s.payments.virtual_prefix = Some(PREFIX.into());
        s.payments.recipient = "Gmina Ostróda".into();
        s.payments.przelewy24 = Some(okienko::config::Przelewy24 {
            base_url: url,
            merchant_id: 123_456,
            pos_id: 123_456,
            crc: "test-crc".into(),
            api_key: "test-key".into(),
        });
    })
    .await
}

/// The fee debts of the case `sign`.
async fn fees(app: &TestApp, sign: &str) -> Vec<Debt> {
    let c = okienko::db::cases::by_sign(&app.state.db, sign)
        .await
        .unwrap()
        .unwrap();
    db::open_for_case(&app.state.db, &c.id).await.unwrap()
}

/// Files a certificate request for 17 zł of stamp duty; its sign and fee.
async fn certificate(app: &TestApp, me: &str, key: &str) -> (String, Debt) {
    let sign = app
        .file_example(me, "zaswiadczenie-o-niezaleganiu", key, |_| ())
        .await;
    let mut f = fees(app, &sign).await;
    assert_eq!(f.len(), 1, "one fee debt for the case");
    (sign, f.remove(0))
}

/// Presses "Zapłać online": the provider's token and the session id.
async fn start(app: &TestApp, em: &Emulator, me: &str, debt: &Debt) -> (String, String) {
    let r = app
        .post_form(&format!("/platnosci/{}/zaplac", debt.id), me, "")
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let to = location(&r);
    assert!(to.starts_with(&format!("{}/trnRequest/", em.url)), "{to}");
    let token = to.rsplit('/').next().unwrap().to_owned();
    let sent: Value = control(&format!("{}/emulator/transactions", em.url), false)
        .await
        .json()
        .await
        .unwrap();
    let session = sent
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["token"] == token.as_str())
        .unwrap()["sessionId"]
        .as_str()
        .unwrap()
        .to_owned();
    (token, session)
}

fn location(r: &Resp) -> String {
    r.headers
        .get(header::LOCATION)
        .and_then(|l| l.to_str().ok())
        .unwrap_or_default()
        .to_owned()
}

async fn debt_now(app: &TestApp, id: &str) -> Debt {
    db::debt(&app.state.db, id).await.unwrap().unwrap()
}

async fn payments_of(app: &TestApp, debt: &str) -> i64 {
    use sea_orm::{ConnectionTrait, Statement};
    let backend = app.state.db.get_database_backend();
    let sql = match backend {
        sea_orm::DatabaseBackend::Postgres => {
            "SELECT COUNT(*) AS n FROM payment_match WHERE debt_id = $1"
        }
        _ => "SELECT COUNT(*) AS n FROM payment_match WHERE debt_id = ?",
    };
    let row = app
        .state
        .db
        .query_one_raw(Statement::from_sql_and_values(backend, sql, [debt.into()]))
        .await
        .unwrap()
        .unwrap();
    row.try_get::<i64>("", "n").unwrap()
}

#[tokio::test]
async fn kpa_art_261_a_fee_holds_the_certificate_until_paid_online_with_the_tab_closed() {
    let em = emulator().await;
    let app = app_with(&em).await;
    let me = app.resident(IdentityLevel::Substantial).await;
    let other = app.resident_with_pesel("85071503827").await;
    let clerk = app.staff("urzednik-fn", "FN").await;
    let (sign, fee) = certificate(&app, &me, "z-1").await;
    assert_eq!(
        (fee.amount, fee.paid, fee.status.as_str()),
        (1_700, 0, "open")
    );
    // an exempt purpose opens no debt
    let free = app
        .file_example(&me, "zaswiadczenie-o-figurowaniu", "z-2", |d| {
            d["purpose"] = json!("social_assistance");
        })
        .await;
    assert!(fees(&app, &free).await.is_empty());

    // the clerk sees the case waiting for its fee, on the case and in the list
    let page = app
        .get(&format!("/urzad/sprawy/{sign}"), &clerk)
        .await
        .text();
    assert!(
        page.contains("oczekuje na opłatę") && page.contains("17,00 zł"),
        "{page}"
    );
    let page = app
        .get(&format!("/urzad/sprawy/{free}"), &clerk)
        .await
        .text();
    assert!(!page.contains("oczekuje na opłatę"), "{page}");
    let queue = app.get("/urzad", &clerk).await.text();
    assert_eq!(queue.matches("oczekuje na opłatę").count(), 1, "{queue}");
    // and cannot issue the certificate before it is paid; the exempt one is issued
    for s in [&sign, &free] {
        let r = app.act(&clerk, s, "take", json!({"version": 1})).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    }
    let decide = json!({"version": 2, "outcome": "granted", "reason": "dane z ewidencji"});
    let r = app.act(&clerk, &sign, "decide", decide.clone()).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text());
    assert!(r.text().contains("oczekuje na opłatę"), "{}", r.text());
    let r = app.act(&clerk, &free, "decide", decide.clone()).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());

    // the resident's own case says what it waits for, and where to pay
    let page = app.get(&format!("/moje-sprawy/{sign}"), &me).await.text();
    assert!(
        page.contains("oczekuje na opłatę")
            && page.contains("17,00 zł")
            && page.contains("/platnosci"),
        "{page}"
    );
    let page = app.get(&format!("/moje-sprawy/{free}"), &me).await.text();
    assert!(!page.contains("oczekuje na opłatę"), "{page}");
    // the resident's page: the amount, the transfer data, the 2D code, the pay button
    let page = app.get("/platnosci", &me).await;
    assert_eq!(page.status, StatusCode::OK);
    let page = page.text();
    let account = okienko::domain::payment::Nrb::parse(&fee.account)
        .unwrap()
        .to_string();
    for want in [
        "17,00 zł",
        "Zapłać online",
        "src=\"data:image",
        account.as_str(),
        fee.title.as_str(),
    ] {
        assert!(page.contains(want), "{want} in {page}");
    }
    // another resident sees nothing of it and cannot pay it
    assert!(
        !app.get("/platnosci", &other)
            .await
            .text()
            .contains(&fee.title)
    );
    let r = app
        .post_form(&format!("/platnosci/{}/zaplac", fee.id), &other, "")
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = app
        .post_json(&format!("/api/payments/{}/pay", fee.id), &other, None, "")
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);

    let (token, session) = start(&app, &em, &me, &fee).await;
    let back = format!("/platnosci/powrot/{session}");
    // before paying: pending, honestly
    let page = app.get(&back, &me).await.text();
    assert!(page.contains("data-state=\"pending\""), "{page}");
    assert_eq!(app.get(&back, &other).await.status, StatusCode::NOT_FOUND);
    // the resident pays on the provider's page and closes the tab: the return is never
    // opened, the notification alone settles the debt
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let paid = http
        .post(format!("{}/trnRequest/{token}/pay", em.url))
        .send()
        .await
        .unwrap();
    assert_eq!(paid.status(), 303);
    let d = debt_now(&app, &fee.id).await;
    assert_eq!((d.paid, d.status.as_str()), (1_700, "paid"));
    let page = app
        .get(&format!("/urzad/sprawy/{sign}"), &clerk)
        .await
        .text();
    assert!(!page.contains("oczekuje na opłatę"), "{page}");
    // the certificate is issued now
    let r = app.act(&clerk, &sign, "decide", decide).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    // coming back later shows it paid, as does the API
    let page = app.get(&back, &me).await.text();
    assert!(
        page.contains("data-state=\"paid\"") && page.contains("Zapłacono"),
        "{page}"
    );
    let api = app
        .get(&format!("/api/payments/sessions/{session}"), &me)
        .await;
    assert_eq!(api.status, StatusCode::OK, "{}", api.text());
    assert_eq!(api.json()["state"], "paid");
    assert_eq!(api.json()["debt"]["owed"], 0);
    assert_eq!(
        app.get(&format!("/api/payments/sessions/{session}"), &other)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    // the provider's retries (twice more) change nothing; the debt is never paid twice
    let again: Value = control(&format!("{}/emulator/notify/{token}?times=2", em.url), true)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(again["statuses"], json!([200, 200]));
    assert_eq!(debt_now(&app, &fee.id).await.paid, 1_700);
    assert_eq!(payments_of(&app, &fee.id).await, 1);
    let r = app
        .post_form(&format!("/platnosci/{}/zaplac", fee.id), &me, "")
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(r.text().contains("już zapłacona"), "{}", r.text());
    let list = app.get("/api/payments", &me).await.json();
    assert_eq!(list["items"][0]["status"], "paid", "{list}");
}

#[tokio::test]
async fn a_notification_before_the_return_another_amount_a_forgery_and_the_provider_down() {
    let em = emulator().await;
    let app = app_with(&em).await;
    let me = app.resident(IdentityLevel::Substantial).await;
    let (_, first) = certificate(&app, &me, "z-1").await;
    let (_, second) = certificate(&app, &me, "z-2").await;

    // the notification arrives before the resident is back: the return page finds it paid
    let (token, session) = start(&app, &em, &me, &first).await;
    let sent: Value = control(&format!("{}/emulator/notify/{token}", em.url), true)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(sent["statuses"], json!([200]));
    let page = app
        .get(&format!("/platnosci/powrot/{session}"), &me)
        .await
        .text();
    assert!(page.contains("data-state=\"paid\""), "{page}");
    // the same fee paid again by transfer: recorded as it is, an overpayment the resident
    // is offered to set against future tax or to have returned
    let again = mt940(
        "261204",
        &[("17,00", "B-again", &first.account, "051~20Opłata skarbowa")],
    );
    okienko::payments::import::import(&app.state.db, again.as_bytes(), "test")
        .await
        .unwrap();
    assert_eq!(debt_now(&app, &first.id).await.status, "overpaid");
    let list = app.get("/platnosci", &me).await.text();
    assert!(
        list.contains("<strong>17,00 zł</strong> więcej")
            && list.contains("/uslugi/nadplata-zaliczenie")
            && list.contains("/uslugi/nadplata-zwrot"),
        "{list}"
    );

    // another amount than registered: acknowledged, flagged, not settled
    let (token, session) = start(&app, &em, &me, &second).await;
    let body = control(
        &format!("{}/emulator/notification/{token}?amount=100", em.url),
        false,
    )
    .await
    .bytes()
    .await
    .unwrap();
    let notify = |body: Vec<u8>| {
        app.send(
            Request::post("/api/payments/p24/notification")
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(body))
                .unwrap(),
        )
    };
    assert_eq!(notify(body.to_vec()).await.status, StatusCode::OK);
    let page = app
        .get(&format!("/platnosci/powrot/{session}"), &me)
        .await
        .text();
    assert!(page.contains("data-state=\"mismatch\""), "{page}");
    let d = debt_now(&app, &second.id).await;
    assert_eq!((d.paid, d.status.as_str()), (0, "open"));
    // a forged one (the amount changed, the signature not): 400, nothing settled
    let mut forged: Value = serde_json::from_slice(&body).unwrap();
    forged["amount"] = 1_700.into();
    forged["sessionId"] = session.clone().into();
    let r = notify(serde_json::to_vec(&forged).unwrap()).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.text());
    // not a notification at all, and an oversized body
    assert_eq!(
        notify(b"not json".to_vec()).await.status,
        StatusCode::BAD_REQUEST
    );
    assert_eq!(
        notify(vec![b' '; 17 * 1024]).await.status,
        StatusCode::PAYLOAD_TOO_LARGE
    );
    assert_eq!(debt_now(&app, &second.id).await.paid, 0);

    // the provider is down: a clear Polish message, nothing recorded as paid
    control(&format!("{}/emulator/down", em.url), true).await;
    let r = app
        .post_form(&format!("/platnosci/{}/zaplac", second.id), &me, "")
        .await;
    assert_eq!(r.status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(r.text().contains("chwilowo niedostępny"), "{}", r.text());
    let r = app
        .post_json(&format!("/api/payments/{}/pay", second.id), &me, None, "")
        .await;
    assert_eq!(r.status, StatusCode::SERVICE_UNAVAILABLE, "{}", r.text());
    let d = debt_now(&app, &second.id).await;
    assert_eq!((d.paid, d.status.as_str()), (0, "open"));
    // back up: paying works again
    control(&format!("{}/emulator/up", em.url), true).await;
    let r = app
        .post_json(&format!("/api/payments/{}/pay", second.id), &me, None, "")
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert!(
        r.json()["redirect"]
            .as_str()
            .unwrap()
            .contains("/trnRequest/")
    );
}

fn multipart(name: &str, file: &[u8]) -> Vec<u8> {
    let mut body = Vec::new();
    body.extend_from_slice(
        format!("--XX\r\nContent-Disposition: form-data; name=\"plik\"; filename=\"{name}\"\r\nContent-Type: text/plain\r\n\r\n").as_bytes(),
    );
    body.extend_from_slice(file);
    body.extend_from_slice(b"\r\n--XX--\r\n");
    body
}

async fn upload(app: &TestApp, cookie: &str, body: Vec<u8>) -> Resp {
    app.send(
        Request::post("/urzad/platnosci/wyciag")
            .header(header::CONTENT_TYPE, "multipart/form-data; boundary=XX")
            .header(header::COOKIE, cookie)
            .header("sec-fetch-site", "same-origin")
            .body(Body::from(body))
            .unwrap(),
    )
    .await
}

#[tokio::test]
async fn a_clerk_uploads_a_statement_matches_the_rest_by_hand_and_reads_the_day() {
    let em = emulator().await;
    let app = app_with(&em).await;
    let me = app.resident(IdentityLevel::Substantial).await;
    let clerk = app.staff("urzednik-fn", "FN").await;
    let (_, by_account) = certificate(&app, &me, "z-1").await;
    let (_, by_hand) = certificate(&app, &me, "z-2").await;
    let statement = mt940(
        "261201",
        &[
            (
                "17,00",
                "B1",
                &by_account.account,
                "051~20Opłata~32Jan Kowalski",
            ),
            ("17,00", "B2", "", "051~20Zaświadczenie~32Jan Kowalski"),
        ],
    );
    // residents may not
    let r = upload(&app, &me, multipart("wyciag.sta", statement.as_bytes())).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = upload(&app, &clerk, multipart("wyciag.sta", b"")).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = upload(&app, &clerk, multipart("wyciag.sta", b"nie wyciag")).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    let r = upload(&app, &clerk, multipart("wyciag.sta", statement.as_bytes())).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert!(r.text().contains("Wczytano wyciąg"), "{}", r.text());
    let r = upload(&app, &clerk, multipart("wyciag.sta", statement.as_bytes())).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert_eq!(debt_now(&app, &by_account.id).await.status, "paid");

    // the queue: the other line, with the open debt of its amount suggested
    let queue = app.get("/urzad/platnosci", &clerk).await;
    assert_eq!(queue.status, StatusCode::OK);
    let queue = queue.text();
    assert!(queue.contains("Zaświadczenie"), "{queue}");
    assert!(
        queue.contains(&format!("NAL-{}", by_hand.number)),
        "{queue}"
    );
    assert_eq!(
        app.get("/urzad/platnosci", &me).await.status,
        StatusCode::FORBIDDEN
    );
    let waiting = db::unmatched(&app.state.db, None, 10).await.unwrap();
    assert_eq!(waiting.len(), 1);
    let match_url = format!("/urzad/platnosci/{}/dopasuj", waiting[0].id);
    let r = app.post_form(&match_url, &clerk, "numer=NAL-1").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().contains("nie ma należności"), "{}", r.text());
    let r = app
        .post_form(&match_url, &clerk, &format!("numer=NAL-{}", by_hand.number))
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let d = debt_now(&app, &by_hand.id).await;
    assert_eq!((d.paid, d.status.as_str()), (1_700, "paid"));
    // matched once, by whom
    let r = app
        .post_form(&match_url, &clerk, &format!("numer=NAL-{}", by_hand.number))
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    {
        use sea_orm::{ConnectionTrait, Statement};
        let backend = app.state.db.get_database_backend();
        let row = app
            .state
            .db
            .query_one_raw(Statement::from_string(
                backend,
                "SELECT matched_by, rule FROM payment_match WHERE rule = 'manual'",
            ))
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            row.try_get::<String>("", "matched_by").unwrap(),
            "staff:urzednik-fn"
        );
    }
    let r = app
        .post_form(
            "/urzad/platnosci/00000000-0000-0000-0000-000000000000/dopasuj",
            &clerk,
            "numer=NAL-1",
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);

    // the day's report, HTML and CSV: two transfers of 17 zł, both matched
    let page = app
        .get("/urzad/platnosci/raport?dzien=2026-12-01", &clerk)
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.text().contains("17,00 zł"), "{}", page.text());
    let csv = app
        .get("/urzad/platnosci/raport.csv?dzien=2026-12-01", &clerk)
        .await
        .text();
    let lines: Vec<&str> = csv.lines().collect();
    assert!(lines[0].starts_with("day;account;online_count"), "{csv}");
    let total: Vec<(i64, String)> = lines[1..]
        .iter()
        .map(|l| {
            let f: Vec<&str> = l.split(';').collect();
            (f[6].parse().unwrap(), f[8].to_owned())
        })
        .collect();
    assert_eq!(total.iter().map(|t| t.0).sum::<i64>(), 2, "{csv}");
    assert!(total.iter().all(|t| t.1 == "0"), "{csv}");
    assert_eq!(
        app.get("/urzad/platnosci/raport?dzien=wczoraj", &clerk)
            .await
            .status,
        StatusCode::BAD_REQUEST
    );
}
