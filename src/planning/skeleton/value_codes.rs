//! Values a column codes a word with: "female students" is `sex = 'F'`
//! where the sex column holds one-letter codes.

use super::super::columns::sql_literal;
use super::super::text::{identifier_words, words};
use super::scope::Scope;
use super::Filter;

/// Words for a sex, and the values a sex or gender column codes it with.
const SEXES: &[(&[&str], &[&str])] = &[
    (
        &[
            "female", "females", "woman", "women", "girl", "girls", "lady", "ladies",
        ],
        &["f", "female", "w", "woman"],
    ),
    (
        &[
            "male",
            "males",
            "man",
            "men",
            "boy",
            "boys",
            "gentleman",
            "gentlemen",
        ],
        &["m", "male", "man"],
    ),
];

/// The value a sex or gender column of a plan table codes a sex with:
/// one its statistics show ('Female', 'F'), else, in a column one
/// character wide, the capital initial.  The table named right after the
/// word ("male dorms") comes first.
fn sex_code(
    scope: &Scope,
    codes: &[&str],
    named_next: Option<usize>,
) -> Option<((usize, usize), String, String)> {
    let model = scope.model();
    let is_sex = |t: usize, c: usize| {
        identifier_words(&model.tables[t].columns[c].name)
            .iter()
            .any(|n| n == "sex" || n == "gender")
    };
    let seen = model
        .values
        .iter()
        .filter(|v| {
            scope.usable.contains(&v.table)
                && is_sex(v.table, v.column)
                && codes.contains(&v.value.trim().to_lowercase().as_str())
        })
        .min_by_key(|v| Some(v.table) != named_next);
    if let Some(v) = seen {
        return Some(((v.table, v.column), v.value.clone(), v.source.clone()));
    }
    let initial = codes.iter().find(|c| c.len() == 1)?.to_uppercase();
    let mut tables: Vec<usize> = scope.tables.to_vec();
    tables.sort_by_key(|&t| Some(t) != named_next);
    tables.into_iter().find_map(|t| {
        let columns = &model.tables[t].columns;
        let c =
            (0..columns.len()).find(|&c| is_sex(t, c) && columns[c].data_type.ends_with("(1)"))?;
        scope
            .usable
            .contains(&t)
            .then(|| ((t, c), initial.clone(), "naming convention".to_string()))
    })
}

/// "female students", "how many men": a column named sex or gender of a
/// plan table equals the value it codes the word with.
pub(super) fn sex_filters(scope: &Scope, filters: &mut Vec<Filter>) {
    let q = scope.question();
    // "contains the word 'man'" quotes a text, not a sex.
    let quoted: Vec<String> = q.quoted.iter().flat_map(|t| words(t)).collect();
    for (at, word) in q.words.iter().enumerate() {
        let Some((_, codes)) = SEXES
            .iter()
            .find(|(words, _)| words.contains(&word.as_str()))
        else {
            continue;
        };
        if quoted.contains(word) {
            continue;
        }
        let named_next = scope.cands.table_named_at(at + 1, scope.tables);
        let Some(((t, c), value, source)) = sex_code(scope, codes, named_next) else {
            continue;
        };
        let column = scope.column_ref(t, c);
        if filters.iter().any(|f| f.column == column) {
            continue;
        }
        filters.push(Filter {
            column,
            operator: "=",
            literal: sql_literal(&value),
            value,
            source,
            at: Some(at),
            or_next: false,
        });
    }
}

#[cfg(test)]
mod tests {
    use crate::planning::fixtures::assert_sql_contains;
    use crate::planning::plan::{make_plan, DEFAULT_MAX_TABLES};

    #[test]
    fn a_sex_word_equals_the_code_of_a_sex_column() {
        let student = |sex_type: &str, values: serde_json::Value| {
            crate::planning::fixtures::model_of(serde_json::json!({
                "tables": [
                    {"schema": "public", "name": "student", "kind": "table", "comment": null,
                     "primary_key": ["stuid"],
                     "columns": [{"name": "stuid", "type": "integer", "comment": null},
                                 {"name": "sex", "type": sex_type, "comment": null},
                                 {"name": "email", "type": "text", "comment": null},
                                 {"name": "age", "type": "integer", "comment": null}]}
                ],
                "foreign_keys": [], "values": values, "synonyms": []
            }))
        };
        let one_wide = student("character varying(1)", serde_json::json!([]));
        assert_sql_contains(
            &one_wide,
            "average age of girl students",
            "WHERE student.sex = 'F'",
        );
        let spelled = student(
            "text",
            serde_json::json!([{"schema": "public", "table": "student", "column": "sex",
                                "value": "Male", "source": "pg_stats"}]),
        );
        assert_sql_contains(
            &spelled,
            "how many male students",
            "WHERE student.sex = 'Male'",
        );
        // Unknown codes, or a quoted word, give no filter.
        let plan = make_plan(&spelled, "how many female students", DEFAULT_MAX_TABLES);
        assert!(!plan.sql.contains("WHERE"), "{}", plan.sql);
        let plan = make_plan(
            &one_wide,
            "students whose email contains the word 'man'",
            DEFAULT_MAX_TABLES,
        );
        assert!(!plan.sql.contains("sex"), "{}", plan.sql);
    }
}
