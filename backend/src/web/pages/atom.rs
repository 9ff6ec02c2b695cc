//! Atom feeds (RFC 4287) of the public registers: petitions, mass events. One feed is a
//! page of the register's newest entries, each dated by its day.

use axum::http::header;
use axum::response::{IntoResponse, Response};

/// One entry: `href` is its page (absolute), `id` unique within the feed.
pub struct Entry {
    pub title: String,
    pub id: String,
    pub href: String,
    /// `YYYY-MM-DD`.
    pub updated: String,
    pub author: String,
    pub summary: String,
}

/// The feed at `{base}{path}.atom` of the page `{base}{path}`, updated on its first entry's day.
pub fn feed(base: &str, path: &str, title: &str, entries: &[Entry]) -> Response {
    let updated = entries.first().map_or("1970-01-01", |e| e.updated.as_str());
    let mut xml = format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n<title>{}</title>\n<id>{base}{path}</id>\n<link rel=\"self\" href=\"{base}{path}.atom\"/>\n<link href=\"{base}{path}\"/>\n<updated>{updated}T00:00:00Z</updated>\n",
        escape(title)
    );
    for e in entries {
        xml.push_str(&format!(
            "<entry>\n<title>{}</title>\n<id>{}</id>\n<link href=\"{}\"/>\n<updated>{}T00:00:00Z</updated>\n<author><name>{}</name></author>\n<summary>{}</summary>\n</entry>\n",
            escape(&e.title),
            escape(&e.id),
            escape(&e.href),
            e.updated,
            escape(&e.author),
            escape(&e.summary),
        ));
    }
    xml.push_str("</feed>\n");
    (
        [(header::CONTENT_TYPE, "application/atom+xml; charset=utf-8")],
        xml,
    )
        .into_response()
}

/// XML text and attribute escaping.
pub fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&apos;")
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
