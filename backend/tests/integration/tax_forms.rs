//! The local tax forms in their three purposes: a first filing, a correction that names
//! the filing it corrects (the clerk sees what it changes, field by field), and the expiry
//! of the obligation. Each form's own examples are what is filed.

use axum::http::StatusCode;
use okienko::domain::level::IdentityLevel;
use serde_json::{Value, json};

use crate::helpers::TestApp;

/// The tax forms and the value of `purpose` their first filing has.
const FORMS: [(&str, &str); 7] = [
    ("in-1", "information"),
    ("dn-1", "declaration"),
    ("ir-1", "information"),
    ("dr-1", "declaration"),
    ("il-1", "information"),
    ("dl-1", "declaration"),
    ("dt-1", "declaration"),
];

/// The data of the first valid example of `service` whose purpose is `purpose`.
fn example(app: &TestApp, service: &str, purpose: &str) -> Value {
    app.state
        .catalogue
        .get(service)
        .expect("service")
        .def
        .examples
        .valid
        .iter()
        .find(|e| e.data["purpose"] == purpose)
        .unwrap_or_else(|| panic!("{service} has no valid example of purpose {purpose}"))
        .data
        .clone()
}

/// Files `data` as `cookie`; the response.
async fn file(app: &TestApp, cookie: &str, service: &str, key: &str, data: &Value) -> Value {
    let r = app
        .post_json(
            &format!("/api/services/{service}/submissions"),
            cookie,
            Some(key),
            &json!({ "data": data }).to_string(),
        )
        .await;
    json!({ "status": r.status.as_u16(), "body": r.json() })
}

fn receipt_and_sign(filed: &Value) -> (String, String) {
    assert_eq!(filed["status"], 201, "{filed}");
    let claims = &filed["body"]["receipt"]["claims"];
    (
        claims["receipt_id"]
            .as_str()
            .expect("receipt id")
            .to_owned(),
        claims["registration"]["case_sign"]
            .as_str()
            .expect("case sign")
            .to_owned(),
    )
}

fn error_codes(filed: &Value) -> Vec<(String, String)> {
    filed["body"]["errors"]
        .as_array()
        .map(|errors| {
            errors
                .iter()
                .map(|e| {
                    let s = |k: &str| e[k].as_str().unwrap_or_default().to_owned();
                    (s("path"), s("code"))
                })
                .collect()
        })
        .unwrap_or_default()
}

/// Every tax form: first filed, then corrected by a correction naming it (the clerk's page
/// shows the corrected filing and the changes), then the obligation's expiry.
#[tokio::test]
async fn every_tax_form_is_filed_corrected_and_expired() {
    let app = TestApp::new().await;
    let resident = app.resident(IdentityLevel::Substantial).await;
    let clerk = app.staff("kierownik-fn", "FN").await;
    for (service, first) in FORMS {
        let filed = file(
            &app,
            &resident,
            service,
            &format!("{service}-1"),
            &example(&app, service, first),
        )
        .await;
        let (receipt, first_sign) = receipt_and_sign(&filed);

        let mut correction = example(&app, service, "correction");
        correction["corrects"] = json!(receipt);
        let filed = file(
            &app,
            &resident,
            service,
            &format!("{service}-2"),
            &correction,
        )
        .await;
        let (_, sign) = receipt_and_sign(&filed);
        let page = app.get(&format!("/urzad/sprawy/{sign}"), &clerk).await;
        assert_eq!(page.status, StatusCode::OK, "{service}");
        let page = page.text();
        assert!(
            page.contains("Zmiany względem korygowanego formularza"),
            "{service}: {page}"
        );
        assert!(page.contains(&receipt), "{service}");
        assert!(
            page.contains(&format!("href=\"/urzad/sprawy/{first_sign}\"")),
            "{service}"
        );
        assert!(page.contains("korekta"), "{service}");

        let expiry = example(&app, service, "expiry");
        let filed = file(&app, &resident, service, &format!("{service}-3"), &expiry).await;
        let (_, sign) = receipt_and_sign(&filed);
        let page = app
            .get(&format!("/urzad/sprawy/{sign}"), &clerk)
            .await
            .text();
        let reason = expiry["expiry_reason"].as_str().expect("a reason");
        assert!(page.contains(reason), "{service}: {page}");
        assert!(
            !page.contains("Zmiany względem"),
            "{service}: an expiry corrects nothing"
        );
    }
}

/// DN-1: the clerk reads a correction's changes in the form's labels, row by row, with
/// the amounts recomputed (Ordynacja podatkowa art. 63: rounded to full złoty).
#[tokio::test]
async fn the_clerk_sees_a_dn1_corrections_changes_field_by_field() {
    let app = TestApp::new().await;
    let company = app.resident(IdentityLevel::Substantial).await;
    let first = example(&app, "dn-1", "declaration");
    let (receipt, _) = receipt_and_sign(&file(&app, &company, "dn-1", "first", &first).await);
    let mut correction = first.clone();
    correction["purpose"] = json!("correction");
    correction["corrects"] = json!(receipt);
    correction["correction_basis"] = json!("art81");
    correction["zdn1"][1]["base"] = json!("300");
    let (_, sign) = receipt_and_sign(&file(&app, &company, "dn-1", "second", &correction).await);
    let clerk = app.staff("kierownik-fn", "FN").await;
    let page = app
        .get(&format!("/urzad/sprawy/{sign}"), &clerk)
        .await
        .text();
    let table = page
        .split("Zmiany względem korygowanego formularza")
        .nth(1)
        .and_then(|t| t.split("</table>").next())
        .expect("the table of changes");
    for row in [
        "Cel złożenia formularza</th><td class=\"govuk-table__cell\">deklaracja</td><td class=\"govuk-table__cell\">korekta deklaracji",
        // 250 m² → 300 m² of business buildings at 30 zł: 7 500 zł → 9 000 zł
        "Przedmioty opodatkowania, wiersz 2: Podstawa opodatkowania (m², ha albo wartość budowli w zł)</th><td class=\"govuk-table__cell\">250</td><td class=\"govuk-table__cell\">300",
        "Przedmioty opodatkowania, wiersz 2: Kwota podatku</th><td class=\"govuk-table__cell\">7500",
        "E. Łączna kwota podatku (zaokrąglona do pełnych złotych)</th><td class=\"govuk-table__cell\">9015</td><td class=\"govuk-table__cell\">10515",
    ] {
        assert!(table.contains(row), "{row}\n{table}");
    }
    // what did not change is not listed
    assert!(!table.contains("Pełna nazwa"), "{table}");
}

/// A correction names one of the filer's own filings of the same service: another
/// owner's, another service's or an unknown number is refused (422, `filing.not_found`),
/// another owner's exactly like one that does not exist.
#[tokio::test]
async fn a_correction_names_only_the_filers_own_filing_of_the_same_service() {
    let app = TestApp::new().await;
    let owner = app.resident(IdentityLevel::Substantial).await;
    let stranger = app.resident(IdentityLevel::Substantial).await;
    let (dn1, _) = receipt_and_sign(
        &file(
            &app,
            &owner,
            "dn-1",
            "a",
            &example(&app, "dn-1", "declaration"),
        )
        .await,
    );
    let (dr1, _) = receipt_and_sign(
        &file(
            &app,
            &owner,
            "dr-1",
            "b",
            &example(&app, "dr-1", "declaration"),
        )
        .await,
    );
    let unknown = "UPO-2026-00000000000000000000000000000000";
    let cases = [
        (&stranger, dn1.as_str(), "c"),
        (&owner, dr1.as_str(), "d"),
        (&owner, unknown, "e"),
    ];
    for (who, number, key) in cases {
        let mut correction = example(&app, "dn-1", "correction");
        correction["corrects"] = json!(number);
        let filed = file(&app, who, "dn-1", key, &correction).await;
        assert_eq!(filed["status"], 422, "{filed}");
        assert_eq!(
            error_codes(&filed),
            vec![("corrects".to_owned(), "filing.not_found".to_owned())],
            "{filed}"
        );
    }
    let mut correction = example(&app, "dn-1", "correction");
    correction["corrects"] = json!(dn1);
    let filed = file(&app, &owner, "dn-1", "f", &correction).await;
    assert_eq!(filed["status"], 201, "{filed}");
}

/// Ordynacja podatkowa art. 81b § 1a: a correction in proceedings where art. 119a may apply
/// comes with its justification; under art. 81 none is asked (since 2016).
#[tokio::test]
async fn a_correction_under_art_81b_needs_its_justification() {
    let app = TestApp::new().await;
    let owner = app.resident(IdentityLevel::Substantial).await;
    let (dt1, _) = receipt_and_sign(
        &file(
            &app,
            &owner,
            "dt-1",
            "a",
            &example(&app, "dt-1", "declaration"),
        )
        .await,
    );
    let mut correction = example(&app, "dt-1", "correction");
    correction["corrects"] = json!(dt1);
    correction["correction_basis"] = json!("art81b");
    correction
        .as_object_mut()
        .unwrap()
        .remove("correction_reason");
    let filed = file(&app, &owner, "dt-1", "b", &correction).await;
    assert_eq!(filed["status"], 422, "{filed}");
    assert_eq!(
        error_codes(&filed),
        vec![("correction_reason".to_owned(), "required".to_owned())]
    );
    correction["correction_basis"] = json!("art81");
    let filed = file(&app, &owner, "dt-1", "c", &correction).await;
    assert_eq!(filed["status"], 201, "{filed}");
}

/// On the pages the resident picks the filing a correction corrects from their own filings
/// of the form, not another form's.
#[tokio::test]
async fn the_correction_step_offers_the_residents_own_filings_of_the_form() {
    let app = TestApp::new().await;
    let me = app.resident(IdentityLevel::Substantial).await;
    let (dl1, _) = receipt_and_sign(
        &file(
            &app,
            &me,
            "dl-1",
            "a",
            &example(&app, "dl-1", "declaration"),
        )
        .await,
    );
    let (dr1, _) = receipt_and_sign(
        &file(
            &app,
            &me,
            "dr-1",
            "b",
            &example(&app, "dr-1", "declaration"),
        )
        .await,
    );
    let start = app.post_form("/uslugi/dl-1", &me, "").await;
    assert_eq!(start.status, StatusCode::SEE_OTHER, "{}", start.text());
    let purpose = start.location();
    let saved = app
        .post_form(&purpose, &me, "year=2026&purpose=correction&action=save")
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.text());
    let page = app.get(&purpose, &me).await.text();
    assert!(
        page.contains("<select class=\"govuk-select\" id=\"corrects\" name=\"corrects\""),
        "{page}"
    );
    assert!(
        page.contains(&format!("<option value=\"{dl1}\">{dl1} — złożony ")),
        "{page}"
    );
    assert!(!page.contains(&dr1), "another form's filing is not offered");
}

/// The e-filing document: a DT-1 filed over HTTP comes out to the clerk (and the domain
/// system's API client) as the XML of the published schema, with the receipt number, the
/// data as stored (NIP normalised, amounts computed) and one `wiersz` a vehicle; the schema
/// itself is public. A resident gets no case's document; a service without one says so.
#[tokio::test]
async fn a_filed_declaration_comes_out_as_the_xml_of_its_published_schema() {
    let app = TestApp::new().await;
    let company = app.resident(IdentityLevel::Substantial).await;
    for (service, purpose) in FORMS {
        let data = example(&app, service, purpose);
        let filed = file(&app, &company, service, &format!("x-{service}"), &data).await;
        let (receipt, sign) = receipt_and_sign(&filed);
        let clerk = app.staff("kierownik-fn", "FN").await;
        let r = app
            .get(&format!("/api/cases/{sign}/efiling.xml"), &clerk)
            .await;
        assert_eq!(r.status, StatusCode::OK, "{service}: {}", r.text());
        let xml = r.text();
        let doc = roxmltree::Document::parse(&xml).expect("well-formed XML");
        let root = doc.root_element();
        let code = service.to_uppercase();
        assert_eq!(
            root.tag_name().namespace(),
            Some(format!("urn:okienko:efiling:{code}:1").as_str())
        );
        let text = |name: &str| {
            root.descendants()
                .find(|n| n.tag_name().name() == name)
                .and_then(|n| n.text())
                .map(str::to_owned)
        };
        assert_eq!(text("KodFormularza").as_deref(), Some(code.as_str()));
        assert_eq!(text("NumerPotwierdzenia"), Some(receipt.clone()));
        assert_eq!(text("purpose").as_deref(), Some(purpose));
        assert_eq!(
            text("year"),
            data["year"].as_i64().map(|y| y.to_string()),
            "{service}"
        );
        // the clerk's page links it
        let page = app
            .get(&format!("/urzad/sprawy/{sign}"), &clerk)
            .await
            .text();
        assert!(
            page.contains(&format!("/api/cases/{sign}/efiling.xml")),
            "{service}"
        );
        // the owner cannot take it: cases are the office's
        let r = app
            .get(&format!("/api/cases/{sign}/efiling.xml"), &company)
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{service}");
    }
    // DT-1's vehicles are rows; its NIP is stored normalised, as the schema's pattern asks
    let data = example(&app, "dt-1", "declaration");
    let filed = file(&app, &company, "dt-1", "x-dt-1-rows", &data).await;
    let (_, sign) = receipt_and_sign(&filed);
    let clerk = app.staff("kierownik-fn", "FN").await;
    let xml = app
        .get(&format!("/api/cases/{sign}/efiling.xml"), &clerk)
        .await
        .text();
    let doc = roxmltree::Document::parse(&xml).expect("well-formed XML");
    let rows = doc
        .descendants()
        .filter(|n| n.tag_name().name() == "wiersz")
        .count();
    let vehicles = data["dt1a"].as_array().map_or(0, Vec::len);
    assert!(
        rows >= 1 && rows == vehicles,
        "{rows} rows, {vehicles} vehicles\n{xml}"
    );

    // a filing made under an earlier definition is not rewritten by the current one
    use sea_orm::ConnectionTrait;
    app.state
        .db
        .execute_unprepared(&format!(
            "UPDATE submission SET definition_hash = 'an-earlier-version' \
             WHERE id = (SELECT submission_id FROM case_file WHERE sign = '{sign}')"
        ))
        .await
        .expect("update");
    let r = app
        .get(&format!("/api/cases/{sign}/efiling.xml"), &clerk)
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text());
    assert!(r.text().contains("wcześniejszej wersji"), "{}", r.text());
    let page = app
        .get(&format!("/urzad/sprawy/{sign}"), &clerk)
        .await
        .text();
    assert!(
        !page.contains("efiling.xml"),
        "no link to what cannot be built"
    );

    // the schema is public and is the published file
    let r = app.get("/api/services/dn-1/efiling.xsd", "").await;
    assert_eq!(r.status, StatusCode::OK);
    let published = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../forms/schemas/dn-1-v1.xsd"),
    )
    .expect("the published schema");
    assert_eq!(r.text(), published);
    let r = app.get("/api/services/petycja/efiling.xsd", "").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert!(r.text().contains("nie ma schematu"), "{}", r.text());
}
