//! `Content-Disposition` for downloads (RFC 6266): the name as `filename*=UTF-8''…`
//! (RFC 8187), which keeps Polish letters, and an ASCII `filename="…"` beside it for the
//! clients that read only that one.

use axum::http::HeaderValue;

/// `kind` is `attachment` or `inline`.
pub fn header(kind: &str, name: &str) -> HeaderValue {
    let value = format!(
        "{kind}; filename=\"{}\"; filename*=UTF-8''{}",
        ascii_fallback(name),
        encode(name)
    );
    HeaderValue::from_str(&value).unwrap_or(HeaderValue::from_static("attachment"))
}

/// Polish letters without their marks; anything else outside printable ASCII, and the
/// quote and backslash, becomes `_`.
fn ascii_fallback(name: &str) -> String {
    name.chars()
        .map(|c| match c {
            'ą' => 'a',
            'ć' => 'c',
            'ę' => 'e',
            'ł' => 'l',
            'ń' => 'n',
            'ó' => 'o',
            'ś' => 's',
            'ź' | 'ż' => 'z',
            'Ą' => 'A',
            'Ć' => 'C',
            'Ę' => 'E',
            'Ł' => 'L',
            'Ń' => 'N',
            'Ó' => 'O',
            'Ś' => 'S',
            'Ź' | 'Ż' => 'Z',
            '"' | '\\' => '_',
            c if c.is_ascii_graphic() || c == ' ' => c,
            _ => '_',
        })
        .collect()
}

/// RFC 8187 `value-chars`: attr-char as is, every other byte of the UTF-8 as `%XX`.
fn encode(name: &str) -> String {
    let mut out = String::with_capacity(name.len() * 3);
    for b in name.bytes() {
        let attr_char = b.is_ascii_alphanumeric()
            || matches!(
                b,
                b'!' | b'#' | b'$' | b'&' | b'+' | b'-' | b'.' | b'^' | b'_' | b'`' | b'|' | b'~'
            );
        if attr_char {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn polish_names_keep_their_letters_in_filename_star() {
        let h = super::header("attachment", "Zaświadczenie o źródłach.pdf");
        assert_eq!(
            h.to_str().unwrap(),
            "attachment; filename=\"Zaswiadczenie o zrodlach.pdf\"; filename*=UTF-8''Za%C5%9Bwiadczenie%20o%20%C5%BAr%C3%B3d%C5%82ach.pdf"
        );
        let h = super::header("inline", "a\"b\\c.pdf");
        assert!(
            h.to_str()
                .unwrap()
                .starts_with("inline; filename=\"a_b_c.pdf\"")
        );
    }
}
