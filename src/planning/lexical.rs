//! Links through the lexicon: a question's word (or two) stands for
//! another phrase of the same, a broader or a narrower meaning
//! ("vocalists" for singer), and a schema phrase spelt with those
//! alternates is linked for less than its own words would be.  Only
//! words that nothing named directly are read this way, so a table's own
//! name and the synonyms an administrator declared always come first.

use std::collections::BTreeSet;

use super::link::{is_noise, Links, Question};
use super::model::{Model, Phrase, Target, Via};
use super::text::is_stopword;
use super::weights::{self, Weights};

/// How a lexicon phrase stands to the question's words.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Relation {
    /// Same meaning (one synset): vocalist / singer.
    Synonym,
    /// The related phrase is broader: sedan / car.
    Broader,
    /// The related phrase is narrower: musician / singer.
    Narrower,
    /// Another part of speech of the same word: sing / singer.
    Derived,
    /// An irregular inflection and its base form: sold / sell.
    Inflection,
}

const RELATIONS: [Relation; 5] = [
    Relation::Synonym,
    Relation::Broader,
    Relation::Narrower,
    Relation::Derived,
    Relation::Inflection,
];

impl Relation {
    /// The code the lexicon table stores.
    pub fn code(self) -> &'static str {
        match self {
            Relation::Synonym => "synonym",
            Relation::Broader => "broader",
            Relation::Narrower => "narrower",
            Relation::Derived => "derived",
            Relation::Inflection => "inflection",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        RELATIONS.into_iter().find(|r| r.code() == code)
    }

    /// How a reason says it: "narrower term 'sedans' of car".
    fn described(self) -> &'static str {
        match self {
            Relation::Synonym => "synonym",
            Relation::Broader => "narrower term",
            Relation::Narrower => "broader term",
            Relation::Derived => "related form",
            Relation::Inflection => "form",
        }
    }
}

/// Question words `start..start + len` may stand for `stems`.
#[derive(Debug, Clone, PartialEq)]
pub struct Alternate {
    pub start: usize,
    pub len: usize,
    pub stems: Vec<String>,
    pub relation: Relation,
    pub weight: f64,
    /// Where the link comes from ("WordNet").
    pub source: String,
}

/// One way through the question: a question word as itself, or a span
/// read as a lexicon alternate.
struct Step<'a> {
    len: usize,
    stems: &'a [String],
    alternate: Option<&'a Alternate>,
}

fn steps_at<'a>(q: &'a Question, at: usize) -> Vec<Step<'a>> {
    let mut steps = vec![Step {
        len: 1,
        stems: std::slice::from_ref(&q.stems[at]),
        alternate: None,
    }];
    let from = q.alternates.partition_point(|a| a.start < at);
    let here = q.alternates[from..].iter().take_while(|a| a.start == at);
    steps.extend(here.map(|a| Step {
        len: a.len,
        stems: &a.stems,
        alternate: Some(a),
    }));
    steps
}

/// The best way to spell `phrase` from word `at` on, using at least one
/// alternate: (the alternates used, the product of their weights, the
/// words covered).
fn spell<'a>(
    q: &'a Question,
    at: usize,
    phrase: &[String],
    free: &dyn Fn(usize) -> bool,
    w: &Weights,
) -> Option<(Vec<&'a Alternate>, f64, usize)> {
    if phrase.is_empty() {
        return Some((Vec::new(), 1.0, 0));
    }
    if at >= q.stems.len() {
        return None;
    }
    let mut best: Option<(Vec<&Alternate>, f64, usize)> = None;
    for step in steps_at(q, at) {
        let fits = phrase.starts_with(step.stems)
            && step.alternate.is_none_or(|_| (at..at + step.len).all(free));
        if !fits {
            continue;
        }
        let Some((mut used, weight, covered)) =
            spell(q, at + step.len, &phrase[step.stems.len()..], free, w)
        else {
            continue;
        };
        let weight = weight
            * step
                .alternate
                .map_or(1.0, |a| a.weight * w.of_relation(a.relation));
        used.extend(step.alternate);
        if best.as_ref().is_none_or(|b| weight > b.1) {
            best = Some((used, weight, covered + step.len));
        }
    }
    best.filter(|(used, _, _)| !used.is_empty())
}

/// Whether a phrase's object is still open to a lexical link: not named by
/// its own words, and not a comment phrase (comments describe).
fn open_to_lexicon(links: &Links, phrase: &Phrase) -> bool {
    if phrase.via == Via::Comment {
        return false;
    }
    let named = match phrase.target {
        Target::Table(t) => links.tables.get(&t).map(|e| &e.name_positions),
        // A column's other name is weak evidence (made / make): it links
        // only in a table the question reached by other words.
        Target::Column(t, _) if !links.tables.contains_key(&t) => return false,
        Target::Column(t, c) => links.columns.get(&(t, c)).map(|e| &e.name_positions),
    };
    named.is_none_or(BTreeSet::is_empty)
}

/// Links the phrases the question spells with lexicon alternates.
pub fn lexical_names(model: &Model, q: &Question, links: &mut Links) {
    if q.alternates.is_empty() {
        return;
    }
    let used = links.used.clone();
    let free = |i: usize| !used.contains(&i) && !is_stopword(&q.words[i]);
    let w = weights::current();
    for at in 0..q.stems.len() {
        let reached: BTreeSet<usize> = steps_at(q, at)
            .iter()
            .flat_map(|s| model.by_any_stem.get(&s.stems[0]).into_iter().flatten())
            .copied()
            .collect();
        for p in reached {
            let phrase = &model.phrases[p];
            if !open_to_lexicon(links, phrase) {
                continue;
            }
            let Some((score, reason, covered)) = spelt_from(model, q, phrase, at, &free, &w) else {
                continue;
            };
            let e = super::link::evidence_of(links, phrase.target);
            e.add(score, reason, at);
            e.name_positions.extend(at..at + covered);
            links.used.extend(at..at + covered);
        }
    }
}

/// The score, reason and words covered of `phrase` spelt from word `at`
/// with at least one alternate.  Noise words of a name are not said:
/// "automobiles" is cars_data.
fn spelt_from(
    model: &Model,
    q: &Question,
    phrase: &Phrase,
    at: usize,
    free: &dyn Fn(usize) -> bool,
    w: &Weights,
) -> Option<(f64, String, usize)> {
    let said: Vec<String> = phrase
        .stems
        .iter()
        .filter(|s| !is_noise(s))
        .cloned()
        .collect();
    let spelt = if said.is_empty() {
        &phrase.stems
    } else {
        &said
    };
    let (used, weight, covered) = spell(q, at, spelt, free, w)?;
    // A name said without its noise words is matched loosely.
    let loose = if spelt.len() < phrase.stems.len() {
        w.loose
    } else {
        1.0
    };
    let score = w.lexical * weight * loose * super::link::phrase_weight(spelt, phrase.via);
    Some((score, reason(model, q, phrase, &used), covered))
}

/// "synonym 'vocalists' of singer (WordNet)".
fn reason(model: &Model, q: &Question, phrase: &Phrase, used: &[&Alternate]) -> String {
    let target = match phrase.target {
        Target::Table(t) => model.tables[t].name.clone(),
        Target::Column(t, c) => model.tables[t].columns[c].name.clone(),
    };
    let parts: Vec<String> = used
        .iter()
        .map(|a| {
            format!(
                "{} '{}'",
                a.relation.described(),
                q.words[a.start..a.start + a.len].join(" ")
            )
        })
        .collect();
    let sources: BTreeSet<&str> = used.iter().map(|a| a.source.as_str()).collect();
    format!(
        "{} of {} ({})",
        parts.join(", "),
        target,
        sources.into_iter().collect::<Vec<_>>().join(", ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::planning::fixtures::poker;
    use crate::planning::link::link;
    use crate::planning::plan::{plan_question, DEFAULT_MAX_TABLES};
    use crate::planning::text::stem;

    fn alternate(start: usize, len: usize, related: &[&str], relation: Relation) -> Alternate {
        Alternate {
            start,
            len,
            stems: related.iter().map(|w| stem(w)).collect(),
            relation,
            weight: 0.9,
            source: "WordNet".into(),
        }
    }

    #[test]
    fn a_synonym_links_the_table_it_stands_for_with_its_reason() {
        let model = poker();
        let mut q = Question::new("earnings of each gambler");
        q.alternates
            .push(alternate(3, 1, &["poker", "player"], Relation::Synonym));
        let links = link(&model, &q);
        let player = model.tables.iter().position(|t| t.name == "poker_player");
        let e = &links.tables[&player.unwrap()];
        assert!(e
            .reasons
            .contains("synonym 'gambler' of poker_player (WordNet)"));
        let plan = plan_question(&model, &q, DEFAULT_MAX_TABLES);
        assert_eq!(plan.tables.len(), 1);
    }

    #[test]
    fn own_words_come_before_the_lexicon() {
        let model = poker();
        let mut q = Question::new("names of people");
        // "people" names its table; an alternate for it is never read.
        q.alternates
            .push(alternate(2, 1, &["poker", "player"], Relation::Broader));
        let links = link(&model, &q);
        assert!(links
            .tables
            .values()
            .all(|e| e.reasons.iter().all(|r| !r.contains("WordNet"))));
    }

    #[test]
    fn a_name_with_noise_words_counts_less_than_the_bare_name() {
        let table = |name: &str| {
            serde_json::json!({"schema": "public", "name": name, "kind": "table",
                               "comment": null, "primary_key": [], "columns": []})
        };
        let model = crate::planning::fixtures::model_of(serde_json::json!({
            "tables": [table("film_list"), table("film")],
            "foreign_keys": [], "values": [], "synonyms": []
        }));
        let mut q = Question::new("all movies");
        q.alternates
            .push(alternate(1, 1, &["film"], Relation::Synonym));
        let links = link(&model, &q);
        let score = |name: &str| {
            let t = model.tables.iter().position(|t| t.name == name).unwrap();
            links.tables[&t].score
        };
        assert!(score("film") > score("film_list"));
    }

    #[test]
    fn relation_codes_round_trip() {
        for r in RELATIONS {
            assert_eq!(Relation::from_code(r.code()), Some(r));
        }
        assert_eq!(Relation::from_code("antonym"), None);
    }
}
