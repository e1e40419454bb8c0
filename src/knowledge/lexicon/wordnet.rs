//! Reading WordNet's database files (wndb(5WN): `index.*`, `data.*`,
//! `*.exc`) into lexicon links between stemmed phrases.  Pure Rust, no
//! server: `lexicon::load` writes what this returns.

use std::collections::HashMap;
use std::fs;
use std::io;
use std::path::Path;

use crate::planning::lexical::Relation;
use crate::planning::text::{stem, words};

/// The prior strength of a link of this kind, before the sense rank.
fn prior(relation: Relation) -> f32 {
    match relation {
        Relation::Synonym => 0.9,
        Relation::Broader | Relation::Narrower => 0.6,
        Relation::Derived => 0.5,
        Relation::Inflection => 0.7,
    }
}

/// One link of the lexicon: stems joined by spaces, as the linking index
/// stores phrases.
#[derive(Debug, Clone, PartialEq)]
pub struct Link {
    pub phrase: String,
    pub related: String,
    pub relation: Relation,
    pub weight: f32,
}

/// Senses of a word read, most frequent first, and how much each counts.
const SENSE_WEIGHTS: &[f32] = &[1.0, 0.8, 0.65, 0.5];
/// Narrower terms are many (person has hundreds): only the first sense's
/// familiar ones, the most frequent first, and at most this many a word.
const MAX_NARROWER: usize = 15;
/// Broader terms of the first senses only.
const BROADER_SENSES: usize = 2;
/// Lemmas of more words than this are left out: a question rarely says
/// them, and the linking index's phrases are short.
const MAX_LEMMA_WORDS: usize = 2;

const PARTS_OF_SPEECH: &[(&str, char)] = &[("noun", 'n'), ("verb", 'v'), ("adj", 'a')];

/// A synset: its words in order, and its pointers.
#[derive(Debug, Default)]
struct Synset {
    words: Vec<String>,
    pointers: Vec<Pointer>,
}

#[derive(Debug)]
struct Pointer {
    symbol: String,
    target: (char, u64),
    /// Word numbers (1-based) of a lexical pointer; 0 for a semantic one.
    source_word: usize,
    target_word: usize,
}

type Synsets = HashMap<(char, u64), Synset>;

/// Satellite adjectives share the adjective files.
fn pos_key(c: &str) -> char {
    match c {
        "s" => 'a',
        other => other.chars().next().unwrap_or('?'),
    }
}

/// A lemma as WordNet writes it (`given_name`, `able(a)`), lower-cased
/// and without the syntactic marker.
fn lemma(raw: &str) -> String {
    let bare = raw.split('(').next().unwrap_or(raw);
    bare.replace('_', " ").to_lowercase()
}

/// The phrase of a lemma as stems, when it is short and made of words.
fn phrase_of(lemma: &str) -> Option<String> {
    let ws = words(lemma);
    let plain = ws.iter().all(|w| w.chars().all(|c| c.is_alphabetic()));
    (!ws.is_empty() && ws.len() <= MAX_LEMMA_WORDS && plain)
        .then(|| ws.iter().map(|w| stem(w)).collect::<Vec<_>>().join(" "))
}

/// One line of a data file, or None for the licence header.
fn parse_data_line(line: &str) -> Option<(u64, Synset)> {
    if line.starts_with(' ') {
        return None;
    }
    let body = line.split(" | ").next().unwrap_or(line);
    let f: Vec<&str> = body.split_whitespace().collect();
    let offset = f.first()?.parse().ok()?;
    let count = usize::from_str_radix(f.get(3)?, 16).ok()?;
    let words = (0..count)
        .filter_map(|i| f.get(4 + 2 * i).map(|w| lemma(w)))
        .collect();
    let at = 4 + 2 * count;
    let pointer_count: usize = f.get(at)?.parse().ok()?;
    let pointers = (0..pointer_count)
        .filter_map(|i| {
            let p = &f.get(at + 1 + 4 * i..at + 5 + 4 * i)?;
            let numbers = p[3];
            Some(Pointer {
                symbol: p[0].to_string(),
                target: (pos_key(p[2]), p[1].parse().ok()?),
                source_word: usize::from_str_radix(numbers.get(..2)?, 16).ok()?,
                target_word: usize::from_str_radix(numbers.get(2..)?, 16).ok()?,
            })
        })
        .collect();
    Some((offset, Synset { words, pointers }))
}

fn read_synsets(dir: &Path) -> io::Result<Synsets> {
    let mut out = Synsets::new();
    for (name, pos) in PARTS_OF_SPEECH {
        let text = fs::read_to_string(dir.join(format!("data.{name}")))?;
        out.extend(
            text.lines()
                .filter_map(parse_data_line)
                .map(|(offset, s)| ((*pos, offset), s)),
        );
    }
    Ok(out)
}

/// A line of an index file: a lemma, its part of speech, its synsets
/// most frequent sense first, and whether any of its senses occurs in
/// WordNet's sense-tagged texts (rare words never do).
struct IndexEntry {
    lemma: String,
    pos: char,
    senses: Vec<u64>,
    tagged: usize,
}

fn parse_index_line(line: &str, pos: char) -> Option<IndexEntry> {
    let f: Vec<&str> = line.split_whitespace().collect();
    let senses: usize = f.get(2)?.parse().ok()?;
    let tagged: usize = f.get(f.len().checked_sub(senses + 1)?)?.parse().ok()?;
    Some(IndexEntry {
        lemma: lemma(f.first()?),
        pos,
        senses: f[f.len() - senses..]
            .iter()
            .filter_map(|o| o.parse().ok())
            .collect(),
        tagged,
    })
}

fn read_index(dir: &Path) -> io::Result<Vec<IndexEntry>> {
    let mut out = Vec::new();
    for (name, pos) in PARTS_OF_SPEECH {
        let text = fs::read_to_string(dir.join(format!("index.{name}")))?;
        out.extend(
            text.lines()
                .filter(|l| !l.starts_with(' '))
                .filter_map(|l| parse_index_line(l, *pos)),
        );
    }
    Ok(out)
}

/// Collects links, keeping the strongest per pair of phrases.
#[derive(Default)]
struct Links(HashMap<(String, String), (Relation, f32)>);

impl Links {
    fn add(&mut self, from: &str, to: &str, relation: Relation, weight: f32) {
        let (Some(a), Some(b)) = (phrase_of(from), phrase_of(to)) else {
            return;
        };
        if a == b {
            return;
        }
        let entry = self.0.entry((a, b)).or_insert((relation, 0.0));
        if weight > entry.1 {
            *entry = (relation, weight);
        }
    }
}

/// What a lemma's links are read from.
struct Sources {
    synsets: Synsets,
    /// How many senses of a lemma occur in WordNet's sense-tagged texts:
    /// narrower terms must have one, those with most first (automobile
    /// has hundreds of narrower terms, most of them rare).
    tagged: HashMap<String, usize>,
}

/// Which pointer of a synset gives which link, if any.  Broader and
/// narrower terms only of nouns: a verb's are ways of doing (automobile:
/// go, move).
fn pointer_relation(p: &Pointer, pos: char, rank: usize, own: Option<usize>) -> Option<Relation> {
    match p.symbol.as_str() {
        "@" if pos == 'n' && p.source_word == 0 && rank < BROADER_SENSES => Some(Relation::Broader),
        "~" if pos == 'n' && p.source_word == 0 && rank == 0 => Some(Relation::Narrower),
        "+" | "\\" if Some(p.source_word) == own => Some(Relation::Derived),
        _ => None,
    }
}

/// The words a pointer leads to: the one word of a lexical pointer, the
/// familiar words of a narrower synset, every word of another.
fn pointer_targets<'a>(
    sources: &'a Sources,
    p: &Pointer,
    relation: Relation,
    target: &'a Synset,
) -> Vec<&'a String> {
    match relation {
        Relation::Derived => p
            .target_word
            .checked_sub(1)
            .and_then(|i| target.words.get(i))
            .into_iter()
            .collect(),
        Relation::Narrower => target
            .words
            .iter()
            .filter(|t| sources.tagged.contains_key(*t))
            .collect(),
        _ => target.words.iter().collect(),
    }
}

/// The links of one lemma through its first senses.
fn lemma_links(links: &mut Links, sources: &Sources, entry: &IndexEntry) {
    let word = entry.lemma.as_str();
    let mut narrower: Vec<(&String, f32)> = Vec::new();
    for (rank, offset) in entry.senses.iter().enumerate().take(SENSE_WEIGHTS.len()) {
        let Some(synset) = sources.synsets.get(&(entry.pos, *offset)) else {
            continue;
        };
        let sense = SENSE_WEIGHTS[rank];
        let own = synset.words.iter().position(|w| w == word).map(|i| i + 1);
        for other in &synset.words {
            links.add(
                word,
                other,
                Relation::Synonym,
                prior(Relation::Synonym) * sense,
            );
        }
        for p in &synset.pointers {
            let Some(relation) = pointer_relation(p, entry.pos, rank, own) else {
                continue;
            };
            let Some(target) = sources.synsets.get(&p.target) else {
                continue;
            };
            let weight = prior(relation) * sense;
            for t in pointer_targets(sources, p, relation, target) {
                match relation {
                    Relation::Narrower => narrower.push((t, weight)),
                    _ => links.add(word, t, relation, weight),
                }
            }
        }
    }
    narrower.sort_by_key(|(t, _)| std::cmp::Reverse(sources.tagged.get(*t).copied()));
    let mut seen = std::collections::HashSet::new();
    narrower.retain(|(t, _)| seen.insert(*t));
    for (t, weight) in narrower.into_iter().take(MAX_NARROWER) {
        links.add(word, t, Relation::Narrower, weight);
    }
}

/// Irregular inflections (`*.exc`: "sold sell"), each to its base forms.
fn read_exceptions(dir: &Path, links: &mut Links) -> io::Result<()> {
    for (name, _) in PARTS_OF_SPEECH {
        let text = fs::read_to_string(dir.join(format!("{name}.exc")))?;
        for line in text.lines() {
            let mut f = line.split_whitespace();
            let Some(form) = f.next() else { continue };
            for base in f {
                links.add(
                    &lemma(form),
                    &lemma(base),
                    Relation::Inflection,
                    prior(Relation::Inflection),
                );
            }
        }
    }
    Ok(())
}

/// Every link WordNet gives between short phrases, from the database
/// files in `dir`.
pub fn read(dir: &Path) -> io::Result<Vec<Link>> {
    let index = read_index(dir)?;
    let sources = Sources {
        synsets: read_synsets(dir)?,
        tagged: index
            .iter()
            .filter(|e| e.tagged > 0)
            .fold(HashMap::new(), |mut counts, e| {
                *counts.entry(e.lemma.clone()).or_default() += e.tagged;
                counts
            }),
    };
    let mut links = Links::default();
    for entry in &index {
        lemma_links(&mut links, &sources, entry);
    }
    read_exceptions(dir, &mut links)?;
    let mut out: Vec<Link> = links
        .0
        .into_iter()
        .map(|((phrase, related), (relation, weight))| Link {
            phrase,
            related,
            relation,
            weight,
        })
        .collect();
    out.sort_by(|a, b| (&a.phrase, &a.related).cmp(&(&b.phrase, &b.related)));
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A tiny WordNet: singer/vocalist (noun) under musician, derived from
    /// sing (verb); "sang" an inflection of sing.
    fn fixture() -> std::path::PathBuf {
        let dir = std::env::temp_dir().join(format!("planner_meta_wn_{}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        let files = [
            ("index.noun", "  1 licence line\nmusician n 1 1 ~ 1 1 00000200  \nsinger n 1 2 @ + 1 1 00000100  \nvocalist n 1 1 @ 1 0 00000100  \n"),
            ("data.noun", "  1 licence line\n00000100 18 n 02 singer 0 vocalist 0 002 @ 00000200 n 0000 + 00000300 v 0101 | a person who sings\n00000200 18 n 01 musician 0 001 ~ 00000100 n 0000 | someone who plays music\n"),
            ("index.verb", "sing v 1 1 + 1 0 00000300  \n"),
            ("data.verb", "00000300 36 v 01 sing 0 001 + 00000100 n 0101 00 | deliver by singing\n"),
            ("index.adj", ""),
            ("data.adj", ""),
            ("noun.exc", ""),
            ("verb.exc", "sang sing\n"),
            ("adj.exc", ""),
        ];
        for (name, text) in files {
            fs::write(dir.join(name), text).unwrap();
        }
        dir
    }

    fn relation_of(links: &[Link], phrase: &str, related: &str) -> Option<Relation> {
        links
            .iter()
            .find(|l| l.phrase == stem(phrase) && l.related == stem(related))
            .map(|l| l.relation)
    }

    #[test]
    fn reads_synonyms_broader_narrower_derived_and_inflections() {
        let dir = fixture();
        let links = read(&dir).unwrap();
        fs::remove_dir_all(&dir).unwrap();
        assert_eq!(
            relation_of(&links, "vocalist", "singer"),
            Some(Relation::Synonym)
        );
        assert_eq!(
            relation_of(&links, "singer", "musician"),
            Some(Relation::Broader)
        );
        assert_eq!(
            relation_of(&links, "musician", "singer"),
            Some(Relation::Narrower)
        );
        assert_eq!(
            relation_of(&links, "singer", "sing"),
            Some(Relation::Derived)
        );
        assert_eq!(
            relation_of(&links, "sang", "sing"),
            Some(Relation::Inflection)
        );
        assert_eq!(relation_of(&links, "singer", "singer"), None);
        assert!(links.iter().all(|l| l.weight > 0.0 && l.weight <= 1.0));
    }

    #[test]
    fn missing_files_are_an_error() {
        assert!(read(Path::new("/nonexistent/wordnet")).is_err());
    }

    #[test]
    fn lemmas_lose_markers_and_long_ones_are_left_out() {
        assert_eq!(lemma("Given_Name"), "given name");
        assert_eq!(lemma("able(a)"), "able");
        assert_eq!(
            phrase_of("first name"),
            Some(format!("{} {}", stem("first"), stem("name")))
        );
        assert_eq!(phrase_of("a b c"), None);
        assert_eq!(
            phrase_of("x-ray"),
            Some(format!("{} {}", stem("x"), stem("ray")))
        );
        assert_eq!(phrase_of("4th"), None);
    }
}
