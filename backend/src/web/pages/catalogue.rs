//! The catalogue page with search.

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use serde_json::{Value, json};

use super::{render, ui};
use crate::state::AppState;
use crate::web::extract::Language;
use crate::web::view;

#[derive(Debug, Deserialize)]
pub struct Search {
    pub q: Option<String>,
}

pub async fn get(
    app: State<AppState>,
    Language(lang): Language,
    Query(s): Query<Search>,
) -> Response {
    let q = s.q.unwrap_or_default();
    let words: Vec<String> = q
        .to_lowercase()
        .split_whitespace()
        .map(str::to_owned)
        .collect();
    let services: Vec<Value> = app
        .catalogue
        .listed()
        .filter(|svc| {
            let hay = format!(
                "{} {} {}",
                svc.def.title.pl,
                svc.def.title.get(lang),
                svc.def.description.get(lang)
            )
            .to_lowercase();
            words.iter().all(|w| hay.contains(w))
        })
        .map(|svc| view::summary(svc, lang))
        .collect();
    render(
        &app,
        StatusCode::OK,
        "catalogue.html",
        &json!({ "ui": ui(lang), "q": q, "services": services, "title": ui(lang)["portal"] }),
    )
}
