//! What an upload outside the form takes (a supplement answering a call): the rules of the
//! service's own upload fields, so a file refused in the form is refused there too.

use super::catalogue::Service;
use super::definition::FieldType;
use crate::domain::files;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UploadRules {
    pub max_files: u32,
    pub max_size_mb: u32,
    /// Extensions, as a file field's `accept`.
    pub accept: Vec<String>,
}

impl Default for UploadRules {
    /// A service without upload fields: the common attachment field of the catalogue
    /// (DN-1's "attachments").
    fn default() -> Self {
        Self {
            max_files: 5,
            max_size_mb: 10,
            accept: ["pdf", "jpg", "png", "xml"].map(String::from).to_vec(),
        }
    }
}

impl UploadRules {
    /// A consultation's documents (issue 14 §1): the draft, maps and the justification as
    /// PDF, images, office documents or XML, at most 20 MiB each and 50 a consultation.
    pub fn consultation_documents() -> Self {
        Self {
            max_files: 50,
            max_size_mb: 20,
            accept: ["pdf", "jpg", "png", "tif", "docx", "odt", "xml"]
                .map(String::from)
                .to_vec(),
        }
    }

    /// The service's upload fields together: the most files and the largest size any of
    /// them takes, and every type one of them accepts.
    pub fn of_service(svc: &Service) -> Self {
        let mut fields = svc
            .fields()
            .filter(|f| f.kind == FieldType::File)
            .peekable();
        if fields.peek().is_none() {
            return Self::default();
        }
        let mut rules = Self {
            max_files: 0,
            max_size_mb: 0,
            accept: Vec::new(),
        };
        for f in fields {
            rules.max_files = rules.max_files.max(f.max_files.unwrap_or(1));
            rules.max_size_mb = rules.max_size_mb.max(f.max_size_mb.unwrap_or(10));
            for a in &f.accept {
                if !rules.accept.iter().any(|x| x.eq_ignore_ascii_case(a)) {
                    rules.accept.push(a.clone());
                }
            }
        }
        rules
    }

    /// Whether a file named `name` is of an accepted type (by its extension, as the form
    /// engine judges a file field; the content is checked against it when it arrives).
    pub fn accepts(&self, name: &str) -> bool {
        files::extension(name).is_some_and(|e| {
            self.accept.iter().any(|a| {
                a.eq_ignore_ascii_case(e) || (a == "jpg" && e.eq_ignore_ascii_case("jpeg"))
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::forms::Catalogue;

    #[test]
    fn a_services_upload_fields_give_the_rules() {
        let cat = Catalogue::shipped().unwrap();
        let dn1 = UploadRules::of_service(cat.get("dn-1").unwrap());
        assert_eq!(dn1.max_files, 5);
        assert_eq!(dn1.max_size_mb, 10);
        assert!(dn1.accepts("pełnomocnictwo.PDF") && dn1.accepts("skan.jpeg"));
        assert!(!dn1.accepts("program.exe") && !dn1.accepts("bez-rozszerzenia"));
        let info = UploadRules::of_service(cat.get("informacja-publiczna").unwrap());
        assert_eq!(info, UploadRules::default());
    }
}
