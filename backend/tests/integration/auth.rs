//! Logging in through the development identity provider over real HTTP (the same OIDC
//! client production uses), sessions, logout, step-up, staff roles, failures, rate
//! limits and API clients.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};

use crate::helpers::{Browser, Resp, TestApp};

/// Logs `b` in with `provider` as the dev IdP persona `hint`, from `return_to`.
pub(crate) async fn login(
    b: &mut Browser<'_>,
    provider: &str,
    hint: &str,
    extra: &str,
) -> (Resp, String) {
    let start = b
        .get(&format!(
            "/auth/login?provider={provider}&login_hint={hint}&return_to=/uslugi{extra}"
        ))
        .await;
    assert_eq!(start.status, StatusCode::SEE_OTHER, "{}", start.text());
    let to_idp = start.location();
    assert!(to_idp.contains("/dev-idp/authorize?"), "{to_idp}");
    assert!(to_idp.contains("code_challenge_method=S256"), "{to_idp}");
    assert!(to_idp.contains("nonce="), "{to_idp}");
    let mut back = b.get(&to_idp).await;
    if back.status == StatusCode::OK && back.text().contains("name=\"totp\"") {
        // a staff persona: the second factor, as an authenticator app computes it
        back = totp_step(b, &to_idp, hint, &code_of(&back)).await;
    }
    assert_eq!(back.status, StatusCode::SEE_OTHER, "{}", back.text());
    let callback = back.location();
    assert!(callback.contains("/auth/callback?code="), "{callback}");
    (b.get(&callback).await, callback)
}

/// The current TOTP code for the key the dev IdP's second step shows.
fn code_of(step: &Resp) -> String {
    let page = step.text();
    let start = page.find("id=\"totp-secret\">").unwrap() + "id=\"totp-secret\">".len();
    let secret = &page[start..start + page[start..].find('<').unwrap()];
    totp_rs::Builder::new()
        .with_secret(totp_rs::Secret::try_from_base32(secret).unwrap())
        .build()
        .unwrap()
        .generate_current()
        .to_string()
}

/// Answers the dev IdP's TOTP step of the authorization request `to_idp` for `persona`.
async fn totp_step(b: &mut Browser<'_>, to_idp: &str, persona: &str, code: &str) -> Resp {
    let query = to_idp.split_once('?').unwrap().1;
    b.post_form(
        "/dev-idp/authorize",
        &format!("{query}&persona={persona}&totp={code}"),
    )
    .await
}

async fn me(b: &mut Browser<'_>) -> Resp {
    b.get("/api/me").await
}

#[tokio::test]
async fn a_resident_logs_in_keeps_the_anonymous_draft_and_logs_out_on_both_sides() {
    let app = TestApp::new().await;
    let mut b = Browser::new(&app);
    assert_eq!(me(&mut b).await.status, StatusCode::UNAUTHORIZED);
    // a draft started before logging in
    let r = b.get("/").await;
    assert_eq!(r.status, StatusCode::OK);
    let created = app
        .post_json(
            "/api/services/informacja-publiczna/drafts",
            &b.cookie_header(),
            None,
            r#"{"data":{}}"#,
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text());
    let draft = created.json()["id"].as_str().unwrap().to_owned();

    let (done, _) = login(&mut b, "national", "jan", "").await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.text());
    assert_eq!(done.location(), "/uslugi");
    let set_cookie = done
        .headers
        .get_all(header::SET_COOKIE)
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .find(|c| c.starts_with("okienko_session="))
        .expect("a session cookie");
    assert!(set_cookie.contains("HttpOnly") && set_cookie.contains("SameSite=Lax"));

    let who = me(&mut b).await;
    assert_eq!(who.status, StatusCode::OK);
    let who = who.json();
    assert_eq!(who["name"], "Jan Kowalski");
    assert_eq!(who["pesel"], "44051401359");
    assert_eq!(who["level"], "substantial");
    assert_eq!(who["roles"], serde_json::json!(["resident"]));
    // the draft followed the resident into the session
    let d = b.get(&format!("/api/drafts/{draft}")).await;
    assert_eq!(d.status, StatusCode::OK, "{}", d.text());
    // the page header shows who is logged in
    let page = b.get("/").await.text();
    assert!(page.contains("Jan Kowalski"), "{page}");

    // logout: the session ends here and the browser goes to the provider's end-session
    let out = b.post_form("/auth/logout", "").await;
    assert_eq!(out.status, StatusCode::SEE_OTHER);
    let end = out.location();
    assert!(end.contains("/dev-idp/logout?"), "{end}");
    assert!(end.contains("id_token_hint="), "{end}");
    assert_eq!(me(&mut b).await.status, StatusCode::UNAUTHORIZED);
    let back = b.get(&end).await;
    assert_eq!(back.status, StatusCode::SEE_OTHER);
    assert!(back.location().ends_with("/?wylogowano=1"));
}

#[tokio::test]
async fn a_replayed_state_a_wrong_issuer_and_a_forged_code_are_refused_with_a_clear_page() {
    let app = TestApp::new().await;
    let mut b = Browser::new(&app);
    let start = b.get("/auth/login?provider=national&login_hint=anna").await;
    let callback = b.get(&start.location()).await.location();
    let done = b.get(&callback).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER);
    // the same callback again (the back button), with the login cookie: the state was used
    let replay = b.get(&callback).await;
    assert_eq!(replay.status, StatusCode::BAD_REQUEST);
    assert!(replay.text().contains("unknown_state"), "{}", replay.text());
    assert!(replay.text().contains("wygasł albo został już użyty"));

    // a callback naming another issuer (RFC 9207)
    let start = b.get("/auth/login?provider=national&login_hint=anna").await;
    let cb = b.get(&start.location()).await.location();
    let forged = cb.replace("iss=", "iss=https%3A%2F%2Fevil.example&x=");
    let r = b.get(&forged).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.text().contains("issuer_mismatch"), "{}", r.text());

    // a code the provider never issued
    let start = b.get("/auth/login?provider=national&login_hint=anna").await;
    let cb = b.get(&start.location()).await.location();
    let (head, tail) = cb.split_once("code=").unwrap();
    let rest = tail.split_once('&').map(|(_, r)| r).unwrap_or("");
    let r = b.get(&format!("{head}code=forged&{rest}")).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.text().contains("exchange"), "{}", r.text());

    // the person cancels at the provider
    let start = b.get("/auth/login?provider=national").await;
    let q = start.location();
    let query = q.split_once('?').unwrap().1;
    let cancelled = b
        .post_form(
            "/dev-idp/authorize",
            &format!("{query}&persona=anna&cancel=1"),
        )
        .await;
    let r = b.get(&cancelled.location()).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert!(r.text().contains("cancelled"), "{}", r.text());
}

/// Login CSRF: an attacker starts a login as themselves, stops at the callback URL and
/// makes the victim's browser open it. The victim's browser lacks the login cookie, or has
/// one from a login of its own: either way nobody is logged in.
#[tokio::test]
async fn a_callback_opened_in_another_browser_logs_nobody_in() {
    let app = TestApp::new().await;
    let mut attacker = Browser::new(&app);
    let start = attacker
        .get("/auth/login?provider=national&login_hint=anna")
        .await;
    let set = start
        .headers
        .get_all(header::SET_COOKIE)
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .find(|c| c.starts_with("okienko_login="))
        .expect("a login cookie");
    assert!(
        set.contains("HttpOnly") && set.contains("Max-Age=900"),
        "{set}"
    );
    let callback = attacker.get(&start.location()).await.location();

    let mut victim = Browser::new(&app);
    victim.get("/").await;
    let r = victim.get(&callback).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.text().contains("not_this_browser"), "{}", r.text());
    assert!(!victim.cookies.contains_key("okienko_session"));
    assert_eq!(me(&mut victim).await.status, StatusCode::UNAUTHORIZED);

    // a victim midway through a login of their own has a login cookie, but not this one
    let mut victim = Browser::new(&app);
    victim
        .get("/auth/login?provider=national&login_hint=jan")
        .await;
    let r = victim.get(&callback).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.text().contains("unknown_state"), "{}", r.text());
    assert_eq!(me(&mut victim).await.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn step_up_raises_the_level_for_the_same_person() {
    let app = TestApp::new().await;
    let mut b = Browser::new(&app);
    login(&mut b, "national", "anna", "").await;
    assert_eq!(me(&mut b).await.json()["level"], "low");
    let subject = me(&mut b).await.json()["subject"].clone();
    let start = b
        .get("/auth/login?provider=national&login_hint=anna&level=substantial&return_to=/uslugi/dn-1")
        .await;
    assert!(
        start
            .location()
            .contains("acr_values=http%3A%2F%2Feidas.europa.eu%2FLoA%2Fsubstantial"),
        "{}",
        start.location()
    );
    let cb = b.get(&start.location()).await.location();
    let done = b.get(&cb).await;
    assert_eq!(done.location(), "/uslugi/dn-1");
    let now = me(&mut b).await.json();
    assert_eq!(now["level"], "substantial");
    assert_eq!(now["subject"], subject);
}

#[tokio::test]
async fn staff_get_roles_and_unit_and_residents_get_no_staff_role() {
    let app = TestApp::new().await;
    let mut b = Browser::new(&app);
    login(&mut b, "staff", "clerk-fn", "").await;
    let who = me(&mut b).await.json();
    assert_eq!(who["roles"], serde_json::json!(["clerk"]));
    assert_eq!(who["unit"], "FN");
    let mut r = Browser::new(&app);
    let (refused, _) = login(&mut r, "staff", "jan", "").await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert!(refused.text().contains("no_role"));
    assert_eq!(me(&mut r).await.status, StatusCode::UNAUTHORIZED);
}

/// Finding 10: staff log in with a second factor. The dev IdP asks a staff persona for a
/// TOTP code (a wrong one is refused there); a staff token whose `amr` shows no accepted
/// second factor ends on the failed-login page without a session.
#[tokio::test]
async fn staff_need_a_second_factor() {
    let app = TestApp::new().await;
    let mut b = Browser::new(&app);
    let start = b
        .get("/auth/login?provider=staff&login_hint=clerk-fn")
        .await;
    let to_idp = start.location();
    let step = b.get(&to_idp).await;
    assert_eq!(step.status, StatusCode::OK);
    let code = code_of(&step);
    let wrong = format!(
        "{:06}",
        (code.parse::<u32>().unwrap() + 500_000) % 1_000_000
    );
    let r = totp_step(&mut b, &to_idp, "clerk-fn", &wrong).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = totp_step(&mut b, &to_idp, "clerk-fn", &code).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let done = b.get(&r.location()).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.text());
    assert_eq!(
        me(&mut b).await.json()["roles"],
        serde_json::json!(["clerk"])
    );

    // a staff provider that accepts only hardware keys: the dev IdP's `otp` is not enough
    let strict = TestApp::with(|s| {
        let base = s.base_url.clone().unwrap();
        s.auth.providers.insert(
            "staff".into(),
            okienko::config::Provider {
                kind: okienko::config::ProviderKind::Staff,
                issuer: format!("{base}/dev-idp"),
                client_id: okienko::config::DEV_CLIENT_ID.into(),
                client_secret: Some(okienko::config::DEV_CLIENT_SECRET.into()),
                scopes: vec!["openid".into(), "profile".into(), "roles".into()],
                label: None,
                claims: okienko::config::ClaimMap::default(),
                acr_levels: Default::default(),
                default_level: okienko::domain::level::IdentityLevel::Low,
                acr_values: Default::default(),
                roles: Default::default(),
                second_factor_amr: vec!["hwk".into()],
                second_factor_acr: Vec::new(),
            },
        );
    })
    .await;
    let mut c = Browser::new(&strict);
    let (refused, _) = login(&mut c, "staff", "clerk-fn", "").await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert!(
        refused.text().contains("no_second_factor"),
        "{}",
        refused.text()
    );
    assert!(!c.cookies.contains_key("okienko_session"));
    assert_eq!(me(&mut c).await.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn an_unreachable_provider_gives_a_clear_page_and_logins_are_rate_limited() {
    let app = TestApp::with(|s| {
        s.auth.login_per_minute = 1;
        s.auth.login_burst = 2;
        s.auth.providers.insert(
            "national".into(),
            okienko::config::Provider {
                kind: okienko::config::ProviderKind::Residents,
                issuer: "http://127.0.0.1:9/down".into(),
                client_id: "x".into(),
                client_secret: None,
                scopes: vec!["openid".into()],
                label: None,
                claims: okienko::config::ClaimMap::default(),
                acr_levels: Default::default(),
                default_level: okienko::domain::level::IdentityLevel::Low,
                acr_values: Default::default(),
                roles: Default::default(),
                second_factor_amr: okienko::config::default_second_factor_amr(),
                second_factor_acr: Vec::new(),
            },
        );
    })
    .await;
    let mut b = Browser::new(&app);
    let down = b.get("/auth/login").await;
    assert_eq!(down.status, StatusCode::BAD_GATEWAY);
    assert!(down.text().contains("provider_down"), "{}", down.text());
    b.get("/auth/login").await;
    let limited = b.get("/auth/login").await;
    assert_eq!(limited.status, StatusCode::TOO_MANY_REQUESTS);
    let retry: u64 = limited.headers[header::RETRY_AFTER]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=60).contains(&retry), "{retry}");
}

#[tokio::test]
async fn idle_sessions_end_and_the_cookie_is_cleared() {
    let app = TestApp::with(|s| s.auth.idle_timeout_mins = 1).await;
    let mut b = Browser::new(&app);
    login(&mut b, "national", "jan", "").await;
    assert_eq!(me(&mut b).await.status, StatusCode::OK);
    // an hour of silence, as the database sees it
    use sea_orm::ConnectionTrait;
    app.state
        .db
        .execute_unprepared(
            "UPDATE session SET idle_expires_at = created_at, last_seen_at = created_at",
        )
        .await
        .unwrap();
    let r = me(&mut b).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert!(!b.cookies.contains_key("okienko_session"));
}

#[tokio::test]
async fn a_cross_site_logout_is_refused() {
    let app = TestApp::new().await;
    let mut b = Browser::new(&app);
    login(&mut b, "national", "jan", "").await;
    let r = app
        .send(
            Request::post("/auth/logout")
                .header(header::COOKIE, b.cookie_header())
                .header("sec-fetch-site", "cross-site")
                .header(header::ORIGIN, "https://evil.example")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(me(&mut b).await.status, StatusCode::OK);
}

#[tokio::test]
async fn api_clients_use_scoped_tokens_until_revoked() {
    use okienko::auth::api_token::{self, Scope};
    let app = TestApp::new().await;
    let created = api_token::create_client(
        &app.state.db,
        &app.state.keys,
        &app.state.settings.base_url(),
        "EZD",
        &[Scope::SubmissionsRead, Scope::CasesRead],
        time::Duration::days(1),
    )
    .await
    .unwrap();
    let call = |token: String| {
        let app = &app;
        async move {
            app.send(
                Request::get("/api/me")
                    .header(header::AUTHORIZATION, format!("Bearer {token}"))
                    .body(Body::empty())
                    .unwrap(),
            )
            .await
        }
    };
    let r = call(created.token.clone()).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(
        r.json()["client"]["scopes"],
        serde_json::json!(["submissions:read", "cases:read"])
    );
    let bad = call(format!("{}x", created.token)).await;
    assert_eq!(bad.status, StatusCode::UNAUTHORIZED);
    assert!(bad.headers.contains_key(header::WWW_AUTHENTICATE));
    assert!(
        okienko::db::api_clients::revoke(&app.state.db, &created.id)
            .await
            .unwrap()
    );
    assert_eq!(call(created.token).await.status, StatusCode::UNAUTHORIZED);
}

#[test]
fn production_refuses_the_development_identity_provider() {
    let s = okienko::config::Settings {
        mode: okienko::config::Mode::Production,
        ..Default::default()
    };
    let e = s.checked().unwrap_err();
    assert!(e.contains("auth.dev_idp"), "{e}");
}

#[tokio::test]
async fn pages_send_to_login_and_step_up_and_come_back_to_the_same_draft() {
    let app = TestApp::new().await;
    let mut b = Browser::new(&app);
    b.get("/").await;
    // an anonymous start of a service that needs `low`: the draft is made, then login
    let start = b.post_form("/uslugi/petycja", "").await;
    assert_eq!(start.status, StatusCode::SEE_OTHER);
    let to_login = start.location();
    assert!(
        to_login.starts_with(
            "/auth/login?provider=national&level=low&return_to=%2Fuslugi%2Fpetycja%2Fwniosek%2F"
        ),
        "{to_login}"
    );
    let to_idp = b.get(&to_login).await.location();
    // the dev IdP's picker: choose Anna (level low)
    let picker = b.get(&to_idp).await;
    assert_eq!(picker.status, StatusCode::OK);
    assert!(picker.text().contains("Anna Nowak"));
    let query = to_idp.split_once('?').unwrap().1;
    let back = b
        .post_form("/dev-idp/authorize", &format!("{query}&persona=anna"))
        .await;
    let done = b.get(&back.location()).await;
    let step_url = done.location();
    assert!(
        step_url.starts_with("/uslugi/petycja/wniosek/"),
        "{step_url}"
    );
    let step = b.get(&step_url).await;
    assert_eq!(step.status, StatusCode::OK, "{}", step.text());

    // dn-1 needs `substantial`: submitting at `low` sends to a stronger login, then back
    let start = b.post_form("/uslugi/dn-1", "").await;
    let first = start.location();
    assert!(first.starts_with("/uslugi/dn-1/wniosek/"), "{first}");
    let draft = first.split('/').nth(4).unwrap().to_owned();
    let submit = b
        .post(
            &format!("/uslugi/dn-1/wniosek/{draft}/zloz"),
            "multipart/form-data; boundary=X",
            "--X--\r\n",
        )
        .await;
    assert_eq!(submit.status, StatusCode::SEE_OTHER, "{}", submit.text());
    let review = format!("/uslugi/dn-1/wniosek/{draft}/sprawdz");
    assert_eq!(
        submit.location(),
        format!(
            "/auth/login?provider=national&level=substantial&return_to={}",
            url::form_urlencoded::byte_serialize(review.as_bytes()).collect::<String>()
        )
    );
    let to_idp = b.get(&submit.location()).await.location();
    assert!(to_idp.contains("acr_values="), "{to_idp}");
    let query = to_idp.split_once('?').unwrap().1;
    let back = b
        .post_form("/dev-idp/authorize", &format!("{query}&persona=anna"))
        .await;
    let done = b.get(&back.location()).await;
    assert_eq!(done.location(), review);
    assert_eq!(me(&mut b).await.json()["level"], "substantial");
    let page = b.get(&review).await;
    // the same draft, now owned by the stronger session: nothing lost
    assert_eq!(page.status, StatusCode::OK, "{}", page.text());
    assert!(
        page.text().contains("Sprawdź odpowiedzi"),
        "{}",
        page.text()
    );
}

#[tokio::test]
async fn submissions_are_listed_by_page_to_their_owner_and_to_clients_with_the_scope() {
    use okienko::auth::api_token::{self, Scope};
    let app = TestApp::new().await;
    let me = crate::helpers::anon();
    for i in 0..5 {
        let r = app
            .post_json(
                "/api/services/informacja-publiczna/submissions",
                &me,
                Some(&format!("list-{i}")),
                crate::api::INFO,
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    }
    let stranger = crate::helpers::anon();
    app.post_json(
        "/api/services/informacja-publiczna/submissions",
        &stranger,
        Some("other"),
        crate::api::INFO,
    )
    .await;
    // two pages of two and one of one, newest first, no repeats
    let mut seen = Vec::new();
    let mut url = "/api/submissions?limit=2".to_owned();
    loop {
        let page = app.get(&url, &me).await.json();
        for item in page["items"].as_array().unwrap() {
            assert!(item.get("data").is_none());
            seen.push(item["filed_at"].as_str().unwrap().to_owned() + item["id"].as_str().unwrap());
        }
        match page["next"].as_str() {
            Some(n) => url = format!("/api/submissions?limit=2&after={n}"),
            None => break,
        }
    }
    assert_eq!(seen.len(), 5);
    let mut sorted = seen.clone();
    sorted.sort();
    sorted.reverse();
    assert_eq!(seen, sorted);
    assert_eq!(
        app.get("/api/submissions?after=garbage", &me).await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    // outside the cursor's alphabet (the document's pattern) it is malformed
    assert_eq!(
        app.get("/api/submissions?after=gar.bage", &me).await.status,
        StatusCode::BAD_REQUEST
    );
    // an integration sees everyone's, with the data; without the scope it is refused
    let client = |scopes: &'static [Scope]| {
        let app = &app;
        async move {
            api_token::create_client(
                &app.state.db,
                &app.state.keys,
                &app.state.settings.base_url(),
                "tax system",
                scopes,
                time::Duration::days(1),
            )
            .await
            .unwrap()
            .token
        }
    };
    let reader = client(&[Scope::SubmissionsRead]).await;
    let r = app
        .send(
            Request::get("/api/submissions?service=informacja-publiczna&limit=50")
                .header(header::AUTHORIZATION, format!("Bearer {reader}"))
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    let items = r.json()["items"].as_array().unwrap().clone();
    assert_eq!(items.len(), 6);
    assert!(items[0]["data"]["request"].is_string());
    let cases_only = client(&[Scope::CasesRead]).await;
    let r = app
        .send(
            Request::get("/api/submissions")
                .header(header::AUTHORIZATION, format!("Bearer {cases_only}"))
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn another_residents_draft_receipt_and_pages_are_404_on_every_route() {
    use okienko::domain::level::IdentityLevel;
    let app = TestApp::new().await;
    let a = app.resident(IdentityLevel::Substantial).await;
    let b = app.resident(IdentityLevel::Substantial).await;
    let draft = app
        .post_json(
            "/api/services/informacja-publiczna/drafts",
            &a,
            None,
            r#"{"data":{}}"#,
        )
        .await
        .json()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let filed = app
        .post_json(
            "/api/services/informacja-publiczna/submissions",
            &a,
            Some("own-1"),
            crate::api::INFO,
        )
        .await
        .json();
    let receipt = filed["receipt"]["id"].as_str().unwrap().to_owned();
    let same_origin = |m: &str, uri: String, cookie: &str, ct: &str, body: &str| {
        Request::builder()
            .method(m)
            .uri(uri)
            .header(header::COOKIE, cookie)
            .header(header::CONTENT_TYPE, ct)
            .header("sec-fetch-site", "same-origin")
            .body(Body::from(body.to_owned()))
            .unwrap()
    };
    let json = "application/json";
    let form = "application/x-www-form-urlencoded";
    let routes = [
        ("GET", format!("/api/drafts/{draft}"), json, ""),
        (
            "PUT",
            format!("/api/drafts/{draft}"),
            json,
            r#"{"data":{}}"#,
        ),
        (
            "PATCH",
            format!("/api/drafts/{draft}"),
            json,
            r#"{"data":{}}"#,
        ),
        ("DELETE", format!("/api/drafts/{draft}"), json, ""),
        ("GET", format!("/api/receipts/{receipt}"), json, ""),
        ("GET", format!("/api/receipts/{receipt}.pdf"), json, ""),
        ("GET", format!("/potwierdzenie/{receipt}"), json, ""),
        (
            "GET",
            format!("/uslugi/informacja-publiczna/wniosek/{draft}/request"),
            json,
            "",
        ),
        (
            "POST",
            format!("/uslugi/informacja-publiczna/wniosek/{draft}/request"),
            form,
            "action=next",
        ),
        (
            "GET",
            format!("/uslugi/informacja-publiczna/wniosek/{draft}/sprawdz"),
            json,
            "",
        ),
        (
            "POST",
            format!("/uslugi/informacja-publiczna/wniosek/{draft}/zloz"),
            "multipart/form-data; boundary=X",
            "--X--\r\n",
        ),
    ];
    for (m, uri, ct, body) in &routes {
        let r = app.send(same_origin(m, uri.clone(), &b, ct, body)).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{m} {uri}: {}", r.text());
    }
    // and the owner still has everything
    for (m, uri, ct, body) in routes.iter().filter(|r| r.0 == "GET") {
        let r = app.send(same_origin(m, uri.clone(), &a, ct, body)).await;
        assert_ne!(r.status, StatusCode::NOT_FOUND, "{m} {uri}");
    }
    assert!(
        app.get("/api/submissions", &b).await.json()["items"]
            .as_array()
            .unwrap()
            .is_empty()
    );
}
