//! `/uslugi-krajowe/{id}`: a national service the gmina points to (an ID card, CEIDG): what
//! it is, its term and fee, what to prepare, and a link to the national service. No form:
//! okienko does not pretend to file it.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde_json::json;

use super::{message_page, render, ui};
use crate::state::AppState;
use crate::web::extract::Language;

pub async fn get(
    app: State<AppState>,
    Language(lang): Language,
    Path(id): Path<String>,
) -> Response {
    let Some(n) = app.catalogue.national.get(&id) else {
        let t = ui(lang)["not_found"].as_str().unwrap_or("").to_owned();
        return message_page(&app, lang, StatusCode::NOT_FOUND, &t, "");
    };
    let service = json!({
        "title": n.title.get(lang),
        "description": n.description.get(lang),
        "legal_basis": n.legal_basis.get(lang),
        "url": n.url,
        "provider": n.provider.get(lang),
        "term": n.term.get(lang),
        "fee": n.fee.get(lang),
        "requirements": n.requirements.iter().map(|t| t.get(lang)).collect::<Vec<_>>(),
    });
    render(
        &app,
        StatusCode::OK,
        "national.html",
        &json!({ "ui": ui(lang), "service": service, "title": n.title.get(lang) }),
    )
}
