//! The councillors' console (issue 14 §5): consultations by phase, a draft from a kind's
//! template with the refusals on the form, preview, publishing, moderation and paper cards
//! through the console, and every action in the history.

use axum::http::StatusCode;
use okienko::domain::identity::Role;
use serde_json::json;

use crate::consultations::{consultation, published, today};
use crate::helpers::{TestApp, anon};

fn form(pairs: &[(&str, &str)]) -> String {
    url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(pairs)
        .finish()
}

#[tokio::test]
async fn the_console_drafts_publishes_moderates_and_decides_paper() {
    let app = TestApp::new().await;
    let councillor = app.with_roles("radna-1", vec![Role::Councillor]).await;
    let colleague = app.with_roles("radny-2", vec![Role::Councillor]).await;
    let resident = app.resident_with_pesel("44051401359").await;
    assert_eq!(
        app.get("/konsole/konsultacje", &anon()).await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        app.get("/konsole/konsultacje", &resident).await.status,
        StatusCode::FORBIDDEN
    );
    let r = app.get("/konsole/konsultacje", &councillor).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert!(r.text().contains("Brak konsultacji"), "{}", r.text());

    // a development strategy's template runs 35 days
    let r = app
        .get(
            "/konsole/konsultacje/nowa?rodzaj=development_strategy",
            &councillor,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let opens = today() + time::Duration::days(14);
    assert!(
        r.text()
            .contains(&(opens + time::Duration::days(35)).to_string()),
        "{}",
        r.text()
    );

    // refusals come back on the form, by field, with what was typed
    let mut fields = vec![
        ("kind", "informal_open"),
        ("subject", ""),
        ("resolution", "XII/1/2026"),
        ("adopted_on", "2026-03-26"),
        ("link", "ftp://bip"),
        ("announced_on", "2027-01-04"),
        ("opens_on", "2027-01-11"),
        ("closes_on", "2027-02-01"),
        ("report_due_on", "2027-03-01"),
        ("areas", "OS-CENTRUM"),
        ("forms", "comments"),
        ("moderation", "before"),
        ("document", "§ 1. Treść."),
        (
            "questionnaire",
            "steps:\n  - id: p\n    title: { pl: P }\n    fields:\n      - { id: tak, type: yes_no, label: { pl: Tak? } }\n",
        ),
    ];
    let r = app
        .post_form("/konsole/konsultacje/nowa", &councillor, &form(&fields))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    assert!(
        r.text().contains("href=\"#subject\"") && r.text().contains("href=\"#legal_basis.link\""),
        "{}",
        r.text()
    );
    assert!(r.text().contains("XII/1/2026"), "what was typed stays");
    fields[1] = ("subject", "Park przy szkole");
    fields[4] = ("link", "https://bip.example.pl/xii-1");
    let r = app
        .post_form("/konsole/konsultacje/nowa", &councillor, &form(&fields))
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let page = r.headers["location"].to_str().unwrap().to_owned();
    let id = page.rsplit('/').next().unwrap().to_owned();
    let drafts = app
        .get("/konsole/konsultacje?faza=draft", &councillor)
        .await
        .text();
    assert!(drafts.contains("Park przy szkole"), "{drafts}");
    let theirs = app
        .get("/konsole/konsultacje?faza=draft", &colleague)
        .await
        .text();
    assert!(!theirs.contains("Park przy szkole"), "{theirs}");
    assert_eq!(
        app.get(&page, &colleague).await.status,
        StatusCode::NOT_FOUND
    );

    // preview as residents see it, then publish from the console
    let detail = app.get(&page, &councillor).await.text();
    assert!(
        detail.contains("Opublikuj konsultację") && detail.contains(&format!("/konsultacje/{id}")),
        "{detail}"
    );
    assert_eq!(
        app.get(&format!("/konsultacje/{id}"), &councillor)
            .await
            .status,
        StatusCode::OK
    );
    let r = app
        .post_form(&format!("{page}/publikuj"), &councillor, "")
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let detail = app.get(&page, &councillor).await.text();
    assert!(
        !detail.contains("Opublikuj konsultację") && detail.contains("published"),
        "{detail}"
    );

    // an open one: the coordinator moderates and decides a paper card in the console
    let coordinator = app.with_roles("koordynator", vec![Role::Admin]).await;
    let mut open = consultation("informal_open", today(), 14);
    open["moderation"] = json!("before");
    let open_id = published(&app, &councillor, &open).await;
    let api = format!("/api/consultations/{open_id}");
    let r = app
        .post_json(&format!("{api}/comments"), &resident, None, r#"{"anchor":"§ 1","text":"Więcej ławek.","declaration":{"lives_in_gmina":true,"area":"OS-CENTRUM"}}"#)
        .await;
    let comment = r.json()["id"].as_str().unwrap().to_owned();
    let clerk = app.staff("clerk-or", "OR").await;
    let card = json!({ "card": "K-7", "pesel": "02070803628", "data": { "answers": { "popieram": true }, "declaration": { "lives_in_gmina": true, "area": "OS-CENTRUM" } } });
    let r = app
        .post_json(&format!("{api}/paper"), &clerk, None, &card.to_string())
        .await;
    let entry = r.json()["id"].as_str().unwrap().to_owned();
    let console = format!("/konsole/konsultacje/{open_id}");
    let detail = app.get(&console, &coordinator).await.text();
    assert!(
        detail.contains("Więcej ławek.") && detail.contains("K-7"),
        "{detail}"
    );
    let r = app
        .post_form(
            &format!("{console}/uwagi/{comment}"),
            &coordinator,
            "decision=publish",
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let r = app
        .post_form(
            &format!("{console}/karty/{entry}"),
            &coordinator,
            "verdict=accept",
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    assert_eq!(
        app.get(&format!("{api}/comments"), &anon()).await.json()["items"][0]["text"],
        "Więcej ławek."
    );
    assert_eq!(app.get(&api, &anon()).await.json()["answers_paper"], 1);
    let detail = app.get(&console, &coordinator).await.text();
    assert!(
        detail.contains("comment_published") && detail.contains("paper_decided"),
        "{detail}"
    );
    // after closing, the coordinator writes the report in the console
    okienko::worker::run_due(
        &app.state,
        time::OffsetDateTime::now_utc() + time::Duration::days(15),
    )
    .await
    .unwrap();
    let detail = app.get(&console, &coordinator).await.text();
    assert!(detail.contains("Opublikuj podpisany raport"), "{detail}");
    let r = app
        .post_form(&format!("{console}/raport"), &coordinator, "")
        .await;
    assert_eq!(
        r.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a comment has no position yet"
    );
    let r = app
        .post_form(
            &format!("{console}/stanowiska/{comment}"),
            &coordinator,
            &form(&[
                ("position", "accepted"),
                ("justification", "Dostawimy ławki."),
            ]),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let r = app
        .post_form(&format!("{console}/raport"), &coordinator, "")
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let report = app.get(&format!("{api}/report"), &anon()).await.json();
    assert_eq!(report["comments"][0]["justification"], "Dostawimy ławki.");
    assert!(report["jws"].is_string());
    // a councillor who is not its author follows it, but does not moderate it
    let followed = app.get(&console, &colleague).await;
    assert_eq!(followed.status, StatusCode::OK);
    assert!(
        !followed.text().contains("Moderacja uwag"),
        "{}",
        followed.text()
    );
}

#[tokio::test]
async fn the_console_edits_a_draft_with_errors_beside_fields_and_nothing_lost() {
    let app = TestApp::new().await;
    let councillor = app.with_roles("radna-1", vec![Role::Councillor]).await;
    let colleague = app.with_roles("radny-2", vec![Role::Councillor]).await;
    let opens = today() + time::Duration::days(20);
    let r = app
        .post_json(
            "/api/consultations",
            &councillor,
            None,
            &crate::consultations::save_body(&consultation("informal_open", opens, 21)),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let id = r.json()["id"].as_str().unwrap().to_owned();
    let edit = format!("/konsole/konsultacje/{id}/edycja");

    // the form holds the stored version: its dates, basis, areas, document and questions
    let page = app.get(&edit, &councillor).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.text());
    let html = page.text();
    assert!(
        html.contains("XII/123/2026") && html.contains(&opens.to_string()),
        "{html}"
    );
    assert!(html.contains("name=\"version\" value=\"1\""), "{html}");
    assert!(html.contains("value=\"OS-CENTRUM\" checked"), "{html}");
    assert!(html.contains("Czy popierasz projekt?"), "{html}");
    // a colleague's draft is not theirs to edit
    assert_eq!(
        app.get(&edit, &colleague).await.status,
        StatusCode::NOT_FOUND
    );
    let detail = app
        .get(&format!("/konsole/konsultacje/{id}"), &councillor)
        .await
        .text();
    assert!(detail.contains(&edit), "{detail}");

    let mut fields: Vec<(&str, String)> = vec![
        ("version", "1".into()),
        ("kind", "informal_open".into()),
        ("subject", "Zasady usytuowania tablic reklamowych".into()),
        ("resolution", "XII/123/2026".into()),
        ("adopted_on", "2026-03-26".into()),
        ("link", "https://bip.przykladowo.example.pl/uchwaly/xii-123-2026".into()),
        ("announced_on", opens.to_string()),
        ("opens_on", "2027-02-31".into()),
        ("closes_on", (opens + time::Duration::days(21)).to_string()),
        ("report_due_on", (opens + time::Duration::days(51)).to_string()),
        ("areas", "OS-CENTRUM".into()),
        ("forms", "comments".into()),
        ("moderation", "after".into()),
        ("document", "§ 1. Tablice stoją przy drogach.\n§ 2. Nowy paragraf.".into()),
        ("questionnaire", "steps:\n  - id: p\n    title: { pl: P }\n    fields:\n      - { id: nowe, type: yes_no, label: { pl: Nowe pytanie? } }\n".into()),
    ];
    let post = |fields: &Vec<(&str, String)>| {
        url::form_urlencoded::Serializer::new(String::new())
            .extend_pairs(fields.iter().map(|(k, v)| (*k, v.as_str())))
            .finish()
    };
    // a date that does not exist: refused beside its field, everything typed kept
    let r = app.post_form(&edit, &councillor, &post(&fields)).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    let html = r.text();
    assert!(html.contains("id=\"dates.opens_on-error\""), "{html}");
    assert!(html.contains("wpisano „2027-02-31”"), "{html}");
    assert!(
        html.contains("Nowy paragraf.") && html.contains("Nowe pytanie?"),
        "{html}"
    );
    // the kind's rules and the questionnaire's problems, each beside its field
    fields[7] = ("opens_on", opens.to_string());
    fields[5] = ("link", "ftp://bip".into());
    fields[14] = (
        "questionnaire",
        "steps:\n  - id: p\n    fields: [ { id: x, type: nie_ma } ]\n".into(),
    );
    let r = app.post_form(&edit, &councillor, &post(&fields)).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    let html = r.text();
    assert!(html.contains("id=\"legal_basis.link-error\""), "{html}");
    assert!(
        html.contains("id=\"questionnaire-error\"") && html.contains("questionnaire.yaml:"),
        "{html}"
    );
    assert!(html.contains("Nowy paragraf."), "{html}");

    fields[5] = (
        "link",
        "https://bip.przykladowo.example.pl/uchwaly/xii-123-2026".into(),
    );
    fields[14] = ("questionnaire", "steps:\n  - id: p\n    title: { pl: P }\n    fields:\n      - { id: nowe, type: yes_no, label: { pl: Nowe pytanie? } }\n".into());
    let r = app.post_form(&edit, &councillor, &post(&fields)).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let api = app
        .get(&format!("/api/consultations/{id}"), &councillor)
        .await
        .json();
    assert_eq!(api["version"], 2, "{api}");
    assert!(
        api["questionnaire"]
            .as_str()
            .unwrap()
            .contains("Nowe pytanie?"),
        "{api}"
    );
    assert_eq!(api["scope"]["areas"], json!(["OS-CENTRUM"]), "{api}");

    // a save from a stale form (version 1) is refused as a whole, with the typing kept
    fields[2] = ("subject", "Temat z nieaktualnego formularza".into());
    let r = app.post_form(&edit, &councillor, &post(&fields)).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text());
    assert!(
        r.text().contains("w międzyczasie")
            && r.text().contains("Temat z nieaktualnego formularza")
    );
    let history = app
        .get(&format!("/api/consultations/{id}/history"), &councillor)
        .await
        .text();
    assert!(history.contains("edited"), "{history}");
}

#[tokio::test]
async fn clerks_type_in_and_accept_paper_cards_in_the_browser_with_four_eyes() {
    let app = TestApp::new().await;
    let councillor = app.with_roles("radna-1", vec![Role::Councillor]).await;
    let id = published(
        &app,
        &councillor,
        &consultation("informal_open", today(), 14),
    )
    .await;
    let cards = format!("/konsole/konsultacje/{id}/karty");
    let first = app.staff("clerk-or", "OR").await;
    let second = app.staff("clerk-or-2", "OR").await;
    let resident = app.resident_with_pesel("44051401359").await;
    assert_eq!(
        app.get(&cards, &resident).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.get(&cards, &anon()).await.status,
        StatusCode::UNAUTHORIZED
    );

    let page = app.get(&cards, &first).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.text());
    assert!(
        page.text().contains("Czy popierasz projekt?"),
        "{}",
        page.text()
    );
    // a wrong PESEL, no declaration and a missing required answer: each beside its field
    let r = app
        .post_form(
            &cards,
            &first,
            "card=K-1&pesel=44051401358&uwagi=Wi%C4%99cej+zieleni",
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    let html = r.text();
    assert!(html.contains("id=\"pesel-error\""), "{html}");
    assert!(
        html.contains("value=\"K-1\"") && html.contains("Więcej zieleni"),
        "{html}"
    );
    let r = app
        .post_form(
            &cards,
            &first,
            "card=K-1&pesel=44051401359&uwagi=Wi%C4%99cej+zieleni",
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    assert!(
        r.text().contains("id=\"declaration.lives_in_gmina-error\""),
        "{}",
        r.text()
    );
    let r = app
        .post_form(
            &cards,
            &first,
            "card=K-1&pesel=44051401359&uwagi=Wi%C4%99cej+zieleni&lives_in_gmina=yes&area=OS-CENTRUM",
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    assert!(r.text().contains("id=\"popieram-error\""), "{}", r.text());

    let ok = "card=K-1&pesel=44051401359&popieram=true&uwagi=Wi%C4%99cej+zieleni&lives_in_gmina=yes&area=OS-CENTRUM";
    let r = app.post_form(&cards, &first, ok).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    // the same card number again is refused beside the number
    let r = app.post_form(&cards, &first, ok).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text());
    assert!(r.text().contains("id=\"card-error\""), "{}", r.text());

    // who typed it in sees it waiting, without the buttons; the second clerk accepts it
    let mine = app.get(&cards, &first).await.text();
    assert!(
        mine.contains("czeka na drugiego urzędnika") && !mine.contains("Przyjmij kartę K-1"),
        "{mine}"
    );
    let theirs = app.get(&cards, &second).await.text();
    assert!(theirs.contains("Przyjmij kartę K-1"), "{theirs}");
    let entry = app
        .get(
            &format!("/api/consultations/{id}/paper?state=pending"),
            &second,
        )
        .await
        .json()["items"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let r = app
        .post_form(&format!("{cards}/{entry}"), &first, "verdict=accept")
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "four eyes: {}", r.text());
    let r = app
        .post_form(&format!("{cards}/{entry}"), &second, "verdict=accept")
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    assert_eq!(
        r.headers["location"],
        format!("{cards}?sprawdzono=tak").as_str()
    );
    assert_eq!(
        app.get(&format!("/api/consultations/{id}"), &anon())
            .await
            .json()["answers_paper"],
        1
    );
    let after = app.get(&cards, &second).await.text();
    assert!(after.contains("Żadna karta nie czeka"), "{after}");
}
