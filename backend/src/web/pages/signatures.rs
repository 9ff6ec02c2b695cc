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
                "timestamp": timestamp(&r["timestamp"]),
                "revocation": revocation(&r["revocation"]),
                "revoked_later": r["revocation"]["revoked_after_timestamp"].as_array().map(|l| l.iter().map(|c| format!(
                    "{}: unieważniony {}, po czasie ze znacznika; znacznik dowodzi, że podpis złożono wcześniej",
                    c["certificate"].as_str().unwrap_or_default(),
                    c["revoked_at"].as_str().unwrap_or_default(),
                )).collect::<Vec<_>>()).unwrap_or_default(),
                "crls": r["revocation"]["crls"].as_array().map(|crls| crls.iter().map(|c| format!(
                    "{}: lista CRL wystawcy {} z {}",
                    c["certificate"].as_str().unwrap_or_default(),
                    c["issuer"].as_str().unwrap_or_default(),
                    c["this_update"].as_str().unwrap_or_default(),
                )).collect::<Vec<_>>()).unwrap_or_default(),
                "valid": r["result"] == "valid",
                "message": r["message"],
            })
        })
        .collect()
}

/// The signature timestamp as the clerk reads it: its time and the TSA; records made
/// before timestamps were read, and signatures without one, have none.
fn timestamp(t: &Value) -> String {
    match (t["gen_time"].as_str(), t["tsa"].as_str()) {
        (Some(at), Some(tsa)) => format!(
            "{at}, kwalifikowany znacznik czasu wystawcy {tsa} (czas zaufany: według niego sprawdzono ważność i unieważnienie certyfikatów)"
        ),
        _ => "brak (czas podpisu podał podpisujący)".to_owned(),
    }
}

/// The revocation status as the clerk reads it; records made before CRLs were read have
/// none.
fn revocation(r: &Value) -> String {
    let unchecked = || {
        r["unchecked"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .map(|s| format!("„{s}”"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    match r["status"].as_str() {
        Some("checked") => {
            "sprawdzono: żadnego certyfikatu łańcucha nie ma na aktualnej liście unieważnionych certyfikatów (CRL) wystawcy".to_owned()
        }
        Some("not_checked") => format!(
            "nie sprawdzono: brak aktualnej listy unieważnionych certyfikatów (CRL) dla {}; podpis przyjęto bez tego sprawdzenia",
            unchecked()
        ),
        Some("revoked") => "certyfikat unieważniony".to_owned(),
        _ => "nie sprawdzano (podpis przyjęto, zanim okienko czytało listy CRL)".to_owned(),
    }
}
