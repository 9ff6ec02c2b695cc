//! The unit's mailbox for its clerks: what residents sent (received on arrival) and what
//! the unit sent with each addressee's state; a message with its evidences, and a reply
//! in the thread.

use axum::extract::{Path, Query, RawForm, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use sea_orm::TransactionTrait;
use serde::Deserialize;
use serde_json::{Value, json};

use super::{render, ui};
use crate::db::entity::mailbox;
use crate::db::mailboxes;
use crate::domain::clock;
use crate::domain::identity::Role;
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::web::extract::Requester;

async fn unit_mailbox(app: &AppState, who: &Requester) -> AppResult<mailbox::Model> {
    let id = who.identity.as_ref().ok_or(AppError::Unauthenticated)?;
    let unit = id
        .unit
        .as_deref()
        .filter(|_| id.has_role(Role::Clerk))
        .ok_or_else(|| {
            AppError::Forbidden("Skrzynka komórki jest dostępna tylko dla jej pracowników.".into())
        })?;
    mailboxes::by_owner(&app.db, &format!("unit:{unit}"))
        .await?
        .ok_or(AppError::NotFound("mailbox"))
}

#[derive(Debug, Deserialize)]
pub struct FolderQuery {
    pub folder: Option<String>,
}

pub async fn list(
    app: State<AppState>,
    who: Requester,
    Query(q): Query<FolderQuery>,
) -> AppResult<Response> {
    let mb = unit_mailbox(&app, &who).await?;
    let folder = if q.folder.as_deref() == Some("sent") {
        "sent"
    } else {
        "inbox"
    };
    let rows = mailboxes::folder(&app.db, &mb.address, folder, None, 100).await?;
    let mut items = Vec::new();
    for (c, m) in &rows {
        // for sent letters, the addressee's state is what matters
        let state = if folder == "sent" {
            mailboxes::copies_of(&app.db, &m.id)
                .await?
                .iter()
                .filter(|x| x.folder == "inbox")
                .map(|x| x.status.clone())
                .collect::<Vec<_>>()
                .join(", ")
        } else {
            c.status.clone()
        };
        items.push(
            json!({ "id": m.id, "subject": m.subject, "case_sign": m.case_sign,
            "at": clock::in_poland(m.created_at).date().to_string(), "state": state,
            "peer": if folder == "sent" { "".to_owned() } else { m.sender.clone() } }),
        );
    }
    Ok(render(
        &app,
        StatusCode::OK,
        "unit_mailbox.html",
        &json!({ "ui": ui(who.lang), "title": "Skrzynka komórki", "address": mb.address, "ade": app.settings.authority.ade, "name": mb.name,
            "folder": folder, "items": items }),
    ))
}

pub async fn message(
    app: State<AppState>,
    who: Requester,
    Path(id): Path<String>,
) -> AppResult<Response> {
    let mb = unit_mailbox(&app, &who).await?;
    let (copy, m) = mailboxes::copy_in(&app.db, &mb.address, &id)
        .await?
        .ok_or(AppError::NotFound("message"))?;
    let all = mailboxes::evidences(&app.db, &m.id).await?;
    let evidences: Vec<Value> = crate::delivery::visible_to(&m, &mb.address, all)
        .iter()
        .map(|e| json!({ "code": e.code, "mailbox": e.mailbox,
            "at": clock::in_poland(e.at).format(&time::macros::format_description!("[year]-[month]-[day] [hour]:[minute]")).unwrap_or_default() }))
        .collect();
    Ok(render(
        &app,
        StatusCode::OK,
        "unit_message.html",
        &json!({ "ui": ui(who.lang), "title": m.subject, "message": { "id": m.id, "subject": m.subject, "body": m.body,
            "sender": m.sender, "case_sign": m.case_sign, "at": clock::in_poland(m.created_at).date().to_string() },
            "received": copy.folder == "inbox", "evidences": evidences }),
    ))
}

/// A clerk's reply to a resident's message, in its thread.
pub async fn reply(
    app: State<AppState>,
    who: Requester,
    Path(id): Path<String>,
    RawForm(body): RawForm,
) -> AppResult<Response> {
    let mb = unit_mailbox(&app, &who).await?;
    let (copy, original) = mailboxes::copy_in(&app.db, &mb.address, &id)
        .await?
        .ok_or(AppError::NotFound("message"))?;
    if copy.folder != "inbox" {
        return Err(AppError::bad_request(
            "reply",
            "Odpowiedzieć można tylko na wiadomość, którą otrzymała komórka.",
        ));
    }
    let text: String = url::form_urlencoded::parse(&body)
        .find(|(k, _)| k == "text")
        .map(|(_, v)| v.trim().to_owned())
        .unwrap_or_default();
    if text.is_empty() || text.chars().count() > 5000 {
        return Err(AppError::bad_request(
            "text",
            "Napisz odpowiedź (najwyżej 5000 znaków).",
        ));
    }
    let subject = format!("Odp.: {}", original.subject.trim_start_matches("Odp.: "));
    let txn = app.db.begin().await?;
    crate::delivery::send_from_unit(
        &txn,
        &app,
        &mb,
        crate::delivery::Outgoing {
            recipients: std::slice::from_ref(&original.sender),
            subject: &subject,
            body: &text,
            case_sign: original.case_sign.as_deref(),
            document_id: None,
            attachment_hashes: &[],
            thread_id: Some(&original.thread_id),
            ref_to: Some(&original.id),
        },
        time::OffsetDateTime::now_utc(),
    )
    .await?;
    txn.commit().await?;
    Ok(Redirect::to("/urzad/skrzynka?folder=sent").into_response())
}
