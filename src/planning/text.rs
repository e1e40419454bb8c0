//! Words: tokenising questions and identifiers, stopwords; stems come
//! from `morphology`.

/// Grammar (articles, pronouns, question words): never a name of a schema
/// object, even when a column is called so ("how" in "how many").
const FUNCTION_WORDS: &[&str] = &[
    "a", "about", "all", "also", "an", "and", "any", "are", "as", "at", "be", "been", "but", "by",
    "can", "could", "did", "do", "does", "each", "every", "for", "from", "had", "has", "have",
    "how", "i", "in", "is", "it", "its", "me", "much", "my", "of", "on", "or", "our", "please",
    "so", "than", "that", "the", "their", "them", "then", "there", "these", "they", "this",
    "those", "to", "us", "was", "we", "were", "what", "when", "where", "which", "who", "whose",
    "why", "will", "with", "you", "your",
];

/// Words about the answer's shape rather than the schema; a column may
/// still be called so ("name", "number", "count").
const INTENT_WORDS: &[&str] = &[
    "find",
    "get",
    "give",
    "list",
    "name",
    "names",
    "return",
    "show",
    "many",
    "number",
    "count",
    "total",
    "average",
    "avg",
    "sum",
    "maximum",
    "minimum",
    "max",
    "min",
    "most",
    "least",
    "top",
    "first",
    "last",
    "highest",
    "lowest",
    "largest",
    "smallest",
    "order",
    "ordered",
    "sorted",
    "sort",
    "descending",
    "ascending",
    "per",
    "more",
    "less",
    "greater",
    "fewer",
    "over",
    "under",
    "between",
    "above",
    "below",
    "not",
    "no",
    "only",
    "distinct",
    "different",
    "unique",
    "same",
    "both",
    "other",
    "than",
    "into",
    "out",
    "up",
    "down",
    "one",
    "ones",
    "whose",
    "along",
    "corresponding",
    "respective",
    "information",
    "info",
    "detail",
    "details",
    "data",
    "record",
    "records",
    "value",
    "values",
    "if",
    "any",
];

/// Generic identifier words that should not link a table on their own.
const GENERIC: &[&str] = &[
    "id", "code", "type", "name", "no", "num", "key", "date", "time", "status",
];

/// Words that carry no link to a schema object on their own.
pub fn is_stopword(word: &str) -> bool {
    FUNCTION_WORDS.contains(&word) || INTENT_WORDS.contains(&word)
}

pub fn is_function_word(word: &str) -> bool {
    FUNCTION_WORDS.contains(&word)
}

pub fn is_generic(word: &str) -> bool {
    GENERIC.contains(&word)
}

pub use super::morphology::stem;

/// Lower-cased words of a free text, split on anything that is not a
/// letter or digit.  Quotes are kept out; numbers are kept as words.
pub fn words(text: &str) -> Vec<String> {
    written_words(text)
        .into_iter()
        .map(|w| w.to_lowercase())
        .collect()
}

/// The words of a text as written, one for each of `words`.
pub fn written_words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

/// Words of an identifier: snake_case, camelCase, kebab and digits split.
pub fn identifier_words(ident: &str) -> Vec<String> {
    let mut out = Vec::new();
    for part in ident.split(|c: char| !c.is_alphanumeric()) {
        let mut current = String::new();
        let mut prev_lower = false;
        for c in part.chars() {
            if c.is_uppercase() && prev_lower && !current.is_empty() {
                out.push(current.to_lowercase());
                current.clear();
            }
            prev_lower = c.is_lowercase() || c.is_ascii_digit();
            current.push(c);
        }
        if !current.is_empty() {
            out.push(current.to_lowercase());
        }
    }
    out
}

/// Stems of the content words of a text (stopwords removed).
pub fn content_stems(text: &str) -> Vec<String> {
    words(text)
        .into_iter()
        .filter(|w| !is_stopword(w))
        .map(|w| stem(&w))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_identifiers() {
        assert_eq!(identifier_words("customer_id"), vec!["customer", "id"]);
        assert_eq!(identifier_words("CustomerId"), vec!["customer", "id"]);
        assert_eq!(identifier_words("Order Details"), vec!["order", "details"]);
        assert_eq!(identifier_words("film2actor"), vec!["film2actor"]);
    }

    #[test]
    fn words_survive_odd_input() {
        assert_eq!(
            words("  Ünïcødé ✓ 'New York'!! "),
            vec!["ünïcødé", "new", "york"]
        );
        assert!(words("").is_empty());
    }
}

/// Trigrams of a text the way pg_trgm forms them: lower-cased words, each
/// padded with two spaces before and one after.
fn trigrams(text: &str) -> std::collections::BTreeSet<[char; 3]> {
    let mut out = std::collections::BTreeSet::new();
    for word in words(text) {
        let padded: Vec<char> = "  "
            .chars()
            .chain(word.chars())
            .chain(" ".chars())
            .collect();
        for w in padded.windows(3) {
            out.insert([w[0], w[1], w[2]]);
        }
    }
    out
}

/// Trigram similarity in [0, 1]: shared trigrams over all trigrams.
pub fn similarity(a: &str, b: &str) -> f64 {
    let (ta, tb) = (trigrams(a), trigrams(b));
    let union = ta.union(&tb).count();
    if union == 0 {
        return 0.0;
    }
    ta.intersection(&tb).count() as f64 / union as f64
}

#[cfg(test)]
mod similarity_tests {
    use super::similarity;

    #[test]
    fn similarity_behaves_like_trigrams() {
        assert_eq!(similarity("Chicago", "chicago"), 1.0);
        assert!(similarity("Chicago", "Chicgo") > 0.4);
        assert!(similarity("Chicago", "Boston") < 0.1);
        assert_eq!(similarity("", "x"), 0.0);
    }
}
