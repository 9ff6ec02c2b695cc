//! Searching text as a resident types it: case and Polish diacritics ignored ("zaswiadczenie"
//! finds "zaświadczenie", "LOKAL" finds "lokal"), every word required, and the query bounded
//! so a stranger cannot make a search costly.

use unicode_normalization::UnicodeNormalization;

/// The most characters of a query looked at.
pub const MAX_QUERY_CHARS: usize = 100;
/// The most words of a query looked at.
pub const MAX_WORDS: usize = 8;

/// `s` lowercased, with diacritics taken off: canonical decomposition drops the combining
/// marks (ą, ć, ę, ń, ó, ś, ź, ż); ł, which has none, becomes l.
pub fn fold(s: &str) -> String {
    s.nfd()
        .filter(|c| !unicode_normalization::char::is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .map(|c| if c == 'ł' { 'l' } else { c })
        .collect()
}

/// A parsed query: its first words, folded.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Query {
    words: Vec<String>,
}

impl Query {
    /// The first [`MAX_WORDS`] words of the first [`MAX_QUERY_CHARS`] characters.
    pub fn parse(raw: &str) -> Self {
        let head: String = raw.chars().take(MAX_QUERY_CHARS).collect();
        Self {
            words: fold(&head)
                .split(|c: char| !c.is_alphanumeric())
                .filter(|w| !w.is_empty())
                .take(MAX_WORDS)
                .map(str::to_owned)
                .collect(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }

    /// Whether every word occurs in `folded` (text already passed through [`fold`]).
    pub fn matches(&self, folded: &str) -> bool {
        self.words.iter().all(|w| folded.contains(w.as_str()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn polish_diacritics_and_case_are_ignored() {
        assert_eq!(
            fold("Zaświadczenie ŁĄKA źdźbło ÓW"),
            "zaswiadczenie laka zdzblo ow"
        );
        let q = Query::parse("NUMER porzadkowego");
        assert!(q.matches(&fold("Ustalenie numeru porządkowego budynku")));
        assert!(!q.matches(&fold("Wypis z planu")));
    }

    #[test]
    fn a_query_is_bounded() {
        let long = "a ".repeat(500);
        assert_eq!(Query::parse(&long).words.len(), MAX_WORDS);
        let one = "x".repeat(10_000);
        assert_eq!(Query::parse(&one).words[0].len(), MAX_QUERY_CHARS);
        assert!(Query::parse(" ,.; ").is_empty());
    }
}
