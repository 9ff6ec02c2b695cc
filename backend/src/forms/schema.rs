//! JSON Schema (2020-12) of a service's submission data, generated from its definition.
//! It describes shapes and simple bounds; the engine remains the authority on the rules
//! (checksums, conditions, cross-field checks) a schema cannot express.

use serde_json::{Map, Value, json};

use super::catalogue::Service;
use super::definition::{Field, FieldType};
use crate::domain::lang::Lang;

pub fn schema(svc: &Service, lang: Lang, base_url: &str) -> Value {
    let mut props = Map::new();
    for f in svc.fields().filter(|f| f.kind.holds_value()) {
        props.insert(f.id.clone(), field_schema(svc, f, lang));
    }
    json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": format!("{base_url}/api/services/{}/schema", svc.id()),
        "title": svc.def.title.get(lang),
        "description": format!("version {}, definition {}", svc.def.version, svc.hash),
        "type": "object",
        "additionalProperties": false,
        "properties": props,
    })
}

fn field_schema(svc: &Service, f: &Field, lang: Lang) -> Value {
    let mut s = match f.kind {
        FieldType::Text | FieldType::Textarea => {
            let mut s = json!({ "type": "string" });
            if let Some(n) = f.max_length {
                s["maxLength"] = n.into();
            }
            if let Some(n) = f.min_length {
                s["minLength"] = n.into();
            }
            if let Some(p) = &f.pattern {
                s["pattern"] = format!("^(?:{p})$").into();
            }
            s
        }
        FieldType::Integer => {
            let mut s = json!({ "type": ["integer", "string"] });
            if let Some(m) = &f.min {
                s["minimum"] = m.clone();
            }
            if let Some(m) = &f.max {
                s["maximum"] = m.clone();
            }
            s
        }
        FieldType::Decimal | FieldType::Money | FieldType::Area => json!({
            "type": ["string", "number"],
            "pattern": format!("^-?\\d+([.,]\\d{{1,{}}})?$", f.decimal_scale()),
            "description": "exact decimal; send a string to keep every digit",
        }),
        FieldType::Date => json!({ "type": "string", "format": "date" }),
        FieldType::Choice => json!({ "type": "string", "enum": options(svc, f) }),
        FieldType::MultiChoice => {
            json!({ "type": "array", "items": { "enum": options(svc, f) }, "uniqueItems": true })
        }
        FieldType::Scale => {
            let (lo, hi) = f.scale_bounds();
            json!({ "type": ["integer", "string"], "minimum": lo, "maximum": hi })
        }
        FieldType::Ranking => json!({
            "type": "array", "items": { "enum": options(svc, f) }, "uniqueItems": true,
            "description": "the options in order of preference, best first",
        }),
        FieldType::YesNo => json!({ "type": "boolean" }),
        FieldType::Email => json!({ "type": "string", "format": "email", "maxLength": 254 }),
        FieldType::Phone => json!({ "type": "string", "pattern": "^\\+?[0-9 -]{9,20}$" }),
        FieldType::Pesel => json!({ "type": "string", "pattern": "^\\d{11}$" }),
        FieldType::Nip => json!({ "type": "string", "pattern": "^(PL)?[0-9 -]{10,13}$" }),
        FieldType::Regon => json!({ "type": "string", "pattern": "^(\\d{9}|\\d{14})$" }),
        FieldType::PostalCode => json!({ "type": "string", "pattern": "^\\d{2}-?\\d{3}$" }),
        FieldType::Ade => {
            json!({ "type": "string", "pattern": "^AE:[A-Z]{2}-\\d{5}-\\d{5}-[A-Z]{5}-\\d{2}$" })
        }
        FieldType::Filing => json!({
            "type": "string", "pattern": "^UPO-\\d{4}-[0-9A-F]{32}$",
            "description": "the receipt number of one of the filer's own earlier filings of this service",
        }),
        FieldType::Address => json!({
            "type": "object",
            "additionalProperties": false,
            "required": ["building", "postal_code", "locality"],
            "properties": {
                "street": { "type": "string", "maxLength": 150 },
                "building": { "type": "string", "maxLength": 20 },
                "flat": { "type": "string", "maxLength": 20 },
                "postal_code": { "type": "string", "pattern": "^\\d{2}-?\\d{3}$" },
                "locality": { "type": "string", "maxLength": 100 },
                "teryt": { "type": "string", "pattern": "^\\d{7}$" },
            },
        }),
        FieldType::File => json!({
            "type": "array",
            "maxItems": f.max_files.unwrap_or(1),
            "description": format!("filled by the server from multipart parts named `{}`; allowed: {}", f.id, f.accept.join(", ")),
            "items": { "type": "object", "properties": {
                "name": { "type": "string", "maxLength": 128 },
                "content_type": { "type": "string" },
                "size": { "type": "integer" },
                "sha3_256": { "type": "string" },
            }},
        }),
        FieldType::Group => {
            let mut props = Map::new();
            for rf in f.fields.iter().filter(|rf| rf.kind.holds_value()) {
                props.insert(rf.id.clone(), field_schema(svc, rf, lang));
            }
            let mut s = json!({ "type": "array", "items": { "type": "object", "additionalProperties": false, "properties": props } });
            if let Some(n) = f.max_rows {
                s["maxItems"] = n.into();
            }
            if let Some(n) = f.min_rows {
                s["minItems"] = n.into();
            }
            s
        }
        FieldType::Content => json!({}),
    };
    s["title"] = f.label.get(lang).into();
    if f.computed.is_some() {
        s["readOnly"] = true.into();
    }
    s
}

fn options(svc: &Service, f: &Field) -> Vec<String> {
    match &f.options_from {
        Some(alias) => svc
            .table(alias)
            .map(|t| t.rows.iter().map(|r| r.key.clone()).collect())
            .unwrap_or_default(),
        None => f.options.iter().map(|o| o.value.clone()).collect(),
    }
}
