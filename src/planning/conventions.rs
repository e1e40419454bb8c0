//! Naming conventions: the phrases an identifier is known by besides its
//! own words.  Schemas mark tables with prefixes and suffixes that no
//! question says (`tbl_customer`, `sbCustomer`, `dim_date`,
//! `orders_fact`) and shorten words in identifiers (`cust_addr`,
//! `order_qty`); a question says "customer address" and "quantity".

use super::text::{identifier_words, stem};

/// Prefix and suffix words that mark an object's kind, not its meaning.
const MARKERS: &[&str] = &[
    "dim", "fact", "lkp", "lu", "ref", "stg", "tab", "table", "tb", "tbl", "v", "view", "vw",
];

/// Abbreviations common in identifiers, and the words they stand for.
const ABBREVIATIONS: &[(&str, &str)] = &[
    ("acct", "account"),
    ("addr", "address"),
    ("amt", "amount"),
    ("avg", "average"),
    ("cat", "category"),
    ("cnt", "count"),
    ("cust", "customer"),
    ("dept", "department"),
    ("desc", "description"),
    ("dob", "birth date"),
    ("dt", "date"),
    ("emp", "employee"),
    ("fname", "first name"),
    ("img", "image"),
    ("inv", "invoice"),
    ("lname", "last name"),
    ("loc", "location"),
    ("mgr", "manager"),
    ("msg", "message"),
    ("nbr", "number"),
    ("no", "number"),
    ("num", "number"),
    ("org", "organization"),
    ("pct", "percent"),
    ("prod", "product"),
    ("qty", "quantity"),
    ("tel", "telephone"),
    ("txn", "transaction"),
    ("yr", "year"),
];

/// A short word with no vowel is an abbreviation, never a word of its own
/// (sb, tbl, t): as an identifier's first word it marks the object.
fn is_vowelless_mark(word: &str) -> bool {
    word.len() <= 3
        && word
            .chars()
            .all(|c| c.is_ascii_alphabetic() && !"aeiouy".contains(c))
}

/// Words of an identifier with a marker prefix or suffix taken off, when
/// there is one and something remains.
fn unmarked(words: &[String]) -> Option<Vec<String>> {
    if words.len() < 2 {
        return None;
    }
    let first = words[0].as_str();
    if MARKERS.contains(&first) || is_vowelless_mark(first) {
        return Some(words[1..].to_vec());
    }
    let last = words[words.len() - 1].as_str();
    MARKERS
        .contains(&last)
        .then(|| words[..words.len() - 1].to_vec())
}

/// Words of an identifier with its abbreviations spelt out, when it has any.
fn expanded(words: &[String]) -> Option<Vec<String>> {
    let mut any = false;
    let mut out = Vec::new();
    for w in words {
        match ABBREVIATIONS.binary_search_by(|(a, _)| a.cmp(&w.as_str())) {
            Ok(i) if words.len() > 1 || w.len() > 2 => {
                any = true;
                out.extend(ABBREVIATIONS[i].1.split(' ').map(str::to_string));
            }
            _ => out.push(w.clone()),
        }
    }
    any.then_some(out)
}

/// The phrases (as stems) an identifier is known by: its own words, then
/// without a marker prefix or suffix, then with abbreviations spelt out.
pub fn name_phrases(ident: &str) -> Vec<Vec<String>> {
    let words = identifier_words(ident);
    let mut forms = vec![words.clone()];
    if let Some(bare) = unmarked(&words) {
        forms.push(bare);
    }
    let spelt: Vec<Vec<String>> = forms.iter().filter_map(|f| expanded(f)).collect();
    forms.extend(spelt);
    let mut out: Vec<Vec<String>> = Vec::new();
    for form in forms {
        let stems: Vec<String> = form.iter().map(|w| stem(w)).collect();
        if !stems.is_empty() && !out.contains(&stems) {
            out.push(stems);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stems(text: &str) -> Vec<String> {
        text.split(' ').map(stem).collect()
    }

    #[test]
    fn abbreviations_are_sorted_for_binary_search() {
        assert!(ABBREVIATIONS.windows(2).all(|w| w[0].0 < w[1].0));
    }

    #[test]
    fn marker_prefixes_and_suffixes_come_off() {
        assert_eq!(
            name_phrases("tbl_customer"),
            vec![stems("tbl customer"), stems("customer")]
        );
        assert_eq!(name_phrases("sbCustomer")[1], stems("customer"));
        assert_eq!(name_phrases("t_orders")[1], stems("orders"));
        assert_eq!(name_phrases("sales_fact")[1], stems("sales"));
        assert_eq!(name_phrases("dim_date")[1], stems("date"));
        // Words that are words stay: car_makers is about car makers.
        assert_eq!(name_phrases("car_makers"), vec![stems("car makers")]);
        assert_eq!(name_phrases("customer"), vec![stems("customer")]);
    }

    #[test]
    fn abbreviations_are_spelt_out() {
        assert_eq!(
            name_phrases("cust_addr"),
            vec![stems("cust addr"), stems("customer address")]
        );
        assert_eq!(name_phrases("order_qty")[1], stems("order quantity"));
        assert_eq!(name_phrases("phone_no")[1], stems("phone number"));
        assert_eq!(name_phrases("dob")[1], stems("birth date"));
        // A lone short word is not read as an abbreviation.
        assert_eq!(name_phrases("no"), vec![stems("no")]);
        assert!(name_phrases("tblEmp").contains(&stems("employee")));
    }
}
