//! The public register of petitions as pages and an Atom feed (u.p.p. art. 8 ust. 1):
//! `/petycje` (filters, pages), `/petycje/{sign}` (one petition and its steps) and
//! `/petycje.atom` (the newest, for readers and the BIP).

use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::json;

use super::{render, ui};
use crate::error::AppResult;
use crate::state::AppState;
use crate::web::api::petitions::{RegisterQuery, one, page, report};
use crate::web::extract::Language;

pub async fn list(
    app: State<AppState>,
    Language(lang): Language,
    Query(q): Query<RegisterQuery>,
) -> AppResult<Response> {
    let (items, next) = page(&app, &q).await?;
    let next_href = next.map(|c| {
        let mut href = format!("/petycje?after={c}");
        if let Some(s) = &q.state {
            href.push_str(&format!("&state={}", urlencoding(s)));
        }
        if let Some(y) = q.year {
            href.push_str(&format!("&year={y}"));
        }
        href
    });
    Ok(render(
        &app,
        StatusCode::OK,
        "petitions.html",
        &json!({ "ui": ui(lang), "title": "Rejestr petycji", "items": items, "next": next_href,
            "state": q.state, "year": q.year }),
    ))
}

pub async fn get(
    app: State<AppState>,
    Language(lang): Language,
    Path(sign): Path<String>,
) -> AppResult<Response> {
    let p = one(&app, &sign).await?;
    Ok(render(
        &app,
        StatusCode::OK,
        "petition.html",
        &json!({ "ui": ui(lang), "title": format!("Petycja {}", p.sign), "p": p }),
    ))
}

/// The yearly summary (u.p.p. art. 14).
pub async fn year(
    app: State<AppState>,
    Language(lang): Language,
    Path(year): Path<i32>,
) -> AppResult<Response> {
    let r = report(&app, year).await?;
    Ok(render(
        &app,
        StatusCode::OK,
        "petitions_report.html",
        &json!({ "ui": ui(lang), "title": format!("Zbiorcza informacja o petycjach za {year} r."), "r": r }),
    ))
}

/// The newest petitions as an Atom feed (RFC 4287).
pub async fn atom(app: State<AppState>) -> AppResult<Response> {
    let q = RegisterQuery {
        limit: Some(50),
        ..RegisterQuery::default()
    };
    let (items, _) = page(&app, &q).await?;
    let base = app.settings.base_url();
    let updated = items
        .first()
        .map_or_else(|| "1970-01-01".to_owned(), |p| p.filed_on.clone());
    let mut xml = format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n<title>{}</title>\n<id>{base}/petycje</id>\n<link rel=\"self\" href=\"{base}/petycje.atom\"/>\n<link href=\"{base}/petycje\"/>\n<updated>{updated}T00:00:00Z</updated>\n",
        escape(&format!(
            "Rejestr petycji — {}",
            app.settings.authority.name
        ))
    );
    for p in &items {
        xml.push_str(&format!(
            "<entry>\n<title>{}</title>\n<id>{base}/petycje/{sign}</id>\n<link href=\"{base}/petycje/{sign}\"/>\n<updated>{}T00:00:00Z</updated>\n<author><name>{}</name></author>\n<summary>{}</summary>\n</entry>\n",
            escape(&p.subject),
            p.filed_on,
            escape(p.petitioner.as_deref().unwrap_or("Wnoszący petycję")),
            escape(&format!("{} — {}. Adresat: {}.", p.state_label, p.subject, p.addressee)),
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

/// XML text and attribute escaping.
fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&apos;")
}

fn urlencoding(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn xml_is_escaped() {
        assert_eq!(
            super::escape("<a href=\"x\">&'"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&apos;"
        );
    }
}
