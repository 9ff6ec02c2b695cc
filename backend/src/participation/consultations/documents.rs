//! A consultation's documents (issue 14 §1): the draft under consultation, maps, the
//! justification, uploaded to object storage by the consultation's author or the
//! coordinator while its content may change (draft or announced). From the opening they
//! are frozen with the version residents answer, as the questionnaire is; every one is
//! public with the consultation, and adding or removing one is in its history.

use object_store::ObjectStoreExt;

use super::{as_editor, phase_of, record, today, visible};
use crate::db::consultation_documents::{self as store, New};
use crate::db::entity::{consultation as row, consultation_document as document};
use crate::domain::consultation_document::DocumentRole;
use crate::domain::identity::Identity;
use crate::domain::ids::{ConsultationDocumentId, ConsultationId};
use crate::error::{AppError, AppResult};
use crate::forms::FieldError;
use crate::forms::uploads::UploadRules;
use crate::state::AppState;

/// The longest title of a document.
pub const TITLE_MAX: usize = 300;

/// The consultation `id` if `who` may change its documents: its author or the coordinator,
/// before it opens (409 naming the opening day after).
pub async fn editable<'a>(
    app: &AppState,
    who: Option<&'a Identity>,
    id: &str,
) -> AppResult<(row::Model, ConsultationId, &'a Identity)> {
    let (c, me) = as_editor(
        app,
        who,
        id,
        "dokumenty dodaje autor konsultacji albo koordynator",
    )
    .await?;
    let phase = phase_of(&c, today());
    if !phase.editable() {
        return Err(AppError::Conflict(format!(
            "Konsultacja jest {} i jej dokumenty są zamrożone od otwarcia {}: mieszkańcy odpowiadają na to, co przeczytali.",
            phase.label_pl(),
            c.opens_on
        )));
    }
    let cid = ConsultationId::parse(&c.id).ok_or(AppError::NotFound("consultation"))?;
    Ok((c, cid, me))
}

/// An uploaded document, read and hashed by the web layer, with what the uploader said of it.
pub struct Upload {
    pub role: String,
    pub title: String,
    pub name: String,
    pub content_type: String,
    pub sha3_256: String,
    pub bytes: bytes::Bytes,
}

/// The 422 of a document's role and title, by field.
fn check(up: &Upload) -> AppResult<(DocumentRole, String)> {
    let mut errors = Vec::new();
    let role = DocumentRole::parse(&up.role);
    if role.is_none() {
        errors.push(FieldError {
            path: "role".into(),
            code: "document.role".into(),
            message: "rodzaj dokumentu to draft, map, justification albo other".into(),
        });
    }
    let title = match up.title.trim() {
        "" => up.name.clone(),
        t => t.to_owned(),
    };
    if title.chars().count() > TITLE_MAX {
        errors.push(FieldError {
            path: "title".into(),
            code: "document.title".into(),
            message: format!("tytuł ma najwyżej {TITLE_MAX} znaków"),
        });
    }
    match (role, errors.is_empty()) {
        (Some(role), true) => Ok((role, title)),
        _ => Err(super::invalid(errors)),
    }
}

/// Stores a document of the consultation `id` and records it with its current version.
pub async fn add(
    app: &AppState,
    who: Option<&Identity>,
    id: &str,
    up: Upload,
) -> AppResult<document::Model> {
    let (c, cid, me) = editable(app, who, id).await?;
    let (role, title) = check(&up)?;
    let rules = UploadRules::consultation_documents();
    if !rules.accepts(&up.name) || !crate::domain::files::acceptable(&up.name, &up.bytes) {
        return Err(AppError::bad_request(
            "file.content",
            format!(
                "`{}` nie jest dozwolonym rodzajem pliku ({}) albo jego treść nie zgadza się z nazwą",
                up.name,
                rules.accept.join(", ")
            ),
        ));
    }
    if store::count(&app.db, cid).await? >= u64::from(rules.max_files) {
        return Err(AppError::Conflict(format!(
            "Konsultacja ma już dopuszczalną liczbę dokumentów ({}); aby dodać nowy, usuń któryś z nich.",
            rules.max_files
        )));
    }
    let doc = ConsultationDocumentId::new();
    let key = format!("consultations/{cid}/documents/{doc}/{}", up.sha3_256);
    let size = i64::try_from(up.bytes.len()).unwrap_or(i64::MAX);
    app.storage
        .put(
            &object_store::path::Path::from(key.as_str()),
            up.bytes.into(),
        )
        .await
        .map_err(|e| anyhow::anyhow!("storing a consultation's document: {e}"))?;
    let txn = sea_orm::TransactionTrait::begin(&app.db).await?;
    let d = store::add(
        &txn,
        cid,
        New {
            id: doc,
            version: c.version,
            role: role.as_str(),
            title: &title,
            name: &up.name,
            content_type: &up.content_type,
            size,
            sha3_256: &up.sha3_256,
            storage_key: &key,
        },
    )
    .await?;
    record(
        &txn,
        &c.id,
        me,
        "document_added",
        format!(
            "{} {} ({doc}) SHA3-256 {}",
            role.as_str(),
            up.name,
            up.sha3_256
        ),
    )
    .await?;
    txn.commit().await?;
    Ok(d)
}

/// Removes a document before the consultation opens.
pub async fn remove(
    app: &AppState,
    who: Option<&Identity>,
    id: &str,
    document_id: &str,
) -> AppResult<()> {
    let (c, cid, me) = editable(app, who, id).await?;
    let doc = ConsultationDocumentId::parse(document_id).ok_or(AppError::NotFound("document"))?;
    let d = store::find(&app.db, cid, doc)
        .await?
        .ok_or(AppError::NotFound("document"))?;
    let txn = sea_orm::TransactionTrait::begin(&app.db).await?;
    if !store::remove(&txn, cid, doc).await? {
        return Err(AppError::NotFound("document"));
    }
    record(
        &txn,
        &c.id,
        me,
        "document_removed",
        format!("{} {} ({doc})", d.role, d.name),
    )
    .await?;
    txn.commit().await?;
    // the row is gone; a file left behind by a failed delete is unreachable, not wrong
    if let Err(e) = app
        .storage
        .delete(&object_store::path::Path::from(d.storage_key.as_str()))
        .await
    {
        tracing::warn!(consultation.id = %c.id, document.id = %doc, error = %e, "a removed document's file stays in storage");
    }
    Ok(())
}

/// The documents of a consultation `who` may see.
pub async fn list(
    app: &AppState,
    who: Option<&Identity>,
    id: &str,
) -> AppResult<Vec<document::Model>> {
    let c = visible(app, who, id).await?;
    list_of(app, &c).await
}

/// The documents of a consultation already shown.
pub async fn list_of(app: &AppState, c: &row::Model) -> AppResult<Vec<document::Model>> {
    let cid = ConsultationId::parse(&c.id).ok_or(AppError::NotFound("consultation"))?;
    Ok(store::list(&app.db, cid).await?)
}

/// A document: its row and its file.
pub async fn file(
    app: &AppState,
    who: Option<&Identity>,
    id: &str,
    document_id: &str,
) -> AppResult<(document::Model, bytes::Bytes)> {
    let c = visible(app, who, id).await?;
    let cid = ConsultationId::parse(&c.id).ok_or(AppError::NotFound("consultation"))?;
    let doc = ConsultationDocumentId::parse(document_id).ok_or(AppError::NotFound("document"))?;
    let d = store::find(&app.db, cid, doc)
        .await?
        .ok_or(AppError::NotFound("document"))?;
    let bytes = app
        .storage
        .get(&object_store::path::Path::from(d.storage_key.as_str()))
        .await
        .map_err(|e| anyhow::anyhow!("reading document {}: {e}", d.storage_key))?
        .bytes()
        .await
        .map_err(|e| anyhow::anyhow!("reading document {}: {e}", d.storage_key))?;
    Ok((d, bytes))
}
