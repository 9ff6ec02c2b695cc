//! Submitting from the check-your-answers page (multipart, with the files), and the
//! confirmation page with the receipt number and PDF link.

use axum::extract::{Multipart, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde_json::json;

use super::{message_page, render, step, ui};
use crate::db::drafts;
use crate::domain::ids::ReceiptId;
use crate::error::{AppError, AppResult};
use crate::filing;
use crate::state::AppState;
use crate::web::extract::Requester;

pub async fn post(
    app: State<AppState>,
    who: Requester,
    Path((id, draft)): Path<(String, String)>,
    mp: Multipart,
) -> AppResult<Response> {
    let svc = crate::web::api::service(&app, &id)?;
    let (data, draft_id) = step::draft_data(&app, &who, &id, &draft).await?;
    let uploads = read_files(&svc, mp).await?;
    // The draft id is the idempotency key: a double click files once.
    match filing::file(
        &app,
        &svc,
        &who,
        &format!("draft:{draft_id}"),
        data,
        uploads,
    )
    .await
    {
        Ok(filed) => {
            drafts::delete(&app.db, draft_id, &who.owner).await?;
            Ok(Redirect::to(&format!("/potwierdzenie/{}", filed.receipt_id)).into_response())
        }
        Err(AppError::Validation(out)) => {
            step::review_with_errors(
                &app,
                &who,
                &id,
                &draft,
                &out.errors,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(AppError::Unauthorized { required }) => {
            let text = format!(
                "{} `{required}`.",
                ui(who.lang)["login_needed"].as_str().unwrap_or("")
            );
            Ok(message_page(
                &app,
                who.lang,
                StatusCode::UNAUTHORIZED,
                ui(who.lang)["login_needed"].as_str().unwrap_or(""),
                &text,
            ))
        }
        Err(e) => Err(e),
    }
}

async fn read_files(
    svc: &crate::forms::Service,
    mut mp: Multipart,
) -> AppResult<Vec<filing::Upload>> {
    // Browsers send an empty part for an empty file input; skip those.
    let mut uploads = Vec::new();
    let mut parts = Vec::new();
    while let Some(part) = mp.next_field().await? {
        let name = part.name().unwrap_or("").to_owned();
        let file_name = part.file_name().unwrap_or("").to_owned();
        let bytes = part.bytes().await?;
        if file_name.is_empty() || bytes.is_empty() || svc.field(&name).is_none() {
            continue;
        }
        parts.push((name, file_name, bytes));
    }
    for (field, name, bytes) in parts {
        let f = svc.field(&field).ok_or(AppError::NotFound("field"))?;
        let max = u64::from(f.max_size_mb.unwrap_or(10)) * 1024 * 1024;
        if bytes.len() as u64 > max {
            return Err(AppError::PayloadTooLarge(format!(
                "{} MB",
                max / 1024 / 1024
            )));
        }
        let ext = crate::domain::files::extension(&name).unwrap_or("");
        uploads.push(filing::Upload {
            field,
            content_type: crate::domain::files::mime_for_extension(ext)
                .unwrap_or("application/octet-stream")
                .to_owned(),
            sha3_256: crate::receipt::claims::sha3_hex(&bytes),
            name,
            bytes,
        });
    }
    Ok(uploads)
}

pub async fn confirmation(
    app: State<AppState>,
    who: Requester,
    Path(receipt): Path<String>,
) -> AppResult<Response> {
    let id = ReceiptId::parse(&receipt).ok_or(AppError::NotFound("receipt"))?;
    let (r, s) = crate::db::submissions::receipt_owned(&app.db, id.as_str(), &who.owner)
        .await?
        .ok_or(AppError::NotFound("receipt"))?;
    let svc = app
        .catalogue
        .get(&s.service_id)
        .map(|svc| svc.def.title.get(who.lang).to_owned())
        .unwrap_or_default();
    let filed = crate::domain::clock::in_poland(s.filed_at)
        .format(&time::macros::format_description!(
            "[day].[month].[year] [hour]:[minute]:[second]"
        ))
        .unwrap_or_default();
    Ok(render(
        &app,
        StatusCode::OK,
        "confirmation.html",
        &json!({ "ui": ui(who.lang), "title": ui(who.lang)["submitted"], "receipt": r.id, "service": svc, "filed_at": filed }),
    ))
}
