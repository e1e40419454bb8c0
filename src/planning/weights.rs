//! The scores of links and selections.  They are fit on the public tuning
//! pool (Spider train), not set by hand: `scripts/train_weights.sh`
//! searches them and writes `weights.json`, which the library ships.  A
//! session may try others through the `planner_meta.weights` setting (a
//! JSON object of the weights to change), which is how the search runs.

use std::cell::Cell;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use super::lexical::Relation;

const SHIPPED: &str = include_str!("weights.json");

#[derive(Debug, Clone, Copy, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Weights {
    /// Tables whose evidence is below this are not chosen.
    pub min_table_score: f64,
    /// Other tables must reach this share of the best table's score.
    pub relative_table_score: f64,
    /// A one-word name matched word for word ...
    pub name: f64,
    /// ... and each further word of a longer one.
    pub name_extra_word: f64,
    /// A name of generic words only (id, code, type, name).
    pub generic_name: f64,
    /// A synonym declared in planner_meta.synonyms or a comment directive.
    pub declared_synonym: f64,
    /// A word of a comment.
    pub comment: f64,
    /// A name matched loosely (other order, joined or similar words).
    pub loose: f64,
    /// The share of a specific column's score its table gets.
    pub column_share: f64,
    /// A value of a column found in the question, for its table ...
    pub value_table: f64,
    /// ... and for its column.
    pub value_column: f64,
    /// A name reached through the lexicon, against the same name said.
    pub lexical: f64,
    /// Lexicon links by relation, on top of their own weights.
    pub lexicon_synonym: f64,
    pub lexicon_broader: f64,
    pub lexicon_narrower: f64,
    pub lexicon_derived: f64,
    pub lexicon_inflection: f64,
}

impl Weights {
    pub fn of_relation(&self, relation: Relation) -> f64 {
        match relation {
            Relation::Synonym => self.lexicon_synonym,
            Relation::Broader => self.lexicon_broader,
            Relation::Narrower => self.lexicon_narrower,
            Relation::Derived => self.lexicon_derived,
            Relation::Inflection => self.lexicon_inflection,
        }
    }
}

thread_local! {
    /// The weights of the plan being made, when a session overrides them.
    static OVERRIDE: Cell<Option<Weights>> = const { Cell::new(None) };
}

/// The weights the library ships.
pub fn shipped() -> Weights {
    static PARSED: OnceLock<Weights> = OnceLock::new();
    *PARSED.get_or_init(|| {
        serde_json::from_str(SHIPPED).expect("the shipped weights.json is checked by a unit test")
    })
}

/// The weights in force.
pub fn current() -> Weights {
    OVERRIDE.with(Cell::get).unwrap_or_else(shipped)
}

/// The shipped weights with those a JSON object names replaced.
pub fn overridden(changes: &str) -> Result<Weights, String> {
    let changes: serde_json::Value = serde_json::from_str(changes).map_err(|e| e.to_string())?;
    let serde_json::Value::Object(changes) = changes else {
        return Err("planner_meta.weights must be a JSON object".into());
    };
    let mut all = serde_json::to_value(shipped()).map_err(|e| e.to_string())?;
    for (key, value) in changes {
        all[key] = value;
    }
    serde_json::from_value(all).map_err(|e| e.to_string())
}

/// Runs `f` with `weights` in force, then the shipped ones again.
pub fn with<T>(weights: Weights, f: impl FnOnce() -> T) -> T {
    struct Reset;
    impl Drop for Reset {
        fn drop(&mut self) {
            OVERRIDE.with(|o| o.set(None));
        }
    }
    OVERRIDE.with(|o| o.set(Some(weights)));
    let _reset = Reset;
    f()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_weights_parse_and_are_positive() {
        let w = shipped();
        let all = serde_json::to_value(w).unwrap();
        assert!(all
            .as_object()
            .unwrap()
            .values()
            .all(|v| v.as_f64().unwrap() > 0.0));
    }

    #[test]
    fn overrides_change_only_what_they_name() {
        let w = overridden(r#"{"lexical": 0.5}"#).unwrap();
        assert_eq!(w.lexical, 0.5);
        assert_eq!(w.name, shipped().name);
        assert!(overridden(r#"{"no_such_weight": 1}"#).is_err());
        assert!(overridden("[1]").is_err());
        assert!(overridden("{").is_err());
        assert_eq!(with(w, || current().lexical), 0.5);
        assert_eq!(current(), shipped());
    }
}
