//! Morphology: English words to the stems every phrase and question is
//! compared by.  Snowball's English (Porter 2) stemmer does the regular
//! forms; the irregular plurals it cannot know are mapped to their
//! singular first (people / person, children / child).  The lexicon adds
//! the irregular forms WordNet lists (sold / sell) as links of their own.

use std::sync::OnceLock;

use rust_stemmers::{Algorithm, Stemmer};

/// Irregular plurals common in schemas and questions, to their singular.
const IRREGULAR_PLURALS: &[(&str, &str)] = &[
    ("alumni", "alumnus"),
    ("analyses", "analysis"),
    ("axes", "axis"),
    ("bases", "basis"),
    ("cacti", "cactus"),
    ("children", "child"),
    ("crises", "crisis"),
    ("criteria", "criterion"),
    ("curricula", "curriculum"),
    ("diagnoses", "diagnosis"),
    ("feet", "foot"),
    ("geese", "goose"),
    ("halves", "half"),
    ("indices", "index"),
    ("knives", "knife"),
    ("leaves", "leaf"),
    ("lives", "life"),
    ("matrices", "matrix"),
    ("media", "medium"),
    ("men", "man"),
    ("mice", "mouse"),
    ("oxen", "ox"),
    ("people", "person"),
    ("phenomena", "phenomenon"),
    ("shelves", "shelf"),
    ("syllabi", "syllabus"),
    ("teeth", "tooth"),
    ("theses", "thesis"),
    ("vertices", "vertex"),
    ("wives", "wife"),
    ("wolves", "wolf"),
    ("women", "woman"),
];

fn english() -> &'static Stemmer {
    static STEMMER: OnceLock<Stemmer> = OnceLock::new();
    STEMMER.get_or_init(|| Stemmer::create(Algorithm::English))
}

/// The singular of an irregular plural, or the word itself.
pub fn regular_form(word: &str) -> &str {
    IRREGULAR_PLURALS
        .binary_search_by(|(plural, _)| plural.cmp(&word))
        .map_or(word, |i| IRREGULAR_PLURALS[i].1)
}

/// The stem of a lower-case word: `orders` and `order` share one, as do
/// `categories` and `category`, `people` and `person`.  Digits and words
/// of other scripts pass through the stemmer unchanged.
pub fn stem(word: &str) -> String {
    english().stem(regular_form(word)).into_owned()
}

/// The singular spelling of an English plural (`airlines` / `airline`,
/// `categories` / `category`, `people` / `person`), for building the
/// identifiers a naming convention derives from a table name
/// (`airline_id`).  Linking compares stems instead.
pub fn singular(word: &str) -> String {
    let regular = regular_form(word);
    if regular != word {
        return regular.to_string();
    }
    let w = word;
    if w.len() > 4 && w.ends_with("ies") {
        return format!("{}y", &w[..w.len() - 3]);
    }
    let sibilant = ["sses", "xes", "ches", "shes"]
        .iter()
        .any(|e| w.ends_with(e));
    if w.len() > 4 && sibilant {
        return w[..w.len() - 2].to_string();
    }
    let plain_s = w.ends_with('s') && !["ss", "us", "is"].iter().any(|e| w.ends_with(e));
    if w.len() > 3 && plain_s {
        return w[..w.len() - 1].to_string();
    }
    w.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn irregular_plurals_are_sorted_for_binary_search() {
        assert!(IRREGULAR_PLURALS.windows(2).all(|w| w[0].0 < w[1].0));
    }

    #[test]
    fn regular_and_irregular_forms_share_a_stem() {
        for (a, b) in [
            ("orders", "order"),
            ("categories", "category"),
            ("addresses", "address"),
            ("people", "person"),
            ("children", "child"),
            ("mice", "mouse"),
            ("singers", "singer"),
            ("classes", "class"),
        ] {
            assert_eq!(stem(a), stem(b), "{a} / {b}");
        }
        assert_ne!(stem("status"), stem("statue"));
        assert_eq!(singular("airlines"), "airline");
        assert_eq!(singular("categories"), "category");
        assert_eq!(singular("addresses"), "address");
        assert_eq!(singular("people"), "person");
        assert_eq!(singular("status"), "status");
        assert_eq!(stem("2021"), "2021");
    }
}
