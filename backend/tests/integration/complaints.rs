//! Complaints and motions (KPA dział VIII, issue 16 §4): dealt with within a month (art.
//! 237 § 1), forwarded within 7 days when another body is competent (art. 231 § 1), and an
//! anonymous one left without consideration at once (§ 8 ust. 1 of the rozporządzenie Rady
//! Ministrów z 8 stycznia 2002 r.), a named one never without being dealt with.

use axum::http::StatusCode;
use sea_orm::ConnectionTrait;
use serde_json::json;

use crate::helpers::TestApp;

fn today() -> time::Date {
    okienko::domain::clock::in_poland(time::OffsetDateTime::now_utc()).date()
}

async fn started(app: &TestApp, sign: &str, on: time::Date) {
    app.state
        .db
        .execute_unprepared(&format!(
            "UPDATE case_file SET started_on = '{on}' WHERE sign = '{sign}'"
        ))
        .await
        .unwrap();
}

/// KPA art. 237 § 1 and art. 231 § 1: a month to deal with it; forwarding on the 7th day
/// after filing is in time, on the 8th it is refused, naming the last day.
#[tokio::test]
async fn kpa_art_231_and_237_a_month_and_7_days_to_forward() {
    let app = TestApp::new().await;
    let me = app
        .resident(okienko::domain::level::IdentityLevel::Low)
        .await;
    let sign = app.file_example(&me, "skarga-wniosek", "k-1", |_| ()).await;
    let boss = app.staff("kierownik-or", "OR").await;
    let case = app.get(&format!("/api/cases/{sign}"), &boss).await.json();
    let filed = okienko::forms::expr::parse_date(case["started_on"].as_str().unwrap()).unwrap();
    let due = okienko::forms::expr::parse_date(case["due_on"].as_str().unwrap()).unwrap();
    let month = okienko::domain::term::add_months(filed, 1).unwrap();
    assert!(
        due >= month && due <= month + time::Duration::days(3),
        "{filed} → {due}"
    );
    assert_eq!(
        app.act(&boss, &sign, "take", json!({"version": 1}))
            .await
            .status,
        StatusCode::OK
    );

    let forward = json!({"version": 2, "outcome": "forwarded", "reason": "sprawa należy do starosty", "forward_to": "Starosta Przykładowy"});
    started(&app, &sign, today() - time::Duration::days(8)).await;
    let r = app.act(&boss, &sign, "decide", forward.clone()).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text());
    let last = okienko::domain::clock::pl_date(today() - time::Duration::days(1));
    assert!(
        r.text().contains("KPA art. 231") && r.text().contains(&last),
        "{}",
        r.text()
    );
    started(&app, &sign, today() - time::Duration::days(7)).await;
    let r = app.act(&boss, &sign, "decide", forward).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(r.json()["outcome"], "forwarded");
}

/// § 8 ust. 1 of the 2002 rozporządzenie: a complaint registered without its author's
/// name or address is left without consideration at once, with its ground in the history;
/// one that names them is not, even without a call.
#[tokio::test]
async fn kpa_an_anonymous_complaint_is_left_without_consideration() {
    let app = TestApp::new().await;
    let me = app
        .resident(okienko::domain::level::IdentityLevel::Low)
        .await;
    let boss = app.staff("kierownik-or", "OR").await;
    let named = app
        .file_example(&me, "skarga-wniosek", "k-2", |d| {
            d["kind"] = json!("complaint");
        })
        .await;
    let anonymous = app
        .file_example(&me, "skarga-wniosek", "k-3", |d| {
            d["kind"] = json!("complaint");
        })
        .await;
    // as a complaint registered from an unsigned letter stands
    app.state
        .db
        .execute_unprepared(&format!(
            "UPDATE submission SET data = '{}' WHERE id = (SELECT submission_id FROM case_file WHERE sign = '{anonymous}')",
            json!({"kind": "complaint", "subject": "Urzędnik był nieuprzejmy", "content": "Skarżę się na obsługę w urzędzie."})
        ))
        .await
        .unwrap();
    for s in [&named, &anonymous] {
        assert_eq!(
            app.act(&boss, s, "take", json!({"version": 1}))
                .await
                .status,
            StatusCode::OK
        );
    }
    let leave =
        json!({"version": 2, "outcome": "left_unconsidered", "reason": "Skarga anonimowa."});
    let r = app.act(&boss, &named, "decide", leave.clone()).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text());
    assert!(r.text().contains("nie jest anonimowa"), "{}", r.text());
    let page = app
        .get(&format!("/urzad/sprawy/{anonymous}"), &boss)
        .await
        .text();
    assert!(page.contains("Do pozostawienia bez rozpatrzenia"), "{page}");
    let r = app.act(&boss, &anonymous, "decide", leave).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let h = app
        .get(&format!("/api/cases/{anonymous}/history"), &boss)
        .await
        .json();
    let decide = h["entries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["action"] == "decide")
        .unwrap()
        .clone();
    assert_eq!(decide["detail"]["ground"], "kpa_rozp_8", "{decide}");
}

/// KPA art. 229 pkt 3 and u.s.g. art. 18b: a complaint about the wójt or a motion to the
/// council, addressed to it on the form, goes to the council office and its committee's
/// queue with its month; one to the wójt stays with the office.
#[tokio::test]
async fn kpa_art_229_a_motion_to_the_council_reaches_its_committee() {
    use okienko::domain::identity::Role;
    let app = TestApp::with(|s| crate::council::council_of(s, 15)).await;
    let me = app
        .resident(okienko::domain::level::IdentityLevel::Low)
        .await;
    let to_council = app
        .file_example(&me, "skarga-wniosek", "k-4", |d| {
            d["addressee"] = json!("council");
            d["subject"] = json!("Transmisje sesji rady w internecie");
        })
        .await;
    assert!(to_council.starts_with("BR.1510."), "{to_council}");
    let to_office = app.file_example(&me, "skarga-wniosek", "k-5", |_| ()).await;
    assert!(to_office.starts_with("OR.1510."), "{to_office}");
    let member = app.with_roles("radny-2", vec![Role::Councillor]).await;
    let q = app.get("/api/council/queue", &member).await.json();
    let items = q["items"].as_array().unwrap();
    assert_eq!(items.len(), 1, "{q}");
    assert_eq!(items[0]["sign"], to_council.as_str());
    assert_eq!(items[0]["kind"], "motion");
    assert!(
        items[0]["term"].as_str().unwrap().contains("art. 237 § 1"),
        "{q}"
    );
}
