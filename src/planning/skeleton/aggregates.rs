//! The aggregates a question asks for: counts (of rows, of different
//! values, of different rows), sums, averages and extremes, over the
//! column nearest each aggregate word.

use super::super::columns::{is_numeric, single_key};
use super::super::intent::Aggregate;
use super::scope::Scope;

/// "the total points of gymnasts", "average attendance", "the phone
/// number of the customer": the aggregate's word is part of the name of
/// a column (total_points, phone_number), which is asked for.
fn names_a_column(scope: &Scope, at: usize) -> bool {
    scope.cands.columns.iter().any(|(&(t, _), e)| {
        let beside = e.name_positions.contains(&(at + 1))
            || at
                .checked_sub(1)
                .is_some_and(|p| e.name_positions.contains(&p));
        scope.usable.contains(&t) && e.name_positions.contains(&at) && beside
    })
}

/// "how many different instructors have taught": the rows of the table
/// named at word `at`, told apart by its one-column primary key, where no
/// column is named there or right after ("different channel owners").
fn distinct_rows_key(scope: &Scope, at: usize) -> Option<(usize, usize)> {
    let t = scope.cands.table_named_at(at, scope.tables)?;
    let column_named = |p: usize| scope.column_named_at(p, |_| true).is_some();
    if column_named(at) || column_named(at + 1) {
        return None;
    }
    let c = single_key(scope.model(), t)?;
    scope.usable.contains(&t).then_some((t, c))
}

/// The aggregates asked: the first over the column nearest its word,
/// every further kind over the same column.
pub(super) fn aggregations(scope: &Scope) -> Vec<String> {
    let intent = scope.intent();
    let Some((agg, at)) = intent.aggregate else {
        return Vec::new();
    };
    if names_a_column(scope, at) {
        return Vec::new();
    }
    let target = match agg {
        Aggregate::Count => None,
        _ => scope.column_near(at, is_numeric),
    };
    let expr = match (agg, target) {
        (Aggregate::Count, _) if intent.distinct_at.is_some_and(|d| d > at) => {
            let distinct_rows = intent
                .distinct_at
                .and_then(|d| distinct_rows_key(scope, d + 1));
            match distinct_rows.or_else(|| scope.column_near(at, |_| true)) {
                Some((t, c)) => format!("count(DISTINCT {})", scope.column_ref(t, c)),
                None => "count(*)".into(),
            }
        }
        (Aggregate::Count, _) => "count(*)".into(),
        (_, Some((t, c))) => format!("{}({})", agg.sql(), scope.column_ref(t, c)),
        (_, None) => "count(*)".into(),
    };
    let mut out = vec![expr];
    // "average, minimum and maximum age": every kind, over the column the
    // first one found.
    for &(more, more_at) in &intent.more_aggregates {
        if let Some((t, c)) = target.or_else(|| scope.column_near(more_at, is_numeric)) {
            out.push(format!("{}({})", more.sql(), scope.column_ref(t, c)));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use crate::planning::fixtures::shop;
    use crate::planning::plan::{make_plan, DEFAULT_MAX_TABLES};

    #[test]
    fn a_count_of_different_rows_counts_their_keys() {
        let plan = make_plan(
            &shop(),
            "how many different customers have orders",
            DEFAULT_MAX_TABLES,
        );
        assert_eq!(plan.aggregations, vec!["count(DISTINCT customers.id)"]);
        // "different customer cities" counts cities.
        let plan = make_plan(
            &shop(),
            "how many different customer cities are there",
            DEFAULT_MAX_TABLES,
        );
        assert_eq!(plan.aggregations, vec!["count(DISTINCT customers.city)"]);
    }

    #[test]
    fn both_extremes_are_aggregates() {
        let model = shop();
        let plan = make_plan(
            &model,
            "the lowest and highest total of orders",
            DEFAULT_MAX_TABLES,
        );
        assert_eq!(
            plan.aggregations,
            vec!["min(orders.total)", "max(orders.total)"]
        );
        assert_eq!(plan.limit, None);
    }

    #[test]
    fn counts_totals_and_several_aggregates() {
        let model = shop();
        let plan = make_plan(&model, "total number of orders", DEFAULT_MAX_TABLES);
        assert_eq!(plan.aggregations, vec!["count(*)"]);
        let plan = make_plan(
            &model,
            "the average, minimum and maximum total of orders",
            DEFAULT_MAX_TABLES,
        );
        assert_eq!(
            plan.aggregations,
            vec![
                "avg(orders.total)",
                "min(orders.total)",
                "max(orders.total)"
            ]
        );
    }
}
