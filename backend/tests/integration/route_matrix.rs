//! Issue 17 §2: every route's access rules, proven. The rows come from the route table
//! itself (`web::routes::table`, the same rows the router is built from), so a route
//! without a rule cannot exist and cannot be missed here. Each row is called as nine kinds
//! of caller on one world of real objects (resident A's draft, filing, case of unit X with a
//! letter in A's mailbox, a consultation, a budget edition with a project, a council session
//! with a vote, a petition, ...); the expected answer of each comes from the row's `Access`.
//!
//! A row whose path needs an object this world does not build is "unreached": for it the
//! test asserts only that no caller the rule denies gets a 2xx, and nobody a 5xx or 405.

use std::collections::{BTreeSet, HashMap};

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use okienko::auth::api_token::Scope;
use okienko::domain::identity::Role;
use okienko::domain::level::IdentityLevel;
use okienko::web::access::Access;
use okienko::web::routes::{Row, table};
use serde_json::{Value, json};

use crate::helpers::{Resp, TestApp, anon};

/// The nine kinds of caller of issue 17 §2.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Caller {
    Anonymous,
    /// Owns the world's draft, filing, case, letter and project.
    ResidentA,
    ResidentB,
    /// A clerk (the supervisor) of OR, the unit of A's case.
    ClerkX,
    /// A clerk (the supervisor) of FN.
    ClerkY,
    /// radny-1: the council's chair, on the committee.
    Councillor,
    Admin,
    /// An API client holding every scope.
    ClientScoped,
    /// An API client holding none.
    ClientBare,
}

const CALLERS: [Caller; 9] = [
    Caller::Anonymous,
    Caller::ResidentA,
    Caller::ResidentB,
    Caller::ClerkX,
    Caller::ClerkY,
    Caller::Councillor,
    Caller::Admin,
    Caller::ClientScoped,
    Caller::ClientBare,
];

/// What an answer means for access: let through (any status but a denial), or which denial.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Answer {
    Allowed,
    /// 401, or a page's redirect to the login.
    Unauthenticated,
    Forbidden,
    NotFound,
}

/// The answer `access` gives `c`; `object` when the path names an object (which then
/// belongs to resident A, or to unit X).
fn expected(access: Access, c: Caller, object: bool) -> Answer {
    use Answer::{Allowed, Forbidden, NotFound, Unauthenticated};
    use Caller::*;
    let person = !matches!(c, Anonymous | ClientScoped | ClientBare);
    // a role rule: the roles let through, other persons 403, nobody 401
    let role = |ok: &[Caller]| {
        if ok.contains(&c) {
            Allowed
        } else if person {
            Forbidden
        } else {
            Unauthenticated
        }
    };
    match access {
        Access::Public | Access::DevIdp => Allowed,
        Access::OwnerKey => {
            if c == ResidentA {
                Allowed
            } else {
                NotFound
            }
        }
        Access::LoggedIn => {
            if person {
                Allowed
            } else {
                Unauthenticated
            }
        }
        Access::Resident => role(&[ResidentA, ResidentB]),
        Access::Author => role(&[ResidentA]),
        Access::ResidentOwn => match c {
            ResidentB => NotFound,
            _ => role(&[ResidentA]),
        },
        Access::Someone => {
            if c == Anonymous {
                Unauthenticated
            } else {
                Allowed
            }
        }
        Access::OwnObject => match c {
            ResidentA => Allowed,
            _ if !person => Unauthenticated,
            _ => NotFound,
        },
        Access::Mailbox => {
            if c == ResidentA {
                Allowed
            } else {
                NotFound
            }
        }
        Access::UnitMailbox => match c {
            ClerkX | Admin | ClientScoped => Allowed,
            _ => NotFound,
        },
        Access::Cases { .. } => match c {
            Anonymous => Unauthenticated,
            ClerkX | Admin | ClientScoped => Allowed,
            ClerkY if object => NotFound,
            ClerkY => Allowed,
            _ => Forbidden,
        },
        Access::UnitClerk => match c {
            ClerkY if object => NotFound,
            _ => role(&[ClerkX, ClerkY]),
        },
        // the world's councillor chairs the council and sits on its committee
        Access::Councillor | Access::Chair => role(&[Councillor]),
        Access::Committee => role(&[Councillor, Admin]),
        Access::CouncilOffice | Access::Admin => role(&[Admin]),
        Access::Coordinator => role(&[Councillor, Admin]),
        Access::Office => role(&[ClerkX, ClerkY, Admin]),
        // the world's cards are typed in by clerk Y
        Access::SecondClerk => role(&[ClerkX, Admin]),
        Access::Scope(_) => match c {
            ClientScoped => Allowed,
            ClientBare => Forbidden,
            _ => Unauthenticated,
        },
        Access::OwnOrScope(_) => {
            if c == ClientBare {
                Forbidden
            } else {
                Allowed
            }
        }
        Access::MetricsToken => NotFound,
    }
}

/// How a response answers; `Err` for what no caller may ever get (5xx, 405, 429).
fn classify(r: &Resp) -> Result<Answer, String> {
    let to_login = r
        .headers
        .get(header::LOCATION)
        .and_then(|l| l.to_str().ok())
        .is_some_and(|l| l.contains("/auth/login"));
    match r.status {
        StatusCode::UNAUTHORIZED => Ok(Answer::Unauthenticated),
        s if s.is_redirection() && to_login => Ok(Answer::Unauthenticated),
        StatusCode::FORBIDDEN => Ok(Answer::Forbidden),
        StatusCode::NOT_FOUND => Ok(Answer::NotFound),
        StatusCode::METHOD_NOT_ALLOWED | StatusCode::TOO_MANY_REQUESTS => {
            Err(format!("{}", r.status))
        }
        s if s.is_server_error() => Err(format!("{s}: {}", r.text())),
        _ => Ok(Answer::Allowed),
    }
}

/// How a caller authenticates.
struct Credentials {
    cookie: Option<String>,
    bearer: Option<String>,
}

/// The objects of the world, by name; a path parameter is filled from them.
struct World {
    objects: HashMap<&'static str, String>,
    callers: Vec<(Caller, Credentials)>,
}

const MISSING: &str = "00000000-0000-0000-0000-000000000000";

impl World {
    fn get(&self, name: &str) -> Option<&str> {
        self.objects.get(name).map(String::as_str)
    }

    /// `row`'s path with each parameter filled, and whether every object it names exists.
    fn fill(&self, row: &Row) -> (String, bool) {
        let mut reached = true;
        let path = row.path;
        let p = |prefix: &str| path.starts_with(prefix);
        let mut out = Vec::new();
        for seg in path.split('/') {
            let Some(name) = seg.strip_prefix('{').and_then(|s| s.strip_suffix('}')) else {
                out.push(seg.to_owned());
                continue;
            };
            let object: Option<&str> = match name {
                "sign" if p("/api/petitions") || p("/petycje") => self.get("petition"),
                "sign" if p("/api/council/queue") || p("/rada/komisja") => self.get("council_case"),
                // the world's case is OR's public-information request, which has no
                // e-filing document (tax_forms tests it on FN's declarations)
                "sign" if path.ends_with("/efiling.xml") => self.get("tax_case"),
                "sign" => self.get("case"),
                "id" if p("/uslugi-krajowe") => Some("dowod-osobisty"),
                "id" if path.ends_with("/efiling.xsd") => Some("dn-1"),
                "id" if p("/api/services") || p("/uslugi") => Some("informacja-publiczna"),
                "id" if p("/api/drafts") => self.get("draft"),
                "id" if p("/api/receipts") => self.get("receipt"),
                "id" if p("/api/mailboxes") && path.contains("/drafts/") => self.get("unit_draft"),
                "id" if p("/api/mailboxes") => self.get("message"),
                "id" if p("/api/cases") || p("/moje-sprawy") => self.get("document"),
                "id" if p("/api/consultations/requests") || p("/konsultacje/wnioski") => {
                    self.get("request")
                }
                "id" if p("/api/consultations") || p("/konsultacje") || p("/konsole") => {
                    self.get("consultation")
                }
                "id" if p("/api/council") || p("/rada") => self.get("session"),
                "id" if p("/api/budgets") || p("/budzet") => self.get("budget"),
                "id" if p("/api/initiatives") || p("/inicjatywy") => self.get("initiative"),
                "id" if p("/skrzynka") => self.get("message"),
                "id" if p("/urzad/skrzynka") => self.get("unit_message"),
                "address" if row.access == Access::UnitMailbox => self.get("unit_mailbox"),
                "address" => self.get("mailbox"),
                "draft" => self.get("page_draft"),
                "step" => Some("request"),
                "receipt" => self.get("receipt"),
                "kind" => Some("pesel"),
                "value" => Some("44051401359"),
                "year" => self.get("year"),
                "action" => Some("take"),
                "attachment" => self.get("attachment"),
                "evidence" => self.get("evidence"),
                "token" => self.get("subscription"),
                "comment" => self.get("comment"),
                "meeting" => self.get("meeting"),
                "document" => self.get("consultation_document"),
                "entry" if p("/budzet") && path.contains("/listy/") => {
                    self.get("budget_support_entry")
                }
                "entry" if p("/budzet") => self.get("budget_ballot_entry"),
                "entry" if p("/api/budgets") && path.contains("/supports/") => {
                    self.get("budget_support_entry")
                }
                "entry" if p("/api/budgets") => self.get("budget_ballot_entry"),
                "entry" if p("/api/initiatives") => self.get("initiative_entry"),
                "entry" => self.get("consultation_entry"),
                "item" => self.get("item"),
                "vote" => self.get("vote"),
                "login" => Some("staff:radny-1"),
                "project" => self.get("project"),
                "pool" => Some("GMINA"),
                "support" => self.get("initiative_support"),
                "debt" => self.get("debt"),
                "session" => self.get("payment_session"),
                "*path" => Some("okienko.css"),
                _ => None,
            };
            reached &= object.is_some();
            out.push(object.unwrap_or(MISSING).to_owned());
        }
        (out.join("/"), reached)
    }
}

/// A plausible body for each write route, so that a denied caller meets the access check
/// rather than the body's parser; JSON for the API, a form for pages.
fn body(row: &Row, w: &World) -> (&'static str, String) {
    const JSON: &str = "application/json";
    const FORM: &str = "application/x-www-form-urlencoded";
    let mailbox = w.get("mailbox").unwrap_or(MISSING);
    let letter = json!({"recipients": [mailbox], "subject": "Pismo", "body": "Treść."}).to_string();
    let json_body = match (row.method.as_str(), row.path) {
        ("POST", "/api/services/{id}/submissions") => crate::api::INFO.to_owned(),
        ("POST", "/api/services/{id}/validate" | "/api/services/{id}/drafts")
        | ("PUT" | "PATCH", "/api/drafts/{id}") => json!({"data": {}}).to_string(),
        ("POST", "/api/cases/{sign}/actions/{action}") => json!({"version": 999}).to_string(),
        ("POST", "/api/mailboxes/{address}/messages" | "/api/mailboxes/{address}/drafts") => {
            letter
        }
        ("POST", "/api/council/sessions" ) | ("PATCH", "/api/council/sessions/{id}") => json!({"title": "XIII sesja", "starts_at": "2026-12-17T16:00", "place": "Sala sesyjna"}).to_string(),
        ("POST", "/api/council/sessions/{id}/items") => {
            json!({"title": "Uchwała", "majority": "simple"}).to_string()
        }
        ("POST", "/api/council/sessions/{id}/votes") => {
            json!({"item": w.get("item").unwrap_or(MISSING)}).to_string()
        }
        ("PUT", "/api/council/sessions/{id}/votes/{vote}/ballots/{login}") => {
            json!({"choice": "za"}).to_string()
        }
        ("POST", "/api/consultations") | ("PUT", "/api/consultations/{id}") => {
            crate::consultations::save_body(&crate::consultations::consultation(
                "informal_open",
                crate::consultations::today(),
                14,
            ))
        }
        ("POST", "/api/consultations/{id}/comments") => json!({"declaration": {"lives_in_gmina": true, "area": "OS-CENTRUM"}, "anchor": "§ 1", "text": "Uwaga."}).to_string(),
        ("POST", "/api/consultations/{id}/meetings") => json!({"kind": "workshop", "starts_at": "2027-01-20T17:00:00+01:00", "place": "Sala"}).to_string(),
        ("POST", "/api/consultations/{id}/paper" | "/api/budgets/{id}/paper/ballots" | "/api/budgets/{id}/paper/supports" | "/api/initiatives/{id}/paper") => json!({"card": "K-1", "pesel": "02070803628", "data": {"answers": {"popieram": true}, "declaration": {"lives_in_gmina": true, "area": "OS-CENTRUM"}}}).to_string(),
        ("POST", p) if p.ends_with("/reject") => json!({"reason": "nieczytelna"}).to_string(),
        ("POST", "/api/budgets") => json!({"edition": crate::budget::edition()}).to_string(),
        ("PUT", "/api/budgets/{id}") => {
            json!({"edition": crate::budget::edition(), "version": 999}).to_string()
        }
        ("POST", "/api/budgets/{id}/projects") => {
            crate::budget::project("Skwer", "OS-CENTRUM", "150000")
        }
        ("POST", "/api/budgets/{id}/ballots") => {
            json!({"declares_residence": true, "area": "OS-CENTRUM", "choices": {}}).to_string()
        }
        ("PUT", "/api/budgets/{id}/projects/{project}") => json!({"data": {}}).to_string(),
        ("POST", "/api/budgets/{id}/projects/{project}/evaluation") => json!({"stage": "formal", "positive": true, "reasons": "Spełnia wymogi."}).to_string(),
        ("POST", "/api/budgets/{id}/projects/{project}/appeal") => {
            json!({"text": "Odwołanie."}).to_string()
        }
        ("POST", "/api/budgets/{id}/projects/{project}/appeal/decision") => {
            json!({"upheld": false, "reasons": "Bez zmian."}).to_string()
        }
        ("PUT", "/api/budgets/{id}/projects/{project}/conflict-group") => {
            json!({"group": null}).to_string()
        }
        ("POST", "/api/budgets/{id}/projects/{project}/milestones") => json!({"on_day": "2027-05-01", "state": "in_progress", "note": "Rozpoczęto."}).to_string(),
        ("POST", "/api/consultations/requests") => json!({"subject": "Park przy Lipowej", "justification": "Mieszkańcy chcą parku.", "declaration": {"lives_in_gmina": true, "area": "OS-CENTRUM"}}).to_string(),
        ("POST", "/api/consultations/requests/{id}/supports") => {
            json!({"declaration": {"lives_in_gmina": true, "area": "OS-CENTRUM"}}).to_string()
        }
        ("POST", "/api/consultations/{id}/comments/{comment}/reports") => {
            json!({"reason": "obraźliwa"}).to_string()
        }
        ("PUT", "/api/consultations/{id}/comments/{comment}/moderation") => {
            json!({"decision": "publish", "reason": "W porządku."}).to_string()
        }
        ("PUT", "/api/consultations/{id}/comments/{comment}/position") => {
            json!({"position": "rejected", "justification": "Nie."}).to_string()
        }
        ("PUT", "/api/consultations/{id}/answer") => json!({"data": {"popieram": true}, "declaration": {"lives_in_gmina": true, "area": "OS-CENTRUM"}}).to_string(),
        ("POST", "/api/council/sessions/{id}/items/{item}/resolution") => {
            json!({"number": "XIII/1/2026", "text": "Uchwała."}).to_string()
        }
        ("POST", "/api/initiatives") => registration(),
        ("POST", "/api/initiatives/{id}/supports") => {
            json!({"permanent_resident": true, "eu_citizen": true}).to_string()
        }
        ("POST", "/api/petitions/{sign}/cosigners") => json!({"consent": true}).to_string(),
        ("POST", "/api/council/queue/{sign}/opinion") => {
            json!({"version": 999, "opinion": "Zasadna."}).to_string()
        }
        ("PUT", "/api/initiatives/{id}/supports/{support}/verdict") => {
            json!({"accepted": true}).to_string()
        }
        _ => "{}".to_owned(),
    };
    const MULTIPART: &str = "multipart/form-data; boundary=matrix";
    if matches!(
        row.path,
        "/api/mailboxes/{address}/drafts/{id}/attachments"
            | "/api/consultations/{id}/meetings/{meeting}/minutes"
            | "/api/consultations/{id}/documents"
            | "/konsole/konsultacje/{id}/dokumenty"
            | "/moje-sprawy/{sign}/uzupelnij"
            | "/skrzynka/{id}/odpowiedz"
            | "/uslugi/{id}/wniosek/{draft}/zloz"
            | "/urzad/platnosci/wyciag"
    ) {
        (MULTIPART, "--matrix--\r\n".to_owned())
    } else if matches!(
        row.path,
        "/api/initiatives/{id}/register-check" | "/api/consultations/{id}/roster"
    ) {
        ("text/csv", "pesel\n".to_owned())
    } else if row.path.starts_with("/api/") {
        (JSON, json_body)
    } else {
        let form = match row.path {
            "/urzad/sprawy/{sign}/{action}" => "version=999".to_owned(),
            "/rada/sesje/{id}/glosowanie" => format!("item={}", w.get("item").unwrap_or(MISSING)),
            "/rada/komisja/{sign}/porzadek" => format!(
                "session={}&title=Petycja&version=999",
                w.get("session").unwrap_or(MISSING)
            ),
            "/konsole/konsultacje/{id}/stanowiska/{comment}" => {
                "position=rejected&justification=Nie.".to_owned()
            }
            _ => String::new(),
        };
        (FORM, form)
    }
}

/// Clerk X sends A a message with a PDF attached; its attachment id.
async fn letter_with_attachment(
    app: &TestApp,
    clerk: &str,
    unit: &str,
    to: &str,
) -> Option<String> {
    let r = app
        .post_json(
            &format!("/api/mailboxes/{unit}/drafts"),
            clerk,
            None,
            &json!({"recipients": [to], "subject": "Pismo z załącznikiem", "body": "W załączeniu."}).to_string(),
        )
        .await;
    let draft = id_of(&r, "/draftId")?;
    let body = "--matrix\r\nContent-Disposition: form-data; name=\"file\"; filename=\"pismo.pdf\"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.4\n%%EOF\n\r\n--matrix--\r\n";
    let r = send(
        app,
        Request::post(format!("/api/mailboxes/{unit}/drafts/{draft}/attachments"))
            .header(header::COOKIE, clerk)
            .header(header::CONTENT_TYPE, "multipart/form-data; boundary=matrix")
            .body(Body::from(body))
            .expect("request"),
    )
    .await;
    let attachment = id_of(&r, "/attachmentId");
    if attachment.is_none() {
        eprintln!("no attachment: {}", r.text());
    }
    let r = app
        .post_json(
            &format!("/api/mailboxes/{unit}/drafts/{draft}/send"),
            clerk,
            None,
            "",
        )
        .await;
    if !r.status.is_success() {
        eprintln!("draft not sent: {}", r.text());
        return None;
    }
    attachment
}

/// A citizens' committee of five registering a draft resolution.
fn registration() -> String {
    let members: Vec<Value> = (0..5)
        .map(|i| json!({ "name": format!("Członek Komitetu {i}"), "residence": "Przykładowo", "representative": i == 0 }))
        .collect();
    json!({
        "title": "W sprawie nadania nazwy skwerowi przy ulicy Lipowej",
        "draft": "§ 1. Skwerowi położonemu przy ulicy Lipowej nadaje się nazwę Skwer Seniora. § 2. Uchwała wchodzi w życie po upływie 14 dni od dnia ogłoszenia.",
        "justification": "Mieszkańcy osiedla od lat spotykają się na tym skwerze.",
        "members": members,
    })
    .to_string()
}

/// Rows (method, path) whose object this world does not make, and why: checked as
/// unreached.
const NOT_MADE: [(&str, &str, &str); 10] = [
    (
        "GET",
        "/api/consultations/{id}/meetings/{meeting}/minutes",
        "minutes are uploaded after the meeting",
    ),
    (
        "POST",
        "/api/budgets/{id}/projects/{project}/appeal",
        "appeals are taken in their window, after the evaluation",
    ),
    (
        "GET",
        "/api/budgets/{id}/results",
        "the results exist from the edition's results day",
    ),
    (
        "GET",
        "/api/budgets/{id}/results.csv",
        "the results exist from the edition's results day",
    ),
    (
        "GET",
        "/api/budgets/{id}/results.pdf",
        "the results exist from the edition's results day",
    ),
    (
        "GET",
        "/budzet/{id}/wyniki",
        "the results exist from the edition's results day",
    ),
    (
        "GET",
        "/api/consultations/{id}/report",
        "a report exists once published after closing",
    ),
    (
        "GET",
        "/api/consultations/{id}/report.pdf",
        "a report exists once published after closing",
    ),
    (
        "POST",
        "/auth/refresh",
        "test sessions hold no provider refresh token",
    ),
    (
        "POST",
        "/dev-idp/token",
        "needs an authorization code from a login",
    ),
];

async fn call(app: &TestApp, row: &Row, uri: &str, who: &Credentials, w: &World) -> Resp {
    let mut b = Request::builder().method(row.method.clone()).uri(uri);
    if let Some(c) = &who.cookie {
        b = b.header(header::COOKIE, c);
    }
    if let Some(t) = &who.bearer {
        b = b.header(header::AUTHORIZATION, format!("Bearer {t}"));
    }
    let body = if row.method == Method::GET {
        Body::empty()
    } else {
        let (ct, text) = body(row, w);
        b = b
            .header(header::CONTENT_TYPE, ct)
            .header("sec-fetch-site", "same-origin");
        Body::from(text)
    };
    send(app, b.body(body).expect("request")).await
}

/// As `TestApp::send`, but a stream (the council's live view) is answered by its head: its
/// body never ends.
async fn send(app: &TestApp, mut req: Request<Body>) -> Resp {
    use http_body_util::BodyExt;
    use tower::ServiceExt;
    req.extensions_mut()
        .insert(axum::extract::ConnectInfo(std::net::SocketAddr::from((
            [127, 0, 0, 1],
            40000,
        ))));
    let res = app.router.clone().oneshot(req).await.expect("infallible");
    let status = res.status();
    let headers = res.headers().clone();
    let stream = headers
        .get(header::CONTENT_TYPE)
        .is_some_and(|t| t.as_bytes().starts_with(b"text/event-stream"));
    let body = if stream {
        Vec::new()
    } else {
        res.into_body()
            .collect()
            .await
            .expect("body")
            .to_bytes()
            .to_vec()
    };
    Resp {
        status,
        headers,
        body,
    }
}

fn id_of(r: &Resp, pointer: &str) -> Option<String> {
    r.json()
        .pointer(pointer)
        .and_then(Value::as_str)
        .map(str::to_owned)
}

/// Builds the world; an object that cannot be made is left out (its rows are unreached).
async fn world(app: &TestApp) -> World {
    let a = app.resident(IdentityLevel::Substantial).await;
    let b = app.resident_with_pesel("02070803628").await;
    let clerk_x = app.staff("kierownik-or", "OR").await;
    let clerk_y = app.staff("kierownik-fn", "FN").await;
    let councillor = app.with_roles("radny-1", vec![Role::Councillor]).await;
    let admin = app.with_roles("admin-1", vec![Role::Admin]).await;
    let scoped = app.api_token(&Scope::ALL).await;
    let bare = app.api_token(&[]).await;
    let mut o: HashMap<&'static str, String> = HashMap::new();
    o.insert(
        "year",
        okienko::participation::consultations::today()
            .year()
            .to_string(),
    );

    // A's draft and filing: a case of OR, and a letter from it in A's mailbox
    let r = app
        .post_json(
            "/api/services/informacja-publiczna/drafts",
            &a,
            None,
            r#"{"data":{}}"#,
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    o.extend(id_of(&r, "/id").map(|v| ("draft", v)));
    // the pages' own: deleting one and submitting the other both end a draft
    let r = app
        .post_json(
            "/api/services/informacja-publiczna/drafts",
            &a,
            None,
            r#"{"data":{}}"#,
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    o.extend(id_of(&r, "/id").map(|v| ("page_draft", v)));
    let r = app
        .post_json(
            "/api/services/informacja-publiczna/submissions",
            &a,
            Some("matrix-filing"),
            crate::api::INFO,
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    o.extend(id_of(&r, "/receipt/id").map(|v| ("receipt", v)));
    let sign = id_of(&r, "/receipt/claims/registration/case_sign").expect("case sign");
    for (action, body) in [
        ("take", json!({"version": 1})),
        (
            "call_to_supplement",
            json!({"version": 2, "term": "P7D", "items": ["podpis"]}),
        ),
    ] {
        let r = app.act(&clerk_x, &sign, action, body).await;
        assert_eq!(r.status, StatusCode::OK, "{action}: {}", r.text());
    }
    let case = app
        .get(&format!("/api/cases/{sign}"), &clerk_x)
        .await
        .json();
    if let Some(doc) = case["history"].as_array().and_then(|h| {
        h.iter()
            .rev()
            .find_map(|e| e["document_id"].as_str().map(str::to_owned))
    }) {
        o.insert("document", doc);
    }
    o.insert("case", sign);
    let mine = app.get("/api/mailboxes", &a).await;
    let mailbox = id_of(&mine, "/mailboxes/0/address").expect("A's mailbox");
    let unit = app.get("/api/mailboxes", &clerk_x).await;
    let unit_mailbox = id_of(&unit, "/mailboxes/0/address").expect("OR's mailbox");
    // a message from the unit to A with a PDF attached; left out when refused
    if let Some(attachment) = letter_with_attachment(app, &clerk_x, &unit_mailbox, &mailbox).await {
        o.insert("attachment", attachment);
    }
    let r = app
        .get(&format!("/api/mailboxes/{mailbox}/messages"), &a)
        .await;
    if let Some(m) = id_of(&r, "/messages/0/messageId") {
        let ev = app
            .get(
                &format!("/api/mailboxes/{mailbox}/messages/{m}/evidences"),
                &a,
            )
            .await;
        o.extend(id_of(&ev, "/evidences/0/evidenceId").map(|v| ("evidence", v)));
        o.insert("message", m);
    }
    let r = app
        .get(
            &format!("/api/mailboxes/{unit_mailbox}/messages?folder=sent"),
            &clerk_x,
        )
        .await;
    o.extend(id_of(&r, "/messages/0/messageId").map(|v| ("unit_message", v)));
    let r = app
        .post_json(
            &format!("/api/mailboxes/{unit_mailbox}/drafts"),
            &clerk_x,
            None,
            &json!({"recipients": [mailbox], "subject": "Pismo", "body": "Treść."}).to_string(),
        )
        .await;
    o.extend(id_of(&r, "/draftId").map(|v| ("unit_draft", v)));
    o.insert("mailbox", mailbox);
    o.insert("unit_mailbox", unit_mailbox);

    // a consultation with a document uploaded while a draft, then published, with A's comment
    let r = app
        .post_json(
            "/api/consultations",
            &councillor,
            None,
            &crate::consultations::save_body(&crate::consultations::consultation(
                "informal_open",
                crate::consultations::today(),
                14,
            )),
        )
        .await;
    let consultation = id_of(&r, "/id").expect("a consultation");
    let body = "--matrix\r\nContent-Disposition: form-data; name=\"file\"; filename=\"projekt.pdf\"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.4\n%%EOF\n\r\n--matrix--\r\n";
    let r = send(
        app,
        Request::post(format!("/api/consultations/{consultation}/documents"))
            .header(header::COOKIE, &councillor)
            .header(header::CONTENT_TYPE, "multipart/form-data; boundary=matrix")
            .body(Body::from(body))
            .expect("request"),
    )
    .await;
    o.extend(id_of(&r, "/id").map(|v| ("consultation_document", v)));
    let r = app
        .post_json(
            &format!("/api/consultations/{consultation}/publish"),
            &councillor,
            None,
            "",
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let r = app
        .post_json(
            &format!("/api/consultations/{consultation}/comments"),
            &a,
            None,
            &json!({"declaration": {"lives_in_gmina": true, "area": "OS-CENTRUM"}, "anchor": "§ 1", "text": "Uwaga."}).to_string(),
        )
        .await;
    o.extend(id_of(&r, "/id").map(|v| ("comment", v)));
    // a meeting and a paper card typed in by clerk Y; left out when refused
    let r = app
        .post_json(
            &format!("/api/consultations/{consultation}/meetings"),
            &councillor,
            None,
            &json!({"kind": "workshop", "starts_at": "2027-01-20T17:00:00+01:00", "place": "Sala"})
                .to_string(),
        )
        .await;
    if r.status != StatusCode::CREATED {
        eprintln!("no meeting: {}", r.text());
    }
    o.extend(id_of(&r, "/id").map(|v| ("meeting", v)));
    let r = app
        .post_json(
            &format!("/api/consultations/{consultation}/paper"),
            &clerk_y,
            None,
            &json!({"card": "K-1", "pesel": "02070803628", "data": {"answers": {"popieram": true}, "declaration": {"lives_in_gmina": true, "area": "OS-CENTRUM"}}}).to_string(),
        )
        .await;
    if r.status != StatusCode::CREATED {
        eprintln!("no consultation paper card: {}", r.text());
    }
    o.extend(id_of(&r, "/id").map(|v| ("consultation_entry", v)));
    o.insert("consultation", consultation);

    // a budget edition taking proposals, with A's project
    let r = app
        .post_json(
            "/api/budgets",
            &admin,
            None,
            &json!({"edition": crate::budget::edition()}).to_string(),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let budget = id_of(&r, "/id").expect("edition id");
    let project = crate::budget::propose(
        app,
        &format!("/api/budgets/{budget}"),
        &a,
        &crate::budget::project("Skwer", "OS-CENTRUM", "150000"),
    )
    .await;
    let r = app
        .post_json(
            &format!("/api/budgets/{budget}/paper/supports"),
            &clerk_y,
            None,
            &json!({"card": "L-1", "pesel": "02070803628", "data": {"project": project}})
                .to_string(),
        )
        .await;
    o.extend(id_of(&r, "/id").map(|v| ("budget_support_entry", v)));
    o.insert("budget", budget);
    o.insert("project", project);

    // an open council session with an item under vote
    let (session, items) =
        crate::council::open_session(app, &admin, &[("Uchwała w sprawie skweru", "simple")]).await;
    let second = app.with_roles("radny-2", vec![Role::Councillor]).await;
    for who in [&councillor, &second] {
        let r = app
            .post_json(
                &format!("/api/council/sessions/{session}/attendance"),
                who,
                None,
                "",
            )
            .await;
        assert!(r.status.is_success(), "{}", r.text());
    }
    let r = app
        .post_json(
            &format!("/api/council/sessions/{session}/votes"),
            &councillor,
            None,
            &json!({"item": items[0]}).to_string(),
        )
        .await;
    o.extend(id_of(&r, "/current/id").map(|v| ("vote", v)));
    o.insert("item", items[0].clone());
    o.insert("session", session);

    // A's initiative and consultation request
    let r = app
        .post_json("/api/initiatives", &a, None, &registration())
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let initiative = id_of(&r, "/id").expect("initiative id");
    // B's support and a paper list line typed in by clerk Y; left out when refused
    let r = app
        .post_json(
            &format!("/api/initiatives/{initiative}/supports"),
            &b,
            None,
            r#"{"permanent_resident": true, "eu_citizen": true}"#,
        )
        .await;
    if r.status != StatusCode::CREATED {
        eprintln!("no initiative support: {}", r.text());
    }
    let r = app
        .get(&format!("/api/initiatives/{initiative}/supports"), &admin)
        .await;
    o.extend(id_of(&r, "/items/0/id").map(|v| ("initiative_support", v)));
    let r = app
        .post_json(
            &format!("/api/initiatives/{initiative}/paper"),
            &clerk_y,
            None,
            &json!({"card": "1/1", "pesel": "02070803628", "data": {"name": "Maria Lis", "address": "Lipowa 5, Przykładowo", "signed_on": "2026-11-20"}}).to_string(),
        )
        .await;
    o.extend(id_of(&r, "/id").map(|v| ("initiative_entry", v)));
    o.insert("initiative", initiative);
    let r = app
        .post_json(
            "/api/consultations/requests",
            &a,
            None,
            &json!({"subject": "Park przy Lipowej", "justification": "Mieszkańcy chcą parku.", "declaration": {"lives_in_gmina": true, "area": "OS-CENTRUM"}}).to_string(),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    o.extend(id_of(&r, "/id").map(|v| ("request", v)));

    // A's petition
    let petition = app
        .file_example(&a, "petycja", "matrix-petition", |_| {})
        .await;
    o.insert("petition", petition);
    // A's petition to the council: a case of the council office in the committee's queue
    let council_case = app
        .file_example(&a, "petycja", "matrix-council-petition", |d| {
            d["addressee"] = json!("council");
        })
        .await;
    o.insert("council_case", council_case);

    // A's fee (a certificate's stamp duty) and an online payment of it begun
    let certificate = app
        .file_example(&a, "zaswiadczenie-o-niezaleganiu", "matrix-fee", |_| {})
        .await;
    let case = okienko::db::cases::by_sign(&app.state.db, &certificate)
        .await
        .unwrap()
        .unwrap();
    let fee = okienko::db::payments::open_for_case(&app.state.db, &case.id)
        .await
        .unwrap()
        .pop()
        .expect("the certificate's fee");
    let session = uuid::Uuid::now_v7().to_string();
    okienko::db::payments::insert_session(&app.state.db, &session, &fee.id, "p24", fee.amount)
        .await
        .unwrap();
    o.insert("debt", fee.id);
    o.insert("payment_session", session);

    let cookie = |c: &str| Credentials {
        cookie: Some(c.to_owned()),
        bearer: None,
    };
    let callers = vec![
        (Caller::Anonymous, cookie(&anon())),
        (Caller::ResidentA, cookie(&a)),
        (Caller::ResidentB, cookie(&b)),
        (Caller::ClerkX, cookie(&clerk_x)),
        (Caller::ClerkY, cookie(&clerk_y)),
        (Caller::Councillor, cookie(&councillor)),
        (Caller::Admin, cookie(&admin)),
        (
            Caller::ClientScoped,
            Credentials {
                cookie: None,
                bearer: Some(scoped),
            },
        ),
        (
            Caller::ClientBare,
            Credentials {
                cookie: None,
                bearer: Some(bare),
            },
        ),
    ];
    assert_eq!(callers.len(), CALLERS.len());
    World {
        objects: o,
        callers,
    }
}

/// Reads first, then writes; last those that end a session or consume the draft.
fn order(row: &Row) -> u8 {
    let ends = matches!(
        row.path,
        "/auth/logout" | "/auth/refresh" | "/uslugi/{id}/wniosek/{draft}/zloz"
    ) || row.method == Method::DELETE;
    match (row.method == Method::GET, ends) {
        (_, true) => 2,
        (true, false) => 0,
        (false, false) => 1,
    }
}

fn settings(s: &mut okienko::config::Settings) {
    crate::council::council_of(s, 3);
    // the chair sits on the committee too: one councillor answers for both
    s.council.members[0].committee = true;
    s.metrics.token = Some("matrix-metrics-token".into());
    // fees open debts (resident A's certificate's), paid by transfer: no provider
    s.payments.virtual_prefix = Some(crate::payments::PREFIX.into());
    s.limits.validate_per_minute = 100_000;
    s.limits.validate_burst = 100_000;
    s.auth.login_per_minute = 100_000;
    s.auth.login_burst = 100_000;
}

#[tokio::test]
async fn the_table_has_one_row_per_method_and_path() {
    let app = TestApp::with(settings).await;
    let rows = table(&app.state);
    let mut seen = BTreeSet::new();
    for r in &rows {
        assert!(
            seen.insert((r.method.to_string(), r.path)),
            "{} {} is in the table twice",
            r.method,
            r.path
        );
    }
    assert!(rows.len() > 200, "{} rows", rows.len());
}

#[tokio::test]
async fn every_route_answers_every_caller_as_its_rule_says() {
    let app = TestApp::with(settings).await;
    let w = world(&app).await;
    let mut rows = table(&app.state);
    rows.sort_by_key(order);
    let mut wrong = Vec::new();
    let mut unreached = BTreeSet::new();
    let mut calls = 0;
    for row in &rows {
        let (uri, mut reached) = w.fill(row);
        reached &= !NOT_MADE
            .iter()
            .any(|(m, p, _)| *m == row.method.as_str() && *p == row.path);
        if !reached {
            unreached.insert(format!("{} {}", row.method, row.path));
        }
        let object = row.path.contains('{');
        // the callers the rule denies first, so an allowed write cannot change their answer
        let mut callers: Vec<&(Caller, Credentials)> = w.callers.iter().collect();
        callers.sort_by_key(|(c, _)| expected(row.access, *c, object) == Answer::Allowed);
        for (caller, creds) in callers {
            let want = expected(row.access, *caller, object);
            let r = call(&app, row, &uri, creds, &w).await;
            calls += 1;
            let got = classify(&r);
            let ok = match (&got, reached) {
                (Err(_), _) => false,
                (Ok(g), true) => *g == want,
                // unreached: a denied caller must not get through
                (Ok(_), false) => want == Answer::Allowed || !r.status.is_success(),
            };
            if !ok {
                wrong.push(format!(
                    "{} {} ({uri}) as {caller:?}: want {want:?} under {:?}, got {} {:?}: {}",
                    row.method,
                    row.path,
                    row.access,
                    r.status,
                    got,
                    r.text().chars().take(160).collect::<String>()
                ));
            }
        }
    }
    eprintln!(
        "route matrix: {} rows, {calls} calls, {} unreached:\n  {}",
        rows.len(),
        unreached.len(),
        unreached.into_iter().collect::<Vec<_>>().join("\n  ")
    );
    assert!(
        wrong.is_empty(),
        "{} answers differ from the table:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
}
