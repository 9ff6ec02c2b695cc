//! Near-identical petitions (u.p.p. art. 11: petitions on the same matter may be joined):
//! the same text is often sent to hundreds of gminy with small changes, so texts are
//! compared as sets of word triples (shingles) and their overlap (Jaccard) is the score.

use std::collections::HashSet;

/// From this score on, two petitions are suggested as the same matter.
pub const SAME_MATTER: f64 = 0.5;

/// The word triples of `text`, lower-cased, letters and digits only.
pub fn shingles(text: &str) -> HashSet<String> {
    let words: Vec<String> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    if words.len() < 3 {
        return words.into_iter().collect();
    }
    words.windows(3).map(|w| w.join(" ")).collect()
}

/// The overlap of two texts' shingles, 0 to 1.
pub fn similarity(a: &HashSet<String>, b: &HashSet<String>) -> f64 {
    let union = a.union(b).count();
    if union == 0 {
        return 0.0;
    }
    #[expect(
        clippy::cast_precision_loss,
        reason = "counts of words, far below 2^52"
    )]
    let score = a.intersection(b).count() as f64 / union as f64;
    score
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A petition sent to many gminy with the gmina's name changed is the same matter; a
    /// different request is not.
    #[test]
    fn upp_art_11_near_identical_texts_are_the_same_matter() {
        let base = "Wnosimy o podjęcie uchwały w sprawie ograniczenia emisji hałasu z ulicznych głośników w Gminie Przykładowo oraz o przedstawienie harmonogramu kontroli";
        let copy = "Wnosimy o podjęcie uchwały w sprawie ograniczenia emisji hałasu z ulicznych głośników w Gminie Inna oraz o przedstawienie harmonogramu kontroli";
        let other = "Prosimy o ustawienie ławek i koszy na śmieci w parku przy ulicy Polnej";
        let (a, b, c) = (shingles(base), shingles(copy), shingles(other));
        assert!(similarity(&a, &b) >= SAME_MATTER, "{}", similarity(&a, &b));
        assert!(similarity(&a, &c) < 0.1);
        assert!((similarity(&a, &a) - 1.0).abs() < f64::EPSILON);
        assert!(similarity(&shingles(""), &shingles("")) == 0.0);
    }
}
