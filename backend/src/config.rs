//! Settings: defaults → `okienko.toml` → `OKIENKO_*` environment (`__` for nesting) →
//! `DATABASE_URL` → command-line flags. Wrong settings fail at start with one line naming the key.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use figment::Figment;
use figment::providers::{Env, Format, Serialized, Toml};
use serde::{Deserialize, Serialize};

use crate::domain::identity::Role;
use crate::domain::level::IdentityLevel;

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
    /// In development okienko listens on a loopback address only (the development
    /// identity provider lets anyone log in as an administrator); see `dev_allow_remote`.
    pub listen: SocketAddr,
    /// Development mode on a non-loopback `listen` address: off unless set on purpose.
    pub dev_allow_remote: bool,
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
    pub auth: Auth,
    pub cases: Cases,
    pub mail: Mail,
    #[serde(default)]
    pub metrics: Metrics,
    #[serde(default)]
    pub receipts: Receipts,
    /// The national e-Doręczenia service (docs/delivery.md); unset, letters go to the
    /// portal's own mailboxes only.
    #[serde(default)]
    pub edoreczenia: Edoreczenia,
    /// Which channel each kind of letter takes (docs/delivery.md).
    #[serde(default)]
    pub delivery: Delivery,
    /// The council, its committee for complaints, motions and petitions, and its
    /// sessions (docs/council.md).
    #[serde(default)]
    pub council: Council,
    /// The citizens' legislative initiative (docs/initiative.md).
    #[serde(default)]
    pub initiative: Initiative,
    /// The signing keys' encryption and refresh (docs/operations.md).
    #[serde(default)]
    pub keys: Keys,
    /// Public consultations (docs/consultations.md).
    #[serde(default)]
    pub consultations: Consultations,
    /// Fees and taxes: the gmina's accounts and its payment provider (docs/payments.md).
    #[serde(default)]
    pub payments: Payments,
    /// The trust anchors signed documents are verified against (docs/signatures.md).
    #[serde(default)]
    pub signatures: Signatures,
}

/// Where the trust anchors of signed documents are (docs/signatures.md). Without any, a
/// service that requires a signature refuses every filing, naming the untrusted chain.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Signatures {
    /// The EU trusted list (ETSI TS 119 612 XML) or the Polish national one: its granted
    /// qualified CA services anchor qualified signatures.
    pub trusted_list: Option<PathBuf>,
    /// PEM certificates that anchor the trusted profile's signature (podpis zaufany).
    pub trusted_profile_roots: Option<PathBuf>,
    /// PEM certificates that anchor the personal signature (podpis osobisty).
    pub personal_roots: Option<PathBuf>,
    /// A directory of CRLs (`*.crl`, DER or PEM) the gmina keeps current, read at the
    /// start and whenever it changes: certificates on them are refused (docs/signatures.md,
    /// Revocation).
    pub crl_dir: Option<PathBuf>,
    /// How often a node looks whether `crl_dir` changed (a file added, replaced or removed).
    pub crl_reload_seconds: u64,
    /// PEM certificates of the trusted list's scheme operator (for the Polish list, those
    /// the EU's list of trusted lists publishes for it): the list's own signature must hold
    /// under one of them, or it is not read and the start stops.
    pub trusted_list_operator: Option<PathBuf>,
}

impl Default for Signatures {
    fn default() -> Self {
        Self {
            trusted_list: None,
            trusted_profile_roots: None,
            personal_roots: None,
            crl_dir: None,
            crl_reload_seconds: 300,
            trusted_list_operator: None,
        }
    }
}

/// Where residents pay (docs/payments.md).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Payments {
    /// The gmina's account for fees and taxes (NRB or IBAN), used where no virtual
    /// account prefix is set.
    pub account: Option<String>,
    /// The bank's prefix for the gmina's virtual accounts (the sort code and the gmina's
    /// number at the bank, 8 to 20 digits): each debt gets its own account.
    pub virtual_prefix: Option<String>,
    /// The recipient's name on transfers and in the 2D code.
    pub recipient: String,
    /// The gmina's NIP for the 2D code.
    pub nip: Option<String>,
    /// Online payments through Przelewy24; unset, residents pay by transfer only.
    pub przelewy24: Option<Przelewy24>,
}

/// The Przelewy24 account (its panel: "Moje dane", "Dane API i konfiguracja").
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Przelewy24 {
    /// `https://secure.przelewy24.pl`, `https://sandbox.przelewy24.pl`, or the emulator's.
    pub base_url: String,
    pub merchant_id: i64,
    pub pos_id: i64,
    /// The CRC key that signs requests and notifications.
    pub crc: String,
    /// The API key ("klucz do raportów").
    pub api_key: String,
}

/// The signing keys live in the database, their private halves sealed with a
/// key-encryption key (KEK) that only the nodes' configuration holds.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Keys {
    /// The KEK: 32 random bytes in base64 (`openssl rand -base64 32`), e.g. from the
    /// environment as `OKIENKO_KEYS__KEK`. Production needs this or `kek_file`; development
    /// without either makes `<data_dir>/kek`.
    pub kek: Option<Secret>,
    /// A file holding the KEK (a mounted secret).
    pub kek_file: Option<PathBuf>,
    /// Earlier KEKs that still open keys not yet resealed (`okienko keys reseal`).
    pub previous_keks: Vec<Secret>,
    /// How often a node reads the keys again, so a key rotated on another node signs here.
    pub refresh_seconds: u64,
}

impl Default for Keys {
    fn default() -> Self {
        Self {
            kek: None,
            kek_file: None,
            previous_keks: Vec::new(),
            refresh_seconds: 30,
        }
    }
}

/// What the council's resolution on consultations sets for residents' requests to start
/// one (u.s.g. art. 5a ust. 2 leaves the rules to the resolution).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Consultations {
    /// How many residents must support a request to start a consultation before it is
    /// filed as a case ([U]: the resolution's number; the request's author counts).
    pub request_threshold: u32,
    /// How many days after its report a consultation is archived: it stays public and
    /// read-only with its report, out of the lists of current ones ([U]).
    pub archive_after_days: u32,
}

impl Default for Consultations {
    fn default() -> Self {
        Self {
            request_threshold: 100,
            archive_after_days: 365,
        }
    }
}

/// The gmina's council (u.s.g. art. 15–21): who its members are, who sits on its committee
/// for complaints, motions and petitions (art. 18b), who chairs it, and its statutory
/// number of members, from which the quorum and absolute majorities count (art. 14).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Council {
    /// As letters and pages print it: `Rada Gminy Przykładowo`.
    pub name: String,
    /// The unit of `units.yaml` that serves the council (biuro rady): petitions addressed to
    /// the council are routed there, complaints about the wójt are transferred there (KPA
    /// art. 229), and its clerks keep the sessions' calendar.
    pub office_unit: String,
    /// The statutory number of councillors (u.s.g. art. 17: 15 up to 20,000 residents,
    /// 21 up to 50,000, 23 up to 100,000, …).
    pub statutory_members: u32,
    pub members: Vec<Councillor>,
}

/// A councillor: the account they log in with, as `provider:subject` of the staff
/// provider (role `councillor`), and their name as the named lists print it.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Councillor {
    pub login: String,
    pub name: String,
    /// A member of the committee for complaints, motions and petitions (u.s.g. art. 18b).
    #[serde(default)]
    pub committee: bool,
    /// The council's chair (przewodniczący rady, art. 19), who opens and closes votes.
    #[serde(default)]
    pub chair: bool,
}

impl Default for Council {
    fn default() -> Self {
        Self {
            name: "Rada Gminy Przykładowo".into(),
            office_unit: "BR".into(),
            statutory_members: 15,
            members: Vec::new(),
        }
    }
}

impl Council {
    /// The councillor who logs in as `login` (`provider:subject`).
    pub fn member(&self, login: &str) -> Option<&Councillor> {
        self.members.iter().find(|m| m.login == login)
    }

    fn check(&self) -> Result<(), String> {
        let fail = |key: &str, why: String| Err(format!("configuration error in `{key}`: {why}"));
        if !(1..=100).contains(&self.statutory_members) {
            return fail(
                "council.statutory_members",
                "the statutory number of councillors is between 1 and 100 (u.s.g. art. 17)".into(),
            );
        }
        if self.members.len() > self.statutory_members as usize {
            return fail(
                "council.members",
                format!(
                    "{} members listed, more than the statutory {}",
                    self.members.len(),
                    self.statutory_members
                ),
            );
        }
        let mut seen = std::collections::BTreeSet::new();
        for m in &self.members {
            if !m.login.contains(':') || m.name.trim().is_empty() {
                return fail(
                    "council.members",
                    format!(
                        "`{}`: give `login` as provider:subject and a `name`",
                        m.login
                    ),
                );
            }
            if !seen.insert(m.login.as_str()) {
                return fail("council.members", format!("`{}` is listed twice", m.login));
            }
        }
        if self.members.iter().filter(|m| m.chair).count() > 1 {
            return fail(
                "council.members",
                "the council has one chair (u.s.g. art. 19 ust. 1)".into(),
            );
        }
        Ok(())
    }
}

/// A secret from configuration (a password, a token): never printed, logged or serialised.
#[derive(Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(transparent)]
pub struct Secret(String);

impl Secret {
    pub fn new(s: impl Into<String>) -> Self {
        Self(s.into())
    }
    /// The value itself, for the one place that sends it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret([redacted])")
    }
}

impl Serialize for Secret {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str("[redacted]")
    }
}

/// The national e-Doręczenia user-agent API (UA API 3.0.8). The operator's agreement gives
/// the authority a client id and a certificate; the API takes an OAuth 2.0 bearer token
/// (the spec's `oAuthUserAgent` scheme, scopes `read_messages`/`write_messages`) that an
/// EZD-class system obtains at the authorization server with its X.509 certificate
/// (OAuth 2.0 mutual-TLS client authentication, RFC 8705).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Edoreczenia {
    /// The API's base URL, e.g. `https://…/api/v1`; unset, okienko does not use the service.
    pub base_url: Option<String>,
    /// The authorization server's token endpoint.
    pub token_url: Option<String>,
    pub client_id: Option<String>,
    /// Only where the operator issues one; the certificate is the usual client authentication.
    pub client_secret: Option<Secret>,
    /// The client certificate (PEM, with its chain) presented over mutual TLS.
    pub client_certificate: Option<PathBuf>,
    /// Its private key (PEM); read at start, never logged.
    pub client_key: Option<PathBuf>,
    /// Extra trusted CA certificate (PEM) for the service's test environment.
    pub ca_certificate: Option<PathBuf>,
    pub scopes: Vec<String>,
    /// Each call's whole time, connect included.
    pub timeout_secs: u64,
    /// Largest answer read from the service (attachments come base64 inside JSON).
    pub max_response_mib: usize,
}

impl Default for Edoreczenia {
    fn default() -> Self {
        Self {
            base_url: None,
            token_url: None,
            client_id: None,
            client_secret: None,
            client_certificate: None,
            client_key: None,
            ca_certificate: None,
            scopes: vec!["read_messages".into(), "write_messages".into()],
            timeout_secs: 30,
            max_response_mib: 25,
        }
    }
}

impl Edoreczenia {
    pub fn enabled(&self) -> bool {
        self.base_url.is_some()
    }
}

/// A letter's channel: the portal's own mailbox, or the national service.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Channel {
    #[default]
    Portal,
    National,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Delivery {
    /// Per kind of letter (`granted`, `call_to_supplement`, `delay_notice`, …): `portal` or
    /// `national`; a kind not named goes to the portal.
    pub channels: BTreeMap<String, Channel>,
}

impl Delivery {
    /// The channel a letter of `kind` takes.
    pub fn channel(&self, kind: &str) -> Channel {
        self.channels.get(kind).copied().unwrap_or_default()
    }
}

/// What the council's resolution on the citizens' legislative initiative sets (u.s.g. art.
/// 41a ust. 5), and the gmina's population that sets the threshold (ust. 3).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Initiative {
    /// The gmina's residents, from the latest figure the office uses: up to 5,000 an
    /// initiative needs 100 supports, up to 20,000 200, above that 300.
    pub residents: u64,
    /// The smallest committee the resolution allows ([U]; commonly 5).
    pub min_committee: usize,
    /// Keep the supporter's PESEL on a support: off unless the resolution still asks for it
    /// (Wojewoda Lubelski, 2022, found the requirement beyond the statute).
    pub keeps_pesel: bool,
}

impl Default for Initiative {
    fn default() -> Self {
        Self {
            residents: 12_000,
            min_committee: 5,
            keeps_pesel: false,
        }
    }
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Metrics {
    /// `/metrics` answers only requests with `Authorization: Bearer <token>`. Without a
    /// token it is served to loopback clients in development and nowhere (404) in production.
    pub token: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Receipts {
    /// Issuers (`iss`, the base URL of an okienko) whose published keys `okienko receipt
    /// verify` may fetch, over https; any other receipt needs `--jwks FILE`. This
    /// installation's own `base_url` is always trusted.
    pub trusted_issuers: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Mail {
    /// `smtp://host:port`, `smtps://user:pass@host:465`, ...; without it notices are written
    /// as `.eml` files to `<data_dir>/mail/`.
    pub smtp_url: Option<String>,
    pub from: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Cases {
    /// KPA art. 57 § 4: a term ending on a Saturday moves to the next working day.
    pub saturday_counts: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Authority {
    /// The full name of the public entity, printed on receipts (art. 3 pkt 20 lit. a).
    pub name: String,
    /// The office's address for electronic delivery, as the national service assigned it
    /// and lists it in the BAE: printed on receipts, the sender of national letters.
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
    /// Requests worked on at once by this node; more wait their turn (within the request
    /// timeout) holding little memory. Health checks and metrics never wait. An upload
    /// holds its slot while its body streams in: behind a proxy that buffers request bodies
    /// (nginx does by default) slow clients cannot hold slots.
    pub max_in_flight: usize,
    /// How many more may wait for a slot; past that a request is answered at once with 503
    /// and `Retry-After`, so a node above capacity keeps its memory bounded and tells
    /// clients to come back instead of holding them for seconds.
    pub max_queued: usize,
    /// How long a request may wait for a slot, in milliseconds; past that it is answered 503
    /// `overloaded` with `Retry-After`. The queue's length bounds memory, this bounds the
    /// time: past capacity a node keeps the latency of the requests it accepts (a wait of at
    /// most this, then the usual work) and refuses the rest, instead of letting every
    /// request wait behind a full queue (scripts/faults `overload`).
    pub max_queue_wait_ms: u64,
    /// How long a request may wait for a slot once the queue has stood, never empty, for
    /// `max_queue_wait_ms`: the node is then past its capacity, not in a burst, and a short
    /// wait keeps the accepted requests' latency near their work while the rest are refused
    /// at once ("controlled delay", as in Maurer, "Fail at Scale", ACM Queue 13(8), 2015).
    /// Off by default (equal to `max_queue_wait_ms`): where a request's work takes hundreds
    /// of milliseconds, as a filing's does on a small node, the queue stands even at
    /// capacity and a short wait refuses what would have been served (docs/reliability.md).
    pub standing_queue_wait_ms: u64,
    /// A request's headers must all arrive within this many seconds of its first byte, or
    /// the connection is closed (hyper's `header_read_timeout`); a client trickling its
    /// headers holds nothing longer than that.
    pub header_read_timeout_secs: u64,
    /// A request body must arrive at this many bytes a second on average, after the first
    /// `body_grace_secs`; a slower one is cut (408) and gives back its admission slot, so
    /// clients trickling their bodies cannot hold the node's slots (as Apache's
    /// `mod_reqtimeout`, `body=20,MinRate=500`). 0 turns it off.
    pub body_min_bytes_per_sec: u64,
    pub body_grace_secs: u64,
    /// Form validations (step pages, `/validate`) an anonymous client address may ask for
    /// per minute, with a burst on top; logged-in residents and API clients are not counted.
    pub validate_per_minute: u32,
    pub validate_burst: u32,
}

/// The client the development identity provider knows: okienko itself.
pub const DEV_CLIENT_ID: &str = "okienko-dev";
pub const DEV_CLIENT_SECRET: &str = "okienko-dev-secret";

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Auth {
    /// A session ends after this long without a request.
    pub idle_timeout_mins: u32,
    /// The page warns this long before the idle timeout.
    pub idle_warning_mins: u32,
    /// A session ends this long after login, however active.
    pub absolute_lifetime_hours: u32,
    /// Logins and callbacks allowed per client address and minute, with a burst on top.
    pub login_per_minute: u32,
    pub login_burst: u32,
    /// Take the client address from `X-Forwarded-For`/`Forwarded` (behind a trusted proxy
    /// only: anyone can send those headers).
    pub trust_forwarded_for: bool,
    /// The proxies in front of okienko (addresses or CIDRs). With `trust_forwarded_for`,
    /// the client is the rightmost `X-Forwarded-For` hop that is not one of them, and the
    /// header is read only when the peer itself is one of them (any peer when empty).
    #[serde(default)]
    pub trusted_proxies: Vec<String>,
    /// Mount the development identity provider at `/dev-idp` and, when no providers are
    /// configured, log in through it. Refused in production.
    pub dev_idp: bool,
    /// OpenID Providers by name: `national` for residents, `staff` for the town hall.
    pub providers: BTreeMap<String, Provider>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ProviderKind {
    /// Residents: every login is a resident; the level of assurance comes from `acr`.
    Residents,
    /// Staff: roles and unit come from the mapped claims; a login without a role is refused.
    Staff,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Provider {
    pub kind: ProviderKind,
    /// The issuer; discovery reads `<issuer>/.well-known/openid-configuration`.
    pub issuer: String,
    pub client_id: String,
    pub client_secret: Option<String>,
    #[serde(default = "default_scopes")]
    pub scopes: Vec<String>,
    /// Shown on the login choice ("Log in with ...").
    pub label: Option<String>,
    #[serde(default)]
    pub claims: ClaimMap,
    /// `acr` values and the level each means, besides the eIDAS URIs and short names,
    /// which are always understood.
    #[serde(default)]
    pub acr_levels: BTreeMap<String, IdentityLevel>,
    /// The level when the token carries no `acr` (or one not understood).
    #[serde(default = "default_level")]
    pub default_level: IdentityLevel,
    /// What to send as `acr_values` when a service needs a level (step-up). Defaults
    /// to the eIDAS URI `http://eidas.europa.eu/LoA/<level>`.
    #[serde(default)]
    pub acr_values: BTreeMap<IdentityLevel, String>,
    /// Values of the roles claim and the okienko role each gives; by default the role
    /// names themselves (`clerk`, `councillor`, `admin`).
    #[serde(default)]
    pub roles: BTreeMap<String, Role>,
    /// Staff only: an ID token counts as two-factor when its `amr` holds one of these
    /// (RFC 8176: `otp`, `hwk`, `mfa`, ...) or its `acr` is one of `second_factor_acr`;
    /// a staff login without is refused (the failed-login page, no session).
    #[serde(default = "default_second_factor_amr")]
    pub second_factor_amr: Vec<String>,
    #[serde(default)]
    pub second_factor_acr: Vec<String>,
}

/// `otp`, `hwk` and `mfa`: a one-time code, a hardware key, or "several factors".
pub fn default_second_factor_amr() -> Vec<String> {
    vec!["otp".into(), "hwk".into(), "mfa".into()]
}

/// Where each part of the identity is in the ID token; dotted paths reach into objects
/// (`realm_access.roles` in Keycloak).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ClaimMap {
    pub subject: String,
    pub pesel: String,
    pub given_name: String,
    pub family_name: String,
    pub birth_date: String,
    pub email: String,
    pub acr: String,
    pub roles: String,
    pub unit: String,
}

impl Default for ClaimMap {
    fn default() -> Self {
        Self {
            subject: "sub".into(),
            pesel: "pesel".into(),
            given_name: "given_name".into(),
            family_name: "family_name".into(),
            birth_date: "birthdate".into(),
            email: "email".into(),
            acr: "acr".into(),
            roles: "roles".into(),
            unit: "unit".into(),
        }
    }
}

fn default_scopes() -> Vec<String> {
    vec!["openid".into(), "profile".into()]
}

fn default_level() -> IdentityLevel {
    IdentityLevel::Low
}

impl Auth {
    /// The providers in use: the configured ones, or, in development with the dev IdP on
    /// and nothing configured, `national` and `staff` both at the embedded `/dev-idp`.
    pub fn providers(&self, base_url: &str) -> BTreeMap<String, Provider> {
        if !self.providers.is_empty() || !self.dev_idp {
            return self.providers.clone();
        }
        let dev = |kind, scopes: &[&str], label: &str| Provider {
            kind,
            issuer: format!("{base_url}/dev-idp"),
            client_id: DEV_CLIENT_ID.into(),
            client_secret: Some(DEV_CLIENT_SECRET.into()),
            scopes: scopes.iter().map(|s| (*s).to_owned()).collect(),
            label: Some(label.into()),
            claims: ClaimMap::default(),
            acr_levels: BTreeMap::new(),
            default_level: IdentityLevel::Low,
            acr_values: BTreeMap::new(),
            roles: BTreeMap::new(),
            second_factor_amr: default_second_factor_amr(),
            second_factor_acr: Vec::new(),
        };
        BTreeMap::from([
            (
                "national".into(),
                dev(
                    ProviderKind::Residents,
                    &["openid", "profile", "pesel", "email"],
                    "Węzeł Krajowy (deweloperski)",
                ),
            ),
            (
                "staff".into(),
                dev(
                    ProviderKind::Staff,
                    &["openid", "profile", "email", "roles"],
                    "Urząd (deweloperski)",
                ),
            ),
        ])
    }
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            mode: Mode::Development,
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            dev_allow_remote: false,
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
                max_in_flight: 64,
                max_queued: 512,
                max_queue_wait_ms: 500,
                standing_queue_wait_ms: 500,
                header_read_timeout_secs: 30,
                body_min_bytes_per_sec: 500,
                body_grace_secs: 20,
                validate_per_minute: 120,
                validate_burst: 60,
            },
            cases: Cases {
                saturday_counts: true,
            },
            mail: Mail {
                smtp_url: None,
                from: "okienko <no-reply@okienko.invalid>".into(),
            },
            metrics: Metrics::default(),
            receipts: Receipts::default(),
            edoreczenia: Edoreczenia::default(),
            delivery: Delivery::default(),
            council: Council::default(),
            initiative: Initiative::default(),
            keys: Keys::default(),
            consultations: Consultations::default(),
            payments: Payments::default(),
            signatures: Signatures::default(),
            auth: Auth {
                idle_timeout_mins: 15,
                idle_warning_mins: 2,
                absolute_lifetime_hours: 8,
                login_per_minute: 30,
                login_burst: 20,
                trust_forwarded_for: false,
                trusted_proxies: Vec::new(),
                dev_idp: true,
                providers: BTreeMap::new(),
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
            .merge(Env::prefixed("OKIENKO_").split("__").ignore(&[
                "config",
                "smtp_url",
                "log_format",
            ]))
            .merge(
                Env::raw()
                    .only(&["DATABASE_URL"])
                    .map(|_| "database_url".into()),
            )
            .merge(
                Env::raw()
                    .only(&["OKIENKO_SMTP_URL"])
                    .map(|_| "mail.smtp_url".into()),
            )
            .extract::<Settings>()
            .map_err(|e| {
                let key = e.path.join(".");
                let e = e.to_string();
                if key.is_empty() {
                    format!("configuration error: {e}")
                } else {
                    format!("configuration error in `{key}`: {e}")
                }
            })?
            .checked()
    }

    /// Rules that span keys; each failure names the key to change.
    pub fn checked(self) -> Result<Self, String> {
        let fail = |key: &str, why: &str| Err(format!("configuration error in `{key}`: {why}"));
        if self.mode == Mode::Production && self.auth.dev_idp {
            return fail(
                "auth.dev_idp",
                "the development identity provider lets anyone log in as anyone, so it cannot run with mode = \"production\"; set auth.dev_idp = false and configure auth.providers",
            );
        }
        if self.mode == Mode::Production && !self.base_url().starts_with("https://") {
            return fail(
                "base_url",
                "production needs an https:// public URL (cookies are `Secure` and `__Host-`, HSTS is sent)",
            );
        }
        if self.mode == Mode::Development
            && !self.listen.ip().is_loopback()
            && !self.dev_allow_remote
        {
            return fail(
                "listen",
                "development mode (its identity provider lets anyone log in as an administrator) listens on a loopback address only; use 127.0.0.1, or set dev_allow_remote = true on purpose",
            );
        }
        for p in &self.auth.trusted_proxies {
            if crate::auth::rate_limit::parse_net(p).is_none() {
                return fail(
                    "auth.trusted_proxies",
                    &format!("`{p}` is neither an IP address nor a CIDR"),
                );
            }
        }
        for i in &self.receipts.trusted_issuers {
            if !i.starts_with("https://") || url::Url::parse(i).is_err() {
                return fail(
                    "receipts.trusted_issuers",
                    &format!("`{i}` is not an https:// URL"),
                );
            }
        }
        if self.limits.validate_per_minute == 0 || self.limits.validate_burst == 0 {
            return fail(
                "limits.validate_per_minute",
                "rate limits must be above zero",
            );
        }
        if self.keys.kek.is_some() && self.keys.kek_file.is_some() {
            return fail("keys.kek", "set keys.kek or keys.kek_file, not both");
        }
        if self.mode == Mode::Production && self.keys.kek.is_none() && self.keys.kek_file.is_none()
        {
            return fail(
                "keys.kek",
                "production needs a key-encryption key for the signing keys in the database: 32 random bytes in base64 (`openssl rand -base64 32`) as keys.kek, OKIENKO_KEYS__KEK or keys.kek_file",
            );
        }
        if self.keys.refresh_seconds == 0 {
            return fail("keys.refresh_seconds", "must be above zero");
        }
        if self.signatures.crl_reload_seconds == 0 {
            return fail("signatures.crl_reload_seconds", "must be above zero");
        }
        if self.mode == Mode::Production && self.auth.providers.is_empty() {
            return fail(
                "auth.providers",
                "production needs at least the `national` provider (see docs/identity.md)",
            );
        }
        for (name, p) in &self.auth.providers {
            if url::Url::parse(&p.issuer).is_err() {
                return fail(&format!("auth.providers.{name}.issuer"), "not a URL");
            }
            if !p.scopes.iter().any(|s| s == "openid") {
                return fail(
                    &format!("auth.providers.{name}.scopes"),
                    "must include `openid`",
                );
            }
        }
        if self.auth.idle_timeout_mins == 0 || self.auth.absolute_lifetime_hours == 0 {
            return fail("auth.idle_timeout_mins", "session times must be above zero");
        }
        if self.auth.login_per_minute == 0 || self.auth.login_burst == 0 {
            return fail("auth.login_per_minute", "rate limits must be above zero");
        }
        self.check_edoreczenia()?;
        self.council.check()?;
        Ok(self)
    }

    fn check_edoreczenia(&self) -> Result<(), String> {
        let fail = |key: &str, why: &str| Err(format!("configuration error in `{key}`: {why}"));
        let e = &self.edoreczenia;
        for (kind, channel) in &self.delivery.channels {
            if !crate::domain::procedure::LETTER_KINDS.contains(&kind.as_str()) {
                return fail(
                    &format!("delivery.channels.{kind}"),
                    &format!(
                        "not a kind of letter (one of {})",
                        crate::domain::procedure::LETTER_KINDS.join(", ")
                    ),
                );
            }
            if *channel == Channel::National && !e.enabled() {
                return fail(
                    &format!("delivery.channels.{kind}"),
                    "`national` needs the national service: set edoreczenia.base_url and its credentials",
                );
            }
        }
        let Some(base) = &e.base_url else {
            return Ok(());
        };
        let https = |u: &str| u.starts_with("https://");
        for (key, u) in [
            ("edoreczenia.base_url", Some(base)),
            ("edoreczenia.token_url", e.token_url.as_ref()),
        ] {
            let Some(u) = u else {
                return fail(key, "the national service needs it");
            };
            if url::Url::parse(u).is_err() {
                return fail(key, "not a URL");
            }
            if self.mode == Mode::Production && !https(u) {
                return fail(
                    key,
                    "production talks to the national service over https only",
                );
            }
        }
        if e.client_id.is_none() {
            return fail("edoreczenia.client_id", "the national service needs it");
        }
        if self.authority.ade.is_none() {
            return fail(
                "authority.ade",
                "the office's address for electronic delivery (from the BAE) is the sender of every national letter",
            );
        }
        if e.client_certificate.is_some() != e.client_key.is_some() {
            return fail(
                "edoreczenia.client_key",
                "a client certificate and its key go together",
            );
        }
        if self.mode == Mode::Production && e.client_certificate.is_none() {
            return fail(
                "edoreczenia.client_certificate",
                "the authorization server authenticates an EZD system by its X.509 certificate (mutual TLS)",
            );
        }
        if e.timeout_secs == 0 || e.max_response_mib == 0 {
            return fail("edoreczenia.timeout_secs", "limits must be above zero");
        }
        Ok(())
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn production_needs_a_key_encryption_key_naming_the_key() {
        let mut p = production();
        p.keys.kek = None;
        let e = p.clone().checked().unwrap_err();
        assert!(e.contains("`keys.kek`"), "{e}");
        p.keys.kek_file = Some(PathBuf::from("/run/secrets/okienko-kek"));
        assert!(p.checked().is_ok());
    }

    fn production() -> Settings {
        let mut s = Settings {
            mode: Mode::Production,
            base_url: Some("https://e.gmina.example".into()),
            ..Settings::default()
        };
        s.auth.dev_idp = false;
        s.auth.providers.insert(
            "national".into(),
            Provider {
                kind: ProviderKind::Residents,
                issuer: "https://wk.example".into(),
                client_id: "x".into(),
                client_secret: None,
                scopes: default_scopes(),
                label: None,
                claims: ClaimMap::default(),
                acr_levels: BTreeMap::new(),
                default_level: default_level(),
                acr_values: BTreeMap::new(),
                roles: BTreeMap::new(),
                second_factor_amr: default_second_factor_amr(),
                second_factor_acr: Vec::new(),
            },
        );
        s.keys.kek = Some(Secret::new("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="));
        s
    }

    #[test]
    fn production_refuses_a_plain_http_base_url_naming_the_key() {
        assert!(production().checked().is_ok());
        let mut s = production();
        s.base_url = Some("http://e.gmina.example".into());
        let e = s.checked().unwrap_err();
        assert!(e.contains("`base_url`"), "{e}");
        let mut s = production();
        s.base_url = None;
        assert!(s.checked().unwrap_err().contains("`base_url`"));
    }

    #[test]
    fn development_listens_on_loopback_unless_told_otherwise() {
        assert!(Settings::default().checked().is_ok());
        let mut s = Settings {
            listen: SocketAddr::from(([0, 0, 0, 0], 8080)),
            ..Settings::default()
        };
        let e = s.clone().checked().unwrap_err();
        assert!(e.contains("`listen`"), "{e}");
        s.dev_allow_remote = true;
        assert!(s.checked().is_ok());
        // production may listen anywhere (behind its proxy)
        let mut p = production();
        p.listen = SocketAddr::from(([0, 0, 0, 0], 8080));
        assert!(p.checked().is_ok());
    }

    #[test]
    fn trusted_proxies_and_issuers_are_checked_at_start() {
        let mut s = Settings::default();
        s.auth.trusted_proxies = vec!["10.0.0.0/8".into(), "::1".into()];
        assert!(s.clone().checked().is_ok());
        s.auth.trusted_proxies.push("proxy.local".into());
        assert!(s.checked().unwrap_err().contains("`auth.trusted_proxies`"));
        let mut s = Settings::default();
        s.receipts.trusted_issuers = vec!["http://evil.example".into()];
        assert!(
            s.checked()
                .unwrap_err()
                .contains("`receipts.trusted_issuers`")
        );
    }

    #[test]
    fn national_delivery_settings_are_checked_at_start() {
        // unset: every letter goes to the portal, as before
        let s = Settings::default();
        assert!(!s.edoreczenia.enabled());
        assert_eq!(s.delivery.channel("granted"), Channel::Portal);
        let mut s = Settings::default();
        s.delivery
            .channels
            .insert("granted".into(), Channel::National);
        assert!(
            s.clone()
                .checked()
                .unwrap_err()
                .contains("`delivery.channels.granted`")
        );
        s.edoreczenia.base_url = Some("https://ua.example/api/v1".into());
        assert!(
            s.clone()
                .checked()
                .unwrap_err()
                .contains("`edoreczenia.token_url`")
        );
        s.edoreczenia.token_url = Some("https://as.example/oauth2/token".into());
        s.edoreczenia.client_id = Some("gmina".into());
        assert!(s.clone().checked().unwrap_err().contains("`authority.ade`"));
        s.authority.ade = Some("AE:PL-30275-59799-JADHJ-27".into());
        assert!(s.clone().checked().is_ok());
        assert_eq!(s.delivery.channel("granted"), Channel::National);
        assert_eq!(s.delivery.channel("delay_notice"), Channel::Portal);
        s.delivery
            .channels
            .insert("letter_of_love".into(), Channel::Portal);
        assert!(s.checked().unwrap_err().contains("not a kind of letter"));
        // production: https and the client certificate
        let mut p = production();
        p.authority.ade = Some("AE:PL-30275-59799-JADHJ-27".into());
        p.edoreczenia.base_url = Some("https://ua.example/api/v1".into());
        p.edoreczenia.token_url = Some("https://as.example/oauth2/token".into());
        p.edoreczenia.client_id = Some("gmina".into());
        assert!(
            p.clone()
                .checked()
                .unwrap_err()
                .contains("`edoreczenia.client_certificate`")
        );
        p.edoreczenia.client_certificate = Some("/etc/okienko/ede.pem".into());
        p.edoreczenia.client_key = Some("/etc/okienko/ede.key".into());
        assert!(p.clone().checked().is_ok());
        p.edoreczenia.token_url = Some("http://as.example/oauth2/token".into());
        assert!(p.checked().unwrap_err().contains("https only"));
    }

    #[test]
    fn secrets_are_never_printed() {
        let mut s = Settings::default();
        s.edoreczenia.client_secret = Some(Secret::new("hunter2"));
        assert!(!format!("{s:?}").contains("hunter2"));
        assert!(!serde_json::to_string(&s).unwrap().contains("hunter2"));
    }
}
