//! Residents' requests to start a consultation (issue 14 §3; Ostróda's e-service 10): a
//! resident files one, other residents of its area support it once each, and the support
//! that reaches the gmina's threshold files it as a case in the author's name, with its
//! sign and term.

use axum::http::{StatusCode, header};
use serde_json::{Value, json};

use crate::helpers::{Resp, TestApp};

/// A valid PESEL of someone born on `yymmdd`, serial `n`.
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

fn filing(area: Option<&str>, declaration: Value) -> String {
    json!({
        "subject": "Przebudowa placu zabaw przy ulicy Lipowej",
        "justification": "Plac zabaw jest w złym stanie, a mieszkańcy osiedla chcą wypowiedzieć się o jego nowym kształcie.",
        "area": area,
        "declaration": declaration,
    })
    .to_string()
}

async fn support(app: &TestApp, id: &str, cookie: &str, declaration: Value) -> Resp {
    app.post_json(
        &format!("/api/consultations/requests/{id}/supports"),
        cookie,
        None,
        &json!({ "declaration": declaration }).to_string(),
    )
    .await
}

#[tokio::test]
async fn a_request_names_each_refused_field_and_stores_nothing() {
    let app = TestApp::with(|s| s.consultations.request_threshold = 3).await;
    let yes = json!({ "lives_in_gmina": true });
    let r = app
        .post_json(
            "/api/consultations/requests",
            "",
            None,
            &filing(None, yes.clone()),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    let clerk = app.staff("urzednik-or", "OR").await;
    let r = app
        .post_json(
            "/api/consultations/requests",
            &clerk,
            None,
            &filing(None, yes.clone()),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text());
    assert!(r.text().contains("węzeł krajowy"), "{}", r.text());

    let resident = app.resident_with_pesel(&pesel("800101", 1)).await;
    let bad = json!({
        "subject": "Plac",
        "justification": "krótko",
        "area": "OS-NIEMA",
        "declaration": { "lives_in_gmina": true },
    });
    let r = app
        .post_json(
            "/api/consultations/requests",
            &resident,
            None,
            &bad.to_string(),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    let errors = r.json()["errors"].clone();
    let paths: Vec<&str> = errors
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["path"].as_str().unwrap())
        .collect();
    assert_eq!(paths, ["subject", "justification", "area"], "{errors}");
    assert!(
        errors[0]["message"]
            .as_str()
            .unwrap()
            .contains("od 5 do 300")
    );

    // no declaration of residence; living elsewhere than the request's area
    let r = app
        .post_json(
            "/api/consultations/requests",
            &resident,
            None,
            &filing(None, json!({})),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    assert_eq!(r.json()["errors"][0]["code"], "residence.declaration");
    assert!(r.text().contains("zameldowanie"), "{}", r.text());
    let r = app
        .post_json(
            "/api/consultations/requests",
            &resident,
            None,
            &filing(
                Some("OS-CENTRUM"),
                json!({ "lives_in_gmina": true, "area": "SOL-BOROWO" }),
            ),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    assert_eq!(r.json()["errors"][0]["code"], "residence.outside");

    let list = app.get("/api/consultations/requests", "").await;
    assert_eq!(list.json()["items"].as_array().unwrap().len(), 0);
    let r = app.get("/api/consultations/requests?state=nowy", "").await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    let r = app.get("/api/consultations/requests/nie-ma", "").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn at_the_threshold_a_request_becomes_the_authors_case_with_sign_and_term() {
    let app = TestApp::with(|s| s.consultations.request_threshold = 3).await;
    let centrum = json!({ "lives_in_gmina": true, "area": "OS-CENTRUM" });
    let author = app.resident_with_pesel(&pesel("800101", 1)).await;
    let r = app
        .post_json(
            "/api/consultations/requests",
            &author,
            None,
            &filing(Some("OS-CENTRUM"), centrum.clone()),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let id = r.json()["id"].as_str().unwrap().to_owned();
    // the author's own support is the first
    assert_eq!(r.json()["supports"], 1);
    assert_eq!(r.json()["threshold"], 3);
    assert_eq!(r.json()["state"], "collecting");
    assert_eq!(r.json()["area_name"], "Osiedle Centrum");
    assert!(
        !r.text().contains("Nowak"),
        "the author is not shown: {}",
        r.text()
    );

    // once per person: the author again, and a second login of the same PESEL
    let r = support(&app, &id, &author, centrum.clone()).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text());
    assert!(r.text().contains("raz"), "{}", r.text());

    // an area's request is supported by its residents
    let second = app.resident_with_pesel(&pesel("750303", 2)).await;
    let r = support(&app, &id, &second, json!({ "lives_in_gmina": true })).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    assert_eq!(r.json()["errors"][0]["path"], "declaration.area");
    let r = support(
        &app,
        &id,
        &second,
        json!({ "lives_in_gmina": true, "area": "SOL-LIPNIK" }),
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text());
    assert!(r.text().contains("Osiedle Centrum"), "{}", r.text());
    let clerk = app.staff("urzednik-or", "OR").await;
    assert_eq!(
        support(&app, &id, &clerk, centrum.clone()).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        support(&app, &id, "", centrum.clone()).await.status,
        StatusCode::UNAUTHORIZED
    );

    let r = support(&app, &id, &second, centrum.clone()).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    assert_eq!(r.json()["supports"], 2);
    assert!(r.json()["case"].is_null(), "{}", r.text());
    // below the threshold the author cannot file it, and is told by how much
    let r = app
        .post_json(
            &format!("/api/consultations/requests/{id}/file"),
            &author,
            None,
            "",
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text());
    assert!(r.text().contains("ma 2 poparć; potrzeba 3"), "{}", r.text());

    // the third support files it: a case of the author's, due within a month
    let third = app.resident_with_pesel(&pesel("700101", 3)).await;
    let r = support(&app, &id, &third, centrum.clone()).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let sign = r.json()["case"]["sign"].as_str().unwrap().to_owned();
    assert!(sign.starts_with("OR.1510."), "{sign}");

    let page = app
        .get(&format!("/api/consultations/requests/{id}"), "")
        .await;
    let v = page.json();
    assert_eq!(v["state"], "filed", "{v}");
    assert_eq!(v["supports"], 3);
    assert_eq!(v["case"]["sign"], sign.as_str());
    let row = okienko::db::consultation_requests::find(&app.state.db, &id)
        .await
        .unwrap()
        .unwrap();
    let case =
        okienko::db::cases::by_submission(&app.state.db, row.submission_id.as_deref().unwrap())
            .await
            .unwrap()
            .expect("a case");
    assert_eq!(case.service_id, "wniosek-o-konsultacje");
    assert_eq!(case.sign, sign);
    assert_eq!(v["case"]["due_on"], case.due_on.to_string());
    // KPA art. 244 § 1 (237 § 1): a motion is answered within a month
    let month = okienko::domain::term::term_end(
        okienko::domain::term::Term::parse("P1M").unwrap(),
        case.started_on,
        &[],
    )
    .unwrap();
    assert!(case.due_on >= month && case.due_on <= month + time::Duration::days(3));
    // the case is the author's: it is in their cases, not the last supporter's
    let mine = app.get("/moje-sprawy", &author).await;
    assert!(mine.text().contains(&sign), "{}", mine.text());
    let theirs = app.get("/moje-sprawy", &third).await;
    assert!(!theirs.text().contains(&sign), "{}", theirs.text());

    // collecting is over; filing again files nothing more
    let late = app.resident_with_pesel(&pesel("700101", 9)).await;
    let r = support(&app, &id, &late, centrum).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text());
    let r = app
        .post_json(
            &format!("/api/consultations/requests/{id}/file"),
            &author,
            None,
            "",
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text());
    let filed = app.get("/api/consultations/requests?state=filed", "").await;
    assert_eq!(filed.json()["items"].as_array().unwrap().len(), 1);
    let collecting = app
        .get("/api/consultations/requests?state=collecting", "")
        .await;
    assert_eq!(collecting.json()["items"].as_array().unwrap().len(), 0);
}

#[tokio::test]
async fn the_pages_file_and_support_a_request_and_keep_what_was_typed() {
    let app = TestApp::with(|s| s.consultations.request_threshold = 2).await;
    let author = app.resident_with_pesel(&pesel("800101", 1)).await;
    let form = app.get("/konsultacje/wnioski/nowy", &author).await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.text().contains("Osiedle Centrum"));
    // no declaration: refused beside the field, the text kept
    let r = app
        .post_form(
            "/konsultacje/wnioski/nowy",
            &author,
            "subject=Nowy+park+na+Zaciszu&justification=Mieszka%C5%84cy+chc%C4%85+parku+z+%C5%82awkami+i+zieleni%C4%85.&request_area=",
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    let html = r.text();
    assert!(html.contains("Nowy park na Zaciszu"), "{html}");
    assert!(html.contains("govuk-error-message"), "{html}");
    assert!(html.contains("nie zameldowanie"), "{html}");

    let r = app
        .post_form(
            "/konsultacje/wnioski/nowy",
            &author,
            "subject=Nowy+park+na+Zaciszu&justification=Mieszka%C5%84cy+chc%C4%85+parku+z+%C5%82awkami+i+zieleni%C4%85.&request_area=&lives_in_gmina=yes",
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let to = r.headers[header::LOCATION].to_str().unwrap().to_owned();
    let page = app.get(&to, "").await;
    assert!(page.text().contains("1 z wymaganych 2"), "{}", page.text());
    assert!(page.text().contains("Zaloguj się"), "{}", page.text());
    let id = to
        .trim_start_matches("/konsultacje/wnioski/")
        .split('?')
        .next()
        .unwrap()
        .to_owned();

    let other = app.resident_with_pesel(&pesel("750303", 2)).await;
    let r = app
        .post_form(&format!("/konsultacje/wnioski/{id}/poparcie"), &other, "")
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    let r = app
        .post_form(
            &format!("/konsultacje/wnioski/{id}/poparcie"),
            &other,
            "lives_in_gmina=yes",
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert!(
        r.text().contains("trafił do urzędu jako sprawa OR.1510."),
        "{}",
        r.text()
    );
    let list = app.get("/konsultacje/wnioski", "").await;
    assert!(
        list.text().contains("złożony w urzędzie (OR.1510."),
        "{}",
        list.text()
    );
}

#[tokio::test]
async fn last_supports_arriving_together_file_the_request_once() {
    let app = TestApp::with(|s| s.consultations.request_threshold = 3).await;
    let yes = json!({ "lives_in_gmina": true });
    let author = app.resident_with_pesel(&pesel("800101", 1)).await;
    let r = app
        .post_json(
            "/api/consultations/requests",
            &author,
            None,
            &filing(None, yes.clone()),
        )
        .await;
    let id = r.json()["id"].as_str().unwrap().to_owned();
    let second = app.resident_with_pesel(&pesel("750303", 2)).await;
    assert_eq!(
        support(&app, &id, &second, yes.clone()).await.status,
        StatusCode::CREATED
    );
    let (a, b) = (
        app.resident_with_pesel(&pesel("700101", 3)).await,
        app.resident_with_pesel(&pesel("700101", 4)).await,
    );
    let (ra, rb) = tokio::join!(
        support(&app, &id, &a, yes.clone()),
        support(&app, &id, &b, yes.clone())
    );
    // each support is either counted (201) or, arriving after the other one already filed
    // the request, refused as too late (409); the request is filed once, with every support
    // that was acknowledged
    let mut counted = 0;
    for r in [&ra, &rb] {
        match r.status {
            StatusCode::CREATED => counted += 1,
            StatusCode::CONFLICT => assert!(r.text().contains("został złożony"), "{}", r.text()),
            other => panic!("{other}: {}", r.text()),
        }
    }
    assert!(counted >= 1, "{} / {}", ra.text(), rb.text());
    let v = app
        .get(&format!("/api/consultations/requests/{id}"), "")
        .await
        .json();
    assert_eq!(v["state"], "filed", "{v}");
    assert_eq!(v["supports"], 2 + counted);
    use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
    let filed = okienko::db::entity::submission::Entity::find()
        .filter(okienko::db::entity::submission::Column::ServiceId.eq("wniosek-o-konsultacje"))
        .count(&app.state.db)
        .await
        .unwrap();
    assert_eq!(filed, 1);
}
