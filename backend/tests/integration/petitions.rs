//! The public register of petitions (u.p.p. art. 8 ust. 1): every petition is published
//! after filing, the petitioner's name only with consent (art. 4 ust. 3), and each step of
//! its handling follows from the case, as pages, JSON and an Atom feed.

use axum::http::{StatusCode, header};
use serde_json::json;

use crate::helpers::{TestApp, anon};

#[tokio::test]
async fn upp_art_8_every_petition_is_published_with_its_steps() {
    let app = TestApp::new().await;
    let me = app
        .resident(okienko::domain::level::IdentityLevel::Low)
        .await;
    let petition = |consent: bool, subject: &'static str| {
        move |d: &mut serde_json::Value| {
            d["publish_name_consent"] = json!(consent);
            d["subject"] = json!(subject);
        }
    };
    let named = app
        .file_example(
            &me,
            "petycja",
            "p-1",
            petition(true, "Ławki w parku <miejskim> & alejki"),
        )
        .await;
    let unnamed = app
        .file_example(
            &me,
            "petycja",
            "p-2",
            petition(false, "Oświetlenie ulicy Polnej"),
        )
        .await;
    let name = app
        .state
        .catalogue
        .get("petycja")
        .unwrap()
        .def
        .examples
        .valid[0]
        .data["name"]
        .as_str()
        .unwrap()
        .to_owned();

    // anyone sees the register, newest first; the name only with consent
    let list = app.get("/api/petitions", &anon()).await;
    assert_eq!(list.status, StatusCode::OK, "{}", list.text());
    let items = list.json()["items"].as_array().unwrap().clone();
    assert_eq!(items.len(), 2);
    assert_eq!(items[0]["sign"], unnamed.as_str());
    assert!(items[0]["petitioner"].is_null());
    assert_eq!(items[1]["petitioner"], name.as_str());
    assert_eq!(items[1]["state"], "in_progress");
    // pages of one, by cursor
    let first = app.get("/api/petitions?limit=1", &anon()).await.json();
    let next = first["next"].as_str().unwrap().to_owned();
    let second = app
        .get(&format!("/api/petitions?limit=1&after={next}"), &anon())
        .await
        .json();
    assert_eq!(second["items"][0]["sign"], named.as_str());
    assert!(second["next"].is_null());
    // filters
    let r = app.get("/api/petitions?state=lost", &anon()).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    let answered = app
        .get("/api/petitions?state=answered", &anon())
        .await
        .json();
    assert!(answered["items"].as_array().unwrap().is_empty());

    // the office extends the term and answers: both appear on the petition's page
    let boss = app.staff("kierownik-or", "OR").await;
    let act = |action: &'static str, body: serde_json::Value| app.act(&boss, &named, action, body);
    assert_eq!(
        act("take", json!({"version": 1})).await.status,
        StatusCode::OK
    );
    let case = app.get(&format!("/api/cases/{named}"), &boss).await.json();
    let due = okienko::forms::expr::parse_date(case["due_on"].as_str().unwrap()).unwrap();
    let later = okienko::domain::term::add_months(due, 1).unwrap();
    let r = act("extend", json!({"version": 2, "due_on": later.to_string(), "reason": "potrzebna opinia komisji rady"})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let r = act("decide", json!({"version": 3, "outcome": "granted", "reason": "Rada podjęła uchwałę o remoncie ławek."})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let p = app
        .get(&format!("/api/petitions/{named}"), &anon())
        .await
        .json();
    assert_eq!(p["state"], "answered");
    let steps: Vec<String> = p["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["text"].as_str().unwrap().to_owned())
        .collect();
    assert!(steps[0].contains("zarejestrowana"), "{steps:?}");
    assert!(
        steps
            .iter()
            .any(|s| s.contains("potrzebna opinia komisji rady")
                && s.contains(&okienko::domain::term::due_on(later, true).to_string())),
        "{steps:?}"
    );
    assert!(
        steps
            .iter()
            .any(|s| s.contains("Petycję uwzględniono") && s.contains("remoncie ławek")),
        "{steps:?}"
    );
    assert_eq!(
        steps.len(),
        3,
        "internal steps (taking the case) are not published: {steps:?}"
    );

    // pages and the feed
    let page = app.get("/petycje", &anon()).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.text().contains("Oświetlenie ulicy Polnej"));
    let one = app.get(&format!("/petycje/{named}"), &anon()).await.text();
    assert!(
        one.contains(&name) && one.contains("remoncie ławek"),
        "{one}"
    );
    let other = app
        .get(&format!("/petycje/{unnamed}"), &anon())
        .await
        .text();
    assert!(!other.contains(&name), "{other}");
    let feed = app.get("/petycje.atom", &anon()).await;
    assert_eq!(
        feed.headers.get(header::CONTENT_TYPE).unwrap(),
        "application/atom+xml; charset=utf-8"
    );
    let xml = feed.text();
    assert!(
        xml.contains("Ławki w parku &lt;miejskim&gt; &amp; alejki"),
        "{xml}"
    );
    assert_eq!(xml.matches("<entry>").count(), 2);

    // the yearly summary (art. 14): both petitions, one answered
    let year = okienko::domain::clock::in_poland(time::OffsetDateTime::now_utc()).year();
    let report = app
        .get(&format!("/api/petitions/reports/{year}"), &anon())
        .await
        .json();
    assert_eq!(report["filed"], 2, "{report}");
    assert_eq!(report["answered"], 1);
    assert_eq!(report["in_progress"], 1);
    assert_eq!(report["publish_by"], format!("{}-06-30", year + 1));
    let page = app
        .get(&format!("/petycje/informacja/{year}"), &anon())
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.text().contains("Oświetlenie ulicy Polnej"));
    // … as CSV: a row a petition, formulas defused, and as PDF/UA-1
    let csv = app
        .get(
            &format!("/api/petitions/reports/{year}/report.csv"),
            &anon(),
        )
        .await;
    assert_eq!(csv.status, StatusCode::OK);
    let text = csv.text();
    let rows: Vec<&str> = text.trim_end().split("\r\n").collect();
    assert_eq!(rows.len(), 3, "{text}");
    assert!(rows[0].starts_with("\u{feff}Znak;Data złożenia"), "{text}");
    assert!(
        rows.iter()
            .any(|r| r.starts_with(&format!("{named};")) && r.contains(";rozpatrzona;")),
        "{text}"
    );
    let pdf = app
        .get(
            &format!("/api/petitions/reports/{year}/report.pdf"),
            &anon(),
        )
        .await;
    assert_eq!(pdf.status, StatusCode::OK);
    assert_eq!(pdf.headers[header::CONTENT_TYPE], "application/pdf");
    assert!(pdf.body.starts_with(b"%PDF-1.7"));
    let raw = String::from_utf8_lossy(&pdf.body);
    assert!(raw.contains("pdfuaid:part"), "PDF/UA-1 declared");
    assert!(
        raw.contains("/StructTreeRoot") && raw.contains("/Outlines"),
        "tagged, with an outline"
    );
    assert_eq!(
        app.get("/api/petitions/reports/1999/report.pdf", &anon())
            .await
            .status,
        StatusCode::BAD_REQUEST
    );
    assert_eq!(
        app.get("/api/petitions/reports/1999", &anon()).await.status,
        StatusCode::BAD_REQUEST
    );

    // a case that is not a petition is not in the register
    let request = app.file_request(&anon(), "not-a-petition").await;
    assert_eq!(
        app.get(&format!("/api/petitions/{request}"), &anon())
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get(&format!("/petycje/{request}"), &anon())
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}

/// u.p.p. art. 6 ust. 1: a petition to the wrong addressee is forwarded to the competent body
/// within 30 days of filing, the petitioner told by letter, and the register says so; later
/// than that it is refused, naming the last day.
#[tokio::test]
async fn upp_art_6_a_petition_is_forwarded_within_30_days() {
    use sea_orm::ConnectionTrait;
    let app = TestApp::new().await;
    let me = app
        .resident(okienko::domain::level::IdentityLevel::Low)
        .await;
    let sign = app.file_example(&me, "petycja", "fwd-1", |_| ()).await;
    let late = app.file_example(&me, "petycja", "fwd-2", |_| ()).await;
    let boss = app.staff("kierownik-or", "OR").await;
    for s in [&sign, &late] {
        let r = app
            .post_json(
                &format!("/api/cases/{s}/actions/take"),
                &boss,
                None,
                r#"{"version":1}"#,
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    }
    let forward = |to: Option<&str>| {
        let mut body =
            json!({"version": 2, "outcome": "forwarded", "reason": "sprawa drogi powiatowej"});
        if let Some(to) = to {
            body["forward_to"] = json!(to);
        }
        body
    };
    let r = app.act(&boss, &sign, "decide", forward(None)).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.text());
    let r = app
        .act(
            &boss,
            &sign,
            "decide",
            forward(Some("Zarząd Powiatu Przykładowego")),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(r.json()["outcome"], "forwarded");
    let case = app.get(&format!("/api/cases/{sign}"), &boss).await.json();
    let last = case["history"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(
        last["detail"]["document"]["title"],
        "ZAWIADOMIENIE O PRZEKAZANIU PETYCJI"
    );
    let p = app
        .get(&format!("/api/petitions/{sign}"), &anon())
        .await
        .json();
    assert_eq!(p["state"], "forwarded");
    assert!(p["steps"].as_array().unwrap().iter().any(|s| {
        s["text"]
            .as_str()
            .unwrap()
            .contains("Zarząd Powiatu Przykładowego")
    }));
    // filed 31 days ago: too late to forward
    let filed = okienko::domain::clock::in_poland(time::OffsetDateTime::now_utc()).date()
        - time::Duration::days(31);
    app.state
        .db
        .execute_unprepared(&format!(
            "UPDATE case_file SET started_on = '{filed}' WHERE sign = '{late}'"
        ))
        .await
        .unwrap();
    let r = app
        .act(
            &boss,
            &late,
            "decide",
            forward(Some("Zarząd Powiatu Przykładowego")),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text());
    assert!(r.text().contains("u.p.p. art. 6 ust. 1"), "{}", r.text());
}

/// u.p.p. art. 11: the clerk's page of a petition suggests near-identical petitions filed
/// within a month (the same text sent to many gminy), and not unrelated ones.
#[tokio::test]
async fn upp_art_11_near_identical_petitions_are_suggested_for_joining() {
    let app = TestApp::new().await;
    let me = app
        .resident(okienko::domain::level::IdentityLevel::Low)
        .await;
    let text = "Wnosimy o podjęcie uchwały w sprawie ograniczenia emisji hałasu z ulicznych głośników w Gminie {} oraz o przedstawienie harmonogramu kontroli na najbliższy rok";
    let with = |gmina: &'static str, subject: &'static str| {
        move |d: &mut serde_json::Value| {
            d["content"] = json!(text.replace("{}", gmina));
            d["subject"] = json!(subject);
        }
    };
    let first = app
        .file_example(
            &me,
            "petycja",
            "sim-1",
            with("Przykładowo", "Hałas z głośników"),
        )
        .await;
    let copy = app
        .file_example(
            &me,
            "petycja",
            "sim-2",
            with("Inna Wieś", "Głośniki uliczne"),
        )
        .await;
    let other = app
        .file_example(&me, "petycja", "sim-3", |d| {
            d["content"] = json!(
                "Prosimy o ustawienie ławek i koszy na śmieci w parku przy ulicy Polnej w tym roku"
            );
        })
        .await;
    let boss = app.staff("kierownik-or", "OR").await;
    let page = app
        .get(&format!("/urzad/sprawy/{first}"), &boss)
        .await
        .text();
    assert!(page.contains("Petycje w tej samej sprawie?"), "{page}");
    assert!(
        page.contains(&copy) && page.contains("Głośniki uliczne"),
        "{page}"
    );
    assert!(
        !page.contains(&format!("/urzad/sprawy/{other}\"")),
        "{page}"
    );
    let unrelated = app
        .get(&format!("/urzad/sprawy/{other}"), &boss)
        .await
        .text();
    assert!(!unrelated.contains("Petycje w tej samej sprawie?"));
}

/// u.p.p. art. 11: a petition filed within a month of an earlier one on the same matter is
/// joined to it; the waiting period (at most 2 months) is announced on both register pages,
/// the 3 months run for both from its end, and answering the first answers the joined one.
#[tokio::test]
async fn upp_art_11_joined_petitions_wait_together_and_share_the_answer() {
    use sea_orm::ConnectionTrait;
    let app = TestApp::new().await;
    let me = app
        .resident(okienko::domain::level::IdentityLevel::Low)
        .await;
    let lead = app.file_example(&me, "petycja", "join-1", |_| ()).await;
    let later = app.file_example(&me, "petycja", "join-2", |_| ()).await;
    let boss = app.staff("kierownik-or", "OR").await;
    let today = okienko::domain::clock::in_poland(time::OffsetDateTime::now_utc()).date();
    let wait = today + time::Duration::days(30);
    // the waiting period is at most 2 months
    let too_long = okienko::domain::term::add_months(today, 3).unwrap();
    let r = app
        .act(
            &boss,
            &later,
            "join",
            json!({"version": 1, "join_with": lead, "wait_until": too_long.to_string()}),
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.text());
    assert!(r.text().contains("u.p.p. art. 11 ust. 2"), "{}", r.text());
    // not to itself
    let r = app
        .act(
            &boss,
            &later,
            "join",
            json!({"version": 1, "join_with": later, "wait_until": wait.to_string()}),
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.text());
    let r = app
        .act(
            &boss,
            &later,
            "join",
            json!({"version": 1, "join_with": lead, "wait_until": wait.to_string()}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let due =
        okienko::domain::term::due_date(okienko::domain::term::Term::Months(3), wait, &[], true)
            .unwrap()
            .to_string();
    assert_eq!(r.json()["due_on"], due);
    let lead_case = app.get(&format!("/api/cases/{lead}"), &boss).await.json();
    assert_eq!(lead_case["due_on"], due);
    let page = app
        .get(&format!("/api/petitions/{lead}"), &anon())
        .await
        .json();
    assert!(
        page["steps"].as_array().unwrap().iter().any(|s| {
            let t = s["text"].as_str().unwrap();
            t.contains(&later) && t.contains(&wait.to_string())
        }),
        "{page}"
    );
    // a petition filed more than a month after the first is not joined
    let late = app.file_example(&me, "petycja", "join-3", |_| ()).await;
    let long_ago = today - time::Duration::days(40);
    app.state
        .db
        .execute_unprepared(&format!(
            "UPDATE case_file SET started_on = '{long_ago}' WHERE sign = '{lead}'"
        ))
        .await
        .unwrap();
    let r = app
        .act(
            &boss,
            &late,
            "join",
            json!({"version": 1, "join_with": lead, "wait_until": wait.to_string()}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text());
    assert!(r.text().contains("u.p.p. art. 11 ust. 1"), "{}", r.text());
    // answering the first answers the joined one, with its own letter
    let v = app.get(&format!("/api/cases/{lead}"), &boss).await.json()["version"].clone();
    app.act(&boss, &lead, "take", json!({"version": v})).await;
    let v = app.get(&format!("/api/cases/{lead}"), &boss).await.json()["version"].clone();
    let r = app
        .act(
            &boss,
            &lead,
            "decide",
            json!({"version": v, "outcome": "granted", "reason": "Rada przyjęła stanowisko."}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let joined = app.get(&format!("/api/cases/{later}"), &boss).await.json();
    assert_eq!(joined["status"], "decided", "{joined}");
    assert_eq!(joined["outcome"], "granted");
    let last = joined["history"]
        .as_array()
        .unwrap()
        .last()
        .unwrap()
        .clone();
    assert_eq!(
        last["detail"]["document"]["title"],
        "ZAWIADOMIENIE O SPOSOBIE ZAŁATWIENIA PETYCJI"
    );
}

/// Sets a filed case's start and its submission's data, as a petition registered from
/// paper would stand (the form refuses these gaps online).
async fn as_registered(
    app: &TestApp,
    sign: &str,
    started_on: time::Date,
    tweak: impl FnOnce(&mut serde_json::Value),
) {
    use sea_orm::{ActiveModelTrait, ActiveValue::Set, IntoActiveModel};
    let case = okienko::db::cases::by_sign(&app.state.db, sign)
        .await
        .unwrap()
        .unwrap();
    let sub = okienko::db::submissions::by_id(&app.state.db, &case.submission_id)
        .await
        .unwrap()
        .unwrap();
    let mut data: serde_json::Value = serde_json::from_str(&sub.data).unwrap();
    tweak(&mut data);
    let mut s = sub.into_active_model();
    s.data = Set(data.to_string());
    s.update(&app.state.db).await.unwrap();
    let mut c = case.into_active_model();
    c.started_on = Set(started_on);
    c.update(&app.state.db).await.unwrap();
}

/// u.p.p. art. 7: online, the form refuses a group petition without its representative;
/// a registered petition without the petitioner's address is left without consideration at
/// once, with its letter, and the register says so; a complete one is not: its other gaps
/// wait for the 14-day call, made within 30 days of filing (filed 2.11.2026: by 2.12.2026).
#[tokio::test]
async fn upp_art_7_what_is_left_unconsidered_and_what_is_called() {
    let app = TestApp::new().await;
    let me = app
        .resident(okienko::domain::level::IdentityLevel::Low)
        .await;
    let mut data = app
        .state
        .catalogue
        .get("petycja")
        .unwrap()
        .def
        .examples
        .valid[0]
        .data
        .clone();
    data.as_object_mut().unwrap().remove("representative");
    let r = app
        .post_json(
            "/api/services/petycja/submissions",
            &me,
            Some("no-rep"),
            &json!({ "data": data }).to_string(),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    assert!(r.text().contains("representative"), "{}", r.text());

    let boss = app.staff("kierownik-or", "OR").await;
    // complete: not left unconsidered without a call; the refusal gives the call's last day
    let complete = app.file_example(&me, "petycja", "a7-1", |_| ()).await;
    as_registered(&app, &complete, time::macros::date!(2026 - 11 - 02), |d| {
        d["third_party_interest"] = json!(true);
    })
    .await;
    let page = app.get(&format!("/urzad/sprawy/{complete}"), &boss).await;
    assert!(
        page.text().contains("Wezwij do uzupełnienia") && page.text().contains("02.12.2026"),
        "{}",
        page.text()
    );
    let take = app
        .act(&boss, &complete, "take", json!({"version": 1}))
        .await;
    assert_eq!(take.status, StatusCode::OK, "{}", take.text());
    let r = app
        .act(
            &boss,
            &complete,
            "decide",
            json!({"version": 2, "outcome": "left_unconsidered", "reason": "braki"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text());
    assert!(
        r.text().contains("art. 7 ust. 2")
            && r.text().contains("02.12.2026")
            && r.text().contains("art. 5"),
        "{}",
        r.text()
    );

    // registered without an address: left without consideration at once (art. 7 ust. 1)
    let bare = app.file_example(&me, "petycja", "a7-2", |_| ()).await;
    as_registered(&app, &bare, time::macros::date!(2026 - 11 - 02), |d| {
        d["address"] = serde_json::Value::Null;
    })
    .await;
    let page = app.get(&format!("/urzad/sprawy/{bare}"), &boss).await;
    assert!(
        page.text().contains("Do pozostawienia bez rozpatrzenia")
            && page.text().contains("art. 4 ust. 2 pkt 2"),
        "{}",
        page.text()
    );
    let take = app.act(&boss, &bare, "take", json!({"version": 1})).await;
    assert_eq!(take.status, StatusCode::OK, "{}", take.text());
    let r = app
        .act(&boss, &bare, "decide", json!({"version": 2, "outcome": "left_unconsidered", "reason": "Petycja nie wskazuje adresu do korespondencji (art. 7 ust. 1 ustawy o petycjach)."}))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let h = app
        .get(&format!("/api/cases/{bare}/history"), &boss)
        .await
        .json();
    let decide = h["entries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["action"] == "decide")
        .unwrap()
        .clone();
    assert_eq!(decide["detail"]["ground"], "upp_art_7_1", "{decide}");
    assert!(
        decide["detail"]["document"]["id"].is_string(),
        "the letter: {decide}"
    );
    let p = app
        .get(&format!("/api/petitions/{bare}"), &anon())
        .await
        .json();
    assert_eq!(p["state"], "left_unconsidered", "{p}");
}

/// Issue 16 §1, u.p.p. art. 4 ust. 2 pkt 1 and ust. 3: each member of a group confirms
/// online, once, with their own consent; the register names only those who consented, the
/// representative sees all who confirmed, by keyset pages; a single person's petition has no
/// co-signers, and a petition dealt with takes none.
#[tokio::test]
async fn upp_art_4_group_cosigners_confirm_with_their_own_consent() {
    use okienko::domain::identity::Role;
    let app = TestApp::new().await;
    let rep = app
        .resident(okienko::domain::level::IdentityLevel::Low)
        .await;
    let sign = app.file_example(&rep, "petycja", "g-1", |_| ()).await;
    let uri = format!("/api/petitions/{sign}/cosigners");
    let empty = app.get(&uri, &anon()).await;
    assert_eq!(empty.status, StatusCode::OK, "{}", empty.text());
    assert_eq!(empty.json()["confirmed"], 0);

    let r = app
        .post_json(&uri, &anon(), None, r#"{"consent": true}"#)
        .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{}", r.text());
    let ewa = app.with_roles("ewa", vec![Role::Resident]).await;
    let piotr = app.with_roles("piotr", vec![Role::Resident]).await;
    let adam = app.with_roles("adam", vec![Role::Resident]).await;
    let r = app
        .post_json(&uri, &ewa, None, r#"{"consent": true}"#)
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    assert_eq!(r.json()["name"], "Radna ewa");
    let again = app
        .post_json(&uri, &ewa, None, r#"{"consent": false}"#)
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT, "once: {}", again.text());
    let r = app
        .post_json(&uri, &piotr, None, r#"{"consent": false}"#)
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let r = app
        .post_json(&uri, &adam, None, r#"{"consent": true}"#)
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());

    // anyone: only those who consented, without the consent flag
    let public = app.get(&uri, &anon()).await.json();
    let names: Vec<&str> = public["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Radna ewa", "Radna adam"], "{public}");
    assert_eq!(
        (public["confirmed"].as_u64(), public["named"].as_u64()),
        (Some(3), Some(2))
    );
    assert!(public["items"][0]["consent"].is_null());
    assert_eq!(public["representative"], false);
    // the representative: everyone, with consent, by pages of one
    let first = app.get(&format!("{uri}?limit=1"), &rep).await.json();
    assert_eq!(first["representative"], true);
    assert_eq!(first["items"][0]["name"], "Radna ewa");
    let mut seen = vec![first["items"][0]["consent"].as_bool().unwrap()];
    let mut next = first["next"].as_str().map(str::to_owned);
    while let Some(after) = next {
        let p = app
            .get(&format!("{uri}?limit=1&after={after}"), &rep)
            .await
            .json();
        seen.extend(
            p["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| c["consent"].as_bool().unwrap()),
        );
        next = p["next"].as_str().map(str::to_owned);
    }
    assert_eq!(seen, [true, false, true]);
    assert_eq!(
        app.get(&format!("{uri}?after=x"), &rep).await.status,
        StatusCode::BAD_REQUEST
    );

    // the pages: the register names the consenting, the representative sees Piotr too
    let page = app.get(&format!("/petycje/{sign}"), &anon()).await.text();
    assert!(
        page.contains("Radna adam") && !page.contains("Radna piotr"),
        "{page}"
    );
    let mine = app.get(&format!("/petycje/{sign}"), &rep).await.text();
    assert!(mine.contains("Radna piotr"), "{mine}");
    let ola = app.with_roles("ola", vec![Role::Resident]).await;
    let r = app
        .post_form(&format!("/petycje/{sign}/wspolpodpis"), &ola, "consent=yes")
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let r = app
        .post_form(&format!("/petycje/{sign}/wspolpodpis"), &ola, "consent=yes")
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(r.text().contains("już potwierdziła"), "{}", r.text());

    // one person's petition has no co-signers; a petition dealt with takes none
    let single = app
        .file_example(&rep, "petycja", "g-2", |d| {
            d["submitter_kind"] = json!("person");
            d.as_object_mut().unwrap().remove("members");
            d.as_object_mut().unwrap().remove("representative");
        })
        .await;
    let r = app
        .post_json(
            &format!("/api/petitions/{single}/cosigners"),
            &ewa,
            None,
            r#"{"consent": true}"#,
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text());
    let boss = app.staff("kierownik-or", "OR").await;
    assert_eq!(
        app.act(&boss, &sign, "take", json!({"version": 1}))
            .await
            .status,
        StatusCode::OK
    );
    let r = app
        .act(
            &boss,
            &sign,
            "decide",
            json!({"version": 2, "outcome": "granted", "reason": "Chodnik zostanie zbudowany."}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let late = app.with_roles("late", vec![Role::Resident]).await;
    let r = app
        .post_json(&uri, &late, None, r#"{"consent": true}"#)
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text());
    assert_eq!(
        app.get("/api/petitions/BR.0000.1.2026/cosigners", &anon())
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}
