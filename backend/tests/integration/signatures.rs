//! Filings with signed files (docs/signatures.md): the samples of
//! `tests/fixtures/signatures/` (a test CA on a test trusted list, a trusted-profile root,
//! an ID-card root; `make.py` made them) uploaded as the owner's statement of a residence
//! registration. A valid signature is recorded in the case's history and shown to the
//! clerk; a failing one refuses the filing, naming the file and what failed, and saves
//! nothing.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use sea_orm::{EntityTrait, PaginatorTrait};
use serde_json::{Value, json};

use crate::helpers::TestApp;
use okienko::domain::level::IdentityLevel;

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/signatures");

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(format!("{FIXTURES}/{name}")).expect("fixture")
}

fn trusted(s: &mut okienko::config::Settings) {
    s.signatures.trusted_list = Some(format!("{FIXTURES}/trust/tsl.xml").into());
    s.signatures.trusted_profile_roots =
        Some(format!("{FIXTURES}/trust/trusted-profile.pem").into());
    s.signatures.personal_roots = Some(format!("{FIXTURES}/trust/personal.pem").into());
}

/// A residence registration without a title of one's own: the owner's statement (`name`,
/// the file under test) and the owner's title document.
fn registration(statement: &[u8], name: &str) -> Vec<u8> {
    let today = okienko::domain::clock::in_poland(time::OffsetDateTime::now_utc()).date();
    let data = json!({"stay_kind": "permanent", "arrival_date": today.to_string(),
        "address": {"street": "Lipowa", "building": "5", "postal_code": "64-530", "locality": "Przykładowo"},
        "has_title": false});
    let content_type = if name.ends_with(".xml") {
        "application/xml"
    } else {
        "application/pdf"
    };
    let mut body = Vec::new();
    body.extend_from_slice(b"--XX\r\nContent-Disposition: form-data; name=\"data\"\r\n\r\n");
    body.extend_from_slice(json!({ "data": data }).to_string().as_bytes());
    body.extend_from_slice(format!("\r\n--XX\r\nContent-Disposition: form-data; name=\"owner_statement\"; filename=\"{name}\"\r\nContent-Type: {content_type}\r\n\r\n").as_bytes());
    body.extend_from_slice(statement);
    body.extend_from_slice(b"\r\n--XX\r\nContent-Disposition: form-data; name=\"owner_title_document\"; filename=\"akt.pdf\"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.7 akt\r\n--XX--\r\n");
    body
}

async fn file(
    app: &TestApp,
    cookie: &str,
    key: &str,
    statement: &[u8],
    name: &str,
) -> crate::helpers::Resp {
    app.send(
        Request::post("/api/services/zameldowanie/submissions")
            .header(header::CONTENT_TYPE, "multipart/form-data; boundary=XX")
            .header(header::COOKIE, cookie)
            .header("idempotency-key", key)
            .body(Body::from(registration(statement, name)))
            .expect("request"),
    )
    .await
}

/// The first entry of the filed case's history, and the case's sign.
async fn opening(app: &TestApp, filed: &Value) -> (Value, String) {
    let sign = filed["receipt"]["claims"]["registration"]["case_sign"]
        .as_str()
        .expect("sign")
        .to_owned();
    let case = okienko::db::cases::by_sign(&app.state.db, &sign)
        .await
        .expect("query")
        .expect("case");
    let history = okienko::db::cases::history(&app.state.db, &case.id)
        .await
        .expect("history");
    assert!(okienko::db::cases::first_broken(&history).is_none());
    (
        serde_json::from_str(&history[0].detail).expect("json"),
        sign,
    )
}

async fn filings(app: &TestApp) -> u64 {
    okienko::db::entity::submission::Entity::find()
        .count(&app.state.db)
        .await
        .expect("count")
}

#[tokio::test]
async fn a_valid_pades_statement_is_recorded_in_the_history_and_shown_to_the_clerk() {
    let app = TestApp::with(trusted).await;
    let me = app.resident(IdentityLevel::Substantial).await;
    let r = file(
        &app,
        &me,
        "a",
        &fixture("pades-valid.pdf"),
        "oswiadczenie.pdf",
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let (detail, sign) = opening(&app, &r.json()).await;
    let s = &detail["signatures"][0];
    assert_eq!(s["result"], "valid", "{detail}");
    assert_eq!(s["kind"], "qualified");
    assert_eq!(s["format"], "pades");
    assert_eq!(s["field"], "owner_statement");
    assert_eq!(s["name"], "oswiadczenie.pdf");
    assert_eq!(s["signer"]["name"], "Jan Kowalski");
    assert_eq!(s["signer"]["pesel"], "44051401359");
    assert_eq!(s["chain"].as_array().map(Vec::len), Some(2));
    assert!(s["signing_time"].is_string());

    let clerk = app.staff("urzednik", "SO").await;
    let page = app.get(&format!("/urzad/sprawy/{sign}"), &clerk).await;
    assert_eq!(page.status, StatusCode::OK);
    let page = page.text();
    assert!(page.contains("Podpisy elektroniczne"), "{page}");
    assert!(page.contains("Podpis ważny"), "{page}");
    assert!(
        page.contains("kwalifikowany podpis elektroniczny"),
        "{page}"
    );
    assert!(page.contains("Jan Kowalski, PESEL 44051401359"), "{page}");
    assert!(page.contains("Testowe Centrum Kwalifikowane"), "{page}");

    // an unsigned scan is taken where the signature is not required (art. 28 ust. 2a),
    // and nothing about signatures is recorded
    let r = file(&app, &me, "b", b"%PDF-1.7 skan", "skan.pdf").await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let (detail, _) = opening(&app, &r.json()).await;
    assert!(detail.get("signatures").is_none(), "{detail}");
}

#[tokio::test]
async fn xades_and_trusted_profile_signatures_record_their_kind_and_signer() {
    let app = TestApp::with(trusted).await;
    let me = app.resident(IdentityLevel::Substantial).await;
    let r = file(
        &app,
        &me,
        "x",
        &fixture("xades-valid.xml"),
        "oswiadczenie.xml",
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let (detail, _) = opening(&app, &r.json()).await;
    assert_eq!(detail["signatures"][0]["format"], "xades");
    assert_eq!(detail["signatures"][0]["kind"], "qualified");
    assert_eq!(detail["signatures"][0]["signer"]["name"], "Anna Nowak");

    let r = file(
        &app,
        &me,
        "pz",
        &fixture("pz-valid.xml"),
        "oswiadczenie-pz.xml",
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let (detail, sign) = opening(&app, &r.json()).await;
    let s = &detail["signatures"][0];
    assert_eq!(s["kind"], "trusted_profile");
    // the person from the signed PodpisZP, not the ministry's seal
    assert_eq!(s["signer"]["name"], "Jan Kowalski");
    assert_eq!(s["signer"]["pesel"], "44051401359");
    let clerk = app.staff("urzednik", "SO").await;
    let page = app
        .get(&format!("/urzad/sprawy/{sign}"), &clerk)
        .await
        .text();
    assert!(page.contains("podpis zaufany"), "{page}");

    let r = file(
        &app,
        &me,
        "po",
        &fixture("pades-personal.pdf"),
        "oswiadczenie-eid.pdf",
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let (detail, _) = opening(&app, &r.json()).await;
    assert_eq!(detail["signatures"][0]["kind"], "personal");
}

#[tokio::test]
async fn a_tampered_document_refuses_the_filing_naming_what_failed_and_saves_nothing() {
    let app = TestApp::with(trusted).await;
    let me = app.resident(IdentityLevel::Substantial).await;
    for (i, (name, code, words)) in [
        (
            "pades-tampered.pdf",
            "signature.digest_mismatch",
            "zmieniono po podpisaniu",
        ),
        (
            "xades-tampered.xml",
            "signature.digest_mismatch",
            "zmieniono po podpisaniu",
        ),
        (
            "pz-tampered.xml",
            "signature.digest_mismatch",
            "zmieniono po podpisaniu",
        ),
        (
            "pades-expired.pdf",
            "signature.expired",
            "nie był ważny w chwili podpisu",
        ),
        (
            "pades-untrusted.pdf",
            "signature.untrusted_chain",
            "nie wystawił zaufany dostawca",
        ),
    ]
    .into_iter()
    .enumerate()
    {
        let r = file(&app, &me, &format!("t{i}"), &fixture(name), name).await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{name}: {}",
            r.text()
        );
        let errors = r.json()["errors"].clone();
        let e = errors
            .as_array()
            .and_then(|a| a.iter().find(|e| e["path"] == "owner_statement[0]"))
            .unwrap_or_else(|| panic!("{name}: {errors}"));
        assert_eq!(e["code"], code, "{name}: {errors}");
        let message = e["message"].as_str().unwrap_or_default();
        assert!(
            message.contains(words) && message.contains(name),
            "{name}: {message}"
        );
    }
    assert_eq!(filings(&app).await, 0);
}

#[tokio::test]
async fn without_configured_anchors_no_signature_is_trusted() {
    let app = TestApp::new().await;
    let me = app.resident(IdentityLevel::Substantial).await;
    let r = file(
        &app,
        &me,
        "a",
        &fixture("pades-valid.pdf"),
        "oswiadczenie.pdf",
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    assert!(
        r.text().contains("signature.untrusted_chain"),
        "{}",
        r.text()
    );
    assert_eq!(filings(&app).await, 0);
}

/// A gmina that requires the statement signed, and only by a qualified signature or the
/// trusted profile, says so in its own copy of the form (`forms_dir`).
#[tokio::test]
async fn a_required_signature_refuses_an_unsigned_file_and_a_kind_not_accepted() {
    let forms = tempfile::tempdir().expect("tempdir");
    let shipped = concat!(env!("CARGO_MANIFEST_DIR"), "/../forms");
    copy_dir(std::path::Path::new(shipped), forms.path());
    let path = forms.path().join("zameldowanie.yaml");
    let text = std::fs::read_to_string(&path).expect("form");
    let strict = text.replacen(
        "        signature:\n          required: false\n          accept: [qualified, trusted_profile, personal]",
        "        signature:\n          required: true\n          accept: [qualified, trusted_profile]",
        1,
    );
    assert_ne!(strict, text, "the shipped form has the rule to change");
    let strict = strict.replacen(
        "        required: true\n        accept: [pdf, jpg, png, xml]\n        max_size_mb: 10\n        max_files: 1\n",
        "        required: true\n        accept: [pdf, xml]\n        max_size_mb: 10\n        max_files: 1\n",
        1,
    );
    std::fs::write(&path, strict).expect("write");
    let dir = forms.path().to_path_buf();
    let app = TestApp::with(|s| {
        trusted(s);
        s.forms_dir = Some(dir);
    })
    .await;
    let me = app.resident(IdentityLevel::Substantial).await;

    let r = file(&app, &me, "a", b"%PDF-1.7 skan", "skan.pdf").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    let e = &r.json()["errors"][0];
    assert_eq!(e["code"], "signature.no_signature", "{e}");
    assert!(
        e["message"]
            .as_str()
            .is_some_and(|m| m.contains("musi być podpisany") && m.contains("art. 28 ust. 2a")),
        "{e}"
    );

    let r = file(&app, &me, "b", &fixture("pades-personal.pdf"), "eid.pdf").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    let e = &r.json()["errors"][0];
    assert_eq!(e["code"], "signature.kind", "{e}");
    assert!(
        e["message"]
            .as_str()
            .is_some_and(|m| m.contains("podpis osobisty")),
        "{e}"
    );
    assert_eq!(filings(&app).await, 0);

    let r = file(&app, &me, "c", &fixture("pz-valid.xml"), "pz.xml").await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
}

fn copy_dir(from: &std::path::Path, to: &std::path::Path) {
    for entry in std::fs::read_dir(from).expect("dir") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("type").is_dir() {
            std::fs::create_dir_all(&target).expect("mkdir");
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).expect("copy");
        }
    }
}

/// Revocation (docs/signatures.md, Revocation): a leaf on its CA's CRL carried in the
/// signature is refused, naming the certificate and the date; a valid one with a CRL in
/// the signature is recorded as checked, without any as not checked, and the clerk sees
/// which.
#[tokio::test]
async fn a_revoked_certificate_refuses_the_filing_and_the_revocation_status_is_recorded() {
    let app = TestApp::with(trusted).await;
    let me = app.resident(IdentityLevel::Substantial).await;
    let r = file(
        &app,
        &me,
        "r",
        &fixture("pades-revoked.pdf"),
        "odwolany.pdf",
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    let errors = r.json()["errors"].clone();
    let e = errors
        .as_array()
        .and_then(|a| a.iter().find(|e| e["path"] == "owner_statement[0]"))
        .unwrap_or_else(|| panic!("{errors}"));
    assert_eq!(e["code"], "signature.revoked", "{errors}");
    let message = e["message"].as_str().unwrap_or_default();
    assert!(
        message.contains("Tomasz Odwołany")
            && message.contains("unieważniono 2026-11-20")
            && message.contains("odwolany.pdf"),
        "{message}"
    );
    assert_eq!(filings(&app).await, 0);

    let r = file(
        &app,
        &me,
        "x",
        &fixture("xades-crl.xml"),
        "oswiadczenie.xml",
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let (detail, sign) = opening(&app, &r.json()).await;
    let revocation = &detail["signatures"][0]["revocation"];
    assert_eq!(revocation["status"], "checked", "{detail}");
    assert_eq!(revocation["crls"][0]["this_update"], "2026-12-01T00:00:00Z");
    let clerk = app.staff("urzednik", "SO").await;
    let page = app
        .get(&format!("/urzad/sprawy/{sign}"), &clerk)
        .await
        .text();
    assert!(
        page.contains("Unieważnienie certyfikatów: sprawdzono"),
        "{page}"
    );
    assert!(
        page.contains("lista CRL wystawcy CN=Testowe Centrum Kwalifikowane"),
        "{page}"
    );

    let r = file(
        &app,
        &me,
        "v",
        &fixture("pades-valid.pdf"),
        "oswiadczenie.pdf",
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let (detail, sign) = opening(&app, &r.json()).await;
    assert_eq!(
        detail["signatures"][0]["revocation"]["status"], "not_checked",
        "{detail}"
    );
    let page = app
        .get(&format!("/urzad/sprawy/{sign}"), &clerk)
        .await
        .text();
    assert!(page.contains("Podpis ważny"), "{page}");
    assert!(
        page.contains("Unieważnienie certyfikatów: nie sprawdzono"),
        "{page}"
    );
}

/// The gmina's CRL directory (`signatures.crl_dir`): a revoked leaf whose signature
/// carries no CRL is refused, and a valid one is checked.
#[tokio::test]
async fn the_crl_directory_revokes_and_checks() {
    let app = TestApp::with(|s| {
        trusted(s);
        s.signatures.crl_dir = Some(format!("{FIXTURES}/trust/crl").into());
    })
    .await;
    let me = app.resident(IdentityLevel::Substantial).await;
    let r = file(&app, &me, "r", &fixture("pades-revoked-bare.pdf"), "o.pdf").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    assert!(r.text().contains("signature.revoked"), "{}", r.text());

    let r = file(&app, &me, "v", &fixture("pades-valid.pdf"), "o.pdf").await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let (detail, _) = opening(&app, &r.json()).await;
    let revocation = &detail["signatures"][0]["revocation"];
    assert_eq!(revocation["status"], "checked", "{detail}");
    assert!(
        revocation["crls"][0]["certificate"]
            .as_str()
            .is_some_and(|c| c.starts_with("CN=Jan Kowalski")),
        "{detail}"
    );
}

/// Signature timestamps (docs/signatures.md, Timestamps): a PAdES-T's trusted time is
/// recorded and shown to the clerk; a revoked leaf stamped before its revocation is taken,
/// one stamped after it refused; a timestamp over other data refuses the filing.
#[tokio::test]
async fn a_signature_timestamp_is_recorded_shown_and_decides_a_later_revocation() {
    let app = TestApp::with(trusted).await;
    let me = app.resident(IdentityLevel::Substantial).await;
    let r = file(&app, &me, "t", &fixture("pades-t.pdf"), "oswiadczenie.pdf").await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let (detail, sign) = opening(&app, &r.json()).await;
    let stamp = &detail["signatures"][0]["timestamp"];
    assert_eq!(stamp["gen_time"], "2026-12-02T10:00:00Z", "{detail}");
    assert!(
        stamp["tsa"]
            .as_str()
            .is_some_and(|t| t.starts_with("CN=Testowy Znacznik Czasu 1")),
        "{detail}"
    );
    let clerk = app.staff("urzednik", "SO").await;
    let page = app
        .get(&format!("/urzad/sprawy/{sign}"), &clerk)
        .await
        .text();
    assert!(
        page.contains("Znacznik czasu: 2026-12-02T10:00:00Z, kwalifikowany znacznik czasu wystawcy CN=Testowy Znacznik Czasu 1"),
        "{page}"
    );

    let r = file(
        &app,
        &me,
        "b",
        &fixture("pades-revoked-t-before.pdf"),
        "o.pdf",
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let (detail, sign) = opening(&app, &r.json()).await;
    let revocation = &detail["signatures"][0]["revocation"];
    assert_eq!(
        revocation["revoked_after_timestamp"][0]["revoked_at"], "2026-11-20T09:30:00Z",
        "{detail}"
    );
    let page = app
        .get(&format!("/urzad/sprawy/{sign}"), &clerk)
        .await
        .text();
    assert!(page.contains("po czasie ze znacznika"), "{page}");

    let r = file(
        &app,
        &me,
        "a",
        &fixture("pades-revoked-t-after.pdf"),
        "o.pdf",
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    assert!(r.text().contains("signature.revoked"), "{}", r.text());

    let r = file(&app, &me, "m", &fixture("pades-t-mismatch.pdf"), "zly.pdf").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    let text = r.text();
    assert!(text.contains("signature.timestamp_invalid"), "{text}");
    assert!(
        text.contains("Znacznik czasu podpisu jest nieważny"),
        "{text}"
    );
}

/// A CRL the administrator's job writes into `crl_dir` while the node runs counts from the
/// node's next look at the directory (`signatures.crl_reload_seconds`; the test looks at
/// once): the revoked leaf filed before it is taken as not checked, after it refused.
#[tokio::test]
async fn a_crl_written_while_the_node_runs_refuses_the_next_filing() {
    let dir = tempfile::tempdir().expect("dir");
    let crl_dir = dir.path().to_path_buf();
    let app = TestApp::with(|s| {
        trusted(s);
        s.signatures.crl_dir = Some(crl_dir.clone());
    })
    .await;
    let me = app.resident(IdentityLevel::Substantial).await;
    let revoked = fixture("pades-revoked-bare.pdf");
    let r = file(&app, &me, "before", &revoked, "o.pdf").await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let (detail, _) = opening(&app, &r.json()).await;
    assert_eq!(
        detail["signatures"][0]["revocation"]["status"], "not_checked",
        "{detail}"
    );

    std::fs::write(dir.path().join("qc.crl"), fixture("crl/qc-current.crl"))
        .expect("write the CRL");
    assert_eq!(app.state.signatures.reload_crls().expect("look"), Some(1));
    let r = file(&app, &me, "after", &revoked, "o.pdf").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    assert!(r.text().contains("signature.revoked"), "{}", r.text());
}

/// `okienko signatures check` loads `[signatures]` as `serve` does: exit 0 when every CRL
/// counts, 1 naming a stale one, 2 when the configuration cannot be loaded.
#[test]
fn signatures_check_exits_on_what_the_administrator_must_mend() {
    let dir = tempfile::tempdir().expect("dir");
    let crl_dir = dir.path().join("crl");
    std::fs::create_dir(&crl_dir).expect("crl dir");
    std::fs::write(crl_dir.join("qc.crl"), fixture("crl/qc-current.crl")).expect("crl");
    let config = dir.path().join("okienko.toml");
    let write_config = |trusted_list: &str| {
        std::fs::write(
            &config,
            format!(
                "data_dir = \"{data}\"\n[signatures]\ntrusted_list = \"{trusted_list}\"\ncrl_dir = \"{crls}\"\n",
                data = dir.path().join("data").display(),
                crls = crl_dir.display(),
            ),
        )
        .expect("config");
    };
    let run = || {
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_okienko"));
        for (k, _) in std::env::vars().filter(|(k, _)| k.starts_with("OKIENKO_")) {
            cmd.env_remove(k);
        }
        let out = cmd
            .arg("--config")
            .arg(&config)
            .args(["signatures", "check"])
            .output()
            .expect("run okienko");
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    write_config(&format!("{FIXTURES}/trust/tsl.xml"));
    let (code, out, err) = run();
    assert_eq!(code, Some(0), "{out}{err}");
    assert!(
        out.contains("counts (signed by the qualified anchor)"),
        "{out}"
    );

    std::fs::write(crl_dir.join("old.crl"), fixture("crl/qc-stale.crl")).expect("crl");
    let (code, out, err) = run();
    assert_eq!(code, Some(1), "{out}{err}");
    assert!(out.contains("PROBLEM: its nextUpdate"), "{out}");
    assert!(out.ends_with("1 problems\n"), "{out}");

    write_config("/nonexistent/tsl.xml");
    let (code, out, err) = run();
    assert_eq!(code, Some(2), "{out}{err}");
    assert!(err.contains("/nonexistent/tsl.xml"), "{err}");
}
