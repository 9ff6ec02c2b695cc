//! Contract tests of the e-Doręczenia client against a mock of UA API 3.0.8 that validates
//! every request against the OpenAPI document (Stoplight Prism; e2e/contract/run starts it).
//! Skipped unless `OKIENKO_EDORECZENIA_MOCK_URL` names the mock. A request the document does
//! not allow gets 400 from the mock, which the client reports as an error, so every
//! operation that passes here sent what the specification describes; e2e/contract/run also
//! fails on any request violation in the mock's log.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use okienko::config::{Edoreczenia, Secret};
use okienko::edoreczenia::client::{File, INBOX, Outgoing, SENT};
use okienko::edoreczenia::{Client, evidence};

const OFFICE: &str = "AE:PL-30275-59799-JADHJ-27";
const RESIDENT: &str = "AE:PL-20189-46019-DVEJA-29";

fn mock_url() -> Option<String> {
    match std::env::var("OKIENKO_EDORECZENIA_MOCK_URL") {
        Ok(u) if !u.is_empty() => Some(u),
        _ => {
            eprintln!(
                "skipped: OKIENKO_EDORECZENIA_MOCK_URL is not set (e2e/contract/run starts the mock and sets it)"
            );
            None
        }
    }
}

/// A token endpoint on loopback standing in for the authorization server (not part of the
/// UA API document): it wants the client-credentials grant for `okienko-test` with the
/// client's secret, and counts the tokens it gives.
async fn token_endpoint() -> (String, Arc<AtomicUsize>) {
    use axum::routing::post;
    let issued = Arc::new(AtomicUsize::new(0));
    let counter = issued.clone();
    let app = axum::Router::new().route(
        "/oauth2/token",
        post(move |headers: axum::http::HeaderMap, body: String| {
            let counter = counter.clone();
            async move {
                let basic = headers
                    .get("authorization")
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or_default()
                    .to_owned();
                let form: Vec<(String, String)> = url::form_urlencoded::parse(body.as_bytes())
                    .into_owned()
                    .collect();
                let has = |k: &str, v: &str| form.iter().any(|(a, b)| a == k && b == v);
                use base64::Engine;
                let expected = format!(
                    "Basic {}",
                    base64::engine::general_purpose::STANDARD.encode("okienko-test:s3cret")
                );
                if !has("grant_type", "client_credentials")
                    || !has("client_id", "okienko-test")
                    || !has("scope", "read_messages write_messages")
                    || basic != expected
                {
                    return (
                        axum::http::StatusCode::BAD_REQUEST,
                        r#"{"error":"invalid_client"}"#.to_owned(),
                    );
                }
                let n = counter.fetch_add(1, Ordering::SeqCst);
                (
                    axum::http::StatusCode::OK,
                    format!(
                        r#"{{"access_token":"token-{n}","token_type":"Bearer","expires_in":3600}}"#
                    ),
                )
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await });
    (format!("http://{addr}/oauth2/token"), issued)
}

async fn client(mock: &str) -> (Client, Arc<AtomicUsize>) {
    let (token_url, issued) = token_endpoint().await;
    let settings = Edoreczenia {
        base_url: Some(mock.to_owned()),
        token_url: Some(token_url),
        client_id: Some("okienko-test".into()),
        client_secret: Some(Secret::new("s3cret")),
        ..Edoreczenia::default()
    };
    (Client::from_settings(&settings).unwrap().unwrap(), issued)
}

#[tokio::test]
async fn contract_sending_a_letter_with_attachments() {
    let Some(mock) = mock_url() else { return };
    let (c, issued) = client(&mock).await;
    let pdf = b"%PDF-1.7\n% okienko contract test\n";
    let xml = "<?xml version=\"1.0\"?><pismo/>".as_bytes();
    let sent = c
        .send(
            OFFICE,
            &Outgoing {
                to: &[RESIDENT.to_owned()],
                subject: "Decyzja — sprawa USC.5330.1.2026",
                body: "W załączeniu decyzja w sprawie USC.5330.1.2026.",
                case_id: Some("USC.5330.1.2026"),
                thread_id: None,
                ref_to_message_id: None,
                files: &[
                    File {
                        name: "decyzja.pdf",
                        content_type: "application/pdf",
                        bytes: pdf,
                    },
                    File {
                        name: "decyzja.xml",
                        content_type: "application/xml",
                        bytes: xml,
                    },
                ],
            },
        )
        .await
        .unwrap();
    assert!(!sent.message_id.is_empty());
    // one token for the draft, both attachments and the sending
    assert_eq!(issued.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn contract_receiving_messages_and_attachments() {
    let Some(mock) = mock_url() else { return };
    let (c, _) = client(&mock).await;
    for label in [INBOX, SENT] {
        let page = c.messages(OFFICE, label, 0, 50).await.unwrap();
        assert!(page.messages.len() <= 50);
    }
    let m = c.message(OFFICE, "message-1").await.unwrap();
    assert!(m.is_some());
    let a = c
        .attachment(OFFICE, "message-1", "attachment-1")
        .await
        .unwrap();
    assert!(a.file.is_some() || a.attachment_id.is_some());
}

#[tokio::test]
async fn contract_evidences_and_their_meaning() {
    let Some(mock) = mock_url() else { return };
    let (c, _) = client(&mock).await;
    let of_message = c.evidences(OFFICE, "message-1").await.unwrap();
    let new = c.new_evidences(OFFICE).await.unwrap();
    let one = c.evidence(OFFICE, "evidence-1").await.unwrap();
    for e in of_message.iter().chain(&new).chain(one.iter()) {
        // whatever the service returns is a code of the document, so it has a meaning
        let code = evidence::Code::parse(e.kind.as_deref().unwrap_or("A.1")).unwrap();
        assert!(!code.as_str().is_empty());
    }
    let pdf = c
        .evidence_document(OFFICE, false, "evidence-1")
        .await
        .unwrap();
    let paper = c
        .evidence_document(OFFICE, true, "evidence-2")
        .await
        .unwrap();
    assert!(pdf.len() + paper.len() < 1024 * 1024);
}

#[tokio::test]
async fn contract_without_a_token_the_service_refuses() {
    let Some(mock) = mock_url() else { return };
    // the mock enforces the document's security scheme: no bearer token, no answer
    let res = reqwest::Client::new()
        .get(format!("{}/{OFFICE}/messages", mock.trim_end_matches('/')))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), reqwest::StatusCode::UNAUTHORIZED);
}

/// The outbox job a `national` letter becomes: the worker sends the case's letter (its PDF)
/// from the office's address through the service and writes it into the case history.
#[tokio::test]
async fn contract_a_case_letter_goes_out_from_the_worker() {
    use axum::body::Body;
    use axum::http::{Request, StatusCode, header};
    let Some(mock) = mock_url() else { return };
    let (token_url, _) = token_endpoint().await;
    let app = crate::helpers::TestApp::with(|s| {
        s.authority.ade = Some(OFFICE.into());
        s.edoreczenia.base_url = Some(mock.clone());
        s.edoreczenia.token_url = Some(token_url);
        s.edoreczenia.client_id = Some("okienko-test".into());
        s.edoreczenia.client_secret = Some(Secret::new("s3cret"));
    })
    .await;
    let form = |uri: String, cookie: &str, body: &str| {
        Request::post(uri)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::COOKIE, cookie)
            .body(Body::from(body.to_owned()))
            .unwrap()
    };
    let sign = app
        .file_request(&crate::helpers::anon(), "national-letter")
        .await;
    let clerk = app.staff("clerk-or", "OR").await;
    for (action, body) in [
        ("take", "version=1"),
        (
            "decide",
            "version=2&outcome=granted&reason=zgodnie+z+wnioskiem",
        ),
    ] {
        let r = app
            .send(form(format!("/urzad/sprawy/{sign}/{action}"), &clerk, body))
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{action}: {}", r.text());
    }
    let db = &app.state.db;
    let case = okienko::db::cases::by_sign(db, &sign)
        .await
        .unwrap()
        .unwrap();
    let document = okienko::db::cases::documents(db, &case.id)
        .await
        .unwrap()
        .pop()
        .unwrap();
    let job = serde_json::json!({ "case_sign": sign, "document_id": document.id, "to": RESIDENT });
    okienko::edoreczenia::letters::send(&app.state, &job, time::OffsetDateTime::now_utc())
        .await
        .unwrap();
    let history = okienko::db::cases::history(db, &case.id).await.unwrap();
    let sent = history
        .iter()
        .find(|e| e.action == okienko::edoreczenia::letters::NATIONAL_LETTER)
        .expect("the sending is in the case history");
    assert_eq!(sent.document_id.as_deref(), Some(document.id.as_str()));
    // its evidences are polled from the outbox, and the request matches the specification
    let poll = okienko::db::outbox::pending(db)
        .await
        .unwrap()
        .into_iter()
        .find(|j| j.kind == okienko::edoreczenia::polling::POLL)
        .expect("a poll of the letter's evidences is scheduled");
    let payload: serde_json::Value = serde_json::from_str(&poll.payload).unwrap();
    okienko::edoreczenia::polling::poll(&app.state, &payload, time::OffsetDateTime::now_utc())
        .await
        .unwrap();
}

/// u.d.e. art. 42 ust. 2 and KPA art. 64 § 2: the evidences of a call sent through the
/// national service settle its delivery in the case (deemed on the 15th day after arrival
/// when not collected), once; the call's term runs from that day, so the submission may be
/// left unconsidered only after it. A failed delivery is recorded as such.
#[tokio::test]
async fn ude_art_42_national_evidences_start_the_calls_term() {
    use okienko::edoreczenia::evidence::{Deadline, DeliveryState, Outcome};
    use serde_json::json;
    let app = crate::helpers::TestApp::new().await;
    let sign = app
        .file_request(&crate::helpers::anon(), "national-call")
        .await;
    let clerk = app.staff("kierownik-or", "OR").await;
    let act = |action: &'static str, body: serde_json::Value| app.act(&clerk, &sign, action, body);
    act("take", json!({"version": 1})).await;
    let r = act(
        "call_to_supplement",
        json!({"version": 2, "term": "P7D", "items": ["podpis"]}),
    )
    .await;
    assert_eq!(r.status, axum::http::StatusCode::OK, "{}", r.text());
    let case = app.get(&format!("/api/cases/{sign}"), &clerk).await.json();
    let call = case["history"].as_array().unwrap().last().unwrap().clone();
    let document = call["detail"]["document"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    // arrived 20 days ago, never collected: deemed delivered 5 days ago
    let now = time::OffsetDateTime::now_utc();
    let today = okienko::domain::clock::in_poland(now).date();
    let arrived = okienko::domain::clock::start_of_day_in_poland(today - time::Duration::days(20));
    let deemed = okienko::domain::deemed::deemed_at(arrived);
    let settled = Outcome {
        state: DeliveryState::DeemedDelivered,
        deadline: Deadline::RunsFrom(deemed),
    };
    for _ in 0..2 {
        okienko::edoreczenia::polling::record(&app.state, &sign, &document, settled, now)
            .await
            .unwrap();
    }
    let case = app.get(&format!("/api/cases/{sign}"), &clerk).await.json();
    let delivered: Vec<_> = case["history"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["action"] == "delivered")
        .cloned()
        .collect();
    assert_eq!(delivered.len(), 1, "recorded once");
    let answer_by = okienko::domain::term::due_date(
        okienko::domain::term::Term::Days(7),
        okienko::domain::clock::in_poland(deemed).date(),
        &[],
        true,
    )
    .unwrap();
    assert_eq!(delivered[0]["detail"]["answer_by"], answer_by.to_string());
    assert_eq!(delivered[0]["detail"]["how"], "deemed_delivered");
    // deemed 5 days ago, the 7-day term still runs: leaving it unconsidered is refused,
    // naming the term's last day
    let r = act(
        "decide",
        json!({"version": 3, "outcome": "left_unconsidered", "reason": "braki nieusunięte"}),
    )
    .await;
    assert_eq!(r.status, axum::http::StatusCode::CONFLICT, "{}", r.text());
    let pl = format!(
        "{:02}.{:02}.{}",
        answer_by.day(),
        answer_by.month() as u8,
        answer_by.year()
    );
    assert!(
        r.text().contains("art. 64 § 2") && r.text().contains(&pl),
        "{}",
        r.text()
    );
    // a letter that could not be delivered
    let failed = Outcome {
        state: DeliveryState::Failed,
        deadline: Deadline::DoesNotRun,
    };
    okienko::edoreczenia::polling::record(&app.state, &sign, "another-letter", failed, now)
        .await
        .unwrap();
    let case = app.get(&format!("/api/cases/{sign}"), &clerk).await.json();
    let last = case["history"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["action"], "delivery_failed");
}
