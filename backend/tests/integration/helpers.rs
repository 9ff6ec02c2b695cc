use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use okienko::config::Settings;
use okienko::domain::identity::{Identity, Role};
use okienko::domain::level::IdentityLevel;
use okienko::state::AppState;
use serde_json::Value;
use tower::ServiceExt;

pub struct TestApp {
    pub state: AppState,
    pub router: axum::Router,
    _dir: tempfile::TempDir,
}

pub struct Resp {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub body: Vec<u8>,
}

impl Resp {
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or(Value::Null)
    }
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// Test databases are named `okienko_t_<created, Unix seconds>_<random>`.
const TEST_DB_PREFIX: &str = "okienko_t_";

fn unix_now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// Drops the test databases earlier runs left (each test makes its own and the process
/// cannot wait on a drop at its end). Only those over an hour old, or named before the
/// creation time was in the name, so a run going on beside this one keeps its own; one in
/// use is left for the next sweep.
async fn sweep_old_test_databases(admin: &sea_orm::DatabaseConnection) {
    use sea_orm::{ConnectionTrait, Statement};
    let Ok(rows) = admin
        .query_all_raw(Statement::from_string(
            admin.get_database_backend(),
            format!("SELECT datname FROM pg_database WHERE datname LIKE '{TEST_DB_PREFIX}%'"),
        ))
        .await
    else {
        return;
    };
    let hour_ago = unix_now().saturating_sub(3600);
    for row in rows {
        let Ok(name) = row.try_get::<String>("", "datname") else {
            continue;
        };
        let created = name
            .strip_prefix(TEST_DB_PREFIX)
            .and_then(|rest| rest.split_once('_'))
            .and_then(|(secs, _)| secs.parse::<u64>().ok());
        if created.is_some_and(|secs| secs > hour_ago) {
            continue;
        }
        let _ = admin
            .execute_unprepared(&format!("DROP DATABASE IF EXISTS \"{name}\""))
            .await;
    }
}

/// A fresh PostgreSQL database per test when `OKIENKO_TEST_DATABASE_URL` is set.
async fn database_url(dir: &std::path::Path) -> String {
    static SWEPT: tokio::sync::OnceCell<()> = tokio::sync::OnceCell::const_new();
    match std::env::var("OKIENKO_TEST_DATABASE_URL") {
        Ok(base) if !base.is_empty() => {
            use sea_orm::ConnectionTrait;
            let name = format!(
                "{TEST_DB_PREFIX}{}_{}",
                unix_now(),
                uuid::Uuid::new_v4().simple()
            );
            let admin = sea_orm::Database::connect(&base)
                .await
                .expect("PostgreSQL for tests");
            SWEPT.get_or_init(|| sweep_old_test_databases(&admin)).await;
            admin
                .execute_unprepared(&format!("CREATE DATABASE {name}"))
                .await
                .expect("create test database");
            let (prefix, _) = base
                .rsplit_once('/')
                .expect("a database URL ends in /<name>");
            format!("{prefix}/{name}")
        }
        _ => format!("sqlite://{}?mode=rwc", dir.join("test.db").display()),
    }
}

impl TestApp {
    pub async fn new() -> Self {
        Self::with(|_| {}).await
    }

    /// An app on a real port (the OIDC client talks HTTP to the dev IdP mounted in it),
    /// with settings adjusted by `tune`.
    pub async fn with(tune: impl FnOnce(&mut Settings)) -> Self {
        let dir = tempfile::tempdir().expect("tempdir");
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("a port");
        let addr = listener.local_addr().expect("address");
        let mut settings = Settings {
            data_dir: dir.path().to_path_buf(),
            database_url: Some(database_url(dir.path()).await),
            base_url: Some(format!("http://{addr}")),
            listen: addr,
            ..Settings::default()
        };
        // tests fire bursts of hundreds of requests at one node on a loaded machine: no
        // request is refused for its wait unless a test asks (`limits.max_queue_wait_ms`)
        settings.limits.max_queue_wait_ms = 60_000;
        settings.limits.standing_queue_wait_ms = 60_000;
        tune(&mut settings);
        // production needs a key-encryption key from configuration
        if settings.mode == okienko::config::Mode::Production && settings.keys.kek.is_none() {
            settings.keys.kek = Some(okienko::config::Secret::new(
                okienko::receipt::kek::Kek::generate().expect("kek"),
            ));
        }
        // production does not migrate on start (`okienko migrate` does): migrate here
        if settings.mode == okienko::config::Mode::Production {
            let db = okienko::db::connect(&settings.database_url())
                .await
                .expect("database");
            okienko::db::migrate(&db).await.expect("migrations");
        }
        let catalogue = okienko::startup::load_catalogue(&settings).expect("catalogue");
        let state = okienko::startup::build(settings, catalogue)
            .await
            .expect("app");
        let router = okienko::web::router(state.clone());
        let served = router.clone();
        let header_timeout =
            std::time::Duration::from_secs(state.settings.limits.header_read_timeout_secs);
        // as `okienko serve` serves (`web::serve`), until the test ends
        tokio::spawn(okienko::web::serve::serve(
            listener,
            served,
            header_timeout,
            std::future::pending(),
        ));
        Self {
            state,
            router,
            _dir: dir,
        }
    }

    pub async fn send(&self, req: Request<Body>) -> Resp {
        send_to(self.router.clone(), req).await
    }

    pub async fn get(&self, uri: &str, cookie: &str) -> Resp {
        self.send(
            Request::get(uri)
                .header(header::COOKIE, cookie)
                .body(Body::empty())
                .expect("request"),
        )
        .await
    }

    pub async fn post_json(&self, uri: &str, cookie: &str, key: Option<&str>, body: &str) -> Resp {
        let mut b = Request::post(uri)
            .header(header::CONTENT_TYPE, "application/json")
            .header(header::COOKIE, cookie);
        if let Some(k) = key {
            b = b.header("idempotency-key", k);
        }
        self.send(b.body(Body::from(body.to_owned())).expect("request"))
            .await
    }

    pub async fn put_json(&self, uri: &str, cookie: &str, body: &str) -> Resp {
        self.send(
            Request::put(uri)
                .header(header::CONTENT_TYPE, "application/json")
                .header(header::COOKIE, cookie)
                .body(Body::from(body.to_owned()))
                .expect("request"),
        )
        .await
    }

    /// A same-origin form POST with `body` as `cookie`.
    pub async fn post_form(&self, uri: &str, cookie: &str, body: &str) -> Resp {
        self.send(
            Request::post(uri)
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .header(header::COOKIE, cookie)
                .header("sec-fetch-site", "same-origin")
                .body(Body::from(body.to_owned()))
                .expect("request"),
        )
        .await
    }

    /// The resident `cookie` receives letter `id` (the "receive" button).
    pub async fn receive_letter(&self, id: &str, cookie: &str) {
        let r = self
            .post_form(&format!("/skrzynka/{id}/odbierz"), cookie, "")
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    }

    /// Files the public-information request as `cookie` under `key`; returns the case sign.
    pub async fn file_request(&self, cookie: &str, key: &str) -> String {
        let r = self
            .post_json(
                "/api/services/informacja-publiczna/submissions",
                cookie,
                Some(key),
                crate::api::INFO,
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
        r.json()["receipt"]["claims"]["registration"]["case_sign"]
            .as_str()
            .expect("a case sign")
            .to_owned()
    }

    /// A token of a new API client with `scopes`, valid for a day.
    /// Files the first valid example of `service` as `cookie`, changed by `tweak`; returns
    /// the case sign.
    pub async fn file_example(
        &self,
        cookie: &str,
        service: &str,
        key: &str,
        tweak: impl FnOnce(&mut serde_json::Value),
    ) -> String {
        let mut data = self
            .state
            .catalogue
            .get(service)
            .expect("service")
            .def
            .examples
            .valid[0]
            .data
            .clone();
        tweak(&mut data);
        let filed = self
            .post_json(
                &format!("/api/services/{service}/submissions"),
                cookie,
                Some(key),
                &serde_json::json!({ "data": data }).to_string(),
            )
            .await;
        assert_eq!(filed.status, StatusCode::CREATED, "{}", filed.text());
        filed.json()["receipt"]["claims"]["registration"]["case_sign"]
            .as_str()
            .expect("case sign")
            .to_owned()
    }

    /// Applies a case action through the API as `cookie`.
    pub async fn act(
        &self,
        cookie: &str,
        sign: &str,
        action: &str,
        body: serde_json::Value,
    ) -> Resp {
        self.post_json(
            &format!("/api/cases/{sign}/actions/{action}"),
            cookie,
            None,
            &body.to_string(),
        )
        .await
    }

    pub async fn api_token(&self, scopes: &[okienko::auth::api_token::Scope]) -> String {
        okienko::auth::api_token::create_client(
            &self.state.db,
            &self.state.keys,
            &self.state.settings.base_url(),
            "test client",
            scopes,
            time::Duration::days(1),
        )
        .await
        .expect("API client")
        .token
    }

    /// A logged-in staff member of `unit` (subject as the dev IdP names them).
    pub async fn staff(&self, subject: &str, unit: &str) -> String {
        let identity = Identity {
            subject: subject.into(),
            provider: "staff".into(),
            pesel: None,
            given_name: Some("Urzędnik".into()),
            family_name: Some(subject.into()),
            birth_date: None,
            email: None,
            level: IdentityLevel::Substantial,
            roles: vec![Role::Clerk],
            unit: Some(unit.into()),
        };
        self.session(identity).await
    }

    /// A logged-in councillor (`roles: [councillor]`), or with other roles.
    pub async fn with_roles(&self, subject: &str, roles: Vec<Role>) -> String {
        let identity = Identity {
            subject: subject.into(),
            provider: "staff".into(),
            pesel: None,
            given_name: Some("Radna".into()),
            family_name: Some(subject.into()),
            birth_date: None,
            email: None,
            level: IdentityLevel::Substantial,
            roles,
            unit: None,
        };
        self.session(identity).await
    }

    /// A logged-in resident with this PESEL (another person than `resident`'s).
    pub async fn resident_with_pesel(&self, pesel: &str) -> String {
        let identity = Identity {
            subject: format!("sub-{pesel}"),
            provider: "national".into(),
            pesel: Some(pesel.into()),
            given_name: Some("Anna".into()),
            family_name: Some("Nowak".into()),
            birth_date: None,
            email: None,
            level: IdentityLevel::Substantial,
            roles: vec![Role::Resident],
            unit: None,
        };
        self.session(identity).await
    }

    async fn session(&self, identity: Identity) -> String {
        let token = okienko::web::extract::random_token();
        okienko::db::sessions::create(
            &self.state.db,
            okienko::db::sessions::NewSession {
                token_hash: &okienko::web::extract::sha256_hex(&token),
                identity: &identity,
                id_token: None,
            },
            okienko::db::sessions::Lifetime {
                idle: time::Duration::minutes(15),
                absolute: time::Duration::hours(8),
            },
        )
        .await
        .expect("session");
        format!("{}={token}", okienko::web::extract::SESSION_COOKIE)
    }

    /// A logged-in resident: a session row, as the identity issue's login will write it.
    pub async fn resident(&self, level: IdentityLevel) -> String {
        let token = okienko::web::extract::random_token();
        let identity = Identity {
            subject: format!("sub-{token}"),
            provider: "national".into(),
            pesel: Some("44051401359".into()),
            given_name: Some("Jan".into()),
            family_name: Some("Kowalski".into()),
            birth_date: Some("1944-05-14".into()),
            email: Some("jan@example.pl".into()),
            level,
            roles: vec![Role::Resident],
            unit: None,
        };
        // as the login callback does: every resident has a mailbox
        okienko::delivery::resident_mailbox(
            &self.state.db,
            &okienko::auth::owner_of(&identity),
            &identity,
        )
        .await
        .expect("mailbox");
        okienko::db::sessions::create(
            &self.state.db,
            okienko::db::sessions::NewSession {
                token_hash: &okienko::web::extract::sha256_hex(&token),
                identity: &identity,
                id_token: None,
            },
            okienko::db::sessions::Lifetime {
                idle: time::Duration::minutes(15),
                absolute: time::Duration::hours(8),
            },
        )
        .await
        .expect("session");
        format!("{}={token}", okienko::web::extract::SESSION_COOKIE)
    }
}

/// An anonymous browser: its own owner token.
/// Sends `req` to `router` as from a client at 127.0.0.1; owns its router, so it can run
/// on a task of its own.
pub async fn send_to(router: axum::Router, mut req: Request<Body>) -> Resp {
    req.extensions_mut()
        .insert(axum::extract::ConnectInfo(std::net::SocketAddr::from((
            [127, 0, 0, 1],
            40000,
        ))));
    let res = router.oneshot(req).await.expect("infallible");
    let status = res.status();
    let headers = res.headers().clone();
    let body = res
        .into_body()
        .collect()
        .await
        .expect("body")
        .to_bytes()
        .to_vec();
    Resp {
        status,
        headers,
        body,
    }
}

/// Files the public-information request as `cookie` with `key`, as a client on its own
/// task (see `TestApp::file_request` for one awaited in line).
pub async fn file_info(router: axum::Router, cookie: String, key: String) -> Resp {
    let req = Request::post("/api/services/informacja-publiczna/submissions")
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::COOKIE, cookie)
        .header("idempotency-key", key)
        .body(Body::from(crate::api::INFO))
        .expect("request");
    send_to(router, req).await
}

pub fn anon() -> String {
    format!(
        "{}={}",
        okienko::web::extract::OWNER_COOKIE,
        okienko::web::extract::random_token()
    )
}

/// A browser's cookie jar over `TestApp`: keeps what `Set-Cookie` gives, sends it back.
pub struct Browser<'a> {
    pub app: &'a TestApp,
    pub cookies: std::collections::BTreeMap<String, String>,
}

impl<'a> Browser<'a> {
    pub fn new(app: &'a TestApp) -> Self {
        Self {
            app,
            cookies: std::collections::BTreeMap::new(),
        }
    }

    pub fn cookie_header(&self) -> String {
        self.cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    fn keep(&mut self, r: &Resp) {
        for c in r.headers.get_all(header::SET_COOKIE) {
            let c = c.to_str().unwrap_or("");
            let pair = c.split(';').next().unwrap_or("");
            if let Some((k, v)) = pair.split_once('=') {
                if v.is_empty() || c.contains("Max-Age=0") {
                    self.cookies.remove(k);
                } else {
                    self.cookies.insert(k.to_owned(), v.to_owned());
                }
            }
        }
    }

    /// The path and query of a URL on this app (absolute URLs lose their origin).
    pub fn local(&self, url: &str) -> String {
        let base = self.app.state.settings.base_url();
        url.strip_prefix(&base).unwrap_or(url).to_owned()
    }

    pub async fn get(&mut self, url: &str) -> Resp {
        let uri = self.local(url);
        let r = self.app.get(&uri, &self.cookie_header()).await;
        self.keep(&r);
        r
    }

    /// A same-origin form POST, as a browser sends it.
    pub async fn post_form(&mut self, url: &str, body: &str) -> Resp {
        self.post(url, "application/x-www-form-urlencoded", body)
            .await
    }

    /// A same-origin POST with any body.
    pub async fn post(&mut self, url: &str, content_type: &str, body: &str) -> Resp {
        let uri = self.local(url);
        let r = self
            .app
            .send(
                Request::post(uri)
                    .header(header::COOKIE, self.cookie_header())
                    .header(header::CONTENT_TYPE, content_type)
                    .header("sec-fetch-site", "same-origin")
                    .header(header::ORIGIN, self.app.state.settings.base_url())
                    .body(Body::from(body.to_owned()))
                    .expect("request"),
            )
            .await;
        self.keep(&r);
        r
    }
}

impl Resp {
    pub fn location(&self) -> String {
        self.headers
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_owned()
    }
}
