//! The phrases an object is known by and the keys a phrase is found by.
//!
//! Shared by the in-memory model (`model`) and the on-disk term index
//! (`planner_meta.link_terms`, written by `link_index`), so that what the
//! index finds for a question is exactly what the model then links.

use super::conventions::name_phrases;
use super::link::Question;
use super::model::{directives, prefix_of, Via};
use super::text::{content_stems, stem, words};

/// Column comments longer than this many content words describe rather
/// than name, and are not indexed as a phrase.
const MAX_COLUMN_COMMENT_STEMS: usize = 4;

/// Values of more words than this are sentences, not names to link.
const MAX_VALUE_STEMS: usize = 6;

/// Prefix keys are told apart from stems by this mark.
const PREFIX_MARK: &str = "p:";

type Phrases = Vec<(Via, Vec<String>)>;

/// An object's name and comment-directive synonyms, then the phrases
/// `comment_phrases` takes from its comment's content words; none when
/// the object is hidden.
fn object_phrases(
    name: &str,
    comment: Option<&str>,
    comment_phrases: impl FnOnce(Vec<String>) -> Phrases,
) -> Phrases {
    let d = directives(comment);
    if d.hide {
        return Vec::new();
    }
    let mut out: Phrases = name_phrases(name)
        .into_iter()
        .map(|stems| (Via::Name, stems))
        .collect();
    out.extend(d.synonyms.iter().map(|s| (Via::Synonym, content_stems(s))));
    if let Some(comment) = comment {
        out.extend(comment_phrases(content_stems(comment)));
    }
    out.retain(|(_, stems)| !stems.is_empty());
    out
}

/// Phrases of a table: its name, comment-directive synonyms and every
/// content word of its comment.  A hidden table has none.
pub fn table_phrases(name: &str, comment: Option<&str>) -> Phrases {
    object_phrases(name, comment, |stems| {
        stems.into_iter().map(|s| (Via::Comment, vec![s])).collect()
    })
}

/// Phrases of a column: its name, comment-directive synonyms and a short
/// comment as one phrase.  A hidden column has none.
pub fn column_phrases(name: &str, comment: Option<&str>) -> Phrases {
    object_phrases(name, comment, |stems| {
        if stems.len() <= MAX_COLUMN_COMMENT_STEMS {
            vec![(Via::Comment, stems)]
        } else {
            Vec::new()
        }
    })
}

/// Stems of a typical value, when it is short enough to be linked.
pub fn value_stems(value: &str) -> Option<Vec<String>> {
    let stems: Vec<String> = words(value).iter().map(|w| stem(w)).collect();
    (!stems.is_empty() && stems.len() <= MAX_VALUE_STEMS).then_some(stems)
}

/// Keys a phrase is found by: each of its stems, and the beginning of each
/// long stem (for similar words: injury / injured).
pub fn phrase_keys(stems: &[String]) -> Vec<String> {
    let mut keys: Vec<String> = stems.to_vec();
    keys.extend(
        stems
            .iter()
            .filter_map(|s| prefix_of(s))
            .map(|p| format!("{PREFIX_MARK}{p}")),
    );
    keys.sort();
    keys.dedup();
    keys
}

/// Keys a question reaches: its own keys (`own`, from `own_keys`, which
/// retrieval also needs alone) and the stems of its lexicon alternates.
/// Every phrase the linker can match shares at least one of them.
pub fn question_keys(own: Vec<String>, q: &Question) -> Vec<String> {
    let mut keys = own;
    keys.extend(q.alternates.iter().flat_map(|a| a.stems.iter().cloned()));
    keys.sort();
    keys.dedup();
    keys
}

/// Keys of the question's own words: its stems, two adjacent words read as
/// one ("high schoolers" for highschooler) and the beginnings of long
/// stems.
pub fn own_keys(q: &Question) -> Vec<String> {
    let mut keys = phrase_keys(&q.stems);
    keys.extend(
        q.words
            .windows(2)
            .map(|pair| stem(&format!("{}{}", pair[0], pair[1]))),
    );
    keys.sort();
    keys.dedup();
    keys
}

/// A phrase as the index stores it: stems joined by spaces (stems never
/// hold one).
pub fn phrase_text(stems: &[String]) -> String {
    stems.join(" ")
}

pub fn phrase_stems(text: &str) -> Vec<String> {
    text.split(' ').map(str::to_string).collect()
}

/// The index's one-letter code of a phrase's origin.
pub fn via_code(via: Via) -> &'static str {
    match via {
        Via::Name => "n",
        Via::Synonym => "s",
        Via::Comment => "c",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phrases_of_tables_and_columns() {
        let t = table_phrases(
            "customer_orders",
            Some("purchases\nplanner: synonyms=sales"),
        );
        assert_eq!(
            t,
            vec![
                (Via::Name, vec![stem("customer"), stem("order")]),
                (Via::Synonym, vec![stem("sale")]),
                (Via::Comment, vec![stem("purchase")]),
                (Via::Comment, vec![stem("planner")]),
                (Via::Comment, vec![stem("synonym")]),
                (Via::Comment, vec![stem("sale")]),
            ]
        );
        assert!(table_phrases("secret", Some("planner: hide")).is_empty());
        let long = "parcel courier warehouse dispatch timestamp";
        assert_eq!(column_phrases("shipped_at", Some(long)).len(), 1);
    }

    #[test]
    fn keys_cover_prefixes_and_joined_words() {
        assert_eq!(
            phrase_keys(&["injury".into()]),
            vec!["injury".to_string(), "p:injur".to_string()]
        );
        let q = Question::new("high schoolers injured");
        let keys = question_keys(own_keys(&q), &q);
        assert!(keys.contains(&stem("highschoolers")));
        assert!(keys.contains(&"p:injur".to_string()));
        assert_eq!(
            value_stems("New York"),
            Some(vec!["new".into(), "york".into()])
        );
        assert_eq!(value_stems("!!"), None);
    }
}
