//! Settings: defaults → `okienko.toml` → `OKIENKO_*` environment (`__` for nesting) →
//! `DATABASE_URL` → command-line flags. Wrong settings fail at start with one line naming the key.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use figment::Figment;
use figment::providers::{Env, Format, Serialized, Toml};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    #[default]
    Development,
    Production,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    pub mode: Mode,
    pub listen: SocketAddr,
    /// Where the SQLite database, keys and attachments live in the embedded mode.
    pub data_dir: PathBuf,
    /// A forms directory to load instead of the catalogue built into the binary.
    pub forms_dir: Option<PathBuf>,
    /// `sqlite://...` or `postgres://...`; defaults to `<data_dir>/okienko.db`.
    pub database_url: Option<String>,
    /// The public URL (issuer of receipts, links in e-mails); defaults to `http://<listen>`.
    pub base_url: Option<String>,
    /// Where attachments go: a directory, or `s3://bucket/prefix` in production.
    pub storage_url: Option<String>,
    pub authority: Authority,
    pub limits: Limits,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Authority {
    /// The full name of the public entity, printed on receipts (art. 3 pkt 20 lit. a).
    pub name: String,
    pub ade: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Limits {
    /// Largest JSON body accepted, in KiB.
    pub json_body_kib: usize,
    /// Largest multipart body (all files together), in MiB.
    pub upload_body_mib: usize,
    pub request_timeout_secs: u64,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            mode: Mode::Development,
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            data_dir: PathBuf::from("data"),
            forms_dir: None,
            database_url: None,
            base_url: None,
            storage_url: None,
            authority: Authority {
                name: "Urząd Gminy Przykładowo".into(),
                ade: None,
            },
            limits: Limits {
                json_body_kib: 2048,
                upload_body_mib: 60,
                request_timeout_secs: 60,
            },
        }
    }
}

impl Settings {
    /// Layers the sources; `file` is `okienko.toml` unless `OKIENKO_CONFIG` names another.
    pub fn load(file: Option<&Path>) -> Result<Self, String> {
        let file = file
            .map(Path::to_path_buf)
            .or_else(|| std::env::var_os("OKIENKO_CONFIG").map(PathBuf::from))
            .unwrap_or_else(|| PathBuf::from("okienko.toml"));
        Figment::from(Serialized::defaults(Settings::default()))
            .merge(Toml::file(&file))
            .merge(Env::prefixed("OKIENKO_").split("__").ignore(&["config"]))
            .merge(
                Env::raw()
                    .only(&["DATABASE_URL"])
                    .map(|_| "database_url".into()),
            )
            .extract()
            .map_err(|e| {
                let key = e.path.join(".");
                let e = e.to_string();
                if key.is_empty() {
                    format!("configuration error: {e}")
                } else {
                    format!("configuration error in `{key}`: {e}")
                }
            })
    }

    pub fn database_url(&self) -> String {
        self.database_url.clone().unwrap_or_else(|| {
            format!(
                "sqlite://{}?mode=rwc",
                self.data_dir.join("okienko.db").display()
            )
        })
    }

    pub fn base_url(&self) -> String {
        self.base_url
            .clone()
            .unwrap_or_else(|| format!("http://{}", self.listen))
            .trim_end_matches('/')
            .to_owned()
    }

    pub fn is_sqlite(&self) -> bool {
        self.database_url().starts_with("sqlite:")
    }
}
