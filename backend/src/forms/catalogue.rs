//! Loading `forms/`: definitions and data tables, compiled once and checked before use.
//! Every problem is reported as `file:line:column: message` with a hint.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::Path;
use std::sync::Arc;

use indexmap::IndexMap;
use regex::Regex;
use sha2::{Digest, Sha256};

use super::areas::Areas;
use super::definition::{Definition, DueCap, Field, FieldType, Recipient, RoutingRule, TermRule};
use super::expr::{self, Computation, Predicate};
use super::national::National;
use super::office::{CrisisCentre, Office};
use super::situations::Situations;
use super::tables::{Table, TableKind};

/// The catalogue shipped with okienko, built into the binary.
static SHIPPED: include_dir::Dir<'static> =
    include_dir::include_dir!("$CARGO_MANIFEST_DIR/../forms");

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub message: String,
    pub hint: Option<String>,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}",
            self.file, self.line, self.column, self.message
        )?;
        if let Some(h) = &self.hint {
            write!(f, "\n  hint: {h}")?;
        }
        Ok(())
    }
}

/// A service definition ready for validating submissions.
#[derive(Debug)]
pub struct Service {
    pub def: Definition,
    /// SHA-256 of the definition's canonical JSON: what a submission was filled against.
    pub hash: String,
    pub file: String,
    pub(crate) predicates: HashMap<String, Predicate>,
    pub(crate) computations: HashMap<String, Computation>,
    /// Computed fields in dependency order: `(group, field)`.
    pub(crate) order: Vec<(Option<String>, String)>,
    pub(crate) patterns: HashMap<String, Regex>,
    pub(crate) tables: HashMap<String, Arc<Table>>,
    /// Top-level names predicates read, so only those are handed to CEL.
    pub(crate) predicate_names: BTreeSet<String>,
    /// The crisis centre of `units.yaml`, for routes `to: crisis_centre`.
    pub crisis_centre: Option<CrisisCentre>,
    /// The `fees` table the service's fee names (`fee.exemptions`): its exemptions.
    pub fee_table: Option<Arc<Table>>,
    /// The published XSD of its e-filing document (`efiling.schema`, `forms/schemas/`).
    pub efiling_schema: Option<Arc<str>>,
}

impl Service {
    pub fn id(&self) -> &str {
        &self.def.id
    }

    /// All top-level fields of all steps, in order.
    pub fn fields(&self) -> impl Iterator<Item = &Field> {
        self.def.steps.iter().flat_map(|s| s.fields.iter())
    }

    pub fn field(&self, id: &str) -> Option<&Field> {
        self.fields().find(|f| f.id == id)
    }

    pub fn table(&self, alias: &str) -> Option<&Arc<Table>> {
        self.tables.get(alias)
    }

    /// The `(unit, jrwa)` a case goes to by `rule`, or by default without one. A rule
    /// `to: crisis_centre` goes to the centre's unit; to the default unit where the centre
    /// is outside the office (the voivodeship's), which registers what it forwards.
    pub fn route(&self, rule: Option<&RoutingRule>) -> (String, String) {
        let r = &self.def.routing;
        let Some(rule) = rule else {
            return (r.unit.clone(), r.jrwa.clone());
        };
        let centre = || self.crisis_centre.as_ref().and_then(|c| c.unit.clone());
        let unit = match rule.to {
            Some(Recipient::CrisisCentre) => centre(),
            None => rule.unit.clone(),
        };
        (unit.unwrap_or_else(|| r.unit.clone()), rule.jrwa.clone())
    }

    /// The case's term by `rule` (the first of `terms` whose `when` holds), or the
    /// `processing_term` without one; "immediately" only where it does not parse, which
    /// `forms check` refuses.
    pub fn term(&self, rule: Option<&TermRule>) -> crate::domain::term::Term {
        let raw = rule.map_or(&self.def.processing_term, |r| &r.term);
        crate::domain::term::Term::parse(raw).unwrap_or(crate::domain::term::Term::Immediately)
    }
}

#[derive(Debug, Default)]
pub struct Catalogue {
    pub services: IndexMap<String, Arc<Service>>,
    pub tables: HashMap<String, Arc<Table>>,
    /// Units and JRWA classes (`units.yaml`).
    pub office: Office,
    /// The gmina's areas (`areas.yaml`), for consultations' territorial scope.
    pub areas: Areas,
    /// National services the gmina points to (`national.yaml`): pages that link out.
    pub national: National,
    /// The resident's life situations and their services (`situations.yaml`).
    pub situations: Situations,
}

impl Catalogue {
    pub fn get(&self, id: &str) -> Option<&Arc<Service>> {
        self.services.get(id)
    }

    /// The services residents and companies file themselves, from the catalogue (not the
    /// ones filed from another instrument's page, such as an initiative's draft).
    pub fn listed(&self) -> impl Iterator<Item = &Arc<Service>> {
        self.services
            .values()
            .filter(|s| s.def.filed_through == super::definition::FiledThrough::Catalogue)
    }

    /// A listed service by id.
    pub fn get_listed(&self, id: &str) -> Option<&Arc<Service>> {
        self.get(id)
            .filter(|s| s.def.filed_through == super::definition::FiledThrough::Catalogue)
    }

    /// Loads the shipped catalogue built into the binary.
    pub fn shipped() -> Result<Self, Vec<Problem>> {
        fn walk(dir: &include_dir::Dir<'static>, out: &mut Vec<(String, String)>) {
            for f in dir.files() {
                if f.path()
                    .extension()
                    .is_some_and(|x| x == "yaml" || x == "xsd")
                {
                    let name = format!("forms/{}", f.path().display());
                    out.push((name, String::from_utf8_lossy(f.contents()).into_owned()));
                }
            }
            dir.dirs().for_each(|d| walk(d, out));
        }
        let mut files = Vec::new();
        walk(&SHIPPED, &mut files);
        Self::from_sources(files).and_then(require_office)
    }

    /// Loads `dir/*.yaml`, `dir/data/*.yaml` and the e-filing schemas `dir/schemas/*.xsd`.
    pub fn load_dir(dir: &Path) -> Result<Self, Vec<Problem>> {
        Self::from_sources(Self::read_dir(dir)?).and_then(require_office)
    }

    /// Loads `dir` as `load_dir` does, except that a service's e-filing schema may be
    /// missing or not fit yet: for drafting it (`okienko forms xsd`).
    pub fn load_dir_drafting(dir: &Path) -> Result<Self, Vec<Problem>> {
        Self::build(Self::read_dir(dir)?, false).and_then(require_office)
    }

    fn read_dir(dir: &Path) -> Result<Vec<(String, String)>, Vec<Problem>> {
        let mut files = Vec::new();
        for sub in [dir.to_path_buf(), dir.join("data"), dir.join("schemas")] {
            if sub.ends_with("schemas") && !sub.is_dir() {
                continue;
            }
            let entries = std::fs::read_dir(&sub).map_err(|e| {
                vec![Problem {
                    file: sub.display().to_string(),
                    line: 0,
                    column: 0,
                    message: format!("cannot read the directory: {e}"),
                    hint: Some(
                        "pass the forms directory, e.g. `okienko forms check forms/`".into(),
                    ),
                }]
            })?;
            let mut paths: Vec<_> = entries
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| {
                    p.extension()
                        .is_some_and(|x| x == "yaml" || x == "yml" || x == "xsd")
                })
                .collect();
            paths.sort();
            for p in paths {
                let text = std::fs::read_to_string(&p).map_err(|e| {
                    vec![Problem {
                        file: p.display().to_string(),
                        line: 0,
                        column: 0,
                        message: format!("cannot read: {e}"),
                        hint: None,
                    }]
                })?;
                files.push((p.display().to_string(), text));
            }
        }
        Ok(files)
    }

    /// Builds a catalogue from `(file name, YAML text)` pairs; files under a `data/`
    /// directory are tables, `units.yaml` the office's structure, the rest service
    /// definitions. Without `units.yaml` routes are not checked (single definitions in tests).
    pub fn from_sources(files: Vec<(String, String)>) -> Result<Self, Vec<Problem>> {
        Self::build(files, true)
    }

    /// `from_sources`, checking the e-filing schemas only where `schemas` is set.
    fn build(files: Vec<(String, String)>, schemas_checked: bool) -> Result<Self, Vec<Problem>> {
        let mut problems = Vec::new();
        let mut tables = HashMap::new();
        let mut defs = Vec::new();
        let mut office: Option<(Office, String, String)> = None;
        let mut areas = Areas::default();
        let mut national = National::default();
        let mut situations = Situations::default();
        let mut situations_file: Option<(String, String)> = None;
        let mut schemas: HashMap<String, Arc<str>> = HashMap::new();
        for (file, text) in &files {
            if file.ends_with(".xsd") {
                let name = file.rsplit('/').next().unwrap_or(file);
                schemas.insert(name.to_owned(), Arc::from(text.as_str()));
                continue;
            }
            if file == "national.yaml" || file.ends_with("/national.yaml") {
                match serde_yaml::from_str::<National>(text) {
                    Ok(n) => {
                        for (needle, message) in n.problems() {
                            problems.push(at(file, text, &needle, message, None));
                        }
                        national = n;
                    }
                    Err(e) => problems.push(yaml_problem(file, &e)),
                }
                continue;
            }
            if file == "situations.yaml" || file.ends_with("/situations.yaml") {
                match serde_yaml::from_str::<Situations>(text) {
                    Ok(s) => situations = s,
                    Err(e) => problems.push(yaml_problem(file, &e)),
                }
                situations_file = Some((file.clone(), text.clone()));
                continue;
            }
            if file == "areas.yaml" || file.ends_with("/areas.yaml") {
                match serde_yaml::from_str::<Areas>(text) {
                    Ok(a) => {
                        for (needle, message) in a.problems() {
                            problems.push(at(file, text, &needle, message, None));
                        }
                        areas = a;
                    }
                    Err(e) => problems.push(yaml_problem(file, &e)),
                }
                continue;
            }
            let is_table = file.contains("/data/") || file.starts_with("data/");
            let is_office = file == "units.yaml" || file.ends_with("/units.yaml");
            if is_office {
                match serde_yaml::from_str::<Office>(text) {
                    Ok(o) => {
                        for (needle, message) in o.problems() {
                            problems.push(at(file, text, &needle, message, None));
                        }
                        office = Some((o, file.clone(), text.clone()));
                    }
                    Err(e) => problems.push(yaml_problem(file, &e)),
                }
            } else if is_table {
                match serde_yaml::from_str::<Table>(text) {
                    Ok(t) => {
                        if tables.contains_key(&t.id) {
                            problems.push(at(
                                file,
                                text,
                                &format!("id: {}", t.id),
                                format!("table `{}` is defined twice", t.id),
                                None,
                            ));
                        }
                        tables.insert(t.id.clone(), (Arc::new(t), file.clone(), text.clone()));
                    }
                    Err(e) => problems.push(yaml_problem(file, &e)),
                }
            } else {
                match serde_yaml::from_str::<Definition>(text) {
                    Ok(d) => defs.push((d, file.clone(), text.clone())),
                    Err(e) => problems.push(yaml_problem(file, &e)),
                }
            }
        }
        for (t, file, text) in tables.values() {
            check_table(t, file, text, &tables, &mut problems);
        }
        let mut services = IndexMap::new();
        defs.sort_by(|a, b| a.0.id.cmp(&b.0.id));
        for (def, file, text) in defs {
            if services.contains_key(&def.id) {
                problems.push(at(
                    &file,
                    &text,
                    &format!("id: {}", def.id),
                    format!("service `{}` is defined twice", def.id),
                    None,
                ));
                continue;
            }
            let mut c = Compiler {
                file: &file,
                text: &text,
                problems: &mut problems,
            };
            if let Some(mut s) = c.compile(def, &tables) {
                if schemas_checked {
                    s.efiling_schema = efiling_schema(&s, &schemas, &file, &text, &mut problems);
                }
                if let Some((o, _, _)) = &office {
                    check_routes(&s, o, &file, &text, &mut problems);
                    s.crisis_centre.clone_from(&o.crisis_centre);
                }
                services.insert(s.def.id.clone(), Arc::new(s));
            }
        }
        if let Some((file, text)) = &situations_file {
            let known = |id: &str| services.contains_key(id) || national.get(id).is_some();
            for (needle, message) in situations.problems(known) {
                problems.push(at(file, text, &needle, message, None));
            }
        }
        if problems.is_empty() {
            Ok(Self {
                services,
                tables: tables.into_iter().map(|(k, (t, _, _))| (k, t)).collect(),
                office: office.map(|(o, _, _)| o).unwrap_or_default(),
                areas,
                national,
                situations,
            })
        } else {
            Err(problems)
        }
    }
}

impl Catalogue {
    /// Compiles one definition written outside `forms/` (a consultation's questionnaire)
    /// against this catalogue's data tables, with the same checks and problems.
    pub fn compile_one(
        &self,
        file: &str,
        text: &str,
        def: Definition,
    ) -> Result<Service, Vec<Problem>> {
        let tables: Tables = self
            .tables
            .iter()
            .map(|(k, t)| (k.clone(), (t.clone(), String::new(), String::new())))
            .collect();
        let mut problems = Vec::new();
        let mut c = Compiler {
            file,
            text,
            problems: &mut problems,
        };
        match c.compile(def, &tables) {
            Some(s) if problems.is_empty() => Ok(s),
            _ => Err(problems),
        }
    }
}

/// A whole forms directory must describe the office: cases need units and classes.
fn require_office(c: Catalogue) -> Result<Catalogue, Vec<Problem>> {
    if c.office.units.is_empty() {
        return Err(vec![Problem {
            file: "units.yaml".into(),
            line: 0,
            column: 0,
            message: "the forms directory has no units.yaml (or it lists no units)".into(),
            hint: Some("list the office's units and JRWA classes; see docs/forms.md".into()),
        }]);
    }
    Ok(c)
}

/// Every route of a service (the default and each rule) names a configured unit and class.
fn check_routes(s: &Service, office: &Office, file: &str, text: &str, problems: &mut Vec<Problem>) {
    let r = &s.def.routing;
    if office.crisis_centre.is_none() && r.rules.iter().any(|x| x.to.is_some()) {
        problems.push(at(
            file,
            text,
            "crisis_centre",
            "routing sends to the crisis centre, but units.yaml names none".into(),
            Some("add `crisis_centre: {name, unit, phone, email}` to forms/units.yaml; without `unit` it is the voivodeship's centre, which okienko e-mails".into()),
        ));
    }
    let routes = std::iter::once((Some(&r.unit), &r.jrwa))
        .chain(r.rules.iter().map(|x| (x.unit.as_ref(), &x.jrwa)));
    for (unit, jrwa) in routes {
        let Some(unit) = unit else {
            continue;
        };
        if office.unit(unit).is_none() {
            problems.push(at(
                file,
                text,
                &format!("unit: {unit}"),
                format!("routing names unit `{unit}`, which is not in units.yaml"),
                Some("add the unit to forms/units.yaml or use one listed there".into()),
            ));
        }
        if office.class(jrwa).is_none() {
            problems.push(at(
                file,
                text,
                jrwa,
                format!("routing names JRWA class `{jrwa}`, which is not in units.yaml"),
                Some("add the class (with its archival category) to forms/units.yaml".into()),
            ));
        }
    }
}

pub(crate) fn yaml_problem(file: &str, e: &serde_yaml::Error) -> Problem {
    let (line, column) = e.location().map_or((0, 0), |l| (l.line(), l.column()));
    let msg = e.to_string();
    let hint = if msg.contains("unknown field") {
        Some("check the spelling against docs/forms.md; unknown keys are refused so that no rule is silently ignored".into())
    } else if msg.contains("unknown variant") {
        Some("use one of the values listed in the message".into())
    } else if msg.contains("missing field") {
        Some("add the key; docs/forms.md lists the required keys".into())
    } else {
        None
    };
    // the message already ends with "at line L column C"; keep only the rule
    let message = msg.split(" at line ").next().unwrap_or(&msg).to_owned();
    Problem {
        file: file.to_owned(),
        line,
        column,
        message,
        hint,
    }
}

/// Why `term` is longer than the service's procedure allows (a certificate's 7 days, KPA
/// art. 217 § 3), or `None`.
pub(super) fn over_statutory(def: &Definition, term: crate::domain::term::Term) -> Option<String> {
    let max = def.procedure.max_processing_term()?;
    (!max.term.at_least(term)).then(|| {
        format!(
            "a {} is dealt with within {} at most ({}), not {term}",
            def.procedure.as_str(),
            max.term,
            max.article
        )
    })
}

pub(super) const STATUTORY_HINT: &str =
    "the statutory term is the longest; write it or a shorter one";

/// The published schema `efiling.schema` names, checked to be the service's: a problem when
/// it is missing or does not fit (`efiling::schema_problem`).
fn efiling_schema(
    svc: &Service,
    schemas: &HashMap<String, Arc<str>>,
    file: &str,
    text: &str,
    problems: &mut Vec<Problem>,
) -> Option<Arc<str>> {
    let e = svc.def.efiling.as_ref()?;
    let Some(xsd) = schemas.get(&e.schema) else {
        problems.push(at(
            file,
            text,
            "efiling:",
            format!(
                "the e-filing schema `{}` is not in forms/schemas/",
                e.schema
            ),
            Some(format!(
                "draft it with `okienko forms xsd {}` and publish it as forms/schemas/{}",
                svc.id(),
                e.schema
            )),
        ));
        return None;
    };
    if let Some(message) = super::efiling::schema_problem(e, xsd) {
        problems.push(at(file, text, "efiling:", message, None));
        return None;
    }
    Some(xsd.clone())
}

/// A problem located at the first occurrence of `needle` in the file (1-based).
fn at(file: &str, text: &str, needle: &str, message: String, hint: Option<String>) -> Problem {
    let (line, column) = locate(text, needle);
    Problem {
        file: file.to_owned(),
        line,
        column,
        message,
        hint,
    }
}

/// Line and column (1-based) of the first occurrence of `needle`, or 1:1.
pub(crate) fn locate(text: &str, needle: &str) -> (usize, usize) {
    text.find(needle)
        .map(|off| {
            let before = &text[..off];
            let line = before.matches('\n').count() + 1;
            let column = off - before.rfind('\n').map_or(0, |i| i + 1) + 1;
            (line, column)
        })
        .unwrap_or((1, 1))
}

type Tables = HashMap<String, (Arc<Table>, String, String)>;

fn check_table(t: &Table, file: &str, text: &str, tables: &Tables, problems: &mut Vec<Problem>) {
    let mut seen = HashSet::new();
    for r in &t.rows {
        if !seen.insert(&r.key) {
            problems.push(at(
                file,
                text,
                &format!("key: {}", r.key),
                format!("row `{}` appears twice", r.key),
                None,
            ));
        }
    }
    if t.kind == TableKind::Rates {
        let Some(cap_id) = &t.capped_by else { return };
        let Some((caps, _, _)) = tables.get(cap_id) else {
            problems.push(at(
                file,
                text,
                "capped_by",
                format!("caps table `{cap_id}` does not exist"),
                Some("add it under forms/data/".into()),
            ));
            return;
        };
        for (key, rate, cap) in t.over_caps(caps) {
            let needle = format!("key: {key}");
            match cap {
                Some(cap) => problems.push(at(file, text, &needle,
                    format!("rate {rate} for `{key}` is above the Minister of Finance's cap of {cap} for {}", caps.year),
                    Some("a council may not set a rate above the cap (u.p.o.l. art. 20); check the resolution".into()))),
                None => problems.push(at(file, text, &needle,
                    format!("`{key}` has no cap in `{cap_id}`"),
                    Some(format!("add a row with key `{key}` to the caps table or fix the key")))),
            }
        }
    }
}

struct Compiler<'a> {
    file: &'a str,
    text: &'a str,
    problems: &'a mut Vec<Problem>,
}

mod fee;
mod letters;
mod signature;
mod terms;

impl Compiler<'_> {
    fn report(&mut self, needle: &str, message: String, hint: Option<&str>) {
        self.problems.push(at(
            self.file,
            self.text,
            needle,
            message,
            hint.map(str::to_owned),
        ));
    }

    fn compile(&mut self, def: Definition, tables: &Tables) -> Option<Service> {
        let before = self.problems.len();
        let env = expr::environment();
        let svc_tables = self.service_tables(&def, tables);
        self.check_header(&def);
        let top: Vec<&Field> = def.steps.iter().flat_map(|s| s.fields.iter()).collect();
        let top_names = self.unique_ids(&def, &top);
        let groups: HashMap<&str, &Field> = top
            .iter()
            .filter(|f| f.kind == FieldType::Group)
            .map(|f| (f.id.as_str(), *f))
            .collect();
        let sources = self.predicate_sources(&def, &top, &top_names, &groups, tables);
        let (predicates, predicate_names) = self.predicates(&env, sources, &top_names);
        let patterns = self.fields_and_patterns(&top, &svc_tables);
        let (computations, order) = self.computations(&env, &def, &top, &groups, &svc_tables);

        if self.problems.len() > before {
            return None;
        }
        let fee_table = (def.fee.as_ref())
            .and_then(|f| f.exemptions.as_ref())
            .and_then(|id| tables.get(id))
            .map(|(t, _, _)| t.clone());
        let canonical = serde_json::to_vec(&def).unwrap_or_default();
        let hash = hex(&Sha256::digest(&canonical));
        Some(Service {
            def,
            hash,
            file: self.file.to_owned(),
            predicates,
            computations,
            order,
            patterns,
            tables: svc_tables,
            predicate_names,
            crisis_centre: None,
            fee_table,
            efiling_schema: None,
        })
    }

    /// The data tables a service names, by their alias in it.
    fn service_tables(&mut self, def: &Definition, tables: &Tables) -> HashMap<String, Arc<Table>> {
        let mut svc_tables = HashMap::new();
        for (alias, id) in &def.tables {
            match tables.get(id) {
                Some((t, _, _)) => {
                    svc_tables.insert(alias.clone(), t.clone());
                }
                None => self.report(
                    id,
                    format!("data table `{id}` does not exist"),
                    Some("tables live in forms/data/<id>.yaml"),
                ),
            }
        }
        svc_tables
    }

    /// The service's terms: `max_extension`, `due_cap` and `processing_term`.
    fn check_header(&mut self, def: &Definition) {
        if let Some(max) = &def.max_extension
            && crate::domain::term::Term::parse(max).is_err()
        {
            self.report(
                "max_extension",
                format!("max_extension `{max}` is not a term"),
                Some("write P30D, P2M or P3M"),
            );
        }
        if let Some(cap) = &def.due_cap {
            self.check_due_cap(cap, def);
        }
        if let Ok(term) = crate::domain::term::Term::parse(&def.processing_term)
            && let Some(message) = over_statutory(def, term)
        {
            self.report("processing_term", message, Some(STATUTORY_HINT));
        }
        // the deadline engine's own parser: what it counts is what is accepted (P2W too)
        if !def.processing_term.is_empty()
            && crate::domain::term::Term::parse(&def.processing_term).is_err()
        {
            self.report(
                "processing_term",
                format!(
                    "`{}` is not a term like P14D, P2W, P1M or P2M",
                    def.processing_term
                ),
                None,
            );
        }
    }

    /// Field and step ids are unique; gives the top-level field names.
    fn unique_ids<'d>(&mut self, def: &'d Definition, top: &[&'d Field]) -> HashSet<&'d str> {
        let mut top_names = HashSet::new();
        for f in top {
            if !top_names.insert(f.id.as_str()) {
                self.report(
                    &format!("id: {}", f.id),
                    format!("field id `{}` is used twice", f.id),
                    Some("field ids must be unique within a service"),
                );
            }
        }
        let mut step_ids = HashSet::new();
        for s in &def.steps {
            if !step_ids.insert(&s.id) {
                self.report(
                    &format!("id: {}", s.id),
                    format!("step id `{}` is used twice", s.id),
                    None,
                );
            }
        }
        top_names
    }

    /// Every condition's source, with the repeating group it is evaluated in: steps' and
    /// fields' `visible_if`/`required_if`, routes, terms, the fee's exemption, checks. The
    /// routes, terms, letters, fee and checks are checked on the way.
    fn predicate_sources<'d>(
        &mut self,
        def: &'d Definition,
        top: &[&'d Field],
        top_names: &HashSet<&str>,
        groups: &HashMap<&str, &Field>,
        tables: &Tables,
    ) -> Vec<(String, Option<&'d Field>)> {
        // predicates (visible_if/required_if on steps and fields, checks)
        let mut pred_sources: Vec<(String, Option<&Field>)> = Vec::new();
        for s in &def.steps {
            if let Some(v) = &s.visible_if {
                pred_sources.push((v.clone(), None));
            }
        }
        for f in top {
            for p in [&f.visible_if, &f.required_if].into_iter().flatten() {
                pred_sources.push((p.clone(), None));
            }
            for rf in &f.fields {
                for p in [&rf.visible_if, &rf.required_if].into_iter().flatten() {
                    pred_sources.push((p.clone(), Some(*f)));
                }
            }
        }
        for r in &def.routing.rules {
            pred_sources.push((r.when.clone(), None));
            if r.unit.is_some() == r.to.is_some() {
                self.report(
                    &r.when,
                    format!("the route when `{}` needs either `unit` or `to`", r.when),
                    Some("name a unit of units.yaml, or `to: crisis_centre`"),
                );
            }
        }
        // the terms chosen by rule: their `when` compiles like a route's
        self.check_terms(def);
        for t in &def.terms {
            pred_sources.push((t.when.clone(), None));
        }
        self.check_letters(def);
        if let Some(fee) = &def.fee {
            self.check_fee(fee, tables);
            if let Some(p) = &fee.exempt_if {
                pred_sources.push((p.clone(), None));
            }
        }
        for c in &def.checks {
            pred_sources.push((c.rule.clone(), None));
            if let Some(w) = &c.when {
                pred_sources.push((w.clone(), None));
            }
            if !check_path_exists(&c.path, top_names, groups) {
                self.report(
                    &c.path,
                    format!(
                        "check `{}` points at `{}`, which is not a field",
                        c.id, c.path
                    ),
                    Some("use a field id, or group[*].field"),
                );
            }
        }
        pred_sources
    }

    /// The conditions compiled, each naming only fields of the service (or of its row);
    /// with the top-level names they read.
    fn predicates(
        &mut self,
        env: &Arc<cel::Env>,
        sources: Vec<(String, Option<&Field>)>,
        top_names: &HashSet<&str>,
    ) -> (HashMap<String, Predicate>, BTreeSet<String>) {
        let mut predicates = HashMap::new();
        let mut predicate_names = BTreeSet::new();
        let known_top =
            |name: &str| top_names.contains(name) || name == "today" || name == "year_now";
        for (src, group) in sources {
            if predicates.contains_key(&src) {
                continue;
            }
            match Predicate::compile(env, &src) {
                Ok(p) => {
                    for n in &p.references.names {
                        let in_row = group.is_some_and(|g| g.fields.iter().any(|rf| &rf.id == n));
                        if !in_row && !known_top(n) {
                            self.report(&src, format!("`{src}` names `{n}`, which is not a field of this service"), Some("fix the field id or add the field"));
                        } else if !in_row && top_names.contains(n.as_str()) {
                            predicate_names.insert(n.clone());
                        }
                    }
                    predicates.insert(src, p);
                }
                Err(e) => self.report(&src, e, Some("conditions are CEL expressions, e.g. `purpose == 'correction' && area > 0.0`")),
            }
        }
        (predicates, predicate_names)
    }

    /// Every field checked, and every field's `pattern` compiled.
    fn fields_and_patterns(
        &mut self,
        top: &[&Field],
        svc_tables: &HashMap<String, Arc<Table>>,
    ) -> HashMap<String, Regex> {
        let mut patterns = HashMap::new();
        for f in top {
            self.check_field(f, None, svc_tables);
            for rf in &f.fields {
                self.check_field(rf, Some(f), svc_tables);
            }
        }
        for f in top
            .iter()
            .flat_map(|f| std::iter::once(*f).chain(f.fields.iter()))
        {
            if let Some(p) = &f.pattern {
                match Regex::new(&format!("^(?:{p})$")) {
                    Ok(r) => {
                        patterns.insert(p.clone(), r);
                    }
                    Err(e) => self.report(
                        p,
                        format!(
                            "pattern of `{}` is not a valid regular expression: {e}",
                            f.id
                        ),
                        None,
                    ),
                }
            }
        }
        patterns
    }

    /// The computed fields compiled, each naming only fields and tables of the service, in
    /// an order where each comes after what it reads (a cycle is a problem).
    fn computations(
        &mut self,
        env: &Arc<cel::Env>,
        def: &Definition,
        top: &[&Field],
        groups: &HashMap<&str, &Field>,
        svc_tables: &HashMap<String, Arc<Table>>,
    ) -> (HashMap<String, Computation>, Vec<Node>) {
        let mut computations = HashMap::new();
        let mut nodes: Vec<(Option<String>, String, BTreeSet<Node>)> = Vec::new();
        for f in top {
            let entries: Vec<(Option<&Field>, &Field)> = std::iter::once((None, *f))
                .chain(f.fields.iter().map(|rf| (Some(*f), rf)))
                .collect();
            for (group, field) in entries {
                let Some(src) = &field.computed else { continue };
                let c = match Computation::compile(env, src) {
                    Ok(c) => c,
                    Err(e) => {
                        self.report(src, e, Some("computed values use + - * / ?: table[key] sum() round_zl() round_gr()"));
                        continue;
                    }
                };
                let mut deps = BTreeSet::new();
                for n in &c.references.names {
                    let row = group.and_then(|g| g.fields.iter().find(|rf| &rf.id == n));
                    if let Some(rf) = row {
                        if rf.computed.is_some() {
                            deps.insert((group.map(|g| g.id.clone()), n.clone()));
                        }
                    } else if svc_tables.contains_key(n) {
                    } else if let Some(tf) = top.iter().find(|tf| &tf.id == n) {
                        if tf.computed.is_some() {
                            deps.insert((None, n.clone()));
                        }
                    } else if def.tables.contains_key(n) {
                    } else {
                        self.report(src, format!("`{src}` names `{n}`, which is neither a field nor a data table of this service"), Some("fix the name, or declare the table under `tables:`"));
                    }
                }
                for (g, col) in &c.references.columns {
                    match groups.get(g.as_str()).and_then(|gf| gf.fields.iter().find(|rf| &rf.id == col)) {
                        Some(rf) => {
                            if rf.computed.is_some() {
                                deps.insert((Some(g.clone()), col.clone()));
                            }
                        }
                        None => self.report(src, format!("`{src}` reads `{g}.{col}`, which is not a column of a repeating group"), None),
                    }
                }
                nodes.push((group.map(|g| g.id.clone()), field.id.clone(), deps));
                computations.insert(src.clone(), c);
            }
        }
        let order = match topological(&nodes) {
            Ok(o) => o,
            Err(cycle) => {
                let needle = format!("id: {}", cycle[0].1);
                let names: Vec<String> = cycle
                    .iter()
                    .map(|(g, f)| g.as_ref().map_or(f.clone(), |g| format!("{g}.{f}")))
                    .collect();
                self.report(
                    &needle,
                    format!(
                        "computed fields depend on each other in a cycle: {}",
                        names.join(" → ")
                    ),
                    Some("a computed field may not depend, directly or not, on itself"),
                );
                Vec::new()
            }
        };
        (computations, order)
    }

    /// `due_cap` counts back a number of days from a top-level date field.
    fn check_due_cap(&mut self, cap: &DueCap, def: &Definition) {
        if super::due::cap_days(&cap.term).is_none() {
            self.report(
                "due_cap",
                format!(
                    "due_cap term `{}` is not a number of days or weeks",
                    cap.term
                ),
                Some("write P7D or P2W; months have no fixed length counted backwards"),
            );
        }
        let field = def
            .steps
            .iter()
            .flat_map(|s| &s.fields)
            .find(|f| f.id == cap.before);
        if field.is_none_or(|f| f.kind != FieldType::Date) {
            self.report(
                &format!("before: {}", cap.before),
                format!(
                    "due_cap counts back from `{}`, which is not a date field of this service",
                    cap.before
                ),
                Some("name a top-level field of type date, e.g. `before: event_date`"),
            );
        }
    }

    fn check_field(
        &mut self,
        f: &Field,
        group: Option<&Field>,
        tables: &HashMap<String, Arc<Table>>,
    ) {
        let needle = format!("id: {}", f.id);
        let name = group.map_or(f.id.clone(), |g| format!("{}.{}", g.id, f.id));
        let valid_id = !f.id.is_empty()
            && f.id
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
            && !f.id.starts_with(|c: char| c.is_ascii_digit());
        if !valid_id {
            self.report(
                &needle,
                format!(
                    "field id `{}` must be lowercase letters, digits and _",
                    f.id
                ),
                Some("ids are used in expressions and JSON paths"),
            );
        }
        match f.kind {
            FieldType::Scale => {
                let (lo, hi) = f.scale_bounds();
                if lo >= hi || hi - lo > 10 {
                    self.report(
                        &needle,
                        format!("scale field `{name}` runs from {lo} to {hi}"),
                        Some("give integers `min` < `max`, at most 10 apart (1 to 5 by default)"),
                    );
                }
            }
            FieldType::Choice | FieldType::MultiChoice | FieldType::Ranking => {
                if f.options.is_empty() && f.options_from.is_none() {
                    self.report(
                        &needle,
                        format!("choice field `{name}` has no options"),
                        Some("add `options:` or `options_from: <table alias>`"),
                    );
                }
                if let Some(t) = &f.options_from
                    && !tables.contains_key(t)
                {
                    self.report(t, format!("`{name}` takes options from `{t}`, which is not a table alias of this service"), Some("declare it under `tables:`"));
                }
            }
            FieldType::Group => {
                if group.is_some() {
                    self.report(
                        &needle,
                        format!("group `{name}` is nested in another group"),
                        Some("repeating groups hold plain fields only"),
                    );
                }
                if f.fields.is_empty() {
                    self.report(&needle, format!("group `{name}` has no fields"), None);
                }
                let mut ids = HashSet::new();
                for rf in &f.fields {
                    if !ids.insert(&rf.id) {
                        self.report(
                            &format!("id: {}", rf.id),
                            format!("`{}` appears twice in group `{name}`", rf.id),
                            None,
                        );
                    }
                }
            }
            FieldType::File if f.accept.is_empty() => {
                self.report(
                    &needle,
                    format!("file field `{name}` does not say which types it accepts"),
                    Some("add `accept: [pdf, jpg, png]`"),
                );
            }
            FieldType::File if f.signature.is_some() => {
                self.signature_rule(&needle, &name, f);
            }
            FieldType::Content if f.text.is_none() => {
                self.report(&needle, format!("content `{name}` has no `text`"), None);
            }
            _ => {}
        }
        if f.signature.is_some() && f.kind != FieldType::File {
            self.report(
                &needle,
                format!(
                    "only a file field may have `signature`; `{name}` is a {:?}",
                    f.kind
                ),
                None,
            );
        }
        if f.kind != FieldType::Group && !f.fields.is_empty() {
            self.report(
                &needle,
                format!("only a group may have `fields`; `{name}` is a {:?}", f.kind),
                None,
            );
        }
        if f.unit.is_some() && f.kind != FieldType::Area {
            self.report(
                &needle,
                format!("`unit` applies to area fields only (`{name}`)"),
                None,
            );
        }
        if f.kind.holds_value() && f.kind != FieldType::Content && f.label.pl.is_empty() {
            self.report(
                &needle,
                format!("field `{name}` has no label"),
                Some("add `label: {pl: ..., en: ...}`"),
            );
        }
        if f.computed.is_some() && (f.required || f.prefill.is_some()) {
            self.report(
                &needle,
                format!("computed field `{name}` cannot be required or prefilled"),
                None,
            );
        }
    }
}

fn check_path_exists(path: &str, top: &HashSet<&str>, groups: &HashMap<&str, &Field>) -> bool {
    match path.split_once("[*].") {
        Some((g, f)) => groups
            .get(g)
            .is_some_and(|gf| gf.fields.iter().any(|rf| rf.id == f)),
        None => top.contains(path),
    }
}

type Node = (Option<String>, String);

/// Orders computed fields so each comes after what it reads; `Err` holds a cycle.
fn topological(nodes: &[(Option<String>, String, BTreeSet<Node>)]) -> Result<Vec<Node>, Vec<Node>> {
    let mut done: Vec<Node> = Vec::new();
    let mut state: HashMap<Node, u8> = HashMap::new();
    fn visit(
        n: &Node,
        nodes: &[(Option<String>, String, BTreeSet<Node>)],
        state: &mut HashMap<Node, u8>,
        done: &mut Vec<Node>,
        stack: &mut Vec<Node>,
    ) -> Result<(), Vec<Node>> {
        match state.get(n) {
            Some(2) => return Ok(()),
            Some(1) => {
                let start = stack.iter().position(|s| s == n).unwrap_or(0);
                let mut cycle = stack[start..].to_vec();
                cycle.push(n.clone());
                return Err(cycle);
            }
            _ => {}
        }
        state.insert(n.clone(), 1);
        stack.push(n.clone());
        if let Some((_, _, deps)) = nodes.iter().find(|(g, f, _)| g == &n.0 && f == &n.1) {
            for d in deps {
                visit(d, nodes, state, done, stack)?;
            }
        }
        stack.pop();
        state.insert(n.clone(), 2);
        done.push(n.clone());
        Ok(())
    }
    for (g, f, _) in nodes {
        visit(
            &(g.clone(), f.clone()),
            nodes,
            &mut state,
            &mut done,
            &mut Vec::new(),
        )?;
    }
    Ok(done)
}

/// Parses the processing terms a definition may use: `P{n}D`, `P{n}M`, or empty for immediately.
pub fn parse_term(s: &str) -> Option<(u32, char)> {
    let body = s.strip_prefix('P')?;
    let unit = body.chars().last()?;
    let n = body[..body.len() - unit.len_utf8()].parse().ok()?;
    matches!(unit, 'D' | 'M').then_some((n, unit))
}

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
