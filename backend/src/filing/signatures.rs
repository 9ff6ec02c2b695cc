//! The signatures of a filing's signed files (a `file` field with a `signature` rule,
//! docs/signatures.md): each file is verified against the gmina's trust anchors before
//! anything is stored. A failing signature, or a missing one where the rule requires it,
//! is a field error naming the file and what failed; the verified ones are recorded in
//! the case's history (the first entry, `db::cases::opening`).

use serde_json::{Value, json};

use super::Upload;
use crate::error::{AppError, AppResult};
use crate::forms::definition::{FieldType, SignatureRule};
use crate::forms::{FieldError, Service};
use crate::signatures::{Failure, Verification};
use crate::state::AppState;

/// Field errors, and the records of the signatures that hold.
pub async fn check(
    app: &AppState,
    svc: &Service,
    uploads: &[Upload],
) -> AppResult<(Vec<FieldError>, Vec<Value>)> {
    let rules: Vec<(&str, &SignatureRule)> = svc
        .fields()
        .filter(|f| f.kind == FieldType::File)
        .filter_map(|f| f.signature.as_ref().map(|r| (f.id.as_str(), r)))
        .collect();
    // (field, its rule, the file's index within the field, the upload)
    let mut signed = Vec::new();
    for (field, rule) in &rules {
        for (i, u) in uploads.iter().filter(|u| u.field == *field).enumerate() {
            signed.push((*field, *rule, i, u));
        }
    }
    if signed.is_empty() {
        return Ok((Vec::new(), Vec::new()));
    }
    // verification is CPU work (digests of the whole file, C14N, RSA): off the runtime
    let trust = app.signatures.current();
    let files: Vec<bytes::Bytes> = signed.iter().map(|(_, _, _, u)| u.bytes.clone()).collect();
    let now = time::OffsetDateTime::now_utc();
    let verified: Vec<Verification> = tokio::task::spawn_blocking(move || {
        files
            .iter()
            .map(|b| crate::signatures::verify(b, &trust, now))
            .collect()
    })
    .await
    .map_err(|e| AppError::Internal(anyhow::anyhow!("signature verification stopped: {e}")))?;

    let mut errors = Vec::new();
    let mut records = Vec::new();
    for ((field, rule, i, u), v) in signed.into_iter().zip(verified) {
        let path = format!("{field}[{i}]");
        let refuse = |code: &str, why: String| FieldError {
            path: path.clone(),
            code: format!("signature.{code}"),
            message: format!("„{}”: {why}", u.name),
        };
        match &v.result {
            Err(Failure::NoSignature) if !rule.required => continue,
            Err(Failure::NoSignature) => errors.push(refuse(
                "no_signature",
                format!(
                    "ten dokument musi być podpisany ({}){}.",
                    kinds(rule),
                    rule.legal_basis
                        .as_deref()
                        .map(|b| format!(", {b}"))
                        .unwrap_or_default()
                ),
            )),
            Err(f) => errors.push(refuse(f.code(), f.to_string())),
            Ok(()) => match v.kind {
                Some(k) if rule.accept.contains(&k) => {
                    let mut r = v.to_json();
                    r["field"] = json!(field);
                    r["name"] = json!(u.name);
                    r["sha3_256"] = json!(u.sha3_256);
                    records.push(r);
                }
                other => errors.push(refuse(
                    "kind",
                    format!(
                        "podpisano go jako {}, a ten dokument wymaga: {}.",
                        other.map_or("podpis innego rodzaju", |k| k.label_pl()),
                        kinds(rule)
                    ),
                )),
            },
        }
    }
    if !errors.is_empty() || !records.is_empty() {
        tracing::info!(
            service.id = %svc.def.id,
            signatures.valid = records.len(),
            signatures.refused = errors.len(),
            "signed files verified"
        );
    }
    Ok((errors, records))
}

fn kinds(rule: &SignatureRule) -> String {
    rule.accept
        .iter()
        .map(|k| k.label_pl())
        .collect::<Vec<_>>()
        .join(", ")
}
