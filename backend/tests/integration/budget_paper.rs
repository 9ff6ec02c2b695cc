//! Paper in the participatory budget (issue 15 §2–3): voting cards and support lists typed
//! in by one clerk and accepted by another; the keyed hash of the card's PESEL meets the
//! same person's online ballot or support, and the first one recorded counts. A card that
//! breaks its pool's rule is an invalid ballot; the protocol counts online and paper apart.

use axum::http::StatusCode;
use serde_json::{Value, json};
use time::Duration;

use crate::budget::{codes, edition, pesel_born, today, voting_on_one_project, worker_on};
use crate::helpers::{TestApp, anon};

const ONLINE: &str = "44051401359";
const PAPER: &str = "02070803628";

fn pesel(serial: u16) -> String {
    pesel_born(today() - Duration::days(365 * 40), serial)
}

fn card(no: &str, pesel: &str, area: Option<&str>, choices: Value) -> String {
    json!({
        "card": no,
        "pesel": pesel,
        "data": { "declares_residence": true, "area": area, "choices": choices }
    })
    .to_string()
}

async fn typed(app: &TestApp, url: &str, clerk: &str, body: &str) -> String {
    let r = app.post_json(url, clerk, None, body).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    assert_eq!(r.json()["state"], "pending");
    r.json()["id"].as_str().unwrap().to_owned()
}

async fn accept(app: &TestApp, url: &str, clerk: &str, entry: &str) -> Value {
    let r = app
        .post_json(&format!("{url}/{entry}/accept"), clerk, None, "{}")
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    r.json()
}

#[tokio::test]
async fn paper_ballots_meet_online_ones_and_the_first_recorded_counts() {
    let app = TestApp::new().await;
    let (_, url, park) = voting_on_one_project(&app, edition()).await;
    let cards = format!("{url}/paper/ballots");
    let clerk = app.staff("urzednik-karty", "IN").await;
    let second = app.staff("kierownik-karty", "IN").await;
    let gmina = json!({ "GMINA": [{ "project": park }] });

    // who may type cards in
    let body = card("K-1", ONLINE, None, gmina.clone());
    let r = app.post_json(&cards, &anon(), None, &body).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{}", r.text());
    let resident = app.resident_with_pesel(ONLINE).await;
    let r = app.post_json(&cards, &resident, None, &body).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text());
    let r = app
        .post_json(
            "/api/budgets/00000000-0000-7000-8000-000000000000/paper/ballots",
            &clerk,
            None,
            &body,
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.text());

    // typing errors are refused by field: nothing a card could say
    let r = app
        .post_json(
            &cards,
            &clerk,
            None,
            &card("K-9", "44051401358", None, gmina.clone()),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    assert_eq!(r.json()["errors"][0]["path"], "pesel");
    let nowhere = json!({ "GMINA": [{ "project": "00000000-0000-7000-8000-000000000000" }] });
    let r = app
        .post_json(&cards, &clerk, None, &card("K-9", ONLINE, None, nowhere))
        .await;
    assert_eq!(codes(&r), ["ballot.unknown_project"], "{}", r.text());
    let r = app
        .post_json(
            &cards,
            &clerk,
            None,
            &card("K-9", ONLINE, None, json!({ "NIE-MA": [] })),
        )
        .await;
    assert_eq!(codes(&r), ["ballot.unknown_pool"], "{}", r.text());
    let r = app
        .post_json(
            &cards,
            &clerk,
            None,
            &card("K-9", ONLINE, Some("MARS"), gmina.clone()),
        )
        .await;
    assert_eq!(codes(&r), ["ballot.unknown_area"], "{}", r.text());

    // online first: the card of the same person is an invalid ballot (duplicate)
    let r = app
        .post_json(
            &format!("{url}/ballots"),
            &resident,
            None,
            &json!({ "declares_residence": true, "choices": gmina }).to_string(),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let k1 = typed(&app, &cards, &clerk, &body).await;
    let r = app.post_json(&cards, &second, None, &body).await;
    assert_eq!(
        r.status,
        StatusCode::CONFLICT,
        "a card is typed in once: {}",
        r.text()
    );
    // four eyes: the typist cannot accept
    let r = app
        .post_json(&format!("{cards}/{k1}/accept"), &clerk, None, "{}")
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text());
    let d = accept(&app, &cards, &second, &k1).await;
    assert_eq!(d["state"], "duplicate", "{d}");
    assert_eq!(d["data"], Value::Null, "a decided card's marks are erased");
    let r = app
        .post_json(&format!("{cards}/{k1}/accept"), &second, None, "{}")
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text());

    // paper first: the same person's online ballot is refused
    let k2 = typed(
        &app,
        &cards,
        &clerk,
        &card("K-2", PAPER, Some("OS-CENTRUM"), gmina.clone()),
    )
    .await;
    assert_eq!(
        accept(&app, &cards, &second, &k2).await["state"],
        "accepted"
    );
    let on_paper = app.resident_with_pesel(PAPER).await;
    let r = app
        .post_json(
            &format!("{url}/ballots"),
            &on_paper,
            None,
            &json!({ "declares_residence": true, "choices": gmina }).to_string(),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text());

    // a card with nothing marked breaks the rule; a pool of an area not declared is not
    // the voter's; no declaration of residence: each an invalid ballot, by reason
    let k3 = typed(
        &app,
        &cards,
        &clerk,
        &card("K-3", &pesel(11), None, json!({})),
    )
    .await;
    let d = accept(&app, &cards, &second, &k3).await;
    assert_eq!(d["state"], "rejected", "{d}");
    assert!(
        d["reason"]
            .as_str()
            .unwrap()
            .starts_with("karta nieważna (rule_broken)"),
        "{d}"
    );
    let k4 = typed(
        &app,
        &cards,
        &clerk,
        &card(
            "K-4",
            &pesel(12),
            None,
            json!({ "GMINA": [{ "project": park }], "OS-CENTRUM": [] }),
        ),
    )
    .await;
    let d = accept(&app, &cards, &second, &k4).await;
    assert!(
        d["reason"]
            .as_str()
            .unwrap()
            .starts_with("karta nieważna (ineligible)"),
        "{d}"
    );
    // typed in wrongly: rejected by the second clerk with a reason, not counted at all
    let k5 = typed(
        &app,
        &cards,
        &clerk,
        &card("K-5", &pesel(13), None, gmina.clone()),
    )
    .await;
    let r = app
        .post_json(
            &format!("{cards}/{k5}/reject"),
            &second,
            None,
            r#"{"reason":" "}"#,
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    let r = app
        .post_json(
            &format!("{cards}/{k5}/reject"),
            &second,
            None,
            r#"{"reason":"inny numer PESEL niż na karcie"}"#,
        )
        .await;
    assert_eq!(r.json()["state"], "rejected", "{}", r.text());

    // a card still waiting holds the results back until its second clerk decides it
    let k6 = typed(
        &app,
        &cards,
        &clerk,
        &card("K-6", &pesel(14), None, gmina.clone()),
    )
    .await;
    let pending = app.get(&format!("{cards}?state=pending"), &second).await;
    assert_eq!(
        pending.json()["items"].as_array().unwrap().len(),
        1,
        "{}",
        pending.text()
    );
    worker_on(&app, 41).await;
    worker_on(&app, 42).await;
    let r = app.get(&format!("{url}/results"), &anon()).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.text());
    assert_eq!(
        accept(&app, &cards, &second, &k6).await["state"],
        "accepted"
    );
    worker_on(&app, 43).await;
    let r = app.get(&format!("{url}/results"), &anon()).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let b = &r.json()["ballots"];
    assert_eq!(b["online"], 1, "{b}");
    assert_eq!(b["paper"], 5, "{b}");
    assert_eq!(b["valid"], 3, "{b}");
    assert_eq!(
        b["invalid"],
        json!({ "duplicate": 1, "ineligible": 1, "rule_broken": 1 }),
        "{b}"
    );
    assert_eq!(r.json()["pools"][0]["projects"][0]["votes"], 3);
    // the protocol as PDF/UA: tagged, titled, in Polish; the signed JSON is unchanged
    let signed = r.json();
    let pdf = app.get(&format!("{url}/results.pdf"), &anon()).await;
    assert_eq!(pdf.status, StatusCode::OK, "{}", pdf.text());
    assert_eq!(pdf.headers["content-type"], "application/pdf");
    assert!(
        pdf.body.starts_with(b"%PDF-1.7"),
        "PDF/UA-1 is PDF 1.7 at most"
    );
    let raw = String::from_utf8_lossy(&pdf.body);
    for marker in ["pdfuaid:part", "/StructTreeRoot", "/MarkInfo", "/Lang"] {
        assert!(raw.contains(marker), "no {marker} in the PDF");
    }
    assert_eq!(
        app.get(&format!("{url}/results"), &anon()).await.json(),
        signed
    );
    // after the results no card is typed in
    let r = app
        .post_json(&cards, &clerk, None, &card("K-7", &pesel(15), None, gmina))
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text());
    let h = app.get(&format!("{url}/history"), &anon()).await.json();
    let decided = h["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["action"] == "paper_decided")
        .count();
    assert_eq!(decided, 6, "{h}");
}

#[tokio::test]
async fn paper_support_lists_meet_online_supports() {
    let app = TestApp::new().await;
    let coordinator = app
        .with_roles("koordynator", vec![okienko::domain::identity::Role::Admin])
        .await;
    let clerk = app.staff("urzednik-listy", "IN").await;
    let second = app.staff("kierownik-listy", "IN").await;
    let author = app.resident_with_pesel("85031200010").await;
    let online = app.resident_with_pesel(ONLINE).await;
    let r = app
        .post_json(
            "/api/budgets",
            &coordinator,
            None,
            &json!({ "edition": edition() }).to_string(),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let url = format!("/api/budgets/{}", r.json()["id"].as_str().unwrap());
    let park = crate::budget::propose(
        &app,
        &url,
        &author,
        &crate::budget::project("Park", "GMINA", "1000"),
    )
    .await;
    let lists = format!("{url}/paper/supports");
    let line = |no: &str, pesel: &str, project: &str| {
        json!({ "card": no, "pesel": pesel, "data": { "project": project } }).to_string()
    };
    let r = app
        .post_json(
            &format!("{url}/projects/{park}/supports"),
            &online,
            None,
            "{}",
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    // the same person on a paper list: a duplicate; another person counts
    let l1 = typed(&app, &lists, &clerk, &line("1/1", ONLINE, &park)).await;
    assert_eq!(
        accept(&app, &lists, &second, &l1).await["state"],
        "duplicate"
    );
    let l2 = typed(&app, &lists, &clerk, &line("1/2", PAPER, &park)).await;
    assert_eq!(
        accept(&app, &lists, &second, &l2).await["state"],
        "accepted"
    );
    let l3 = typed(&app, &lists, &clerk, &line("1/3", PAPER, &park)).await;
    assert_eq!(
        accept(&app, &lists, &second, &l3).await["state"],
        "duplicate"
    );
    let r = app.get(&format!("{url}/projects/{park}"), &anon()).await;
    assert_eq!(r.json()["supports"], 2, "{}", r.text());
    let r = app
        .post_json(
            &lists,
            &clerk,
            None,
            &line("1/4", &pesel(21), "nie-projekt"),
        )
        .await;
    assert_eq!(codes(&r), ["budget.unknown_project"], "{}", r.text());
    // with two supports the project passes its formal evaluation (threshold 2)
    worker_on(&app, 11).await;
    let r = app
        .post_json(
            &format!("{url}/projects/{park}/evaluation"),
            &clerk,
            None,
            &json!({ "stage": "formal", "positive": true, "reasons": "Spełnia wymogi." })
                .to_string(),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    // once evaluated, its supports are closed
    let r = app
        .post_json(&lists, &clerk, None, &line("1/5", &pesel(22), &park))
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text());
    // after the evaluation window, no list is typed in
    worker_on(&app, 21).await;
    let r = app.get(&lists, &clerk).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text());
}

/// Issue 15: the count and the cards cannot interleave. The worker publishes the protocol
/// only where no paper card was typed in or decided since it read the edition
/// (`budget_edition.paper_seq`); a card decided while it counted sends the count round
/// again on the next pass, and once the protocol is out no card is taken.
#[tokio::test]
async fn a_card_decided_while_the_count_runs_makes_it_count_again() {
    let app = TestApp::new().await;
    let (id, url, park) = voting_on_one_project(&app, edition()).await;
    let cards = format!("{url}/paper/ballots");
    let clerk = app.staff("urzednik-karty", "IN").await;
    let second = app.staff("kierownik-karty", "IN").await;
    let gmina = json!({ "GMINA": [{ "project": park }] });
    let k1 = typed(
        &app,
        &cards,
        &clerk,
        &card("K-1", &pesel(21), None, gmina.clone()),
    )
    .await;
    // results day with a card waiting: counting, nothing published
    worker_on(&app, 41).await;
    let r = app.get(&format!("{url}/results"), &anon()).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.text());
    // the tally reads the edition, then the second clerk accepts the card before the
    // protocol is written: the publication is refused and nothing is published
    let read = okienko::participation::budget::load(&app.state, &id)
        .await
        .unwrap();
    assert_eq!(
        accept(&app, &cards, &second, &k1).await["state"],
        "accepted"
    );
    let published = okienko::participation::budget::results::publish(&app.state, &read)
        .await
        .unwrap();
    assert!(
        !published,
        "a card changed after the read: the count is redone"
    );
    let r = app.get(&format!("{url}/results"), &anon()).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.text());
    // the next pass counts again, the card with it
    worker_on(&app, 42).await;
    let r = app.get(&format!("{url}/results"), &anon()).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(r.json()["ballots"]["paper"], 1, "{}", r.text());
    assert_eq!(r.json()["pools"][0]["projects"][0]["votes"], 1);
    // a stale read cannot publish over the protocol either
    assert!(
        !okienko::participation::budget::results::publish(&app.state, &read)
            .await
            .unwrap()
    );
    let r = app
        .post_json(&cards, &clerk, None, &card("K-2", &pesel(22), None, gmina))
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text());
}

/// Issue 15 §3: the clerks type in and decide paper from the browser. A refused card comes
/// back with what was typed; the second clerk sees what the card says (the project's title),
/// the typist sees it waiting; support lists have their own page in their own window.
#[tokio::test]
async fn clerks_type_in_cards_and_lists_in_the_browser() {
    let app = TestApp::new().await;
    let (id, url, park) = voting_on_one_project(&app, edition()).await;
    let clerk = app.staff("urzednik-karty", "IN").await;
    let second = app.staff("kierownik-karty", "IN").await;
    let page = format!("/budzet/{id}/karty");
    assert_eq!(
        app.get(&page, &anon()).await.status,
        StatusCode::UNAUTHORIZED
    );
    let resident = app.resident_with_pesel(ONLINE).await;
    assert_eq!(
        app.get(&page, &resident).await.status,
        StatusCode::FORBIDDEN
    );
    let r = app
        .post_form(
            &page,
            &resident,
            &format!("card=K-1&pesel={PAPER}&wybor%3AGMINA={park}"),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text());
    let empty = app.get(&page, &clerk).await;
    assert_eq!(empty.status, StatusCode::OK, "{}", empty.text());
    assert!(empty.text().contains("Nic nie czeka na sprawdzenie."));
    assert!(
        empty.text().contains("Park"),
        "the ballot's projects: {}",
        empty.text()
    );

    // a wrong PESEL: refused by field, the card's marks kept
    let r = app
        .post_form(
            &page,
            &clerk,
            &format!("card=K-77&pesel=44051401358&declares_residence=yes&wybor%3AGMINA={park}"),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    let t = r.text();
    assert!(
        t.contains("govuk-error-summary")
            && t.contains("value=\"K-77\"")
            && t.contains(&format!("value=\"{park}\" checked")),
        "{t}"
    );
    let r = app
        .post_form(
            &page,
            &clerk,
            &format!("card=K-77&pesel={PAPER}&declares_residence=yes&wybor%3AGMINA={park}"),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let r = app
        .post_form(
            &page,
            &second,
            &format!("card=K-77&pesel={PAPER}&declares_residence=yes&wybor%3AGMINA={park}"),
        )
        .await;
    assert_eq!(
        r.status,
        StatusCode::CONFLICT,
        "typed in once: {}",
        r.text()
    );
    assert!(r.text().contains("K-77"), "{}", r.text());
    let mine = app.get(&page, &clerk).await.text();
    assert!(mine.contains("czeka na drugiego urzędnika"), "{mine}");
    let theirs = app.get(&page, &second).await.text();
    assert!(
        theirs.contains("Przyjmij K-77") && theirs.contains("GMINA: Park"),
        "{theirs}"
    );
    let pending = app
        .get(&format!("{url}/paper/ballots?state=pending"), &second)
        .await
        .json();
    let entry = pending["items"][0]["id"].as_str().unwrap().to_owned();
    let r = app
        .post_form(&format!("{page}/{entry}"), &clerk, "verdict=accept")
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "four eyes: {}", r.text());
    let r = app
        .post_form(&format!("{page}/{entry}"), &second, "verdict=accept")
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let accepted = app
        .get(&format!("{url}/paper/ballots?state=accepted"), &second)
        .await
        .json();
    assert_eq!(accepted["items"][0]["card"], "K-77", "{accepted}");

    // support lists are typed in during intake and evaluation only
    let r = app.get(&format!("/budzet/{id}/listy"), &clerk).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text());
}

/// Issue 15 §2: a support list's signatures typed in and accepted from the browser.
#[tokio::test]
async fn clerks_type_in_support_lists_in_the_browser() {
    let app = TestApp::new().await;
    let coordinator = app
        .with_roles("koordynator", vec![okienko::domain::identity::Role::Admin])
        .await;
    let clerk = app.staff("urzednik-listy", "IN").await;
    let second = app.staff("kierownik-listy", "IN").await;
    let author = app.resident_with_pesel("85031200010").await;
    let r = app
        .post_json(
            "/api/budgets",
            &coordinator,
            None,
            &json!({ "edition": edition() }).to_string(),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let id = r.json()["id"].as_str().unwrap().to_owned();
    let url = format!("/api/budgets/{id}");
    let park = crate::budget::propose(
        &app,
        &url,
        &author,
        &crate::budget::project("Park", "GMINA", "1000"),
    )
    .await;
    let page = format!("/budzet/{id}/listy");
    let form = app.get(&page, &clerk).await;
    assert_eq!(form.status, StatusCode::OK, "{}", form.text());
    assert!(
        form.text().contains(&format!("<option value=\"{park}\"")),
        "{}",
        form.text()
    );
    let r = app
        .post_form(
            &page,
            &clerk,
            &format!("card=3%2F12&pesel=123&project={park}"),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    assert!(r.text().contains("value=\"3/12\""), "{}", r.text());
    let r = app
        .post_form(
            &page,
            &clerk,
            &format!("card=3%2F12&pesel={PAPER}&project={park}"),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let pending = app
        .get(&format!("{url}/paper/supports?state=pending"), &second)
        .await
        .json();
    let entry = pending["items"][0]["id"].as_str().unwrap().to_owned();
    assert!(
        app.get(&page, &second)
            .await
            .text()
            .contains("Przyjmij 3/12")
    );
    let r = app
        .post_form(
            &format!("{page}/{entry}"),
            &second,
            "verdict=reject&reason=",
        )
        .await;
    assert_eq!(
        r.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a rejection needs its reason: {}",
        r.text()
    );
    let r = app
        .post_form(&format!("{page}/{entry}"), &second, "verdict=accept")
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let accepted = app
        .get(&format!("{url}/paper/supports?state=accepted"), &second)
        .await
        .json();
    assert_eq!(accepted["items"][0]["card"], "3/12", "{accepted}");
}
