//! Ordering and limit: a superlative orders by its column (or by the
//! count it is over) and keeps the first rows; an explicit ordering keeps
//! them all.

use super::super::columns::{is_numeric, is_temporal};
use super::grouping::Grouping;
use super::scope::Scope;

/// The skeleton's `ORDER BY` keys and `LIMIT`.
#[derive(Debug, Default)]
pub struct Ordering {
    pub order_by: Vec<String>,
    pub limit: Option<u64>,
}

/// Orders by the superlative's key, else by the explicit ordering's.
pub fn order(scope: &Scope, grouping: &Grouping) -> Ordering {
    let intent = scope.intent();
    let direction = |desc: bool| if desc { "DESC" } else { "ASC" };
    let mut out = Ordering::default();
    if let Some((desc, at)) = intent.superlative {
        let implied = scope.implied_attribute(at, desc);
        let desc = implied.map_or(desc, |(_, d)| d);
        let key = if !grouping.group_by.is_empty() {
            grouping.aggregations.first().cloned()
        } else if let Some(((t, c), _)) = implied {
            Some(scope.column_ref(t, c))
        } else {
            scope
                .column_near(at, |ty| is_numeric(ty) || is_temporal(ty))
                .map(|(t, c)| scope.column_ref(t, c))
        };
        // Without a key there is nothing to take the first rows of.
        if let Some(key) = key {
            out.order_by.push(format!("{key} {}", direction(desc)));
            // An aggregate word that named a column ("the phone number of
            // the customer with the most recent complaint") left one row.
            let one_row =
                (intent.aggregate.is_some() && grouping.aggregations.is_empty()).then_some(1);
            out.limit = intent.limit.or(one_row);
        }
    } else if let Some((desc, at)) = intent.order {
        let aggregate = grouping
            .aggregations
            .first()
            .filter(|_| orders_by_aggregate(scope, at))
            .cloned();
        let key = aggregate.or_else(|| {
            scope
                .column_near(at, |_| true)
                .map(|(t, c)| scope.column_ref(t, c))
        });
        if let Some(key) = key {
            out.order_by.push(format!("{key} {}", direction(desc)));
        }
        out.limit = intent.limit;
    } else {
        out.limit = intent.limit;
    }
    out
}

/// "sorted by the number of meals": an explicit ordering whose key is an
/// aggregate the query computes.
fn orders_by_aggregate(scope: &Scope, key_at: usize) -> bool {
    let words = &scope.question().words;
    let start = key_at + usize::from(words.get(key_at).is_some_and(|w| w == "the"));
    let aggregate_word = words.get(start).is_some_and(|w| {
        matches!(
            w.as_str(),
            "number" | "count" | "total" | "average" | "sum" | "amount"
        )
    });
    aggregate_word && scope.intent().aggregate.is_some_and(|(_, at)| at < key_at)
}

#[cfg(test)]
mod tests {
    use crate::planning::fixtures::{poker, shop};
    use crate::planning::plan::{make_plan, DEFAULT_MAX_TABLES};

    #[test]
    fn a_superlative_orders_and_keeps_one_row() {
        let model = shop();
        let plan = make_plan(
            &model,
            "Which order has the highest total?",
            DEFAULT_MAX_TABLES,
        );
        assert_eq!(plan.order_by, vec!["orders.total DESC"]);
        assert_eq!(plan.limit, Some(1));
    }

    #[test]
    fn an_explicit_ordering_keeps_every_row() {
        // The superlative after it gives the direction.
        let model = shop();
        let plan = make_plan(
            &model,
            "orders sorted by total from the highest to the lowest",
            DEFAULT_MAX_TABLES,
        );
        assert_eq!(plan.order_by, vec!["orders.total DESC"]);
        assert_eq!(plan.limit, None);
    }

    #[test]
    fn ordering_by_a_number_of_column_counts_nothing() {
        let model = crate::planning::fixtures::model_of(serde_json::json!({
            "tables": [
                {"schema": "public", "name": "debate", "kind": "table", "comment": null,
                 "primary_key": ["debate_id"],
                 "columns": [{"name": "debate_id", "type": "integer", "comment": null},
                             {"name": "venue", "type": "text", "comment": null},
                             {"name": "num_of_audience", "type": "integer", "comment": null}]}
            ],
            "foreign_keys": [], "values": [], "synonyms": []
        }));
        let plan = make_plan(
            &model,
            "venues of debates in ascending order of the number of audience",
            DEFAULT_MAX_TABLES,
        );
        assert!(plan.aggregations.is_empty(), "{:?}", plan.aggregations);
        assert_eq!(plan.order_by, vec!["debate.num_of_audience ASC"]);
        assert_eq!(plan.select, vec!["debate.venue"]);
    }

    #[test]
    fn graded_adjectives_and_top_n_adjectives_order() {
        let plan = make_plan(
            &shop(),
            "the customer of the most recent order",
            DEFAULT_MAX_TABLES,
        );
        assert_eq!(plan.order_by, vec!["orders.ordered_at DESC"]);
        assert_eq!(plan.limit, Some(1));
        let plan = make_plan(
            &poker(),
            "names of the top 3 tallest people",
            DEFAULT_MAX_TABLES,
        );
        assert_eq!(plan.order_by, vec!["people.height DESC"]);
        assert_eq!(plan.limit, Some(3));
    }

    #[test]
    fn an_aggregate_word_inside_a_column_name_counts_nothing() {
        let model = crate::planning::fixtures::model_of(serde_json::json!({
            "tables": [
                {"schema": "public", "name": "contacts", "kind": "table", "comment": null,
                 "primary_key": ["id"],
                 "columns": [{"name": "id", "type": "integer", "comment": null},
                             {"name": "phone_number", "type": "text", "comment": null},
                             {"name": "joined_on", "type": "date", "comment": null}]}
            ],
            "foreign_keys": [], "values": [], "synonyms": []
        }));
        let plan = make_plan(
            &model,
            "the phone number of the contact with the latest joined date",
            DEFAULT_MAX_TABLES,
        );
        assert!(plan.aggregations.is_empty(), "{}", plan.sql);
        assert_eq!(plan.select, vec!["contacts.phone_number"]);
        assert_eq!(plan.limit, Some(1));
    }

    #[test]
    fn a_column_prefixed_by_its_tables_name_is_named_by_the_rest() {
        let model = crate::planning::fixtures::model_of(serde_json::json!({
            "tables": [
                {"schema": "public", "name": "student", "kind": "table", "comment": null,
                 "primary_key": ["stu_num"],
                 "columns": [{"name": "stu_num", "type": "integer", "comment": null},
                             {"name": "stu_lname", "type": "text", "comment": null},
                             {"name": "stu_gpa", "type": "numeric", "comment": null}]}
            ],
            "foreign_keys": [], "values": [], "synonyms": []
        }));
        let plan = make_plan(
            &model,
            "the student with the lowest gpa",
            DEFAULT_MAX_TABLES,
        );
        assert_eq!(plan.order_by, vec!["student.stu_gpa ASC"]);
    }

    #[test]
    fn superlative_adjectives_imply_their_column() {
        let model = poker();
        let plan = make_plan(&model, "name of the tallest person", DEFAULT_MAX_TABLES);
        assert_eq!(plan.order_by, vec!["people.height DESC"]);
        assert_eq!(plan.limit, Some(1));
    }
}
