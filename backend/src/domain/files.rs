//! Rules for attached files: names as e-Doręczenia allows them (DOMAIN.md §1) and
//! the declared type checked against the content.

/// Characters a file name may not contain, besides control characters.
const FORBIDDEN: &[char] = &[
    ' ', '~', '"', '#', '%', '&', '*', ':', '<', '>', '?', '!', '/', '\\', '{', '|', '}',
];

/// At most 128 characters, none of the forbidden ones, not empty, not `.` or `..`.
pub fn valid_file_name(name: &str) -> bool {
    !name.is_empty()
        && name.chars().count() <= 128
        && name != "."
        && name != ".."
        && !name
            .chars()
            .any(|c| FORBIDDEN.contains(&c) || c.is_control())
}

/// The MIME type of an allowed extension (the KRI formats the catalogue uses).
pub fn mime_for_extension(ext: &str) -> Option<&'static str> {
    Some(match ext.to_ascii_lowercase().as_str() {
        "pdf" => "application/pdf",
        "jpg" | "jpeg" => "image/jpeg",
        "png" => "image/png",
        "tif" | "tiff" => "image/tiff",
        "xml" => "application/xml",
        "docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "odt" => "application/vnd.oasis.opendocument.text",
        "zip" => "application/zip",
        "txt" => "text/plain",
        _ => return None,
    })
}

pub fn extension(name: &str) -> Option<&str> {
    name.rsplit_once('.')
        .map(|(_, e)| e)
        .filter(|e| !e.is_empty())
}

/// Whether the first bytes of a file agree with the type its extension declares.
/// Text formats (xml, txt) have no magic number: they must be valid UTF-8.
pub fn content_matches(ext: &str, head: &[u8]) -> bool {
    let ext = ext.to_ascii_lowercase();
    match ext.as_str() {
        "xml" => std::str::from_utf8(head).is_ok_and(|s| {
            s.trim_start_matches('\u{feff}')
                .trim_start()
                .starts_with('<')
        }),
        "txt" => std::str::from_utf8(head).is_ok(),
        _ => {
            let Some(kind) = infer::get(head) else {
                return false;
            };
            match ext.as_str() {
                // docx and odt are zip containers; older infer versions report them as zip
                "docx" | "odt" => {
                    kind.mime_type() == mime_for_extension(&ext).unwrap_or("")
                        || kind.mime_type() == "application/zip"
                }
                "jpg" | "jpeg" => kind.mime_type() == "image/jpeg",
                _ => Some(kind.mime_type()) == mime_for_extension(&ext),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names() {
        assert!(valid_file_name("akt_notarialny.pdf"));
        assert!(valid_file_name("zgoda-przewodniczącego.pdf"));
        for bad in [
            "",
            "a b.pdf",
            "a:b.pdf",
            "x?.pdf",
            "../etc",
            "a/b",
            "a|b",
            &"x".repeat(129),
        ] {
            assert!(!valid_file_name(bad), "{bad}");
        }
        assert!(valid_file_name(&"ż".repeat(128)));
    }

    #[test]
    fn content_sniffing() {
        assert!(content_matches("pdf", b"%PDF-1.7\n..."));
        assert!(!content_matches("pdf", b"\x89PNG\r\n\x1a\n...."));
        assert!(content_matches("png", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"));
        assert!(content_matches("xml", b"<?xml version=\"1.0\"?><a/>"));
        assert!(!content_matches("xml", b"%PDF-1.7"));
    }
}
