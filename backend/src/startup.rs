//! Building the application from settings, and serving it until SIGINT/SIGTERM.

use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use metrics_exporter_prometheus::PrometheusBuilder;

use tokio::net::TcpListener;

use crate::config::{Mode, Settings};
use crate::forms::Catalogue;
use crate::receipt::kek::{Kek, Keks};
use crate::receipt::keys::{self, Keystore};
use crate::state::{App, AppState};

/// Loads the catalogue from `forms_dir`, or the one built into the binary.
pub fn load_catalogue(settings: &Settings) -> anyhow::Result<Catalogue> {
    let loaded = match &settings.forms_dir {
        Some(dir) => Catalogue::load_dir(dir),
        None => Catalogue::shipped(),
    };
    loaded.map_err(|problems| {
        let lines: Vec<String> = problems.iter().map(ToString::to_string).collect();
        anyhow::anyhow!("the forms do not load:\n{}", lines.join("\n"))
    })
}

pub async fn build(settings: Settings, catalogue: Catalogue) -> anyhow::Result<AppState> {
    std::fs::create_dir_all(&settings.data_dir)
        .with_context(|| format!("creating {}", settings.data_dir.display()))?;
    let db = crate::db::connect(&settings.database_url())
        .await
        .context("connecting to the database")?;
    // The embedded SQLite mode migrates on start; production runs `okienko migrate`.
    if settings.is_sqlite() || settings.mode == Mode::Development {
        crate::db::migrate(&db)
            .await
            .context("migrating the database")?;
    }
    for svc in catalogue.services.values() {
        crate::db::definitions::remember(&db, svc).await?;
    }
    let keks = Arc::new(keks(&settings)?);
    let keys = Keystore::open(
        &db,
        keks.clone(),
        keys::SIGNING,
        Some(&settings.data_dir.join("keys")),
    )
    .await
    .context("the signing keys")?;
    let storage = crate::storage::open(settings.storage_url.as_deref(), &settings.data_dir)?;
    let templates = crate::web::pages::templates()?;
    let metrics = PrometheusBuilder::new().install_recorder().ok();
    let providers = crate::auth::Providers::from_settings(&settings)?;
    let mailer = crate::mail::Mailer::from_settings(&settings)?;
    let edoreczenia =
        crate::edoreczenia::Client::from_settings(&settings.edoreczenia)?.map(Arc::new);
    let dev_idp = if settings.auth.dev_idp {
        let keys = Keystore::open(
            &db,
            keks,
            keys::DEV_IDP,
            Some(&settings.data_dir.join("dev-idp-keys")),
        )
        .await
        .context("the development identity provider's keys")?;
        tracing::warn!(
            "the development identity provider is on at /dev-idp: anyone can log in as anyone"
        );
        Some(Arc::new(crate::web::dev_idp::DevIdp::new(keys, &catalogue)))
    } else {
        None
    };
    let admission = Arc::new(crate::web::admission::Admission::new(&settings.limits));
    let anonymous_limit = crate::web::rate_limit::AnonymousLimit::from_settings(&settings);
    // a wrong account would fail every filing with a fee: refuse to start instead
    crate::payments::debts::Accounts::from_config(&settings.payments)
        .map_err(|e| anyhow::anyhow!("[payments] account or virtual_prefix: {e}"))?;
    let payment_provider = settings.payments.przelewy24.as_ref().map(|p| {
        Arc::new(crate::payments::przelewy24::Przelewy24::new(
            &p.base_url,
            p.merchant_id,
            p.pos_id,
            &p.crc,
            &p.api_key,
        )) as Arc<dyn crate::payments::provider::PaymentProvider>
    });
    let signatures = Arc::new(
        crate::signatures::LiveTrust::load(&settings.signatures)
            .context("the signatures' trust anchors ([signatures])")?,
    );
    let state = AppState(Arc::new(App {
        payment_provider,
        signatures,
        anonymous_limit,
        settings,
        committer: crate::db::committer::Committer::start(db.clone()),
        ledger: Arc::new(crate::ledger::Embedded(db.clone())),
        residents: Arc::new(crate::residents::Embedded(db.clone())),
        admission,
        db,
        catalogue: Arc::new(catalogue),
        keys,
        storage,
        templates,
        metrics,
        providers,
        mailer,
        edoreczenia,
        dev_idp,
        council_live: crate::participation::council::live::Hub::new(
            std::time::Duration::from_secs(1),
        ),
        consultation_versions: Default::default(),
    }));
    tokio::spawn(refresh_keys(state.clone()));
    tokio::spawn(crate::signatures::live::keep_crls_current(
        state.signatures.clone(),
        Duration::from_secs(state.settings.signatures.crl_reload_seconds),
    ));
    // every unit has its portal mailbox
    for u in &state.catalogue.office.units {
        crate::delivery::unit_mailbox(&state.db, &state, &u.symbol).await?;
    }
    Ok(state)
}

pub async fn serve(state: AppState) -> anyhow::Result<()> {
    let listener = TcpListener::bind(state.settings.listen)
        .await
        .with_context(|| format!("listening on {}", state.settings.listen))?;
    let addr = listener.local_addr()?;
    println!(
        "okienko is running at http://{addr}/ (database: {})",
        if state.settings.is_sqlite() {
            "SQLite"
        } else {
            "PostgreSQL"
        }
    );
    tracing::info!(listen = %addr, services = state.catalogue.services.len(), "serving");
    if state.settings.mode == Mode::Development {
        if addr.ip().is_loopback() {
            println!(
                "development mode: listening on loopback only ({addr}); its identity provider lets anyone log in as anyone, so it is not reachable from other machines (dev_allow_remote = true changes that)"
            );
            tracing::info!(listen = %addr, "development mode: loopback only");
        } else {
            tracing::warn!(listen = %addr, "development mode reachable from the network (dev_allow_remote): anyone who reaches it can log in as an administrator");
        }
    }
    tokio::spawn(sweep(state.clone()));
    // the embedded default runs its worker inside; production runs `okienko worker`
    if state.settings.mode == Mode::Development {
        tokio::spawn(crate::worker::run_forever(state.clone()));
    }
    let header_timeout = Duration::from_secs(state.settings.limits.header_read_timeout_secs.max(1));
    let app = crate::web::router(state);
    crate::web::serve::serve(listener, app, header_timeout, shutdown()).await;
    Ok(())
}

/// The key-encryption key from `keys.kek` or `keys.kek_file`, with `keys.previous_keks`.
/// Development without one makes `<data_dir>/kek` (mode 0600) and keeps using it.
pub fn keks(settings: &Settings) -> anyhow::Result<Keks> {
    let k = &settings.keys;
    let text = match (&k.kek, &k.kek_file) {
        (Some(kek), _) => kek.expose().to_owned(),
        (None, Some(file)) => std::fs::read_to_string(file)
            .with_context(|| format!("keys.kek_file: reading {}", file.display()))?,
        (None, None) if settings.mode == Mode::Development => dev_kek(&settings.data_dir)?,
        (None, None) => anyhow::bail!(
            "configuration error in `keys.kek`: production needs a key-encryption key"
        ),
    };
    let parse = |key: &str, text: &str| {
        Kek::parse(text).map_err(|e| anyhow::anyhow!("configuration error in `{key}`: {e}"))
    };
    let previous = k
        .previous_keks
        .iter()
        .map(|p| parse("keys.previous_keks", p.expose()))
        .collect::<anyhow::Result<Vec<_>>>()?;
    Ok(Keks::new(parse("keys.kek", &text)?, previous))
}

fn dev_kek(data_dir: &std::path::Path) -> anyhow::Result<String> {
    let path = data_dir.join("kek");
    if let Ok(text) = std::fs::read_to_string(&path) {
        return Ok(text);
    }
    std::fs::create_dir_all(data_dir)?;
    let text = Kek::generate()?;
    crate::storage::write_private(&path, text.as_bytes())
        .with_context(|| format!("writing {}", path.display()))?;
    tracing::info!(path = %path.display(), "development key-encryption key created");
    Ok(text)
}

/// Reads the signing keys again every `keys.refresh_seconds`, so a key rotated on another
/// node signs here too.
async fn refresh_keys(state: AppState) {
    let period = std::time::Duration::from_secs(state.settings.keys.refresh_seconds);
    let mut every = tokio::time::interval(period);
    every.tick().await;
    loop {
        every.tick().await;
        for (what, store) in std::iter::once(("signing", &state.keys))
            .chain(state.dev_idp.as_ref().map(|d| ("dev_idp", &d.keys)))
        {
            match store.refresh(&state.db).await {
                Ok(true) => {
                    tracing::info!(keys = what, kids = ?store.kids(), "signing keys changed")
                }
                Ok(false) => {}
                Err(e) => {
                    tracing::error!(keys = what, error = %e, "reading the signing keys failed")
                }
            }
        }
    }
}

/// Removes ended sessions and abandoned logins every ten minutes. Harmless when several
/// nodes do it at once.
pub async fn sweep(state: AppState) {
    let mut every = tokio::time::interval(std::time::Duration::from_secs(600));
    loop {
        every.tick().await;
        let sessions = crate::db::sessions::delete_ended(&state.db).await;
        let flows = crate::db::login_flows::delete_expired(&state.db).await;
        match (sessions, flows) {
            (Ok(s), Ok(f)) => tracing::debug!(sessions = s, logins = f, "swept"),
            (Err(e), _) | (_, Err(e)) => tracing::warn!(error = %e, "sweeping sessions failed"),
        }
    }
}

async fn shutdown() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
    tracing::info!("shutting down");
}
