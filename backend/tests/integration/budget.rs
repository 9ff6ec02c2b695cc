//! The participatory budget (issue 15): a whole edition with the test clock (the worker
//! run at the windows' dates): the coordinator sets it up from the resolution, residents
//! propose and support, a clerk evaluates, an appeal is won, conflict groups, residents
//! vote once (a duplicate is refused) with signed receipts, the rules freeze at the first
//! ballot, and the worker tallies and publishes the signed protocol.

use axum::http::StatusCode;
use okienko::domain::identity::Role;
use serde_json::{Value, json};
use time::Duration;

use crate::helpers::{Resp, TestApp, anon};

pub(crate) fn today() -> time::Date {
    okienko::participation::consultations::today()
}

pub(crate) fn day(n: i64) -> String {
    (today() + Duration::days(n)).to_string()
}

/// Runs the worker at noon (Polish time) `n` days from today.
pub(crate) async fn worker_on(app: &TestApp, n: i64) {
    let at = okienko::domain::clock::start_of_day_in_poland(today() + Duration::days(n))
        + Duration::hours(12);
    okienko::worker::run_due(&app.state, at).await.unwrap();
}

/// An edition opening its intake today: windows of about ten days each.
pub(crate) fn edition() -> Value {
    json!({
        "title": "Budżet obywatelski 2027",
        "legal_basis": {
            "resolution": "XV/201/2026",
            "adopted_on": "2026-09-24",
            "link": "https://bip.przykladowo.example.pl/uchwaly/xv-201-2026"
        },
        "pools": [
            { "code": "GMINA", "name": "Projekty ogólnogminne", "amount": 100_000_000,
              "ballot": { "kind": "approval", "max_projects": 2 } },
            { "code": "OS-CENTRUM", "name": "Osiedle Centrum", "area": "OS-CENTRUM", "amount": 20_000_000,
              "ballot": { "kind": "knapsack" } }
        ],
        "windows": {
            "intake_opens": day(0), "intake_closes": day(10),
            "evaluation_closes": day(20), "appeals_closes": day(30),
            "voting_opens": day(31), "voting_closes": day(40), "results_on": day(41)
        },
        "rule": { "rule": "greedy" },
        "support_threshold": 2
    })
}

pub(crate) fn codes(r: &Resp) -> Vec<String> {
    r.json()["errors"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|e| e["code"].as_str().unwrap_or_default().to_owned())
                .collect()
        })
        .unwrap_or_default()
}

pub(crate) fn project(title: &str, pool: &str, cost: &str) -> String {
    json!({ "data": {
        "tytul": title, "pula": pool, "miejsce": "ul. Lipowa 12, działka 34/5",
        "opis": "Zielony skwer z ławkami i drzewami.", "koszt": cost,
        "beneficjenci": "Mieszkańcy osiedla i dzieci z pobliskiej szkoły."
    }})
    .to_string()
}

pub(crate) async fn propose(app: &TestApp, url: &str, cookie: &str, body: &str) -> String {
    let r = app
        .post_json(&format!("{url}/projects"), cookie, None, body)
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    r.json()["id"].as_str().unwrap().to_owned()
}

/// `okienko receipt verify FILE --jwks KEYS` on `doc`.
pub(crate) fn verify_offline(doc: &Value, jwks: &Value) -> std::process::Output {
    let dir = tempfile::tempdir().unwrap();
    let (file, keys) = (dir.path().join("doc.json"), dir.path().join("jwks.json"));
    std::fs::write(&keys, jwks.to_string()).unwrap();
    std::fs::write(&file, doc.to_string()).unwrap();
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_okienko"));
    for (k, _) in std::env::vars().filter(|(k, _)| k.starts_with("OKIENKO_")) {
        cmd.env_remove(k);
    }
    cmd.arg("receipt")
        .arg("verify")
        .arg(&file)
        .arg("--jwks")
        .arg(&keys)
        .output()
        .unwrap()
}

#[tokio::test]
async fn budget_edition_from_intake_to_signed_results() {
    let app = TestApp::new().await;
    let coordinator = app.with_roles("koordynator", vec![Role::Admin]).await;
    let clerk = app.staff("urzednik-1", "IN").await;
    let anna = app.resident_with_pesel("44051401359").await;
    let ewa = app.resident_with_pesel("02070803628").await;
    let jan = app.resident_with_pesel("85031200003").await;

    // the coordinator sets the edition up from the resolution; it is public at once
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
    assert_eq!(r.json()["phase"], "intake");
    assert_eq!(r.json()["pesel_on_ballot"], false);
    let url = format!("/api/budgets/{id}");
    assert_eq!(
        app.get("/api/budgets", &anon()).await.json()["items"][0]["id"],
        id.as_str()
    );

    // residents propose through the project form
    let r = app
        .post_json(
            &format!("{url}/projects"),
            &anna,
            None,
            &project("", "GMINA", "1000"),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    assert_eq!(r.json()["errors"][0]["path"], "tytul");
    let r = app
        .post_json(
            &format!("{url}/projects"),
            &anna,
            None,
            &project("Za drogi", "OS-CENTRUM", "200000.01"),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    assert_eq!(codes(&r), ["project.over_pool"]);
    let r = app
        .post_json(
            &format!("{url}/projects"),
            &clerk,
            None,
            &project("Skwer", "GMINA", "1000"),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let park = propose(&app, &url, &anna, &project("Park", "GMINA", "600000")).await;
    let skatepark = propose(&app, &url, &anna, &project("Skatepark", "GMINA", "300000")).await;
    let square = propose(&app, &url, &ewa, &project("Skwer", "OS-CENTRUM", "150000")).await;
    let lonely = propose(&app, &url, &ewa, &project("Ławka", "GMINA", "5000")).await;
    let p = |pid: &str| format!("{url}/projects/{pid}");
    // the public list, a keyset page at a time, in the order proposed
    let first = app
        .get(&format!("{url}/projects?limit=3"), &anon())
        .await
        .json();
    assert_eq!(first["items"][0]["id"], park.as_str());
    assert_eq!(first["items"].as_array().map(Vec::len), Some(3));
    let next = first["next"].as_str().unwrap();
    let rest = app
        .get(&format!("{url}/projects?limit=3&after={next}"), &anon())
        .await
        .json();
    assert_eq!(rest["items"][0]["id"], lonely.as_str());
    assert_eq!(rest["next"], Value::Null);

    // the author edits until intake closes; anyone else finds nothing
    let r = app
        .put_json(
            &p(&park),
            &anna,
            &project("Park kieszonkowy", "GMINA", "600000"),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(r.json()["title"], "Park kieszonkowy");
    let r = app
        .put_json(&p(&park), &ewa, &project("Mój park", "GMINA", "1"))
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.text());

    // supports: one per person and project
    for who in [&ewa, &jan] {
        for pid in [&park, &skatepark, &square] {
            let r = app
                .post_json(&format!("{}/supports", p(pid)), who, None, "")
                .await;
            assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
        }
    }
    let again = app
        .post_json(&format!("{}/supports", p(&park)), &jan, None, "")
        .await;
    assert_eq!(again.status, StatusCode::OK);
    assert_eq!(again.json(), json!({ "supports": 2, "first": false }));

    // the worker closes intake: no edits, no supports; evaluation
    worker_on(&app, 11).await;
    assert_eq!(app.get(&url, &anon()).await.json()["phase"], "evaluation");
    let r = app
        .put_json(&p(&park), &anna, &project("Park", "GMINA", "600000"))
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text());
    assert!(r.text().contains(&day(10)), "{}", r.text());

    // formal, then merit, each with reasons; the cost corrected with a reason
    let evaluate = |pid: String, body: Value| {
        let (app, clerk, uri) = (&app, &clerk, format!("{}/evaluation", p(&pid)));
        async move { app.post_json(&uri, clerk, None, &body.to_string()).await }
    };
    let formal_ok =
        json!({ "stage": "formal", "positive": true, "reasons": "Spełnia wymogi formalne." });
    let r = evaluate(lonely.clone(), formal_ok.clone()).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    assert_eq!(codes(&r), ["evaluation.supports"]);
    assert!(r.text().contains("art. 5a ust. 7 pkt 2"), "{}", r.text());
    let r = evaluate(
        lonely.clone(),
        json!({ "stage": "formal", "positive": false, "reasons": "Brak wymaganych poparć." }),
    )
    .await;
    assert_eq!(r.json()["status"], "formally_rejected", "{}", r.text());
    let r = evaluate(
        park.clone(),
        json!({ "stage": "merit", "positive": true, "reasons": "x" }),
    )
    .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text());
    for pid in [&park, &skatepark, &square] {
        let r = evaluate(pid.clone(), formal_ok.clone()).await;
        assert_eq!(r.json()["status"], "formally_accepted", "{}", r.text());
    }
    let r = evaluate(
        park.clone(),
        json!({ "stage": "merit", "positive": true, "reasons": "  " }),
    )
    .await;
    assert_eq!(codes(&r), ["reasons.required"]);
    let r = evaluate(
        park.clone(),
        json!({ "stage": "merit", "positive": true, "reasons": "Wykonalny na działce gminnej." }),
    )
    .await;
    assert_eq!(r.json()["status"], "admitted", "{}", r.text());
    let r = evaluate(
        square.clone(),
        json!({ "stage": "merit", "positive": true, "reasons": "Wykonalny.", "corrected_cost": 18_000_000 }),
    )
    .await;
    assert_eq!(codes(&r), ["reasons.required"], "{}", r.text());
    let r = evaluate(
        square.clone(),
        json!({ "stage": "merit", "positive": true, "reasons": "Wykonalny.",
                "corrected_cost": 18_000_000, "cost_reason": "Ceny nasadzeń z przetargu 2026." }),
    )
    .await;
    assert_eq!(r.json()["status"], "admitted", "{}", r.text());
    assert_eq!(r.json()["cost"], 18_000_000);
    assert_eq!(r.json()["estimated_cost"], 15_000_000);
    let r = evaluate(
        skatepark.clone(),
        json!({ "stage": "merit", "positive": false, "reasons": "Działka 34/5 nie jest własnością gminy." }),
    )
    .await;
    assert_eq!(r.json()["status"], "rejected", "{}", r.text());
    // appeals wait for their window
    let appeal = json!({ "text": "Gmina nabyła działkę 34/5 w 2026 r." }).to_string();
    let r = app
        .post_json(&format!("{}/appeal", p(&skatepark)), &anna, None, &appeal)
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text());

    // appeals: the author's, decided with reasons; upheld, the project goes on the ballot
    worker_on(&app, 21).await;
    let r = app
        .post_json(&format!("{}/appeal", p(&skatepark)), &ewa, None, &appeal)
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.text());
    let r = app
        .post_json(&format!("{}/appeal", p(&park)), &anna, None, &appeal)
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text());
    let r = app
        .post_json(&format!("{}/appeal", p(&skatepark)), &anna, None, &appeal)
        .await;
    assert_eq!(r.json()["status"], "appealed", "{}", r.text());
    let decision =
        json!({ "upheld": true, "reasons": "Akt notarialny potwierdza własność gminy." })
            .to_string();
    let r = app
        .post_json(
            &format!("{}/appeal/decision", p(&skatepark)),
            &anna,
            None,
            &decision,
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = app
        .post_json(
            &format!("{}/appeal/decision", p(&skatepark)),
            &clerk,
            None,
            &decision,
        )
        .await;
    assert_eq!(r.json()["status"], "admitted_on_appeal", "{}", r.text());
    // the park and the skatepark would take the same plot: at most one of them wins
    for pid in [&park, &skatepark] {
        let r = app
            .put_json(
                &format!("{}/conflict-group", p(pid)),
                &clerk,
                r#"{"group":"działka 34/5"}"#,
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    }
    let page = app
        .get(&format!("/budzet/{id}/projekty/{skatepark}"), &anon())
        .await;
    assert_eq!(page.status, StatusCode::OK);
    for text in ["Akt notarialny", "nie jest własnością", "po odwołaniu"] {
        assert!(page.text().contains(text), "{text}: {}", page.text());
    }

    // voting: the coordinator may still change the rules before the first ballot
    worker_on(&app, 31).await;
    let mut changed = edition();
    changed["min_votes"] = json!(1);
    let body = json!({ "edition": changed, "version": 1 }).to_string();
    let r = app.put_json(&url, &coordinator, &body).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let ballots = format!("{url}/ballots");
    let ballot = |area: Option<&str>, choices: Value| {
        json!({ "declares_residence": true, "area": area, "choices": choices }).to_string()
    };
    let r = app
        .post_json(
            &ballots,
            &anna,
            None,
            &json!({ "declares_residence": false, "choices": { "GMINA": [{ "project": park }] } })
                .to_string(),
        )
        .await;
    assert_eq!(codes(&r), ["ballot.residence"], "{}", r.text());
    let r = app
        .post_json(
            &ballots,
            &anna,
            None,
            &ballot(None, json!({ "OS-CENTRUM": [{ "project": square }] })),
        )
        .await;
    assert_eq!(codes(&r), ["ballot.ineligible_pool"], "{}", r.text());
    let r = app
        .post_json(
            &ballots,
            &anna,
            None,
            &ballot(
                None,
                json!({ "GMINA": [{ "project": park }, { "project": skatepark }, { "project": lonely }] }),
            ),
        )
        .await;
    assert_eq!(
        codes(&r),
        ["ballot.unknown_project", "ballot.too_many"],
        "{}",
        r.text()
    );
    let r = app
        .post_json(
            &ballots,
            &anna,
            None,
            &ballot(
                Some("OS-CENTRUM"),
                json!({ "GMINA": [{ "project": park }, { "project": skatepark }], "OS-CENTRUM": [{ "project": square }] }),
            ),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let receipt = r.json();
    assert_eq!(receipt["choices"]["OS-CENTRUM"][0][0], square.as_str());
    // the receipt is signed: with the published keys, and offline; a changed one fails
    use okienko::participation::budget::signature::BudgetClaims;
    let jwks = app.get("/.well-known/jwks.json", &anon()).await.json();
    let claims: BudgetClaims =
        okienko::receipt::verify::verify_claims(receipt["jws"].as_str().unwrap(), &jwks).unwrap();
    assert_eq!(claims.edition, id);
    assert_eq!(
        claims.document_sha3_256,
        okienko::participation::signing::digest(&receipt)
    );
    let out = verify_offline(&receipt, &jwks);
    assert!(out.status.success(), "{out:?}");
    assert!(String::from_utf8_lossy(&out.stdout).contains("VALID budget ballot receipt"));
    let mut forged = receipt.clone();
    forged["choices"]["GMINA"] = json!([[lonely, 1]]);
    assert!(!verify_offline(&forged, &jwks).status.success());

    // one ballot per person: a second is refused and changes nothing
    let r = app
        .post_json(
            &ballots,
            &anna,
            None,
            &ballot(None, json!({ "GMINA": [{ "project": skatepark }] })),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text());
    assert!(r.text().contains("już oddano"), "{}", r.text());
    for (who, choice) in [(&ewa, &park), (&jan, &park)] {
        let r = app
            .post_json(
                &ballots,
                who,
                None,
                &ballot(None, json!({ "GMINA": [{ "project": choice }] })),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    }
    // the rules froze at the first ballot
    let r = app.put_json(&url, &coordinator, &body).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text());
    assert!(
        r.text().contains("zamrożono przy pierwszym głosie"),
        "{}",
        r.text()
    );

    // the worker tallies on the results day, once
    worker_on(&app, 40).await;
    assert_eq!(
        app.get(&format!("{url}/results"), &anon()).await.status,
        StatusCode::NOT_FOUND
    );
    worker_on(&app, 41).await;
    worker_on(&app, 42).await;
    let r = app.get(&format!("{url}/results"), &anon()).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let protocol = r.json();
    assert_eq!(protocol["ballots"]["online"], 3);
    assert_eq!(protocol["ballots"]["paper"], 0);
    assert_eq!(protocol["ballots"]["valid"], 3);
    let gmina = &protocol["pools"][0];
    // the park (3 votes) wins; the skatepark (1 vote) fits but shares its plot
    assert_eq!(gmina["winners"], json!([park]));
    assert_eq!(gmina["spent"], 60_000_000);
    assert_eq!(gmina["leftover"], 40_000_000);
    let centrum = &protocol["pools"][1];
    assert_eq!(centrum["winners"], json!([square]));
    assert_eq!(centrum["spent"], 18_000_000);
    let claims: BudgetClaims =
        okienko::receipt::verify::verify_claims(protocol["jws"].as_str().unwrap(), &jwks).unwrap();
    assert_eq!(claims.sub, id);
    let out = verify_offline(&protocol, &jwks);
    assert!(out.status.success(), "{out:?}");
    assert!(String::from_utf8_lossy(&out.stdout).contains("VALID budget protocol"));
    let statuses = |pid: &str| {
        let (app, p) = (&app, p(pid));
        async move { app.get(&p, &anon()).await.json()["status"].clone() }
    };
    assert_eq!(statuses(&park).await, "selected");
    assert_eq!(statuses(&skatepark).await, "not_selected");
    assert_eq!(statuses(&lonely).await, "formally_rejected");
    let csv = app.get(&format!("{url}/results.csv"), &anon()).await;
    assert!(
        csv.text()
            .starts_with("Pula;Projekt;Tytuł;Koszt;Głosy;Wybrany\r\n")
    );
    assert!(
        csv.text()
            .contains("\"Park kieszonkowy\";\"600\u{a0}000,00 zł\";3;tak"),
        "{}",
        csv.text()
    );
    // the open data: the pool as a pabulib file, amounts in złote, every valid ballot
    let pb = app
        .get(&format!("{url}/pools/GMINA/votes.pb"), &anon())
        .await;
    assert_eq!(pb.status, StatusCode::OK, "{}", pb.text());
    use okienko::participation::budget::pabulib::PbFile;
    let file = PbFile::parse(&pb.text()).unwrap();
    assert_eq!(file.meta("num_votes"), Some("3"));
    assert_eq!(file.meta("budget"), Some("1000000.00"));
    assert_eq!(file.meta("min_votes"), Some("1"));
    assert!(
        pb.text()
            .contains(&format!("{park};600000.00;3;Park kieszonkowy;działka 34/5")),
        "{}",
        pb.text()
    );
    assert_eq!(file.instance().unwrap().instance.ballots.len(), 3);
    let page = app.get(&format!("/budzet/{id}/wyniki"), &anon()).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.text().contains("Park kieszonkowy"), "{}", page.text());

    // every action in the hash-chained history: the moves once each, the freeze, the seed
    let h = app.get(&format!("{url}/history"), &anon()).await.json();
    assert_eq!(h["verified"], true);
    let actions: Vec<&str> = h["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    // announced → evaluation, → appeals, → voting, → counting
    assert_eq!(
        actions.iter().filter(|a| **a == "moved").count(),
        4,
        "{actions:?}"
    );
    assert_eq!(actions.iter().filter(|a| **a == "frozen").count(), 1);
    let tallied = h["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["action"] == "tallied")
        .unwrap();
    assert!(
        tallied["detail"]
            .as_str()
            .unwrap()
            .contains(protocol["seed"].as_str().unwrap())
    );
    assert_eq!(actions.last(), Some(&"results_published"));
    // the winners' implementation, followed publicly
    let milestone = |pid: &str, body: Value| {
        let (app, clerk, uri) = (&app, &clerk, format!("{}/milestones", p(pid)));
        async move { app.post_json(&uri, clerk, None, &body.to_string()).await }
    };
    let signed = json!({ "on_day": day(60), "state": "in_progress", "note": "Podpisano umowę z wykonawcą." });
    let r = milestone(&skatepark, signed.clone()).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text());
    let r = milestone(
        &park,
        json!({ "on_day": day(10), "state": "done", "note": "x" }),
    )
    .await;
    assert_eq!(codes(&r), ["milestone.day"], "{}", r.text());
    let r = milestone(
        &park,
        json!({ "on_day": day(60), "state": "finished", "note": "x" }),
    )
    .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.text());
    let r = app
        .post_json(
            &format!("{}/milestones", p(&park)),
            &anna,
            None,
            &signed.to_string(),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text());
    let r = milestone(&park, signed).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let listed = app.get(&format!("{}/milestones", p(&park)), &anon()).await;
    assert_eq!(listed.json()["items"][0]["state_label"], "w realizacji");
    let page = app
        .get(&format!("/budzet/{id}/projekty/{park}"), &anon())
        .await;
    assert!(page.text().contains("Podpisano umowę"), "{}", page.text());

    // the pages
    for page in ["/budzet".to_owned(), format!("/budzet/{id}")] {
        let r = app.get(&page, &anon()).await;
        assert_eq!(r.status, StatusCode::OK, "{page}");
        assert!(r.text().contains("Budżet obywatelski 2027"), "{page}");
    }
}

/// Sets `e` up (without a support threshold), with one project admitted, and moves it to
/// voting; returns the edition's id, its URL and the project's id.
pub(crate) async fn voting_on_one_project(app: &TestApp, mut e: Value) -> (String, String, String) {
    let coordinator = app.with_roles("koordynator", vec![Role::Admin]).await;
    let clerk = app.staff("urzednik-1", "IN").await;
    let author = app.resident_with_pesel("85031200010").await;
    e["support_threshold"] = json!(0);
    let r = app
        .post_json(
            "/api/budgets",
            &coordinator,
            None,
            &json!({ "edition": e }).to_string(),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let id = r.json()["id"].as_str().unwrap().to_owned();
    let url = format!("/api/budgets/{id}");
    let park = propose(app, &url, &author, &project("Park", "GMINA", "1000")).await;
    worker_on(app, 11).await;
    for stage in ["formal", "merit"] {
        let r = app
            .post_json(
                &format!("{url}/projects/{park}/evaluation"),
                &clerk,
                None,
                &json!({ "stage": stage, "positive": true, "reasons": "Tak." }).to_string(),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    }
    worker_on(app, 31).await;
    (id, url, park)
}

/// A PESEL of someone born on `born`, with a valid check digit.
pub(crate) fn pesel_born(born: time::Date, serial: u16) -> String {
    let month = u8::from(born.month()) + if born.year() >= 2000 { 20 } else { 0 };
    let base = format!(
        "{:02}{:02}{:02}{:04}",
        born.year() % 100,
        month,
        born.day(),
        serial
    );
    let sum: u32 = base
        .bytes()
        .zip([1, 3, 7, 9, 1, 3, 7, 9, 1, 3])
        .map(|(d, w)| u32::from(d - b'0') * w)
        .sum();
    format!("{base}{}", (10 - sum % 10) % 10)
}

/// Where the resolution allows it, a parent votes for their child under 13: the child's
/// one ballot, keyed by the child's PESEL; a child of 13 votes alone.
#[tokio::test]
async fn a_parent_votes_once_for_a_child_under_13() {
    let app = TestApp::new().await;
    let parent = app.resident_with_pesel("44051401359").await;
    let other_parent = app.resident_with_pesel("02070803628").await;
    let mut e = edition();
    e["child_votes_by_parent"] = json!(true);
    let (_, url, park) = voting_on_one_project(&app, e).await;
    let ballots = format!("{url}/ballots");
    // turns 13 tomorrow: still under 13 today; turned 13 today: votes alone
    let year = today().year() - 13;
    let thirteen = today().replace_year(year).unwrap_or_else(|_| {
        time::Date::from_calendar_date(year, time::Month::February, 28).unwrap()
    });
    let twelve = thirteen + Duration::days(1);
    let vote = |who: String, child: String, declared: bool| {
        let (app, ballots) = (&app, ballots.clone());
        let body = json!({
            "declares_residence": true,
            "choices": { "GMINA": [{ "project": park }] },
            "child": { "pesel": child, "declares_parental_authority": declared }
        })
        .to_string();
        async move { app.post_json(&ballots, &who, None, &body).await }
    };
    let r = vote(parent.clone(), pesel_born(thirteen, 1234), true).await;
    assert_eq!(codes(&r), ["ballot.child_age"], "{}", r.text());
    let r = vote(parent.clone(), pesel_born(twelve, 1234), false).await;
    assert_eq!(codes(&r), ["ballot.child_declaration"], "{}", r.text());
    let r = vote(parent.clone(), pesel_born(twelve, 1234), true).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    assert_eq!(r.json()["for_child"], true);
    // the child's ballot is the child's one, whoever casts it; the parent still has theirs
    let r = vote(other_parent, pesel_born(twelve, 1234), true).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text());
    let own = json!({ "declares_residence": true, "choices": { "GMINA": [{ "project": park }] } });
    let r = app
        .post_json(&ballots, &parent, None, &own.to_string())
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());

    // an edition whose resolution does not allow it refuses
    let app = TestApp::new().await;
    let parent = app.resident_with_pesel("44051401359").await;
    let (_, url, park) = voting_on_one_project(&app, edition()).await;
    let body = json!({
        "declares_residence": true,
        "choices": { "GMINA": [{ "project": park }] },
        "child": { "pesel": pesel_born(twelve, 1234), "declares_parental_authority": true }
    });
    let r = app
        .post_json(&format!("{url}/ballots"), &parent, None, &body.to_string())
        .await;
    assert_eq!(codes(&r), ["ballot.child_not_allowed"], "{}", r.text());
}

/// The ballot is secret: the table of who voted and the table of ballots share nothing but
/// the edition, the ballot's id is random (not time-ordered), it is dated by the day only,
/// and once the results are out the key of the voters' hashes is gone.
#[tokio::test]
async fn a_ballot_cannot_be_joined_to_its_voter() {
    use okienko::db::entity::{budget_ballot as ballot, budget_voter as voter};
    use sea_orm::{EntityTrait, IdenStatic, Iterable};
    let columns = |names: Vec<String>| names.into_iter().collect::<std::collections::BTreeSet<_>>();
    let voters = columns(
        voter::Column::iter()
            .map(|c| c.as_str().to_owned())
            .collect(),
    );
    let ballots = columns(
        ballot::Column::iter()
            .map(|c| c.as_str().to_owned())
            .collect(),
    );
    assert_eq!(
        voters.intersection(&ballots).collect::<Vec<_>>(),
        ["edition_id"]
    );
    assert_eq!(voters.len(), 2, "{voters:?}");

    let app = TestApp::new().await;
    let anna = app.resident_with_pesel("44051401359").await;
    let ewa = app.resident_with_pesel("02070803628").await;
    let (id, url, park) = voting_on_one_project(&app, edition()).await;
    for who in [&anna, &ewa] {
        let r = app
            .post_json(
                &format!("{url}/ballots"),
                who,
                None,
                &json!({ "declares_residence": true, "choices": { "GMINA": [{ "project": park }] } })
                    .to_string(),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
        let id = uuid::Uuid::parse_str(r.json()["id"].as_str().unwrap()).unwrap();
        assert_eq!(
            id.get_version_num(),
            4,
            "a random id, not a time-ordered one"
        );
    }
    let stored = ballot::Entity::find().all(&app.state.db).await.unwrap();
    assert_eq!(stored.len(), 2);
    assert!(stored.iter().all(|b| b.cast_on == today()));
    let keys = voter::Entity::find().all(&app.state.db).await.unwrap();
    assert_eq!(keys.len(), 2);
    // no value of a voter's row appears in any ballot's row
    for k in &keys {
        for b in &stored {
            let row = format!(
                "{} {:?} {} {} {}",
                b.id, b.area, b.choices, b.channel, b.status
            );
            assert!(!row.contains(&k.voter));
        }
    }
    let early = app
        .get(&format!("{url}/pools/GMINA/votes.pb"), &anon())
        .await;
    assert_eq!(early.status, StatusCode::CONFLICT, "{}", early.text());
    worker_on(&app, 41).await;
    // anyone recounts the exported pool (as `okienko budget tally` does) and gets the
    // protocol's winners
    use okienko::participation::budget::tally;
    let pb = app
        .get(&format!("{url}/pools/GMINA/votes.pb"), &anon())
        .await;
    let recount = tally::file::tally_file(&pb.text(), tally::Rule::Greedy, None).unwrap();
    let recount: Value = serde_json::from_str(&recount.json()).unwrap();
    let protocol = app.get(&format!("{url}/results"), &anon()).await.json();
    assert_eq!(recount["winners"], protocol["pools"][0]["winners"]);
    assert_eq!(recount["winners"], json!([park]));
    let r = app
        .get(&format!("{url}/pools/NOWHERE/votes.pb"), &anon())
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let edition_row = okienko::db::entity::budget_edition::Entity::find_by_id(id.clone())
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    assert!(edition_row.protocol.is_some());
    assert_eq!(
        edition_row.secret, "",
        "the key of the voters' hashes is forgotten"
    );
}

#[tokio::test]
async fn budget_validators_refuse_through_the_api_naming_the_ruling() {
    let app = TestApp::new().await;
    let coordinator = app.with_roles("koordynator", vec![Role::Admin]).await;
    let councillor = app.with_roles("radna-1", vec![Role::Councillor]).await;
    let create = |who: String, e: Value| {
        let app = &app;
        async move {
            app.post_json(
                "/api/budgets",
                &who,
                None,
                &json!({ "edition": e }).to_string(),
            )
            .await
        }
    };
    assert_eq!(
        create(anon(), edition()).await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        create(councillor, edition()).await.status,
        StatusCode::FORBIDDEN
    );
    let mut e = edition();
    e["min_voting_age"] = json!(16);
    e["support_threshold"] = json!(13);
    e["pools"].as_array_mut().unwrap().remove(0);
    let r = create(coordinator.clone(), e).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    assert_eq!(
        codes(&r),
        [
            "support_threshold.above_limit",
            "territory.uncovered",
            "voting.age_limit"
        ]
    );
    assert!(r.text().contains("II SA/Op 108/18"), "{}", r.text());
    let mut e = edition();
    e["powiat_city"] = json!(true);
    e["expenditure"] = json!(30_000_000_000u64);
    let r = create(coordinator.clone(), e).await;
    assert_eq!(codes(&r), ["powiat_city.minimum"], "{}", r.text());
    assert!(r.text().contains("art. 5a ust. 5"), "{}", r.text());
    let mut e = edition();
    e["windows"]["voting_opens"] = json!(day(30));
    let r = create(coordinator.clone(), e).await;
    assert_eq!(codes(&r), ["windows.order"], "{}", r.text());
    assert_eq!(r.json()["errors"][0]["path"], "windows.voting_opens");
    // unknown fields and unknown ids
    let mut e = edition();
    e["age"] = json!(1);
    let r = create(coordinator.clone(), e).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.text());
    assert!(r.text().contains("unknown field `age`"), "{}", r.text());
    for bad in ["nonsense", &uuid::Uuid::now_v7().to_string()] {
        let r = app.get(&format!("/api/budgets/{bad}"), &anon()).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{bad}");
        let r = app.get(&format!("/budzet/{bad}"), &anon()).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{bad}");
    }
    let r = app.get("/api/budgets?limit=0", &anon()).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
}

/// Residents propose, support and vote from the pages; refusals come back on the page in
/// Polish, what was typed kept; the vote ends on the receipt.
#[tokio::test]
async fn residents_take_part_through_the_pages() {
    let app = TestApp::new().await;
    let coordinator = app.with_roles("koordynator", vec![Role::Admin]).await;
    let clerk = app.staff("urzednik-1", "IN").await;
    let anna = app.resident_with_pesel("44051401359").await;
    let ewa = app.resident_with_pesel("02070803628").await;
    let mut e = edition();
    e["support_threshold"] = json!(1);
    let r = app
        .post_json(
            "/api/budgets",
            &coordinator,
            None,
            &json!({ "edition": e }).to_string(),
        )
        .await;
    let id = r.json()["id"].as_str().unwrap().to_owned();
    let form = app.get(&format!("/budzet/{id}/zglos"), &anna).await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(
        form.text().contains("Kto skorzysta z projektu"),
        "{}",
        form.text()
    );

    let typed =
        "tytul=&pula=GMINA&miejsce=ul.+Lipowa+12&opis=Drzewa&koszt=5000&beneficjenci=Dzieci";
    let r = app
        .post_form(&format!("/budzet/{id}/zglos"), &anna, typed)
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    assert!(r.text().contains("href=\"#tytul\""), "{}", r.text());
    assert!(r.text().contains("ul. Lipowa 12"), "{}", r.text());
    let r = app
        .post_form(
            &format!("/budzet/{id}/zglos"),
            &anna,
            &typed.replace("tytul=", "tytul=Park"),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let location = r.headers["location"].to_str().unwrap().to_owned();
    let park = location.rsplit('/').next().unwrap().to_owned();
    assert_eq!(location, format!("/budzet/{id}/projekty/{park}"));

    let support = format!("{location}/poparcie");
    let r = app.post_form(&support, &anon(), "").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(
        r.headers["location"]
            .to_str()
            .unwrap()
            .starts_with("/auth/login")
    );
    let r = app.post_form(&support, &ewa, "").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let back = r.headers["location"].to_str().unwrap().to_owned();
    assert_eq!(back, format!("{location}?poparcie=zapisane"));
    let page = app.get(&back, &ewa).await;
    assert!(
        page.text().contains("Twoje poparcie jest zapisane"),
        "{}",
        page.text()
    );
    assert!(
        page.text()
            .contains("<dd class=\"govuk-summary-list__value\">1</dd>")
    );

    worker_on(&app, 11).await;
    let r = app.post_form(&support, &anna, "").await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(
        r.text().contains("edycja jest teraz na etapie"),
        "{}",
        r.text()
    );
    for stage in ["formal", "merit"] {
        let r = app
            .post_json(
                &format!("/api/budgets/{id}/projects/{park}/evaluation"),
                &clerk,
                None,
                &json!({ "stage": stage, "positive": true, "reasons": "Tak." }).to_string(),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    }
    worker_on(&app, 31).await;
    let ballot = app.get(&format!("/budzet/{id}/glosuj"), &anna).await;
    assert_eq!(ballot.status, StatusCode::OK);
    assert!(
        ballot.text().contains(&format!("value=\"{park}\"")),
        "{}",
        ballot.text()
    );
    let vote = format!("/budzet/{id}/glosuj");
    let choice = format!("area=OS-CENTRUM&wybor%3AGMINA={park}");
    let r = app.post_form(&vote, &anna, &choice).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    assert!(
        r.text().contains("oświadcz, że mieszkasz w gminie"),
        "{}",
        r.text()
    );
    let r = app
        .post_form(&vote, &anna, &format!("{choice}&declares_residence=yes"))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    assert!(r.text().contains("Głos oddany"), "{}", r.text());
    assert!(r.text().contains(&park), "{}", r.text());
    assert!(r.text().contains("&quot;jws&quot;"), "{}", r.text());
    let r = app
        .post_form(&vote, &anna, &format!("{choice}&declares_residence=yes"))
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text());
    assert!(r.text().contains("już oddano"), "{}", r.text());
}

/// An edition under the Method of Equal Shares: the worker tallies it with the tally's
/// MES (one złoty at a time in the completion), and a recount of the exported pool under
/// the same rule names the same winners.
#[tokio::test]
async fn an_equal_shares_edition_matches_a_recount_of_its_export() {
    use okienko::participation::budget::tally;
    let app = TestApp::new().await;
    let mut e = edition();
    e["rule"] = json!({ "rule": "equal_shares", "satisfaction": "cost" });
    e["pools"][1]["ballot"] = json!({ "kind": "approval", "max_projects": 2 });
    let (_, url, park) = voting_on_one_project(&app, e).await;
    for pesel in ["44051401359", "02070803628", "85031200003"] {
        let who = app.resident_with_pesel(pesel).await;
        let r = app
            .post_json(
                &format!("{url}/ballots"),
                &who,
                None,
                &json!({ "declares_residence": true, "choices": { "GMINA": [{ "project": park }] } })
                    .to_string(),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    }
    worker_on(&app, 41).await;
    let protocol = app.get(&format!("{url}/results"), &anon()).await;
    assert_eq!(protocol.status, StatusCode::OK, "{}", protocol.text());
    let protocol = protocol.json();
    assert_eq!(protocol["rule"]["rule"], "equal_shares");
    assert_eq!(protocol["pools"][0]["winners"], json!([park]));
    let pb = app
        .get(&format!("{url}/pools/GMINA/votes.pb"), &anon())
        .await;
    let rule = tally::Rule::EqualShares {
        satisfaction: tally::Satisfaction::Cost,
    };
    let recount = tally::file::tally_file(&pb.text(), rule, None).unwrap();
    let recount: Value = serde_json::from_str(&recount.json()).unwrap();
    assert_eq!(recount["winners"], protocol["pools"][0]["winners"]);
}
