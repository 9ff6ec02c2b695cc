//! The residents' registers (issue 20 §1, docs/ledger.md "Registers of residence"): fed by
//! the residence cases decided in okienko and by the register system's CSV export; their
//! certificates issued by a clerk's decision with the stamp duty; a certificate's JWS
//! checked by `okienko receipt verify`; the ledger's certificates for a company by NIP.

use axum::http::StatusCode;
use okienko::domain::level::IdentityLevel;
use okienko::domain::pesel::Pesel;
use okienko::domain::residence::{Register, Stay};
use okienko::residents::certificate::{Kind, statement};
use serde_json::{Value, json};

use crate::helpers::{TestApp, anon};

const JAN: &str = "44051401359";
const ANNA: &str = "85071503827";

fn today() -> time::Date {
    okienko::domain::clock::in_poland(time::OffsetDateTime::now_utc()).date()
}

fn write_registers(dir: &std::path::Path) {
    std::fs::write(
        dir.join("registrations.csv"),
        "record_id;register;pesel;name;citizenship;stay;address;from_on;until_on;ended_on\n\
         R1;residents;44051401359;Jan Kowalski;;permanent;\"ul. Długa 1; 14-100 Ostróda\";2010-05-01;;2020-01-01\n\
         R2;foreigners;85071503827;Anna Nowak;Ukraina;temporary;Rynek 2, 14-100 Ostróda;2025-01-02;2099-12-31;\n",
    )
    .unwrap();
}

/// Takes the case and decides it `granted` as `clerk`.
async fn grant(app: &TestApp, clerk: &str, sign: &str) {
    let r = app.act(clerk, sign, "take", json!({"version": 1})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let r = app
        .act(
            clerk,
            sign,
            "decide",
            json!({"version": 2, "outcome": "granted", "reason": "dane z rejestru"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
}

async fn documents(app: &TestApp, sign: &str) -> Vec<okienko::db::entity::case_document::Model> {
    let c = okienko::db::cases::by_sign(&app.state.db, sign)
        .await
        .unwrap()
        .unwrap();
    okienko::db::cases::documents(&app.state.db, &c.id)
        .await
        .unwrap()
}

/// u.e.l. art. 24, 35 and KPA art. 217–218: a registration decided in okienko enters the
/// residents' register beside the imported ones (and stays through a new import); its
/// certificate is issued by the clerk's decision; a deregistration decided ends it.
#[tokio::test]
async fn uel_registrations_feed_the_register_and_its_certificates() {
    let app = TestApp::new().await;
    let dir = tempfile::tempdir().unwrap();
    write_registers(dir.path());
    assert_eq!(
        okienko::residents::import::run(&app.state.db, dir.path())
            .await
            .unwrap(),
        2
    );
    let jan = Pesel::parse(JAN).unwrap();
    let me = app.resident(IdentityLevel::Substantial).await;
    let clerk = app.staff("urzednik-so", "SO").await;

    // Jan registers for permanent stay; the clerk grants it
    let svc = app.state.catalogue.get("zameldowanie").unwrap().clone();
    let mut data = svc.def.examples.valid[0].data.clone();
    data["arrival_date"] = json!(today().to_string());
    let r = crate::catalogue::file(&app, &me, "zameldowanie", "zam-1", data).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let sign = r.json()["receipt"]["claims"]["registration"]["case_sign"]
        .as_str()
        .unwrap()
        .to_owned();
    grant(&app, &clerk, &sign).await;
    let rows = app.state.residents.registrations(&jan).await.unwrap();
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert_eq!(rows[1].address, "Lipowa 5/2, 64-530 Przykładowo");
    assert_eq!((rows[1].stay, rows[1].from_on), (Stay::Permanent, today()));
    assert!(rows[1].key.starts_with("case:"));
    // the same export again: the case's registration stays, the imported ones are as they were
    okienko::residents::import::run(&app.state.db, dir.path())
        .await
        .unwrap();
    assert_eq!(app.state.residents.registrations(&jan).await.unwrap(), rows);
    // a broken export changes nothing and names its line
    std::fs::write(
        dir.path().join("registrations.csv"),
        "record_id;register;pesel;name;citizenship;stay;address;from_on;until_on;ended_on\nR9;residents;44051401359;X;;permanent;Y;2020-02-30;;\n",
    )
    .unwrap();
    let e = okienko::residents::import::run(&app.state.db, dir.path())
        .await
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("registrations.csv:2: from_on: a date YYYY-MM-DD"),
        "{e}"
    );
    assert_eq!(app.state.residents.registrations(&jan).await.unwrap(), rows);

    // the certificate: 7 days, 17 zł, issued by the decision
    let cert = app
        .file_example(&me, "zaswiadczenie-o-zameldowaniu", "z-1", |_| ())
        .await;
    let case = app.get(&format!("/api/cases/{cert}"), &clerk).await.json();
    let filed = okienko::forms::expr::parse_date(case["started_on"].as_str().unwrap()).unwrap();
    let due = okienko::forms::expr::parse_date(case["due_on"].as_str().unwrap()).unwrap();
    let saturday = app.state.settings.cases.saturday_counts;
    assert_eq!(
        due,
        okienko::domain::holidays::next_working_day(filed + time::Duration::days(7), saturday)
    );
    grant(&app, &clerk, &cert).await;
    let docs = documents(&app, &cert).await;
    assert_eq!(docs.len(), 1);
    assert_eq!(
        (docs[0].title.as_str(), docs[0].kind.as_str()),
        ("ZAŚWIADCZENIE", "granted")
    );
    let s = statement(Kind::Residents, "Jan", &rows, today(), "Burmistrz").join("\n");
    assert!(
        s.contains("figuruje na dzień") && s.contains("pobyt stały pod adresem: Lipowa 5/2"),
        "{s}"
    );
    assert!(s.contains("do dnia 01.01.2020"), "{s}");
    // Jan is not in the register of foreigners' residence; Anna is
    let f = statement(Kind::ForeignersResidence, "Jan", &rows, today(), "B").join("\n");
    assert!(f.contains("nie figuruje"), "{f}");
    let anna = Pesel::parse(ANNA).unwrap();
    let hers = app.state.residents.registrations(&anna).await.unwrap();
    assert_eq!(hers[0].register, Register::Foreigners);
    let f = statement(Kind::ForeignersResidence, "Anna", &hers, today(), "B").join("\n");
    assert!(f.contains("obywatelstwo: Ukraina"), "{f}");

    // an owner asks to deregister Jan; the decision ends his registration today
    let owner = app.resident_with_pesel(ANNA).await;
    let svc = app.state.catalogue.get("wymeldowanie").unwrap().clone();
    let mut data = svc.def.examples.valid[0].data.clone();
    data["person_pesel"] = json!(JAN);
    let r = crate::catalogue::file(&app, &owner, "wymeldowanie", "wym-1", data).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let sign = r.json()["receipt"]["claims"]["registration"]["case_sign"]
        .as_str()
        .unwrap()
        .to_owned();
    grant(&app, &clerk, &sign).await;
    let rows = app.state.residents.registrations(&jan).await.unwrap();
    assert_eq!(rows[1].ended_on, Some(today()));
    let s = statement(Kind::Residents, "Jan", &rows, today(), "B").join("\n");
    assert!(s.contains("nie figuruje"), "{s}");
}

/// `okienko receipt verify FILE --jwks KEYS` on a file holding `jws`.
fn verify_offline(jws: &str, jwks: &Value) -> std::process::Output {
    let dir = tempfile::tempdir().unwrap();
    let (file, keys) = (dir.path().join("cert.jws"), dir.path().join("jwks.json"));
    std::fs::write(&keys, jwks.to_string()).unwrap();
    std::fs::write(&file, jws).unwrap();
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

/// A certificate's JWS is checked against the published keys by `okienko receipt verify`;
/// a changed one is refused.
#[tokio::test]
async fn receipt_verify_checks_a_certificates_jws() {
    let app = TestApp::new().await;
    let data = json!({"pesel": JAN, "purpose": "other", "fee": "17.00"});
    let issuer = app.state.settings.base_url();
    let r = okienko::ledger::certificate::Request {
        case_sign: "SO.5351.1.2026",
        register_no: "1/2026".into(),
        filed_on: today(),
        authority: "Burmistrz",
        issuer: &issuer,
        signer: "Urzędnik".into(),
        addressee: "Jan Kowalski".into(),
        data: &data,
    };
    let sentences = vec!["Jan Kowalski figuruje.".to_owned()];
    let jws = okienko::ledger::certificate::sign(
        &app.state.keys,
        &r,
        Kind::Residents,
        JAN,
        &sentences,
        None,
        today(),
    )
    .unwrap();
    let jwks = app.get("/.well-known/jwks.json", &anon()).await.json();
    let out = verify_offline(&jws, &jwks);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{out:?}");
    assert!(
        stdout.contains("VALID certificate SO.5351.1.2026 (residents)"),
        "{stdout}"
    );
    assert!(
        stdout.contains("stamp duty:  17 zł") || stdout.contains("stamp duty:  17.00 zł"),
        "{stdout}"
    );
    // a claim changed (the payload re-encoded) breaks the signature
    let parts: Vec<&str> = jws.split('.').collect();
    use base64::Engine;
    let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let mut claims: Value = serde_json::from_slice(&b64.decode(parts[1]).unwrap()).unwrap();
    claims["subject"] = json!(ANNA);
    let forged = format!(
        "{}.{}.{}",
        parts[0],
        b64.encode(claims.to_string()),
        parts[2]
    );
    let out = verify_offline(&forged, &jwks);
    assert!(!out.status.success(), "{out:?}");
    assert!(String::from_utf8_lossy(&out.stderr).contains("INVALID certificate"));
}

/// Ordynacja podatkowa art. 306e § 1 for a company: its representative asks for the
/// certificate of the company's NIP; the clerk, having checked the representation, issues
/// it from the ledger's account of that NIP.
#[tokio::test]
async fn op_art_306e_a_company_gets_its_certificate_by_nip() {
    let app = crate::ledger::imported().await;
    let me = app.resident(IdentityLevel::Substantial).await;
    let clerk = app.staff("urzednik-fn", "FN").await;
    let svc = app
        .state
        .catalogue
        .get("zaswiadczenie-o-niezaleganiu")
        .unwrap()
        .clone();
    let company = svc.def.examples.valid[1].data.clone();
    assert_eq!(company["taxpayer_kind"], "company");
    let sign = app
        .file_example(&me, "zaswiadczenie-o-niezaleganiu", "c-1", |d| *d = company)
        .await;
    // the clerk's page names the decision as issuing the certificate
    let r = app.act(&clerk, &sign, "take", json!({"version": 1})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let page = app
        .get(&format!("/urzad/sprawy/{sign}"), &clerk)
        .await
        .text();
    assert!(page.contains("Wydaj zaświadczenie"), "{page}");
    let r = app
        .act(
            &clerk,
            &sign,
            "decide",
            json!({"version": 2, "outcome": "granted", "reason": "reprezentacja sprawdzona w KRS"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(documents(&app, &sign).await[0].title, "ZAŚWIADCZENIE");
    // what it states: the company's account, not the representative's arrears
    let c = okienko::db::cases::by_sign(&app.state.db, &sign)
        .await
        .unwrap()
        .unwrap();
    let s = okienko::db::submissions::by_id(&app.state.db, &c.submission_id)
        .await
        .unwrap()
        .unwrap();
    let data: Value = serde_json::from_str(&s.data).unwrap();
    let issuer = app.state.settings.base_url();
    let r = okienko::ledger::certificate::Request {
        case_sign: &sign,
        register_no: "1/2026".into(),
        filed_on: today(),
        authority: "Burmistrz",
        issuer: &issuer,
        signer: "Urzędnik".into(),
        addressee: "Jan Kowalski".into(),
        data: &data,
    };
    let id = r.subject().unwrap();
    assert_eq!((id.kind(), id.value()), ("nip", "8567346215"));
    use okienko::ledger::certificate::{self as lc, Kind as LedgerKind};
    let f = lc::facts(
        app.state.ledger.as_ref(),
        LedgerKind::NoArrears,
        &id,
        today(),
    )
    .await
    .unwrap();
    let said = lc::statement(LedgerKind::NoArrears, "Firma", &f, today(), "B").join("\n");
    assert!(said.contains("(konto podatnika C1) nie posiada"), "{said}");
    // the representative's own PESEL would have stated Jan's arrears
    let person = okienko::domain::ledger::TaxpayerId::parse("pesel", JAN).unwrap();
    let f = lc::facts(
        app.state.ledger.as_ref(),
        LedgerKind::NoArrears,
        &person,
        today(),
    )
    .await
    .unwrap();
    assert!(
        lc::statement(LedgerKind::NoArrears, "Jan", &f, today(), "B")[0]
            .contains("zaległości podatkowe w podatkach lokalnych w wysokości 103,12 zł")
    );
}
