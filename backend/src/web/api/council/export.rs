//! The agenda as files anyone may download: `GET /api/council/sessions/{id}/agenda.csv`
//! and `/agenda.pdf`.

use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};

use super::view;
use crate::error::AppResult;
use crate::participation::council::agenda;
use crate::state::AppState;

#[utoipa::path(get, path = "/api/council/sessions/{id}/agenda.csv", tag = "council", params(("id" = String, Path)),
    responses((status = 200, description = "text/csv (`;`, UTF-8 with a byte-order mark; formulas defused)"), (status = 404, description = "no such session")))]
pub async fn csv(app: State<AppState>, Path(id): Path<String>) -> AppResult<Response> {
    let v = view(&app, &id).await?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"porzadek-obrad-{}.csv\"", v.id),
            ),
        ],
        agenda::agenda_csv(&v),
    )
        .into_response())
}

#[utoipa::path(get, path = "/api/council/sessions/{id}/agenda.pdf", tag = "council", params(("id" = String, Path)),
    responses((status = 200, description = "application/pdf"), (status = 404, description = "no such session")))]
pub async fn pdf(app: State<AppState>, Path(id): Path<String>) -> AppResult<Response> {
    let v = view(&app, &id).await?;
    let bytes = agenda::agenda_pdf(&app.settings.council.name, &v)?;
    Ok(crate::web::api::cases::pdf_response(
        &format!("porzadek-obrad-{}.pdf", v.id),
        bytes.into(),
    ))
}
