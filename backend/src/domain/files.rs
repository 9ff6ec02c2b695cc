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

/// A browser's file name made acceptable: forbidden characters become `_`, the path a
/// browser may send is dropped, and the name is cut to 128 characters keeping the extension.
/// Used for uploads through the pages, where a resident cannot be asked to rename "Skan 1.pdf";
/// the API refuses such names instead, so an integrator learns the rule.
pub fn tidy_file_name(raw: &str) -> String {
    let base = raw.rsplit(['/', '\\']).next().unwrap_or(raw);
    let mut name: String = base
        .chars()
        .map(|c| {
            if FORBIDDEN.contains(&c) || c.is_control() {
                '_'
            } else {
                c
            }
        })
        .collect();
    if name.chars().count() > 128 {
        let ext = extension(&name)
            .map(|e| format!(".{e}"))
            .unwrap_or_default();
        let keep = 128usize.saturating_sub(ext.chars().count());
        name = name.chars().take(keep).collect::<String>() + &ext;
    }
    if name.is_empty() || name == "." || name == ".." {
        name = "plik".to_owned();
    }
    name
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

/// Whether a file may be accepted: its extension is an allowed type and its content agrees.
pub fn acceptable(name: &str, bytes: &[u8]) -> bool {
    extension(name).is_some_and(|e| {
        mime_for_extension(e).is_some() && content_matches(e, &bytes[..bytes.len().min(8192)])
    })
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
    #[test]
    fn browser_names_are_tidied_into_valid_ones() {
        assert_eq!(
            super::tidy_file_name("Skan 1 (strona #2).pdf"),
            "Skan_1_(strona__2).pdf"
        );
        assert_eq!(super::tidy_file_name("C:\\Users\\jan\\akt.pdf"), "akt.pdf");
        let long = format!("{}.pdf", "a".repeat(300));
        let tidy = super::tidy_file_name(&long);
        assert_eq!(tidy.chars().count(), 128);
        assert!(tidy.ends_with(".pdf"));
        for raw in ["..", "", "a b?c", "ż ó ł.jpg"] {
            assert!(super::valid_file_name(&super::tidy_file_name(raw)), "{raw}");
        }
    }

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
        assert!(acceptable("a.pdf", b"%PDF-1.7"));
        assert!(!acceptable("a.exe", b"MZ"));
        assert!(!acceptable("a.pdf", b"MZ"));
    }
}
