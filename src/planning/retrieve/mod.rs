//! Candidate retrieval: from a question's words to the part of the
//! database it can be about, read from the linking index
//! (sql/link_index.sql) through the caller's privileges.  The question's
//! keys reach a few phrases; the phrases reach the relations, columns and
//! values that bear them; the candidates' join neighbourhood is added for
//! the join tree; and only those relations are loaded, as a `Knowledge`
//! the planner builds its model from.  Nothing is kept between calls, so
//! no change anywhere makes a backend redo work.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use serde::Deserialize;

mod knowledge;
mod lookup;
mod neighbours;

use crate::error::PlannerError;
use crate::planning::link::Question;
use crate::planning::model::{Knowledge, COMMON_COLUMN_TABLES};
use crate::planning::terms;
use crate::spi::{oid_array, select_json};

pub(super) const KNOWLEDGE_SQL: &str = include_str!("../../../sql/planner/knowledge.sql");

/// Most relations a question's words bring in.
const MAX_CANDIDATES: usize = 150;
/// Foreign keys walked from a candidate to find bridges between candidates.
const NEIGHBOUR_DEPTH: usize = 2;
/// Most relations the neighbourhood adds.
const MAX_NEIGHBOURS: usize = 100;

/// One term of the index the question reached: (relation, attnum, kind,
/// phrase); attnum 0 is the relation itself.
type Term = (u32, i16, String, String);

#[derive(Debug, Default, Deserialize)]
struct Found {
    terms: Vec<Term>,
    value_relations: Vec<u32>,
    synonym_relations: Vec<u32>,
}

/// What the planner gets: the relations to build its model from, and how
/// many tables of the whole database share each column name it reached.
pub struct Retrieved {
    pub knowledge: Knowledge,
    pub column_counts: HashMap<Vec<String>, usize>,
}

/// How strongly a term brings its relation in: names first, then values
/// and synonyms, then columns, then comments and what only the lexicon
/// reached.
fn priority(term: &Term, lexical_only: &HashSet<String>) -> u8 {
    if lexical_only.contains(&term.3) {
        return 3;
    }
    match (term.1 == 0, term.2.as_str()) {
        (true, "n" | "s") => 0,
        (false, "n" | "s") => 2,
        _ => 3,
    }
}

/// The reached phrases that none of the question's own keys reaches.
fn lexical_only(own_keys: &[String], phrases: &[String]) -> HashSet<String> {
    let own: HashSet<&String> = own_keys.iter().collect();
    phrases
        .iter()
        .filter(|p| {
            !terms::phrase_keys(&terms::phrase_stems(p))
                .iter()
                .any(|k| own.contains(k))
        })
        .cloned()
        .collect()
}

/// The relations the found terms bring in, and the column-name counts.
/// A phrase found on more than `COMMON_COLUMN_TABLES` objects (the query
/// caps it just above) says nothing about which of them is meant, except
/// for names of relations, which are few.
fn candidates(
    found: &Found,
    lexical_only: &HashSet<String>,
) -> (Vec<u32>, HashMap<Vec<String>, usize>) {
    let mut per_phrase: HashMap<(&str, &str, bool), usize> = HashMap::new();
    for (_, attnum, kind, phrase) in &found.terms {
        *per_phrase.entry((phrase, kind, *attnum == 0)).or_default() += 1;
    }
    let common = |t: &Term| {
        per_phrase[&(t.3.as_str(), t.2.as_str(), t.1 == 0)] > COMMON_COLUMN_TABLES
            && !(t.1 == 0 && t.2 != "c")
    };
    let mut ranked: BTreeMap<u32, u8> = BTreeMap::new();
    let mut bring = |rel: u32, rank: u8| {
        let r = ranked.entry(rel).or_insert(rank);
        *r = (*r).min(rank);
    };
    for t in found.terms.iter().filter(|t| !common(t)) {
        bring(t.0, priority(t, lexical_only));
    }
    for &rel in found.value_relations.iter().chain(&found.synonym_relations) {
        bring(rel, 1);
    }
    let mut order: Vec<(u8, u32)> = ranked.into_iter().map(|(rel, r)| (r, rel)).collect();
    order.sort_unstable();
    let chosen = order
        .into_iter()
        .take(MAX_CANDIDATES)
        .map(|(_, rel)| rel)
        .collect();
    let counts = per_phrase
        .iter()
        .filter(|((_, kind, on_relation), _)| *kind == "n" && !on_relation)
        .map(|((phrase, _, _), &n)| (terms::phrase_stems(phrase), n))
        .collect();
    (chosen, counts)
}

/// The part of the database `q` can be about, for the calling role.
pub fn for_question(q: &Question) -> Result<Retrieved, PlannerError> {
    let own_keys = terms::own_keys(q);
    let phrases = lookup::reached_phrases(&terms::question_keys(own_keys.clone(), q))?;
    let lexical_only = if q.alternates.is_empty() {
        HashSet::new()
    } else {
        lexical_only(&own_keys, &phrases)
    };
    let found = lookup::found(&phrases, &q.stems)?;
    let (candidates, column_counts) = candidates(&found, &lexical_only);
    let mut loaded: BTreeSet<u32> = candidates.iter().copied().collect();
    // The neighbourhood supplies the bridges between candidates; one
    // candidate needs none.
    if candidates.len() > 1 {
        let neighbours = neighbours::read(&candidates, NEIGHBOUR_DEPTH, MAX_NEIGHBOURS)?;
        loaded.extend(neighbours);
    }
    let loaded: Vec<u32> = loaded.into_iter().collect();
    crate::knowledge::stale_data::refresh_on_read(&loaded)?;
    let knowledge = knowledge::read(&loaded, &q.stems)?;
    Ok(Retrieved {
        knowledge,
        column_counts,
    })
}

/// Every visible relation, for readers that draw the whole schema (erd()).
pub fn whole_database() -> Result<Knowledge, PlannerError> {
    let sql = crate::knowledge::catalog::full_scope_sql(KNOWLEDGE_SQL);
    let no_stems: Vec<String> = Vec::new();
    Ok(serde_json::from_value(select_json(
        &sql,
        &[oid_array(None), no_stems.into()],
    )?)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn term(rel: u32, attnum: i16, kind: &str, phrase: &str) -> Term {
        (rel, attnum, kind.to_string(), phrase.to_string())
    }

    #[test]
    fn common_column_names_bring_no_tables_but_are_counted() {
        let mut terms: Vec<Term> = (1..=21).map(|rel| term(rel, 3, "n", "name")).collect();
        terms.push(term(40, 0, "n", "singer"));
        terms.push(term(41, 2, "n", "song name"));
        let found = Found {
            terms,
            value_relations: vec![50],
            synonym_relations: vec![],
        };
        let (chosen, counts) = candidates(&found, &HashSet::new());
        assert_eq!(chosen, vec![40, 50, 41]);
        assert_eq!(counts[&vec!["name".to_string()]], 21);
        assert_eq!(counts[&vec!["song".to_string(), "name".to_string()]], 1);
    }

    #[test]
    fn relation_names_are_never_too_common() {
        let terms: Vec<Term> = (1..=30).map(|rel| term(rel, 0, "n", "user")).collect();
        let found = Found {
            terms,
            ..Found::default()
        };
        assert_eq!(candidates(&found, &HashSet::new()).0.len(), 30);
    }
}
