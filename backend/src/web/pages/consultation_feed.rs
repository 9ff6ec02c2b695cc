//! `/konsultacje.atom`: an Atom feed (RFC 4287) of published consultations from their
//! announcement day, newest first, so residents and the BIP can follow them without an
//! account.

use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use time::format_description::well_known::Rfc3339;

use crate::db::consultations as store;
use crate::domain::consultation::Phase;
use crate::error::AppResult;
use crate::participation::consultations::{phase_of, today};
use crate::state::AppState;

/// Text for XML content and attributes.
fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&apos;")
}

pub async fn get(app: State<AppState>) -> AppResult<Response> {
    let day = today();
    let base = app.settings.base_url();
    let rows = store::list(
        &app.db,
        &[
            Phase::Draft,
            Phase::Announced,
            Phase::Open,
            Phase::Closed,
            Phase::Reported,
        ],
        None,
        50,
    )
    .await?;
    let mut entries = String::new();
    let mut newest: Option<time::OffsetDateTime> = None;
    for c in rows.iter().filter(|c| phase_of(c, day) != Phase::Draft) {
        let updated = c.reported_at.or(c.published_at).unwrap_or(c.updated_at);
        newest = newest.max(Some(updated));
        let link = format!("{base}/konsultacje/{}", c.id);
        entries.push_str(&format!(
            "<entry><id>urn:uuid:{id}</id><title>{title}</title><link rel=\"alternate\" href=\"{link}\"/><updated>{updated}</updated><summary>Konsultacje od {opens} do {closes}</summary></entry>",
            id = escape(&c.id),
            title = escape(&c.subject),
            link = escape(&link),
            updated = updated.format(&Rfc3339).unwrap_or_default(),
            opens = c.opens_on,
            closes = c.closes_on,
        ));
    }
    let updated = newest
        .unwrap_or(time::OffsetDateTime::UNIX_EPOCH)
        .format(&Rfc3339)
        .unwrap_or_default();
    let feed = format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?><feed xmlns=\"http://www.w3.org/2005/Atom\"><id>{self_link}</id><title>Konsultacje społeczne</title><link rel=\"self\" href=\"{self_link}\"/><updated>{updated}</updated>{entries}</feed>",
        self_link = escape(&format!("{base}/konsultacje.atom")),
    );
    Ok((
        StatusCode::OK,
        [(header::CONTENT_TYPE, "application/atom+xml; charset=utf-8")],
        feed,
    )
        .into_response())
}

#[cfg(test)]
mod tests {
    #[test]
    fn xml_is_escaped() {
        assert_eq!(
            super::escape("Tablice & <reklamy> \"nowe\""),
            "Tablice &amp; &lt;reklamy&gt; &quot;nowe&quot;"
        );
    }
}
