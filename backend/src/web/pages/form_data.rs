//! Turning an HTML form post (`name=value` pairs) into the JSON shape of submission data:
//! `address.street` becomes an object key, `zdn1[2].base` a row of a repeating group.

use std::collections::HashMap;

use serde_json::{Map, Value};

use crate::forms::Service;
use crate::forms::definition::{Field, FieldType};

/// A posted group with more rows than its definition allows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TooManyRows {
    pub field: String,
    pub limit: u32,
}

impl From<TooManyRows> for crate::error::AppError {
    fn from(e: TooManyRows) -> Self {
        Self::Unprocessable {
            code: "rows.max",
            message: format!(
                "Pole `{}` ma za dużo pozycji (najwyżej {}); nic nie zostało zapisane.",
                e.field, e.limit
            ),
        }
    }
}

/// The posted pairs indexed once: values by name, and for every `name[i]` prefix the
/// highest row index seen. Every lookup is then a hash probe, so reading a step is linear
/// in the size of the body (it used to scan every pair for every field of every row).
struct Posted<'a> {
    values: HashMap<&'a str, Vec<&'a str>>,
    max_index: HashMap<&'a str, usize>,
}

impl<'a> Posted<'a> {
    fn index(pairs: &'a [(String, String)]) -> Self {
        let mut values: HashMap<&str, Vec<&str>> = HashMap::new();
        let mut max_index: HashMap<&str, usize> = HashMap::new();
        for (k, v) in pairs {
            values.entry(k.as_str()).or_default().push(v.as_str());
            // `a[1].b[2].c` names row 1 of `a` and row 2 of `a[1].b`
            for (open, _) in k.match_indices('[') {
                let rest = &k[open + 1..];
                let Some(close) = rest.find(']') else { break };
                if let Ok(i) = rest[..close].parse::<usize>() {
                    let m = max_index.entry(&k[..open]).or_insert(i);
                    *m = (*m).max(i);
                }
            }
        }
        Self { values, max_index }
    }

    fn all(&self, name: &str) -> &[&'a str] {
        self.values.get(name).map_or(&[], Vec::as_slice)
    }

    fn scalar(&self, name: &str) -> Option<Value> {
        self.all(name)
            .first()
            .map(|v| v.trim())
            .filter(|v| !v.is_empty())
            .map(|v| Value::String(v.to_owned()))
    }

    fn field_value(&self, f: &Field, name: &str) -> Result<Option<Value>, TooManyRows> {
        Ok(match f.kind {
            FieldType::Content | FieldType::File => None,
            FieldType::MultiChoice | FieldType::Ranking => {
                let items: Vec<Value> = self
                    .all(name)
                    .iter()
                    .filter(|v| !v.is_empty())
                    .map(|v| Value::String((*v).to_owned()))
                    .collect();
                (!items.is_empty()).then_some(Value::Array(items))
            }
            FieldType::Address => {
                let mut o = Map::new();
                for k in crate::forms::definition::ADDRESS_PARTS {
                    if let Some(v) = self.scalar(&format!("{name}.{k}")) {
                        o.insert(k.into(), v);
                    }
                }
                (!o.is_empty()).then_some(Value::Object(o))
            }
            FieldType::Group => {
                let n = self.max_index.get(name).map_or(0, |m| m.saturating_add(1));
                let limit = f.row_limit();
                if n > limit as usize {
                    return Err(TooManyRows {
                        field: f.id.clone(),
                        limit,
                    });
                }
                let mut rows = Vec::with_capacity(n);
                for i in 0..n {
                    let mut row = Map::new();
                    for rf in &f.fields {
                        if let Some(v) = self.field_value(rf, &format!("{name}[{i}].{}", rf.id))? {
                            row.insert(rf.id.clone(), v);
                        }
                    }
                    rows.push(Value::Object(row));
                }
                Some(Value::Array(rows))
            }
            _ => self.scalar(name),
        })
    }
}

/// Writes the posted values of one step's fields into `data` (absent values are removed).
/// A group posted with a row index at or beyond its `max_rows` is refused whole, before
/// anything is written.
pub fn merge_step(
    svc: &Service,
    step_id: &str,
    pairs: &[(String, String)],
    data: &mut Map<String, Value>,
) -> Result<(), TooManyRows> {
    let Some(step) = svc.def.steps.iter().find(|s| s.id == step_id) else {
        return Ok(());
    };
    let posted = Posted::index(pairs);
    let mut values = Vec::with_capacity(step.fields.len());
    for f in &step.fields {
        if f.computed.is_some() || matches!(f.kind, FieldType::Content | FieldType::File) {
            continue;
        }
        values.push((f.id.clone(), posted.field_value(f, &f.id)?));
    }
    for (id, v) in values {
        match v {
            Some(v) => {
                data.insert(id, v);
            }
            None => {
                data.remove(&id);
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod within_budget;

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
        merge_step(svc, "objects", &pairs, &mut data).unwrap();
        assert_eq!(
            data["zin1"],
            serde_json::json!([{ "category": "land_other", "base": "12,5" }, { "location": "X" }])
        );
        let pairs = vec![
            p("address.building", "5"),
            p("address.locality", "Przykładowo"),
            p("address.street", " "),
        ];
        merge_step(svc, "taxpayer", &pairs, &mut data).unwrap();
        assert_eq!(
            data["address"],
            serde_json::json!({ "building": "5", "locality": "Przykładowo" })
        );
    }

    #[test]
    fn a_row_index_beyond_max_rows_is_refused_naming_the_limit() {
        let cat = Catalogue::shipped().unwrap();
        let svc = cat.get("in-1").unwrap();
        let limit = svc.field("zin1").unwrap().row_limit();
        let p = |k: String| (k, "x".to_owned());
        let mut data = Map::new();
        let at_limit = vec![p(format!("zin1[{}].location", limit - 1))];
        merge_step(svc, "objects", &at_limit, &mut data).unwrap();
        assert_eq!(data["zin1"].as_array().unwrap().len(), limit as usize);
        let beyond = vec![p(format!("zin1[{limit}].location"))];
        let mut data = Map::new();
        assert_eq!(
            merge_step(svc, "objects", &beyond, &mut data),
            Err(TooManyRows {
                field: "zin1".into(),
                limit
            })
        );
        assert!(data.is_empty(), "nothing is written");
    }

    /// The shape of the body the review found (indices up to 999, 2 MB): read in one pass.
    #[test]
    fn a_large_body_of_row_indices_is_read_by_index() {
        let cat = Catalogue::shipped().unwrap();
        let svc = cat.get("in-1").unwrap();
        let limit = svc.field("zin1").unwrap().row_limit() as usize;
        let pairs: Vec<(String, String)> = (0..60_000)
            .map(|n| (format!("zin1[{}].location", n % limit), "y".repeat(20)))
            .collect();
        let mut data = Map::new();
        merge_step(svc, "objects", &pairs, &mut data).unwrap();
        assert_eq!(data["zin1"].as_array().unwrap().len(), limit);
    }
}
