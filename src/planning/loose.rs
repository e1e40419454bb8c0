//! Loose links: a name whose words the question holds in another order,
//! in part, as a similar word or as two joined words ("some words
//! 'email'" for email_address, "injured" for injury).

use std::collections::BTreeSet;

use super::link::{column_spans, evidence_of, is_noise, phrase_weight, Links, Question};
use super::model::{prefix_of, Model, Phrase, Target, Via};
use super::text::{identifier_words, is_generic, is_stopword, stem};
use super::weights;

/// Second pass for names not found word for word: all words of a
/// multi-word name present in another order ("template types" for
/// ref_template_types), two question words forming one name ("high
/// schoolers" for highschooler), and long words sharing a stem-like prefix
/// ("injuries" for injured).  Each counts for less than an exact match.
pub(super) fn loose_names(model: &Model, q: &Question, links: &mut Links) {
    let in_columns: BTreeSet<usize> = column_spans(links).into_iter().flatten().collect();
    // Words that already name a table exactly are that table's: a looser
    // reading may not take them all ("students" is student, not
    // student_record).
    let in_tables: BTreeSet<usize> = links
        .tables
        .values()
        .flat_map(|e| e.name_positions.iter().copied())
        .collect();
    for phrase in loose_candidates(model, q)
        .into_iter()
        .map(|p| &model.phrases[p])
    {
        if !loosely_matchable(model, links, phrase) {
            continue;
        }
        let Some(hit) = loose_match(model, links, q, phrase) else {
            continue;
        };
        if matches!(phrase.target, Target::Table(_))
            && (hit.found.iter().any(|p| in_columns.contains(p)) || hit.found.is_subset(&in_tables))
        {
            continue;
        }
        let Some(&at) = hit.found.first() else {
            continue;
        };
        let weight =
            weights::current().loose * hit.fraction * phrase_weight(&phrase.stems, phrase.via);
        let words: Vec<&str> = hit.found.iter().map(|&i| q.words[i].as_str()).collect();
        let reason = format!("{} '{}'", hit.how, words.join(" "));
        let e = evidence_of(links, phrase.target);
        e.add(weight, reason, at);
        e.name_positions.extend(hit.found.iter().copied());
        links.used.extend(hit.found);
    }
}

/// Only phrases sharing a word, a word's beginning, or a two-word
/// compound with the question can match loosely.
fn loose_candidates(model: &Model, q: &Question) -> BTreeSet<usize> {
    let mut candidates: BTreeSet<usize> = BTreeSet::new();
    for (i, stem_i) in q.stems.iter().enumerate() {
        candidates.extend(model.by_any_stem.get(stem_i).into_iter().flatten());
        if let Some(prefix) = prefix_of(stem_i) {
            candidates.extend(model.by_prefix.get(&prefix).into_iter().flatten());
        }
        if let Some(next) = q.words.get(i + 1) {
            let joined = stem(&format!("{}{}", q.words[i], next));
            candidates.extend(model.by_first_stem.get(&joined).into_iter().flatten());
        }
    }
    candidates
}

/// Whether a phrase may match loosely: a name or synonym, of a column
/// not too common for its table, and of something not matched exactly.
fn loosely_matchable(model: &Model, links: &Links, phrase: &Phrase) -> bool {
    if phrase.via == Via::Comment {
        return false;
    }
    if let Target::Column(t, _) = phrase.target {
        if model.is_common_column(&phrase.stems) && !links.tables.contains_key(&t) {
            return false;
        }
    }
    let exact_hit = match phrase.target {
        Target::Table(t) => links
            .tables
            .get(&t)
            .is_some_and(|e| !e.name_positions.is_empty()),
        Target::Column(t, c) => links
            .columns
            .get(&(t, c))
            .is_some_and(|e| !e.name_positions.is_empty()),
    };
    !exact_hit
}

/// A loose match of a phrase: the word positions, how they matched, and
/// the share of the phrase's words present.
struct LooseHit {
    found: BTreeSet<usize>,
    how: &'static str,
    fraction: f64,
}

/// Where a stem occurs in the question, exactly or as a similar word.
fn positions_of(q: &Question, stem: &str) -> Vec<usize> {
    q.stems
        .iter()
        .enumerate()
        .filter(|(_, s)| *s == stem || similar(s, stem))
        .map(|(i, _)| i)
        .collect()
}

/// The phrase's content words found in any order, or its one word as two
/// joined question words or a similar word.
fn loose_match(model: &Model, links: &Links, q: &Question, phrase: &Phrase) -> Option<LooseHit> {
    let mut content: Vec<&String> = phrase
        .stems
        .iter()
        .filter(|s| !is_noise(s) && !is_stopword(s))
        .collect();
    // "stu_gpa" of table student, "customer_first_name" of customers: a
    // first word that begins the table's name marks the table, and a
    // question that names the table names the column by the rest ("the
    // students with the lowest gpa").
    if let (Target::Column(t, _), [mark, _, ..]) = (phrase.target, content.as_slice()) {
        let table_named = links
            .tables
            .get(&t)
            .is_some_and(|e| !e.name_positions.is_empty());
        if table_named && marks_table(model, t, mark) && positions_of(q, mark).is_empty() {
            content.remove(0);
            return match content.as_slice() {
                [one] if !is_generic(one) => words_in_any_order(q, phrase, &content),
                [_, _, ..] => words_in_any_order(q, phrase, &content),
                _ => None,
            };
        }
    }
    if content.len() >= 2 || content.len() < phrase.stems.len() {
        words_in_any_order(q, phrase, &content)
    } else if content.len() == 1 {
        one_word_loosely(q, content[0])
    } else {
        None
    }
}

/// Whether `word` (a stem) stands for table `t`: its whole one-word
/// name ("customer" of customers), or the beginning of it ("stu" of
/// student), so that a column name starting with it is prefixed by its
/// table.
fn marks_table(model: &Model, t: usize, word: &str) -> bool {
    match identifier_words(&model.tables[t].name).as_slice() {
        [only] => word.len() >= 3 && (only.starts_with(word) || stem(only) == word),
        _ => false,
    }
}

/// All content words of a name present in another order; for a column,
/// half of them, its first included ("email" for email_address).
fn words_in_any_order(q: &Question, phrase: &Phrase, content: &[&String]) -> Option<LooseHit> {
    let hits: Vec<Vec<usize>> = content.iter().map(|s| positions_of(q, s)).collect();
    let present = hits.iter().filter(|h| !h.is_empty()).count();
    let specific_present = content
        .iter()
        .zip(&hits)
        .any(|(s, h)| !h.is_empty() && !is_generic(s));
    // Tables need all their words; a column may be named by half of
    // its words, for half the weight.
    let enough = match phrase.target {
        Target::Table(_) => present == content.len(),
        Target::Column(..) => {
            present * 2 >= content.len() && hits.first().is_some_and(|h| !h.is_empty())
        }
    };
    if content.is_empty() || !enough || !specific_present {
        return None;
    }
    let fraction = present as f64 / content.len() as f64;
    Some(LooseHit {
        found: hits.iter().filter_map(|h| h.first().copied()).collect(),
        how: if fraction < 1.0 {
            "some words"
        } else {
            "words"
        },
        fraction,
    })
}

/// A one-word name as two joined question words ("high schoolers"), or
/// as a similar long word ("injuries" for injured).
fn one_word_loosely(q: &Question, target: &str) -> Option<LooseHit> {
    for i in 0..q.words.len() {
        let hit = |found: BTreeSet<usize>, how| {
            Some(LooseHit {
                found,
                how,
                fraction: 1.0,
            })
        };
        if i + 1 < q.words.len() && stem(&format!("{}{}", q.words[i], q.words[i + 1])) == target {
            return hit(BTreeSet::from([i, i + 1]), "joined words");
        }
        if similar(&q.stems[i], target) && !is_stopword(&q.words[i]) {
            return hit(BTreeSet::from([i]), "similar word");
        }
    }
    None
}

/// Shortest common prefix that counts two long words as the same word
/// (injury / injuries / injured).
const SIMILAR_PREFIX: usize = super::model::PREFIX_LEN;

fn common_prefix(a: &str, b: &str) -> usize {
    a.chars().zip(b.chars()).take_while(|(x, y)| x == y).count()
}

/// Two different long words sharing most of a long prefix.
fn similar(a: &str, b: &str) -> bool {
    if a == b || a.len() < SIMILAR_PREFIX || b.len() < SIMILAR_PREFIX {
        return false;
    }
    let common = common_prefix(a, b);
    common >= SIMILAR_PREFIX && common * 10 >= a.len().min(b.len()) * 7
}
