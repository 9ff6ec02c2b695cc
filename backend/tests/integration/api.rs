use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use okienko::domain::level::IdentityLevel;
use serde_json::json;

use crate::helpers::{TestApp, anon, file_info};

pub const INFO: &str = r#"{"data":{"request":"Proszę o rejestr umów za 2025 r.","access_form":"electronic","delivery":"email","email":"a@example.org"}}"#;

#[tokio::test]
async fn health_catalogue_and_search() {
    let app = TestApp::new().await;
    assert_eq!(app.get("/healthz", "").await.status, StatusCode::OK);
    // every form loaded, two of them filed from their pages only (initiative, consultation
    // request)
    let loaded = app.state.catalogue.services.len();
    assert!(loaded >= 18, "{loaded}");
    assert_eq!(app.get("/readyz", "").await.json()["forms"], loaded);
    let all = app.get("/api/services", "").await.json();
    assert_eq!(all["items"].as_array().map(Vec::len), Some(loaded - 2));
    let found = app.get("/api/services?q=zgromadzeniu", "").await.json();
    assert_eq!(found["items"][0]["id"], "zgromadzenie");
    let en = app
        .send(
            Request::get("/api/services/petycja")
                .header(header::ACCEPT_LANGUAGE, "en")
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .json();
    assert_eq!(en["title"], "Petition");
    assert_eq!(
        app.get("/api/services/nope", "").await.status,
        StatusCode::NOT_FOUND
    );
    let schema = app.get("/api/services/dn-1/schema", "").await.json();
    assert_eq!(
        schema["$schema"],
        "https://json-schema.org/draft/2020-12/schema"
    );
    assert_eq!(schema["properties"]["zdn1"]["type"], "array");
    let openapi = app.get("/api/openapi.json", "").await.json();
    assert!(openapi["paths"]["/api/services/{id}/submissions"]["post"].is_object());
}

#[tokio::test]
async fn identifiers() {
    let app = TestApp::new().await;
    let ok = app
        .get("/api/identifiers/pesel/44051401359", "")
        .await
        .json();
    assert_eq!(ok["valid"], true);
    assert_eq!(ok["details"]["birth_date"], "1944-05-14");
    assert_eq!(ok["details"]["sex"], "male");
    let bad = app
        .get("/api/identifiers/pesel/44051401358", "")
        .await
        .json();
    assert_eq!(bad["valid"], false);
    assert_eq!(bad["errors"][0]["code"], "pesel.checksum");
    let ade = app
        .get("/api/identifiers/ade/AE:PL-30275-59799-JADHJ-28", "")
        .await
        .json();
    assert_eq!(
        (ade["valid"].clone(), ade["warnings"][0]["code"].clone()),
        (json!(true), json!("ade.check_pair"))
    );
    assert_eq!(
        app.get("/api/identifiers/nip/PL8567346215", "")
            .await
            .json()["normalized"],
        "8567346215"
    );
    assert_eq!(
        app.get("/api/identifiers/iban/1", "").await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn validate_computes_exact_tax_and_reports_every_error() {
    let app = TestApp::new().await;
    let body = json!({"data": {"year": 2026, "purpose": "declaration", "from_month": 1, "filer_type": "legal_person", "entity_type": "owner", "name": "Spółka",
        "nip": "8567346215", "address": {"building": "1", "postal_code": "64-530", "locality": "X"}, "email": "a@example.pl",
        "has_exemptions": false, "zdn1": [{"category": "land_business", "location": "A", "base": "1234.5678"}, {"category": "structures", "location": "B", "base": "1700"}]}});
    let r = app
        .post_json(
            "/api/services/dn-1/validate",
            &anon(),
            None,
            &body.to_string(),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    let v = r.json();
    assert_eq!(v["valid"], true, "{v}");
    assert_eq!(v["computed"]["total_tax"], "1515");
    let r = app
        .post_json(
            "/api/services/dn-1/validate",
            &anon(),
            None,
            r#"{"data":{"year":"abc","zdn1":[{"base":"1.23456"}]}}"#,
        )
        .await;
    let v = r.json();
    assert_eq!(v["valid"], false);
    let codes: Vec<(String, String)> = v["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["path"].as_str().unwrap().to_owned(),
                e["code"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert!(
        codes.contains(&("year".into(), "integer".into())),
        "{codes:?}"
    );
    assert!(
        codes.contains(&("zdn1[0].base".into(), "scale".into())),
        "{codes:?}"
    );
    assert!(
        codes.contains(&("nip".into(), "required".into())),
        "{codes:?}"
    );
    let year = v["errors"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["path"] == "year")
        .unwrap();
    assert_eq!(year["message"], "Wpisz liczbę całkowitą.");
    // the validate endpoint takes at most the JSON limit
    let huge = format!(
        "{{\"data\":{{\"name\":\"{}\"}}}}",
        "x".repeat(10 * 1024 * 1024)
    );
    assert_eq!(
        app.post_json("/api/services/dn-1/validate", &anon(), None, &huge)
            .await
            .status,
        StatusCode::PAYLOAD_TOO_LARGE
    );
}

#[tokio::test]
async fn anonymous_filing_receipt_idempotency_and_ownership() {
    let app = TestApp::new().await;
    let me = anon();
    let r = app
        .post_json(
            "/api/services/informacja-publiczna/submissions",
            &me,
            Some("key-1"),
            INFO,
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let first = r.json();
    let id = first["receipt"]["id"].as_str().unwrap().to_owned();
    // a retry returns the same receipt and files nothing twice
    let again = app
        .post_json(
            "/api/services/informacja-publiczna/submissions",
            &me,
            Some("key-1"),
            INFO,
        )
        .await;
    assert_eq!(again.status, StatusCode::OK);
    assert_eq!(again.json()["receipt"]["id"], id.as_str());
    use sea_orm::{EntityTrait, PaginatorTrait};
    assert_eq!(
        okienko::db::entity::submission::Entity::find()
            .count(&app.state.db)
            .await
            .unwrap(),
        1
    );
    // the same key for another body is a conflict
    let other = INFO.replace("2025", "2024");
    assert_eq!(
        app.post_json(
            "/api/services/informacja-publiczna/submissions",
            &me,
            Some("key-1"),
            &other
        )
        .await
        .status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    // the receipt verifies against the published keys
    let jwks = app.get("/.well-known/jwks.json", "").await.json();
    let claims = okienko::receipt::verify::verify(first["receipt"]["jws"].as_str().unwrap(), &jwks)
        .expect("valid signature");
    assert_eq!(claims.service.id, "informacja-publiczna");
    assert_eq!(claims.applicant.level, "none");
    assert_eq!(claims.digest.alg, "SHA3-256");
    // a tampered receipt does not
    let jws = first["receipt"]["jws"].as_str().unwrap();
    let mut parts: Vec<&str> = jws.split('.').collect();
    let forged =
        okienko::receipt::claims::canonical_json(&json!({"iss": "x", "sub": "y", "iat": 1}));
    let forged = base64::Engine::encode(&base64::engine::general_purpose::URL_SAFE_NO_PAD, forged);
    parts[1] = &forged;
    assert!(okienko::receipt::verify::verify(&parts.join("."), &jwks).is_err());
    // the owner reads it as JSON and PDF; anyone else gets 404
    assert_eq!(
        app.get(&format!("/api/receipts/{id}"), &me).await.json()["id"],
        id.as_str()
    );
    let pdf = app.get(&format!("/api/receipts/{id}.pdf"), &me).await;
    assert_eq!(pdf.status, StatusCode::OK);
    assert!(pdf.body.starts_with(b"%PDF"));
    assert_eq!(
        app.get(&format!("/api/receipts/{id}"), &anon())
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get("/api/receipts/UPO-2026-XYZ", &me).await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn identity_level_prefill_and_multipart_attachments() {
    let app = TestApp::new().await;
    let data = json!({"stay_kind": "permanent", "arrival_date": okienko::domain::clock::in_poland(time::OffsetDateTime::now_utc()).date().to_string(),
        "address": {"building": "5", "postal_code": "64-530", "locality": "Przykładowo"}, "has_title": true});
    let multipart = |file: &[u8], name: &str| {
        let mut body = Vec::new();
        body.extend_from_slice(b"--XX\r\nContent-Disposition: form-data; name=\"data\"\r\n\r\n");
        body.extend_from_slice(json!({"data": data}).to_string().as_bytes());
        body.extend_from_slice(format!("\r\n--XX\r\nContent-Disposition: form-data; name=\"title_document\"; filename=\"{name}\"\r\nContent-Type: application/pdf\r\n\r\n").as_bytes());
        body.extend_from_slice(file);
        body.extend_from_slice(b"\r\n--XX--\r\n");
        body
    };
    let req = |cookie: &str, key: &str, body: Vec<u8>| {
        Request::post("/api/services/zameldowanie/submissions")
            .header(header::CONTENT_TYPE, "multipart/form-data; boundary=XX")
            .header(header::COOKIE, cookie)
            .header("idempotency-key", key)
            .body(Body::from(body))
            .unwrap()
    };
    // anonymous: 401
    assert_eq!(
        app.send(req(&anon(), "a", multipart(b"%PDF-1.7 x", "umowa.pdf")))
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
    // level low is below substantial: 401
    let low = app.resident(IdentityLevel::Low).await;
    assert_eq!(
        app.send(req(&low, "a", multipart(b"%PDF-1.7 x", "umowa.pdf")))
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
    let me = app.resident(IdentityLevel::Substantial).await;
    // a PNG declared as PDF is refused
    let r = app
        .send(req(
            &me,
            "b",
            multipart(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR", "umowa.pdf"),
        ))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    assert_eq!(r.json()["errors"][0]["code"], "file.content");
    let r = app
        .send(req(&me, "c", multipart(b"%PDF-1.7 real", "umowa.pdf")))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let claims = &r.json()["receipt"]["claims"];
    assert_eq!(claims["applicant"]["pesel"], "44051401359");
    assert_eq!(claims["applicant"]["level"], "substantial");
    assert_eq!(
        claims["attachments"][0]["sha3_256"],
        okienko::receipt::claims::sha3_hex(b"%PDF-1.7 real")
    );
    // prefilled fields come from the identity and cannot be changed
    let mut changed = data.clone();
    changed["pesel"] = json!("90090515836");
    let r = app
        .post_json(
            "/api/services/zameldowanie/validate",
            &me,
            None,
            &json!({"data": changed}).to_string(),
        )
        .await;
    assert!(
        r.json()["errors"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["path"] == "pesel" && e["code"] == "prefill.locked")
    );
}

#[tokio::test]
async fn bad_input_gets_specific_4xx_and_never_500() {
    let app = TestApp::new().await;
    let me = anon();
    let cases: Vec<(String, Option<&str>, StatusCode, &str)> = vec![
        ("{not json".into(), Some("k"), StatusCode::BAD_REQUEST, "json.syntax"),
        ("[1,2]".into(), Some("k"), StatusCode::BAD_REQUEST, "json.shape"),
        (r#"{"data": 5}"#.into(), Some("k"), StatusCode::BAD_REQUEST, "data.type"),
        (r#"{"data": {}, "extra": 1}"#.into(), Some("k"), StatusCode::BAD_REQUEST, "body.unknown_field"),
        (INFO.into(), None, StatusCode::BAD_REQUEST, "idempotency_key.missing"),
        (format!("{{\"data\":{{\"request\":\"{}\",\"access_form\":\"electronic\",\"delivery\":\"pickup\"}}}}", "x".repeat(10 * 1024 * 1024)), Some("k"), StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large"),
        (format!("{{\"data\":{{\"request\":\"{}\",\"access_form\":\"electronic\",\"delivery\":\"pickup\"}}}}", "x".repeat(100_000)), Some("k"), StatusCode::UNPROCESSABLE_ENTITY, "validation_failed"),
        (format!("{{\"data\":{}{}}}", "[".repeat(5000), "]".repeat(5000)), Some("k"), StatusCode::BAD_REQUEST, "json.syntax"),
        (r#"{"data":{"request":123,"access_form":"electronic","delivery":"email","email":"a@example.org"}}"#.into(), Some("k2"), StatusCode::UNPROCESSABLE_ENTITY, "validation_failed"),
    ];
    for (body, key, status, code) in cases {
        let r = app
            .post_json(
                "/api/services/informacja-publiczna/submissions",
                &me,
                key,
                &body,
            )
            .await;
        assert_eq!(r.status, status, "{}", &r.text()[..r.text().len().min(200)]);
        assert_eq!(r.json()["error"]["code"], code);
    }
    let r = app
        .post_json("/api/services/nope/submissions", &me, Some("k"), INFO)
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = app
        .post_json(
            "/api/services/informacja-publiczna/submissions?version=7",
            &me,
            Some("k"),
            INFO,
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let broken = Request::post("/api/services/informacja-publiczna/submissions")
        .header(header::CONTENT_TYPE, "multipart/form-data; boundary=XX")
        .header("idempotency-key", "m")
        .body(Body::from(
            "--XX\r\nContent-Disposition: form-data; name=\"data\"\r\n\r\n{\"da",
        ))
        .unwrap();
    let r = app.send(broken).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.text());
    // nothing saved before is lost
    let ok = app
        .post_json(
            "/api/services/informacja-publiczna/submissions",
            &me,
            Some("good"),
            INFO,
        )
        .await;
    assert_eq!(ok.status, StatusCode::CREATED);
    let id = ok.json()["receipt"]["id"].as_str().unwrap().to_owned();
    assert_eq!(
        app.get(&format!("/api/receipts/{id}"), &me).await.status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn drafts_belong_to_their_owner() {
    let app = TestApp::new().await;
    let me = anon();
    let r = app
        .post_json(
            "/api/services/in-1/drafts",
            &me,
            None,
            r#"{"data":{"purpose":"information"}}"#,
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED);
    let id = r.json()["id"].as_str().unwrap().to_owned();
    let patch = Request::patch(format!("/api/drafts/{id}"))
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::COOKIE, &me)
        .body(Body::from(r#"{"data":{"has_co_owners":true}}"#))
        .unwrap();
    let r = app.send(patch).await;
    assert_eq!(
        r.json()["data"],
        json!({"purpose": "information", "has_co_owners": true})
    );
    assert_eq!(
        app.get(&format!("/api/drafts/{id}"), &me).await.status,
        StatusCode::OK
    );
    let stranger = anon();
    assert_eq!(
        app.get(&format!("/api/drafts/{id}"), &stranger)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let del = |c: &str| {
        Request::delete(format!("/api/drafts/{id}"))
            .header(header::COOKIE, c)
            .body(Body::empty())
            .unwrap()
    };
    assert_eq!(app.send(del(&stranger)).await.status, StatusCode::NOT_FOUND);
    assert_eq!(app.send(del(&me)).await.status, StatusCode::NO_CONTENT);
    assert_eq!(
        app.get(&format!("/api/drafts/{id}"), &me).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get("/api/drafts/not-a-uuid", &me).await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_node_above_capacity_refuses_at_once_with_retry_after_and_loses_nothing() {
    let app = TestApp::with(|s| {
        s.limits.max_in_flight = 1;
        s.limits.max_queued = 1;
        s.limits.max_queue_wait_ms = 60_000;
    })
    .await;
    // the one slot is taken by a filing that waits on the held committer, and a second
    // filing waits for the slot
    let paused = app.state.committer.pause().await;
    let filing = |key: &str| tokio::spawn(file_info(app.router.clone(), anon(), key.into()));
    let first = filing("first");
    while app.state.committer.waiting() < 1 {
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }
    let second = filing("second");
    while app.state.admission.queued() < 1 {
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }
    assert_eq!(app.state.admission.in_flight(), 1);
    // a third request finds the slot taken and the queue full: 503 at once, with when to
    // come back, in the one error format
    let r = app.get("/api/services", &anon()).await;
    assert_eq!(r.status, StatusCode::SERVICE_UNAVAILABLE, "{}", r.text());
    assert_eq!(r.json()["error"]["code"], "overloaded");
    assert_eq!(r.headers["retry-after"], "1");
    // health checks never wait
    assert_eq!(app.get("/healthz", "").await.status, StatusCode::OK);
    // once the writes go on, both waiting filings are written
    drop(paused);
    assert_eq!(first.await.unwrap().status, StatusCode::CREATED);
    assert_eq!(second.await.unwrap().status, StatusCode::CREATED);
    assert_eq!(
        app.get("/api/services", &anon()).await.status,
        StatusCode::OK
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_request_that_waited_too_long_for_a_slot_is_refused_and_the_working_one_finishes() {
    let app = TestApp::with(|s| {
        s.limits.max_in_flight = 1;
        s.limits.max_queued = 8;
        s.limits.max_queue_wait_ms = 300;
    })
    .await;
    let paused = app.state.committer.pause().await;
    let first = tokio::spawn(file_info(app.router.clone(), anon(), "first".into()));
    while app.state.committer.waiting() < 1 {
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }
    // a second request finds the slot taken and a place in the queue, waits its 300 ms
    // there, and is refused with when to come back
    let started = std::time::Instant::now();
    let r = app.get("/api/services", &anon()).await;
    let waited = started.elapsed();
    assert_eq!(r.status, StatusCode::SERVICE_UNAVAILABLE, "{}", r.text());
    assert_eq!(r.json()["error"]["code"], "overloaded");
    assert_eq!(r.headers["retry-after"], "1");
    assert!(
        waited >= std::time::Duration::from_millis(300),
        "refused after {waited:?}, before its wait was up"
    );
    assert_eq!(app.state.admission.queued(), 0, "it left the queue");
    // the filing that held the slot is written once the writes go on
    drop(paused);
    assert_eq!(first.await.unwrap().status, StatusCode::CREATED);
    assert_eq!(
        app.get("/api/services", &anon()).await.status,
        StatusCode::OK
    );
}

/// A queue that has stood, never empty, for the long bound means the node is past its
/// capacity: a new request then waits the short bound only, and once the queue has emptied
/// the long bound is back (a burst passes).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn once_the_queue_has_stood_for_its_long_wait_a_new_request_waits_the_short_one() {
    use std::time::{Duration, Instant};
    let app = TestApp::with(|s| {
        s.limits.max_in_flight = 1;
        s.limits.max_queued = 8;
        s.limits.max_queue_wait_ms = 600;
        s.limits.standing_queue_wait_ms = 50;
    })
    .await;
    let paused = app.state.committer.pause().await;
    let first = tokio::spawn(file_info(app.router.clone(), anon(), "first".into()));
    while app.state.committer.waiting() < 1 {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let waiting = |app: &TestApp| {
        let router = app.router.clone();
        tokio::spawn(async move {
            let started = Instant::now();
            let req = Request::get("/api/services")
                .header(header::COOKIE, anon())
                .body(Body::empty())
                .expect("request");
            let r = crate::helpers::send_to(router, req).await;
            (r.status, started.elapsed())
        })
    };
    // a joins an empty queue (the long bound); b joins 300 ms later, before a leaves, so the
    // queue has not been empty since a came
    let t0 = Instant::now();
    let a = waiting(&app);
    tokio::time::sleep(Duration::from_millis(300)).await;
    let b = waiting(&app);
    // 650 ms after a came: a has been refused after its 600 ms, b still waits
    tokio::time::sleep(Duration::from_millis(650).saturating_sub(t0.elapsed())).await;
    let c = waiting(&app);
    let (status, waited) = c.await.unwrap();
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(
        waited < Duration::from_millis(400),
        "c waited {waited:?}: the queue stood, so it should have had the short bound"
    );
    let (status, waited) = a.await.unwrap();
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(waited >= Duration::from_millis(600), "a waited {waited:?}");
    let (status, waited) = b.await.unwrap();
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(waited >= Duration::from_millis(600), "b waited {waited:?}");
    // the queue is empty again: the next request has the long bound
    let (status, waited) = waiting(&app).await.unwrap();
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(waited >= Duration::from_millis(600), "d waited {waited:?}");
    drop(paused);
    assert_eq!(first.await.unwrap().status, StatusCode::CREATED);
}

/// Every API rejection, the framework's own included, is an RFC 9457 problem with a stable
/// `type`: an unknown route, a method the route lacks, a malformed JSON body, a wrong
/// content type, a bad query string, a malformed path parameter, a cross-site write.
#[tokio::test]
async fn every_api_rejection_is_a_problem_json_with_a_stable_type() {
    use axum::body::Body;
    use axum::http::{Method, Request, header};
    let app = TestApp::new().await;
    let clerk = app.staff("kierownik-or", "OR").await;
    let req = |method: Method, uri: &str, ct: Option<&str>, body: &str| {
        let mut b = Request::builder()
            .method(method)
            .uri(uri)
            .header(header::COOKIE, clerk.clone())
            .header("sec-fetch-site", "same-origin");
        if let Some(ct) = ct {
            b = b.header(header::CONTENT_TYPE, ct);
        }
        b.body(Body::from(body.to_owned())).unwrap()
    };
    let cases = [
        (
            req(Method::GET, "/api/nothing-here", None, ""),
            404,
            "not_found",
        ),
        (
            req(Method::DELETE, "/api/services", None, ""),
            405,
            "method_not_allowed",
        ),
        (
            req(
                Method::POST,
                "/api/services/informacja-publiczna/validate",
                Some("application/json"),
                "{not json",
            ),
            400,
            "",
        ),
        (
            req(
                Method::POST,
                "/api/services/informacja-publiczna/validate",
                Some("text/plain"),
                "x",
            ),
            415,
            "",
        ),
        (req(Method::GET, "/api/cases?limit=lots", None, ""), 400, ""),
    ];
    for (request, status, code) in cases {
        let uri = request.uri().to_string();
        let r = app.send(request).await;
        assert_eq!(r.status.as_u16(), status, "{uri}: {}", r.text());
        assert_eq!(
            r.headers
                .get(header::CONTENT_TYPE)
                .map(|v| v.to_str().unwrap()),
            Some("application/problem+json"),
            "{uri}"
        );
        let p = r.json();
        assert_eq!(p["status"], status, "{uri}: {p}");
        let ty = p["type"].as_str().unwrap();
        assert!(ty.starts_with("urn:okienko:problem:"), "{uri}: {p}");
        assert_eq!(
            ty,
            format!("urn:okienko:problem:{}", p["code"].as_str().unwrap())
        );
        assert!(
            p["detail"].as_str().is_some_and(|d| !d.is_empty()),
            "{uri}: {p}"
        );
        if !code.is_empty() {
            assert_eq!(p["code"], code, "{uri}: {p}");
        }
    }
    // a cross-site write is refused as a problem too
    let r = app
        .send(
            Request::post("/api/services/informacja-publiczna/validate")
                .header(header::CONTENT_TYPE, "application/json")
                .header("sec-fetch-site", "cross-site")
                .body(Body::from("{}"))
                .unwrap(),
        )
        .await;
    assert!(r.status.is_client_error());
    assert_eq!(
        r.headers
            .get(header::CONTENT_TYPE)
            .map(|v| v.to_str().unwrap()),
        Some("application/problem+json")
    );
}
