//! What the question asks for beyond objects: counting, totals, averages,
//! extremes, top-N, grouping, ordering, comparisons and dates; and whether
//! it is about the database itself.

pub use super::comparisons::Comparison;
use super::comparisons::{bare_numbers, comparative_before, comparison, number_at, word_at};
use super::link::Question;
use super::superlatives::{extremes_asked, superlative_cue};

/// An aggregate the question asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Aggregate {
    Count,
    Sum,
    Avg,
    Min,
    Max,
}

impl Aggregate {
    /// The SQL function computing it.
    pub fn sql(self) -> &'static str {
        match self {
            Aggregate::Count => "count",
            Aggregate::Sum => "sum",
            Aggregate::Avg => "avg",
            Aggregate::Min => "min",
            Aggregate::Max => "max",
        }
    }
}

/// The intent cues of a question, with the word positions they were
/// read at.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Intent {
    /// Aggregate and the word position it was asked at.
    pub aggregate: Option<(Aggregate, usize)>,
    /// Further aggregates of the same question ("the average, minimum and
    /// maximum age"), in the order asked.
    pub more_aggregates: Vec<(Aggregate, usize)>,
    pub distinct: bool,
    /// Word position of the first "distinct" ("different", "unique").
    pub distinct_at: Option<usize>,
    /// "for each X", "per X", "by X": the word position of X.
    pub group_at: Option<usize>,
    /// Superlative with a row answer ("which film has the highest rate"):
    /// order descending (true) or ascending, limit 1.
    pub superlative: Option<(bool, usize)>,
    /// Explicit ordering: descending?, word position of the key.
    pub order: Option<(bool, usize)>,
    pub limit: Option<u64>,
    pub comparisons: Vec<Comparison>,
    /// Comparisons with the column's own average ("older than average",
    /// "above the average age"): operator and the word position of
    /// "average".
    pub above_average: Vec<(&'static str, usize)>,
    /// Word position of the question's negation ("not", "without").
    pub negation: Option<usize>,
    /// Word position of "contains" and its kin, which make a quoted text
    /// a pattern.
    pub contains_at: Option<usize>,
    /// Word position of "starts with" or "ends with": a quoted text (or
    /// the letter named) begins or ends the value.
    pub starts_at: Option<usize>,
    pub ends_at: Option<usize>,
    /// Word positions consumed by intent phrases.
    pub consumed: Vec<usize>,
}

/// Metadata questions, answered from planner_meta's own views.
#[derive(Debug, Clone, PartialEq)]
pub enum MetaQuestion {
    Schemas,
    Tables,
    Columns,
    References,
    Changes(&'static str),
}

const SUPERLATIVES: &[&str] = &[
    "highest", "lowest", "largest", "smallest", "biggest", "greatest", "max", "maximum", "min",
    "minimum",
];

/// Words before "number of" that order by a count, not ask for one.
const ORDERING_BY_COUNT: &[&str] = &[
    "greatest", "most", "least", "fewest", "highest", "largest", "smallest", "lowest", "biggest",
];

/// Words negating what follows them.
const NEGATIONS: &[&str] = &["not", "no", "without", "never", "dont", "doesnt", "didnt"];

/// Verbs whose contraction with "n't" splits into the verb's stump and
/// "t" ("don't": "don", "t").
const CONTRACTED: &[&str] = &[
    "don", "doesn", "didn", "hasn", "haven", "hadn", "isn", "aren", "wasn", "weren", "can",
    "couldn", "won", "wouldn", "shouldn",
];

/// Whether word `i` negates what follows it; `extra` lists more words
/// that do in the caller's sense.
pub fn negates(q: &Question, i: usize, extra: &[&str]) -> bool {
    let w = word_at(q, i);
    NEGATIONS.contains(&w)
        || extra.contains(&w)
        || CONTRACTED.contains(&w) && word_at(q, i + 1) == "t"
}

/// Words saying that a quoted text is part of a value.
const CONTAINS: &[&str] = &[
    "contain",
    "contains",
    "containing",
    "substring",
    "include",
    "includes",
    "including",
    // "names that have the word 'Heart'".
    "word",
];

/// Words that, before "with", say a value begins or ends with a text.
const STARTS: &[&str] = &[
    "start",
    "starts",
    "starting",
    "begin",
    "begins",
    "beginning",
];
const ENDS: &[&str] = &["end", "ends", "ending"];

fn has(q: &Question, word: &str) -> bool {
    q.words.iter().any(|w| w == word)
}

fn any(q: &Question, list: &[&str]) -> bool {
    list.iter().any(|w| has(q, w))
}

/// Recognises questions about the database itself.  `names_a_table` tells
/// whether the linker found a table in the question.
pub fn meta_question(q: &Question, names_a_table: bool) -> Option<MetaQuestion> {
    let asks = any(q, &["list", "what", "which", "show", "describe", "tell"]);
    if any(q, &["changed", "changes", "modified", "altered"]) && !names_a_table
        || (any(q, &["changed", "changes"])
            && any(q, &["since", "recently", "today", "yesterday", "week"]))
    {
        let window = if has(q, "today") {
            "1 day"
        } else if has(q, "week") {
            "7 days"
        } else if has(q, "month") {
            "1 month"
        } else {
            "2 days"
        };
        return Some(MetaQuestion::Changes(window));
    }
    if names_a_table && any(q, &["reference", "references", "referencing", "referenced"]) {
        return Some(MetaQuestion::References);
    }
    if names_a_table && (has(q, "columns") || has(q, "fields")) && asks {
        return Some(MetaQuestion::Columns);
    }
    if names_a_table && has(q, "describe") {
        return Some(MetaQuestion::Columns);
    }
    if (has(q, "tables") || has(q, "relations")) && asks && !names_a_table {
        return Some(MetaQuestion::Tables);
    }
    if has(q, "schemas") && asks {
        return Some(MetaQuestion::Schemas);
    }
    None
}

/// Reads the intent cues of the question, word by word.
pub fn intent(q: &Question) -> Intent {
    let mut out = Intent::default();
    // Where an ordering is asked in so many words ("sorted by", "in order of").
    let mut explicit_order: Option<usize> = None;
    for i in 0..q.words.len() {
        aggregate_cue(q, i, &mut out);
        superlative_cue(q, i, &mut out);
        grouping_cue(q, i, &mut out);
        order_cue(q, i, &mut out, &mut explicit_order);
        // "less than or equal to 200" holds no second comparison at
        // "equal to".
        let inside_another = out.comparisons.iter().any(|c| i < c.at) && out.consumed.contains(&i);
        if let Some(cmp) = comparison(q, i).filter(|_| !inside_another) {
            out.consumed.extend(i..cmp.at);
            out.comparisons.push(cmp);
        }
    }
    // "ordered by age from the oldest to the youngest": a superlative after
    // an explicit ordering gives its direction, not a single row.
    if let (Some((_, key)), Some(from), Some((desc, at))) =
        (out.order, explicit_order, out.superlative)
    {
        if at > from && out.limit.is_none() {
            out.order = Some((desc, key));
            out.superlative = None;
        }
    }
    extremes_asked(q, &mut out);
    if out.superlative.is_some() && out.limit.is_none() && out.aggregate.is_none() {
        out.limit = Some(1);
    }
    let taken: Vec<usize> = out
        .comparisons
        .iter()
        .map(|c| c.at)
        .chain(out.consumed.iter().copied())
        .collect();
    let bare = bare_numbers(q, &taken);
    out.comparisons.extend(bare);
    out.negation = (0..q.words.len()).find(|&i| negates(q, i, &[]));
    out.contains_at = q.words.iter().position(|w| CONTAINS.contains(&w.as_str()));
    let followed_by_with = |k: usize| matches!(word_at(q, k + 1), "with" | "from");
    out.starts_at =
        (0..q.words.len()).find(|&k| STARTS.contains(&word_at(q, k)) && followed_by_with(k));
    out.ends_at =
        (0..q.words.len()).find(|&k| ENDS.contains(&word_at(q, k)) && followed_by_with(k));
    out
}

/// "the number and average age of students": "number" is a count when
/// another aggregate follows it with "and".
fn counted_with_another(q: &Question, i: usize) -> bool {
    word_at(q, i + 1) == "and"
        && matches!(
            word_at(q, i + 2),
            "average" | "avg" | "mean" | "total" | "sum" | "maximum" | "minimum"
        )
}

/// "how many", "count", "number of", "average", "total", "maximum",
/// "minimum" at word `i`.
fn aggregate_cue(q: &Question, i: usize, out: &mut Intent) {
    let (previous, next) = (word_at(q, i.wrapping_sub(1)), word_at(q, i + 1));
    match word_at(q, i) {
        "how" if next == "many" || next == "much" => {
            if next == "many" {
                out.aggregate.get_or_insert((Aggregate::Count, i));
            } else {
                out.aggregate.get_or_insert((Aggregate::Sum, i));
            }
            out.consumed.extend([i, i + 1]);
        }
        // "number" alone names a column; "the greatest number of
        // orchestras" orders by a count, it does not ask for one.
        "number"
            if next != "of" && !counted_with_another(q, i)
                || ORDERING_BY_COUNT.contains(&previous) => {}
        // "in ascending order of the number of audience" names a column
        // to order by; a count it orders by is asked elsewhere ("how many
        // ... sorted by the number of meals").
        "number" if ordering_before(q, i) => {}
        "count" | "number" => {
            out.aggregate.get_or_insert((Aggregate::Count, i));
            out.consumed.push(i);
        }
        "average" | "avg" | "mean" => {
            match comparative_before(q, i) {
                Some(operator) => out.above_average.push((operator, i)),
                None => add_aggregate(out, Aggregate::Avg, i),
            }
            out.consumed.push(i);
        }
        // "the highest total", "the average total" or "whose total"
        // name a column called total, and "the total number of" counts.
        "total" | "sum"
            if !(SUPERLATIVES.contains(&previous)
                || matches!(
                    previous,
                    "average" | "avg" | "mean" | "a" | "whose" | "its" | "their"
                )
                || next == "number" && word_at(q, i + 2) == "of"
                || next == "count") =>
        {
            add_aggregate(out, Aggregate::Sum, i);
            out.consumed.push(i);
        }
        "maximum" | "max" => {
            add_aggregate(out, Aggregate::Max, i);
            out.consumed.push(i);
        }
        "minimum" | "min" => {
            add_aggregate(out, Aggregate::Min, i);
            out.consumed.push(i);
        }
        _ => {}
    }
}

/// Whether the words before `i` ask for an ordering by what word `i`
/// starts: "order of [the]", "sorted by [the]", "ordered by".
fn ordering_before(q: &Question, i: usize) -> bool {
    let back = if word_at(q, i.wrapping_sub(1)) == "the" {
        2
    } else {
        1
    };
    let (a, b) = (
        word_at(q, i.wrapping_sub(back + 1)),
        word_at(q, i.wrapping_sub(back)),
    );
    matches!(
        (a, b),
        ("order", "of") | ("sorted" | "ordered" | "order" | "sort", "by")
    )
}

/// "distinct", and "each X", "per X", "by X" (after an aggregate) at
/// word `i`.
fn grouping_cue(q: &Question, i: usize, out: &mut Intent) {
    match word_at(q, i) {
        "distinct" | "different" | "unique" => {
            out.distinct = true;
            out.distinct_at.get_or_insert(i);
        }
        "each" | "per" | "every" if i + 1 < q.words.len() => {
            out.group_at = Some(i + 1);
            out.consumed.push(i);
        }
        "by" if out.aggregate.is_some()
            && !matches!(word_at(q, i.wrapping_sub(1)), "sorted" | "ordered") =>
        {
            out.group_at.get_or_insert(i + 1);
        }
        _ => {}
    }
}

/// "top 5", "sorted by", "in order of", "alphabetically" at word `i`;
/// `explicit_order` keeps where an ordering is asked in so many words.
fn order_cue(q: &Question, i: usize, out: &mut Intent, explicit_order: &mut Option<usize>) {
    let next = word_at(q, i + 1);
    match word_at(q, i) {
        "top" | "first" => {
            if let Some(n) = number_at(q, i + 1) {
                out.limit = n.parse().ok();
                out.superlative.get_or_insert((true, i));
                out.consumed.extend([i, i + 1]);
            }
        }
        word @ ("sorted" | "ordered" | "order" | "sort") => {
            let key = if next == "by" { i + 2 } else { i + 1 };
            let descending = q
                .words
                .iter()
                .any(|x| matches!(x.as_str(), "descending" | "desc" | "decreasing"));
            out.order = Some((descending, key));
            if word != "order" || next == "by" || next == "of" {
                explicit_order.get_or_insert(i);
            }
            out.consumed.push(i);
        }
        "alphabetical" | "alphabetically" => {
            out.order.get_or_insert((false, i));
        }
        _ => {}
    }
}

/// The first aggregate asked is the question's; other kinds asked after it
/// are kept too.
pub(super) fn add_aggregate(out: &mut Intent, aggregate: Aggregate, at: usize) {
    match out.aggregate {
        None => out.aggregate = Some((aggregate, at)),
        // "the number and average age": a count, then another kind right
        // after it.
        Some((first, first_at))
            if first != aggregate && (first != Aggregate::Count || at == first_at + 2) =>
        {
            if !out.more_aggregates.iter().any(|(a, _)| *a == aggregate) {
                out.more_aggregates.push((aggregate, at));
            }
        }
        Some(_) => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_aggregates_limits_and_comparisons() {
        let i = intent(&Question::new("How many singers are older than 30?"));
        assert_eq!(i.aggregate.map(|a| a.0), Some(Aggregate::Count));
        assert_eq!(i.comparisons[0].operator, ">");
        assert_eq!(i.comparisons[0].number, "30");
        let i = intent(&Question::new("Top 5 films by rental rate"));
        assert_eq!(i.limit, Some(5));
        let i = intent(&Question::new("Which customer has the highest balance?"));
        assert_eq!((i.superlative.map(|s| s.0), i.limit), (Some(true), Some(1)));
        let i = intent(&Question::new("payments made in 2005"));
        assert!(i.comparisons[0].is_year);
        // A number before a superlative keeps that many rows, and is no
        // comparison.
        let i = intent(&Question::new("names of the three lowest paid employees"));
        assert_eq!(
            (i.superlative.map(|s| s.0), i.limit),
            (Some(false), Some(3))
        );
        assert!(i.comparisons.is_empty(), "{:?}", i.comparisons);
        // One comparison in "less than or equal to".
        let i = intent(&Question::new(
            "products with a price less than or equal to 200",
        ));
        assert_eq!(i.comparisons.len(), 1, "{:?}", i.comparisons);
        assert_eq!(i.comparisons[0].operator, "<=");
        // "the number and average": both.
        let i = intent(&Question::new("the number and average age of students"));
        assert_eq!(i.aggregate.map(|a| a.0), Some(Aggregate::Count));
        let more: Vec<Aggregate> = i.more_aggregates.iter().map(|a| a.0).collect();
        assert_eq!(more, vec![Aggregate::Avg]);
        // "or younger", and decimals kept whole.
        let i = intent(&Question::new(
            "artists aged 25 or younger with points above 57.5",
        ));
        let read: Vec<(&str, &str)> = i
            .comparisons
            .iter()
            .map(|c| (c.operator, c.number.as_str()))
            .collect();
        assert_eq!(read, vec![("<=", "25"), (">", "57.5")]);
    }

    #[test]
    fn recognises_metadata_questions() {
        assert_eq!(
            meta_question(&Question::new("list all tables"), false),
            Some(MetaQuestion::Tables)
        );
        assert_eq!(
            meta_question(&Question::new("What schemas are there?"), false),
            Some(MetaQuestion::Schemas)
        );
        assert_eq!(
            meta_question(&Question::new("what columns does film have"), true),
            Some(MetaQuestion::Columns)
        );
        assert_eq!(
            meta_question(&Question::new("which tables reference customer"), true),
            Some(MetaQuestion::References)
        );
        assert!(matches!(
            meta_question(&Question::new("what changed since yesterday"), false),
            Some(MetaQuestion::Changes(_))
        ));
        assert_eq!(
            meta_question(&Question::new("How many orders per customer"), true),
            None
        );
    }
}
