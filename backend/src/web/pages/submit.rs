//! Submitting from the check-your-answers page (multipart, with the files), and the
//! confirmation page with the receipt number and PDF link.

use axum::extract::{Multipart, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde_json::json;

use super::{render, step, ui};
use crate::db::drafts;
use crate::domain::files;
use crate::domain::ids::ReceiptId;
use crate::error::{AppError, AppResult};
use crate::filing;
use crate::forms::definition::FieldType;
use crate::state::AppState;
use crate::web::auth::login_url;
use crate::web::extract::Requester;
use crate::web::upload;

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
        // step-up: log in at the level the service needs, then back to check-your-answers
        Err(AppError::Unauthorized { required }) => Ok(Redirect::to(&login_url(
            required,
            &format!("/uslugi/{id}/wniosek/{draft}/{}", step::REVIEW),
        ))
        .into_response()),
        Err(e) => Err(e),
    }
}

/// Reads the files of the check-your-answers form. Browsers send an empty part for an empty
/// file input (skipped) and names with spaces (tidied, see `files::tidy_file_name`).
async fn read_files(
    svc: &crate::forms::Service,
    mut mp: Multipart,
) -> AppResult<Vec<filing::Upload>> {
    let mut uploads = Vec::new();
    while let Some(part) = mp.next_field().await? {
        let name = part.name().unwrap_or("").to_owned();
        let file_name = part.file_name().unwrap_or("").to_owned();
        let Some(field) = svc.field(&name).filter(|f| f.kind == FieldType::File) else {
            continue;
        };
        if file_name.is_empty() {
            continue;
        }
        let upload = upload::read_file(field, files::tidy_file_name(&file_name), part).await?;
        if !upload.bytes.is_empty() {
            uploads.push(upload);
        }
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
    let service = app.catalogue.get(&s.service_id);
    let svc = service
        .map(|svc| svc.def.title.get(who.lang).to_owned())
        .unwrap_or_default();
    let filed_at = crate::domain::clock::in_poland(s.filed_at);
    let data: serde_json::Value = serde_json::from_str(&s.data).unwrap_or_default();
    let centre = service.and_then(|svc| {
        crate::crisis_centre::confirmation_note(svc, &data, filed_at.date(), who.lang)
    });
    let filed = filed_at
        .format(&time::macros::format_description!(
            "[day].[month].[year] [hour]:[minute]:[second]"
        ))
        .unwrap_or_default();
    Ok(render(
        &app,
        StatusCode::OK,
        "confirmation.html",
        &json!({ "ui": ui(who.lang), "title": ui(who.lang)["submitted"], "receipt": r.id, "service": svc, "filed_at": filed, "centre": centre }),
    ))
}
