//! A case's letter through the national service: chosen per kind of letter
//! (`delivery.channels`), queued in the case action's transaction as an outbox job, sent by
//! the worker (so a down service delays the letter and loses nothing), and written into the
//! case history with the service's message id.

use sea_orm::ConnectionTrait;
use serde_json::{Value, json};
use time::OffsetDateTime;

use crate::config::Channel;
use crate::db::entity::{case_document, case_file};
use crate::db::{cases, outbox};

/// The outbox job that sends a case's letter through e-Doręczenia.
pub const NATIONAL_LETTER: &str = "national_letter";

/// The applicant's address for electronic delivery as their application gave it: the first
/// valid value of a field of type `ade` anywhere in the data.
pub fn applicant_ade(svc: &crate::forms::Service, data: &Value) -> Option<String> {
    fn walk(svc: &crate::forms::Service, v: &Value) -> Option<String> {
        match v {
            Value::Object(map) => map.iter().find_map(|(k, v)| {
                let is_ade = svc
                    .field(k)
                    .is_some_and(|f| f.kind == crate::forms::definition::FieldType::Ade);
                match v {
                    Value::String(s) if is_ade && crate::domain::ade::Ade::parse(s).is_ok() => {
                        Some(s.clone())
                    }
                    _ => walk(svc, v),
                }
            }),
            Value::Array(items) => items.iter().find_map(|v| walk(svc, v)),
            _ => None,
        }
    }
    walk(svc, data)
}

/// In the case action's transaction: queues the letter for the national service when its
/// kind's channel is `national`, the service is configured and the applicant gave an address
/// for electronic delivery. `false` when it is not (the caller delivers to the portal).
pub async fn enqueue_if_national(
    txn: &impl ConnectionTrait,
    app: &crate::state::AppState,
    case: &case_file::Model,
    document: &case_document::Model,
    now: OffsetDateTime,
) -> anyhow::Result<bool> {
    if app.settings.delivery.channel(&document.kind) != Channel::National
        || app.edoreczenia.is_none()
    {
        return Ok(false);
    }
    let Some(svc) = app.catalogue.get(&case.service_id) else {
        return Ok(false);
    };
    let Some(submission) = crate::db::submissions::by_id(txn, &case.submission_id).await? else {
        return Ok(false);
    };
    let data: Value = serde_json::from_str(&submission.data).unwrap_or(Value::Null);
    let Some(ade) = applicant_ade(svc, &data) else {
        return Ok(false);
    };
    outbox::enqueue(
        txn,
        NATIONAL_LETTER,
        &json!({ "case_sign": case.sign, "document_id": document.id, "to": ade }),
        now,
    )
    .await?;
    Ok(true)
}

/// The worker's job: sends the letter's PDF from the office's address and writes
/// `national_letter` into the case history. An error leaves the job to be retried with
/// backoff; a case or letter that is gone ends it.
pub async fn send(
    app: &crate::state::AppState,
    p: &Value,
    now: OffsetDateTime,
) -> anyhow::Result<()> {
    use object_store::ObjectStoreExt;
    let client = app
        .edoreczenia
        .as_ref()
        .ok_or_else(|| anyhow::anyhow!("edoreczenia.base_url is not set on this worker"))?;
    let from = app
        .settings
        .authority
        .ade
        .as_deref()
        .ok_or_else(|| anyhow::anyhow!("authority.ade is not set"))?;
    let (sign, document_id, to) = (
        p["case_sign"].as_str().unwrap_or_default(),
        p["document_id"].as_str().unwrap_or_default(),
        p["to"].as_str().unwrap_or_default(),
    );
    let Some(case) = cases::by_sign(&app.db, sign).await? else {
        return Ok(());
    };
    let Some(document) = cases::documents(&app.db, &case.id)
        .await?
        .into_iter()
        .find(|d| d.id == document_id)
    else {
        return Ok(());
    };
    let pdf = app
        .storage
        .get(&object_store::path::Path::from(
            document.storage_key.as_str(),
        ))
        .await?
        .bytes()
        .await?;
    let name = format!("{}.pdf", document.kind);
    let subject = format!("{} — sprawa {}", document.title, case.sign);
    let body = format!(
        "W załączeniu pismo w sprawie {} od: {}.",
        case.sign, app.settings.authority.name
    );
    let sent = client
        .send(
            from,
            &super::client::Outgoing {
                to: &[to.to_owned()],
                subject: &subject,
                body: &body,
                case_id: Some(&case.sign),
                thread_id: None,
                ref_to_message_id: None,
                files: &[super::client::File {
                    name: &name,
                    content_type: "application/pdf",
                    bytes: &pdf,
                }],
            },
        )
        .await?;
    tracing::info!(case.sign = %case.sign, edoreczenia.message_id = %sent.message_id, "letter sent through e-Doręczenia");
    use sea_orm::TransactionTrait;
    let txn = app.db.begin().await?;
    cases::append(
        &txn,
        &case.id,
        &cases::Actor::system(),
        cases::Entry {
            action: NATIONAL_LETTER,
            status: &case.status,
            detail: &json!({ "document_id": document.id, "to": to, "message_id": sent.message_id,
                "message_task_id": sent.message_task_id }),
            at: now,
            document_id: Some(document.id.clone()),
        },
    )
    .await?;
    // its evidences settle the delivery every term runs from
    super::polling::schedule(&txn, &case.sign, &document.id, &sent.message_id, now).await?;
    txn.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The DN-1's `ade` field is where a taxpayer gives their address for electronic
    /// delivery; an invalid value, or one in a field of another type, is not taken.
    #[test]
    fn the_applicants_address_for_electronic_delivery_comes_from_an_ade_field() {
        let catalogue =
            crate::startup::load_catalogue(&crate::config::Settings::default()).unwrap();
        let dn1 = catalogue.get("dn-1").unwrap();
        let data = json!({ "filer": { "email": "AE:PL-20189-46019-DVEJA-29",
            "ade": "AE:PL-30275-59799-JADHJ-27" } });
        assert_eq!(
            applicant_ade(dn1, &data).as_deref(),
            Some("AE:PL-30275-59799-JADHJ-27")
        );
        assert_eq!(applicant_ade(dn1, &json!({ "ade": "AE:PL-1" })), None);
        assert_eq!(applicant_ade(dn1, &json!({ "email": "a@b.pl" })), None);
    }
}
