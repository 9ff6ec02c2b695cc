//! The resident's e-delivery mailbox: the inbox, and a letter, received (E.1) by the
//! resident's explicit "receive" (a POST; looking at the page records nothing, so a link
//! preview or a prefetch receives no letter); the evidences of each letter can be
//! downloaded and verified.

use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use sea_orm::TransactionTrait;
use serde_json::{Value, json};

use super::{render, ui};
use crate::db::entity::mailbox;
use crate::db::mailboxes;
use crate::domain::clock;
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::web::extract::Requester;

async fn own_mailbox(app: &AppState, who: &Requester) -> AppResult<mailbox::Model> {
    if who.identity.is_none() {
        return Err(AppError::Unauthenticated);
    }
    mailboxes::by_owner(&app.db, &who.owner)
        .await?
        .ok_or(AppError::NotFound("mailbox"))
}

fn day(t: time::OffsetDateTime) -> String {
    clock::in_poland(t).date().to_string()
}

fn status_text(c: &crate::db::entity::message_copy::Model) -> String {
    match c.status.as_str() {
        "awaiting" => {
            let deemed = crate::delivery::deemed_at(c);
            let left = (deemed - time::OffsetDateTime::now_utc())
                .whole_days()
                .max(0);
            format!(
                "nieodebrane — zostanie uznane za doręczone {} (za {left} dni)",
                day(deemed)
            )
        }
        "delivered" => format!("odebrane {}", c.opened_at.map(day).unwrap_or_default()),
        "deemed_delivered" => format!(
            "doręczone zastępczo {}",
            c.delivered_at.map(day).unwrap_or_default()
        ),
        "sent" => "wysłane".into(),
        other => other.to_owned(),
    }
}

#[derive(Debug, serde::Deserialize)]
pub struct FolderQuery {
    pub folder: Option<String>,
}

pub async fn inbox(
    app: State<AppState>,
    who: Requester,
    axum::extract::Query(q): axum::extract::Query<FolderQuery>,
) -> AppResult<Response> {
    let mb = own_mailbox(&app, &who).await?;
    let folder = match q.folder.as_deref() {
        Some("sent") => "sent",
        Some("trash") => "trash",
        _ => "inbox",
    };
    let rows = mailboxes::folder(&app.db, &mb.address, folder, None, 100).await?;
    let mut senders = std::collections::HashMap::new();
    let mut items = Vec::new();
    for (c, m) in &rows {
        if !senders.contains_key(&m.sender) {
            let name = mailboxes::by_address(&app.db, &m.sender)
                .await?
                .map_or_else(|| m.sender.clone(), |s| s.name);
            senders.insert(m.sender.clone(), name);
        }
        items.push(json!({ "id": m.id, "subject": m.subject, "from": senders[&m.sender], "at": day(m.created_at),
            "status": status_text(c), "unread": c.status == "awaiting" }));
    }
    Ok(render(
        &app,
        StatusCode::OK,
        "mailbox.html",
        &json!({ "ui": ui(who.lang), "title": "Skrzynka do doręczeń", "address": mb.address, "items": items, "folder": folder }),
    ))
}

/// A letter: its envelope and a "receive" button while it awaits receipt, its content after.
pub async fn message(
    app: State<AppState>,
    who: Requester,
    Path(id): Path<String>,
) -> AppResult<Response> {
    let mb = own_mailbox(&app, &who).await?;
    let (copy, m) = mailboxes::copy_in(&app.db, &mb.address, &id)
        .await?
        .ok_or(AppError::NotFound("message"))?;
    let awaiting = crate::delivery::awaits_receipt(&copy);
    let sender = mailboxes::by_address(&app.db, &m.sender)
        .await?
        .map_or_else(|| m.sender.clone(), |s| s.name);
    let attachments: Vec<Value> = if awaiting {
        Vec::new()
    } else {
        mailboxes::attachments(&app.db, &m.id)
            .await?
            .iter()
            .map(|a| json!({ "id": a.id, "name": a.name, "size": a.size }))
            .collect()
    };
    let all = mailboxes::evidences(&app.db, &m.id).await?;
    let evidences: Vec<Value> = crate::delivery::visible_to(&m, &mb.address, all)
        .iter()
        .map(|e| json!({ "id": e.id, "code": e.code, "at": clock::in_poland(e.at).format(&time::macros::format_description!("[year]-[month]-[day] [hour]:[minute]")).unwrap_or_default() }))
        .collect();
    let body = (!awaiting).then_some(&m.body);
    Ok(render(
        &app,
        StatusCode::OK,
        "mailbox_message.html",
        &json!({ "ui": ui(who.lang), "title": m.subject, "awaiting": awaiting, "message": { "id": m.id, "subject": m.subject, "body": body,
            "from": sender, "from_address": m.sender, "at": day(m.created_at), "case_sign": m.case_sign, "document_id": m.document_id },
            "status": status_text(&copy), "evidences": evidences, "attachments": attachments }),
    ))
}

/// Receiving the letter: the first time records E.1 (and the delivery in its case).
pub async fn receive(
    app: State<AppState>,
    who: Requester,
    Path(id): Path<String>,
) -> AppResult<Response> {
    let mb = own_mailbox(&app, &who).await?;
    let (copy, m) = mailboxes::copy_in(&app.db, &mb.address, &id)
        .await?
        .ok_or(AppError::NotFound("message"))?;
    crate::delivery::receive(&app, copy, &m).await?;
    Ok(axum::response::Redirect::to(&format!("/skrzynka/{id}")).into_response())
}

/// An evidence of a letter in the resident's mailbox: the signed JWS as JSON, or, with
/// `.pdf` after its id, as a PDF.
pub async fn evidence(
    app: State<AppState>,
    who: Requester,
    Path((id, evidence_id)): Path<(String, String)>,
) -> AppResult<Response> {
    let (evidence_id, as_pdf) = match evidence_id.strip_suffix(".pdf") {
        Some(e) => (e.to_owned(), true),
        None => (evidence_id, false),
    };
    let mb = own_mailbox(&app, &who).await?;
    let (_, m) = mailboxes::copy_in(&app.db, &mb.address, &id)
        .await?
        .ok_or(AppError::NotFound("message"))?;
    let all = mailboxes::evidences(&app.db, &id).await?;
    let e = crate::delivery::visible_to(&m, &mb.address, all)
        .into_iter()
        .find(|e| e.id == evidence_id)
        .ok_or(AppError::NotFound("evidence"))?;
    if as_pdf {
        let claims: crate::delivery::EvidenceClaims =
            crate::receipt::verify::verify_claims(&e.jws, &app.keys.jwks())
                .map_err(|err| anyhow::anyhow!("stored evidence does not verify: {err}"))?;
        let bytes = crate::delivery::evidence_pdf(&e, &claims)?;
        return Ok(crate::web::api::cases::pdf_response(
            &format!("dowod-{}-{}.pdf", e.code, &e.id[..8.min(e.id.len())]),
            bytes.into(),
        ));
    }
    let body = json!({ "id": e.id, "code": e.code, "message_id": e.message_id, "mailbox": e.mailbox, "jws": e.jws });
    Ok((
        [
            (header::CONTENT_TYPE, "application/json".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!(
                    "attachment; filename=\"dowod-{}-{}.json\"",
                    e.code,
                    &e.id[..8.min(e.id.len())]
                ),
            ),
        ],
        body.to_string(),
    )
        .into_response())
}

/// The resident's reply in a letter's thread, with files: it reaches the unit at once and
/// lands in the case (answering a call to supplement, if one is open).
pub async fn reply(
    app: State<AppState>,
    who: Requester,
    Path(id): Path<String>,
    mut mp: axum::extract::Multipart,
) -> AppResult<Response> {
    let mb = own_mailbox(&app, &who).await?;
    let (copy, original) = mailboxes::copy_in(&app.db, &mb.address, &id)
        .await?
        .ok_or(AppError::NotFound("message"))?;
    if copy.folder != "inbox" {
        return Err(AppError::bad_request(
            "reply",
            "Odpowiedzieć można tylko na otrzymane pismo.",
        ));
    }
    let case = match &original.case_sign {
        Some(sign) => crate::db::cases::by_sign(&app.db, sign)
            .await?
            .filter(|c| c.owner == who.owner),
        None => None,
    }
    .ok_or_else(|| AppError::bad_request("reply", "To pismo nie dotyczy żadnej z Twoich spraw."))?;
    let mut text = String::new();
    let mut files = Vec::new();
    while let Some(part) = mp.next_field().await? {
        match part.name().unwrap_or("") {
            "text" => text = part.text().await?.trim().chars().take(5000).collect(),
            "files" => {
                if files.len() >= 15 {
                    return Err(AppError::bad_request(
                        "files.count",
                        "Za dużo plików: możesz dołączyć najwyżej 15.",
                    ));
                }
                let prefix = format!("cases/{}/replies", case.id);
                if let Some(f) =
                    crate::web::upload::store_browser_file(&app, part, 10, &prefix).await?
                {
                    files.push(f);
                }
            }
            _ => {}
        }
    }
    if text.is_empty() && files.is_empty() {
        return Err(AppError::bad_request(
            "reply.empty",
            "Napisz odpowiedź albo dołącz dokumenty.",
        ));
    }
    let now = time::OffsetDateTime::now_utc();
    let txn = app.db.begin().await?;
    let sent =
        crate::delivery::reply_to_case(&txn, &app, &mb, &original, &text, &files, now).await?;
    txn.commit().await?;
    let actor = crate::db::cases::Actor {
        id: format!("applicant:{}", who.owner),
        name: who
            .identity
            .as_ref()
            .map_or("wnioskodawca".into(), |i| i.full_name()),
        position: "wnioskodawca".into(),
    };
    crate::casework::applicant_replied(
        &app,
        &case,
        actor,
        json!({ "comment": text, "files": files, "message_id": sent.id }),
    )
    .await?;
    Ok(axum::response::Redirect::to(&format!("/skrzynka/{id}")).into_response())
}

/// An attachment of a message in the resident's mailbox.
pub async fn attachment(
    app: State<AppState>,
    who: Requester,
    Path((id, attachment)): Path<(String, String)>,
) -> AppResult<Response> {
    let mb = own_mailbox(&app, &who).await?;
    let (copy, _) = mailboxes::copy_in(&app.db, &mb.address, &id)
        .await?
        .ok_or(AppError::NotFound("message"))?;
    if crate::delivery::awaits_receipt(&copy) {
        return Err(AppError::Conflict("Najpierw odbierz pismo.".into()));
    }
    let (a, bytes) = crate::delivery::attachment_bytes(&app, &id, &attachment)
        .await?
        .ok_or(AppError::NotFound("attachment"))?;
    Ok(crate::web::api::mailboxes::file_response(&a, bytes))
}

/// Moves a letter to the trash, or (`?back=1`) back where it came from.
pub async fn trash(
    app: State<AppState>,
    who: Requester,
    Path(id): Path<String>,
    axum::extract::Query(q): axum::extract::Query<std::collections::HashMap<String, String>>,
) -> AppResult<Response> {
    let mb = own_mailbox(&app, &who).await?;
    let (copy, m) = mailboxes::copy_in(&app.db, &mb.address, &id)
        .await?
        .ok_or(AppError::NotFound("message"))?;
    let to = if q.contains_key("back") {
        if m.sender == mb.address {
            "sent"
        } else {
            "inbox"
        }
    } else {
        "trash"
    };
    mailboxes::move_copy(&app.db, &copy, to).await?;
    Ok(axum::response::Redirect::to(&format!("/skrzynka?folder={to}")).into_response())
}
