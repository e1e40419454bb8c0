//! Columns a phrase implies without naming them: "full names", "the ids
//! of employees", "the name of the shop", "all the information about X",
//! and the rows "which"/"who" asks for.

use super::super::columns::name_column;
use super::super::text::identifier_words;
use super::scope::Scope;
use super::select_list::ScoredColumn;

/// "the ids of employees", "employee ids", "the name of the shop": the
/// primary key (or the name column) of the table named next to the word,
/// where no column the question names took it.
pub(super) fn named_next_to_a_table(
    scope: &Scope,
    asked: &[&ScoredColumn],
) -> Vec<(usize, Vec<(usize, usize)>)> {
    let words = &scope.question().words;
    let model = scope.model();
    let taken = |p: usize| asked.iter().any(|(_, e)| e.name_positions.contains(&p));
    let table_near = |p: usize| {
        // "the id and name of the employee": the word after "and" shares
        // the table named after it.
        let start = if words.get(p + 1).is_some_and(|w| w == "and") {
            p + 3
        } else {
            p + 1
        };
        let after = (start..(start + 4).min(words.len()))
            .take_while(|&k| {
                k == start
                    || matches!(
                        words[k - 1].as_str(),
                        "of" | "the" | "all" | "each" | "every" | "for"
                    )
            })
            .find_map(|k| scope.cands.table_named_at(k, scope.tables));
        after.or_else(|| {
            p.checked_sub(1)
                .and_then(|k| scope.cands.table_named_at(k, scope.tables))
        })
    };
    let column_for = |p: usize, t: usize| match words[p].as_str() {
        "id" | "ids" => {
            let key = model.tables[t].primary_key.first()?;
            model.tables[t].columns.iter().position(|c| &c.name == key)
        }
        "name" | "names" => name_column(model, t),
        _ => None,
    };
    (0..words.len())
        .filter(|&p| !taken(p))
        .filter_map(|p| {
            let t = table_near(p).filter(|t| scope.usable.contains(t))?;
            Some((p, vec![(t, column_for(p, t)?)]))
        })
        .collect()
}

/// "Which department ...", "Who ...", "What film ...": the question asks
/// for rows of a table, which its name column shows.
pub(super) fn asks_which_rows(scope: &Scope) -> bool {
    let words = &scope.question().words;
    match words.first().map(String::as_str) {
        Some("which" | "who") => true,
        Some("what") => scope.cands.table_named_at(1, scope.tables).is_some(),
        _ => false,
    }
}

/// "all the information about people", "all details of the order": the
/// whole rows.
pub(super) fn asks_everything(scope: &Scope) -> bool {
    let words = &scope.question().words;
    words.iter().enumerate().any(|(k, w)| {
        matches!(
            w.as_str(),
            "information" | "info" | "details" | "everything"
        ) && (k.saturating_sub(2)..k).any(|j| words[j] == "all")
    })
}

/// "full names", "first names", "last name": the first and last name
/// columns of the first plan table that has them (customer_first_name,
/// fname), where the question asks for them and no column it names took
/// the words.
pub(super) fn name_parts(
    scope: &Scope,
    asked: &[&ScoredColumn],
) -> Vec<(usize, Vec<(usize, usize)>)> {
    const FIRST: (&[&str], &[&str]) = (&["first", "given"], &["fname", "firstname", "forename"]);
    const LAST: (&[&str], &[&str]) = (&["last", "family"], &["lname", "lastname", "surname"]);
    let words = &scope.question().words;
    let taken = |p: usize| asked.iter().any(|(_, e)| e.name_positions.contains(&p));
    let part = |t: usize, (marks, whole): (&[&str], &[&str])| {
        scope.model().tables[t].columns.iter().position(|c| {
            let ws = identifier_words(&c.name);
            ws.iter().any(|w| whole.contains(&w.as_str()))
                || ws.iter().any(|w| w == "name") && ws.iter().any(|w| marks.contains(&w.as_str()))
        })
    };
    let columns = |parts: &[(&[&str], &[&str])]| {
        scope.tables.iter().find_map(|&t| {
            parts
                .iter()
                .map(|&p| part(t, p).map(|c| (t, c)))
                .collect::<Option<Vec<_>>>()
        })
    };
    let word = |k: usize| words.get(k).map_or("", String::as_str);
    let is_name = |k: usize| matches!(word(k), "name" | "names");
    (0..words.len())
        .filter_map(|p| {
            let parts: &[(&[&str], &[&str])] = match (word(p), word(p + 1)) {
                ("full", _) if is_name(p + 1) => &[FIRST, LAST],
                // "the first and last name": both, whatever took "last name".
                ("first", "and") if word(p + 2) == "last" && is_name(p + 3) => &[FIRST, LAST],
                ("first", _) if is_name(p + 1) && !taken(p) && !taken(p + 1) => &[FIRST],
                ("last", _) if is_name(p + 1) && !taken(p) && !taken(p + 1) => &[LAST],
                _ => return None,
            };
            columns(parts).map(|cols| (p, cols))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use crate::planning::fixtures::{model_of, poker, shop};
    use crate::planning::plan::{make_plan, DEFAULT_MAX_TABLES};
    use serde_json::json;

    #[test]
    fn first_and_last_name_asks_for_both() {
        let model = model_of(json!({
            "tables": [
                {"schema": "public", "name": "student", "kind": "table", "comment": null,
                 "primary_key": ["stuid"],
                 "columns": [{"name": "stuid", "type": "integer", "comment": null},
                             {"name": "lname", "type": "text", "comment": null},
                             {"name": "fname", "type": "text", "comment": null},
                             {"name": "age", "type": "integer", "comment": null}]}
            ],
            "foreign_keys": [], "values": [], "synonyms": []
        }));
        let plan = make_plan(
            &model,
            "first and last name of students older than 20",
            DEFAULT_MAX_TABLES,
        );
        assert_eq!(plan.select, vec!["student.fname", "student.lname"]);
    }

    #[test]
    fn full_names_and_whole_rows() {
        let model = model_of(json!({
            "tables": [
                {"schema": "public", "name": "employees", "kind": "table", "comment": null,
                 "primary_key": ["employee_id"],
                 "columns": [{"name": "employee_id", "type": "integer", "comment": null},
                             {"name": "first_name", "type": "text", "comment": null},
                             {"name": "last_name", "type": "text", "comment": null},
                             {"name": "salary", "type": "integer", "comment": null}]}
            ],
            "foreign_keys": [], "values": [], "synonyms": []
        }));
        let plan = make_plan(
            &model,
            "full names and salary of employees",
            DEFAULT_MAX_TABLES,
        );
        assert_eq!(
            plan.select,
            vec![
                "employees.first_name",
                "employees.last_name",
                "employees.salary"
            ]
        );
        let plan = make_plan(
            &model,
            "all the information about employees",
            DEFAULT_MAX_TABLES,
        );
        assert_eq!(plan.select, vec!["employees.*"]);
    }

    #[test]
    fn a_word_coordinated_before_a_table_shares_it() {
        let model = model_of(json!({
            "tables": [
                {"schema": "public", "name": "employee", "kind": "table", "comment": null,
                 "primary_key": ["eid"],
                 "columns": [{"name": "eid", "type": "integer", "comment": null},
                             {"name": "name", "type": "text", "comment": null},
                             {"name": "salary", "type": "integer", "comment": null}]}
            ],
            "foreign_keys": [], "values": [], "synonyms": []
        }));
        let plan = make_plan(
            &model,
            "the id and name of the employee with the highest salary",
            DEFAULT_MAX_TABLES,
        );
        assert_eq!(plan.select, vec!["employee.eid", "employee.name"]);
    }

    #[test]
    fn ids_for_all_rows_are_their_primary_key() {
        let plan = make_plan(&shop(), "show ids for all products", DEFAULT_MAX_TABLES);
        assert_eq!(plan.select, vec!["products.id"]);
    }

    #[test]
    fn ids_are_the_primary_key_of_the_table_named_next() {
        let model = poker();
        let plan = make_plan(
            &model,
            "ids and names of people taller than 190",
            DEFAULT_MAX_TABLES,
        );
        assert_eq!(plan.select, vec!["people.people_id", "people.name"]);
    }

    #[test]
    fn the_name_of_a_table_named_next_is_its_name_column() {
        let model = model_of(json!({
            "tables": [
                {"schema": "public", "name": "shop", "kind": "table", "comment": null,
                 "primary_key": ["shop_id"],
                 "columns": [{"name": "shop_id", "type": "integer", "comment": null},
                             {"name": "shop_name", "type": "text", "comment": null},
                             {"name": "total_points", "type": "integer", "comment": null},
                             {"name": "open_year", "type": "integer", "comment": null}]}
            ],
            "foreign_keys": [], "values": [], "synonyms": []
        }));
        let plan = make_plan(
            &model,
            "the name of the shop with the latest open year",
            DEFAULT_MAX_TABLES,
        );
        assert_eq!(plan.select, vec!["shop.shop_name"]);
        // "total" begins a column's name: no sum.
        let plan = make_plan(
            &model,
            "total points of shops in decreasing order of open year",
            DEFAULT_MAX_TABLES,
        );
        assert!(plan.aggregations.is_empty(), "{:?}", plan.aggregations);
        assert_eq!(plan.select, vec!["shop.total_points"]);
        assert_eq!(plan.order_by, vec!["shop.open_year DESC"]);
        // A number no column is named for is not compared with the key.
        let plan = make_plan(&model, "shops with more than 1000", DEFAULT_MAX_TABLES);
        assert!(!plan.sql.contains("shop_id >"), "{}", plan.sql);
    }

    #[test]
    fn which_rows_show_their_name_not_the_superlatives_column() {
        let model = poker();
        let plan = make_plan(
            &model,
            "Which people have the highest height?",
            DEFAULT_MAX_TABLES,
        );
        assert_eq!(plan.order_by, vec!["people.height DESC"]);
        assert_eq!(plan.select, vec!["people.name"]);
        let plan = make_plan(&model, "the highest height of people", DEFAULT_MAX_TABLES);
        assert_eq!(plan.select, vec!["people.height"]);
    }

    #[test]
    fn first_and_last_names_behind_a_table_prefix() {
        let model = model_of(json!({
            "tables": [
                {"schema": "public", "name": "customers", "kind": "table", "comment": null,
                 "primary_key": ["customer_id"],
                 "columns": [{"name": "customer_id", "type": "integer", "comment": null},
                             {"name": "customer_first_name", "type": "text", "comment": null},
                             {"name": "customer_last_name", "type": "text", "comment": null},
                             {"name": "customer_phone", "type": "text", "comment": null}]}
            ],
            "foreign_keys": [], "values": [], "synonyms": []
        }));
        let plan = make_plan(
            &model,
            "first names, last names and phones of all customers",
            DEFAULT_MAX_TABLES,
        );
        assert_eq!(
            plan.select,
            vec![
                "customers.customer_first_name",
                "customers.customer_last_name",
                "customers.customer_phone"
            ]
        );
    }
}
