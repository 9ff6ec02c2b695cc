//! Issue 17 §3 without Python: every operation of the OpenAPI document, asked what a client
//! most often gets wrong (no login, a stale bearer token, a body of another content type,
//! malformed JSON), answers only statuses the document lists for it, never a 5xx, and every
//! error as a problem. `scripts/schemathesis` goes much further; this catches the commonest
//! regression (a new handler whose 401 or 415 is not documented) in `cargo test`.

use axum::body::Body;
use axum::http::{Method, Request, header};

use crate::helpers::{TestApp, anon};

/// `path` with every `{param}` replaced by a value of the right shape that names nothing.
fn concrete(path: &str) -> String {
    let mut out = String::new();
    let mut rest = path;
    while let Some(start) = rest.find('{') {
        out.push_str(&rest[..start]);
        let end = rest[start..]
            .find('}')
            .map_or(rest.len(), |e| start + e + 1);
        let name = &rest[start + 1..end - 1];
        out.push_str(match name {
            "year" => "2026",
            "sign" => "OR.1510.1.2026",
            _ => "nope",
        });
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

struct Ask {
    what: &'static str,
    bearer: Option<&'static str>,
    body: Option<(&'static str, &'static str)>,
}

#[tokio::test]
async fn every_operation_answers_only_documented_statuses_as_problems() {
    let app = TestApp::new().await;
    let doc = app.get("/api/openapi.json", "").await.json();
    let asks = [
        Ask {
            what: "anonymous",
            bearer: None,
            body: None,
        },
        Ask {
            what: "a stale bearer token",
            bearer: Some("not-a-token"),
            body: None,
        },
        Ask {
            what: "a text/plain body",
            bearer: None,
            body: Some(("text/plain", "hello")),
        },
        Ask {
            what: "malformed JSON",
            bearer: None,
            body: Some(("application/json", "{\"data\":")),
        },
    ];
    let cookie = anon();
    let mut operations = 0;
    let mut wrong = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        if !path.starts_with("/api/") {
            continue;
        }
        for (method, op) in item.as_object().unwrap() {
            let Ok(m) = Method::from_bytes(method.to_uppercase().as_bytes()) else {
                continue;
            };
            if m == Method::GET && path.ends_with("/live") {
                continue; // an event stream that stays open
            }
            operations += 1;
            let responses = &op["responses"];
            for ask in &asks {
                if ask.body.is_some() && op["requestBody"].is_null() {
                    continue;
                }
                let mut req = Request::builder()
                    .method(m.clone())
                    .uri(concrete(path))
                    .header(header::COOKIE, &cookie);
                if let Some(token) = ask.bearer {
                    req = req.header(header::AUTHORIZATION, format!("Bearer {token}"));
                }
                let body = match ask.body {
                    Some((ct, text)) => {
                        req = req.header(header::CONTENT_TYPE, ct);
                        Body::from(text)
                    }
                    None => Body::empty(),
                };
                let r = app.send(req.body(body).unwrap()).await;
                let status = r.status.as_u16();
                let documented = responses[status.to_string()].is_object();
                let problem = r
                    .headers
                    .get(header::CONTENT_TYPE)
                    .is_some_and(|v| v.as_bytes().starts_with(b"application/problem+json"));
                if r.status.is_server_error()
                    || !documented
                    || (r.status.is_client_error() && !problem)
                {
                    wrong.push(format!(
                        "{method} {path} ({}): {status} {}",
                        ask.what,
                        r.text()
                    ));
                }
            }
        }
    }
    assert!(operations > 100, "{operations} operations");
    assert!(
        wrong.is_empty(),
        "{} answers off the document:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
}
