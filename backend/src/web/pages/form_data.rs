//! Turning an HTML form post (`name=value` pairs) into the JSON shape of submission data:
//! `address.street` becomes an object key, `zdn1[2].base` a row of a repeating group.

use serde_json::{Map, Value};

use crate::forms::Service;
use crate::forms::definition::{Field, FieldType};

fn scalar(pairs: &[(String, String)], name: &str) -> Option<Value> {
    pairs
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.trim())
        .filter(|v| !v.is_empty())
        .map(|v| Value::String(v.to_owned()))
}

fn field_value(pairs: &[(String, String)], f: &Field, name: &str) -> Option<Value> {
    match f.kind {
        FieldType::Content | FieldType::File => None,
        FieldType::MultiChoice => {
            let items: Vec<Value> = pairs
                .iter()
                .filter(|(k, v)| k == name && !v.is_empty())
                .map(|(_, v)| Value::String(v.clone()))
                .collect();
            (!items.is_empty()).then_some(Value::Array(items))
        }
        FieldType::Address => {
            let mut o = Map::new();
            for k in [
                "street",
                "building",
                "flat",
                "postal_code",
                "locality",
                "teryt",
            ] {
                if let Some(v) = scalar(pairs, &format!("{name}.{k}")) {
                    o.insert(k.into(), v);
                }
            }
            (!o.is_empty()).then_some(Value::Object(o))
        }
        FieldType::Group => {
            let prefix = format!("{name}[");
            let mut max: Option<usize> = None;
            for (k, _) in pairs {
                if let Some(rest) = k.strip_prefix(&prefix)
                    && let Some((i, _)) = rest.split_once(']')
                    && let Ok(i) = i.parse::<usize>()
                    && i < 1000
                {
                    max = Some(max.map_or(i, |m| m.max(i)));
                }
            }
            let rows: Vec<Value> = (0..max.map_or(0, |m| m + 1))
                .map(|i| {
                    let mut row = Map::new();
                    for rf in &f.fields {
                        if let Some(v) = field_value(pairs, rf, &format!("{name}[{i}].{}", rf.id)) {
                            row.insert(rf.id.clone(), v);
                        }
                    }
                    Value::Object(row)
                })
                .collect();
            Some(Value::Array(rows))
        }
        _ => scalar(pairs, name),
    }
}

/// Writes the posted values of one step's fields into `data` (absent values are removed).
pub fn merge_step(
    svc: &Service,
    step_id: &str,
    pairs: &[(String, String)],
    data: &mut Map<String, Value>,
) {
    let Some(step) = svc.def.steps.iter().find(|s| s.id == step_id) else {
        return;
    };
    for f in &step.fields {
        if f.computed.is_some() || matches!(f.kind, FieldType::Content | FieldType::File) {
            continue;
        }
        match field_value(pairs, f, &f.id) {
            Some(v) => {
                data.insert(f.id.clone(), v);
            }
            None => {
                data.remove(&f.id);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::forms::Catalogue;

    #[test]
    fn groups_and_addresses_from_form_pairs() {
        let cat = Catalogue::shipped().unwrap();
        let svc = cat.get("in-1").unwrap();
        let p = |k: &str, v: &str| (k.to_owned(), v.to_owned());
        let pairs = vec![
            p("zin1[0].category", "land_other"),
            p("zin1[0].base", "12,5"),
            p("zin1[1].location", "X"),
            p("other", "y"),
        ];
        let mut data = Map::new();
        merge_step(svc, "objects", &pairs, &mut data);
        assert_eq!(
            data["zin1"],
            serde_json::json!([{ "category": "land_other", "base": "12,5" }, { "location": "X" }])
        );
        let pairs = vec![
            p("address.building", "5"),
            p("address.locality", "Przykładowo"),
            p("address.street", " "),
        ];
        merge_step(svc, "taxpayer", &pairs, &mut data);
        assert_eq!(
            data["address"],
            serde_json::json!({ "building": "5", "locality": "Przykładowo" })
        );
    }
}
