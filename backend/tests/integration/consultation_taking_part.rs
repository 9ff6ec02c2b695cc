//! Who takes part (issue 14 §3): residents who declare they live in the gmina (and in one
//! of the consultation's areas), or, in closed and authorised-group kinds, those on a
//! roster imported from CSV and kept only as keyed hashes.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use okienko::domain::identity::Role;
use serde_json::json;

use crate::consultations::{codes, consultation, published, put_json, save_body, today};
use crate::helpers::{Resp, TestApp};

async fn put_csv(app: &TestApp, uri: &str, cookie: &str, content_type: &str, body: &str) -> Resp {
    app.send(
        Request::put(uri)
            .header(header::CONTENT_TYPE, content_type)
            .header(header::COOKIE, cookie)
            .body(Body::from(body.to_owned()))
            .expect("request"),
    )
    .await
}

const ROSTER: &str = "rodzaj;numer;pesel_przedstawiciela\nkrs;123456;44051401359\nkrs;0000123456;02070803628\npesel;85071503827;\n";

#[tokio::test]
async fn roster_kinds_take_part_through_their_imported_roster() {
    let app = TestApp::new().await;
    let councillor = app.with_roles("radna-1", vec![Role::Councillor]).await;
    let r = app
        .post_json(
            "/api/consultations",
            &councillor,
            None,
            &save_body(&consultation("authorised_group", today(), 14)),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let id = r.json()["id"].as_str().unwrap().to_owned();
    let url = format!("/api/consultations/{id}");
    let roster = format!("{url}/roster");

    // refused whole, naming every bad line and its identifier's rule; nothing is saved
    let bad = "pesel;44051401358;\nkrs;123456;44051401359\nnip;8567346216;02070803628\n";
    let r = put_csv(&app, &roster, &councillor, "text/csv", bad).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    assert_eq!(codes(&r), ["pesel.checksum", "nip.checksum"]);
    assert_eq!(r.json()["errors"][1]["path"], "line 3");
    let r = put_csv(&app, &roster, &councillor, "application/json", ROSTER).await;
    assert_eq!(r.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let resident = app.resident_with_pesel("44051401359").await;
    let r = put_csv(&app, &roster, &resident, "text/csv", ROSTER).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = put_csv(&app, &roster, &councillor, "text/csv", ROSTER).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(r.json(), json!({ "members": 3, "organisations": 1 }));
    let r = app
        .post_json(&format!("{url}/publish"), &councillor, None, "")
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());

    // two representatives of one organisation share its one voice
    let answer = format!("{url}/answer");
    let r = put_json(&app, &answer, &resident, r#"{"data":{"popieram":true}}"#).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let colleague = app.resident_with_pesel("02070803628").await;
    let r = put_json(&app, &answer, &colleague, r#"{"data":{"popieram":false}}"#).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(r.json()["replaced"], true);
    let member = app.resident_with_pesel("85071503827").await;
    let r = put_json(&app, &answer, &member, r#"{"data":{"popieram":true}}"#).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    // not on the roster: 403 saying who may take part
    let stranger = app.resident_with_pesel("05231503452").await;
    let r = put_json(&app, &answer, &stranger, r#"{"data":{"popieram":true}}"#).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text());
    assert!(r.text().contains("art. 5 ust. 5"), "{}", r.text());
    assert_eq!(app.get(&url, &resident).await.json()["answers"], 2);

    // a paper card of someone not on the roster is refused by field
    let clerk = app.staff("clerk-or", "OR").await;
    let card =
        json!({ "card": "1", "pesel": "05231503452", "data": { "answers": { "popieram": true } } });
    let r = app
        .post_json(&format!("{url}/paper"), &clerk, None, &card.to_string())
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    assert_eq!(codes(&r), ["roster.absent"]);

    // only keyed hashes are kept, and the import is in the history
    {
        use okienko::db::entity::consultation_roster;
        use sea_orm::EntityTrait;
        let rows = consultation_roster::Entity::find()
            .all(&app.state.db)
            .await
            .unwrap();
        assert_eq!(rows.len(), 3);
        for row in &rows {
            let text = format!("{row:?}");
            for number in ["44051401359", "02070803628", "85071503827", "123456"] {
                assert!(!text.contains(number), "{text}");
            }
        }
    }
    let h = app.get(&format!("{url}/history"), &resident).await.json();
    assert!(
        h["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["action"] == "roster_imported")
    );

    // an open kind has no roster
    let open = published(&app, &councillor, &consultation("formal_open", today(), 14)).await;
    let r = put_csv(
        &app,
        &format!("/api/consultations/{open}/roster"),
        &councillor,
        "text/csv",
        ROSTER,
    )
    .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text());
}

#[tokio::test]
async fn open_kinds_need_a_declaration_of_residence_in_their_areas() {
    let app = TestApp::new().await;
    let councillor = app.with_roles("radna-1", vec![Role::Councillor]).await;
    let id = published(&app, &councillor, &consultation("formal_open", today(), 14)).await;
    let answer = format!("/api/consultations/{id}/answer");
    let resident = app.resident_with_pesel("44051401359").await;

    let r = put_json(&app, &answer, &resident, r#"{"data":{"popieram":true}}"#).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    assert_eq!(codes(&r), ["residence.declaration"]);
    assert!(
        r.text().contains("art. 5a") && r.text().contains("zameldowanie"),
        "{}",
        r.text()
    );
    let r = put_json(
        &app,
        &answer,
        &resident,
        r#"{"declaration":{"lives_in_gmina":true},"data":{"popieram":true}}"#,
    )
    .await;
    assert_eq!(codes(&r), ["residence.area"]);
    let r = put_json(
        &app,
        &answer,
        &resident,
        r#"{"declaration":{"lives_in_gmina":true,"area":"OS-ZACISZE"},"data":{"popieram":true}}"#,
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text());
    assert!(
        r.text().contains("Osiedle Centrum, Sołectwo Borowo"),
        "{}",
        r.text()
    );
    let clerk = app.staff("clerk-or", "OR").await;
    let ok =
        r#"{"declaration":{"lives_in_gmina":true,"area":"SOL-BOROWO"},"data":{"popieram":true}}"#;
    assert_eq!(
        put_json(&app, &answer, &clerk, ok).await.status,
        StatusCode::FORBIDDEN
    );
    let r = put_json(&app, &answer, &resident, ok).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    {
        use okienko::db::entity::consultation_answer;
        use sea_orm::EntityTrait;
        let rows = consultation_answer::Entity::find()
            .all(&app.state.db)
            .await
            .unwrap();
        let a = &rows[0];
        assert_eq!(
            (a.channel.as_str(), a.area.as_deref(), a.age_band.as_deref()),
            ("online", Some("SOL-BOROWO"), Some("65+"))
        );
    }

    // a consultation of the whole gmina asks for no area
    let mut whole = consultation("informal_open", today(), 14);
    whole["scope"] = json!({ "kind": "gmina" });
    let id = published(&app, &councillor, &whole).await;
    let r = put_json(
        &app,
        &format!("/api/consultations/{id}/answer"),
        &resident,
        r#"{"declaration":{"lives_in_gmina":true},"data":{"popieram":true}}"#,
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
}
