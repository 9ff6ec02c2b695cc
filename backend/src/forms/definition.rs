//! The serde model of `forms/*.yaml`, documented key by key in docs/forms.md.
//!
//! Every struct denies unknown keys so a typo in a definition is an error at load time,
//! never a silently ignored rule.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::domain::lang::Text;
use crate::domain::level::IdentityLevel;

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Definition {
    pub id: String,
    pub version: u32,
    pub title: Text,
    pub description: Text,
    pub category: String,
    pub legal_basis: Text,
    pub identity_level: IdentityLevel,
    pub applicant: ApplicantKind,
    pub routing: Routing,
    /// ISO 8601 duration such as `P1M` or `P14D`; empty string means "immediately".
    pub processing_term: String,
    /// Caps the case's due date by a date the applicant gives: due no later than `term`
    /// before that date (a mass event's permit at least 7 days before the event, art. 29).
    #[serde(default)]
    pub due_cap: Option<DueCap>,
    /// Terms the law sets for some data instead of `processing_term`, which stays the
    /// default: the first rule whose `when` holds gives the case its term (a zoning decision
    /// for a house of up to 70 m²: 21 days, not 90). Left out of the JSON when empty so a
    /// definition without it keeps its hash.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub terms: Vec<TermRule>,
    /// How far past its term a case may be extended (art. 36), e.g. `P3M` for petitions
    /// (art. 10 ust. 2 of the petitions act); unlimited when absent.
    #[serde(default)]
    pub max_extension: Option<String>,
    /// How the law ends its cases (`administrative`, `petition`, `complaint_or_motion`,
    /// `public_information`): which letters they carry and the rules of their terms.
    #[serde(default)]
    pub procedure: crate::domain::procedure::Procedure,
    /// Who files it: residents and companies from the catalogue (the default), or the
    /// committee of a citizens' legislative initiative from its page (`initiative`), or
    /// okienko itself when a residents' request to start a consultation reaches its
    /// threshold (`consultation_request`); such a service is neither listed nor filed
    /// through the forms API.
    #[serde(default)]
    pub filed_through: FiledThrough,
    #[serde(default)]
    pub estimated_minutes: Option<u32>,
    /// What the applicant should have at hand, shown on the start page.
    #[serde(default)]
    pub requirements: Vec<Text>,
    /// Aliases for data tables in `forms/data/`, e.g. `rates: property-tax-rates-2026`.
    #[serde(default)]
    pub tables: indexmap::IndexMap<String, String>,
    pub steps: Vec<Step>,
    #[serde(default)]
    pub checks: Vec<Check>,
    #[serde(default)]
    pub examples: Examples,
    /// The office's letters in this service's cases, by kind (`granted`, `refused`,
    /// `left_unconsidered`, `discontinued`, `call_to_supplement`). When any is given, a
    /// decision whose letter is missing is refused; otherwise okienko's plain ones are used.
    #[serde(default)]
    pub letters: std::collections::BTreeMap<String, LetterTemplate>,
    /// What filing costs: stamp duty, an administrative fee or another charge; shown on the
    /// service's page and worked out for each filing (`exempt_if`). Left out of the JSON when
    /// absent so a definition without one keeps its hash.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fee: Option<Fee>,
    /// The e-filing XML of the form (a tax declaration the council's resolution lets be
    /// filed electronically, u.p.o.l. art. 6 ust. 14–15): its code, variant and the XSD in
    /// `forms/schemas/` it validates against (`forms::efiling`, docs/forms.md). Not part of
    /// the definition's hash (never serialized): the hash is what the data was filled
    /// against, and giving a form its e-filing document changes nothing a filer filled.
    #[serde(default, skip_serializing)]
    pub efiling: Option<Efiling>,
}

/// `efiling: { code: DN-1, variant: 1, schema_version: "1-0", namespace: "...", schema:
/// dn-1-v1.xsd, root: Deklaracja }`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Efiling {
    /// The form's code as printed on it: `DN-1`.
    pub code: String,
    /// The variant of the form (`WariantFormularza`): a new layout is a new variant.
    pub variant: u32,
    /// The version of the schema (`wersjaSchemy`), `1-0`.
    pub schema_version: String,
    /// The schema's target namespace; the document's elements are in it.
    pub namespace: String,
    /// The XSD's file name in `forms/schemas/`.
    pub schema: String,
    /// The root element: `Deklaracja` for a declaration, `Informacja` for an information.
    #[serde(default = "declaration_root")]
    pub root: String,
}

fn declaration_root() -> String {
    "Deklaracja".into()
}

/// `fee: { amount: "17.00", kind: stamp_duty, legal_basis: {pl, en}, position: certificate,
/// exempt_if: "...", exemptions: stamp-duty }`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Fee {
    /// In złoty, exact: `"17.00"`.
    #[serde(with = "rust_decimal::serde::str")]
    pub amount: rust_decimal::Decimal,
    pub kind: FeeKind,
    pub legal_basis: Text,
    /// The row of the `exemptions` table this amount is (a position of the stamp duty
    /// act's annex); `forms check` compares the amounts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub position: Option<String>,
    /// A CEL predicate over the form's data: when it holds, nothing is due.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exempt_if: Option<String>,
    /// A `fees` table in `forms/data/` (by id) whose rates and exemptions apply.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exemptions: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FeeKind {
    /// Opłata skarbowa (ustawa z dnia 16 listopada 2006 r. o opłacie skarbowej).
    StampDuty,
    /// Opłata administracyjna set by another act or the council.
    Administrative,
    Other,
}

impl FeeKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::StampDuty => "stamp_duty",
            Self::Administrative => "administrative",
            Self::Other => "other",
        }
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FiledThrough {
    #[default]
    Catalogue,
    Initiative,
    ConsultationRequest,
}

/// `due_cap: { before: event_date, term: P7D }`: the case is due by the earlier of its
/// processing term and `term` before the date in field `before` (moved back to a working
/// day, so the margin is never shorter than `term`).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DueCap {
    /// A top-level `date` field.
    pub before: String,
    /// Days or weeks: `P7D`, `P2W`.
    pub term: String,
}

/// `terms: [{ when: "small_house == true", term: P21D, legal_basis: {pl, en} }]`: a term
/// chosen by the data, with the provision that sets it.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TermRule {
    /// A CEL predicate over the fields, like a routing rule's.
    pub when: String,
    /// `P21D`, `P2W`, `P2M`, as `processing_term`.
    pub term: String,
    pub legal_basis: Text,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ApplicantKind {
    Person,
    Company,
    Both,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Routing {
    pub unit: String,
    pub jrwa: String,
    /// Conditional routes on the submitted data; the first whose `when` holds wins.
    #[serde(default)]
    pub rules: Vec<RoutingRule>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RoutingRule {
    /// A CEL predicate over the fields, as in `visible_if`.
    pub when: String,
    /// The unit; absent when `to` names the recipient instead.
    #[serde(default)]
    pub unit: Option<String>,
    pub jrwa: String,
    /// A recipient configured in `units.yaml` instead of a unit.
    #[serde(default)]
    pub to: Option<Recipient>,
}

/// Recipients a route may name instead of a unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Recipient {
    /// The crisis management centre of `units.yaml` (`crisis_centre`): its unit, or, for
    /// the voivodeship's centre, the default unit registers the notice and okienko e-mails it.
    CrisisCentre,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Step {
    pub id: String,
    pub title: Text,
    #[serde(default)]
    pub visible_if: Option<String>,
    pub fields: Vec<Field>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Hash)]
#[serde(rename_all = "snake_case")]
pub enum FieldType {
    Text,
    Textarea,
    Integer,
    Decimal,
    Money,
    Area,
    Date,
    Choice,
    MultiChoice,
    /// A point on a scale (consultations): an integer from `min` to `max`, 1 to 5 unless set.
    Scale,
    /// Options put in order of preference (consultations): the chosen options, best first.
    Ranking,
    YesNo,
    Email,
    Phone,
    Pesel,
    Nip,
    Regon,
    PostalCode,
    Address,
    Ade,
    File,
    Group,
    Content,
    /// One of the filer's own earlier filings of this service, by its receipt number
    /// (`UPO-2026-…`): what a correction corrects. The engine checks the number's shape;
    /// filing checks it is the filer's own, of this service, and filed.
    Filing,
}

impl FieldType {
    /// Whether values of this type are exact decimals (and computed as such).
    pub fn is_decimal(self) -> bool {
        matches!(self, Self::Decimal | Self::Money | Self::Area)
    }

    pub fn holds_value(self) -> bool {
        !matches!(self, Self::Content)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AreaUnit {
    M2,
    Ha,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ChoiceWidget {
    Radio,
    Select,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChoiceOption {
    pub value: String,
    pub label: Text,
}

/// Identity attributes a field can be filled from (`prefill: identity.pesel`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Prefill {
    #[serde(rename = "identity.pesel")]
    Pesel,
    #[serde(rename = "identity.given_name")]
    GivenName,
    #[serde(rename = "identity.family_name")]
    FamilyName,
    #[serde(rename = "identity.birth_date")]
    BirthDate,
    #[serde(rename = "identity.email")]
    Email,
    /// The gmina's tax ledger, once when a logged-in taxpayer opens a new draft; not
    /// locked (`ledger::prefill`, docs/ledger.md).
    #[serde(rename = "ledger")]
    Ledger,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Field {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: FieldType,
    #[serde(default)]
    pub label: Text,
    #[serde(default)]
    pub hint: Option<Text>,
    /// Guidance text of a `content` field.
    #[serde(default)]
    pub text: Option<Text>,
    /// The number of the box on the official paper form, e.g. `"12"`.
    #[serde(default)]
    pub form_box: Option<String>,
    #[serde(default)]
    pub required: bool,
    #[serde(default)]
    pub required_if: Option<String>,
    #[serde(default)]
    pub visible_if: Option<String>,
    #[serde(default)]
    pub computed: Option<String>,
    #[serde(default)]
    pub prefill: Option<Prefill>,
    /// Inclusive bounds: numbers for numeric types, `YYYY-MM-DD` for dates.
    #[serde(default)]
    pub min: Option<Value>,
    #[serde(default)]
    pub max: Option<Value>,
    #[serde(default)]
    pub min_length: Option<usize>,
    #[serde(default)]
    pub max_length: Option<usize>,
    #[serde(default)]
    pub pattern: Option<String>,
    /// Message shown when `pattern` does not match.
    #[serde(default)]
    pub pattern_message: Option<Text>,
    /// Decimal places for `decimal` (default 2).
    #[serde(default)]
    pub scale: Option<u32>,
    #[serde(default)]
    pub unit: Option<AreaUnit>,
    #[serde(default)]
    pub options: Vec<ChoiceOption>,
    /// Take the options of a `choice` from the rows of a data table alias.
    #[serde(default)]
    pub options_from: Option<String>,
    #[serde(default)]
    pub widget: Option<ChoiceWidget>,
    /// Allowed file types of a `file` field, as extensions: `pdf`, `jpg`, `png`, `xml`, ...
    #[serde(default)]
    pub accept: Vec<String>,
    #[serde(default)]
    pub max_size_mb: Option<u32>,
    #[serde(default)]
    pub max_files: Option<u32>,
    /// A `file` field whose files carry an electronic signature okienko verifies
    /// (`signatures`, docs/signatures.md): PAdES in a PDF, XAdES in an XML document.
    #[serde(default)]
    pub signature: Option<SignatureRule>,
    #[serde(default)]
    pub min_rows: Option<u32>,
    #[serde(default)]
    pub max_rows: Option<u32>,
    /// Fields of each row of a `group`.
    #[serde(default)]
    pub fields: Vec<Field>,
}

/// What a signed `file` field asks of its files' signatures.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SignatureRule {
    /// Every file must carry a valid signature of an accepted kind. When false, a file
    /// without one is taken as it is; a signature that is there is still verified and a
    /// failing one refuses the filing.
    #[serde(default = "yes")]
    pub required: bool,
    /// The kinds the law or the council's resolution accepts for this document.
    pub accept: Vec<crate::signatures::Kind>,
    /// The article that asks for the signature, shown to the resident.
    #[serde(default)]
    pub legal_basis: Option<String>,
}

fn yes() -> bool {
    true
}

/// The parts of an `address` value, in order: `building`, `postal_code` and `locality` are
/// required, `teryt` is the locality's 7-digit TERYT SIMC code.
pub const ADDRESS_PARTS: [&str; 6] = [
    "street",
    "building",
    "flat",
    "postal_code",
    "locality",
    "teryt",
];

/// The most rows a group takes when its definition names no `max_rows`.
pub const DEFAULT_MAX_ROWS: u32 = 1000;

impl Field {
    /// The most rows this group takes: more are refused before any row is looked at.
    pub fn row_limit(&self) -> u32 {
        self.max_rows.unwrap_or(DEFAULT_MAX_ROWS)
    }

    /// The ends of a `scale` field: `min` and `max`, 1 to 5 unless set.
    pub fn scale_bounds(&self) -> (i64, i64) {
        let end =
            |v: &Option<Value>, default| v.as_ref().and_then(Value::as_i64).unwrap_or(default);
        (end(&self.min, 1), end(&self.max, 5))
    }

    /// Decimal places kept for decimal-typed fields.
    pub fn decimal_scale(&self) -> u32 {
        match self.kind {
            FieldType::Money => 2,
            FieldType::Area => match self.unit {
                Some(AreaUnit::Ha) => 4,
                _ => 2,
            },
            _ => self.scale.unwrap_or(2),
        }
    }
}

/// A cross-field rule: `rule` must be true, otherwise `message` is reported at `path`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Check {
    pub id: String,
    pub rule: String,
    #[serde(default)]
    pub when: Option<String>,
    pub path: String,
    pub message: Text,
    #[serde(default)]
    pub severity: Severity,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    #[default]
    Error,
    Warning,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Examples {
    #[serde(default)]
    pub valid: Vec<ValidExample>,
    #[serde(default)]
    pub invalid: Vec<InvalidExample>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ValidExample {
    pub name: String,
    /// The date the example is filed on (`YYYY-MM-DD`), for rules about terms.
    #[serde(default)]
    pub today: Option<String>,
    #[serde(default)]
    pub computed: serde_json::Map<String, Value>,
    /// Where the case must go, `UNIT.JRWA` (checks the routing rules).
    #[serde(default)]
    pub route: Option<String>,
    /// The case's due date when filed on `today` (Saturdays off, the default setting).
    #[serde(default)]
    pub due_on: Option<String>,
    /// Exactly the warnings the data must give; not checked when absent.
    #[serde(default)]
    pub warnings: Option<Vec<ExpectedError>>,
    /// The fee due for this data (`"0.00"` when exempt); not checked when absent.
    #[serde(default)]
    pub fee_due: Option<String>,
    pub data: Value,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InvalidExample {
    pub name: String,
    #[serde(default)]
    pub today: Option<String>,
    pub data: Value,
    pub errors: Vec<ExpectedError>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExpectedError {
    pub path: String,
    pub code: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LetterTemplate {
    /// e.g. "DECYZJA" or "WEZWANIE DO USUNIĘCIA BRAKÓW FORMALNYCH".
    pub title: String,
    /// The text, in Polish, with placeholders: {sign}, {register_no}, {filed_on}, {date},
    /// {applicant}, {service}, {authority}, {reason}, {items}, {term}, {new_due_on}.
    pub body: String,
}

/// Letter kinds a service may define (by procedure: `domain::procedure`).
pub use crate::domain::procedure::LETTER_KINDS;

/// Placeholders a letter may use.
pub const LETTER_PLACEHOLDERS: [&str; 13] = [
    "sign",
    "register_no",
    "filed_on",
    "date",
    "applicant",
    "service",
    "authority",
    "reason",
    "items",
    "term",
    "new_due_on",
    "fee",
    "forward_to",
];

/// The `{name}`s in a template, in order.
pub fn placeholders(body: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = body;
    while let Some(start) = rest.find('{') {
        let after = &rest[start + 1..];
        match after.find('}') {
            Some(end) => {
                out.push(&after[..end]);
                rest = &after[end + 1..];
            }
            None => break,
        }
    }
    out
}
