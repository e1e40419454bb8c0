//! Grouping and aggregation: what the rows are grouped per ("for each
//! customer", a `HAVING` count, "the student with the most friends") and
//! the aggregates computed ("how many", "the average, minimum and maximum
//! age").

use super::super::candidates::named_only_by;
use super::super::columns::label_column;
use super::super::intent::Aggregate;
use super::super::text::{identifier_words, stem};
use super::aggregates::aggregations;
use super::scope::Scope;

/// The skeleton's grouping and aggregates.
#[derive(Debug, Default)]
pub struct Grouping {
    /// The columns grouped per, asked for or implied.
    pub keys: Vec<(usize, usize)>,
    pub aggregations: Vec<String>,
    /// `keys` as SQL, when something is aggregated.
    pub group_by: Vec<String>,
    /// A count only ordered by, not shown unless asked for.
    pub hidden_count: bool,
}

/// Groups per the asked key, else the `HAVING` count's key, else the key
/// a superlative over a count implies; then the aggregates.
pub fn group(
    scope: &Scope,
    counted_per: Option<Vec<(usize, usize)>>,
    having: &[String],
) -> Grouping {
    let mut keys: Vec<(usize, usize)> = asked_keys(scope);
    if let [only] = keys[..] {
        keys.extend(key_after(scope, only));
    }
    if keys.is_empty() {
        keys.extend(distinct_key(scope));
    }
    if let Some(counted_keys) = counted_per.filter(|_| keys.is_empty()) {
        keys = counted_keys;
    }
    let mut count_order = false;
    if keys.is_empty() {
        if let Some(counted_keys) = most_counted_keys(scope) {
            keys = counted_keys;
            count_order = true;
        }
    }
    let intent = scope.intent();
    let mut aggregations = aggregations(scope);
    // "each headquarter and its number of companies": a distinct count of
    // the column grouped per is 1; the rows of the group are meant.
    for key in &keys {
        let of_key = format!("count(DISTINCT {})", scope.column_ref(key.0, key.1));
        for a in aggregations.iter_mut().filter(|a| **a == of_key) {
            *a = "count(*)".into();
        }
    }
    if aggregations.is_empty() && !keys.is_empty() && intent.superlative.is_some() {
        aggregations.push("count(*)".into());
    }
    let hidden_count = count_order && !scope.question().words.iter().any(|w| w == "many");
    let group_by = if aggregations.is_empty() && having.is_empty() {
        Vec::new()
    } else {
        keys.iter().map(|&(t, c)| scope.column_ref(t, c)).collect()
    };
    Grouping {
        keys,
        aggregations,
        group_by,
        hidden_count,
    }
}

/// The table named at word `at`: first named there, else named there
/// too with the fewest words ("each account" after "account id").
fn table_named_there(scope: &Scope, at: usize) -> Option<usize> {
    scope
        .cands
        .links
        .tables
        .iter()
        .filter(|(t, e)| {
            scope.usable.contains(t) && (e.first_at == Some(at) || e.name_positions.contains(&at))
        })
        .min_by_key(|(&t, e)| {
            let words = identifier_words(&scope.model().tables[t].name).len();
            (e.first_at != Some(at), words, t)
        })
        .map(|(&t, _)| t)
}

/// "for each X", "per X", "by X": a table's label (or the columns asked
/// of it), a linked column or a column named after X.
fn asked_keys(scope: &Scope) -> Vec<(usize, usize)> {
    let Some(at) = scope.intent().group_at else {
        return Vec::new();
    };
    let by_column = scope
        .cands
        .columns
        .iter()
        .find(|(&(t, _), e)| scope.usable.contains(&t) && e.first_at == Some(at))
        .map(|(&k, _)| k);
    let table_at = table_named_there(scope, at);
    // "for each faculty rank", "each account name": the named table's
    // column named right after it.
    let by_table_column = table_at.and_then(|t| {
        scope
            .column_named_at(at + 1, |_| true)
            .filter(|&(ct, _)| ct == t)
    });
    // "the subject id, subject name and the number of courses for each
    // subject": the columns asked of the table before, else its label.
    let by_table = table_at.map(|t| {
        let asked = scope.asked_before(t, at);
        if asked.is_empty() {
            vec![(t, label_column(scope.model(), t))]
        } else {
            asked
        }
    });
    // "each student" over friend(student_id): the plan table's column
    // named after the word.
    let by_key = scope.question().stems.get(at).and_then(|word| {
        scope.tables.iter().find_map(|&t| {
            scope.model().tables[t]
                .columns
                .iter()
                .position(|c| identifier_words(&c.name).iter().any(|w| stem(w) == *word))
                .map(|c| (t, c))
        })
    });
    match (by_table_column, by_table) {
        (Some(k), _) => vec![k],
        (None, Some(keys)) => keys,
        (None, None) => by_column.or(by_key).into_iter().collect(),
    }
}

/// "for each country and airline name": a second key right after the
/// first, joined by "and".
fn key_after(scope: &Scope, (t, c): (usize, usize)) -> Option<(usize, usize)> {
    let end = scope.cands.columns.get(&(t, c))?.name_positions.last()? + 1;
    let words = &scope.question().words;
    if words.get(end).map(String::as_str) != Some("and") {
        return None;
    }
    scope
        .cands
        .columns
        .iter()
        .find(|(&(other, _), e)| {
            scope.usable.contains(&other)
                && e.first_at == Some(end + 1)
                && !named_only_by(e, &scope.table_words)
        })
        .map(|(&k, _)| k)
        .filter(|&k| k != (t, c))
}

/// "the different transaction types and how many transactions of each":
/// values listed as different before a count are what is counted per.
fn distinct_key(scope: &Scope) -> Option<(usize, usize)> {
    let intent = scope.intent();
    let (Some(at), Some((Aggregate::Count, counted_at))) = (intent.distinct_at, intent.aggregate)
    else {
        return None;
    };
    (at < counted_at)
        .then(|| scope.column_near(at + 1, |_| true))
        .flatten()
}

/// "the student with the most friends", "the record company used by the
/// greatest number of orchestras": a superlative over a count of rows,
/// per row of another plan table or per asked column.
fn most_counted_keys(scope: &Scope) -> Option<Vec<(usize, usize)>> {
    let intent = scope.intent();
    let (Some((desc, at)), None) = (intent.superlative, intent.aggregate) else {
        return None;
    };
    // "the tallest person" orders people by height; it counts nothing.
    if scope.implied_attribute(at, desc).is_some() {
        return None;
    }
    let words = &scope.question().words;
    let w = |k: usize| words.get(k).map(String::as_str).unwrap_or("");
    let number_of = w(at + 1) == "number" && w(at + 2) == "of";
    let noun_at = if number_of { at + 3 } else { at + 1 };
    // "the highest building", "the largest checking balance": a measure
    // of the rows; only "most", "fewest" and "the largest number of"
    // count them.
    if !number_of && !matches!(w(at), "most" | "fewest" | "least") {
        return None;
    }
    if FREQUENCY.contains(&w(at + 1)) {
        // An adjective comes before its noun ("the most common
        // nationality"), an adverb after its verb ("the language used most
        // often").
        let before = matches!(w(at + 1), "often" | "frequently")
            .then(|| {
                scope
                    .linked_columns(|_| true)
                    .filter_map(|(&k, e)| e.first_at.filter(|&p| p < at).map(|p| (p, k)))
                    .max()
                    .map(|(_, k)| k)
            })
            .flatten();
        let key = before.or_else(|| scope.column_near(at + 2, |_| true));
        return key.map(|k| vec![k]);
    }
    let counted = scope.cands.table_named_at(noun_at, scope.tables)?;
    scope.count_keys(counted, at)
}

/// Words after "most" or "least" that rank a column's values by how many
/// rows hold them ("the most common nationality").
const FREQUENCY: &[&str] = &["common", "frequent", "frequently", "often", "usual"];

#[cfg(test)]
mod tests {
    use crate::planning::fixtures::shop;
    use crate::planning::plan::{make_plan, DEFAULT_MAX_TABLES};

    #[test]
    fn each_table_column_and_each_table_after_its_asked_column() {
        let model = crate::planning::fixtures::model_of(serde_json::json!({
            "tables": [
                {"schema": "public", "name": "faculty", "kind": "table", "comment": null,
                 "primary_key": ["facid"],
                 "columns": [{"name": "facid", "type": "integer", "comment": null},
                             {"name": "lname", "type": "text", "comment": null},
                             {"name": "rank", "type": "text", "comment": null}]}
            ],
            "foreign_keys": [], "values": [], "synonyms": []
        }));
        let plan = make_plan(
            &model,
            "for each faculty rank, show the number of faculty members",
            DEFAULT_MAX_TABLES,
        );
        assert_eq!(plan.group_by, vec!["faculty.rank"]);
        let plan = make_plan(
            &shop(),
            "show the customer state and the number of orders for each customer",
            DEFAULT_MAX_TABLES,
        );
        assert_eq!(plan.group_by, vec!["customers.state"], "{}", plan.sql);
        let plan = make_plan(
            &shop(),
            "show the customer city, customer state and the number of orders for each customer",
            DEFAULT_MAX_TABLES,
        );
        assert_eq!(
            plan.group_by,
            vec!["customers.city", "customers.state"],
            "{}",
            plan.sql
        );
    }

    #[test]
    fn a_word_naming_two_tables_is_the_one_it_names_whole() {
        let model = crate::planning::fixtures::model_of(serde_json::json!({
            "tables": [
                {"schema": "public", "name": "customers", "kind": "table", "comment": null,
                 "primary_key": ["customer_id"],
                 "columns": [{"name": "customer_id", "type": "integer", "comment": null},
                             {"name": "customer_name", "type": "text", "comment": null}]},
                {"schema": "public", "name": "customer_policies", "kind": "table",
                 "comment": null, "primary_key": ["policy_id"],
                 "columns": [{"name": "policy_id", "type": "integer", "comment": null},
                             {"name": "customer_id", "type": "integer", "comment": null},
                             {"name": "policy_type_code", "type": "text", "comment": null}]}
            ],
            "foreign_keys": [
                {"name": "cp_fkey", "from_schema": "public", "from_table": "customer_policies",
                 "from_columns": ["customer_id"], "to_schema": "public", "to_table": "customers",
                 "to_columns": ["customer_id"], "one_to_one": false}
            ],
            "values": [], "synonyms": []
        }));
        let plan = make_plan(
            &model,
            "the policy type chosen by the most customers",
            DEFAULT_MAX_TABLES,
        );
        assert_eq!(
            plan.group_by,
            vec!["customer_policies.policy_type_code"],
            "{}",
            plan.sql
        );
    }

    #[test]
    fn the_highest_measure_of_a_named_table_counts_nothing() {
        let table = |name: &str, column: &str| {
            serde_json::json!({"schema": "public", "name": name, "kind": "table", "comment": null,
             "primary_key": ["custid"],
             "columns": [{"name": "custid", "type": "integer", "comment": null},
                         {"name": column, "type": "numeric", "comment": null}]})
        };
        let fk = |from: &str| {
            serde_json::json!({"name": format!("{from}_fkey"), "from_schema": "public",
             "from_table": from, "from_columns": ["custid"], "to_schema": "public",
             "to_table": "accounts", "to_columns": ["custid"], "one_to_one": true})
        };
        let model = crate::planning::fixtures::model_of(serde_json::json!({
            "tables": [table("accounts", "name"), table("savings", "balance"),
                       table("checking", "balance")],
            "foreign_keys": [fk("savings"), fk("checking")],
            "values": [], "synonyms": []
        }));
        let plan = make_plan(
            &model,
            "the savings balance of the account with the highest checking balance",
            DEFAULT_MAX_TABLES,
        );
        assert!(plan.group_by.is_empty(), "{}", plan.sql);
        assert_eq!(plan.order_by, vec!["checking.balance DESC"]);
        assert_eq!(plan.select, vec!["savings.balance"]);
    }

    #[test]
    fn the_most_common_value_ranks_a_column_by_count() {
        let model = shop();
        let plan = make_plan(
            &model,
            "What is the most common city of customers?",
            DEFAULT_MAX_TABLES,
        );
        assert_eq!(plan.group_by, vec!["customers.city"]);
        assert_eq!(plan.order_by, vec!["count(*) DESC"]);
        assert_eq!(plan.select, vec!["customers.city"]);
        assert_eq!(plan.limit, Some(1));
    }

    #[test]
    fn the_value_used_most_often_is_named_before_the_adverb() {
        let model = shop();
        let plan = make_plan(
            &model,
            "the city that customers live in most often",
            DEFAULT_MAX_TABLES,
        );
        assert_eq!(plan.group_by, vec!["customers.city"]);
        assert_eq!(plan.order_by, vec!["count(*) DESC"]);
    }

    #[test]
    fn a_count_per_row_groups_by_the_columns_asked_of_it() {
        let model = shop();
        let plan = make_plan(
            &model,
            "the id and city of the customer with the most orders",
            DEFAULT_MAX_TABLES,
        );
        assert_eq!(plan.group_by, vec!["customers.id", "customers.city"]);
        assert_eq!(plan.order_by, vec!["count(*) DESC"]);
    }

    #[test]
    fn a_distinct_count_of_the_grouped_column_counts_rows() {
        let model = shop();
        let plan = make_plan(
            &model,
            "different cities and the number of customers in each city",
            DEFAULT_MAX_TABLES,
        );
        assert_eq!(plan.group_by, vec!["customers.city"]);
        assert_eq!(plan.aggregations, vec!["count(*)"]);
    }

    #[test]
    fn different_values_before_a_count_are_counted_per() {
        let model = shop();
        let plan = make_plan(
            &model,
            "different cities and how many customers each has",
            DEFAULT_MAX_TABLES,
        );
        assert_eq!(plan.group_by, vec!["customers.city"]);
        assert_eq!(plan.aggregations, vec!["count(*)"]);
        let plan = make_plan(
            &model,
            "how many different cities do customers have",
            DEFAULT_MAX_TABLES,
        );
        assert!(plan.group_by.is_empty());
        assert_eq!(plan.aggregations, vec!["count(DISTINCT customers.city)"]);
    }

    #[test]
    fn two_keys_joined_by_and() {
        let model = shop();
        let plan = make_plan(
            &model,
            "number of customers for each city and state",
            DEFAULT_MAX_TABLES,
        );
        assert_eq!(plan.group_by, vec!["customers.city", "customers.state"]);
    }

    #[test]
    fn counts_per_group_and_averages() {
        let model = shop();
        let plan = make_plan(
            &model,
            "How many orders does each customer have?",
            DEFAULT_MAX_TABLES,
        );
        assert_eq!(plan.aggregations, vec!["count(*)"]);
        assert_eq!(plan.group_by, vec!["customers.name"]);
        let plan = make_plan(&model, "average total of orders", DEFAULT_MAX_TABLES);
        assert_eq!(plan.aggregations, vec!["avg(orders.total)"]);
    }

    #[test]
    fn a_number_of_rows_of_another_table_is_a_having_count() {
        let model = shop();
        let plan = make_plan(
            &model,
            "customers with at least 3 orders",
            DEFAULT_MAX_TABLES,
        );
        assert_eq!(plan.having, vec!["count(*) >= 3"]);
        assert_eq!(plan.group_by, vec!["customers.name"]);
        assert_eq!(plan.limit, None);
        // With one table, per the column asked for.
        let one = make_plan(
            &model,
            "cities with more than 2 customers",
            DEFAULT_MAX_TABLES,
        );
        assert_eq!(one.group_by, vec!["customers.city"]);
        assert_eq!(one.having, vec!["count(*) > 2"]);
        assert!(
            plan.sql
                .ends_with("GROUP BY customers.name\nHAVING count(*) >= 3"),
            "{}",
            plan.sql
        );
    }

    #[test]
    fn a_superlative_over_a_count_groups_and_orders_by_it() {
        let model = shop();
        let plan = make_plan(
            &model,
            "the customer with the most orders",
            DEFAULT_MAX_TABLES,
        );
        assert_eq!(plan.group_by, vec!["customers.name"]);
        assert_eq!(plan.order_by, vec!["count(*) DESC"]);
        assert_eq!(plan.select, vec!["customers.name"]);
        assert_eq!(plan.limit, Some(1));
        let plan = make_plan(
            &model,
            "the city with the greatest number of customers",
            DEFAULT_MAX_TABLES,
        );
        assert_eq!(plan.group_by, vec!["customers.city"]);
        assert_eq!(plan.order_by, vec!["count(*) DESC"]);
    }
}
