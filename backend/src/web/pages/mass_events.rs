//! The public register of mass events as a page and an Atom feed: `/imprezy-masowe` (the
//! permits issued, newest first, in pages) and `/imprezy-masowe.atom` (the newest, for
//! readers and the BIP).

use axum::extract::{Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::json;

use super::petitions::escape;
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
    let updated = items
        .first()
        .map_or_else(|| "1970-01-01".to_owned(), |p| p.issued_on.clone());
    let mut xml = format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n<title>{}</title>\n<id>{base}/imprezy-masowe</id>\n<link rel=\"self\" href=\"{base}/imprezy-masowe.atom\"/>\n<link href=\"{base}/imprezy-masowe\"/>\n<updated>{updated}T00:00:00Z</updated>\n",
        escape(&format!(
            "Rejestr imprez masowych — {}",
            app.settings.authority.name
        ))
    );
    for p in &items {
        let people = p
            .max_participants
            .map_or_else(String::new, |n| format!(" Do {n} osób."));
        xml.push_str(&format!(
            "<entry>\n<title>{}</title>\n<id>{base}/imprezy-masowe#{sign}</id>\n<link href=\"{base}/imprezy-masowe\"/>\n<updated>{}T00:00:00Z</updated>\n<author><name>{}</name></author>\n<summary>{}</summary>\n</entry>\n",
            escape(&p.event_name),
            p.issued_on,
            escape(&p.organiser),
            escape(&format!(
                "Zezwolenie {} z {}: {}, {} {}–{}.{people}",
                p.sign, p.issued_on, p.place, p.event_date, p.start_time, p.end_time
            )),
            sign = escape(&p.sign),
        ));
    }
    xml.push_str("</feed>\n");
    Ok((
        [(header::CONTENT_TYPE, "application/atom+xml; charset=utf-8")],
        xml,
    )
        .into_response())
}
