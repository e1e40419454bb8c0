//! Superlatives in a question: "the highest", "the three lowest", "the
//! top 5 oldest", "the most recent", and both extremes asked together
//! ("the lowest and highest rating").

use super::comparisons::{number_at, word_at};
use super::intent::{add_aggregate, Aggregate, Intent};
use super::link::Question;

/// Superlatives that, paired with their opposite, ask for both extremes.
const HIGH: &[&str] = &[
    "highest", "largest", "biggest", "greatest", "maximum", "oldest", "longest", "latest",
    "heaviest", "tallest",
];

const LOW: &[&str] = &[
    "lowest", "smallest", "least", "minimum", "youngest", "shortest", "earliest", "lightest",
];

/// "the lowest and highest rating": both extremes as aggregates, not the
/// row holding one.
pub(super) fn extremes_asked(q: &Question, out: &mut Intent) {
    let pair = (0..q.words.len()).find_map(|i| {
        let (a, b) = (word_at(q, i), word_at(q, i + 2));
        let opposite =
            HIGH.contains(&a) && LOW.contains(&b) || LOW.contains(&a) && HIGH.contains(&b);
        (word_at(q, i + 1) == "and" && opposite).then_some((i, HIGH.contains(&a)))
    });
    let Some((at, first_high)) = pair else {
        return;
    };
    let (first, second) = if first_high {
        (Aggregate::Max, Aggregate::Min)
    } else {
        (Aggregate::Min, Aggregate::Max)
    };
    out.superlative = None;
    add_aggregate(out, first, at);
    add_aggregate(out, second, at + 2);
}

/// A superlative adjective at word `i`: descending or ascending.
pub(super) fn superlative_cue(q: &Question, i: usize, out: &mut Intent) {
    match word_at(q, i) {
        // "at least 10" and "at most 3" are comparisons.
        "least" | "most" if word_at(q, i.wrapping_sub(1)) == "at" => {}
        "highest" | "largest" | "biggest" | "most" | "greatest" | "oldest" | "longest"
        | "latest" | "newest" | "tallest" | "heaviest" => {
            out.superlative.get_or_insert((true, i));
            out.consumed.push(i);
            counted_superlative(q, i, out);
            adjective_after(q, i, out);
        }
        "lowest" | "smallest" | "least" | "fewest" | "youngest" | "shortest" | "earliest"
        | "cheapest" | "lightest" => {
            out.superlative.get_or_insert((false, i));
            out.consumed.push(i);
            counted_superlative(q, i, out);
            adjective_after(q, i, out);
        }
        _ => {}
    }
}

/// "the top 5 oldest people", "the most recent order", "the least
/// expensive product": the adjective, right after "top N" or after "most"
/// and "least", is what the superlative is about and says its direction.
fn adjective_after(q: &Question, i: usize, out: &mut Intent) {
    let Some((_, at)) = out.superlative else {
        return;
    };
    let after_top = matches!(word_at(q, at), "top" | "first") && i == at + 2;
    let w = word_at(q, i);
    if after_top && w != "most" {
        let desc = !LOW.contains(&w);
        out.superlative = Some((desc, i));
    } else if at == i && matches!(w, "most" | "least") && GRADED.contains(&word_at(q, i + 1)) {
        out.superlative = Some((w == "most", i + 1));
        out.consumed.push(i + 1);
    }
}

/// Adjectives that "most" and "least" grade, each implying a column
/// (`skeleton::scope::implied_attribute`).
const GRADED: &[&str] = &["recent", "expensive", "costly"];

/// "the three lowest salaries", "the 5 oldest people": a number right
/// before the superlative is how many rows to keep.
fn counted_superlative(q: &Question, i: usize, out: &mut Intent) {
    let Some(n) = i.checked_sub(1).and_then(|k| number_at(q, k)) else {
        return;
    };
    if out.limit.is_none() && out.superlative.is_some_and(|(_, at)| at == i) {
        out.limit = n.parse().ok();
        out.consumed.push(i - 1);
    }
}

/// The words a column name may hold for a superlative adjective to be
/// about it, and whether a date reverses the order.
pub fn implied_names(word: &str) -> Option<(&'static [&'static str], bool)> {
    let names: (&'static [&'static str], bool) = match word {
        "oldest" | "youngest" | "older" | "younger" => (&["age", "birth", "born", "dob"], true),
        "longest" | "shortest" => (&["length", "duration", "height", "milliseconds"], false),
        "tallest" | "taller" => (&["height"], false),
        "heaviest" | "lightest" => (&["weight"], false),
        "latest" | "earliest" | "newest" | "recent" => (&["date", "time", "year"], false),
        "cheapest" | "expensive" | "costly" => (&["price", "cost", "fee"], false),
        _ => return None,
    };
    Some(names)
}
