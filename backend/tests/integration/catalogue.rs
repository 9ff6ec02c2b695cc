//! The catalogue of services (issue 20 §1): each new service files with its valid example
//! and refuses its invalid one; the register of mass events fills itself from the permits
//! issued; the catalogue page finds a service by a word typed without diacritics; a
//! national service's page links out and has no form; a case is due by the term a service's
//! `terms` rule chooses for its data.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use okienko::domain::level::IdentityLevel;
use okienko::forms::definition::FieldType;
use serde_json::{Value, json};

use crate::helpers::{Resp, TestApp, anon};

/// The services this part of the catalogue adds.
const SERVICES: [&str; 19] = [
    "wypis-wyrys-planu",
    "numer-porzadkowy",
    "wymeldowanie",
    "najem-dzierzawa",
    "ulga-podatkowa",
    "nadplata-zaliczenie",
    "oplata-alkohol",
    "impreza-zgloszenie",
    "nadplata-zwrot",
    "udostepnienie-danych",
    "warunki-zabudowy",
    "podzial-nieruchomosci-opinia",
    "podzial-nieruchomosci",
    "zajecie-pasa-drogowego",
    "usuniecie-drzew",
    "usuniecie-drzew-zgloszenie",
    "zezwolenie-alkohol",
    "zezwolenie-alkohol-jednorazowe",
    "wyjazd-za-granice",
];

/// Files `data` to `service` as `cookie`: the file fields' entries go as multipart parts
/// (each a small PDF under the example's file name, its extension made `.pdf` where the
/// example names a picture), the rest as the `data` part.
pub(crate) async fn file(
    app: &TestApp,
    cookie: &str,
    service: &str,
    key: &str,
    mut data: Value,
) -> Resp {
    let svc = app.state.catalogue.get(service).expect("service").clone();
    let mut parts = Vec::new();
    for f in svc.fields().filter(|f| f.kind == FieldType::File) {
        if let Some(Value::Array(files)) = data.as_object_mut().and_then(|o| o.remove(&f.id)) {
            for x in files {
                let name = x["name"].as_str().unwrap_or("plik.pdf");
                let stem = name.rsplit_once('.').map_or(name, |(stem, _)| stem);
                parts.push((f.id.clone(), format!("{stem}.pdf")));
            }
        }
    }
    let mut body = Vec::new();
    body.extend_from_slice(b"--XX\r\nContent-Disposition: form-data; name=\"data\"\r\n\r\n");
    body.extend_from_slice(json!({ "data": data }).to_string().as_bytes());
    for (field, name) in parts {
        body.extend_from_slice(format!("\r\n--XX\r\nContent-Disposition: form-data; name=\"{field}\"; filename=\"{name}\"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.7 {field}").as_bytes());
    }
    body.extend_from_slice(b"\r\n--XX--\r\n");
    app.send(
        Request::post(format!("/api/services/{service}/submissions"))
            .header(header::CONTENT_TYPE, "multipart/form-data; boundary=XX")
            .header(header::COOKIE, cookie)
            .header("idempotency-key", key)
            .body(Body::from(body))
            .expect("request"),
    )
    .await
}

/// The example's data moved to today, so its terms hold (or fail) whenever the test runs:
/// future dates `days` ahead, a past one in the past, the alcohol statement on last year's
/// sales (art. 11¹ ust. 4 u.w.t.).
fn for_today(service: &str, valid: bool, mut data: Value) -> Value {
    let today = okienko::domain::clock::in_poland(time::OffsetDateTime::now_utc()).date();
    let ahead = |days: i64| json!((today + time::Duration::days(days)).to_string());
    match (service, valid) {
        ("oplata-alkohol", true) => data["sales_year"] = json!(today.year() - 1),
        ("najem-dzierzawa", true) => data["from"] = ahead(30),
        ("ulga-podatkowa", true) => data["first_instalment_on"] = ahead(30),
        ("nadplata-zaliczenie", true) => data["target_year"] = json!(today.year() + 1),
        ("impreza-zgloszenie", true) => data["event_date"] = ahead(30),
        ("impreza-zgloszenie", false) => data["event_date"] = ahead(5),
        ("wymeldowanie", false) => data["left_on"] = ahead(10),
        ("impreza-masowa", _) => data["event_date"] = ahead(60),
        ("zajecie-pasa-drogowego", true) => {
            data["from"] = ahead(38);
            data["to"] = ahead(42);
        }
        ("usuniecie-drzew", true) => data["planned_on"] = ahead(70),
        ("usuniecie-drzew", false) => data["planned_on"] = ahead(-4),
        ("zezwolenie-alkohol", true) => data["from"] = ahead(28),
        ("zezwolenie-alkohol", false) => data["from"] = ahead(-6),
        ("wyjazd-za-granice", true) => data["departure_date"] = ahead(0),
        ("wyjazd-za-granice", false) => {
            data["departure_date"] = ahead(37);
            data["expected_return"] = ahead(127);
        }
        ("zezwolenie-alkohol-jednorazowe", true) => {
            data["event_start"] = ahead(32);
            data["event_end"] = ahead(33);
        }
        ("zezwolenie-alkohol-jednorazowe", false) => {
            data["event_start"] = ahead(0);
            data["event_end"] = ahead(2);
        }
        _ => {}
    }
    data
}

/// Each new service files with its first valid example (a signed receipt, a case in its
/// unit) and refuses its first invalid one with exactly the errors the example names.
#[tokio::test]
async fn each_new_service_files_its_valid_example_and_refuses_the_invalid_one() {
    let app = TestApp::new().await;
    let me = app.resident(IdentityLevel::Substantial).await;
    for service in SERVICES {
        let svc = app.state.catalogue.get(service).expect("listed").clone();
        let valid = for_today(service, true, svc.def.examples.valid[0].data.clone());
        let r = file(&app, &me, service, &format!("{service}-ok"), valid).await;
        assert_eq!(r.status, StatusCode::CREATED, "{service}: {}", r.text());
        let sign = r.json()["receipt"]["claims"]["registration"]["case_sign"]
            .as_str()
            .expect("a case sign")
            .to_owned();
        assert!(
            sign.starts_with(&format!("{}.", svc.def.routing.unit)),
            "{service}: {sign}"
        );

        let bad = &svc.def.examples.invalid[0];
        let r = file(
            &app,
            &me,
            service,
            &format!("{service}-bad"),
            for_today(service, false, bad.data.clone()),
        )
        .await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{service}: {}",
            r.text()
        );
        let mut got: Vec<(String, String)> = r.json()["errors"]
            .as_array()
            .expect("errors")
            .iter()
            .map(|e| {
                (
                    e["path"].as_str().unwrap_or("").into(),
                    e["code"].as_str().unwrap_or("").into(),
                )
            })
            .collect();
        let mut want: Vec<(String, String)> = bad
            .errors
            .iter()
            .map(|e| (e.path.clone(), e.code.clone()))
            .collect();
        got.sort();
        want.sort();
        assert_eq!(got, want, "{service}");
    }
}

/// Stamp duty act art. 2 ust. 1 pkt 1 lit. h and the annex, część I ust. 51: the service's
/// page shows its fee with its basis and the exemptions; a free service says so.
#[tokio::test]
async fn a_services_page_shows_its_fee_and_the_exemptions() {
    let app = TestApp::new().await;
    let r = app.get("/uslugi/wypis-wyrys-planu", &anon()).await;
    assert_eq!(r.status, StatusCode::OK);
    let page = r.text();
    assert!(
        page.contains("30,00 zł (opłata skarbowa, część I ust. 51 załącznika)"),
        "{page}"
    );
    assert!(page.contains("art. 7 pkt 1"), "the exemptions are listed");
    let r = app.get("/api/services/wypis-wyrys-planu", &anon()).await;
    assert_eq!(r.json()["fee"]["amount"], "30.00");
    assert_eq!(r.json()["fee"]["exempt_if"], "purpose == 'housing'");
    // before filing, the review page says what the data given owes
    for (purpose, due) in [
        ("sale", "30,00 zł</div>"),
        ("housing", "0,00 zł — zwolnione"),
    ] {
        let me = anon();
        let body = json!({ "data": { "purpose": purpose } }).to_string();
        let r = app
            .post_json("/api/services/wypis-wyrys-planu/drafts", &me, None, &body)
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
        let id = r.json()["id"].as_str().expect("draft").to_owned();
        let review = app
            .get(
                &format!("/uslugi/wypis-wyrys-planu/wniosek/{id}/sprawdz"),
                &me,
            )
            .await
            .text();
        assert!(
            review.contains(&format!("Opłata do zapłaty: {due}")),
            "{purpose}: {review}"
        );
    }
    let free = app.get("/uslugi/najem-dzierzawa", &anon()).await.text();
    assert!(free.contains("Bez opłat"), "{free}");
}

/// Ustawa o bezpieczeństwie imprez masowych art. 25 and 29: the register fills itself
/// from the permits issued: a granted `impreza-masowa` case appears in the JSON list, on
/// the page and in the Atom feed; one still undecided does not.
#[tokio::test]
async fn the_mass_event_register_fills_from_a_permit() {
    let app = TestApp::new().await;
    let me = app.resident(IdentityLevel::Substantial).await;
    let svc = app
        .state
        .catalogue
        .get("impreza-masowa")
        .expect("service")
        .clone();
    let data = for_today(
        "impreza-masowa",
        true,
        svc.def.examples.valid[0].data.clone(),
    );
    let event_date = data["event_date"].clone();
    let mut pending = data.clone();
    pending["event_name"] = json!("Jarmark jesienny");
    let mut signs = Vec::new();
    for (key, d) in [("permit-1", data), ("permit-2", pending)] {
        let r = file(&app, &me, "impreza-masowa", key, d).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
        signs.push(
            r.json()["receipt"]["claims"]["registration"]["case_sign"]
                .as_str()
                .expect("sign")
                .to_owned(),
        );
    }
    let empty = app.get("/api/mass-events", &anon()).await;
    assert_eq!(empty.json()["items"], json!([]), "nothing before a permit");

    let or = app.staff("kierownik-or", "OR").await;
    let r = app.act(&or, &signs[0], "take", json!({"version": 1})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let r = app
        .act(
            &or,
            &signs[0],
            "decide",
            json!({"version": 2, "outcome": "granted", "reason": "spełnia wymogi art. 26"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());

    let r = app.get("/api/mass-events?limit=1", &anon()).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let items = r.json()["items"].clone();
    assert_eq!(items.as_array().map(Vec::len), Some(1), "{items}");
    assert_eq!(items[0]["sign"], signs[0]);
    assert_eq!(items[0]["organiser"], "Gminny Ośrodek Kultury");
    assert_eq!(items[0]["event_name"], "Dni Przykładowa");
    assert_eq!(items[0]["event_date"], event_date);
    assert_eq!(items[0]["max_participants"], 3000);
    assert!(items[0].get("manager_pesel").is_none());
    assert_eq!(r.json()["next"], Value::Null, "one permit, one page");
    let page = app.get("/imprezy-masowe", &anon()).await.text();
    assert!(
        page.contains("Dni Przykładowa") && !page.contains("Jarmark jesienny"),
        "{page}"
    );
    let feed = app.get("/imprezy-masowe.atom", &anon()).await;
    assert_eq!(
        feed.headers[header::CONTENT_TYPE],
        "application/atom+xml; charset=utf-8"
    );
    assert!(
        feed.text().contains("<title>Dni Przykładowa</title>"),
        "{}",
        feed.text()
    );
    let bad = app
        .get("/api/mass-events?after=not-a-cursor", &anon())
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
}

/// The catalogue page finds a service by a word typed without Polish diacritics, and lists
/// services by life situation, by unit, and the national ones marked as links out.
#[tokio::test]
async fn the_catalogue_search_finds_a_service_without_diacritics() {
    let app = TestApp::new().await;
    let r = app.get("/?q=numeru+PORZADKOWEGO", &anon()).await;
    assert_eq!(r.status, StatusCode::OK);
    let page = r.text();
    assert!(page.contains("/uslugi/numer-porzadkowy"), "{page}");
    assert!(!page.contains("/uslugi/wymeldowanie"), "{page}");
    let r = app.get("/?q=dowod+osobisty", &anon()).await.text();
    assert!(
        r.contains("/uslugi-krajowe/dowod-osobisty") && r.contains("usługa krajowa"),
        "{r}"
    );
    let r = app
        .get("/api/services?q=zaswiadczenie+numer", &anon())
        .await;
    let body = r.json();
    let ids: Vec<&str> = body["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|s| s["id"].as_str())
        .collect();
    assert_eq!(ids, ["numer-porzadkowy"]);
    let home = app.get("/", &anon()).await.text();
    for part in [
        "Sprawy według sytuacji życiowej",
        "Referat Gospodarki Przestrzennej i Nieruchomości",
        "Usługi krajowe",
    ] {
        assert!(home.contains(part), "{part}");
    }
    let long = format!("/?q={}", "a+".repeat(5000));
    assert_eq!(
        app.get(&long, &anon()).await.status,
        StatusCode::OK,
        "a long query is cut, not refused"
    );
}

/// A national service's page explains and links to the national service; it has no form
/// and no way to start a draft.
#[tokio::test]
async fn a_national_service_page_links_out_and_has_no_form() {
    let app = TestApp::new().await;
    let r = app.get("/uslugi-krajowe/dowod-osobisty", &anon()).await;
    assert_eq!(r.status, StatusCode::OK);
    let page = r.text();
    assert!(
        page.contains("href=\"https://www.gov.pl/web/gov/uzyskaj-dowod-osobisty\""),
        "{page}"
    );
    assert!(
        !page.contains("<form") && !page.contains("<input"),
        "no form: {page}"
    );
    assert_eq!(
        app.get("/uslugi/dowod-osobisty", &anon()).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get("/uslugi-krajowe/nie-ma", &anon()).await.status,
        StatusCode::NOT_FOUND
    );
}

/// Files the valid example `name` of `service` today over HTTP and reads its case as the
/// unit's clerk: `(term, started_on, due_on)`, the due date also the receipt's.
async fn filed_case(app: &TestApp, service: &str, name: &str) -> (String, time::Date, time::Date) {
    let me = app.resident(IdentityLevel::Substantial).await;
    let svc = app.state.catalogue.get(service).expect("service").clone();
    let ex = (svc.def.examples.valid.iter())
        .find(|e| e.name == name)
        .unwrap_or_else(|| panic!("{service} has no example {name}"));
    let r = file(app, &me, service, name, ex.data.clone()).await;
    assert_eq!(r.status, StatusCode::CREATED, "{service}: {}", r.text());
    let reg = r.json()["receipt"]["claims"]["registration"].clone();
    let sign = reg["case_sign"].as_str().expect("a case sign");
    let clerk = app.staff("urzednik", &svc.def.routing.unit).await;
    let case = app.get(&format!("/api/cases/{sign}"), &clerk).await.json();
    assert_eq!(case["due_on"], reg["due_on"], "{service}: {case}");
    let date = |k: &str| okienko::forms::expr::parse_date(case[k].as_str().unwrap_or("")).unwrap();
    (
        case["term"].as_str().unwrap_or("").to_owned(),
        date("started_on"),
        date("due_on"),
    )
}

/// Ustawa o planowaniu i zagospodarowaniu przestrzennym art. 64 ust. 1 with art. 51 ust. 2:
/// a zoning decision for a single-family house of up to 70 m² (art. 29 ust. 1 pkt 1a Prawa
/// budowlanego) is due 21 days after the request, any other in 90; the case keeps the term.
#[tokio::test]
async fn upzp_art_64_a_small_house_filed_over_http_is_due_in_21_days() {
    use okienko::domain::term::{Term, due_date};
    let app = TestApp::new().await;
    let saturday = app.state.settings.cases.saturday_counts;
    let (term, filed, due) =
        filed_case(&app, "warunki-zabudowy", "small-house-due-in-21-days").await;
    assert_eq!(term, "P21D");
    assert_eq!(
        Some(due),
        due_date(Term::Days(21), filed, &[], saturday),
        "filed {filed}"
    );
    assert!(due <= filed + time::Duration::days(25), "{filed} → {due}");
    let (term, filed, due) = filed_case(&app, "warunki-zabudowy", "house-pays-no-stamp-duty").await;
    assert_eq!(term, "P90D");
    assert_eq!(Some(due), due_date(Term::Days(90), filed, &[], saturday));
    // the service's page and the catalogue tell both terms, in words
    let page = app.get("/uslugi/warunki-zabudowy", "").await.text();
    assert!(
        page.contains("90 dni<br>21 dni: art. 64 ust. 1"),
        "the start page"
    );
    let catalogue = app.get("/?q=warunki+zabudowy", "").await.text();
    assert!(catalogue.contains("90 dni albo 21 dni"), "the catalogue");
}

/// Ordynacja podatkowa art. 77 § 1 pkt 6 lit. a: a refund requested with a corrected
/// declaration is due 2 months after the request, not in the 30 days of pkt 2.
#[tokio::test]
async fn op_art_77_a_refund_with_a_correction_filed_over_http_is_due_in_2_months() {
    use okienko::domain::term::{Term, due_date};
    let app = TestApp::new().await;
    let saturday = app.state.settings.cases.saturday_counts;
    let (term, filed, due) = filed_case(
        &app,
        "nadplata-zwrot",
        "company-correction-through-a-proxy-due-in-2-months",
    )
    .await;
    assert_eq!(term, "P2M");
    assert_eq!(Some(due), due_date(Term::Months(2), filed, &[], saturday));
    let (term, filed, due) =
        filed_case(&app, "nadplata-zwrot", "person-paid-twice-to-an-account").await;
    assert_eq!(term, "P30D");
    assert_eq!(Some(due), due_date(Term::Days(30), filed, &[], saturday));
}
