//! Keeping tool output within an agent's budget.  A result that would not
//! fit is shortened where it is longest (its biggest array loses its tail,
//! then over-long strings are cut), and says so, so the agent knows to ask
//! for less or for a narrower object.

use serde_json::{json, Value};

/// About four characters a token, as `planner_meta.context()` counts.
pub const CHARS_PER_TOKEN: usize = 4;
pub const DEFAULT_MAX_TOKENS: u32 = 4000;
pub const MAX_TOKENS: u32 = 100_000;
const LONGEST_STRING_WHEN_CUT: usize = 200;

/// The value as text, at most `max_tokens` long; `{"result": ...,
/// "truncated": true, "note": ...}` when it had to be shortened.
pub fn bounded_json(value: Value, max_tokens: u32) -> String {
    let budget = max_tokens as usize * CHARS_PER_TOKEN;
    let text = value.to_string();
    if text.len() <= budget {
        return text;
    }
    let original = text.len();
    let mut value = value;
    for _ in 0..64 {
        if !halve_longest_array(&mut value) {
            break;
        }
        if wrapped(&value, original).len() <= budget {
            return wrapped(&value, original);
        }
    }
    cut_long_strings(&mut value);
    let text = wrapped(&value, original);
    if text.len() <= budget {
        return text;
    }
    json!({"result": null, "truncated": true, "original_chars": original,
           "note": "the result does not fit in max_tokens even shortened; ask for a narrower object or raise max_tokens"})
    .to_string()
}

fn wrapped(value: &Value, original: usize) -> String {
    json!({"result": value, "truncated": true, "original_chars": original,
           "note": "shortened to fit max_tokens: the longest lists lost their tails"})
    .to_string()
}

/// Halves the array with the most items anywhere in the value; false when
/// no array has more than one item left.
fn halve_longest_array(value: &mut Value) -> bool {
    let longest = longest_array_len(value);
    longest > 1 && halve_array_of_len(value, longest)
}

fn longest_array_len(value: &Value) -> usize {
    match value {
        Value::Array(items) => items
            .iter()
            .map(longest_array_len)
            .max()
            .unwrap_or(0)
            .max(items.len()),
        Value::Object(map) => map.values().map(longest_array_len).max().unwrap_or(0),
        _ => 0,
    }
}

fn halve_array_of_len(value: &mut Value, len: usize) -> bool {
    match value {
        Value::Array(items) if items.len() == len => {
            items.truncate(len / 2);
            true
        }
        Value::Array(items) => items.iter_mut().any(|v| halve_array_of_len(v, len)),
        Value::Object(map) => map.values_mut().any(|v| halve_array_of_len(v, len)),
        _ => false,
    }
}

fn cut_long_strings(value: &mut Value) {
    match value {
        Value::String(s) if s.chars().count() > LONGEST_STRING_WHEN_CUT => {
            let cut: String = s.chars().take(LONGEST_STRING_WHEN_CUT).collect();
            *s = format!("{cut}…");
        }
        Value::Array(items) => items.iter_mut().for_each(cut_long_strings),
        Value::Object(map) => map.values_mut().for_each(cut_long_strings),
        _ => {}
    }
}

/// Plain text cut at a character boundary, with a marker line when cut.
pub fn bounded_text(text: String, max_tokens: u32) -> String {
    let budget = max_tokens as usize * CHARS_PER_TOKEN;
    if text.len() <= budget {
        return text;
    }
    let mut end = budget;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!(
        "{}\n-- truncated: {} of {} characters shown",
        &text[..end],
        end,
        text.len()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_results_pass_unchanged() {
        let value = json!({"a": [1, 2, 3]});
        assert_eq!(bounded_json(value.clone(), 100), value.to_string());
    }

    #[test]
    fn the_longest_list_is_cut_and_marked() {
        let value = json!({"short": [1, 2], "long": (0..2000).collect::<Vec<_>>()});
        let text = bounded_json(value, 200);
        assert!(text.len() <= 800, "{} chars", text.len());
        let doc: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(doc["truncated"], true);
        assert_eq!(doc["result"]["short"], json!([1, 2]));
        let kept = doc["result"]["long"].as_array().unwrap();
        assert!(!kept.is_empty() && kept.len() < 2000);
        assert_eq!(kept[0], 0);
    }

    #[test]
    fn one_huge_string_is_cut_too() {
        let value = json!({"definition": "x".repeat(50_000)});
        let doc: Value = serde_json::from_str(&bounded_json(value, 100)).unwrap();
        assert_eq!(doc["truncated"], true);
        assert!(
            doc["result"]["definition"]
                .as_str()
                .unwrap()
                .chars()
                .count()
                <= 201
        );
    }

    #[test]
    fn text_is_cut_on_a_character_boundary() {
        let text = bounded_text("é".repeat(100), 10);
        assert!(text.contains("truncated"));
        assert!(text.starts_with("éé"));
    }
}
