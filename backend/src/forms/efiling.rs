//! The e-filing XML of a form: a filing's data as the XML document the council's resolution
//! names for electronic filing (u.p.o.l. art. 6 ust. 14–15, art. 9 ust. 11 for DT-1), and the
//! XSD that describes it. Both follow the definition: its fields in order, their types and
//! bounds. The schema a gmina publishes is a file in `forms/schemas/` fixed at a version; the
//! generator here drafts the next version. CI validates the document of every valid example
//! against the published file with an independent validator (`scripts/efiling-check`), so a
//! change of the form that the published schema no longer describes fails there.
//! Pure: the service and the data in, text out.

use serde_json::{Map, Value};

use super::Service;
use super::definition::{Efiling, Field, FieldType, Step};

/// What the office knows of the filing besides its data; each is left out when absent (an
/// example of `forms check` has no receipt).
#[derive(Debug, Default, Clone, Copy)]
pub struct Filed<'a> {
    /// The receipt number, `UPO-2026-…`.
    pub receipt: Option<&'a str>,
    /// When it was filed, RFC 3339 with the Polish offset.
    pub filed_at: Option<&'a str>,
    /// The authority it was filed with (`authority.name` of the settings).
    pub authority: Option<&'a str>,
}

/// The document of a filing of `svc` with its stored `data`; `None` for a service without
/// `efiling`. Fields absent from the data (hidden, optional, not computed) are left out.
pub fn document(svc: &Service, data: &Map<String, Value>, filed: &Filed) -> Option<String> {
    let e = svc.def.efiling.as_ref()?;
    let mut x = Writer::default();
    x.out
        .push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    x.open(&e.root, &[("xmlns", &e.namespace)]);
    x.open("Naglowek", &[]);
    x.leaf_with(
        "KodFormularza",
        &[("wersjaSchemy", &e.schema_version)],
        &e.code,
    );
    x.leaf("WariantFormularza", &e.variant.to_string());
    x.leaf_with(
        "Usluga",
        &[("wersja", &svc.def.version.to_string())],
        svc.id(),
    );
    for (name, value) in [
        ("Organ", filed.authority),
        ("NumerPotwierdzenia", filed.receipt),
        ("DataZlozenia", filed.filed_at),
    ] {
        if let Some(v) = value {
            x.leaf(name, v);
        }
    }
    x.close("Naglowek");
    x.open("Dane", &[]);
    for f in value_fields(&svc.def.steps) {
        if let Some(v) = data.get(&f.id) {
            x.field(f, v);
        }
    }
    x.close("Dane");
    x.close(&e.root);
    Some(x.out)
}

fn value_fields(steps: &[Step]) -> impl Iterator<Item = &Field> {
    steps
        .iter()
        .flat_map(|s| s.fields.iter())
        .filter(|f| f.kind.holds_value())
}

#[derive(Default)]
struct Writer {
    out: String,
    depth: usize,
}

impl Writer {
    fn indent(&mut self) {
        for _ in 0..self.depth {
            self.out.push_str("  ");
        }
    }

    fn open(&mut self, name: &str, attrs: &[(&str, &str)]) {
        self.indent();
        self.out.push('<');
        self.out.push_str(name);
        self.attributes(attrs);
        self.out.push_str(">\n");
        self.depth += 1;
    }

    fn attributes(&mut self, attrs: &[(&str, &str)]) {
        for (k, v) in attrs {
            self.out.push(' ');
            self.out.push_str(k);
            self.out.push_str("=\"");
            escape_into(&mut self.out, v);
            self.out.push('"');
        }
    }

    fn close(&mut self, name: &str) {
        self.depth -= 1;
        self.indent();
        self.out.push_str("</");
        self.out.push_str(name);
        self.out.push_str(">\n");
    }

    fn leaf(&mut self, name: &str, text: &str) {
        self.leaf_with(name, &[], text);
    }

    fn leaf_with(&mut self, name: &str, attrs: &[(&str, &str)], text: &str) {
        self.indent();
        self.out.push('<');
        self.out.push_str(name);
        self.attributes(attrs);
        self.out.push('>');
        escape_into(&mut self.out, text);
        self.out.push_str("</");
        self.out.push_str(name);
        self.out.push_str(">\n");
    }

    fn field(&mut self, f: &Field, v: &Value) {
        match (f.kind, v) {
            (FieldType::Group, Value::Array(rows)) => {
                self.open(&f.id, &[]);
                for row in rows {
                    self.open("wiersz", &[]);
                    for rf in f.fields.iter().filter(|rf| rf.kind.holds_value()) {
                        if let Some(x) = row.get(&rf.id) {
                            self.field(rf, x);
                        }
                    }
                    self.close("wiersz");
                }
                self.close(&f.id);
            }
            (FieldType::Address, Value::Object(o)) => {
                self.open(&f.id, &[]);
                for k in super::definition::ADDRESS_PARTS {
                    if let Some(s) = o.get(k).map(scalar) {
                        self.leaf(k, &s);
                    }
                }
                self.close(&f.id);
            }
            (FieldType::File, Value::Array(files)) => {
                self.open(&f.id, &[]);
                for file in files {
                    self.open("plik", &[]);
                    for (name, key) in [
                        ("nazwa", "name"),
                        ("rozmiar", "size"),
                        ("sha3_256", "sha3_256"),
                    ] {
                        self.leaf(name, &file.get(key).map(scalar).unwrap_or_default());
                    }
                    self.close("plik");
                }
                self.close(&f.id);
            }
            (_, Value::Array(items)) => {
                self.open(&f.id, &[]);
                for it in items {
                    self.leaf("wartosc", &scalar(it));
                }
                self.close(&f.id);
            }
            _ => self.leaf(&f.id, &scalar(v)),
        }
    }
}

fn scalar(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// Escapes XML's markup characters and replaces the characters XML 1.0 cannot carry at all
/// (controls other than tab and line breaks, U+FFFE, U+FFFF) with U+FFFD, so what a client
/// typed never makes the document ill-formed.
fn escape_into(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if c < ' ' || c == '\u{fffe}' || c == '\u{ffff}' => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
}

/// Why the schema file cannot be the service's: not XML, not a schema, another namespace, or
/// no element for the document's root. `None` when it fits.
pub fn schema_problem(e: &Efiling, xsd: &str) -> Option<String> {
    let doc = match roxmltree::Document::parse(xsd) {
        Ok(d) => d,
        Err(err) => return Some(format!("the schema `{}` is not XML: {err}", e.schema)),
    };
    let root = doc.root_element();
    if root.tag_name().name() != "schema" || root.tag_name().namespace() != Some(XS) {
        return Some(format!("`{}` is not an XML Schema", e.schema));
    }
    if root.attribute("targetNamespace") != Some(e.namespace.as_str()) {
        return Some(format!(
            "the schema `{}` has targetNamespace `{}`, efiling.namespace is `{}`",
            e.schema,
            root.attribute("targetNamespace").unwrap_or(""),
            e.namespace
        ));
    }
    let declared = root
        .children()
        .any(|n| n.tag_name().name() == "element" && n.attribute("name") == Some(e.root.as_str()));
    (!declared).then(|| format!("the schema `{}` declares no element `{}`", e.schema, e.root))
}

const XS: &str = "http://www.w3.org/2001/XMLSchema";

/// A draft of the schema for `svc`'s documents, from its definition: what a new version of
/// the published file starts from (`okienko forms xsd`). `None` without `efiling`.
pub fn schema(svc: &Service) -> Option<String> {
    let e = svc.def.efiling.as_ref()?;
    let mut s = Schema {
        svc,
        out: String::new(),
    };
    s.out.push_str(&format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <!-- {code} ({variant}), schema {version}: the e-filing document of okienko's service \
         `{id}` version {sv}. -->\n\
         <xs:schema xmlns:xs=\"{XS}\" xmlns:tns=\"{ns}\" targetNamespace=\"{ns}\" \
         elementFormDefault=\"qualified\">\n",
        code = e.code,
        variant = e.variant,
        version = e.schema_version,
        id = svc.id(),
        sv = svc.def.version,
        ns = e.namespace,
    ));
    s.out.push_str(&format!(
        "  <xs:element name=\"{root}\">\n    <xs:complexType>\n      <xs:sequence>\n\
         \x20       <xs:element name=\"Naglowek\" type=\"tns:Naglowek\"/>\n\
         \x20       <xs:element name=\"Dane\" type=\"tns:Dane\"/>\n\
         \x20     </xs:sequence>\n    </xs:complexType>\n  </xs:element>\n",
        root = e.root
    ));
    s.header(e);
    s.out
        .push_str("  <xs:complexType name=\"Dane\">\n    <xs:sequence>\n");
    let always = |step: &Step| step.visible_if.is_none();
    for step in &svc.def.steps {
        for f in step.fields.iter().filter(|f| f.kind.holds_value()) {
            s.element(f, always(step), 3);
        }
    }
    s.out.push_str("    </xs:sequence>\n  </xs:complexType>\n");
    s.shared_types();
    s.out.push_str("</xs:schema>\n");
    Some(s.out)
}

struct Schema<'a> {
    svc: &'a Service,
    out: String,
}

impl Schema<'_> {
    fn line(&mut self, depth: usize, text: &str) {
        for _ in 0..depth {
            self.out.push_str("  ");
        }
        self.out.push_str(text);
        self.out.push('\n');
    }

    fn header(&mut self, e: &Efiling) {
        let fixed = |name: &str, v: &str| {
            format!("      <xs:element name=\"{name}\" type=\"xs:string\" fixed=\"{v}\"/>\n")
        };
        self.out
            .push_str("  <xs:complexType name=\"Naglowek\">\n    <xs:sequence>\n");
        self.out.push_str(&format!(
            "      <xs:element name=\"KodFormularza\">\n        <xs:complexType>\n\
             \x20         <xs:simpleContent>\n\
             \x20           <xs:extension base=\"tns:KodFormularza\">\n\
             \x20             <xs:attribute name=\"wersjaSchemy\" type=\"xs:string\" \
             use=\"required\" fixed=\"{v}\"/>\n\
             \x20           </xs:extension>\n          </xs:simpleContent>\n\
             \x20       </xs:complexType>\n      </xs:element>\n",
            v = e.schema_version
        ));
        self.out
            .push_str(&fixed("WariantFormularza", &e.variant.to_string()));
        self.out.push_str(&format!(
            "      <xs:element name=\"Usluga\">\n        <xs:complexType>\n\
             \x20         <xs:simpleContent>\n\
             \x20           <xs:extension base=\"xs:string\">\n\
             \x20             <xs:attribute name=\"wersja\" type=\"xs:positiveInteger\" \
             use=\"required\"/>\n\
             \x20           </xs:extension>\n          </xs:simpleContent>\n\
             \x20       </xs:complexType>\n      </xs:element>\n\
             \x20     <xs:element name=\"Organ\" type=\"tns:Tekst\" minOccurs=\"0\"/>\n\
             \x20     <xs:element name=\"NumerPotwierdzenia\" type=\"tns:NumerPotwierdzenia\" \
             minOccurs=\"0\"/>\n\
             \x20     <xs:element name=\"DataZlozenia\" type=\"xs:dateTime\" minOccurs=\"0\"/>\n\
             \x20   </xs:sequence>\n  </xs:complexType>\n\
             \x20 <xs:simpleType name=\"KodFormularza\">\n\
             \x20   <xs:restriction base=\"xs:string\"><xs:enumeration value=\"{code}\"/>\
             </xs:restriction>\n  </xs:simpleType>\n",
            code = e.code
        ));
    }

    /// One field's element: required where the field always is (required, no condition, in
    /// a step shown to everyone, not computed).
    fn element(&mut self, f: &Field, step_always: bool, depth: usize) {
        let always = step_always
            && f.required
            && f.visible_if.is_none()
            && f.required_if.is_none()
            && f.computed.is_none();
        let min = if always { "" } else { " minOccurs=\"0\"" };
        let id = &f.id;
        match f.kind {
            FieldType::Address => {
                self.line(
                    depth,
                    &format!("<xs:element name=\"{id}\" type=\"tns:Adres\"{min}/>"),
                );
            }
            FieldType::File => {
                self.line(
                    depth,
                    &format!("<xs:element name=\"{id}\" type=\"tns:Pliki\"{min}/>"),
                );
            }
            FieldType::Group => self.group(f, min, depth),
            FieldType::MultiChoice | FieldType::Ranking => {
                let n = self.options(f).len().max(1);
                self.line(depth, &format!("<xs:element name=\"{id}\"{min}>"));
                self.line(depth + 1, "<xs:complexType>");
                self.line(depth + 2, "<xs:sequence>");
                self.typed(f, "wartosc", &format!(" maxOccurs=\"{n}\""), depth + 3);
                self.line(depth + 2, "</xs:sequence>");
                self.line(depth + 1, "</xs:complexType>");
                self.line(depth, "</xs:element>");
            }
            _ => self.typed(f, id, min, depth),
        }
    }

    /// An element of `f`'s simple type: the type named where no facet narrows it.
    fn typed(&mut self, f: &Field, name: &str, occurs: &str, depth: usize) {
        let (base, facets) = self.simple(f);
        if facets.is_empty() {
            self.line(
                depth,
                &format!("<xs:element name=\"{name}\" type=\"{base}\"{occurs}/>"),
            );
            return;
        }
        self.line(depth, &format!("<xs:element name=\"{name}\"{occurs}>"));
        self.line(depth + 1, "<xs:simpleType>");
        self.line(depth + 2, &format!("<xs:restriction base=\"{base}\">"));
        for facet in facets {
            self.line(depth + 3, &facet);
        }
        self.line(depth + 2, "</xs:restriction>");
        self.line(depth + 1, "</xs:simpleType>");
        self.line(depth, "</xs:element>");
    }

    fn group(&mut self, f: &Field, min: &str, depth: usize) {
        let rows_min = if min.is_empty() {
            f.min_rows.unwrap_or(0)
        } else {
            0
        };
        self.line(depth, &format!("<xs:element name=\"{}\"{min}>", f.id));
        self.line(depth + 1, "<xs:complexType>");
        self.line(depth + 2, "<xs:sequence>");
        self.line(
            depth + 3,
            &format!(
                "<xs:element name=\"wiersz\" minOccurs=\"{rows_min}\" maxOccurs=\"{}\">",
                f.row_limit()
            ),
        );
        self.line(depth + 4, "<xs:complexType>");
        self.line(depth + 5, "<xs:sequence>");
        for rf in f.fields.iter().filter(|rf| rf.kind.holds_value()) {
            self.element(rf, true, depth + 6);
        }
        self.line(depth + 5, "</xs:sequence>");
        self.line(depth + 4, "</xs:complexType>");
        self.line(depth + 3, "</xs:element>");
        self.line(depth + 2, "</xs:sequence>");
        self.line(depth + 1, "</xs:complexType>");
        self.line(depth, "</xs:element>");
    }

    fn options(&self, f: &Field) -> Vec<String> {
        match &f.options_from {
            Some(alias) => self
                .svc
                .table(alias)
                .map(|t| t.rows.iter().map(|r| r.key.clone()).collect())
                .unwrap_or_default(),
            None => f.options.iter().map(|o| o.value.clone()).collect(),
        }
    }

    /// The simple type of a scalar field, with the definition's bounds as facets. A computed
    /// value gets its base type only: what the computation yields is not bounded by facets.
    fn simple(&self, f: &Field) -> (&'static str, Vec<String>) {
        let (base, mut facets): (&'static str, Vec<String>) = match f.kind {
            FieldType::Integer | FieldType::Scale => ("xs:integer", self.bounds(f, "Inclusive")),
            FieldType::Decimal | FieldType::Money | FieldType::Area => {
                let mut v = self.bounds(f, "Inclusive");
                v.push(format!(
                    "<xs:fractionDigits value=\"{}\"/>",
                    f.decimal_scale()
                ));
                ("xs:decimal", v)
            }
            FieldType::Date => ("xs:date", self.bounds(f, "Inclusive")),
            FieldType::YesNo => ("xs:boolean", vec![]),
            FieldType::Choice | FieldType::MultiChoice | FieldType::Ranking => (
                "xs:string",
                self.options(f)
                    .iter()
                    .map(|o| format!("<xs:enumeration value=\"{}\"/>", attr(o)))
                    .collect(),
            ),
            FieldType::Pesel => ("tns:Pesel", vec![]),
            FieldType::Nip => ("tns:Nip", vec![]),
            FieldType::Regon => ("tns:Regon", vec![]),
            FieldType::PostalCode => ("tns:KodPocztowy", vec![]),
            FieldType::Ade => ("tns:AdresDoDoreczen", vec![]),
            FieldType::Filing => ("tns:NumerPotwierdzenia", vec![]),
            FieldType::Phone => ("tns:Telefon", vec![]),
            FieldType::Email => ("tns:Email", vec![]),
            FieldType::Text | FieldType::Textarea => {
                let max = f.max_length.unwrap_or(match f.kind {
                    FieldType::Textarea => 10_000,
                    _ => 500,
                });
                let mut v = vec![format!("<xs:maxLength value=\"{max}\"/>")];
                if let Some(min) = f.min_length {
                    v.push(format!("<xs:minLength value=\"{min}\"/>"));
                }
                ("xs:string", v)
            }
            FieldType::Address | FieldType::File | FieldType::Group | FieldType::Content => {
                ("xs:string", vec![])
            }
        };
        if f.computed.is_some() {
            facets.clear();
        }
        (base, facets)
    }

    fn bounds(&self, f: &Field, kind: &str) -> Vec<String> {
        let value = |v: &Value| match v {
            Value::String(s) => Some(s.clone()),
            Value::Number(n) => Some(n.to_string()),
            _ => None,
        };
        let mut out = Vec::new();
        if let Some(min) = f.min.as_ref().and_then(value) {
            out.push(format!("<xs:min{kind} value=\"{}\"/>", attr(&min)));
        }
        if let Some(max) = f.max.as_ref().and_then(value) {
            out.push(format!("<xs:max{kind} value=\"{}\"/>", attr(&max)));
        }
        if f.kind == FieldType::Scale && out.is_empty() {
            let (lo, hi) = f.scale_bounds();
            out.push(format!("<xs:minInclusive value=\"{lo}\"/>"));
            out.push(format!("<xs:maxInclusive value=\"{hi}\"/>"));
        }
        out
    }

    /// The types every document uses: identifiers as the engine normalises them.
    fn shared_types(&mut self) {
        let pattern = |name: &str, p: &str| {
            format!(
                "  <xs:simpleType name=\"{name}\">\n    <xs:restriction base=\"xs:string\">\
                 <xs:pattern value=\"{p}\"/></xs:restriction>\n  </xs:simpleType>\n"
            )
        };
        for (name, p) in [
            ("Pesel", r"\d{11}"),
            ("Nip", r"\d{10}"),
            ("Regon", r"\d{9}|\d{14}"),
            ("KodPocztowy", r"\d{2}-\d{3}"),
            ("AdresDoDoreczen", r"AE:PL-\d{5}-\d{5}-[A-Z]{5}-\d{2}"),
            ("NumerPotwierdzenia", r"UPO-\d{4}-[0-9A-F]{32}"),
            ("Telefon", r"\+?\d{9,15}"),
            ("Teryt", r"\d{7}"),
        ] {
            self.out.push_str(&pattern(name, p));
        }
        self.out.push_str(
            "  <xs:simpleType name=\"Email\">\n    <xs:restriction base=\"xs:string\">\
             <xs:maxLength value=\"254\"/></xs:restriction>\n  </xs:simpleType>\n\
             \x20 <xs:simpleType name=\"Tekst\">\n    <xs:restriction base=\"xs:string\">\
             <xs:maxLength value=\"500\"/></xs:restriction>\n  </xs:simpleType>\n\
             \x20 <xs:complexType name=\"Adres\">\n    <xs:sequence>\n\
             \x20     <xs:element name=\"street\" type=\"tns:Tekst\" minOccurs=\"0\"/>\n\
             \x20     <xs:element name=\"building\" type=\"tns:Tekst\"/>\n\
             \x20     <xs:element name=\"flat\" type=\"tns:Tekst\" minOccurs=\"0\"/>\n\
             \x20     <xs:element name=\"postal_code\" type=\"tns:KodPocztowy\"/>\n\
             \x20     <xs:element name=\"locality\" type=\"tns:Tekst\"/>\n\
             \x20     <xs:element name=\"teryt\" type=\"tns:Teryt\" minOccurs=\"0\"/>\n\
             \x20   </xs:sequence>\n  </xs:complexType>\n\
             \x20 <xs:complexType name=\"Pliki\">\n    <xs:sequence>\n\
             \x20     <xs:element name=\"plik\" maxOccurs=\"unbounded\">\n\
             \x20       <xs:complexType>\n          <xs:sequence>\n\
             \x20           <xs:element name=\"nazwa\" type=\"tns:Tekst\"/>\n\
             \x20           <xs:element name=\"rozmiar\" type=\"xs:nonNegativeInteger\"/>\n\
             \x20           <xs:element name=\"sha3_256\">\n\
             \x20             <xs:simpleType><xs:restriction base=\"xs:string\">\
             <xs:pattern value=\"[0-9a-f]{64}\"/></xs:restriction></xs:simpleType>\n\
             \x20           </xs:element>\n          </xs:sequence>\n\
             \x20       </xs:complexType>\n      </xs:element>\n\
             \x20   </xs:sequence>\n  </xs:complexType>\n",
        );
    }
}

fn attr(s: &str) -> String {
    let mut out = String::new();
    escape_into(&mut out, s);
    out
}

/// The document of one valid example, for checking it against the published schema.
#[derive(Debug)]
pub struct ExampleDocument {
    pub service: String,
    pub example: String,
    /// The published schema's file name in `forms/schemas/`.
    pub schema: String,
    pub xml: String,
}

/// The documents of every valid example of every service with `efiling` (`okienko forms
/// efiling`), filed as `forms check` files them.
pub fn example_documents(catalogue: &super::Catalogue) -> Vec<ExampleDocument> {
    let identity = super::check::example_identity();
    let mut out = Vec::new();
    for svc in catalogue.services.values() {
        let Some(e) = &svc.def.efiling else { continue };
        for ex in &svc.def.examples.valid {
            let input = super::Input {
                lang: crate::domain::lang::Lang::Pl,
                today: super::check::example_today(ex.today.as_deref()),
                identity: Some(&identity),
            };
            let outcome = super::validate(svc, &ex.data, &input);
            let filed = Filed {
                receipt: Some("UPO-2026-0123456789ABCDEF0123456789ABCDEF"),
                filed_at: Some("2026-01-20T10:15:00+01:00"),
                authority: Some("Urząd Gminy Przykładowo"),
            };
            if let Some(xml) = document(svc, &outcome.data, &filed) {
                out.push(ExampleDocument {
                    service: svc.id().to_owned(),
                    example: ex.name.clone(),
                    schema: e.schema.clone(),
                    xml,
                });
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::forms::Catalogue;

    fn shipped() -> Catalogue {
        Catalogue::shipped().expect("the shipped catalogue")
    }

    fn dn1_document(data: serde_json::Value) -> String {
        let c = shipped();
        let svc = c.get("dn-1").expect("dn-1");
        let data = data.as_object().cloned().expect("an object");
        document(svc, &data, &Filed::default()).expect("dn-1 has efiling")
    }

    fn child<'a, 'i>(n: roxmltree::Node<'a, 'i>, name: &str) -> roxmltree::Node<'a, 'i> {
        n.children()
            .find(|c| c.tag_name().name() == name)
            .unwrap_or_else(|| panic!("no <{name}>"))
    }

    #[test]
    fn a_dn1_example_is_its_fields_in_order_with_rows_and_the_header() {
        let docs = example_documents(&shipped());
        let d = docs
            .iter()
            .find(|d| d.service == "dn-1" && d.example == "company-with-land-and-buildings")
            .expect("the example's document");
        assert_eq!(d.schema, "dn-1-v1.xsd");
        let doc = roxmltree::Document::parse(&d.xml).expect("well-formed");
        let root = doc.root_element();
        assert_eq!(root.tag_name().name(), "Deklaracja");
        assert_eq!(
            root.tag_name().namespace(),
            Some("urn:okienko:efiling:DN-1:1")
        );
        let header = child(root, "Naglowek");
        let code = child(header, "KodFormularza");
        assert_eq!(code.text(), Some("DN-1"));
        assert_eq!(code.attribute("wersjaSchemy"), Some("1-0"));
        let data = child(root, "Dane");
        let names: Vec<&str> = data
            .children()
            .filter(roxmltree::Node::is_element)
            .map(|n| n.tag_name().name())
            .collect();
        // the definition's order; hidden and empty fields are absent
        let pos = |n: &str| names.iter().position(|x| *x == n).expect(n);
        assert!(pos("year") < pos("purpose") && pos("purpose") < pos("nip"));
        assert!(pos("nip") < pos("zdn1") && pos("zdn1") < pos("total_tax"));
        assert!(!names.contains(&"corrects") && !names.contains(&"pesel"));
        assert_eq!(child(data, "total_tax").text(), Some("9015"));
        let rows: Vec<_> = child(data, "zdn1")
            .children()
            .filter(|n| n.tag_name().name() == "wiersz")
            .collect();
        assert_eq!(rows.len(), 3);
        assert_eq!(child(rows[0], "tax").text(), Some("1481.48"));
        assert_eq!(child(rows[2], "taxable_base").text(), Some("1700"));
        let address = child(data, "address");
        assert_eq!(child(address, "postal_code").text(), Some("64-530"));
    }

    #[test]
    fn what_a_client_types_cannot_break_the_document() {
        let name = "Spółka \"<A&B>\" \u{1}\u{b}x\u{fffe}";
        let xml = dn1_document(json!({ "name": name, "year": 2026 }));
        let doc = roxmltree::Document::parse(&xml).expect("still well-formed");
        let got = doc
            .descendants()
            .find(|n| n.tag_name().name() == "name")
            .and_then(|n| n.text())
            .expect("the name");
        assert_eq!(got, "Spółka \"<A&B>\" \u{fffd}\u{fffd}x\u{fffd}");
    }

    #[test]
    fn a_schema_that_is_not_the_services_is_named() {
        let c = shipped();
        let e = c
            .get("dn-1")
            .and_then(|s| s.def.efiling.clone())
            .expect("efiling");
        let xs = |ns: &str, root: &str| {
            format!(
                "<xs:schema xmlns:xs=\"{XS}\" targetNamespace=\"{ns}\"><xs:element name=\"{root}\"/></xs:schema>"
            )
        };
        assert_eq!(schema_problem(&e, &xs(&e.namespace, "Deklaracja")), None);
        let other = schema_problem(&e, &xs("urn:other", "Deklaracja")).expect("a problem");
        assert!(other.contains("targetNamespace `urn:other`"), "{other}");
        let root = schema_problem(&e, &xs(&e.namespace, "Informacja")).expect("a problem");
        assert!(root.contains("no element `Deklaracja`"), "{root}");
        assert!(schema_problem(&e, "<a/>").is_some_and(|m| m.contains("not an XML Schema")));
        assert!(schema_problem(&e, "<a").is_some_and(|m| m.contains("not XML")));
    }

    #[test]
    fn every_tax_form_has_its_published_schema_and_a_draft_that_parses() {
        let c = shipped();
        let with: Vec<&str> = c
            .services
            .values()
            .filter(|s| s.efiling_schema.is_some())
            .map(|s| s.id())
            .collect();
        assert_eq!(
            with,
            ["dl-1", "dn-1", "dr-1", "dt-1", "il-1", "in-1", "ir-1"]
        );
        for svc in c.services.values().filter(|s| s.def.efiling.is_some()) {
            let draft = schema(svc).expect("a draft");
            let e = svc.def.efiling.as_ref().expect("efiling");
            assert_eq!(schema_problem(e, &draft), None, "{}", svc.id());
        }
    }
}
