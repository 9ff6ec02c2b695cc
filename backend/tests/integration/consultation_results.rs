//! Results (issue 14 §4): participation while open, the answers after closing (or while
//! open where an informal consultation chose so), SVG charts each with its data table,
//! formula-safe CSV, and statistics fixed at closing that later changes cannot move.

use axum::http::{StatusCode, header};
use okienko::domain::identity::Role;
use serde_json::{Value, json};
use time::Duration;

use crate::consultations::{codes, consultation, published, put_json, save_body, today};
use crate::helpers::{TestApp, anon};

fn answer(area: &str, data: Value) -> String {
    json!({ "declaration": { "lives_in_gmina": true, "area": area }, "data": data }).to_string()
}

#[tokio::test]
async fn results_after_closing_with_charts_csv_and_statistics_fixed_at_closing() {
    let app = TestApp::new().await;
    let councillor = app.with_roles("radna-1", vec![Role::Councillor]).await;
    let c = consultation("formal_open", today(), 14);
    let id = published(&app, &councillor, &c).await;
    let url = format!("/api/consultations/{id}");
    // born 1944 (65+) and 2005 (18-24); the paper card's in 1985 (35-44)
    let older = app.resident_with_pesel("44051401359").await;
    let younger = app.resident_with_pesel("05231503452").await;
    let r = put_json(&app, &format!("{url}/answer"), &older, &answer("OS-CENTRUM", json!({ "popieram": true, "ocena": 4, "kolejnosc": ["droga", "park"], "uwagi": "=HYPERLINK(\"http://x\")" }))).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let r = put_json(
        &app,
        &format!("{url}/answer"),
        &younger,
        &answer(
            "SOL-BOROWO",
            json!({ "popieram": false, "ocena": 1, "kolejnosc": ["park", "droga"] }),
        ),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let (clerk, second) = (
        app.staff("clerk-or", "OR").await,
        app.staff("kierownik-or", "OR").await,
    );
    let card = json!({ "card": "P-1", "pesel": "85071503827", "data": { "answers": { "popieram": true, "kolejnosc": ["droga"] }, "declaration": { "lives_in_gmina": true, "area": "OS-CENTRUM" } } });
    let r = app
        .post_json(&format!("{url}/paper"), &clerk, None, &card.to_string())
        .await;
    let entry = r.json()["id"].as_str().unwrap().to_owned();
    let r = app
        .post_json(&format!("{url}/paper/{entry}/accept"), &second, None, "")
        .await;
    assert_eq!(r.json()["state"], "accepted", "{}", r.text());

    // while open: how many took part, not what they answered
    let r = app.get(&format!("{url}/results"), &anon()).await.json();
    assert_eq!(
        r["participation"],
        json!({ "answers": 3, "online": 2, "paper": 1 })
    );
    assert_eq!(
        (
            r["answers_public"].clone(),
            r["questions"].clone(),
            r["statistics"].clone()
        ),
        (json!(false), Value::Null, Value::Null)
    );
    let page = app.get(&format!("/konsultacje/{id}/wyniki"), &anon()).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.text().contains("po zakończeniu") && !page.text().contains("<svg"),
        "{}",
        page.text()
    );

    // closed by the worker: the answers' results and the statistics fixed with the move
    okienko::worker::run_due(
        &app.state,
        time::OffsetDateTime::now_utc() + Duration::days(15),
    )
    .await
    .unwrap();
    let r = app.get(&format!("{url}/results"), &anon()).await.json();
    assert_eq!(r["answers_public"], true);
    let q = |id: &str| {
        r["questions"]
            .as_array()
            .unwrap()
            .iter()
            .find(|q| q["id"] == id)
            .cloned()
            .unwrap()
    };
    let counts = |q: &Value| {
        q["rows"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| {
                (
                    x["value"].as_str().unwrap().to_owned(),
                    x["count"].as_u64().unwrap(),
                )
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(
        counts(&q("popieram")),
        [("true".into(), 2), ("false".into(), 1)]
    );
    let ocena = q("ocena");
    assert_eq!(
        (ocena["answered"].clone(), ocena["mean"].clone()),
        (json!(2), json!(2.5))
    );
    assert_eq!(counts(&ocena)[3], ("4".into(), 1));
    // a ranking's Borda points: first of two 2, second 1
    assert_eq!(
        counts(&q("kolejnosc")),
        [("park".into(), 3), ("droga".into(), 5)]
    );
    assert_eq!(q("uwagi")["answered"], 1);
    let stats = r["statistics"].clone();
    assert_eq!(
        (
            stats["answers"].clone(),
            stats["online"].clone(),
            stats["paper"].clone()
        ),
        (json!(3), json!(2), json!(1))
    );
    assert_eq!(
        stats["areas"],
        json!([{ "code": "OS-CENTRUM", "count": 2 }, { "code": "SOL-BOROWO", "count": 1 }])
    );
    let band = |b: &str| {
        stats["age_bands"]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["band"] == b)
            .unwrap()["count"]
            .clone()
    };
    assert_eq!(
        (band("18-24"), band("35-44"), band("65+"), band("0-17")),
        (json!(1), json!(1), json!(1), json!(0))
    );

    // later changes do not move them: a corrected answer, another worker pass, the report
    {
        use okienko::db::entity::consultation_answer;
        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, sea_query::Expr};
        consultation_answer::Entity::update_many()
            .col_expr(consultation_answer::Column::Area, Expr::value("SOL-BOROWO"))
            .col_expr(consultation_answer::Column::Channel, Expr::value("online"))
            .filter(consultation_answer::Column::ConsultationId.eq(&id))
            .exec(&app.state.db)
            .await
            .unwrap();
    }
    okienko::worker::run_due(
        &app.state,
        time::OffsetDateTime::now_utc() + Duration::days(16),
    )
    .await
    .unwrap();
    let r = app
        .post_json(&format!("{url}/report"), &councillor, None, "")
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let after = app.get(&format!("{url}/results"), &anon()).await.json();
    assert_eq!(after["statistics"], stats);
    assert_eq!(after["participation"]["paper"], 0);

    // the page: a chart per question and per statistic, each with its data table
    let page = app
        .get(&format!("/konsultacje/{id}/wyniki"), &anon())
        .await
        .text();
    assert!(
        page.contains(r#"role="img""#) && page.contains("<title id=\"q-popieram-title\">"),
        "{page}"
    );
    assert!(
        page.contains("Czy popierasz projekt?: dane wykresu")
            && page.contains("Odpowiedzi według wieku: dane wykresu"),
        "{page}"
    );
    assert!(
        page.contains("Osiedle Centrum") && page.contains("Statystyka ustalona na zakończenie"),
        "{page}"
    );

    // the answers as CSV for the author, formula-safe
    let csv = app.get(&format!("{url}/answers.csv"), &councillor).await;
    assert_eq!(csv.status, StatusCode::OK, "{}", csv.text());
    assert_eq!(csv.headers[header::CONTENT_TYPE], "text/csv; charset=utf-8");
    let text = csv.text();
    assert!(
        text.starts_with("dzien;kanal;wersja;popieram;uwagi;ocena;kolejnosc\r\n"),
        "{text}"
    );
    assert!(
        text.contains(";\"'=HYPERLINK(\"\"http://x\"\")\";4;droga > park\r\n"),
        "{text}"
    );
    assert_eq!(
        app.get(&format!("{url}/answers.csv"), &older).await.status,
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn informal_consultations_may_show_answers_while_open() {
    let app = TestApp::new().await;
    let councillor = app.with_roles("radna-1", vec![Role::Councillor]).await;
    let mut formal = consultation("formal_open", today(), 14);
    formal["results_while_open"] = json!(true);
    let r = app
        .post_json("/api/consultations", &councillor, None, &save_body(&formal))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    assert_eq!(codes(&r), ["results.informal_only"]);
    let mut informal = consultation("informal_open", today(), 14);
    informal["results_while_open"] = json!(true);
    let id = published(&app, &councillor, &informal).await;
    let resident = app.resident_with_pesel("44051401359").await;
    let r = put_json(
        &app,
        &format!("/api/consultations/{id}/answer"),
        &resident,
        &answer("OS-CENTRUM", json!({ "popieram": true })),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let r = app
        .get(&format!("/api/consultations/{id}/results"), &anon())
        .await
        .json();
    assert_eq!(r["answers_public"], true);
    assert_eq!(r["questions"][0]["rows"][0]["count"], 1);
    assert_eq!(r["statistics"], Value::Null);
}
