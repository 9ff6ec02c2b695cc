//! Paper answers typed in with four eyes (issue 14 §3): one clerk types a card in, another
//! accepts or rejects it, the typist cannot; the keyed hash of the card's PESEL meets the
//! same person's online answer, and the online voice wins.

use axum::http::StatusCode;
use okienko::domain::identity::Role;
use serde_json::{Value, json};

use crate::consultations::{codes, consultation, published, put_json, today};
use crate::helpers::{TestApp, anon};

const ONLINE: &str = "44051401359";
const PAPER: &str = "02070803628";
const THIRD: &str = "85071503827";
/// Born on 15 March 2005.
const YOUNG: &str = "05231503452";

fn card(no: &str, pesel: &str, popieram: bool) -> String {
    json!({
        "card": no,
        "pesel": pesel,
        "data": {
            "answers": { "popieram": popieram },
            "declaration": { "lives_in_gmina": true, "area": "SOL-BOROWO" }
        }
    })
    .to_string()
}

/// Types in a card as `clerk`; returns its entry id.
async fn typed(app: &TestApp, url: &str, clerk: &str, body: &str) -> String {
    let r = app
        .post_json(&format!("{url}/paper"), clerk, None, body)
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    assert_eq!(r.json()["state"], "pending");
    r.json()["id"].as_str().unwrap().to_owned()
}

async fn decide(
    app: &TestApp,
    url: &str,
    clerk: &str,
    entry: &str,
    verdict: &str,
    body: &str,
) -> (StatusCode, Value) {
    let r = app
        .post_json(&format!("{url}/paper/{entry}/{verdict}"), clerk, None, body)
        .await;
    (r.status, r.json())
}

#[tokio::test]
async fn paper_cards_are_accepted_by_a_second_clerk_and_meet_online_answers() {
    let app = TestApp::new().await;
    let councillor = app.with_roles("radna-1", vec![Role::Councillor]).await;
    let id = published(&app, &councillor, &consultation("formal_open", today(), 14)).await;
    let url = format!("/api/consultations/{id}");
    let clerk = app.staff("clerk-or", "OR").await;
    let second = app.staff("kierownik-or", "OR").await;
    let resident = app.resident_with_pesel(ONLINE).await;
    let r = put_json(
        &app,
        &format!("{url}/answer"),
        &resident,
        r#"{"declaration":{"lives_in_gmina":true,"area":"OS-CENTRUM"},"data":{"popieram":true}}"#,
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());

    // who may type cards in
    let r = app
        .post_json(
            &format!("{url}/paper"),
            &anon(),
            None,
            &card("K-1", PAPER, true),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    let r = app
        .post_json(
            &format!("{url}/paper"),
            &resident,
            None,
            &card("K-1", PAPER, true),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let foreign = format!("/api/consultations/{}/paper", uuid::Uuid::now_v7());
    let r = app
        .post_json(&foreign, &clerk, None, &card("K-1", PAPER, true))
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);

    // what a card must hold: its number, a valid PESEL, answers the questionnaire takes
    let r = app
        .post_json(
            &format!("{url}/paper"),
            &clerk,
            None,
            &card("K-1", "02070803627", true),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    assert_eq!(codes(&r), ["pesel.checksum"]);
    let r = app
        .post_json(
            &format!("{url}/paper"),
            &clerk,
            None,
            &card(" ", PAPER, true),
        )
        .await;
    assert_eq!(codes(&r), ["paper.card"]);
    let bad = json!({ "card": "K-1", "pesel": PAPER, "data": { "answers": { "uwagi": "x" }, "declaration": { "lives_in_gmina": true, "area": "SOL-BOROWO" } } });
    let r = app
        .post_json(&format!("{url}/paper"), &clerk, None, &bad.to_string())
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    assert_eq!(r.json()["errors"][0]["path"], "popieram");

    // typed in, pending; the same card number twice is refused
    let of_online = typed(&app, &url, &clerk, &card("K-1", ONLINE, false)).await;
    let first = typed(&app, &url, &clerk, &card("K-2", PAPER, false)).await;
    let again = typed(&app, &url, &clerk, &card("K-3", PAPER, true)).await;
    let wrong = typed(&app, &url, &clerk, &card("K-4", THIRD, true)).await;
    let r = app
        .post_json(
            &format!("{url}/paper"),
            &second,
            None,
            &card("K-2", THIRD, true),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text());
    assert!(r.text().contains("K-2"), "{}", r.text());
    let pending = app
        .get(&format!("{url}/paper?state=pending"), &second)
        .await
        .json();
    assert_eq!(pending["items"].as_array().map(Vec::len), Some(4));
    assert_eq!(pending["items"][1]["data"]["answers"]["popieram"], false);
    assert_eq!(pending["items"][1]["entered_by"], "Urzędnik clerk-or");
    assert_eq!(
        app.get(&format!("{url}/paper?state=lost"), &second)
            .await
            .status,
        StatusCode::BAD_REQUEST
    );
    assert_eq!(
        app.get(&format!("{url}/paper"), &resident).await.status,
        StatusCode::FORBIDDEN
    );

    // four eyes: the typist cannot decide their own card
    let (s, v) = decide(&app, &url, &clerk, &first, "accept", "").await;
    assert_eq!(s, StatusCode::FORBIDDEN, "{v}");
    assert!(
        v["detail"].as_str().unwrap().contains("czterech oczu"),
        "{v}"
    );

    // the second clerk: the online voice wins; the first card of a person counts
    let (s, v) = decide(&app, &url, &second, &of_online, "accept", "").await;
    assert_eq!(
        (s, v["state"].as_str()),
        (StatusCode::OK, Some("duplicate")),
        "{v}"
    );
    assert!(v["reason"].as_str().unwrap().contains("internet"), "{v}");
    let (s, v) = decide(&app, &url, &second, &first, "accept", "").await;
    assert_eq!(
        (s, v["state"].as_str()),
        (StatusCode::OK, Some("accepted")),
        "{v}"
    );
    assert_eq!(v["decided_by"], "Urzędnik kierownik-or");
    let (s, v) = decide(&app, &url, &second, &again, "accept", "").await;
    assert_eq!(
        (s, v["state"].as_str()),
        (StatusCode::OK, Some("duplicate")),
        "{v}"
    );
    assert!(
        v["reason"]
            .as_str()
            .unwrap()
            .contains("wcześniejszej karcie"),
        "{v}"
    );
    let (s, _) = decide(&app, &url, &second, &first, "accept", "").await;
    assert_eq!(s, StatusCode::CONFLICT);
    let (s, v) = decide(&app, &url, &second, &wrong, "reject", r#"{"reason":" "}"#).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    let (s, v) = decide(
        &app,
        &url,
        &second,
        &wrong,
        "reject",
        r#"{"reason":"Brak podpisu na karcie."}"#,
    )
    .await;
    assert_eq!(
        (s, v["state"].as_str()),
        (StatusCode::OK, Some("rejected")),
        "{v}"
    );
    let (s, _) = decide(
        &app,
        &url,
        &second,
        &uuid::Uuid::now_v7().to_string(),
        "accept",
        "",
    )
    .await;
    assert_eq!(s, StatusCode::NOT_FOUND);

    // online and paper counted apart and together
    let c = app.get(&url, &anon()).await.json();
    assert_eq!(
        (
            c["answers"].clone(),
            c["answers_online"].clone(),
            c["answers_paper"].clone()
        ),
        (json!(2), json!(1), json!(1))
    );
    let answers = app.get(&format!("{url}/answers"), &councillor).await.json();
    assert_eq!(answers["items"][1]["data"]["popieram"], false);

    // the paper voter answers online later: the online answer replaces the card's
    let neighbour = app.resident_with_pesel(PAPER).await;
    let r = put_json(
        &app,
        &format!("{url}/answer"),
        &neighbour,
        r#"{"declaration":{"lives_in_gmina":true,"area":"OS-CENTRUM"},"data":{"popieram":true}}"#,
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(r.json()["replaced"], true);
    let c = app.get(&url, &anon()).await.json();
    assert_eq!(
        (
            c["answers"].clone(),
            c["answers_online"].clone(),
            c["answers_paper"].clone()
        ),
        (json!(2), json!(2), json!(0))
    );

    // the queue is empty, every card is listed with its outcome, a page at a time
    let pending = app
        .get(&format!("{url}/paper?state=pending"), &second)
        .await
        .json();
    assert_eq!(pending["items"], json!([]));
    let page = app
        .get(&format!("{url}/paper?limit=3"), &second)
        .await
        .json();
    let next = page["next"].as_str().unwrap();
    let rest = app
        .get(&format!("{url}/paper?limit=3&after={next}"), &second)
        .await
        .json();
    let states: Vec<Value> = page["items"]
        .as_array()
        .unwrap()
        .iter()
        .chain(rest["items"].as_array().unwrap())
        .map(|e| e["state"].clone())
        .collect();
    assert_eq!(
        states,
        [
            json!("duplicate"),
            json!("accepted"),
            json!("duplicate"),
            json!("rejected")
        ]
    );
    assert_eq!(rest["next"], Value::Null);

    // every step is in the hash-chained history; no PESEL is kept anywhere
    let h = app.get(&format!("{url}/history"), &anon()).await.json();
    let actions: Vec<&str> = h["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(actions.iter().filter(|a| **a == "paper_entered").count(), 4);
    assert_eq!(actions.iter().filter(|a| **a == "paper_decided").count(), 4);
    assert_eq!(h["verified"], true);
    {
        use okienko::db::entity::paper_entry;
        use sea_orm::EntityTrait;
        let rows = paper_entry::Entity::find()
            .all(&app.state.db)
            .await
            .unwrap();
        assert_eq!(rows.len(), 4);
        for row in rows {
            let text = format!("{row:?}");
            assert!(
                ![ONLINE, PAPER, THIRD].iter().any(|p| text.contains(p)),
                "{text}"
            );
        }
    }
    assert!(
        ![ONLINE, PAPER, THIRD]
            .iter()
            .any(|p| h.to_string().contains(p))
    );
}

#[tokio::test]
async fn anonymous_paper_answers_keep_no_link_once_decided() {
    use okienko::db::entity::{consultation_answer, consultation_participant, paper_entry};
    use sea_orm::EntityTrait;
    let app = TestApp::new().await;
    let councillor = app.with_roles("radna-1", vec![Role::Councillor]).await;
    let mut c = consultation("informal_open", today(), 14);
    c["anonymous"] = json!(true);
    let id = published(&app, &councillor, &c).await;
    let url = format!("/api/consultations/{id}");
    let clerk = app.staff("clerk-or", "OR").await;
    let second = app.staff("kierownik-or", "OR").await;
    let entry = typed(&app, &url, &clerk, &card("A-1", YOUNG, true)).await;
    let (s, v) = decide(&app, &url, &second, &entry, "accept", "").await;
    assert_eq!(
        (s, v["state"].as_str()),
        (StatusCode::OK, Some("accepted")),
        "{v}"
    );
    // once decided, the card no longer holds what the person answered
    assert_eq!(v["data"], Value::Null);
    let row = paper_entry::Entity::find()
        .all(&app.state.db)
        .await
        .unwrap();
    assert_eq!(row[0].data, "");
    // who answered (with where from and their age band) and what was answered stay apart
    let people = consultation_participant::Entity::find()
        .all(&app.state.db)
        .await
        .unwrap();
    let answers = consultation_answer::Entity::find()
        .all(&app.state.db)
        .await
        .unwrap();
    assert_eq!(
        (people[0].channel.as_str(), people[0].age_band.as_deref()),
        ("paper", Some("18-24"))
    );
    assert_eq!(
        (answers[0].channel.as_str(), answers[0].age_band.as_deref()),
        ("paper", None)
    );
    assert_ne!(answers[0].participant, people[0].participant);
    // the first voice counts: the same person online is refused, and a second card too
    let neighbour = app.resident_with_pesel(YOUNG).await;
    let r = put_json(
        &app,
        &format!("{url}/answer"),
        &neighbour,
        r#"{"declaration":{"lives_in_gmina":true,"area":"OS-CENTRUM"},"data":{"popieram":false}}"#,
    )
    .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text());
    let entry = typed(&app, &url, &clerk, &card("A-2", YOUNG, false)).await;
    let (_, v) = decide(&app, &url, &second, &entry, "accept", "").await;
    assert_eq!(v["state"], "duplicate", "{v}");
}
