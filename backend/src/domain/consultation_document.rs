//! What a consultation's document is (issue 14 §1): the draft under consultation, a map,
//! the justification, or another document, each labelled in Polish and English.

use serde::{Deserialize, Serialize};

use super::lang::Lang;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DocumentRole {
    Draft,
    Map,
    Justification,
    Other,
}

impl DocumentRole {
    const ALL: [Self; 4] = [Self::Draft, Self::Map, Self::Justification, Self::Other];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Map => "map",
            Self::Justification => "justification",
            Self::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == s.trim())
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Self::Draft, Lang::Pl) => "projekt dokumentu",
            (Self::Draft, Lang::En) => "draft under consultation",
            (Self::Map, Lang::Pl) => "mapa",
            (Self::Map, Lang::En) => "map",
            (Self::Justification, Lang::Pl) => "uzasadnienie",
            (Self::Justification, Lang::En) => "justification",
            (Self::Other, Lang::Pl) => "inny dokument",
            (Self::Other, Lang::En) => "other document",
        }
    }
}

/// A file's size as people read it: `812 B`, `14,2 kB`, `3,1 MB` (`14.2 kB` in English).
pub fn human_size(bytes: i64, lang: Lang) -> String {
    let (value, unit) = match bytes {
        b if b < 1024 => return format!("{b} B"),
        b if b < 1024 * 1024 => (b as f64 / 1024.0, "kB"),
        b => (b as f64 / (1024.0 * 1024.0), "MB"),
    };
    let text = format!("{value:.1} {unit}");
    match lang {
        Lang::Pl => text.replace('.', ","),
        Lang::En => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_parse_and_sizes_read_as_people_write_them() {
        assert_eq!(DocumentRole::parse("map"), Some(DocumentRole::Map));
        assert_eq!(DocumentRole::parse("mapa"), None);
        assert_eq!(human_size(812, Lang::Pl), "812 B");
        assert_eq!(human_size(14_540, Lang::Pl), "14,2 kB");
        assert_eq!(human_size(14_540, Lang::En), "14.2 kB");
        assert_eq!(human_size(3_250_586, Lang::Pl), "3,1 MB");
    }
}
