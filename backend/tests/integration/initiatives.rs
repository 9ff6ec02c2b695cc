//! The citizens' legislative initiative (u.s.g. art. 41a, issue 16 §3): a committee
//! registers, residents with the right to vote support it once each, the representative
//! files it at the threshold and it becomes a case due within 3 months, and the office
//! verifies the supports against the voters' register.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use okienko::domain::identity::Role;
use serde_json::{Value, json};

use crate::helpers::{Resp, TestApp};

/// A valid PESEL of someone born on `yymmdd` (month with the century offset), serial `n`.
fn pesel(yymmdd: &str, n: u32) -> String {
    let body = format!("{yymmdd}{n:04}");
    let w = [1, 3, 7, 9, 1, 3, 7, 9, 1, 3];
    let sum: u32 = body
        .chars()
        .zip(w)
        .map(|(c, w)| c.to_digit(10).unwrap() * w)
        .sum();
    format!("{body}{}", (10 - sum % 10) % 10)
}

fn registration(members: usize) -> String {
    let members: Vec<Value> = (0..members)
        .map(|i| json!({ "name": format!("Członek Komitetu {i}"), "residence": "Przykładowo", "representative": i == 0 }))
        .collect();
    json!({
        "title": "W sprawie nadania nazwy skwerowi przy ulicy Lipowej",
        "draft": "§ 1. Skwerowi położonemu przy ulicy Lipowej nadaje się nazwę Skwer Seniora. § 2. Uchwała wchodzi w życie po upływie 14 dni od dnia ogłoszenia.",
        "justification": "Mieszkańcy osiedla od lat spotykają się na tym skwerze i chcą, by jego nazwa to upamiętniała.",
        "members": members,
    })
    .to_string()
}

const YES: &str = r#"{"permanent_resident": true, "eu_citizen": true}"#;

async fn support(app: &TestApp, id: &str, cookie: &str, body: &str) -> Resp {
    app.post_json(
        &format!("/api/initiatives/{id}/supports"),
        cookie,
        None,
        body,
    )
    .await
}

async fn registered(app: &TestApp, representative: &str) -> String {
    let r = app
        .post_json("/api/initiatives", representative, None, &registration(5))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    r.json()["id"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn usg_art_41a_registration_names_each_rule() {
    let app = TestApp::new().await;
    let anon = app
        .post_json("/api/initiatives", "", None, &registration(5))
        .await;
    assert_eq!(anon.status, StatusCode::UNAUTHORIZED);
    let clerk = app.staff("urzednik-or", "OR").await;
    let r = app
        .post_json("/api/initiatives", &clerk, None, &registration(5))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text());

    let resident = app.resident_with_pesel(&pesel("800101", 1)).await;
    let r = app
        .post_json("/api/initiatives", &resident, None, &registration(3))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    let errors = r.json()["errors"].clone();
    assert_eq!(errors[0]["path"], "members", "{errors}");
    assert!(
        errors[0]["message"]
            .as_str()
            .unwrap()
            .contains("co najmniej 5"),
        "{errors}"
    );
    // nothing was stored
    let list = app.get("/api/initiatives", "").await;
    assert_eq!(list.json()["items"].as_array().unwrap().len(), 0);
}

#[tokio::test]
async fn usg_art_41a_ust_3_threshold_from_the_population() {
    for (residents, threshold) in [(5_000, 100), (5_001, 200), (20_000, 200), (20_001, 300)] {
        let app = TestApp::with(|s| s.initiative.residents = residents).await;
        let rep = app.resident_with_pesel(&pesel("800101", 1)).await;
        let id = registered(&app, &rep).await;
        let page = app.get(&format!("/api/initiatives/{id}"), "").await;
        assert_eq!(page.json()["threshold"], threshold, "{residents} residents");
    }
}

#[tokio::test]
async fn usg_art_41a_supports_filing_and_verification() {
    let app = TestApp::with(|s| {
        s.initiative.residents = 4_800;
        crate::council::council_of(s, 15);
    })
    .await;
    let rep = app.resident_with_pesel(&pesel("800101", 1)).await;
    let id = registered(&app, &rep).await;

    // a 17-year-old is refused with the day they come of age: born 2009-06-15 (PESEL
    // month 26 = June of the 2000s) is 17 until 15.06.2027
    let minor = app.resident_with_pesel(&pesel("092615", 7)).await;
    let r = support(&app, &id, &minor, YES).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text());
    let msg = r.json()["detail"].as_str().unwrap_or_default().to_owned();
    assert!(
        msg.contains("15.06.2027") && msg.contains("art. 41a"),
        "{}",
        r.text()
    );
    // residence must be declared
    let adult = app.resident_with_pesel(&pesel("750303", 2)).await;
    let r = support(
        &app,
        &id,
        &adult,
        r#"{"permanent_resident": false, "eu_citizen": true}"#,
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    assert_eq!(r.json()["errors"][0]["path"], "permanent_resident");

    // 99 residents support it; the same one again is refused
    let mut pesels = Vec::new();
    for n in 0..99 {
        let p = pesel("700101", 100 + n);
        let cookie = app.resident_with_pesel(&p).await;
        let r = support(&app, &id, &cookie, YES).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
        pesels.push(p);
    }
    let again = app.resident_with_pesel(&pesels[0]).await;
    let r = support(&app, &id, &again, YES).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text());

    // below the threshold the draft cannot be filed, and says by how much
    let r = app
        .post_json(&format!("/api/initiatives/{id}/file"), &rep, None, "")
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text());
    assert!(
        r.text().contains("99") && r.text().contains("100"),
        "{}",
        r.text()
    );

    let last = pesel("700101", 500);
    let cookie = app.resident_with_pesel(&last).await;
    assert_eq!(
        support(&app, &id, &cookie, YES).await.status,
        StatusCode::CREATED
    );
    pesels.push(last);

    // only the representative files it
    let other = app.resident_with_pesel(&pesel("800101", 9)).await;
    let r = app
        .post_json(&format!("/api/initiatives/{id}/file"), &other, None, "")
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text());
    let r = app
        .post_json(&format!("/api/initiatives/{id}/file"), &rep, None, "")
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let submission = r.json()["submission_id"].as_str().unwrap().to_owned();
    let case = okienko::db::cases::by_submission(&app.state.db, &submission)
        .await
        .unwrap()
        .expect("a case");
    assert_eq!(case.service_id, "inicjatywa-uchwalodawcza");
    // the council's business: its office keeps it (u.s.g. art. 41a)
    assert!(case.sign.starts_with("BR.0003."), "{}", case.sign);
    let filed_on = case.started_on;
    let limit = okienko::domain::initiative::session_due(filed_on).unwrap();
    assert!(case.due_on >= limit && case.due_on <= limit + time::Duration::days(3));
    // … and it waits in the committee's queue with its 3-month term, not yet overdue
    let committee = app.with_roles("radny-2", vec![Role::Councillor]).await;
    let sign = case.sign.clone();
    let in_queue = |v: Value| {
        v["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["sign"] == sign.as_str())
            .cloned()
            .unwrap_or(Value::Null)
    };
    let q = in_queue(app.get("/api/council/queue", &committee).await.json());
    assert_eq!(q["kind"], "initiative", "{q}");
    assert_eq!(
        q["subject"],
        "W sprawie nadania nazwy skwerowi przy ulicy Lipowej"
    );
    assert_eq!(q["due_on"], case.due_on.to_string());
    assert!(
        q["term"].as_str().unwrap().contains("art. 41a ust. 4"),
        "{q}"
    );
    assert_eq!(q["overdue"], false);

    // collecting is over; filing again is refused
    let late = app.resident_with_pesel(&pesel("700101", 900)).await;
    assert_eq!(
        support(&app, &id, &late, YES).await.status,
        StatusCode::CONFLICT
    );
    let r = app
        .post_json(&format!("/api/initiatives/{id}/file"), &rep, None, "")
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);

    // the office verifies: residents cannot, a rejection needs its reason
    let clerk = app.staff("urzednik-or", "OR").await;
    let r = app
        .get(&format!("/api/initiatives/{id}/supports"), &rep)
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = app
        .get(&format!("/api/initiatives/{id}/supports?limit=100"), &clerk)
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let items = r.json()["items"].as_array().unwrap().clone();
    assert_eq!(items.len(), 100);
    assert!(
        items.iter().all(|s| s["pesel"].is_null()),
        "PESEL is off by default"
    );
    let first = items[0]["id"].as_str().unwrap();
    let uri = format!("/api/initiatives/{id}/supports/{first}/verdict");
    let r = put_json(&app, &uri, &clerk, r#"{"accepted": false}"#).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    let r = put_json(
        &app,
        &uri,
        &clerk,
        r#"{"accepted": false, "reason": "podpis nieczytelny"}"#,
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(r.json()["supports"]["rejected"], 1);

    // the register has 60 of the other 99 supporters
    let csv = format!("pesel;nazwisko\n{}\n", pesels[1..61].join(";X\n"));
    let r = app
        .send(
            Request::post(format!("/api/initiatives/{id}/register-check"))
                .header(header::CONTENT_TYPE, "text/csv")
                .header(header::COOKIE, &clerk)
                .body(Body::from(csv))
                .unwrap(),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let v = r.json();
    assert_eq!(
        (v["accepted"].as_u64(), v["rejected"].as_u64()),
        (Some(60), Some(39)),
        "{v}"
    );
    assert_eq!(v["counts"]["pending"], 0);
    let page = app.get(&format!("/api/initiatives/{id}"), "").await;
    assert_eq!(page.json()["state"], "filed");
    assert_eq!(page.json()["supports"]["accepted"], 60);

    // a draft the council has not taken up by its due day shows as overdue
    let boss = app.staff("kierownik-or", "OR").await;
    assert_eq!(
        app.get("/api/stats", &boss).await.json()["initiatives_overdue"],
        0
    );
    use sea_orm::{ActiveModelTrait, ActiveValue::Set, IntoActiveModel};
    let mut late = case.into_active_model();
    late.due_on = Set(okienko::participation::initiative::today() - time::Duration::days(1));
    late.update(&app.state.db).await.unwrap();
    assert_eq!(
        app.get("/api/stats", &boss).await.json()["initiatives_overdue"],
        1
    );
    let q = in_queue(app.get("/api/council/queue", &committee).await.json());
    assert_eq!(q["overdue"], true, "{q}");
    let page = app.get("/rada/komisja", &committee).await;
    assert!(
        page.text().contains(&sign) && page.text().contains("po terminie"),
        "{}",
        page.text()
    );
}

#[tokio::test]
async fn the_initiatives_service_is_filed_only_from_its_page() {
    let app = TestApp::new().await;
    let r = app.get("/api/services/inicjatywa-uchwalodawcza", "").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let list = app.get("/api/services", "").await;
    assert!(!list.text().contains("inicjatywa-uchwalodawcza"));
    let resident = app.resident_with_pesel(&pesel("800101", 1)).await;
    let r = app
        .post_json(
            "/api/services/inicjatywa-uchwalodawcza/submissions",
            &resident,
            Some("k1"),
            r#"{"data": {}}"#,
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let councillor = app.with_roles("radna", vec![Role::Councillor]).await;
    let r = app
        .post_json("/api/initiatives", &councillor, None, &registration(5))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}

async fn put_json(app: &TestApp, uri: &str, cookie: &str, body: &str) -> Resp {
    app.send(
        Request::put(uri)
            .header(header::CONTENT_TYPE, "application/json")
            .header(header::COOKIE, cookie)
            .body(Body::from(body.to_owned()))
            .expect("request"),
    )
    .await
}

#[tokio::test]
async fn initiative_pages_register_promote_and_refuse_in_polish() {
    let app = TestApp::new().await;
    let rep = app.resident_with_pesel(&pesel("800101", 1)).await;
    let form = app.get("/inicjatywy/nowa", &rep).await;
    assert_eq!(form.status, StatusCode::OK, "{}", form.text());
    assert!(form.text().contains("Komitet inicjatywy"));

    // three members: refused with the resolution's minimum, what was typed kept
    let few = "title=W+sprawie+skweru+przy+Lipowej&draft=%C2%A7+1.+Skwerowi+nadaje+si%C4%99+nazw%C4%99+Skwer+Seniora.&justification=Mieszka%C5%84cy+chc%C4%85+upami%C4%99tni%C4%87+seniora.&representative=0&name_0=Jan+Kowalski&residence_0=Przyk%C5%82adowo&name_1=Anna+Nowak&residence_1=Przyk%C5%82adowo&name_2=Ewa+Lis&residence_2=Borowo";
    let r = app.post_form("/inicjatywy/nowa", &rep, few).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    assert!(r.text().contains("co najmniej 5"), "{}", r.text());
    assert!(r.text().contains("Ewa Lis"), "typed rows are kept");

    let enough = format!(
        "{few}&name_3=Piotr+Wi%C5%9Bniewski&residence_3=Lipnik&name_4=Adam+W%C3%B3jcik&residence_4=Lipnik"
    );
    let r = app.post_form("/inicjatywy/nowa", &rep, &enough).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let page_url = r.headers["location"].to_str().unwrap().to_owned();

    let page = app.get(&page_url, "").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.text().contains("Skwer Seniora") && page.text().contains("Zaloguj się"));
    let list = app.get("/inicjatywy", "").await;
    assert!(list.text().contains("W sprawie skweru przy Lipowej"));

    // a minor is told the day from which they may support it, on the page
    let minor = app.resident_with_pesel(&pesel("092615", 7)).await;
    let r = app
        .post_form(
            &format!("{page_url}/poparcie"),
            &minor,
            "permanent_resident=yes&eu_citizen=yes",
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(r.text().contains("15.06.2027"), "{}", r.text());
    let adult = app.resident_with_pesel(&pesel("750303", 2)).await;
    let r = app
        .post_form(
            &format!("{page_url}/poparcie"),
            &adult,
            "permanent_resident=yes&eu_citizen=yes",
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let page = app.get(&page_url, &adult).await;
    assert!(
        page.text().contains("1 z wymaganych 200"),
        "{}",
        page.text()
    );
}

#[tokio::test]
async fn usg_art_41a_paper_lists_with_four_eyes_and_one_support_a_person() {
    let app = TestApp::new().await;
    let rep = app.resident_with_pesel(&pesel("800101", 1)).await;
    let id = registered(&app, &rep).await;
    let online = pesel("750303", 2);
    let cookie = app.resident_with_pesel(&online).await;
    assert_eq!(
        support(&app, &id, &cookie, YES).await.status,
        StatusCode::CREATED
    );

    let (typist, checker) = (
        app.staff("urzednik-or", "OR").await,
        app.staff("kierownik-or", "OR").await,
    );
    let card = |line: &str, p: &str| {
        json!({ "card": line, "pesel": p, "data": { "name": "Maria Lis", "address": "Lipowa 5, Przykładowo", "signed_on": "2026-11-20" } }).to_string()
    };
    let uri = format!("/api/initiatives/{id}/paper");
    // residents do not type lists in
    let r = app
        .post_json(&uri, &rep, None, &card("1/1", &pesel("600101", 3)))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // a minor's signature is refused with the day they come of age
    let r = app
        .post_json(&uri, &typist, None, &card("1/2", &pesel("092615", 7)))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text());
    assert!(r.text().contains("15.06.2027"));

    let r = app
        .post_json(&uri, &typist, None, &card("1/1", &pesel("600101", 3)))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let new = r.json()["id"].as_str().unwrap().to_owned();
    let dup = app
        .post_json(&uri, &typist, None, &card("1/3", &online))
        .await;
    assert_eq!(dup.status, StatusCode::CREATED, "{}", dup.text());
    let dup = dup.json()["id"].as_str().unwrap().to_owned();
    // nothing counts before a second clerk accepts it; the typist may not
    let page = app.get(&format!("/api/initiatives/{id}"), "").await;
    assert_eq!(page.json()["supports"]["paper"], 0);
    let r = app
        .post_json(&format!("{uri}/{new}/accept"), &typist, None, "")
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text());
    let r = app
        .post_json(&format!("{uri}/{new}/accept"), &checker, None, "")
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(r.json()["state"], "accepted");
    // the one who supported online signed a list too: one support counts
    let r = app
        .post_json(&format!("{uri}/{dup}/accept"), &checker, None, "")
        .await;
    assert_eq!(r.json()["state"], "duplicate", "{}", r.text());
    let page = app.get(&format!("/api/initiatives/{id}"), "").await;
    assert_eq!(page.json()["supports"]["paper"], 1);
    assert_eq!(page.json()["supports"]["online"], 1);
    let pending = app.get(&format!("{uri}?state=pending"), &checker).await;
    assert_eq!(pending.json()["items"].as_array().unwrap().len(), 0);
}
