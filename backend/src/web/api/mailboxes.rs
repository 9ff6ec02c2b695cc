//! The mailbox API, shaped like the national UA API: `/api/mailboxes/{eDeliveryAddress}/
//! messages` (list by keyset, get, send) and a message's evidences. A resident reaches
//! their own mailbox; staff their unit's; API clients with `mailbox:send` the units'.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use sea_orm::TransactionTrait;
use serde::Deserialize;
use serde_json::{Value, json};
use time::format_description::well_known::Rfc3339;

use crate::auth::api_token::Scope;
use crate::db::entity::{mailbox, message, message_copy};
use crate::db::mailboxes;
use crate::domain::ade::Ade;
use crate::domain::identity::Role;
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::web::extract::{ApiJson, Requester};

/// The mailbox at `address` if the requester may use it; anyone else gets 404.
async fn mailbox_for(app: &AppState, who: &Requester, address: &str) -> AppResult<mailbox::Model> {
    Ade::parse(address).map_err(|_| AppError::NotFound("mailbox"))?;
    let mb = mailboxes::by_address(&app.db, address)
        .await?
        .ok_or(AppError::NotFound("mailbox"))?;
    let allowed = match (mb.kind.as_str(), &who.client, &who.identity) {
        ("resident", None, Some(_)) => mb.owner == who.owner,
        ("unit", Some(c), _) => c.scopes.contains(&Scope::MailboxSend),
        ("unit", None, Some(id)) => {
            id.has_role(Role::Admin)
                || (id.has_role(Role::Clerk)
                    && id.unit.as_deref().map(|u| format!("unit:{u}")) == Some(mb.owner.clone()))
        }
        _ => false,
    };
    if allowed {
        Ok(mb)
    } else {
        Err(AppError::NotFound("mailbox"))
    }
}

fn rfc(t: time::OffsetDateTime) -> String {
    t.format(&Rfc3339).unwrap_or_default()
}

fn message_json(c: &message_copy::Model, m: &message::Model) -> Value {
    json!({
        "messageId": m.id,
        "threadId": m.thread_id,
        "refToMessageId": m.ref_to,
        "caseId": m.case_sign,
        "sender": m.sender,
        "subject": m.subject,
        "folder": c.folder,
        "status": c.status,
        "createdAt": rfc(m.created_at),
        "availableAt": c.available_at.map(rfc),
        "deliveredAt": c.delivered_at.map(rfc),
        "daysToDeemedDelivery": (c.status == "awaiting").then(|| {
            (crate::delivery::deemed_at(c) - time::OffsetDateTime::now_utc()).whole_days().max(0)
        }),
    })
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct ListQuery {
    /// `inbox` (default) or `sent`.
    #[param(pattern = "^(inbox|sent)$")]
    pub folder: Option<String>,
    #[param(pattern = "^[A-Za-z0-9_-]*$")]
    pub after: Option<String>,
    /// 1 to 100, default 50.
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<u64>,
}

#[utoipa::path(get, path = "/api/mailboxes/{address}/messages", tag = "mailboxes",
    params(("address" = String, Path, description = "a portal mailbox address (`AE:PL-…`-shaped; not an address for electronic delivery from the BAE)"), ListQuery),
    responses((status = 401, description = "no login where one is needed, or a bearer token that is not a live API client's"), (status = 200, description = "`{messages, next}`, newest first"), (status = 404, description = "no such mailbox of yours")))]
pub async fn list(
    app: State<AppState>,
    who: Requester,
    Path(address): Path<String>,
    Query(q): Query<ListQuery>,
) -> AppResult<Json<Value>> {
    let mb = mailbox_for(&app, &who, &address).await?;
    let folder = q.folder.as_deref().unwrap_or("inbox");
    if !matches!(folder, "inbox" | "sent") {
        return Err(AppError::bad_request(
            "folder",
            "`folder` to `inbox` albo `sent`.",
        ));
    }
    let limit = q.limit.unwrap_or(50);
    if !(1..=100).contains(&limit) {
        return Err(AppError::bad_request(
            "limit",
            "`limit` musi mieć wartość od 1 do 100.",
        ));
    }
    let after = crate::web::cursor::decode::<time::OffsetDateTime>(q.after.as_deref())?;
    let mut rows = mailboxes::folder(&app.db, &mb.address, folder, after, limit + 1).await?;
    let more = rows.len() as u64 > limit;
    rows.truncate(limit as usize);
    let next = if more {
        rows.last()
            .map(|(c, _)| crate::web::cursor::encode(&c.created_at, &c.id))
    } else {
        None
    };
    Ok(Json(json!({
        "messages": rows.iter().map(|(c, m)| message_json(c, m)).collect::<Vec<_>>(),
        "next": next,
    })))
}

/// A message as its holder sees it: a letter not yet received shows its envelope only.
fn full_json(c: &message_copy::Model, m: &message::Model) -> Value {
    let mut v = message_json(c, m);
    if crate::delivery::awaits_receipt(c) {
        v["body"] = Value::Null;
        v["documentId"] = Value::Null;
    } else {
        v["body"] = json!(m.body);
        v["documentId"] = json!(m.document_id);
    }
    v
}

/// One message. Reading records nothing: a letter awaiting receipt shows its envelope
/// (`body` null) until `POST …/receive`.
#[utoipa::path(get, path = "/api/mailboxes/{address}/messages/{id}", tag = "mailboxes",
    params(("address" = String, Path), ("id" = String, Path)),
    responses((status = 401, description = "no login where one is needed, or a bearer token that is not a live API client's"), (status = 200, description = "the message; its body once received"), (status = 404, description = "no such message in your mailbox")))]
pub async fn get(
    app: State<AppState>,
    who: Requester,
    Path((address, id)): Path<(String, String)>,
) -> AppResult<Json<Value>> {
    let mb = mailbox_for(&app, &who, &address).await?;
    let (copy, m) = mailboxes::copy_in(&app.db, &mb.address, &id)
        .await?
        .ok_or(AppError::NotFound("message"))?;
    Ok(Json(full_json(&copy, &m)))
}

/// Receives a letter (the addressee's explicit act): the first time records E.1 and the
/// delivery in its case; answers the message with its body.
#[utoipa::path(post, path = "/api/mailboxes/{address}/messages/{id}/receive", tag = "mailboxes",
    params(("address" = String, Path), ("id" = String, Path)),
    responses((status = 401, description = "no login where one is needed, or a bearer token that is not a live API client's"), (status = 200, description = "received: the message with its body"), (status = 404, description = "no such message in your mailbox")))]
pub async fn receive(
    app: State<AppState>,
    who: Requester,
    Path((address, id)): Path<(String, String)>,
) -> AppResult<Json<Value>> {
    let mb = mailbox_for(&app, &who, &address).await?;
    let (copy, m) = mailboxes::copy_in(&app.db, &mb.address, &id)
        .await?
        .ok_or(AppError::NotFound("message"))?;
    let copy = crate::delivery::receive(&app, copy, &m).await?;
    Ok(Json(full_json(&copy, &m)))
}

#[utoipa::path(get, path = "/api/mailboxes/{address}/messages/{id}/evidences", tag = "mailboxes",
    params(("address" = String, Path), ("id" = String, Path)),
    responses((status = 401, description = "no login where one is needed, or a bearer token that is not a live API client's"), (status = 200, description = "the evidences this mailbox may see (its own and the sender's), each a signed JWS"), (status = 404, description = "no such message in your mailbox")))]
pub async fn evidences(
    app: State<AppState>,
    who: Requester,
    Path((address, id)): Path<(String, String)>,
) -> AppResult<Json<Value>> {
    let mb = mailbox_for(&app, &who, &address).await?;
    let (_, m) = mailboxes::copy_in(&app.db, &mb.address, &id)
        .await?
        .ok_or(AppError::NotFound("message"))?;
    let all = mailboxes::evidences(&app.db, &id).await?;
    let list: Vec<Value> = crate::delivery::visible_to(&m, &mb.address, all)
        .iter()
        .map(|e| json!({ "evidenceId": e.id, "type": e.code, "mailbox": e.mailbox, "at": rfc(e.at), "jws": e.jws }))
        .collect();
    Ok(Json(json!({ "evidences": list })))
}

/// 404 unless every reference `r` carries belongs to the sending unit
/// (`delivery::foreign_reference`).
async fn own_references(
    app: &AppState,
    mb: &mailbox::Model,
    case_id: Option<&str>,
    thread_id: Option<&str>,
    ref_to: Option<&str>,
) -> AppResult<()> {
    match crate::delivery::foreign_reference(&app.db, mb, case_id, thread_id, ref_to).await? {
        Some(what) => Err(AppError::NotFound(what)),
        None => Ok(()),
    }
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct SendRequest {
    /// 1 to 15 portal mailbox addresses.
    #[schema(min_items = 1, max_items = 15)]
    pub recipients: Vec<String>,
    /// 1 to 255 characters, not only spaces.
    #[schema(max_length = 255, pattern = "\\S")]
    pub subject: String,
    /// At most 5000 characters.
    #[schema(max_length = 5000)]
    pub body: String,
    /// The case sign, when the message belongs to a case.
    pub case_id: Option<String>,
    pub thread_id: Option<String>,
    pub ref_to_message_id: Option<String>,
}

/// Sends from a unit's mailbox to residents' mailboxes (A.1, BP.WX, D.1 and the notices).
#[utoipa::path(post, path = "/api/mailboxes/{address}/messages", tag = "mailboxes",
    params(("address" = String, Path)), request_body = SendRequest,
    responses((status = 403, description = "a resident (they answer in a letter's thread)"), (status = 401, description = "no login where one is needed, or a bearer token that is not a live API client's"), (status = 201, description = "sent: the message and its A.1"), (status = 400, description = "too many recipients, too long, ..."),
        (status = 404, description = "no such mailbox of yours, or a caseId, threadId or refToMessageId not of its unit"), (status = 422, description = "an addressee has no mailbox here (A.2)")))]
pub async fn send(
    app: State<AppState>,
    who: Requester,
    Path(address): Path<String>,
    ApiJson(r): ApiJson<SendRequest>,
) -> AppResult<(StatusCode, Json<Value>)> {
    let mb = mailbox_for(&app, &who, &address).await?;
    if mb.kind != "unit" {
        return Err(AppError::Forbidden(
            "Mieszkańcy odpowiadają w wątku otrzymanego pisma; nowe wiadomości wysyła urząd."
                .into(),
        ));
    }
    if r.recipients.is_empty() || r.recipients.len() > 15 {
        return Err(AppError::bad_request(
            "recipients",
            "Podaj od 1 do 15 adresatów.",
        ));
    }
    if r.subject.trim().is_empty() || r.subject.chars().count() > 255 {
        return Err(AppError::bad_request(
            "subject",
            "Temat może mieć od 1 do 255 znaków.",
        ));
    }
    if r.body.chars().count() > 5000 {
        return Err(AppError::bad_request(
            "body",
            "Treść może mieć najwyżej 5000 znaków.",
        ));
    }
    own_references(
        &app,
        &mb,
        r.case_id.as_deref(),
        r.thread_id.as_deref(),
        r.ref_to_message_id.as_deref(),
    )
    .await?;
    let mut unknown = Vec::new();
    for a in &r.recipients {
        let known = Ade::parse(a).is_ok() && mailboxes::by_address(&app.db, a).await?.is_some();
        if !known {
            unknown.push(a.clone());
        }
    }
    if !unknown.is_empty() {
        // the national service would answer with A.2 (submission rejected)
        return Err(AppError::Unprocessable {
            code: "recipients.unknown",
            message: format!("A.2: nie ma skrzynki pod adresem {}.", unknown.join(", ")),
        });
    }
    let now = time::OffsetDateTime::now_utc();
    let txn = app.db.begin().await?;
    let m = crate::delivery::send_from_unit(
        &txn,
        &app,
        &mb,
        crate::delivery::Outgoing {
            recipients: &r.recipients,
            subject: r.subject.trim(),
            body: &r.body,
            case_sign: r.case_id.as_deref(),
            document_id: None,
            attachment_hashes: &[],
            thread_id: r.thread_id.as_deref(),
            ref_to: r.ref_to_message_id.as_deref(),
        },
        now,
    )
    .await?;
    txn.commit().await?;
    Ok((
        StatusCode::CREATED,
        Json(json!({ "messageId": m.id, "threadId": m.thread_id, "createdAt": rfc(m.created_at) })),
    ))
}

/// The mailboxes the requester may use: a resident's own, a clerk's unit's, all the
/// units' for an API client with `mailbox:send`.
#[utoipa::path(get, path = "/api/mailboxes", tag = "mailboxes",
    responses((status = 200, description = "`{mailboxes: [{address, addressKind, name, kind}]}`: `address` is a portal mailbox address (`addressKind: portal`), not an address for electronic delivery"), (status = 401, description = "not logged in")))]
pub async fn mine(app: State<AppState>, who: Requester) -> AppResult<Json<Value>> {
    let owners: Vec<String> = match (&who.client, &who.identity) {
        (Some(c), _) if c.scopes.contains(&Scope::MailboxSend) => app
            .catalogue
            .office
            .units
            .iter()
            .map(|u| format!("unit:{}", u.symbol))
            .collect(),
        (Some(_), _) => Vec::new(),
        (None, Some(id)) if id.has_role(Role::Clerk) => {
            id.unit.iter().map(|u| format!("unit:{u}")).collect()
        }
        (None, Some(_)) => vec![who.owner.clone()],
        (None, None) => return Err(AppError::Unauthenticated),
    };
    let mut list = Vec::new();
    for o in owners {
        if let Some(m) = mailboxes::by_owner(&app.db, &o).await? {
            list.push(json!({ "address": m.address, "addressKind": "portal", "name": m.name, "kind": m.kind }));
        }
    }
    Ok(Json(json!({ "mailboxes": list })))
}

fn check_outgoing(recipients: &[String], subject: &str, body: &str) -> AppResult<()> {
    if recipients.is_empty() || recipients.len() > 15 {
        return Err(AppError::bad_request(
            "recipients",
            "Podaj od 1 do 15 adresatów.",
        ));
    }
    if subject.trim().is_empty() || subject.chars().count() > 255 {
        return Err(AppError::bad_request(
            "subject",
            "Temat może mieć od 1 do 255 znaków.",
        ));
    }
    if body.chars().count() > 5000 {
        return Err(AppError::bad_request(
            "body",
            "Treść może mieć najwyżej 5000 znaków.",
        ));
    }
    Ok(())
}

/// A unit's mailbox for drafting and sending; residents answer in threads instead.
async fn unit_box(app: &AppState, who: &Requester, address: &str) -> AppResult<mailbox::Model> {
    let mb = mailbox_for(app, who, address).await?;
    if mb.kind != "unit" {
        return Err(AppError::Forbidden(
            "Mieszkańcy odpowiadają w wątku otrzymanego pisma; wersje robocze tworzy urząd.".into(),
        ));
    }
    Ok(mb)
}

#[utoipa::path(post, path = "/api/mailboxes/{address}/drafts", tag = "mailboxes",
    params(("address" = String, Path)), request_body = SendRequest,
    responses((status = 422, description = "an addressee has no mailbox here, or a thread or message referred to (drafts take `caseId` only)"), (status = 403, description = "a resident (drafts are the office's)"), (status = 401, description = "no login where one is needed, or a bearer token that is not a live API client's"), (status = 201, description = "`{draftId}`"), (status = 400, description = "too many recipients, too long, ..."), (status = 404, description = "no such mailbox of yours, or a caseId not of its unit")))]
pub async fn create_draft(
    app: State<AppState>,
    who: Requester,
    Path(address): Path<String>,
    ApiJson(r): ApiJson<SendRequest>,
) -> AppResult<(StatusCode, Json<Value>)> {
    let mb = unit_box(&app, &who, &address).await?;
    check_outgoing(&r.recipients, &r.subject, &r.body)?;
    // a draft keeps only its case; a thread or a message referred to is for sending at once
    if r.thread_id.is_some() || r.ref_to_message_id.is_some() {
        return Err(AppError::Unprocessable {
            code: "draft.references",
            message: "Wersja robocza przyjmuje tylko `caseId`; odpowiedź w wątku wyślij przez POST …/messages."
                .into(),
        });
    }
    own_references(&app, &mb, r.case_id.as_deref(), None, None).await?;
    let txn = app.db.begin().await?;
    let d = mailboxes::create_draft(
        &txn,
        &mb.address,
        &r.recipients,
        r.subject.trim(),
        &r.body,
        r.case_id.as_deref(),
        time::OffsetDateTime::now_utc(),
    )
    .await?;
    txn.commit().await?;
    Ok((StatusCode::CREATED, Json(json!({ "draftId": d.id }))))
}

async fn own_draft(app: &AppState, mb: &mailbox::Model, id: &str) -> AppResult<message::Model> {
    let (copy, m) = mailboxes::copy_in(&app.db, &mb.address, id)
        .await?
        .ok_or(AppError::NotFound("draft"))?;
    if copy.folder != "drafts" {
        return Err(AppError::Conflict(
            "Ta wiadomość została już wysłana.".into(),
        ));
    }
    Ok(m)
}

/// Adds a file to a draft (multipart part `file`): a valid name, an allowed type that
/// matches the content, at most 10 MB; its SHA3-256 goes into the message's digest.
#[utoipa::path(post, path = "/api/mailboxes/{address}/drafts/{id}/attachments", tag = "mailboxes",
    params(("address" = String, Path), ("id" = String, Path)),
    request_body(content = crate::web::upload::FilePart, content_type = "multipart/form-data", description = "the part `file`, with its file name"),
    responses((status = 404, description = "no such mailbox or draft of yours"), (status = 403, description = "a resident (drafts are the office's)"), (status = 401, description = "no login where one is needed, or a bearer token that is not a live API client's"), (status = 201, description = "`{attachmentId, sha3_256, size}`"), (status = 400, description = "bad name or type"), (status = 413, description = "too large")))]
pub async fn add_attachment(
    app: State<AppState>,
    who: Requester,
    Path((address, id)): Path<(String, String)>,
    mut mp: axum::extract::Multipart,
) -> AppResult<(StatusCode, Json<Value>)> {
    use object_store::ObjectStoreExt;
    let mb = unit_box(&app, &who, &address).await?;
    let draft = own_draft(&app, &mb, &id).await?;
    if mailboxes::attachments(&app.db, &draft.id).await?.len() >= 15 {
        return Err(AppError::bad_request(
            "attachments.count",
            "Za dużo plików: można dołączyć najwyżej 15.",
        ));
    }
    let part = mp
        .next_field()
        .await?
        .filter(|p| p.name() == Some("file"))
        .ok_or_else(|| {
            AppError::bad_request(
                "file.missing",
                "Wyślij plik jako część `file` formularza multipart.",
            )
        })?;
    let name = part.file_name().unwrap_or("").to_owned();
    if !crate::domain::files::valid_file_name(&name) {
        return Err(AppError::bad_request(
            "file.name",
            format!(
                "Nazwa pliku `{name}` jest niedozwolona: najwyżej 128 znaków, bez spacji i znaków ~ \" # % & * : < > ? ! / \\ {{ | }}"
            ),
        ));
    }
    let up = crate::web::upload::read_part("file", 10, name, part).await?;
    if !crate::domain::files::acceptable(&up.name, &up.bytes) {
        return Err(AppError::bad_request(
            "file.content",
            format!(
                "Plik `{}` ma niedozwolony rodzaj albo jego treść nie zgadza się z nazwą.",
                up.name
            ),
        ));
    }
    let att_id = uuid::Uuid::now_v7().to_string();
    let key = format!("messages/{}/{att_id}", draft.id);
    let size = up.bytes.len() as i64;
    app.storage
        .put(
            &object_store::path::Path::from(key.as_str()),
            up.bytes.into(),
        )
        .await
        .map_err(|e| anyhow::anyhow!("storing an attachment: {e}"))?;
    crate::db::mailboxes::add_attachment(
        &app.db,
        crate::db::entity::message_attachment::Model {
            id: att_id.clone(),
            message_id: draft.id,
            name: up.name,
            content_type: up.content_type,
            size,
            sha3_256: up.sha3_256.clone(),
            storage_key: key,
        },
    )
    .await?;
    Ok((
        StatusCode::CREATED,
        Json(json!({ "attachmentId": att_id, "sha3_256": up.sha3_256, "size": size })),
    ))
}

/// Sends a draft: its addressees must have mailboxes here (A.2 otherwise).
#[utoipa::path(post, path = "/api/mailboxes/{address}/drafts/{id}/send", tag = "mailboxes",
    params(("address" = String, Path), ("id" = String, Path)),
    responses((status = 422, description = "an addressee has no mailbox here (A.2)"), (status = 404, description = "no such mailbox or draft of yours"), (status = 403, description = "a resident (drafts are the office's)"), (status = 401, description = "no login where one is needed, or a bearer token that is not a live API client's"), (status = 201, description = "sent"), (status = 409, description = "sent already")))]
pub async fn send_draft(
    app: State<AppState>,
    who: Requester,
    Path((address, id)): Path<(String, String)>,
) -> AppResult<(StatusCode, Json<Value>)> {
    let mb = unit_box(&app, &who, &address).await?;
    let draft = own_draft(&app, &mb, &id).await?;
    let recipients: Vec<String> = draft
        .draft_recipients
        .as_deref()
        .and_then(|r| serde_json::from_str(r).ok())
        .unwrap_or_default();
    let mut unknown = Vec::new();
    for a in &recipients {
        if mailboxes::by_address(&app.db, a).await?.is_none() {
            unknown.push(a.clone());
        }
    }
    if !unknown.is_empty() {
        return Err(AppError::Unprocessable {
            code: "recipients.unknown",
            message: format!("A.2: nie ma skrzynki pod adresem {}.", unknown.join(", ")),
        });
    }
    let txn = app.db.begin().await?;
    let sent =
        crate::delivery::send_draft(&txn, &app, &mb, &draft, time::OffsetDateTime::now_utc())
            .await?;
    txn.commit().await?;
    match sent {
        Some(r) => Ok((
            StatusCode::CREATED,
            Json(json!({ "messageId": draft.id, "recipients": r })),
        )),
        None => Err(AppError::Conflict(
            "Ta wiadomość została już wysłana.".into(),
        )),
    }
}

/// A message's attachment, to a mailbox that holds the message.
#[utoipa::path(get, path = "/api/mailboxes/{address}/messages/{id}/attachments/{attachment}", tag = "mailboxes",
    params(("address" = String, Path), ("id" = String, Path), ("attachment" = String, Path)),
    responses((status = 401, description = "no login where one is needed, or a bearer token that is not a live API client's"), (status = 200, description = "the file"), (status = 404, description = "no such attachment in your mailbox"), (status = 409, description = "the letter is not received yet")))]
pub async fn attachment(
    app: State<AppState>,
    who: Requester,
    Path((address, id, attachment)): Path<(String, String, String)>,
) -> AppResult<axum::response::Response> {
    let mb = mailbox_for(&app, &who, &address).await?;
    let (copy, _) = mailboxes::copy_in(&app.db, &mb.address, &id)
        .await?
        .ok_or(AppError::NotFound("message"))?;
    if crate::delivery::awaits_receipt(&copy) {
        return Err(AppError::Conflict(
            "Najpierw odbierz pismo (POST …/receive).".into(),
        ));
    }
    let (a, bytes) = crate::delivery::attachment_bytes(&app, &id, &attachment)
        .await?
        .ok_or(AppError::NotFound("attachment"))?;
    Ok(file_response(&a, bytes))
}

/// A stored file as a download, under its own name and type.
pub fn file_response(
    a: &crate::db::entity::message_attachment::Model,
    bytes: bytes::Bytes,
) -> axum::response::Response {
    use axum::http::{HeaderValue, header};
    use axum::response::IntoResponse;
    let content_type = HeaderValue::from_str(&a.content_type)
        .unwrap_or(HeaderValue::from_static("application/octet-stream"));
    (
        [
            (header::CONTENT_TYPE, content_type),
            (
                header::CONTENT_DISPOSITION,
                crate::web::disposition::header("attachment", &a.name),
            ),
        ],
        bytes,
    )
        .into_response()
}
