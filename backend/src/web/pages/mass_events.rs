//! The public register of mass events as a page and an Atom feed: `/imprezy-masowe` (the
//! permits issued, newest first, in pages) and `/imprezy-masowe.atom` (the newest, for
//! readers and the BIP).

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde_json::json;

use super::atom::{Entry, feed};
use super::{render, ui};
use crate::error::AppResult;
use crate::state::AppState;
use crate::web::api::mass_events::{RegisterQuery, page};
use crate::web::extract::Language;

pub async fn list(
    app: State<AppState>,
    Language(lang): Language,
    Query(q): Query<RegisterQuery>,
) -> AppResult<Response> {
    let (items, next) = page(&app, &q).await?;
    let next_href = next.map(|c| format!("/imprezy-masowe?after={c}"));
    Ok(render(
        &app,
        StatusCode::OK,
        "mass_events.html",
        &json!({ "ui": ui(lang), "title": "Rejestr imprez masowych", "items": items, "next": next_href }),
    ))
}

/// The newest permits as an Atom feed (RFC 4287).
pub async fn atom(app: State<AppState>) -> AppResult<Response> {
    let q = RegisterQuery {
        limit: Some(50),
        ..RegisterQuery::default()
    };
    let (items, _) = page(&app, &q).await?;
    let base = app.settings.base_url();
    let entries: Vec<Entry> = items
        .iter()
        .map(|p| {
            let people = p
                .max_participants
                .map_or_else(String::new, |n| format!(" Do {n} osób."));
            Entry {
                title: p.event_name.clone(),
                id: format!("{base}/imprezy-masowe#{}", p.sign),
                href: format!("{base}/imprezy-masowe#{}", p.sign),
                updated: p.issued_on.clone(),
                author: p.organiser.clone(),
                summary: format!(
                    "Zezwolenie {} z {}: {}, {} {}–{}.{people}",
                    p.sign, p.issued_on, p.place, p.event_date, p.start_time, p.end_time
                ),
            }
        })
        .collect();
    let title = format!("Rejestr imprez masowych — {}", app.settings.authority.name);
    Ok(feed(&base, "/imprezy-masowe", &title, &entries))
}
