//! Opaque keyset cursors for every paged list: `(sort key, id)` of the last row shown,
//! base64url so clients treat it as a token.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use time::format_description::well_known::Rfc3339;

use crate::error::{AppError, AppResult};

/// A sort key that can travel in a cursor.
pub trait Key: Sized {
    fn to_text(&self) -> String;
    fn from_text(s: &str) -> Option<Self>;
}

impl Key for time::OffsetDateTime {
    fn to_text(&self) -> String {
        self.format(&Rfc3339).unwrap_or_default()
    }
    fn from_text(s: &str) -> Option<Self> {
        Self::parse(s, &Rfc3339).ok()
    }
}

impl Key for time::Date {
    fn to_text(&self) -> String {
        self.to_string()
    }
    fn from_text(s: &str) -> Option<Self> {
        crate::forms::expr::parse_date(s)
    }
}

pub fn encode<K: Key>(key: &K, id: &str) -> String {
    URL_SAFE_NO_PAD.encode(format!("{}|{id}", key.to_text()))
}

/// The `after` parameter: absent or empty is the first page; anything else must be a
/// cursor this API gave out: 400 outside the base64url alphabet (the OpenAPI document's
/// pattern), 422 for a well-formed token that is not a cursor.
pub fn decode<K: Key>(raw: Option<&str>) -> AppResult<Option<(K, String)>> {
    let Some(raw) = raw.filter(|s| !s.is_empty()) else {
        return Ok(None);
    };
    let parsed = URL_SAFE_NO_PAD
        .decode(raw)
        .ok()
        .and_then(|b| String::from_utf8(b).ok())
        .and_then(|t| {
            let (k, id) = t.split_once('|')?;
            Some((K::from_text(k)?, id.to_owned()))
        });
    let message = "`after` nie jest kursorem wydanym przez to API.";
    match parsed {
        Some(p) => Ok(Some(p)),
        None if raw
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_') =>
        {
            Err(AppError::Unprocessable {
                code: "after",
                message: message.into(),
            })
        }
        None => Err(AppError::bad_request("after", message)),
    }
}

/// A page size from `limit`: `default` when absent, 400 outside 1..=`max`.
pub fn limit(raw: Option<u64>, default: u64, max: u64) -> AppResult<u64> {
    let limit = raw.unwrap_or(default);
    if (1..=max).contains(&limit) {
        Ok(limit)
    } else {
        Err(AppError::bad_request(
            "limit",
            format!("`limit` musi mieć wartość od 1 do {max}."),
        ))
    }
}

/// Cuts `rows` (fetched with `limit + 1`) to a page and gives the `next` cursor of its
/// last row when more follow.
pub fn page<T, K: Key>(
    mut rows: Vec<T>,
    limit: u64,
    key: impl Fn(&T) -> (K, String),
) -> (Vec<T>, Option<String>) {
    let more = rows.len() as u64 > limit;
    rows.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
    let next = more
        .then(|| {
            rows.last().map(|r| {
                let (k, id) = key(r);
                encode(&k, &id)
            })
        })
        .flatten();
    (rows, next)
}

#[cfg(test)]
mod tests {
    #[test]
    fn cursors_round_trip_and_refuse_garbage() {
        let d = time::macros::date!(2026 - 11 - 21);
        let c = super::encode(&d, "abc");
        assert_eq!(
            super::decode::<time::Date>(Some(&c)).unwrap(),
            Some((d, "abc".into()))
        );
        assert_eq!(super::decode::<time::Date>(None).unwrap(), None);
        assert!(super::decode::<time::Date>(Some("garbage")).is_err());
        assert!(super::decode::<time::OffsetDateTime>(Some(&c)).is_err());
    }
}
