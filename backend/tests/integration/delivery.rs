//! E-delivery: a case letter reaches the resident's mailbox with its evidences, the notice
//! leaves through the outbox (and survives a failing SMTP server), opening is receiving
//! (E.1), and an unopened letter counts as delivered on the 15th day after arrival, exactly
//! once (u.d.e. art. 42 ust. 2).

use axum::http::StatusCode;
use serde_json::json;
use time::{Duration, OffsetDateTime};

use crate::helpers::TestApp;

/// A resident files, a clerk calls for a document: the call goes to the mailbox.
pub(crate) async fn letter_to(app: &TestApp, key: &str) -> (String, String, String) {
    use okienko::domain::level::IdentityLevel;
    let me = app.resident(IdentityLevel::Substantial).await;
    let sign = app.file_request(&me, key).await;
    let clerk = app.staff("kierownik-or", "OR").await;
    for (action, body) in [
        ("take", json!({"version": 1})),
        (
            "call_to_supplement",
            json!({"version": 2, "term": "P7D", "items": ["podpis"]}),
        ),
    ] {
        let r = app
            .post_json(
                &format!("/api/cases/{sign}/actions/{action}"),
                &clerk,
                None,
                &body.to_string(),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    }
    let inbox = app.get("/skrzynka", &me).await;
    assert_eq!(inbox.status, StatusCode::OK, "{}", inbox.text());
    let html = inbox.text();
    // a portal mailbox, never called an address for electronic delivery (issue 19 §3)
    assert!(html.contains("Adres skrzynki w portalu"));
    assert!(!html.contains("Skrzynka do doręczeń elektronicznych"));
    let start = html.find("/skrzynka/").unwrap() + "/skrzynka/".len();
    let id = html[start..start + 36].to_owned();
    (me, sign, id)
}

/// `s` as tera's autoescape writes it into a page.
fn tera_escaped(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#x27;")
        .replace('/', "&#x2F;")
}

fn codes(evidences: &[okienko::db::entity::evidence::Model]) -> Vec<String> {
    let mut c: Vec<String> = evidences.iter().map(|e| e.code.clone()).collect();
    c.sort();
    c
}

#[tokio::test]
async fn a_letter_arrives_with_evidences_its_notice_is_mailed_and_opening_is_receiving() {
    let app = TestApp::new().await;
    let (me, sign, id) = letter_to(&app, "mail-1").await;
    let db = &app.state.db;
    let ev = okienko::db::mailboxes::evidences(db, &id).await.unwrap();
    assert_eq!(codes(&ev), ["A.1", "BP.WX", "D.1"]);
    // every evidence verifies against the published keys
    for e in &ev {
        let claims: okienko::delivery::EvidenceClaims =
            okienko::receipt::verify::verify_claims(&e.jws, &app.state.keys.jwks()).unwrap();
        assert_eq!(claims.code, e.code);
        assert_eq!(claims.message_id, id);
    }
    // the notice leaves through the outbox: an e-mail file, without the letter's content
    let done = okienko::worker::run_due(&app.state, OffsetDateTime::now_utc())
        .await
        .unwrap();
    assert_eq!(
        done, 2,
        "the filing confirmation and the letter's notice are due now"
    );
    let mail_dir = app.state.settings.data_dir.join("mail");
    // quoted-printable: undo the soft line breaks before reading
    let mails: Vec<String> = std::fs::read_dir(&mail_dir)
        .unwrap()
        .map(|f| {
            std::fs::read_to_string(f.unwrap().path())
                .unwrap()
                .replace("=\r\n", "")
                .replace("=3D", "=")
        })
        .collect();
    assert_eq!(mails.len(), 2);
    let filed = mails
        .iter()
        .find(|m| m.contains("/potwierdzenie/UPO-"))
        .unwrap();
    assert!(filed.contains(&sign) && !filed.contains("umów"), "{filed}");
    let eml = mails.iter().find(|m| m.contains("/skrzynka/")).unwrap();
    assert!(eml.contains("jan@example.pl"), "{eml}");
    assert!(
        eml.contains(&format!("/skrzynka/{id}")),
        "the link to the letter"
    );
    assert!(!eml.contains("podpis"), "never the letter's content");
    // looking is not receiving (a link preview or a prefetch receives nothing): the page
    // shows the envelope and a "receive" button, not the content
    let page = app.get(&format!("/skrzynka/{id}"), &me).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.text());
    assert!(page.text().contains("Odbierz pismo"), "{}", page.text());
    let body = {
        use sea_orm::EntityTrait;
        okienko::db::entity::message::Entity::find_by_id(id.clone())
            .one(db)
            .await
            .unwrap()
            .unwrap()
            .body
    };
    assert!(
        !body.is_empty() && !page.text().contains(&tera_escaped(&body)),
        "no content before receipt"
    );
    let ev = okienko::db::mailboxes::evidences(db, &id).await.unwrap();
    assert_eq!(codes(&ev), ["A.1", "BP.WX", "D.1"]);
    // receiving is the explicit POST: E.1 once, the case history records the delivery
    app.receive_letter(&id, &me).await;
    app.receive_letter(&id, &me).await;
    let page = app.get(&format!("/skrzynka/{id}"), &me).await.text();
    assert!(
        page.contains("odebrane") && !page.contains("Odbierz pismo"),
        "{page}"
    );
    let ev = okienko::db::mailboxes::evidences(db, &id).await.unwrap();
    assert_eq!(codes(&ev), ["A.1", "BP.WX", "D.1", "E.1"]);
    let clerk = app.staff("kierownik-or", "OR").await;
    let case = app.get(&format!("/api/cases/{sign}"), &clerk).await.json();
    let last = case["history"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["action"], "delivered");
    assert_eq!(last["detail"]["how"], "opened");
    // another resident cannot open it or its evidences
    let other = app
        .resident(okienko::domain::level::IdentityLevel::Substantial)
        .await;
    assert_eq!(
        app.get(&format!("/skrzynka/{id}"), &other).await.status,
        StatusCode::NOT_FOUND
    );
    let e1 = ev.iter().find(|e| e.code == "E.1").unwrap();
    assert_eq!(
        app.get(&format!("/skrzynka/{id}/dowody/{}", e1.id), &other)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let mine = app
        .get(&format!("/skrzynka/{id}/dowody/{}", e1.id), &me)
        .await;
    assert_eq!(mine.status, StatusCode::OK);
    assert_eq!(mine.json()["code"], "E.1");
}

/// u.d.e. art. 42 ust. 2: an unopened letter is deemed delivered once 14 full days from its
/// arrival have passed, on the 15th day after the day of arrival (arrived 1 March → 16 March),
/// at the start of that day in Polish time; not a minute earlier, and exactly once.
#[tokio::test]
async fn ude_art_42_an_unopened_letter_is_deemed_delivered_on_day_15_exactly_once() {
    use okienko::domain::clock::{in_poland, start_of_day_in_poland};
    let app = TestApp::new().await;
    let (_me, _sign, id) = letter_to(&app, "deemed-1").await;
    let db = &app.state.db;
    let inbox_copy = || async {
        let copies = okienko::db::mailboxes::copies_of(db, &id).await.unwrap();
        copies.into_iter().find(|c| c.folder == "inbox").unwrap()
    };
    let available = inbox_copy().await.available_at.unwrap();
    let arrived = in_poland(available).date();
    let deemed = start_of_day_in_poland(arrived + Duration::days(15));
    // a minute before: reminders only, not delivered
    okienko::worker::run_due(&app.state, deemed - Duration::minutes(1))
        .await
        .unwrap();
    let ev = okienko::db::mailboxes::evidences(db, &id).await.unwrap();
    assert!(!ev.iter().any(|e| e.code == "E.1"));
    let mails = std::fs::read_dir(app.state.settings.data_dir.join("mail"))
        .unwrap()
        .count();
    assert_eq!(
        mails, 4,
        "the filing confirmation, the notice, the 7-day reminder and the last call"
    );
    // at the start of day 15 (and a second pass a day later): one E.1, dated that moment
    okienko::worker::run_due(&app.state, deemed + Duration::minutes(1))
        .await
        .unwrap();
    okienko::worker::run_due(&app.state, deemed + Duration::days(1))
        .await
        .unwrap();
    let ev = okienko::db::mailboxes::evidences(db, &id).await.unwrap();
    let e1: Vec<_> = ev.iter().filter(|e| e.code == "E.1").collect();
    assert_eq!(e1.len(), 1);
    let claims: okienko::delivery::EvidenceClaims =
        okienko::receipt::verify::verify_claims(&e1[0].jws, &app.state.keys.jwks()).unwrap();
    assert_eq!(claims.delivery.as_deref(), Some("deemed"));
    let copy = inbox_copy().await;
    assert_eq!(copy.status, "deemed_delivered");
    assert_eq!(copy.delivered_at, Some(deemed));
    assert_eq!(
        in_poland(copy.delivered_at.unwrap()).date(),
        arrived + Duration::days(15)
    );
    assert!(okienko::db::outbox::pending(db).await.unwrap().is_empty());
}

#[tokio::test]
async fn notices_wait_in_the_outbox_while_the_smtp_server_is_down() {
    // port 9 (discard) refuses connections here
    let app = TestApp::with(|s| s.mail.smtp_url = Some("smtp://127.0.0.1:9".into())).await;
    let (_me, _sign, _id) = letter_to(&app, "smtp-down").await;
    let db = &app.state.db;
    let done = okienko::worker::run_due(&app.state, OffsetDateTime::now_utc())
        .await
        .unwrap();
    assert_eq!(done, 0);
    let pending = okienko::db::outbox::pending(db).await.unwrap();
    let notice = pending.iter().find(|j| j.kind == "notice").unwrap();
    assert_eq!(notice.attempts, 1);
    assert!(notice.last_error.as_deref().is_some_and(|e| !e.is_empty()));
    assert!(
        notice.due_at > OffsetDateTime::now_utc(),
        "retried later, with backoff"
    );
    // nothing was lost: the letter itself is in the mailbox, every job waits
    assert_eq!(pending.len(), 5);
}

#[tokio::test]
async fn a_reply_in_the_thread_lands_in_the_case_and_answers_the_call() {
    use axum::body::Body;
    use axum::http::{Request, header};
    let app = TestApp::new().await;
    let (me, sign, id) = letter_to(&app, "reply-1").await;
    // the call's term runs from delivery: receiving today gives today + 7 days (working day)
    app.receive_letter(&id, &me).await;
    let page = app.get(&format!("/moje-sprawy/{sign}"), &me).await.text();
    assert!(page.contains("Pismo doręczono (odebrane)"), "{page}");
    let body = "--X\r\nContent-Disposition: form-data; name=\"text\"\r\n\r\nPrzesyłam podpisany wniosek.\r\n--X\r\nContent-Disposition: form-data; name=\"files\"; filename=\"wniosek.pdf\"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.4 podpis\r\n--X--\r\n";
    let send = |cookie: &str| {
        Request::post(format!("/skrzynka/{id}/odpowiedz"))
            .header(header::COOKIE, cookie)
            .header(header::CONTENT_TYPE, "multipart/form-data; boundary=X")
            .header("sec-fetch-site", "same-origin")
            .body(Body::from(body))
            .unwrap()
    };
    let other = app
        .resident(okienko::domain::level::IdentityLevel::Substantial)
        .await;
    assert_eq!(app.send(send(&other)).await.status, StatusCode::NOT_FOUND);
    let r = app.send(send(&me)).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    // the case goes back to work, with the reply and its file in the history
    let clerk = app.staff("kierownik-or", "OR").await;
    let case = app.get(&format!("/api/cases/{sign}"), &clerk).await.json();
    assert_eq!(case["status"], "in_progress");
    let history = case["history"].as_array().unwrap();
    let delivered = history.iter().find(|e| e["action"] == "delivered").unwrap();
    assert!(delivered["detail"]["answer_by"].is_string(), "{delivered}");
    let last = history.last().unwrap();
    assert_eq!(last["action"], "supplemented");
    assert_eq!(last["detail"]["files"][0]["name"], "wniosek.pdf");
    // the reply arrived at the unit at once: A.1 from the resident, E.1 and BP.OX at the unit
    let reply_id = last["detail"]["message_id"].as_str().unwrap();
    let ev = okienko::db::mailboxes::evidences(&app.state.db, reply_id)
        .await
        .unwrap();
    assert_eq!(codes(&ev), ["A.1", "BP.OX", "E.1"]);
}

#[tokio::test]
async fn the_mailbox_api_lists_sends_opens_and_shows_evidences() {
    use axum::body::Body;
    use axum::http::{Request, header};
    use okienko::auth::api_token::Scope;
    let app = TestApp::new().await;
    let me = app
        .resident(okienko::domain::level::IdentityLevel::Substantial)
        .await;
    let mine = app.get("/api/mailboxes", &me).await.json();
    let address = mine["mailboxes"][0]["address"].as_str().unwrap().to_owned();
    assert_eq!(mine["mailboxes"][0]["addressKind"], "portal");
    assert!(
        okienko::domain::ade::Ade::parse(&address)
            .unwrap()
            .check_pair_matches()
    );
    let token = app.api_token(&[Scope::MailboxSend]).await;
    let bearer = |r: axum::http::request::Builder| {
        r.header(header::AUTHORIZATION, format!("Bearer {token}"))
    };
    let units = app
        .send(
            bearer(Request::get("/api/mailboxes"))
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .json();
    let unit = units["mailboxes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["name"].as_str().unwrap().contains("Organizacyjny"))
        .unwrap()["address"]
        .as_str()
        .unwrap()
        .to_owned();
    let send = |body: serde_json::Value| {
        bearer(Request::post(format!("/api/mailboxes/{unit}/messages")))
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(body.to_string()))
            .unwrap()
    };
    let r = app
        .send(send(
            json!({"recipients": ["AE:PL-11111-11111-AAAAA-00"], "subject": "x", "body": "y"}),
        ))
        .await;
    // a well-formed address without a mailbox here: refused by the rule, not as malformed
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().contains("A.2"), "{}", r.text());
    let many: Vec<String> = (0..16).map(|_| address.clone()).collect();
    let r = app
        .send(send(
            json!({"recipients": many, "subject": "x", "body": "y"}),
        ))
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    let r = app
        .send(send(
            json!({"recipients": [address], "subject": "x", "body": "y".repeat(5001)}),
        ))
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    let r = app
        .send(send(json!({"recipients": [address], "subject": "Informacja o odbiorze odpadów", "body": "Harmonogram na 2027 r."})))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let id = r.json()["messageId"].as_str().unwrap().to_owned();
    // the resident's inbox: awaiting, 14 days to deemed delivery
    let list = app
        .get(&format!("/api/mailboxes/{address}/messages"), &me)
        .await
        .json();
    assert_eq!(list["messages"][0]["messageId"], id.as_str());
    assert_eq!(list["messages"][0]["status"], "awaiting");
    assert!(
        list["messages"][0]["daysToDeemedDelivery"]
            .as_i64()
            .unwrap()
            >= 13
    );
    // getting it shows the envelope and records nothing; receiving is a POST
    let got = app
        .get(&format!("/api/mailboxes/{address}/messages/{id}"), &me)
        .await
        .json();
    assert_eq!(got["status"], "awaiting");
    assert!(got["body"].is_null(), "{got}");
    let got = app
        .post_json(
            &format!("/api/mailboxes/{address}/messages/{id}/receive"),
            &me,
            None,
            "",
        )
        .await;
    assert_eq!(got.status, StatusCode::OK, "{}", got.text());
    let got = got.json();
    assert_eq!(got["status"], "delivered");
    assert_eq!(got["body"], "Harmonogram na 2027 r.");
    let ev = app
        .get(
            &format!("/api/mailboxes/{address}/messages/{id}/evidences"),
            &me,
        )
        .await
        .json();
    let types: Vec<&str> = ev["evidences"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["type"].as_str().unwrap())
        .collect();
    assert!(
        types.contains(&"E.1") && types.contains(&"D.1") && types.contains(&"A.1"),
        "{types:?}"
    );
    // nobody else reaches the resident's mailbox
    let other = app
        .resident(okienko::domain::level::IdentityLevel::Substantial)
        .await;
    assert_eq!(
        app.get(&format!("/api/mailboxes/{address}/messages"), &other)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let clerk_fn = app.staff("clerk-fn", "FN").await;
    assert_eq!(
        app.get(
            &format!("/api/mailboxes/{unit}/messages?folder=sent"),
            &clerk_fn
        )
        .await
        .status,
        StatusCode::NOT_FOUND
    );
    let clerk_or = app.staff("clerk-or", "OR").await;
    let sent = app
        .get(
            &format!("/api/mailboxes/{unit}/messages?folder=sent"),
            &clerk_or,
        )
        .await
        .json();
    assert_eq!(sent["messages"][0]["messageId"], id.as_str());
}

#[tokio::test]
async fn clerks_see_the_units_mailbox_and_reply_in_the_thread() {
    let app = TestApp::new().await;
    let (me, sign, id) = letter_to(&app, "unit-box").await;
    let clerk = app.staff("clerk-or", "OR").await;
    // the case shows that its letter waits unopened, and until when (to the supervisor
    // who took it; the other clerk does not see a colleague's case)
    let boss = app.staff("kierownik-or", "OR").await;
    let case_page = app
        .get(&format!("/urzad/sprawy/{sign}"), &boss)
        .await
        .text();
    assert!(
        case_page.contains("nieodebrane; doręczenie zastępcze"),
        "{case_page}"
    );
    let sent = app.get("/urzad/skrzynka?folder=sent", &clerk).await;
    assert_eq!(sent.status, StatusCode::OK, "{}", sent.text());
    assert!(
        sent.text().contains("awaiting"),
        "the addressee has not opened it"
    );
    // the resident replies; the unit sees it received
    let body = "--X\r\nContent-Disposition: form-data; name=\"text\"\r\n\r\nCzy wystarczy skan?\r\n--X--\r\n";
    let r = app
        .send(
            axum::http::Request::post(format!("/skrzynka/{id}/odpowiedz"))
                .header(axum::http::header::COOKIE, &me)
                .header(
                    axum::http::header::CONTENT_TYPE,
                    "multipart/form-data; boundary=X",
                )
                .header("sec-fetch-site", "same-origin")
                .body(axum::body::Body::from(body))
                .unwrap(),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let inbox = app.get("/urzad/skrzynka", &clerk).await.text();
    let start = inbox.find("/urzad/skrzynka/").unwrap() + "/urzad/skrzynka/".len();
    let reply_id = inbox[start..start + 36].to_owned();
    let view = app
        .get(&format!("/urzad/skrzynka/{reply_id}"), &clerk)
        .await
        .text();
    assert!(
        view.contains("Czy wystarczy skan?") && view.contains("BP.OX"),
        "{view}"
    );
    // the clerk answers in the thread; it reaches the resident's inbox
    let r = app
        .send(
            axum::http::Request::post(format!("/urzad/skrzynka/{reply_id}/odpowiedz"))
                .header(axum::http::header::COOKIE, &clerk)
                .header(
                    axum::http::header::CONTENT_TYPE,
                    "application/x-www-form-urlencoded",
                )
                .header("sec-fetch-site", "same-origin")
                .body(axum::body::Body::from("text=Tak%2C+skan+wystarczy."))
                .unwrap(),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let box_page = app.get("/skrzynka", &me).await.text();
    assert!(
        !box_page.contains("Odp.: Odp.:") && box_page.contains("Odp.:"),
        "{box_page}"
    );
    // another unit's clerk has no such message
    let other = app.staff("clerk-fn", "FN").await;
    assert_eq!(
        app.get(&format!("/urzad/skrzynka/{reply_id}"), &other)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn drafts_take_attachments_and_are_sent_once() {
    use axum::body::Body;
    use axum::http::{Request, header};
    use okienko::auth::api_token::Scope;
    let app = TestApp::new().await;
    let me = app
        .resident(okienko::domain::level::IdentityLevel::Substantial)
        .await;
    let address = app.get("/api/mailboxes", &me).await.json()["mailboxes"][0]["address"]
        .as_str()
        .unwrap()
        .to_owned();
    let token = app.api_token(&[Scope::MailboxSend]).await;
    let auth = format!("Bearer {token}");
    let unit = app
        .send(
            Request::get("/api/mailboxes")
                .header(header::AUTHORIZATION, &auth)
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .json()["mailboxes"][0]["address"]
        .as_str()
        .unwrap()
        .to_owned();
    let post = |uri: String, ct: &str, body: String| {
        Request::post(uri)
            .header(header::AUTHORIZATION, &auth)
            .header(header::CONTENT_TYPE, ct)
            .body(Body::from(body))
            .unwrap()
    };
    let draft = app
        .send(post(
            format!("/api/mailboxes/{unit}/drafts"),
            "application/json",
            json!({"recipients": [address], "subject": "Decyzja podatkowa", "body": "W załączeniu decyzja."}).to_string(),
        ))
        .await;
    assert_eq!(draft.status, StatusCode::CREATED, "{}", draft.text());
    let draft = draft.json()["draftId"].as_str().unwrap().to_owned();
    let file = |name: &str, content: &str| {
        format!(
            "--X\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: application/pdf\r\n\r\n{content}\r\n--X--\r\n"
        )
    };
    let mp = "multipart/form-data; boundary=X";
    let bad_name = app
        .send(post(
            format!("/api/mailboxes/{unit}/drafts/{draft}/attachments"),
            mp,
            file("decyzja 1.pdf", "%PDF-1.4"),
        ))
        .await;
    assert_eq!(bad_name.status, StatusCode::BAD_REQUEST);
    assert!(bad_name.text().contains("file.name"), "{}", bad_name.text());
    let fake = app
        .send(post(
            format!("/api/mailboxes/{unit}/drafts/{draft}/attachments"),
            mp,
            file("decyzja.pdf", "not a pdf"),
        ))
        .await;
    assert_eq!(fake.status, StatusCode::BAD_REQUEST);
    let ok = app
        .send(post(
            format!("/api/mailboxes/{unit}/drafts/{draft}/attachments"),
            mp,
            file("decyzja-źródła.pdf", "%PDF-1.4 decyzja"),
        ))
        .await;
    assert_eq!(ok.status, StatusCode::CREATED, "{}", ok.text());
    let sha = ok.json()["sha3_256"].as_str().unwrap().to_owned();
    let attachment = ok.json()["attachmentId"].as_str().unwrap().to_owned();
    // nothing reaches the resident before sending
    let inbox = app
        .get(&format!("/api/mailboxes/{address}/messages"), &me)
        .await
        .json();
    assert!(inbox["messages"].as_array().unwrap().is_empty());
    let sent = app
        .send(post(
            format!("/api/mailboxes/{unit}/drafts/{draft}/send"),
            "application/json",
            String::new(),
        ))
        .await;
    assert_eq!(sent.status, StatusCode::CREATED, "{}", sent.text());
    let again = app
        .send(post(
            format!("/api/mailboxes/{unit}/drafts/{draft}/send"),
            "application/json",
            String::new(),
        ))
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    // the resident has it; its evidences name a digest that covers the attachment
    let ev = okienko::db::mailboxes::evidences(&app.state.db, &draft)
        .await
        .unwrap();
    let d1 = ev.iter().find(|e| e.code == "D.1").unwrap();
    let claims: okienko::delivery::EvidenceClaims =
        okienko::receipt::verify::verify_claims(&d1.jws, &app.state.keys.jwks()).unwrap();
    assert_eq!(
        claims.message_sha3_256,
        okienko::delivery::message_digest(
            "Decyzja podatkowa",
            "W załączeniu decyzja.",
            &[sha.as_str()]
        )
    );
    let inbox = app
        .get(&format!("/api/mailboxes/{address}/messages"), &me)
        .await
        .json();
    assert_eq!(inbox["messages"][0]["messageId"], draft.as_str());
    // its file opens once received, under its Polish name (RFC 8187 `filename*`)
    let file_url = format!("/api/mailboxes/{address}/messages/{draft}/attachments/{attachment}");
    assert_eq!(app.get(&file_url, &me).await.status, StatusCode::CONFLICT);
    app.receive_letter(&draft, &me).await;
    let got = app.get(&file_url, &me).await;
    assert_eq!(got.status, StatusCode::OK, "{}", got.text());
    let cd = got.headers[axum::http::header::CONTENT_DISPOSITION]
        .to_str()
        .unwrap();
    assert!(
        cd.contains("filename*=UTF-8''decyzja-%C5%BAr%C3%B3d%C5%82a.pdf")
            && cd.contains("filename=\"decyzja-zrodla.pdf\""),
        "{cd}"
    );
}

#[tokio::test]
async fn two_workers_draining_at_once_send_each_notice_once() {
    let app = TestApp::new().await;
    let me = app
        .resident(okienko::domain::level::IdentityLevel::Substantial)
        .await;
    for i in 0..40 {
        app.file_request(&me, &format!("drain-{i}")).await;
    }
    let now = OffsetDateTime::now_utc();
    let (a, b) = tokio::join!(
        okienko::worker::run_due(&app.state, now),
        okienko::worker::run_due(&app.state, now)
    );
    let (a, b) = (a.unwrap(), b.unwrap());
    assert_eq!(a + b, 40, "each filing's notice done once: {a} + {b}");
    assert!(
        okienko::db::outbox::pending(&app.state.db)
            .await
            .unwrap()
            .is_empty()
    );
    let mails = std::fs::read_dir(app.state.settings.data_dir.join("mail"))
        .unwrap()
        .count();
    assert_eq!(mails, 40, "one e-mail per filing, none twice");
}
