//! Validating submission data against a service: coerce every value to its type, compute
//! derived values in exact decimals, apply visibility and rules, and report every error at
//! once with its path, code and message.

use std::str::FromStr;

use rust_decimal::Decimal;
use serde::Serialize;
use serde_json::{Map, Value};
use time::Date;
use validator::ValidateEmail;

use super::catalogue::Service;
use super::definition::{Field, FieldType, Prefill, Recipient, Severity};
use super::expr::{self, Num, Scope};
use super::messages::message;
use crate::domain::identifier::{self, IdentifierKind};
use crate::domain::identity::Identity;
use crate::domain::lang::Lang;
use crate::domain::term::Term;
use crate::domain::{files, money};

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldError {
    pub path: String,
    pub code: String,
    pub message: String,
}

impl FieldError {
    /// Whether this error is about the field `id` or something inside it (`id.street`, `id[2].area`).
    pub fn concerns(&self, id: &str) -> bool {
        self.path
            .strip_prefix(id)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with('.') || rest.starts_with('['))
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Outcome {
    pub valid: bool,
    pub errors: Vec<FieldError>,
    pub warnings: Vec<FieldError>,
    pub computed: Map<String, Value>,
    /// The data as stored: typed, normalised, hidden fields dropped, computed fields filled.
    #[serde(skip)]
    pub data: Map<String, Value>,
    /// Steps and top-level fields hidden by their conditions for this data.
    #[serde(skip)]
    pub hidden: Vec<String>,
    /// Where the case goes: `(unit, jrwa)` from the first routing rule that holds, or the
    /// service's default.
    #[serde(skip)]
    pub route: (String, String),
    /// The recipient the route names instead of a unit (`to: crisis_centre`), if any.
    #[serde(skip)]
    pub to: Option<Recipient>,
    /// The case's processing term: from the first of the service's `terms` whose `when`
    /// holds, or its `processing_term`.
    #[serde(skip)]
    pub term: Term,
    /// The fee due for this data: the service's amount, nothing where its `exempt_if`
    /// holds, `None` for a service without a fee.
    #[serde(skip)]
    pub fee: Option<Decimal>,
}

/// Everything a validation depends on besides the data.
pub struct Input<'a> {
    pub lang: Lang,
    /// The date of filing; terms are counted from it.
    pub today: Date,
    pub identity: Option<&'a Identity>,
}

/// Validates `data` (a JSON object) against `service`.
pub fn validate(service: &Service, data: &Value, input: &Input) -> Outcome {
    let mut v = Validator {
        svc: service,
        lang: input.lang,
        errors: Vec::new(),
        warnings: Vec::new(),
    };
    let Some(obj) = data.as_object() else {
        v.error("", "type", &[]);
        return v.finish(Map::new(), Map::new());
    };

    // 1. coerce every known field; collect type errors by path, decided after visibility
    let mut pending: Vec<FieldError> = Vec::new();
    let mut out = Map::new();
    for key in obj.keys() {
        if service.field(key).is_none_or(|f| !f.kind.holds_value()) {
            v.error(key, "unknown_field", &[]);
        }
    }
    for f in service.fields() {
        if let Some(raw) = obj.get(&f.id)
            && let Some(val) = v.coerce(f, &f.id, raw, &mut pending)
        {
            out.insert(f.id.clone(), val);
        }
    }

    // 2. prefill from identity: fill, and refuse a different value
    if let Some(id) = input.identity {
        for f in service.fields() {
            let Some(p) = f.prefill else { continue };
            let Some(want) = prefill_value(id, p) else {
                continue;
            };
            match out.get(&f.id) {
                Some(Value::String(got)) if got != &want => v.error(&f.id, "prefill.locked", &[]),
                _ => {}
            }
            out.insert(f.id.clone(), Value::String(want));
        }
    }

    // 3. computed values, in dependency order
    v.compute(&mut out);

    // 4. visibility, required, rules
    let env = expr::environment();
    let mut root = expr::root_context(&env, input.today);
    for name in &service.predicate_names {
        let decimal = service.field(name).is_some_and(|f| f.kind.is_decimal());
        let val = out
            .get(name)
            .map_or(cel::Value::Null, |x| expr::to_cel(x, decimal));
        root.add_variable_from_value(name.clone(), val);
    }
    let mut hidden: Vec<String> = Vec::new();
    let mut hidden_steps: Vec<String> = Vec::new();
    let errors_at = ErrorPaths::of(&pending);
    for step in &service.def.steps {
        let step_visible = step
            .visible_if
            .as_ref()
            .is_none_or(|p| v.predicate(p, &root, ""));
        if !step_visible {
            hidden_steps.push(step.id.clone());
        }
        for f in &step.fields {
            let visible = step_visible
                && f.visible_if
                    .as_ref()
                    .is_none_or(|p| v.predicate(p, &root, &f.id));
            if !visible {
                hidden.push(f.id.clone());
                continue;
            }
            if f.kind == FieldType::Group {
                v.rows(f, &mut out, &root, &errors_at);
            }
            let required = f.required
                || f.required_if
                    .as_ref()
                    .is_some_and(|p| v.predicate(p, &root, &f.id));
            let required = required && !errors_at.has(&f.id);
            v.rules(f, &f.id, out.get(&f.id), required);
        }
    }
    for h in &hidden {
        out.remove(h);
    }
    pending.retain(|e| !hidden.iter().any(|h| e.concerns(h)));
    v.errors.extend(pending);

    // 5. cross-field checks
    for c in &service.def.checks {
        if c.when
            .as_ref()
            .is_some_and(|w| !v.predicate(w, &root, &c.path))
        {
            continue;
        }
        if !v.predicate(&c.rule, &root, &c.path) {
            let e = FieldError {
                path: c.path.replace("[*]", ""),
                code: format!("check.{}", c.id),
                message: c.message.get(v.lang).to_owned(),
            };
            match c.severity {
                Severity::Error => v.errors.push(e),
                Severity::Warning => v.warnings.push(e),
            }
        }
    }

    let fee = service.def.fee.as_ref().map(|f| match &f.exempt_if {
        Some(p) if v.predicate(p, &root, "") => Decimal::ZERO,
        _ => f.amount,
    });
    let rule = (service.def.routing.rules.iter()).find(|r| v.predicate(&r.when, &root, ""));
    let route = service.route(rule);
    let term_rule = (service.def.terms.iter()).find(|t| v.predicate(&t.when, &root, ""));
    let term = service.term(term_rule);
    let computed = collect_computed(service, &out);
    let mut outcome = v.finish(out, computed);
    hidden.extend(hidden_steps);
    outcome.hidden = hidden;
    outcome.route = route;
    outcome.to = rule.and_then(|r| r.to);
    outcome.term = term;
    outcome.fee = fee;
    outcome
}

/// The paths coercion reported problems at, with every enclosing path (`a[2].b` also
/// marks `a[2]` and `a`): "does `path` have an error?" is one hash lookup, not a scan of
/// every error, which made validating many rows quadratic.
#[derive(Default)]
struct ErrorPaths(std::collections::HashSet<String>);

impl ErrorPaths {
    fn of(pending: &[FieldError]) -> Self {
        let mut set = std::collections::HashSet::new();
        for e in pending {
            let p = e.path.as_str();
            for (i, c) in p.char_indices() {
                if c == '.' || c == '[' {
                    set.insert(p[..i].to_owned());
                }
            }
            set.insert(p.to_owned());
        }
        Self(set)
    }

    /// Whether coercion already reported a problem at `path` or inside it (then
    /// "required" would only repeat it); the same as any `FieldError::concerns(path)`.
    fn has(&self, path: &str) -> bool {
        self.0.contains(path)
    }
}

fn prefill_value(id: &Identity, p: Prefill) -> Option<String> {
    match p {
        Prefill::Pesel => id.pesel.clone(),
        Prefill::GivenName => id.given_name.clone(),
        Prefill::FamilyName => id.family_name.clone(),
        Prefill::BirthDate => id.birth_date.clone(),
        Prefill::Email => id.email.clone(),
        // a starting value only: the taxpayer declares what is true now
        Prefill::Ledger => None,
    }
}

fn collect_computed(service: &Service, out: &Map<String, Value>) -> Map<String, Value> {
    let mut computed = Map::new();
    for (group, field) in &service.order {
        match group {
            None => {
                if let Some(x) = out.get(field) {
                    computed.insert(field.clone(), x.clone());
                }
            }
            Some(g) => {
                let col: Vec<Value> = out
                    .get(g)
                    .and_then(Value::as_array)
                    .map(|rows| {
                        rows.iter()
                            .map(|r| r.get(field).cloned().unwrap_or(Value::Null))
                            .collect()
                    })
                    .unwrap_or_default();
                computed.insert(format!("{g}[*].{field}"), Value::Array(col));
            }
        }
    }
    computed
}

struct Validator<'a> {
    svc: &'a Service,
    lang: Lang,
    errors: Vec<FieldError>,
    warnings: Vec<FieldError>,
}

fn is_empty(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::String(s) => s.trim().is_empty(),
        Value::Array(a) => a.is_empty(),
        Value::Object(o) => o.values().all(is_empty),
        _ => false,
    }
}

/// The options a client sent for a multiple choice or a ranking: a list, or one as a string.
fn option_list(raw: &Value) -> Option<Vec<String>> {
    match raw {
        Value::Array(a) => a.iter().map(text_of).collect(),
        Value::String(s) => Some(vec![s.trim().to_owned()]),
        _ => None,
    }
}

fn text_of(raw: &Value) -> Option<String> {
    match raw {
        Value::String(s) => Some(s.trim().to_owned()),
        _ => None,
    }
}

impl Validator<'_> {
    fn err(&self, path: &str, code: &str, params: &[(&str, String)]) -> FieldError {
        FieldError {
            path: path.to_owned(),
            code: code.to_owned(),
            message: message(code, self.lang, params),
        }
    }

    fn error(&mut self, path: &str, code: &str, params: &[(&str, String)]) {
        let e = self.err(path, code, params);
        self.errors.push(e);
    }

    fn finish(mut self, data: Map<String, Value>, computed: Map<String, Value>) -> Outcome {
        self.errors.dedup();
        Outcome {
            valid: self.errors.is_empty(),
            errors: self.errors,
            warnings: self.warnings,
            computed,
            data,
            hidden: Vec::new(),
            route: self.svc.route(None),
            to: None,
            term: self.svc.term(None),
            fee: None,
        }
    }

    fn predicate(&mut self, src: &str, ctx: &cel::Context, path: &str) -> bool {
        let Some(p) = self.svc.predicates.get(src) else {
            return false;
        };
        match p.eval(ctx) {
            Ok(b) => b,
            Err(e) => {
                // A rule over an empty value is not an error of the applicant: treat as false.
                tracing::debug!(service = %self.svc.id(), rule = %src, error = %e, "rule not evaluated");
                let _ = path;
                false
            }
        }
    }

    /// Converts a raw value to the stored form of its type; `None` for empty or invalid.
    fn coerce(
        &mut self,
        f: &Field,
        path: &str,
        raw: &Value,
        pending: &mut Vec<FieldError>,
    ) -> Option<Value> {
        if f.computed.is_some() {
            return None; // computed fields are always recomputed, whatever the client sent
        }
        if is_empty(raw) && f.kind != FieldType::Group {
            return None;
        }
        match f.kind {
            FieldType::Content => None,
            FieldType::Text | FieldType::Textarea => match raw {
                Value::String(s) => Some(Value::String(s.trim().to_owned())),
                _ => self.refuse(pending, path, "type", &[]),
            },
            FieldType::Integer => {
                let n = match raw {
                    Value::Number(n) => n.as_i64(),
                    Value::String(s) => s.trim().parse::<i64>().ok(),
                    _ => None,
                };
                match n {
                    Some(n) => Some(Value::from(n)),
                    None => self.refuse(pending, path, "integer", &[]),
                }
            }
            FieldType::Decimal | FieldType::Money | FieldType::Area => {
                self.decimal(f, path, raw, pending)
            }
            FieldType::Date => match text_of(raw).filter(|s| expr::parse_date(s).is_some()) {
                Some(s) => Some(Value::String(s)),
                None => self.refuse(pending, path, "date", &[]),
            },
            FieldType::YesNo => match raw {
                Value::Bool(b) => Some(Value::Bool(*b)),
                Value::String(s) => match s.trim() {
                    "true" | "yes" | "tak" => Some(Value::Bool(true)),
                    "false" | "no" | "nie" => Some(Value::Bool(false)),
                    _ => self.refuse(pending, path, "yes_no", &[]),
                },
                _ => self.refuse(pending, path, "yes_no", &[]),
            },
            FieldType::Choice => match text_of(raw) {
                Some(s) if self.option_exists(f, &s) => Some(Value::String(s)),
                _ => self.refuse(pending, path, "choice", &[]),
            },
            FieldType::Scale => self.scale(f, path, raw, pending),
            FieldType::Ranking => self.ranking(f, path, raw, pending),
            FieldType::MultiChoice => self.multi_choice(f, path, raw, pending),
            FieldType::Email => match text_of(raw) {
                Some(s) if s.len() <= 254 && s.validate_email() => Some(Value::String(s)),
                _ => self.refuse(pending, path, "email", &[]),
            },
            FieldType::Phone => self.phone(path, raw, pending),
            FieldType::Pesel
            | FieldType::Nip
            | FieldType::Regon
            | FieldType::PostalCode
            | FieldType::Ade => self.identifier(f, path, raw, pending),
            FieldType::Filing => match text_of(raw)
                .as_deref()
                .and_then(crate::domain::ids::ReceiptId::parse)
            {
                Some(id) => Some(Value::String(id.to_string())),
                None => self.refuse(pending, path, "filing.format", &[]),
            },
            FieldType::Address => self.address(path, raw, pending),
            FieldType::File => self.file_list(f, path, raw, pending),
            FieldType::Group => self.group(f, path, raw, pending),
        }
    }

    /// Records `code` as an error of `path`; the value is dropped.
    fn refuse(
        &self,
        pending: &mut Vec<FieldError>,
        path: &str,
        code: &str,
        params: &[(&str, String)],
    ) -> Option<Value> {
        pending.push(self.err(path, code, params));
        None
    }

    /// A decimal, money or area: spaces and a decimal comma allowed, no more places than the field's scale.
    fn decimal(
        &self,
        f: &Field,
        path: &str,
        raw: &Value,
        pending: &mut Vec<FieldError>,
    ) -> Option<Value> {
        let s = match raw {
            Value::Number(n) => Some(n.to_string()),
            Value::String(s) => Some(s.trim().replace([' ', '\u{a0}'], "").replace(',', ".")),
            _ => None,
        };
        match s.as_deref().map(Decimal::from_str) {
            Some(Ok(d)) if d.scale() <= f.decimal_scale() => Some(Value::String(d.to_string())),
            Some(Ok(_)) => self.refuse(
                pending,
                path,
                "scale",
                &[("n", f.decimal_scale().to_string())],
            ),
            _ => self.refuse(pending, path, "decimal", &[]),
        }
    }

    /// A point of a scale within its bounds.
    fn scale(
        &self,
        f: &Field,
        path: &str,
        raw: &Value,
        pending: &mut Vec<FieldError>,
    ) -> Option<Value> {
        let (lo, hi) = f.scale_bounds();
        let n = match raw {
            Value::Number(n) => n.as_i64(),
            Value::String(s) => s.trim().parse::<i64>().ok(),
            _ => None,
        };
        match n {
            Some(n) if (lo..=hi).contains(&n) => Some(Value::from(n)),
            _ => self.refuse(
                pending,
                path,
                "scale.range",
                &[("min", lo.to_string()), ("max", hi.to_string())],
            ),
        }
    }

    /// A ranking: the options in order, each once.
    fn ranking(
        &self,
        f: &Field,
        path: &str,
        raw: &Value,
        pending: &mut Vec<FieldError>,
    ) -> Option<Value> {
        let items = option_list(raw);
        let mut seen = std::collections::HashSet::new();
        match items {
            Some(items)
                if !items.is_empty()
                    && items
                        .iter()
                        .all(|s| self.option_exists(f, s) && seen.insert(s.clone())) =>
            {
                Some(Value::from(items))
            }
            _ => self.refuse(pending, path, "ranking", &[]),
        }
    }

    /// Several options, each one of the field's.
    fn multi_choice(
        &self,
        f: &Field,
        path: &str,
        raw: &Value,
        pending: &mut Vec<FieldError>,
    ) -> Option<Value> {
        let items = option_list(raw);
        match items {
            Some(items) if items.iter().all(|s| self.option_exists(f, s)) => {
                let mut items = items;
                items.dedup();
                Some(Value::from(items))
            }
            _ => self.refuse(pending, path, "choice", &[]),
        }
    }

    /// A telephone number: 9 to 15 digits, an optional `+`; spaces and dashes dropped.
    fn phone(&self, path: &str, raw: &Value, pending: &mut Vec<FieldError>) -> Option<Value> {
        let s = text_of(raw).map(|s| s.replace([' ', '-'], ""));
        let ok = s.as_ref().is_some_and(|s| {
            let digits = s.strip_prefix('+').unwrap_or(s);
            (9..=15).contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit())
        });
        match s {
            Some(s) if ok => Some(Value::String(s)),
            _ => self.refuse(pending, path, "phone", &[]),
        }
    }

    /// A PESEL, NIP, REGON, postal code or ADE address, checked and normalised; its warnings kept.
    fn identifier(
        &mut self,
        f: &Field,
        path: &str,
        raw: &Value,
        pending: &mut Vec<FieldError>,
    ) -> Option<Value> {
        let kind = match f.kind {
            FieldType::Pesel => IdentifierKind::Pesel,
            FieldType::Nip => IdentifierKind::Nip,
            FieldType::Regon => IdentifierKind::Regon,
            FieldType::PostalCode => IdentifierKind::PostalCode,
            _ => IdentifierKind::Ade,
        };
        let Some(s) = text_of(raw) else {
            return self.refuse(pending, path, "type", &[]);
        };
        let check = identifier::check(kind, &s);
        for w in &check.warnings {
            let e = self.err(path, w.code, &[]);
            self.warnings.push(e);
        }
        match (check.valid, check.normalized, check.errors.first()) {
            (true, Some(n), _) => Some(Value::String(n)),
            (_, _, Some(e)) => self.refuse(pending, path, e.code, &[]),
            _ => self.refuse(pending, path, "type", &[]),
        }
    }

    /// A repeating group's rows, each coerced field by field, at most the field's row limit.
    fn group(
        &mut self,
        f: &Field,
        path: &str,
        raw: &Value,
        pending: &mut Vec<FieldError>,
    ) -> Option<Value> {
        let Value::Array(rows) = raw else {
            return self.refuse(pending, path, "type", &[]);
        };
        let max = f.row_limit();
        if rows.len() > max as usize {
            return self.refuse(pending, path, "rows.max", &[("n", max.to_string())]);
        }
        let mut out = Vec::with_capacity(rows.len());
        for (i, row) in rows.iter().enumerate() {
            let rp = format!("{path}[{i}]");
            let Some(obj) = row.as_object() else {
                pending.push(self.err(&rp, "type", &[]));
                out.push(Value::Object(Map::new()));
                continue;
            };
            for k in obj.keys() {
                if !f
                    .fields
                    .iter()
                    .any(|rf| &rf.id == k && rf.kind.holds_value())
                {
                    self.error(&format!("{rp}.{k}"), "unknown_field", &[]);
                }
            }
            let mut r = Map::new();
            for rf in &f.fields {
                if let Some(x) = obj.get(&rf.id)
                    && let Some(val) = self.coerce(rf, &format!("{rp}.{}", rf.id), x, pending)
                {
                    r.insert(rf.id.clone(), val);
                }
            }
            out.push(Value::Object(r));
        }
        Some(Value::Array(out))
    }

    fn option_exists(&self, f: &Field, value: &str) -> bool {
        match &f.options_from {
            Some(alias) => self
                .svc
                .table(alias)
                .is_some_and(|t| t.row(value).is_some()),
            None => f.options.iter().any(|o| o.value == value),
        }
    }

    fn address(&mut self, path: &str, raw: &Value, pending: &mut Vec<FieldError>) -> Option<Value> {
        const KEYS: [&str; 6] = super::definition::ADDRESS_PARTS;
        let Value::Object(o) = raw else {
            pending.push(self.err(path, "type", &[]));
            return None;
        };
        let mut out = Map::new();
        for (k, x) in o {
            if !KEYS.contains(&k.as_str()) {
                self.error(&format!("{path}.{k}"), "unknown_field", &[]);
            } else if let Some(s) = text_of(x) {
                if !s.is_empty() {
                    out.insert(k.clone(), Value::String(s));
                }
            } else if !x.is_null() {
                pending.push(self.err(&format!("{path}.{k}"), "type", &[]));
            }
        }
        for k in ["building", "postal_code", "locality"] {
            if !out.contains_key(k) {
                pending.push(self.err(&format!("{path}.{k}"), "required", &[]));
            }
        }
        if let Some(Value::String(pc)) = out.get("postal_code").cloned() {
            match crate::domain::postal_code::PostalCode::parse(&pc) {
                Ok(p) => {
                    out.insert("postal_code".into(), Value::String(p.as_ref().to_owned()));
                }
                Err(e) => pending.push(self.err(&format!("{path}.postal_code"), e.code(), &[])),
            }
        }
        if let Some(Value::String(t)) = out.get("teryt")
            && !(t.len() == 7 && t.bytes().all(|b| b.is_ascii_digit()))
        {
            pending.push(self.err(&format!("{path}.teryt"), "teryt", &[]));
        }
        for (k, max) in [
            ("street", 150),
            ("building", 20),
            ("flat", 20),
            ("locality", 100),
        ] {
            if out
                .get(k)
                .and_then(Value::as_str)
                .is_some_and(|s| s.chars().count() > max)
            {
                pending.push(self.err(
                    &format!("{path}.{k}"),
                    "max_length",
                    &[("n", max.to_string())],
                ));
            }
        }
        Some(Value::Object(out))
    }

    /// File fields hold metadata the server wrote when it stored the uploads.
    fn file_list(
        &mut self,
        f: &Field,
        path: &str,
        raw: &Value,
        pending: &mut Vec<FieldError>,
    ) -> Option<Value> {
        let Value::Array(items) = raw else {
            pending.push(self.err(path, "type", &[]));
            return None;
        };
        let max_files = f.max_files.unwrap_or(1) as usize;
        if items.len() > max_files {
            pending.push(self.err(path, "files.max", &[("n", max_files.to_string())]));
        }
        let mut names = std::collections::HashSet::new();
        for (i, it) in items.iter().enumerate() {
            let p = format!("{path}[{i}]");
            let name = it.get("name").and_then(Value::as_str).unwrap_or("");
            let size = it.get("size").and_then(Value::as_u64);
            let hash = it.get("sha3_256").and_then(Value::as_str);
            if size.is_none() || hash.is_none() {
                pending.push(self.err(&p, "file.missing", &[]));
                continue;
            }
            if !files::valid_file_name(name) {
                pending.push(self.err(&p, "file.name", &[]));
            } else if !names.insert(name.to_owned()) {
                pending.push(self.err(&p, "file.name_duplicate", &[]));
            }
            let ext_ok = files::extension(name).is_some_and(|e| {
                f.accept.iter().any(|a| {
                    a.eq_ignore_ascii_case(e) || (a == "jpg" && e.eq_ignore_ascii_case("jpeg"))
                })
            });
            if !ext_ok {
                pending.push(self.err(&p, "file.type", &[("types", f.accept.join(", "))]));
            }
            let max_mb = u64::from(f.max_size_mb.unwrap_or(10));
            if size.is_some_and(|s| s > max_mb * 1024 * 1024) {
                pending.push(self.err(&p, "file.size", &[("n", max_mb.to_string())]));
            }
        }
        Some(raw.clone())
    }

    fn rows(
        &mut self,
        f: &Field,
        out: &mut Map<String, Value>,
        root: &cel::Context,
        errors_at: &ErrorPaths,
    ) {
        // more than `max_rows` were refused while coercing, without looking at any row
        let n = out.get(&f.id).and_then(Value::as_array).map_or(0, Vec::len);
        if let Some(min) = f.min_rows
            && (n as u32) < min
            && n > 0
        {
            self.error(&f.id, "rows.min", &[("n", min.to_string())]);
        }
        let Some(Value::Array(rows)) = out.get_mut(&f.id) else {
            return;
        };
        for (i, row) in rows.iter_mut().enumerate() {
            let Some(obj) = row.as_object_mut() else {
                continue;
            };
            let mut scope = root.new_inner_scope();
            for rf in &f.fields {
                let val = obj
                    .get(&rf.id)
                    .map_or(cel::Value::Null, |x| expr::to_cel(x, rf.kind.is_decimal()));
                scope.add_variable_from_value(rf.id.clone(), val);
            }
            let mut drop = Vec::new();
            for rf in &f.fields {
                let path = format!("{}[{i}].{}", f.id, rf.id);
                let visible = rf
                    .visible_if
                    .as_ref()
                    .is_none_or(|p| self.predicate(p, &scope, &path));
                if !visible {
                    drop.push(rf.id.clone());
                    continue;
                }
                let required = rf.required
                    || rf
                        .required_if
                        .as_ref()
                        .is_some_and(|p| self.predicate(p, &scope, &path));
                let required = required && !errors_at.has(&path);
                self.rules(rf, &path, obj.get(&rf.id), required);
            }
            for d in drop {
                obj.remove(&d);
            }
        }
    }

    /// Required, bounds, lengths and pattern for one visible field.
    fn rules(&mut self, f: &Field, path: &str, value: Option<&Value>, required: bool) {
        let Some(value) = value.filter(|v| !is_empty(v)) else {
            if required && f.computed.is_none() {
                self.error(path, "required", &[]);
            }
            return;
        };
        match value {
            Value::String(s) if f.kind.is_decimal() => {
                let Ok(d) = Decimal::from_str(s) else { return };
                let bound = |b: &Option<Value>| {
                    b.as_ref()
                        .and_then(|b| Decimal::from_str(&b.to_string().replace('"', "")).ok())
                };
                if let Some(min) = bound(&f.min)
                    && d < min
                {
                    self.error(path, "min", &[("min", min.to_string())]);
                }
                if let Some(max) = bound(&f.max)
                    && d > max
                {
                    self.error(path, "max", &[("max", max.to_string())]);
                }
            }
            Value::Number(n) => {
                let n = n.as_i64().unwrap_or(0);
                if let Some(min) = f.min.as_ref().and_then(Value::as_i64)
                    && n < min
                {
                    self.error(path, "min", &[("min", min.to_string())]);
                }
                if let Some(max) = f.max.as_ref().and_then(Value::as_i64)
                    && n > max
                {
                    self.error(path, "max", &[("max", max.to_string())]);
                }
            }
            Value::String(s) if f.kind == FieldType::Date => {
                if let Some(min) = f.min.as_ref().and_then(Value::as_str)
                    && s.as_str() < min
                {
                    self.error(path, "date.min", &[("min", min.to_owned())]);
                }
                if let Some(max) = f.max.as_ref().and_then(Value::as_str)
                    && s.as_str() > max
                {
                    self.error(path, "date.max", &[("max", max.to_owned())]);
                }
            }
            Value::String(s) => {
                let len = s.chars().count();
                let default_max = match f.kind {
                    FieldType::Textarea => 10_000,
                    _ => 500,
                };
                if let Some(min) = f.min_length
                    && len < min
                {
                    self.error(path, "min_length", &[("n", min.to_string())]);
                }
                let max = f.max_length.unwrap_or(default_max);
                if len > max {
                    self.error(path, "max_length", &[("n", max.to_string())]);
                }
                if let Some(p) = &f.pattern
                    && let Some(re) = self.svc.patterns.get(p)
                    && !re.is_match(s)
                {
                    let mut e = self.err(path, "pattern", &[]);
                    if let Some(m) = &f.pattern_message {
                        m.get(self.lang).clone_into(&mut e.message);
                    }
                    self.errors.push(e);
                }
            }
            _ => {}
        }
    }

    fn compute(&mut self, out: &mut Map<String, Value>) {
        for (group, field) in &self.svc.order {
            match group {
                None => {
                    let Some(f) = self.svc.field(field) else {
                        continue;
                    };
                    let Some(src) = &f.computed else { continue };
                    let Some(c) = self.svc.computations.get(src) else {
                        continue;
                    };
                    let val = c.eval(&EvalScope {
                        svc: self.svc,
                        top: out,
                        row: None,
                        group: None,
                    });
                    set_computed(out, field, f, val);
                }
                Some(g) => {
                    let Some(gf) = self.svc.field(g) else {
                        continue;
                    };
                    let Some(f) = gf.fields.iter().find(|rf| &rf.id == field) else {
                        continue;
                    };
                    let Some(src) = &f.computed else { continue };
                    let Some(c) = self.svc.computations.get(src) else {
                        continue;
                    };
                    let n = out.get(g).and_then(Value::as_array).map_or(0, Vec::len);
                    for i in 0..n {
                        let val = {
                            let row = out.get(g).and_then(|r| r.get(i)).and_then(Value::as_object);
                            c.eval(&EvalScope {
                                svc: self.svc,
                                top: out,
                                row,
                                group: Some(gf),
                            })
                        };
                        if let Some(Value::Object(row)) = out.get_mut(g).and_then(|r| r.get_mut(i))
                        {
                            set_computed(row, field, f, val);
                        }
                    }
                }
            }
        }
    }
}

fn set_computed(target: &mut Map<String, Value>, id: &str, f: &Field, val: Num) {
    match val {
        Num::Dec(d) => {
            let d = if f.kind == FieldType::Money {
                money::round_to_grosz(d)
            } else {
                d
            };
            let v = if f.kind == FieldType::Integer {
                Value::from(d.trunc().mantissa() as i64)
            } else {
                Value::String(d.normalize().to_string())
            };
            target.insert(id.to_owned(), v);
        }
        Num::Str(s) => {
            target.insert(id.to_owned(), Value::String(s));
        }
        Num::Bool(b) => {
            target.insert(id.to_owned(), Value::Bool(b));
        }
        _ => {
            target.remove(id);
        }
    }
}

struct EvalScope<'a> {
    svc: &'a Service,
    top: &'a Map<String, Value>,
    row: Option<&'a Map<String, Value>>,
    group: Option<&'a Field>,
}

fn to_num(v: Option<&Value>, decimal: bool) -> Num {
    match v {
        None | Some(Value::Null) => Num::Null,
        Some(Value::Bool(b)) => Num::Bool(*b),
        Some(Value::Number(n)) => n.as_i64().map_or(Num::Null, |i| Num::Dec(Decimal::from(i))),
        Some(Value::String(s)) if decimal => Decimal::from_str(s).map_or(Num::Null, Num::Dec),
        Some(Value::String(s)) => Num::Str(s.clone()),
        Some(_) => Num::Null,
    }
}

impl Scope for EvalScope<'_> {
    fn value(&self, name: &str) -> Num {
        if let (Some(row), Some(g)) = (self.row, self.group)
            && let Some(rf) = g.fields.iter().find(|rf| rf.id == name)
        {
            return to_num(row.get(name), rf.kind.is_decimal());
        }
        let decimal = self.svc.field(name).is_some_and(|f| f.kind.is_decimal());
        to_num(self.top.get(name), decimal)
    }

    fn column(&self, group: &str, field: &str) -> Num {
        let decimal = self
            .svc
            .field(group)
            .and_then(|g| g.fields.iter().find(|rf| rf.id == field))
            .is_some_and(|rf| rf.kind.is_decimal());
        let rows = self.top.get(group).and_then(Value::as_array);
        Num::List(
            rows.map(|rows| rows.iter().map(|r| to_num(r.get(field), decimal)).collect())
                .unwrap_or_default(),
        )
    }

    fn lookup(&self, table: &str, key: &str) -> Num {
        self.svc
            .table(table)
            .and_then(|t| t.rate(key))
            .map_or(Num::Null, Num::Dec)
    }

    fn is_table(&self, name: &str) -> bool {
        self.svc.tables.contains_key(name)
    }
}
