//! What a correction changes: its data against the data of the filing it corrects, field
//! by field and row by row, in the words of the form (labels, option labels), for the
//! clerk's page. Pure: both filings' data in, the changes out.

use serde_json::{Map, Value};

use super::Service;
use super::definition::{Field, FieldType};
use crate::domain::lang::Lang;

/// One field whose value differs.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Change {
    /// Where it is, as the engine's error paths: `year`, `zdn1[1].base`.
    pub path: String,
    /// The form's label, with the group's and the row's number for a row's field.
    pub label: String,
    /// The value in the corrected filing, readable; "—" when it had none.
    pub before: String,
    /// The value in the correction, readable; "—" when it has none.
    pub after: String,
}

/// The fields of `after` (the correction) that differ from `before` (the filing it
/// corrects), in the form's order. References to other filings are left out: the page
/// names the corrected filing itself.
pub fn changes(
    svc: &Service,
    before: &Map<String, Value>,
    after: &Map<String, Value>,
    lang: Lang,
) -> Vec<Change> {
    let mut out = Vec::new();
    for f in svc
        .fields()
        .filter(|f| f.kind.holds_value() && f.kind != FieldType::Filing)
    {
        let (b, a) = (before.get(&f.id), after.get(&f.id));
        if f.kind == FieldType::Group {
            rows(svc, f, b, a, lang, &mut out);
        } else if b != a {
            out.push(change(
                svc,
                f,
                f.id.clone(),
                f.label.get(lang).to_owned(),
                b,
                a,
                lang,
            ));
        }
    }
    out
}

fn rows(
    svc: &Service,
    group: &Field,
    before: Option<&Value>,
    after: Option<&Value>,
    lang: Lang,
    out: &mut Vec<Change>,
) {
    let list = |v: Option<&Value>| v.and_then(Value::as_array).cloned().unwrap_or_default();
    let (b, a) = (list(before), list(after));
    let row_word = if lang == Lang::Pl { "wiersz" } else { "row" };
    for i in 0..b.len().max(a.len()) {
        for rf in group.fields.iter().filter(|f| f.kind.holds_value()) {
            let get = |rows: &[Value]| rows.get(i).and_then(|r| r.get(&rf.id)).cloned();
            let (x, y) = (get(&b), get(&a));
            if x != y {
                let label = format!(
                    "{}, {row_word} {}: {}",
                    group.label.get(lang),
                    i + 1,
                    rf.label.get(lang)
                );
                let path = format!("{}[{i}].{}", group.id, rf.id);
                out.push(change(svc, rf, path, label, x.as_ref(), y.as_ref(), lang));
            }
        }
    }
}

fn change(
    svc: &Service,
    f: &Field,
    path: String,
    label: String,
    before: Option<&Value>,
    after: Option<&Value>,
    lang: Lang,
) -> Change {
    Change {
        path,
        label,
        before: readable(svc, f, before, lang),
        after: readable(svc, f, after, lang),
    }
}

/// A value as the form shows it: an option's label, yes or no, an address on one line.
pub fn readable(svc: &Service, f: &Field, v: Option<&Value>, lang: Lang) -> String {
    let pl = lang == Lang::Pl;
    match v {
        None => "—".into(),
        Some(Value::String(s)) if matches!(f.kind, FieldType::Choice) => option(svc, f, s, lang),
        Some(Value::Array(items)) => items
            .iter()
            .map(|x| match (f.kind, x) {
                (FieldType::MultiChoice | FieldType::Ranking, Value::String(s)) => {
                    option(svc, f, s, lang)
                }
                (FieldType::File, x) => x["name"].as_str().unwrap_or_default().to_owned(),
                (_, x) => scalar(x, pl),
            })
            .collect::<Vec<_>>()
            .join(", "),
        Some(Value::Object(o)) => address(o),
        Some(other) => scalar(other, pl),
    }
}

/// A plain value: text as it is, numbers, yes or no.
fn scalar(v: &Value, pl: bool) -> String {
    match (v, pl) {
        (Value::Null, _) => "—".into(),
        (Value::Bool(true), true) => "tak".into(),
        (Value::Bool(false), true) => "nie".into(),
        (Value::Bool(true), false) => "yes".into(),
        (Value::Bool(false), false) => "no".into(),
        (Value::String(s), _) => s.clone(),
        (other, _) => other.to_string(),
    }
}

/// The label of option `value` of a choice, from its options or its table.
fn option(svc: &Service, f: &Field, value: &str, lang: Lang) -> String {
    let own = f
        .options
        .iter()
        .find(|o| o.value == value)
        .map(|o| o.label.get(lang).to_owned());
    let from_table = || {
        let alias = f.options_from.as_deref()?;
        svc.table(alias)?
            .row(value)
            .map(|r| r.label.get(lang).to_owned())
    };
    own.or_else(from_table).unwrap_or_else(|| value.to_owned())
}

/// An address on one line: `Rynek 1/2, 64-530 Przykładowo`.
pub fn address(o: &Map<String, Value>) -> String {
    let part = |k: &str| o.get(k).and_then(Value::as_str).unwrap_or_default();
    let number = match part("flat") {
        "" => part("building").to_owned(),
        flat => format!("{}/{flat}", part("building")),
    };
    let street = [part("street"), number.as_str()]
        .iter()
        .filter(|s| !s.is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join(" ");
    let town = format!("{} {}", part("postal_code"), part("locality"));
    [street, town.trim().to_owned()]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use serde_json::{Map, Value, json};

    use super::*;
    use crate::forms::Catalogue;

    fn obj(v: Value) -> Map<String, Value> {
        v.as_object().cloned().unwrap_or_default()
    }

    fn declaration() -> Value {
        json!({
            "year": 2026, "purpose": "declaration", "from_month": 1, "filer_type": "legal_person",
            "entity_type": "owner", "name": "Spółka", "nip": "8567346215",
            "address": { "street": "Rynek", "building": "1", "postal_code": "64-530", "locality": "Przykładowo" },
            "zdn1": [{ "category": "land_other", "location": "ul. Polna 5", "base": "1000", "tax": "600" }],
            "total_tax": "600", "has_exemptions": false,
        })
    }

    /// A correction's changes read as the form reads: labels, option labels, rows by number;
    /// what did not change is not listed, and the reference to the corrected filing is not
    /// a change.
    #[test]
    fn a_correction_lists_only_what_it_changes_in_the_forms_words() {
        let cat = Catalogue::shipped().unwrap();
        let svc = cat.get("dn-1").unwrap();
        let before = obj(declaration());
        let mut after = obj(declaration());
        after.insert("purpose".into(), json!("correction"));
        after.insert(
            "corrects".into(),
            json!("UPO-2026-0123456789ABCDEF0123456789ABCDEF"),
        );
        after.insert("correction_basis".into(), json!("art81"));
        after.insert(
            "zdn1".into(),
            json!([
                { "category": "land_business", "location": "ul. Polna 5", "base": "1000", "tax": "1200" },
                { "category": "structures", "location": "ul. Polna 5", "base": "5000", "tax": "100" },
            ]),
        );
        after.insert("total_tax".into(), json!("1300"));
        let got = changes(svc, &before, &after, Lang::Pl);
        let row = |c: &Change| (c.path.clone(), c.before.clone(), c.after.clone());
        let rows: Vec<_> = got.iter().map(row).collect();
        assert_eq!(
            rows,
            vec![
                (
                    "purpose".into(),
                    "deklaracja".into(),
                    "korekta deklaracji".into()
                ),
                (
                    "correction_basis".into(),
                    "—".into(),
                    "art. 81 Ordynacji podatkowej".into()
                ),
                (
                    "zdn1[0].category".into(),
                    "Grunty pozostałe (m²)".into(),
                    "Grunty związane z prowadzeniem działalności gospodarczej (m²)".into()
                ),
                ("zdn1[0].tax".into(), "600".into(), "1200".into()),
                (
                    "zdn1[1].category".into(),
                    "—".into(),
                    "Budowle (wartość w zł)".into()
                ),
                ("zdn1[1].location".into(), "—".into(), "ul. Polna 5".into()),
                ("zdn1[1].base".into(), "—".into(), "5000".into()),
                ("zdn1[1].tax".into(), "—".into(), "100".into()),
                ("total_tax".into(), "600".into(), "1300".into()),
            ]
        );
        assert_eq!(
            got[2].label,
            "Przedmioty opodatkowania, wiersz 1: Rodzaj przedmiotu opodatkowania"
        );
    }

    #[test]
    fn the_same_data_has_no_changes() {
        let cat = Catalogue::shipped().unwrap();
        let svc = cat.get("dn-1").unwrap();
        let d = obj(declaration());
        assert!(changes(svc, &d, &d, Lang::En).is_empty());
    }

    #[test]
    fn yes_no_and_addresses_read_as_words() {
        let cat = Catalogue::shipped().unwrap();
        let svc = cat.get("dn-1").unwrap();
        let before = obj(declaration());
        let mut after = obj(declaration());
        after.insert("has_exemptions".into(), json!(true));
        after.insert(
            "address".into(),
            json!({ "street": "Rynek", "building": "1", "flat": "4", "postal_code": "64-530", "locality": "Przykładowo" }),
        );
        let got = changes(svc, &before, &after, Lang::En);
        assert_eq!(got[0].before, "Rynek 1, 64-530 Przykładowo");
        assert_eq!(got[0].after, "Rynek 1/4, 64-530 Przykładowo");
        assert_eq!(
            (got[1].before.as_str(), got[1].after.as_str()),
            ("no", "yes")
        );
    }
}
