use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use okienko::config::Settings;
use okienko::domain::identity::Identity;
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

/// A fresh PostgreSQL database per test when `OKIENKO_TEST_DATABASE_URL` is set.
async fn database_url(dir: &std::path::Path) -> String {
    match std::env::var("OKIENKO_TEST_DATABASE_URL") {
        Ok(base) if !base.is_empty() => {
            use sea_orm::ConnectionTrait;
            let name = format!("okienko_t_{}", uuid::Uuid::new_v4().simple());
            let admin = sea_orm::Database::connect(&base)
                .await
                .expect("PostgreSQL for tests");
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
        let dir = tempfile::tempdir().expect("tempdir");
        let settings = Settings {
            data_dir: dir.path().to_path_buf(),
            database_url: Some(database_url(dir.path()).await),
            base_url: Some("http://okienko.test".into()),
            ..Settings::default()
        };
        let catalogue = okienko::startup::load_catalogue(&settings).expect("catalogue");
        let keys =
            okienko::receipt::Keystore::load_or_create(&dir.path().join("keys")).expect("keys");
        let state = okienko::startup::build(settings, catalogue, keys)
            .await
            .expect("app");
        let router = okienko::web::router(state.clone());
        Self {
            state,
            router,
            _dir: dir,
        }
    }

    pub async fn send(&self, req: Request<Body>) -> Resp {
        let res = self.router.clone().oneshot(req).await.expect("infallible");
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
        };
        okienko::db::sessions::create(
            &self.state.db,
            &okienko::web::extract::sha256_hex(&token),
            &identity,
            time::Duration::hours(1),
        )
        .await
        .expect("session");
        format!("{}={token}", okienko::web::extract::SESSION_COOKIE)
    }
}

/// An anonymous browser: its own owner token.
pub fn anon() -> String {
    format!(
        "{}={}",
        okienko::web::extract::OWNER_COOKIE,
        okienko::web::extract::random_token()
    )
}
