//! Comparisons with numbers in a question: "more than 3", "at least 18",
//! "above age 20", "4 or more", "between 10 and 20", "in the last 7
//! days", "before 2005", and numbers with no comparative word ("in grade
//! 10"), read word by word for the intent.

use super::link::Question;

/// A comparison with a number: "more than 3", "at least 18", "before 2005".
#[derive(Debug, Clone, PartialEq)]
pub struct Comparison {
    pub operator: &'static str,
    pub number: String,
    /// Word position of the number.
    pub at: usize,
    pub is_year: bool,
    /// A window back from today ("in the last 7 days"): `number` holds the
    /// SQL of its start, compared with a date column.
    pub within: bool,
    /// Where a counted noun would start ("more than 3 models", "4 or more
    /// students").
    pub noun_at: usize,
    /// A number with no comparative word ("in grade 10", "born in 1948 or
    /// 1949"): equality, and only with a column named just before it.
    pub bare: bool,
}

pub(super) fn number_at(q: &Question, at: usize) -> Option<String> {
    let w = q.words.get(at)?;
    if q.decimal_points.contains(&at) {
        return Some(format!("{w}.{}", q.words.get(at + 1)?));
    }
    if w.parse::<f64>().is_ok() {
        return Some(w.clone());
    }
    const SMALL: &[&str] = &[
        "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    ];
    if let Some(n) = SMALL.iter().position(|s| s == w) {
        return Some(n.to_string());
    }
    ROW_COUNTS
        .iter()
        .position(|s| s == w)
        .map(|n| (n + 1).to_string())
}

/// Numbers of occasions ("more than twice"): counts of rows.
pub const ROW_COUNTS: &[&str] = &["once", "twice", "thrice"];

fn is_year(number: &str) -> bool {
    number.len() == 4
        && number
            .parse::<u32>()
            .is_ok_and(|y| (1800..=2100).contains(&y))
}

/// The word at position `i`, or "" past either end.
pub(super) fn word_at(q: &Question, i: usize) -> &str {
    q.words.get(i).map(String::as_str).unwrap_or("")
}

/// The operator of a comparison that ends right before word `i` ("older
/// than [the] average", "above [the] average").
pub(super) fn comparative_before(q: &Question, i: usize) -> Option<&'static str> {
    let w = |k: usize| q.words.get(k).map(String::as_str).unwrap_or("");
    let back = if w(i.wrapping_sub(1)) == "the" { 2 } else { 1 };
    let (a, b) = (w(i.wrapping_sub(back + 1)), w(i.wrapping_sub(back)));
    match (a, b) {
        (
            "more" | "greater" | "larger" | "higher" | "older" | "bigger" | "longer" | "taller",
            "than",
        ) => Some(">"),
        ("less" | "fewer" | "smaller" | "lower" | "younger" | "shorter", "than") => Some("<"),
        (_, "above" | "over" | "exceeding") => Some(">"),
        (_, "below" | "under") => Some("<"),
        _ => None,
    }
}

/// A comparison phrase starting at word `i`.
pub(super) fn comparison(q: &Question, i: usize) -> Option<Comparison> {
    let w = |k: usize| q.words.get(k).map(String::as_str).unwrap_or("");
    if w(i) == "between" && w(i + 2) == "and" {
        let (low, high) = (number_at(q, i + 1)?, number_at(q, i + 3)?);
        return Some(Comparison {
            operator: "BETWEEN",
            is_year: is_year(&low) && is_year(&high),
            number: format!("{low} AND {high}"),
            at: i + 3,
            within: false,
            noun_at: i + 4,
            bare: false,
        });
    }
    if matches!(w(i), "last" | "past") {
        let unit = match w(i + 2) {
            "day" | "days" => "days",
            "week" | "weeks" => "weeks",
            "month" | "months" => "months",
            "year" | "years" => "years",
            _ => "",
        };
        let count = number_at(q, i + 1).filter(|n| n.parse::<u32>().is_ok());
        if let (Some(count), false) = (count, unit.is_empty()) {
            return Some(Comparison {
                operator: ">=",
                number: format!("CURRENT_DATE - INTERVAL '{count} {unit}'"),
                at: i + 2,
                is_year: false,
                within: true,
                noun_at: i + 3,
                bare: false,
            });
        }
    }
    if let Some(cmp) = number_or_more(q, i) {
        return Some(cmp);
    }
    let or_equal = w(i + 2) == "or" && w(i + 3) == "equal" && w(i + 4) == "to";
    let (operator, skip) = match (w(i), w(i + 1), w(i + 2)) {
        ("more" | "greater" | "larger" | "higher" | "bigger", "than", _) if or_equal => (">=", 5),
        ("less" | "fewer" | "smaller" | "lower", "than", _) if or_equal => ("<=", 5),
        ("more" | "greater" | "larger" | "higher" | "older" | "bigger" | "longer", "than", _) => {
            (">", 2)
        }
        ("less" | "fewer" | "smaller" | "lower" | "younger" | "shorter", "than", _) => ("<", 2),
        ("at", "least", _) => (">=", 2),
        ("at", "most", _) => ("<=", 2),
        ("over" | "above" | "exceeding" | "after" | "since", _, _) => (">", 1),
        ("under" | "below" | "before", _, _) => ("<", 1),
        ("equal", "to", _) | ("exactly", _, _) => ("=", if w(i) == "equal" { 2 } else { 1 }),
        ("in" | "during", _, _) if number_at(q, i + 1).is_some_and(|n| is_year(&n)) => ("=", 1),
        _ => return None,
    };
    let at = number_after(q, i + skip)?;
    let number = number_at(q, at)?;
    let is_year = is_year(&number);
    Some(Comparison {
        operator,
        number,
        at,
        is_year,
        within: false,
        noun_at: at + 1,
        bare: false,
    })
}

/// "4 or more students", "3 or fewer": the number comes first.
fn number_or_more(q: &Question, i: usize) -> Option<Comparison> {
    let operator = match (word_at(q, i + 1), word_at(q, i + 2)) {
        (
            "or",
            "more" | "greater" | "higher" | "above" | "over" | "older" | "later" | "larger"
            | "bigger" | "longer",
        ) => ">=",
        (
            "or",
            "less" | "fewer" | "lower" | "below" | "under" | "younger" | "earlier" | "smaller"
            | "shorter",
        ) => "<=",
        _ => return None,
    };
    // "above 50 or below 46": the word starts another comparison.
    if number_at(q, i + 3).is_some() || word_at(q, i + 3) == "than" {
        return None;
    }
    let number = number_at(q, i)?;
    Some(Comparison {
        operator,
        is_year: is_year(&number),
        number,
        at: i,
        within: false,
        noun_at: i + 3,
        bare: false,
    })
}

/// Numbers no other cue took ("in grade 10", "either 1948 or 1949"), as
/// equalities; whether one is about a column is for the skeleton to say.
pub(super) fn bare_numbers(q: &Question, taken: &[usize]) -> Vec<Comparison> {
    let fraction = |k: usize| {
        k.checked_sub(1)
            .is_some_and(|p| q.decimal_points.contains(&p))
    };
    (0..q.words.len())
        .filter(|&k| is_digits(word_at(q, k)) && !taken.contains(&k) && !fraction(k))
        .map(|at| Comparison {
            operator: "=",
            number: number_at(q, at).unwrap_or_else(|| q.words[at].clone()),
            at,
            is_year: is_year(&q.words[at]),
            within: false,
            noun_at: at + 1,
            bare: true,
        })
        .collect()
}

/// Words a comparison may name its column with before the number ("above
/// age 20", "after the year 2008", "under the age of 30").
const MAX_WORDS_BEFORE_NUMBER: usize = 3;

/// Words that end a comparison's reach: the number after them belongs to
/// another part of the question.
const CLAUSE_WORDS: &[&str] = &[
    "and", "or", "but", "who", "whom", "which", "that", "with", "than", "has", "have", "had", "is",
    "are", "was", "were", "top", "first", "last",
];

/// The position of the comparison's number: right at `at`, or after a few
/// words naming what is compared.
fn number_after(q: &Question, at: usize) -> Option<usize> {
    (at..at + MAX_WORDS_BEFORE_NUMBER + 1)
        .take_while(|&k| {
            k == at || !CLAUSE_WORDS.contains(&word_at(q, k - 1)) && number_at(q, k - 1).is_none()
        })
        .find(|&k| number_at(q, k).is_some() && (k == at || is_digits(word_at(q, k))))
}

fn is_digits(word: &str) -> bool {
    word.parse::<f64>().is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_after_a_column_name_or_before_or_more() {
        let q = Question::new("singers above age 20 with 4 or more songs");
        let above = comparison(&q, 1).expect("above age 20");
        assert_eq!(
            (above.operator, above.number.as_str(), above.at),
            (">", "20", 3)
        );
        let or_more = comparison(&q, 5).expect("4 or more");
        assert_eq!((or_more.operator, or_more.noun_at), (">=", 8));
        // "or below 46" is another comparison, not "50 or below".
        let q = Question::new("managers above 50 or below 46");
        assert!(number_or_more(&q, 2).is_none());
        assert!(number_or_more(&Question::new("ages 50 or below"), 1).is_some());
        // A clause word ends the reach: "over" does not take the 5 here.
        let q = Question::new("over and 5");
        assert!(comparison(&q, 0).is_none());
        let q = Question::new("grade 9 or 10 in 2005");
        let bare: Vec<String> = bare_numbers(&q, &[5])
            .into_iter()
            .map(|c| c.number)
            .collect();
        assert_eq!(bare, vec!["9", "10"]);
    }
}
