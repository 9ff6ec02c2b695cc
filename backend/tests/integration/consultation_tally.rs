//! The kept tally of a consultation's answers (issue 14 §7): after many answers, changes of
//! mind, concurrent answers of one person, paper cards replaced online and anonymous
//! answers, the results read from the kept tally equal a recount of the stored answers,
//! and the tally holds nothing that leads to a person.

use axum::http::StatusCode;
use okienko::domain::identity::Role;
use okienko::participation::consultations::{self as consultations, results};
use serde_json::{Value, json};

use crate::consultations::{consultation, put_json, today};
use crate::helpers::TestApp;

const QUESTIONNAIRE: &str = "steps:\n  - id: pytania\n    title: { pl: Pytania }\n    fields:\n      - { id: popieram, type: yes_no, label: { pl: Czy popierasz? } }\n      - { id: ocena, type: scale, min: 1, max: 5, label: { pl: Ocena } }\n      - { id: kolejnosc, type: ranking, label: { pl: Co najpierw? }, options: [ { value: park, label: { pl: Park } }, { value: droga, label: { pl: Droga } }, { value: szkola, label: { pl: Szkoła } } ] }\n      - { id: wybor, type: multi_choice, label: { pl: Co jeszcze? }, options: [ { value: a, label: { pl: A } }, { value: b, label: { pl: B } }, { value: c, label: { pl: C } } ] }\n      - { id: gdzie, type: choice, label: { pl: Gdzie? }, options: [ { value: x, label: { pl: X } }, { value: y, label: { pl: Y } } ] }\n      - { id: uwagi, type: textarea, label: { pl: Uwagi }, max_length: 200 }\n";

/// A valid PESEL of someone born on 1 January 1980, the `n`th.
fn pesel(n: usize) -> String {
    const W: [u32; 10] = [1, 3, 7, 9, 1, 3, 7, 9, 1, 3];
    let base = format!("800101{:04}", n % 10_000);
    let sum: u32 = base
        .bytes()
        .zip(W)
        .map(|(b, w)| u32::from(b - b'0') * w)
        .sum();
    format!("{base}{}", (10 - sum % 10) % 10)
}

/// A small deterministic generator (xorshift), so a failing seed can be run again.
struct Draw(u64);

impl Draw {
    fn next(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }

    fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[self.next(xs.len() as u64) as usize]
    }

    /// Random answers: each question answered or not, with any valid value.
    fn answers(&mut self) -> Value {
        let mut m = serde_json::Map::new();
        if self.next(5) > 0 {
            m.insert("popieram".into(), json!(self.next(2) == 0));
        }
        if self.next(5) > 0 {
            m.insert("ocena".into(), json!(1 + self.next(5)));
        }
        if self.next(4) > 0 {
            let mut order = vec!["park", "droga", "szkola"];
            for i in (1..order.len()).rev() {
                order.swap(i, self.next(i as u64 + 1) as usize);
            }
            order.truncate(1 + self.next(3) as usize);
            m.insert("kolejnosc".into(), json!(order));
        }
        if self.next(4) > 0 {
            let chosen: Vec<&str> = ["a", "b", "c"]
                .into_iter()
                .filter(|_| self.next(2) == 0)
                .collect();
            m.insert("wybor".into(), json!(chosen));
        }
        if self.next(3) > 0 {
            m.insert("gdzie".into(), json!(self.pick(&["x", "y"])));
        }
        if self.next(2) > 0 {
            m.insert("uwagi".into(), json!(format!("uwaga {}", self.next(1000))));
        }
        Value::Object(m)
    }
}

fn body(data: &Value) -> String {
    json!({ "declaration": { "lives_in_gmina": true, "area": "OS-CENTRUM" }, "data": data })
        .to_string()
}

async fn published_with(app: &TestApp, cookie: &str, c: &Value) -> String {
    let save = json!({ "consultation": c, "questionnaire": QUESTIONNAIRE }).to_string();
    let r = app
        .post_json("/api/consultations", cookie, None, &save)
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let id = r.json()["id"].as_str().unwrap().to_owned();
    let r = app
        .post_json(
            &format!("/api/consultations/{id}/publish"),
            cookie,
            None,
            "",
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    id
}

/// The results from the kept tally equal those recounted from every answer, question by
/// question, and so does the participation by channel; gives the participation.
async fn assert_tally_equals_recount(app: &TestApp, id: &str) -> (u64, u64) {
    let state = &app.state;
    let c = consultations::visible(state, None, id).await.unwrap();
    let (body, questionnaire) = consultations::content(state, &c).await.unwrap();
    let lang = okienko::domain::lang::Lang::Pl;
    let kept = results::tally(state, &c, &body, &questionnaire, lang)
        .await
        .unwrap();
    let recount = results::recount(state, &c, &body, &questionnaire, lang)
        .await
        .unwrap();
    assert_eq!(kept, recount);
    let participation = results::participation(state, &c).await.unwrap();
    let stored = okienko::db::consultations::count_by_channel(&state.db, &c.id)
        .await
        .unwrap();
    assert_eq!(participation, stored);
    participation
}

#[tokio::test]
async fn the_kept_tally_equals_a_recount_after_many_changes_of_mind() {
    let seed = 0x9e37_79b9_7f4a_7c15_u64;
    let mut draw = Draw(seed);
    let app = TestApp::new().await;
    let councillor = app.with_roles("radna-1", vec![Role::Councillor]).await;
    let id = published_with(&app, &councillor, &consultation("formal_open", today(), 14)).await;
    let url = format!("/api/consultations/{id}/answer");
    let mut residents = Vec::new();
    for n in 0..8 {
        residents.push(app.resident_with_pesel(&pesel(n)).await);
    }
    // paper cards of two of them, accepted before they answer online (which replaces them)
    let (clerk, second) = (
        app.staff("clerk-or", "OR").await,
        app.staff("kierownik-or", "OR").await,
    );
    for (n, card) in [(0usize, "P-1"), (1, "P-2"), (8, "P-3")] {
        let card = json!({ "card": card, "pesel": pesel(n), "data": { "answers": draw.answers(), "declaration": { "lives_in_gmina": true, "area": "OS-CENTRUM" } } });
        let r = app
            .post_json(
                &format!("/api/consultations/{id}/paper"),
                &clerk,
                None,
                &card.to_string(),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
        let entry = r.json()["id"].as_str().unwrap().to_owned();
        let r = app
            .post_json(
                &format!("/api/consultations/{id}/paper/{entry}/accept"),
                &second,
                None,
                "",
            )
            .await;
        assert_eq!(r.json()["state"], "accepted", "{}", r.text());
    }
    assert_eq!(assert_tally_equals_recount(&app, &id).await, (0, 3));

    let mut answered = std::collections::HashSet::new();
    for round in 0..60 {
        let who = draw.next(residents.len() as u64) as usize;
        let data = draw.answers();
        if round % 10 == 9 {
            // the same person twice at once, and someone else: each answer counts once
            let (a, b, other) = (
                body(&draw.answers()),
                body(&draw.answers()),
                body(&draw.answers()),
            );
            let peer = (who + 1) % residents.len();
            let (r1, r2, r3) = tokio::join!(
                put_json(&app, &url, &residents[who], &a),
                put_json(&app, &url, &residents[who], &b),
                put_json(&app, &url, &residents[peer], &other),
            );
            for r in [&r1, &r2, &r3] {
                assert!(r.status.is_success(), "seed {seed}: {}", r.text());
            }
            answered.extend([who, peer]);
        } else {
            let r = put_json(&app, &url, &residents[who], &body(&data)).await;
            assert!(r.status.is_success(), "seed {seed}: {}", r.text());
            let replaced = r.json()["replaced"].as_bool().unwrap();
            assert_eq!(
                replaced,
                !answered.insert(who) || who < 2,
                "seed {seed}: {}",
                r.text()
            );
        }
        if round % 20 == 19 {
            assert_tally_equals_recount(&app, &id).await;
        }
    }
    let online = answered.len() as u64;
    assert_eq!(
        assert_tally_equals_recount(&app, &id).await,
        (
            online,
            3 - u64::from(answered.contains(&0)) - u64::from(answered.contains(&1))
        )
    );
}

#[tokio::test]
async fn anonymous_answers_are_tallied_with_nothing_that_leads_to_the_person() {
    use okienko::db::entity::consultation_participant;
    use sea_orm::{ConnectionTrait, EntityTrait, Statement};
    let mut draw = Draw(7);
    let app = TestApp::new().await;
    let councillor = app.with_roles("radna-1", vec![Role::Councillor]).await;
    let mut c = consultation("informal_open", today(), 14);
    c["anonymous"] = json!(true);
    let id = published_with(&app, &councillor, &c).await;
    let url = format!("/api/consultations/{id}/answer");
    for n in 0..5 {
        let resident = app.resident_with_pesel(&pesel(n)).await;
        let r = put_json(&app, &url, &resident, &body(&draw.answers())).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
        // a change of mind is refused, and the tally does not move
        let r = put_json(&app, &url, &resident, &body(&draw.answers())).await;
        assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text());
    }
    assert_eq!(assert_tally_equals_recount(&app, &id).await, (5, 0));
    let db = &app.state.db;
    let people = consultation_participant::Entity::find()
        .all(db)
        .await
        .unwrap();
    assert_eq!(people.len(), 5);
    let rows = db
        .query_all_raw(Statement::from_string(
            db.get_database_backend(),
            "SELECT * FROM consultation_tally",
        ))
        .await
        .unwrap();
    assert!(!rows.is_empty());
    let columns = ["consultation_id", "channel", "question", "value"];
    for r in &rows {
        for col in columns {
            let v: String = r.try_get("", col).unwrap();
            assert!(people.iter().all(|p| !v.contains(&p.participant)), "{v}");
        }
    }
}

#[tokio::test]
async fn the_migration_counts_the_answers_stored_before_it() {
    use okienko_migrations::{Migrator, MigratorTrait};
    let mut draw = Draw(11);
    let app = TestApp::new().await;
    let councillor = app.with_roles("radna-1", vec![Role::Councillor]).await;
    let id = published_with(&app, &councillor, &consultation("formal_open", today(), 14)).await;
    let url = format!("/api/consultations/{id}/answer");
    for n in 0..6 {
        let resident = app.resident_with_pesel(&pesel(n)).await;
        for _ in 0..2 {
            let r = put_json(&app, &url, &resident, &body(&draw.answers())).await;
            assert!(r.status.is_success(), "{}", r.text());
        }
    }
    // the tally's migration (and any after it) undone and run again over the answers
    // already stored
    let all = Migrator::migrations();
    let at = all
        .iter()
        .position(|m| m.name() == "m20261203_000062_consultation_tally")
        .expect("the tally's migration");
    let since = u32::try_from(all.len() - at).unwrap();
    Migrator::down(&app.state.db, Some(since)).await.unwrap();
    Migrator::up(&app.state.db, None).await.unwrap();
    assert_eq!(assert_tally_equals_recount(&app, &id).await, (6, 0));
    assert!(
        !results::kept_tally(&app.state.db, &id)
            .await
            .unwrap()
            .is_empty()
    );
}

/// The answers of an anonymous consultation are stored in the order they came (as are the
/// markers of who answered), so the raw row order (SQLite's rowid, PostgreSQL's ctid)
/// could line the two up; the close rewrites them in a random order under new ids, with the
/// same content and the tally untouched.
#[tokio::test]
async fn an_anonymous_consultations_answers_leave_their_order_when_it_closes() {
    use sea_orm::{ConnectionTrait, DatabaseBackend, Statement};
    let mut draw = Draw(13);
    let app = TestApp::new().await;
    let councillor = app.with_roles("radna-1", vec![Role::Councillor]).await;
    let mut c = consultation("informal_open", today(), 14);
    c["anonymous"] = json!(true);
    let id = published_with(&app, &councillor, &c).await;
    let url = format!("/api/consultations/{id}/answer");
    for n in 0..24 {
        let resident = app.resident_with_pesel(&pesel(100 + n)).await;
        let r = put_json(&app, &url, &resident, &body(&draw.answers())).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    }
    let db = &app.state.db;
    let backend = db.get_database_backend();
    let order = if backend == DatabaseBackend::Postgres {
        "ctid"
    } else {
        "rowid"
    };
    let raw = || async {
        db.query_all_raw(Statement::from_string(
            backend,
            format!("SELECT id, data FROM consultation_answer ORDER BY {order}"),
        ))
        .await
        .unwrap()
        .iter()
        .map(|r| {
            (
                r.try_get::<String>("", "id").unwrap(),
                r.try_get::<String>("", "data").unwrap(),
            )
        })
        .collect::<Vec<_>>()
    };
    let before = raw().await;
    let after_close = time::OffsetDateTime::now_utc() + time::Duration::days(15);
    okienko::worker::run_due(&app.state, after_close)
        .await
        .unwrap();
    let after = raw().await;
    assert_eq!(after.len(), 24);
    let content = |rows: &[(String, String)]| {
        let mut d: Vec<String> = rows.iter().map(|(_, d)| d.clone()).collect();
        d.sort();
        d
    };
    assert_eq!(content(&after), content(&before), "the same answers");
    assert!(
        after
            .iter()
            .all(|(id, _)| before.iter().all(|(old, _)| old != id)),
        "every id drawn anew"
    );
    let in_order =
        |rows: &[(String, String)]| rows.iter().map(|(_, d)| d.clone()).collect::<Vec<_>>();
    // 24 answers in the same order by chance: once in 24! (6 × 10^23)
    assert_ne!(in_order(&after), in_order(&before), "another order");
    assert_eq!(assert_tally_equals_recount(&app, &id).await, (24, 0));
}
