//! Application state, built once at start and shared by every handler.

use std::ops::Deref;
use std::sync::Arc;

use metrics_exporter_prometheus::PrometheusHandle;
use object_store::ObjectStore;
use sea_orm::DatabaseConnection;

use crate::auth::Providers;
use crate::config::Settings;
use crate::forms::Catalogue;
use crate::receipt::Keystore;
use crate::web::dev_idp::DevIdp;

pub struct App {
    pub settings: Settings,
    pub db: DatabaseConnection,
    /// Writes filings, several to a transaction at the peak (`db::committer`).
    pub committer: crate::db::committer::Committer,
    /// Form validations by anonymous clients, per address (`web::rate_limit`).
    pub anonymous_limit: crate::web::rate_limit::AnonymousLimit,
    /// The gate in front of the handlers (`web::admission`).
    pub admission: Arc<crate::web::admission::Admission>,
    pub catalogue: Arc<Catalogue>,
    pub keys: Keystore,
    pub storage: Arc<dyn ObjectStore>,
    pub templates: tera::Tera,
    pub metrics: Option<PrometheusHandle>,
    pub providers: Providers,
    pub mailer: crate::mail::Mailer,
    /// The national e-Doręczenia service, when `edoreczenia.base_url` is set.
    pub edoreczenia: Option<Arc<crate::edoreczenia::Client>>,
    /// The development identity provider, when `auth.dev_idp` is on.
    pub dev_idp: Option<Arc<DevIdp>>,
    /// The live state of council sessions being watched on this node.
    pub council_live: crate::participation::council::live::Hub,
    /// Consultation versions read and compiled on this node (they never change).
    pub consultation_versions: crate::participation::consultations::versions::Versions,
    /// The gmina's tax ledger (`ledger::TaxLedger`): prefill and certificates read it.
    pub ledger: Arc<dyn crate::ledger::TaxLedger>,
    /// The residents' registers (`residents::ResidentsRegister`): their certificates read them.
    pub residents: Arc<dyn crate::residents::ResidentsRegister>,
    /// The online payment provider (`[payments.przelewy24]`), if any.
    pub payment_provider: Option<Arc<dyn crate::payments::provider::PaymentProvider>>,
    /// The anchors signed documents are verified against (`[signatures]`), with the CRLs
    /// of `crl_dir` as last read.
    pub signatures: Arc<crate::signatures::LiveTrust>,
}

#[derive(Clone)]
pub struct AppState(pub Arc<App>);

impl Deref for AppState {
    type Target = App;
    fn deref(&self) -> &App {
        &self.0
    }
}
