//! A consultation's documents in the console: its author or the coordinator uploads one
//! (`POST /konsole/konsultacje/{id}/dokumenty`, the form's `role`, `title` and `file`) or
//! removes one (`POST …/dokumenty/{document}/usun`) before the consultation opens, through
//! `participation::consultations::documents`, as the API does; refusals are error pages.

use axum::extract::{Multipart, Path, State};
use axum::response::{IntoResponse, Redirect, Response};

use crate::error::AppResult;
use crate::participation::consultations::documents;
use crate::state::AppState;
use crate::web::api::consultations::documents::read_upload;
use crate::web::extract::Requester;

fn back(id: &str) -> Response {
    Redirect::to(&format!("/konsole/konsultacje/{id}#dokumenty")).into_response()
}

pub async fn upload(
    app: State<AppState>,
    who: Requester,
    Path(id): Path<String>,
    mut mp: Multipart,
) -> AppResult<Response> {
    let up = read_upload(&app, &who, &id, &mut mp, true).await?;
    documents::add(&app, who.identity.as_ref(), &id, up).await?;
    Ok(back(&id))
}

pub async fn remove(
    app: State<AppState>,
    who: Requester,
    Path((id, document)): Path<(String, String)>,
) -> AppResult<Response> {
    documents::remove(&app, who.identity.as_ref(), &id, &document).await?;
    Ok(back(&id))
}
