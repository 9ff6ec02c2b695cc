//! The two languages of the portal: Polish (default) and English.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, Hash)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    Pl,
    En,
}

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::Pl => "pl",
            Lang::En => "en",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "pl" | "pl-pl" => Some(Lang::Pl),
            "en" | "en-gb" | "en-us" => Some(Lang::En),
            _ => None,
        }
    }

    /// Picks the first supported language of an `Accept-Language` header, by q-value.
    pub fn from_accept_language(header: &str) -> Self {
        let mut best: Option<(f32, Lang)> = None;
        for part in header.split(',') {
            let mut it = part.split(';');
            let tag = it.next().unwrap_or("").trim();
            let q = it
                .find_map(|p| p.trim().strip_prefix("q="))
                .and_then(|q| q.parse::<f32>().ok())
                .unwrap_or(1.0);
            let primary = tag.split('-').next().unwrap_or("");
            if let Some(lang) = Lang::parse(primary)
                && best.is_none_or(|(bq, _)| q > bq)
            {
                best = Some((q, lang));
            }
        }
        best.map(|(_, l)| l).unwrap_or_default()
    }
}

/// A text in both languages, as written in form definitions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct Text {
    pub pl: String,
    #[serde(default)]
    pub en: Option<String>,
}

impl Text {
    /// The English text falls back to Polish where a definition leaves it out.
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Pl => &self.pl,
            Lang::En => self.en.as_deref().unwrap_or(&self.pl),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_language_negotiation() {
        assert_eq!(
            Lang::from_accept_language("en-GB,en;q=0.9,pl;q=0.8"),
            Lang::En
        );
        assert_eq!(Lang::from_accept_language("de,pl;q=0.5,en;q=0.4"), Lang::Pl);
        assert_eq!(Lang::from_accept_language("fr"), Lang::Pl);
        assert_eq!(Lang::from_accept_language(""), Lang::Pl);
    }
}
