//! Public consultations (issue 14): a councillor drafts and publishes, residents answer and
//! comment while it is open, the worker closes it at its date, and the report answers every
//! comment. The refusals name their field, rule and article.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use okienko::domain::identity::Role;
use serde_json::{Value, json};
use time::Duration;

use crate::helpers::{Resp, TestApp, anon};

pub(crate) const DOCUMENT: &str = "Projekt uchwały w sprawie zasad usytuowania tablic reklamowych\n§ 1. Uchwała określa zasady.\n§ 2. 1. Tablice stawia się przy drogach gminnych.\n2. Wysokość tablic nie przekracza 3 m.\n§ 3. Wykonanie powierza się Wójtowi.";

pub(crate) const QUESTIONNAIRE: &str = "steps:\n  - id: pytania\n    title: { pl: Pytania }\n    fields:\n      - { id: popieram, type: yes_no, label: { pl: Czy popierasz projekt? }, required: true }\n      - { id: uwagi, type: textarea, label: { pl: Uwagi }, max_length: 500 }\n      - { id: ocena, type: scale, min: 1, max: 5, label: { pl: Jak oceniasz projekt? } }\n      - { id: kolejnosc, type: ranking, label: { pl: Co najpierw?, en: What first? }, options: [ { value: park, label: { pl: Park } }, { value: droga, label: { pl: Droga } } ] }\n";

pub(crate) fn today() -> time::Date {
    okienko::participation::consultations::today()
}

/// A consultation of `kind` opening on `opens` for `days` days.
pub(crate) fn consultation(kind: &str, opens: time::Date, days: i64) -> Value {
    json!({
        "kind": kind,
        "subject": "Zasady usytuowania tablic reklamowych",
        "legal_basis": {
            "resolution": "XII/123/2026",
            "adopted_on": "2026-03-26",
            "link": "https://bip.przykladowo.example.pl/uchwaly/xii-123-2026"
        },
        "scope": { "kind": "areas", "areas": ["OS-CENTRUM", "SOL-BOROWO"] },
        "dates": {
            "announced_on": opens.to_string(),
            "opens_on": opens.to_string(),
            "closes_on": (opens + Duration::days(days)).to_string(),
            "report_due_on": (opens + Duration::days(days + 30)).to_string()
        },
        "forms": ["comments", "workshop", "survey"],
        "document": DOCUMENT
    })
}

pub(crate) fn save_body(c: &Value) -> String {
    json!({ "consultation": c, "questionnaire": QUESTIONNAIRE }).to_string()
}

pub(crate) async fn put_json(app: &TestApp, uri: &str, cookie: &str, body: &str) -> Resp {
    app.send(
        Request::put(uri)
            .header(header::CONTENT_TYPE, "application/json")
            .header(header::COOKIE, cookie)
            .body(Body::from(body.to_owned()))
            .expect("request"),
    )
    .await
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

/// Creates and publishes a consultation as `cookie`; returns its id.
pub(crate) async fn published(app: &TestApp, cookie: &str, c: &Value) -> String {
    let r = app
        .post_json("/api/consultations", cookie, None, &save_body(c))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let id = r.json()["id"].as_str().unwrap().to_owned();
    let p = app
        .post_json(
            &format!("/api/consultations/{id}/publish"),
            cookie,
            None,
            "",
        )
        .await;
    assert_eq!(p.status, StatusCode::OK, "{}", p.text());
    id
}

#[tokio::test]
async fn consultation_journey_from_draft_to_published_report() {
    let app = TestApp::new().await;
    let councillor = app.with_roles("radna-1", vec![Role::Councillor]).await;
    let other = app.with_roles("radny-2", vec![Role::Councillor]).await;
    let resident = app.resident_with_pesel("44051401359").await;
    let neighbour = app.resident_with_pesel("02070803628").await;

    // a draft, seen by its author only
    let c = consultation("formal_open", today(), 14);
    let r = app
        .post_json("/api/consultations", &councillor, None, &save_body(&c))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let draft = r.json();
    let id = draft["id"].as_str().unwrap().to_owned();
    assert_eq!(draft["phase"], "draft");
    assert_eq!(draft["version"], 1);
    assert_eq!(draft["areas"][0]["name"], "Osiedle Centrum");
    assert_eq!(
        draft["anchors"],
        json!(["§ 1", "§ 2", "§ 2 ust. 1", "§ 2 ust. 2", "§ 3"])
    );
    let url = format!("/api/consultations/{id}");
    assert_eq!(app.get(&url, &other).await.status, StatusCode::NOT_FOUND);
    assert_eq!(app.get(&url, &anon()).await.status, StatusCode::NOT_FOUND);
    assert_eq!(app.get(&url, &councillor).await.status, StatusCode::OK);
    let r = put_json(&app, &url, &other, &save_body(&c)).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.text());

    // published on its opening day: open at once, listed publicly
    let p = app
        .post_json(&format!("{url}/publish"), &councillor, None, "")
        .await;
    assert_eq!(p.status, StatusCode::OK, "{}", p.text());
    assert_eq!(p.json()["phase"], "open");
    let list = app.get("/api/consultations", &anon()).await.json();
    assert_eq!(list["items"][0]["id"], id.as_str());
    assert_eq!(app.get(&url, &anon()).await.json()["phase"], "open");

    // frozen: no edits once open
    let r = put_json(&app, &url, &councillor, &save_body(&c)).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text());
    assert!(r.text().contains("zamroż"), "{}", r.text());

    // residents answer: one answer a person, the last one counts
    let answer = format!("{url}/answer");
    let r = put_json(
        &app,
        &answer,
        &anon(),
        r#"{"declaration":{"lives_in_gmina":true,"area":"OS-CENTRUM"},"data":{"popieram":true}}"#,
    )
    .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    let r = put_json(
        &app,
        &answer,
        &resident,
        r#"{"declaration":{"lives_in_gmina":true,"area":"OS-CENTRUM"},"data":{"uwagi":"x"}}"#,
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    assert_eq!(r.json()["errors"][0]["path"], "popieram");
    let r = put_json(
        &app,
        &answer,
        &resident,
        r#"{"declaration":{"lives_in_gmina":true,"area":"OS-CENTRUM"},"data":{"popieram":true}}"#,
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    assert_eq!(r.json()["version"], 1);
    let r = put_json(
        &app,
        &answer,
        &resident,
        r#"{"declaration":{"lives_in_gmina":true,"area":"OS-CENTRUM"},"data":{"popieram":false,"uwagi":"Za wysokie"}}"#,
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(r.json()["replaced"], true);
    let r = put_json(
        &app,
        &answer,
        &neighbour,
        r#"{"declaration":{"lives_in_gmina":true,"area":"OS-CENTRUM"},"data":{"popieram":true}}"#,
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    assert_eq!(app.get(&url, &anon()).await.json()["answers"], 2);

    // comments on numbered paragraphs
    let comments = format!("{url}/comments");
    let r = app
        .post_json(
            &comments,
            &resident,
            None,
            r#"{"declaration":{"lives_in_gmina":true,"area":"OS-CENTRUM"},"anchor":"§ 2 ust. 2","text":"2 m wystarczy.","show_name":true}"#,
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    assert_eq!(r.json()["author"], "Anna Nowak");
    let comment_id = r.json()["id"].as_str().unwrap().to_owned();
    let r = app
        .post_json(
            &comments,
            &neighbour,
            None,
            r#"{"declaration":{"lives_in_gmina":true,"area":"OS-CENTRUM"},"anchor":"§ 1","text":"Dobrze."}"#,
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    assert_eq!(r.json()["author"], Value::Null);
    let second_comment = r.json()["id"].as_str().unwrap().to_owned();
    let r = app
        .post_json(&comments, &resident, None, r#"{"declaration":{"lives_in_gmina":true,"area":"OS-CENTRUM"},"anchor":"§ 9","text":"?"}"#)
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(codes(&r), ["comment.anchor_unknown"]);
    let long = json!({ "anchor": "§ 1", "text": "a".repeat(5001), "declaration": { "lives_in_gmina": true, "area": "OS-CENTRUM" } }).to_string();
    let r = app.post_json(&comments, &resident, None, &long).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.json()["errors"][0]["path"], "text");

    // comments are public, the name only with consent
    let listed = app.get(&comments, &anon()).await.json();
    assert_eq!(listed["items"].as_array().map(Vec::len), Some(2));
    assert_eq!(listed["items"][0]["id"], comment_id.as_str());
    assert_eq!(listed["items"][1]["author"], Value::Null);
    // a page at a time
    let one = app
        .get(&format!("{comments}?limit=1"), &anon())
        .await
        .json();
    let next = one["next"].as_str().unwrap();
    let two = app
        .get(&format!("{comments}?limit=1&after={next}"), &anon())
        .await
        .json();
    assert_eq!(two["items"][0]["id"], second_comment.as_str());
    assert_eq!(two["next"], Value::Null);
    assert_eq!(
        app.get(&format!("{comments}?limit=0"), &anon())
            .await
            .status,
        StatusCode::BAD_REQUEST
    );

    // the answers, a page at a time, for the author; not for residents
    let page = app
        .get(&format!("{url}/answers?limit=1"), &councillor)
        .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.text());
    let page = page.json();
    assert_eq!(page["items"][0]["data"]["popieram"], false);
    assert_eq!(page["items"][0]["version"], 1);
    let next = page["next"].as_str().unwrap();
    let page2 = app
        .get(&format!("{url}/answers?limit=1&after={next}"), &councillor)
        .await
        .json();
    assert_eq!(page2["items"][0]["data"]["popieram"], true);
    assert_eq!(page2["next"], Value::Null);
    assert_eq!(
        app.get(&format!("{url}/answers"), &resident).await.status,
        StatusCode::FORBIDDEN
    );

    // no report while open
    let r = app
        .post_json(&format!("{url}/report"), &councillor, None, "")
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text());

    // the worker closes it the day after its closing day
    let after_close = time::OffsetDateTime::now_utc() + Duration::days(15);
    okienko::worker::run_due(&app.state, after_close)
        .await
        .unwrap();
    assert_eq!(app.get(&url, &anon()).await.json()["phase"], "closed");
    let r = put_json(
        &app,
        &answer,
        &resident,
        r#"{"declaration":{"lives_in_gmina":true,"area":"OS-CENTRUM"},"data":{"popieram":true}}"#,
    )
    .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(
        r.text()
            .contains(&c["dates"]["closes_on"].as_str().unwrap().to_string())
    );

    // the report answers every comment, or is refused naming the unanswered ones
    let position = |cid: &str| format!("{url}/comments/{cid}/position");
    let r = put_json(
        &app,
        &position(&comment_id),
        &councillor,
        r#"{"position":"partly_accepted","justification":"Wysokość obniżona do 2,5 m."}"#,
    )
    .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.text());
    for unknown in [uuid::Uuid::now_v7().to_string(), "nonsense".into()] {
        let r = put_json(
            &app,
            &position(&unknown),
            &councillor,
            r#"{"position":"accepted","justification":"-"}"#,
        )
        .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.text());
    }
    let r = put_json(
        &app,
        &position(&second_comment),
        &councillor,
        r#"{"position":"accepted","justification":"  "}"#,
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    assert_eq!(codes(&r), ["position.justification"]);
    let r = app
        .post_json(&format!("{url}/report"), &councillor, None, "")
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    assert_eq!(codes(&r), ["report.unanswered"]);
    assert!(r.text().contains("art. 8k"), "{}", r.text());
    assert_eq!(
        r.json()["errors"][0]["path"],
        format!("comments.{second_comment}")
    );
    assert_eq!(
        app.get(&format!("{url}/report"), &anon()).await.status,
        StatusCode::NOT_FOUND
    );
    let r = put_json(
        &app,
        &position(&second_comment),
        &councillor,
        r#"{"position":"accepted","justification":"Dziękujemy."}"#,
    )
    .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.text());
    let r = app
        .post_json(&format!("{url}/report"), &councillor, None, "")
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());

    // public, and published once
    let report = app.get(&format!("{url}/report"), &anon()).await;
    assert_eq!(report.status, StatusCode::OK);
    let report = report.json();
    assert_eq!(report["answers"], 2);
    assert_eq!(report["comments"][0]["anchor"], "§ 2 ust. 2");
    assert_eq!(report["comments"][0]["position"], "partly_accepted");
    assert_eq!(report["comments"][1]["position"], "accepted");
    // signed like a receipt, with the published keys, over exactly this content
    use okienko::participation::consultations::signature::{ReportClaims, digest};
    let jwks = app.get("/.well-known/jwks.json", &anon()).await.json();
    let claims: ReportClaims =
        okienko::receipt::verify::verify_claims(report["jws"].as_str().unwrap(), &jwks).unwrap();
    assert_eq!(claims.sub, id);
    assert_eq!(claims.comments, 2);
    assert_eq!(claims.report_sha3_256, digest(&report));
    // and offline, with `okienko receipt verify`; a changed report fails
    let dir = tempfile::tempdir().unwrap();
    let (file, keys) = (dir.path().join("report.json"), dir.path().join("jwks.json"));
    std::fs::write(&keys, jwks.to_string()).unwrap();
    let verify = |body: &Value| {
        std::fs::write(&file, body.to_string()).unwrap();
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_okienko"));
        // the CLI reads its settings from OKIENKO_*, the tests' own among them
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
    };
    let out = verify(&report);
    assert!(out.status.success(), "{out:?}");
    assert!(String::from_utf8_lossy(&out.stdout).contains("VALID consultation report"));
    let mut changed = report.clone();
    changed["comments"][1]["position"] = json!("rejected");
    assert!(!verify(&changed).status.success());
    assert_eq!(app.get(&url, &anon()).await.json()["phase"], "reported");

    // every action in the hash-chained history, and a changed entry breaks the chain
    let h = app.get(&format!("{url}/history"), &anon()).await.json();
    let actions: Vec<&str> = h["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        actions,
        [
            "created",
            "published",
            "moved",
            "moved",
            "position",
            "position",
            "report_published"
        ]
    );
    assert_eq!(h["items"][0]["by"], "Radna radna-1");
    assert_eq!(
        h["items"][3]["detail"]
            .as_str()
            .unwrap()
            .split(" on ")
            .next(),
        Some("open → closed")
    );
    assert_eq!(h["verified"], true);
    {
        use okienko::db::entity::participation_event as event;
        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, sea_query::Expr};
        event::Entity::update_many()
            .col_expr(event::Column::Detail, Expr::value("comment x: accepted"))
            .filter(event::Column::SubjectId.eq(&id))
            .filter(event::Column::Seq.eq(5))
            .exec(&app.state.db)
            .await
            .unwrap();
    }
    let h = app.get(&format!("{url}/history"), &anon()).await.json();
    assert_eq!(
        (h["verified"].clone(), h["first_break"].clone()),
        (json!(false), json!(5))
    );
    let r = app
        .post_json(&format!("{url}/report"), &councillor, None, "")
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    let page = app.get(&format!("/konsultacje/{id}"), &anon()).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.text().contains("Wysokość obniżona"), "{}", page.text());
}

#[tokio::test]
async fn an_answer_keeps_the_version_it_answered_and_edits_stop_at_opening() {
    let app = TestApp::new().await;
    let councillor = app.with_roles("radna-1", vec![Role::Councillor]).await;
    let resident = app
        .resident(okienko::domain::level::IdentityLevel::Substantial)
        .await;
    let tomorrow = today() + Duration::days(1);
    let mut c = consultation("informal_open", tomorrow, 10);
    c["dates"]["announced_on"] = json!(today().to_string());
    let id = published(&app, &councillor, &c).await;
    let url = format!("/api/consultations/{id}");
    assert_eq!(app.get(&url, &anon()).await.json()["phase"], "announced");
    let r = put_json(
        &app,
        &format!("{url}/answer"),
        &resident,
        r#"{"declaration":{"lives_in_gmina":true,"area":"OS-CENTRUM"},"data":{"popieram":true}}"#,
    )
    .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text());

    // announced, not yet open: a new version, checked against a stale one
    c["subject"] = json!("Zasady usytuowania tablic reklamowych (poprawione)");
    let mut body: Value = serde_json::from_str(&save_body(&c)).unwrap();
    body["version"] = json!(1);
    let r = put_json(&app, &url, &councillor, &body.to_string()).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(r.json()["version"], 2);
    let r = put_json(&app, &url, &councillor, &body.to_string()).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text());

    // the worker opens it on its day; answers carry version 2, and it is frozen now
    let moved_at = okienko::domain::clock::start_of_day_in_poland(tomorrow) + Duration::hours(1);
    okienko::worker::run_due(&app.state, moved_at)
        .await
        .unwrap();
    okienko::worker::run_due(&app.state, moved_at)
        .await
        .unwrap();
    assert_eq!(app.get(&url, &anon()).await.json()["phase"], "open");
    let r = put_json(
        &app,
        &format!("{url}/answer"),
        &resident,
        r#"{"declaration":{"lives_in_gmina":true,"area":"OS-CENTRUM"},"data":{"popieram":true}}"#,
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    assert_eq!(r.json()["version"], 2);
    body["version"] = json!(2);
    let r = put_json(&app, &url, &councillor, &body.to_string()).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text());
}

#[tokio::test]
async fn consultation_rules_are_refused_with_field_rule_and_article() {
    let app = TestApp::new().await;
    let councillor = app.with_roles("radna-1", vec![Role::Councillor]).await;
    let coordinator = app.with_roles("koordynator", vec![Role::Admin]).await;
    let resident = app
        .resident(okienko::domain::level::IdentityLevel::Substantial)
        .await;
    let create = |cookie: String, body: String| {
        let app = &app;
        async move {
            app.post_json("/api/consultations", &cookie, None, &body)
                .await
        }
    };

    // who: not logged in, a resident
    let ok = save_body(&consultation("informal_open", today(), 14));
    assert_eq!(
        create(anon(), ok.clone()).await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        create(resident.clone(), ok.clone()).await.status,
        StatusCode::FORBIDDEN
    );

    // a development strategy runs at least 35 days
    let r = create(
        councillor.clone(),
        save_body(&consultation("development_strategy", today(), 34)),
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    assert_eq!(codes(&r), ["development_strategy.window"]);
    assert_eq!(r.json()["errors"][0]["path"], "dates.closes_on");
    assert!(r.text().contains("art. 10f"), "{}", r.text());
    let r = create(
        councillor.clone(),
        save_body(&consultation("development_strategy", today(), 35)),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());

    // a planning act: comments plus a meeting plus a field form
    let mut c = consultation("planning_act", today(), 21);
    c["forms"] = json!(["comments", "survey"]);
    let r = create(councillor.clone(), save_body(&c)).await;
    assert_eq!(codes(&r), ["planning_act.meeting"]);
    assert!(r.text().contains("art. 8i ust. 2 pkt 2"), "{}", r.text());

    // dates in order, listed areas, a subject
    let mut c = consultation("formal_open", today(), 14);
    c["dates"]["report_due_on"] = json!(today().to_string());
    c["scope"]["areas"] = json!(["OS-NOWHERE"]);
    c["subject"] = json!("");
    let r = create(councillor.clone(), save_body(&c)).await;
    assert_eq!(
        codes(&r),
        ["subject.length", "scope.unknown_area", "dates.order"]
    );

    // the questionnaire is compiled as the catalogue is, problems with their line
    let body = json!({
        "consultation": consultation("informal_open", today(), 14),
        "questionnaire": "steps:\n  - id: q\n    title: { pl: P }\n    fields:\n      - { id: a, type: nonsense }\n"
    });
    let r = create(councillor.clone(), body.to_string()).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    assert_eq!(codes(&r), ["questionnaire.problem"]);
    assert!(r.text().contains("questionnaire.yaml:5:"), "{}", r.text());
    // a malformed body names the JSON problem
    let r = create(councillor.clone(), r#"{"consultation":{}}"#.into()).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.text());

    // publishing after the opening day is refused; a planning act names its act
    let mut c = consultation("planning_act", today() - Duration::days(1), 21);
    c["forms"] = json!(["comments", "workshop", "study_walk"]);
    let r = create(councillor.clone(), save_body(&c)).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let id = r.json()["id"].as_str().unwrap().to_owned();
    let r = app
        .post_json(
            &format!("/api/consultations/{id}/publish"),
            &councillor,
            None,
            "",
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    assert_eq!(codes(&r), ["publish.late"]);
    assert!(r.text().contains("u.p.z.p."), "{}", r.text());

    // the coordinator sees and runs anyone's; unknown and malformed ids are 404
    let r = app
        .get(&format!("/api/consultations/{id}"), &coordinator)
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    for bad in [uuid::Uuid::now_v7().to_string(), "nonsense".into()] {
        assert_eq!(
            app.get(&format!("/api/consultations/{bad}"), &councillor)
                .await
                .status,
            StatusCode::NOT_FOUND
        );
        let r = put_json(
            &app,
            &format!("/api/consultations/{bad}/answer"),
            &resident,
            r#"{"declaration":{"lives_in_gmina":true,"area":"OS-CENTRUM"},"data":{}}"#,
        )
        .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
    }

    // a closed kind takes part through its roster, not every resident
    let id = published(
        &app,
        &councillor,
        &consultation("authorised_group", today(), 14),
    )
    .await;
    let r = put_json(
        &app,
        &format!("/api/consultations/{id}/answer"),
        &resident,
        r#"{"declaration":{"lives_in_gmina":true,"area":"OS-CENTRUM"},"data":{"popieram":true}}"#,
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text());
    assert!(r.text().contains("organizacje z listy"), "{}", r.text());

    // a bad list query is a 400 in the one format
    let r = app.get("/api/consultations?phase=draft", &anon()).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(r.json()["error"]["code"], "phase");

    // the routes are in the OpenAPI document
    let doc = app.get("/api/openapi.json", &anon()).await.json();
    assert!(doc["paths"]["/api/consultations/{id}/report"].is_object());
}

#[tokio::test]
async fn a_consultation_appears_on_its_announcement_day_and_moves_once() {
    let app = TestApp::new().await;
    let councillor = app.with_roles("radna-1", vec![Role::Councillor]).await;
    let tomorrow = today() + Duration::days(1);
    let mut c = consultation("informal_open", tomorrow + Duration::days(1), 10);
    c["dates"]["announced_on"] = json!(tomorrow.to_string());
    let id = published(&app, &councillor, &c).await;
    let url = format!("/api/consultations/{id}");
    // published, but not announced before its day
    assert_eq!(app.get(&url, &anon()).await.status, StatusCode::NOT_FOUND);
    let feed = app.get("/konsultacje.atom", &anon()).await.text();
    assert!(!feed.contains(&id), "{feed}");
    let listed = app
        .get("/api/consultations?phase=announced", &anon())
        .await
        .json();
    assert_eq!(listed["items"], json!([]));

    // four workers at once on its announcement day: one move
    let mut runs = tokio::task::JoinSet::new();
    for _ in 0..4 {
        let db = app.state.db.clone();
        runs.spawn(async move {
            okienko::participation::consultations::phases::advance(&db, tomorrow).await
        });
    }
    let mut moved = 0;
    while let Some(r) = runs.join_next().await {
        moved += r.unwrap().unwrap();
    }
    assert_eq!(moved, 1);
    assert_eq!(app.get(&url, &anon()).await.json()["phase"], "announced");
    let listed = app
        .get("/api/consultations?phase=announced", &anon())
        .await
        .json();
    assert_eq!(listed["items"][0]["id"], id.as_str());
    let page = app.get("/konsultacje", &anon()).await;
    assert!(
        page.text().contains(&format!("/konsultacje/{id}")),
        "{}",
        page.text()
    );
    let feed = app.get("/konsultacje.atom", &anon()).await;
    assert_eq!(
        feed.headers[header::CONTENT_TYPE],
        "application/atom+xml; charset=utf-8"
    );
    assert!(
        feed.text().contains(&format!("<id>urn:uuid:{id}</id>")),
        "{}",
        feed.text()
    );
}

#[tokio::test]
async fn a_resident_answers_and_comments_in_the_pages() {
    let app = TestApp::new().await;
    let councillor = app.with_roles("radna-1", vec![Role::Councillor]).await;
    let id = published(
        &app,
        &councillor,
        &consultation("informal_open", today(), 14),
    )
    .await;
    let mut browser = crate::helpers::Browser::new(&app);
    let cookie = app.resident_with_pesel("44051401359").await;
    let (k, v) = cookie.split_once('=').unwrap();
    browser.cookies.insert(k.to_owned(), v.to_owned());

    let page = browser.get(&format!("/konsultacje/{id}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.text().contains("§ 2 ust. 2"), "{}", page.text());
    let form = browser.get(&format!("/konsultacje/{id}/odpowiedz")).await;
    assert_eq!(form.status, StatusCode::OK, "{}", form.text());
    assert!(form.text().contains("Czy popierasz projekt?"));

    // a missing answer is shown on the form, by field
    let r = browser
        .post_form(
            &format!("/konsultacje/{id}/odpowiedz"),
            "uwagi=Brak&lives_in_gmina=yes&area=OS-CENTRUM",
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    assert!(r.text().contains("href=\"#popieram\""), "{}", r.text());
    // a scale and a ranking: a place a select, a point a radio
    assert!(
        form.text().contains("Miejsce 2") && form.text().contains("id=\"ocena-5\""),
        "{}",
        form.text()
    );
    let r = browser
        .post_form(
            &format!("/konsultacje/{id}/odpowiedz"),
            "popieram=true&ocena=9&kolejnosc=droga&kolejnosc=droga&lives_in_gmina=yes&area=OS-CENTRUM",
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    assert!(
        r.text().contains("href=\"#ocena\"") && r.text().contains("href=\"#kolejnosc\""),
        "{}",
        r.text()
    );
    let r = browser
        .post_form(
            &format!("/konsultacje/{id}/odpowiedz"),
            "popieram=true&ocena=4&kolejnosc=droga&kolejnosc=park&lives_in_gmina=yes&area=OS-CENTRUM",
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert!(r.text().contains("zapisana"), "{}", r.text());
    let r = browser
        .post_form(
            &format!("/konsultacje/{id}/odpowiedz"),
            "popieram=false&lives_in_gmina=yes&area=OS-CENTRUM",
        )
        .await;
    assert!(r.text().contains("zastąpiona"), "{}", r.text());

    // a comment on a paragraph, and one on a paragraph the document does not have
    let r = browser
        .post_form(
            &format!("/konsultacje/{id}/uwagi"),
            "anchor=%C2%A7+2+ust.+1&text=Tak%C5%BCe+przy+powiatowych.&show_name=yes&lives_in_gmina=yes&area=OS-CENTRUM",
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let r = browser
        .post_form(
            &format!("/konsultacje/{id}/uwagi"),
            "anchor=%C2%A7+7&text=x&lives_in_gmina=yes&area=OS-CENTRUM",
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    assert!(r.text().contains("§ 7"), "{}", r.text());
    let page = browser.get(&format!("/konsultacje/{id}")).await.text();
    assert!(
        page.contains("Także przy powiatowych. (Anna Nowak)"),
        "{page}"
    );
    let answers = app
        .get(&format!("/api/consultations/{id}/answers"), &councillor)
        .await
        .json();
    assert_eq!(answers["items"][0]["data"]["popieram"], false);
    assert_eq!(answers["items"].as_array().map(Vec::len), Some(1));

    // logged out: sent to log in, and back to the form afterwards
    let r = app
        .get(&format!("/konsultacje/{id}/odpowiedz"), &anon())
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let to = r.headers["location"].to_str().unwrap();
    assert!(to.starts_with("/auth/login?"), "{to}");
    assert!(
        to.contains(&format!("return_to=%2Fkonsultacje%2F{id}%2Fodpowiedz")),
        "{to}"
    );
    // and a consultation nobody may see is not found, logged in or not
    let r = app
        .get("/konsultacje/no-such-consultation/odpowiedz", &anon())
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn anonymous_answers_keep_no_link_to_the_person() {
    use okienko::db::entity::{consultation_answer, consultation_participant};
    use sea_orm::EntityTrait;
    let app = TestApp::new().await;
    let councillor = app.with_roles("radna-1", vec![Role::Councillor]).await;
    let mut c = consultation("informal_open", today(), 14);
    c["anonymous"] = json!(true);
    let id = published(&app, &councillor, &c).await;
    let answer = format!("/api/consultations/{id}/answer");
    let resident = app.resident_with_pesel("44051401359").await;
    let again = app.resident_with_pesel("44051401359").await;
    let other = app.resident_with_pesel("02070803628").await;
    let r = put_json(
        &app,
        &answer,
        &resident,
        r#"{"declaration":{"lives_in_gmina":true,"area":"OS-CENTRUM"},"data":{"popieram":true}}"#,
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let r = put_json(
        &app,
        &answer,
        &other,
        r#"{"declaration":{"lives_in_gmina":true,"area":"OS-CENTRUM"},"data":{"popieram":false}}"#,
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    // the same person from another session: refused, not replaced
    let r = put_json(
        &app,
        &answer,
        &again,
        r#"{"declaration":{"lives_in_gmina":true,"area":"OS-CENTRUM"},"data":{"popieram":false}}"#,
    )
    .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text());
    assert!(r.text().contains("anonimowej"), "{}", r.text());

    // who answered and what was answered share no value but the consultation: the answer's
    // key is random, its id is not time-ordered, and it carries only the day
    let db = &app.state.db;
    let people = consultation_participant::Entity::find()
        .all(db)
        .await
        .unwrap();
    let answers = consultation_answer::Entity::find().all(db).await.unwrap();
    assert_eq!((people.len(), answers.len()), (2, 2));
    let day = okienko::domain::clock::start_of_day_in_poland(today());
    for a in &answers {
        let values = [&a.id, &a.participant, &a.data];
        for p in &people {
            assert!(values.iter().all(|v| !v.contains(&p.participant)));
        }
        assert_eq!(uuid::Uuid::parse_str(&a.id).unwrap().get_version_num(), 4);
        assert_eq!((a.created_at, a.updated_at), (day, day));
    }
    let data: Vec<bool> = answers.iter().map(|a| a.data.contains("true")).collect();
    assert!(data.contains(&true) && data.contains(&false));
}
