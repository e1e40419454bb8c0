//! Schema linking: which tables, columns and values the question's words
//! point to, each with a score and the reasons it was chosen.

use std::collections::{BTreeMap, BTreeSet};

use super::lexical::{lexical_names, Alternate};
use super::model::{prefix_of, Model, Phrase, Target, Via};
use super::text::{is_function_word, is_generic, is_stopword, stem, words, written_words};
use super::weights;

/// The question as the linker sees it.
#[derive(Debug, Clone)]
pub struct Question {
    pub words: Vec<String>,
    /// The words as written, case kept ("TN", "International").
    pub written: Vec<String>,
    /// Positions of words a decimal point joins to the next ("57.5").
    pub decimal_points: Vec<usize>,
    pub stems: Vec<String>,
    /// Text the question puts in quotes, as written ('Al', "East").
    pub quoted: Vec<String>,
    /// What spans of words may also stand for, from the lexicon, in the
    /// order of the words they start at.
    pub alternates: Vec<Alternate>,
}

impl Question {
    /// Splits, stems and reads the quotes of a question.
    pub fn new(text: &str) -> Self {
        let words = words(text);
        let stems = words.iter().map(|w| stem(w)).collect();
        Question {
            words,
            written: written_words(text),
            decimal_points: decimal_points(text),
            stems,
            quoted: quoted(text),
            alternates: Vec::new(),
        }
    }
}

/// Positions of the words that a decimal point joins to the next one,
/// both of digits ("57.5"); the words themselves split there.
fn decimal_points(text: &str) -> Vec<usize> {
    let mut out = Vec::new();
    let mut k = 0;
    let mut rest = text.trim_start_matches(|c: char| !c.is_alphanumeric());
    while !rest.is_empty() {
        let end = rest
            .find(|c: char| !c.is_alphanumeric())
            .unwrap_or(rest.len());
        let (word, after) = rest.split_at(end);
        let gap = after.len()
            - after
                .trim_start_matches(|c: char| !c.is_alphanumeric())
                .len();
        let next = &after[gap..];
        let digits = |w: &str| !w.is_empty() && w.chars().all(|c| c.is_ascii_digit());
        let next_word = next
            .split(|c: char| !c.is_alphanumeric())
            .next()
            .unwrap_or("");
        if &after[..gap] == "." && digits(word) && digits(next_word) {
            out.push(k);
        }
        k += 1;
        rest = next;
    }
    out
}

/// Segments between matching single or double quotes, typographic ones
/// included (an apostrophe inside a word, as in "customer's", opens
/// nothing).
fn quoted(text: &str) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let closing = match chars[i] {
            '\'' => Some('\''),
            '"' => Some('"'),
            '\u{2018}' => Some('\u{2019}'),
            '\u{201c}' => Some('\u{201d}'),
            _ => None,
        };
        let opens = i == 0 || !chars[i - 1].is_alphanumeric();
        if let (Some(closing), true) = (closing, opens) {
            if let Some(len) = chars[i + 1..].iter().position(|&c| c == closing) {
                let inner: String = chars[i + 1..i + 1 + len].iter().collect();
                if !inner.trim().is_empty() && inner.chars().count() <= 100 {
                    out.push(inner);
                }
                i += len + 2;
                continue;
            }
        }
        i += 1;
    }
    out
}

/// A scored candidate and why.
#[derive(Debug, Clone, Default)]
pub struct Evidence {
    pub score: f64,
    pub reasons: BTreeSet<String>,
    /// First word position of the evidence, for ordering mentions.
    pub first_at: Option<usize>,
    /// Word positions its name or synonyms matched.
    pub name_positions: BTreeSet<usize>,
}

impl Evidence {
    pub(super) fn add(&mut self, score: f64, reason: String, at: usize) {
        self.score += score;
        self.reasons.insert(reason);
        self.first_at = Some(self.first_at.map_or(at, |f| f.min(at)));
    }
}

/// Words that carry no meaning in table names (ref_, tbl_, _data, _list).
const NOISE: &[&str] = &[
    "ref", "tbl", "lkp", "lu", "data", "list", "info", "detail", "record", "table",
];

/// Whether a stem is one of the noise words'.
pub(super) fn is_noise(stem_of_word: &str) -> bool {
    static STEMS: std::sync::OnceLock<BTreeSet<String>> = std::sync::OnceLock::new();
    STEMS
        .get_or_init(|| NOISE.iter().map(|w| stem(w)).collect())
        .contains(stem_of_word)
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

/// A value of a column found in the question.
#[derive(Debug, Clone)]
pub struct ValueHit {
    pub table: usize,
    pub column: usize,
    pub value: String,
    pub source: String,
    pub start: usize,
}

/// Everything the question links to, before tables are chosen.
#[derive(Debug, Default)]
pub struct Links {
    pub tables: BTreeMap<usize, Evidence>,
    pub columns: BTreeMap<(usize, usize), Evidence>,
    pub values: Vec<ValueHit>,
    /// Word positions some link consumed.
    pub used: BTreeSet<usize>,
}

fn phrase_at(stems: &[String], at: usize, phrase: &[String]) -> bool {
    at + phrase.len() <= stems.len() && stems[at..at + phrase.len()] == *phrase
}

fn via_word(via: Via) -> &'static str {
    match via {
        Via::Name => "name",
        Via::Comment => "comment",
        Via::Synonym => "synonym",
    }
}

/// How much a matched phrase says: longer and more specific phrases say
/// more.  (A stopword can still name a table: `order` is one.)
pub(super) fn phrase_weight(phrase: &[String], via: Via) -> f64 {
    let specific = phrase.iter().filter(|s| !is_generic(s)).count();
    let w = weights::current();
    match via {
        Via::Synonym => w.declared_synonym,
        Via::Comment => w.comment,
        Via::Name if specific == 0 => w.generic_name,
        Via::Name => w.name + w.name_extra_word * (phrase.len() as f64 - 1.0),
    }
}

/// Tables whose own name (or a synonym) appears in the question.
fn named_tables(model: &Model, q: &Question) -> BTreeSet<usize> {
    let mut named = BTreeSet::new();
    for at in 0..q.stems.len() {
        for &p in model.by_first_stem.get(&q.stems[at]).into_iter().flatten() {
            let phrase = &model.phrases[p];
            if let Target::Table(t) = phrase.target {
                if phrase.via != Via::Comment && phrase_at(&q.stems, at, &phrase.stems) {
                    named.insert(t);
                }
            }
        }
    }
    named
}

/// Links the question's words to the tables, columns and values they name.
pub fn link(model: &Model, q: &Question) -> Links {
    let mut links = Links::default();
    let named_tables = named_tables(model, q);
    for at in 0..q.stems.len() {
        link_names_at(model, q, at, &named_tables, &mut links);
        link_values_at(model, q, at, &mut links);
    }
    discount_names_inside_columns(&mut links);
    loose_names(model, q, &mut links);
    lexical_names(model, q, &mut links);
    links
}

/// Names, comments and synonyms of tables and columns starting at word `at`.
fn link_names_at(
    model: &Model,
    q: &Question,
    at: usize,
    named_tables: &BTreeSet<usize>,
    links: &mut Links,
) {
    for &p in model.by_first_stem.get(&q.stems[at]).into_iter().flatten() {
        let phrase = &model.phrases[p];
        if !phrase_at(&q.stems, at, &phrase.stems) {
            continue;
        }
        if phrase.stems.len() == 1 && is_function_word(&q.words[at]) {
            continue;
        }
        let weight = phrase_weight(&phrase.stems, phrase.via);
        let exact = phrase.stems.len() == 1 && q.words[at] == phrase.stems[0];
        let reason = match (phrase.via, exact) {
            (Via::Name, false) => format!("name (stem '{}')", q.words[at]),
            (via, _) => format!(
                "{} '{}'",
                via_word(via),
                q.words[at..at + phrase.stems.len()].join(" ")
            ),
        };
        if let Target::Column(t, _) = phrase.target {
            if model.is_common_column(&phrase.stems) && !named_tables.contains(&t) {
                continue;
            }
        }
        let span = at..at + phrase.stems.len();
        let e = evidence_of(links, phrase.target);
        e.add(weight, reason, at);
        if phrase.via != Via::Comment {
            e.name_positions.extend(span.clone());
            links.used.extend(span);
        }
    }
}

/// The evidence entry of a table or column.
pub(super) fn evidence_of(links: &mut Links, target: Target) -> &mut Evidence {
    match target {
        Target::Table(t) => links.tables.entry(t).or_default(),
        Target::Column(t, c) => links.columns.entry((t, c)).or_default(),
    }
}

/// Typical values of columns starting at word `at`.
fn link_values_at(model: &Model, q: &Question, at: usize, links: &mut Links) {
    for &v in model
        .values_by_first_stem
        .get(&q.stems[at])
        .into_iter()
        .flatten()
    {
        let value = &model.values[v];
        if !phrase_at(&q.stems, at, &value.stems) {
            continue;
        }
        // One short common word is too weak to be a value on its own.
        if value.stems.len() == 1 && (value.stems[0].len() < 3 || is_stopword(&q.words[at])) {
            continue;
        }
        links.values.push(ValueHit {
            table: value.table,
            column: value.column,
            value: value.value.clone(),
            source: value.source.clone(),
            start: at,
        });
        links.used.extend(at..at + value.stems.len());
    }
}

/// Word positions covered by exact column-name matches.
fn column_spans(links: &Links) -> Vec<BTreeSet<usize>> {
    links
        .columns
        .values()
        .map(|e| e.name_positions.clone())
        .filter(|p| !p.is_empty())
        .collect()
}

/// "template" in "template type code" names a column, not the templates
/// table: a table name found only inside a longer column name counts for
/// little and does not make the table named.
fn discount_names_inside_columns(links: &mut Links) {
    let spans = column_spans(links);
    for e in links.tables.values_mut() {
        let inside = !e.name_positions.is_empty()
            && spans
                .iter()
                .any(|s| e.name_positions.is_subset(s) && s.len() > e.name_positions.len());
        if inside {
            e.score *= 0.3;
            e.name_positions.clear();
            e.reasons.insert("inside a column name".into());
        }
    }
}

/// Second pass for names not found word for word: all words of a
/// multi-word name present in another order ("template types" for
/// ref_template_types), two question words forming one name ("high
/// schoolers" for highschooler), and long words sharing a stem-like prefix
/// ("injuries" for injured).  Each counts for less than an exact match.
fn loose_names(model: &Model, q: &Question, links: &mut Links) {
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
        let Some(hit) = loose_match(q, phrase) else {
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
fn loose_match(q: &Question, phrase: &Phrase) -> Option<LooseHit> {
    let content: Vec<&String> = phrase
        .stems
        .iter()
        .filter(|s| !is_noise(s) && !is_stopword(s))
        .collect();
    if content.len() >= 2 || content.len() < phrase.stems.len() {
        words_in_any_order(q, phrase, &content)
    } else if content.len() == 1 {
        one_word_loosely(q, content[0])
    } else {
        None
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

/// Words of the question that linked to nothing and are not stopwords.
pub fn unmatched(q: &Question, links: &Links, consumed: &BTreeSet<usize>) -> Vec<String> {
    q.words
        .iter()
        .enumerate()
        .filter(|(i, w)| !links.used.contains(i) && !consumed.contains(i) && !is_stopword(w))
        .filter(|(_, w)| w.parse::<f64>().is_err())
        .map(|(_, w)| w.clone())
        .collect()
}
