//! The clerk's view of what was verified of a filing's signed files: the records the
//! filing kept in the case's history (`filing::signatures`), read back from it.

use serde_json::{Value, json};

use crate::db::entity::case_event;
use crate::signatures::Kind;

/// Every signature record in `history`, with the labels the case page shows.
pub fn of_history(history: &[case_event::Model]) -> Vec<Value> {
    history
        .iter()
        .filter_map(|e| serde_json::from_str::<Value>(&e.detail).ok())
        .filter_map(|d| d.get("signatures").and_then(Value::as_array).cloned())
        .flatten()
        .map(|r| {
            let kind = r["kind"].as_str().and_then(Kind::parse);
            json!({
                "name": r["name"],
                "field": r["field"],
                "format": match r["format"].as_str() { Some("pades") => "PAdES (PDF)", Some("xades") => "XAdES (XML)", _ => "" },
                "kind": kind.map_or("", |k| k.label_pl()),
                "signer": r["signer"]["name"],
                "pesel": r["signer"]["pesel"],
                "serial": r["signer"]["serial"],
                "signing_time": r["signing_time"],
                "chain": r["chain"],
                "valid": r["result"] == "valid",
                "message": r["message"],
            })
        })
        .collect()
}
