//! The tax ledger (issue 20 §2, docs/ledger.md): imported from CSV files (idempotent, every
//! problem named by `file:line`), a logged-in taxpayer's IN-1 prefilled from it, and the
//! certificates issued from it: no arrears or their state, presence in the register of
//! taxpayers, with the stamp duty and the 7-day term.

use axum::http::StatusCode;
use rust_decimal::Decimal;
use serde_json::json;

use crate::helpers::TestApp;
use okienko::domain::ledger::TaxpayerId;
use okienko::domain::level::IdentityLevel;
use okienko::ledger::certificate::{self, Kind};

/// Jan Kowalski (`TestApp::resident`) owes 103.12 zł of the 2025 first instalment; Anna
/// Nowak paid everything; 02070803628 is not in the ledger.
const JAN: &str = "44051401359";
const ANNA: &str = "85071503827";
const NOBODY: &str = "02070803628";

fn write_ledger(dir: &std::path::Path) {
    let files = [
        (
            "taxpayers.csv",
            "taxpayer_id;id_kind;id_number;name;address\nT1;pesel;44051401359;Jan Kowalski;\"ul. Długa 1; Ostróda\"\nT2;pesel;85071503827;Anna Nowak;Ostróda\nC1;nip;8567346215;\"Firma \"\"Las\"\" sp. z o.o.\";Ostróda\n",
        ),
        (
            "objects.csv",
            "taxpayer_id;object_id;family;category;location;land_register;base\nT1;O1;property;land_other;ul. Długa 1;OL1O/00012345/6;812.5\nT1;O2;property;building_residential;ul. Długa 1;;120.4\nT1;O3;agricultural;arable;Obręb Kajkowo;;1.2345\nT2;O4;property;building_residential;ul. Krótka 2;;64\n",
        ),
        (
            "assessments.csv",
            "taxpayer_id;year;family;kind;reference;issued_on;amount\nT1;2025;property;decision;FN.3120.7.2025;2025-02-10;812\nT2;2025;property;decision;FN.3120.8.2025;2025-02-10;80\nC1;2025;property;declaration;DN-1/2025/1;2025-01-31;12000\n",
        ),
        (
            "instalments.csv",
            "taxpayer_id;year;family;number;due_on;amount\nT1;2025;property;1;2025-03-15;203.12\nT2;2025;property;1;2025-03-15;80\n",
        ),
        (
            "payments.csv",
            "payment_id;taxpayer_id;paid_on;amount\nP1;T1;2025-03-01;100\nP2;T2;2025-03-14;80\n",
        ),
    ];
    for (name, body) in files {
        std::fs::write(dir.join(name), body).unwrap();
    }
}

pub(crate) async fn imported() -> TestApp {
    let app = TestApp::new().await;
    let dir = tempfile::tempdir().unwrap();
    write_ledger(dir.path());
    let counts = okienko::ledger::import::run(&app.state.db, dir.path())
        .await
        .unwrap();
    assert_eq!(counts, [3, 4, 3, 2, 2]);
    app
}

fn today() -> time::Date {
    okienko::domain::clock::in_poland(time::OffsetDateTime::now_utc()).date()
}

#[tokio::test]
async fn ledger_import_is_idempotent_and_refuses_a_bad_file_whole() {
    let app = imported().await;
    let dir = tempfile::tempdir().unwrap();
    write_ledger(dir.path());
    // the same files again: the same ledger
    let again = okienko::ledger::import::run(&app.state.db, dir.path())
        .await
        .unwrap();
    assert_eq!(again, [3, 4, 3, 2, 2]);
    let jan = TaxpayerId::parse("pesel", JAN).unwrap();
    let t = app.state.ledger.taxpayer(&jan).await.unwrap().unwrap();
    assert_eq!(t.address, "ul. Długa 1; Ostróda");
    assert_eq!(app.state.ledger.objects(&t).await.unwrap().len(), 3);
    let firm = TaxpayerId::parse("nip", "856-734-62-15").unwrap();
    let c = app.state.ledger.taxpayer(&firm).await.unwrap().unwrap();
    assert_eq!(c.name, "Firma \"Las\" sp. z o.o.");
    // a broken line: nothing is written, the problem names its file and line
    std::fs::write(
        dir.path().join("payments.csv"),
        "payment_id;taxpayer_id;paid_on;amount\nP1;T1;2025-03-01;100\nP9;T1;2025-02-30;5\n",
    )
    .unwrap();
    let e = okienko::ledger::import::run(&app.state.db, dir.path())
        .await
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("payments.csv:3: paid_on: a date YYYY-MM-DD"),
        "{e}"
    );
    assert_eq!(app.state.ledger.payments(&t).await.unwrap().len(), 1);
}

/// A logged-in taxpayer's IN-1 opens with their objects from the ledger (the land and
/// the building: the agricultural land is not on this form's rates); another's is empty.
#[tokio::test]
async fn ledger_prefills_the_taxpayers_in1_with_their_objects() {
    let app = imported().await;
    let me = app.resident(IdentityLevel::Substantial).await;
    let r = app.post_form("/uslugi/in-1", &me, "").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let first = r.location();
    assert_eq!(app.get(&first, &me).await.status, StatusCode::OK);
    let objects = first.rsplit_once('/').unwrap().0.to_owned() + "/objects";
    let page = app.get(&objects, &me).await.text();
    assert!(page.contains("812.5") && page.contains("120.4"), "{page}");
    assert!(page.contains("OL1O/00012345/6"));
    assert!(!page.contains("Kajkowo"));
    // a resident the ledger does not know gets an empty form
    let other = app.resident_with_pesel(NOBODY).await;
    let r = app.post_form("/uslugi/in-1", &other, "").await;
    let first = r.location();
    app.get(&first, &other).await;
    let objects = first.rsplit_once('/').unwrap().0.to_owned() + "/objects";
    assert!(!app.get(&objects, &other).await.text().contains("812.5"));
}

/// Ordynacja podatkowa art. 306e § 1 and art. 306a § 1: the statements read from the
/// ledger with and without arrears, and for someone not in the register.
#[tokio::test]
async fn op_art_306e_certificates_state_the_ledger_on_the_day() {
    let app = imported().await;
    let on = today();
    let ledger = app.state.ledger.as_ref();
    let say = |kind, pesel: &'static str| async move {
        let id = TaxpayerId::parse("pesel", pesel).unwrap();
        let f = certificate::facts(ledger, kind, &id, on).await.unwrap();
        (
            certificate::statement(kind, "X", &f, on, "Wójt").join("\n"),
            f,
        )
    };
    let (jan, f) = say(Kind::NoArrears, JAN).await;
    assert_eq!(f.balance.unwrap().arrears, Decimal::new(10312, 2));
    assert!(jan.contains("w wysokości 103,12 zł"), "{jan}");
    let (anna, _) = say(Kind::NoArrears, ANNA).await;
    assert!(anna.contains("nie posiada na dzień"), "{anna}");
    let (nobody, _) = say(Kind::NoArrears, NOBODY).await;
    assert!(nobody.contains("nie figuruje w ewidencji"), "{nobody}");
    let (register, f) = say(Kind::InRegister, JAN).await;
    assert_eq!(f.objects.len(), 3);
    assert!(
        register.contains("podatek od nieruchomości, podatek rolny"),
        "{register}"
    );
    let (absent, _) = say(Kind::InRegister, NOBODY).await;
    assert!(absent.contains("nie figuruje"), "{absent}");
}

/// KPA art. 217 § 3: a certificate request is a case due 7 days after filing (moved to a
/// working day); the stamp duty is 17 zł, 0 zł for an exempt purpose (ustawa o opłacie
/// skarbowej art. 2 ust. 1 pkt 1); the clerk issues it with one decision from a case in
/// progress and the resident finds it in their mailbox.
#[tokio::test]
async fn kpa_art_217_a_certificate_is_due_in_7_days_with_its_fee() {
    let app = imported().await;
    let me = app.resident(IdentityLevel::Substantial).await;
    let clerk = app.staff("urzednik-fn", "FN").await;
    let sign = app
        .file_example(&me, "zaswiadczenie-o-niezaleganiu", "z-1", |_| ())
        .await;
    let free = app
        .file_example(&me, "zaswiadczenie-o-figurowaniu", "z-2", |d| {
            d["purpose"] = json!("social_assistance");
        })
        .await;
    let case = app.get(&format!("/api/cases/{sign}"), &clerk).await.json();
    let filed = okienko::forms::expr::parse_date(case["started_on"].as_str().unwrap()).unwrap();
    let due = okienko::forms::expr::parse_date(case["due_on"].as_str().unwrap()).unwrap();
    let saturday = app.state.settings.cases.saturday_counts;
    let expected =
        okienko::domain::holidays::next_working_day(filed + time::Duration::days(7), saturday);
    assert_eq!(due, expected, "filed {filed}");
    // on real dates: filed on Friday 18.12.2026, the 7th day is Christmas Day, then the
    // second day of Christmas and a Sunday: due on Monday 28.12.2026
    let svc = app
        .state
        .catalogue
        .get("zaswiadczenie-o-niezaleganiu")
        .unwrap();
    let christmas = okienko::forms::due::due_on(
        svc,
        svc.term(None),
        &Default::default(),
        time::macros::date!(2026 - 12 - 18),
        saturday,
    );
    assert_eq!(christmas, Some(time::macros::date!(2026 - 12 - 28)));
    let fee = |sign: String| {
        let app = &app;
        async move {
            let c = okienko::db::cases::by_sign(&app.state.db, &sign)
                .await
                .unwrap()
                .unwrap();
            let s = okienko::db::submissions::by_id(&app.state.db, &c.submission_id)
                .await
                .unwrap()
                .unwrap();
            let data: serde_json::Value = serde_json::from_str(&s.data).unwrap();
            (c, data["fee"].clone())
        }
    };
    let (_, paid) = fee(sign.clone()).await;
    assert_eq!(
        paid.as_str().map(|s| s.parse::<Decimal>().unwrap()),
        Some(Decimal::from(17))
    );
    let (_, exempt) = fee(free.clone()).await;
    assert_eq!(
        exempt.as_str().map(|s| s.parse::<Decimal>().unwrap()),
        Some(Decimal::ZERO)
    );

    for s in [&sign, &free] {
        let r = app.act(&clerk, s, "take", json!({"version": 1})).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        let r = app
            .act(
                &clerk,
                s,
                "decide",
                json!({"version": 2, "outcome": "granted", "reason": "dane z ewidencji podatkowej"}),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        let (c, _) = fee(s.to_string()).await;
        let docs = okienko::db::cases::documents(&app.state.db, &c.id)
            .await
            .unwrap();
        assert_eq!(docs.len(), 1);
        assert_eq!(docs[0].title, "ZAŚWIADCZENIE");
        assert_eq!(docs[0].kind, "granted");
    }
    let inbox = app.get("/skrzynka", &me).await.text();
    assert!(inbox.matches("ZAŚWIADCZENIE").count() >= 2, "{inbox}");
}
