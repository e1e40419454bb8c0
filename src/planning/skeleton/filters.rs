//! Filters: values found in the question, quoted text it says a column
//! contains, comparisons with numbers, years and windows back from today,
//! and comparisons with a column's own average.  A number of rows of
//! another table ("airlines with at least 10 flights") is a `HAVING` count.

use super::super::columns::{is_numeric, is_temporal, is_text, sql_literal};
use super::super::intent::Comparison;
use super::scope::Scope;
use super::Filter;
use crate::knowledge::rows::quote_ident;

/// The skeleton's conditions on rows and on groups.
#[derive(Debug, Default)]
pub struct Conditions {
    pub filters: Vec<Filter>,
    pub having: Vec<String>,
    /// What a `HAVING` count is per, when the question does not say.
    pub counted_per: Option<(usize, usize)>,
    /// Columns compared with a number: relevant to the SQL.
    pub compared: Vec<(usize, usize)>,
}

/// All conditions of the question, after `filters` (a negation's).
pub fn conditions(scope: &Scope, filters: Vec<Filter>) -> Conditions {
    let mut out = Conditions {
        filters,
        ..Conditions::default()
    };
    value_filters(scope, &mut out.filters);
    contains_filters(scope, &mut out.filters);
    for cmp in &scope.intent().comparisons {
        comparison(scope, cmp, &mut out);
    }
    above_average_filters(scope, &mut out.filters);
    out
}

/// Filters from values found in the question.
fn value_filters(scope: &Scope, filters: &mut Vec<Filter>) {
    for v in &scope.cands.links.values {
        if scope.usable.contains(&v.table) && !filters.iter().any(|f| f.value == v.value) {
            filters.push(Filter {
                column: scope.column_ref(v.table, v.column),
                operator: "=",
                value: v.value.clone(),
                literal: sql_literal(&v.value),
                source: v.source.clone(),
            });
        }
    }
}

/// "names containing 'Al'": a quoted text the question says is contained
/// becomes a case-insensitive pattern on a text column.
fn contains_filters(scope: &Scope, filters: &mut Vec<Filter>) {
    let Some(at) = scope.intent().contains_at else {
        return;
    };
    for text in &scope.question().quoted {
        if filters.iter().any(|f| f.value == *text) {
            continue;
        }
        if let Some((t, c)) = scope.column_near(at, is_text) {
            let escaped = text
                .replace('\\', "\\\\")
                .replace('%', "\\%")
                .replace('_', "\\_");
            filters.push(Filter {
                column: scope.column_ref(t, c),
                operator: "ILIKE",
                value: text.clone(),
                literal: sql_literal(&format!("%{escaped}%")),
                source: "question".into(),
            });
        }
    }
}

/// A comparison with a number: a count of another table's rows, or a
/// filter on the column it is about.
fn comparison(scope: &Scope, cmp: &Comparison, out: &mut Conditions) {
    let counted = scope.cands.table_named_at(cmp.at + 1, scope.tables);
    if let Some(key) = counted.and_then(|c| scope.count_key(c, cmp.at)) {
        out.having
            .push(format!("count(*) {} {}", cmp.operator, cmp.number));
        out.counted_per.get_or_insert(key);
        return;
    }
    let Some((t, c)) = compared_column(scope, cmp) else {
        return;
    };
    let col = scope.column_ref(t, c);
    let data_type = &scope.model().tables[t].columns[c].data_type;
    let column = if cmp.is_year && is_temporal(data_type) && !data_type.contains("year") {
        format!("EXTRACT(YEAR FROM {col})")
    } else {
        col
    };
    out.compared.push((t, c));
    out.filters.push(Filter {
        column,
        operator: cmp.operator,
        value: cmp.number.clone(),
        literal: cmp.number.clone(),
        source: "question".into(),
    });
}

/// The column a comparison is about: linked near the number, else the
/// first of a fitting type.  A year is compared with a column named like
/// one, or a date.
fn compared_column(scope: &Scope, cmp: &Comparison) -> Option<(usize, usize)> {
    let accept: &dyn Fn(&str) -> bool = if cmp.is_year || cmp.within {
        &is_temporal
    } else {
        &is_numeric
    };
    let first_where = |fits: &dyn Fn(&str, &str) -> bool| {
        scope.tables.iter().find_map(|&t| {
            scope.model().tables[t]
                .columns
                .iter()
                .position(|c| fits(&c.name, &c.data_type))
                .map(|c| (t, c))
        })
    };
    let linked = scope.column_near(cmp.at, accept);
    let linked = if cmp.is_year {
        first_where(&|name, _| name.to_lowercase().contains("year")).or(linked)
    } else {
        linked
    };
    linked.or_else(|| first_where(&|_, data_type| accept(data_type)))
}

/// "above the average age": the column against its own average.
fn above_average_filters(scope: &Scope, filters: &mut Vec<Filter>) {
    for &(operator, at) in &scope.intent().above_average {
        let implied = (at.saturating_sub(3)..at)
            .find_map(|p| scope.implied_attribute(p, true).map(|(k, _)| k));
        let Some((t, c)) = implied.or_else(|| scope.column_near(at, is_numeric)) else {
            continue;
        };
        let average = format!(
            "(SELECT avg({}) FROM {})",
            quote_ident(&scope.model().tables[t].columns[c].name),
            scope.model().qualified(t)
        );
        filters.push(Filter {
            column: scope.column_ref(t, c),
            operator,
            value: "average".into(),
            literal: average,
            source: "question".into(),
        });
    }
}

#[cfg(test)]
mod tests {
    use crate::planning::fixtures::shop;
    use crate::planning::plan::{make_plan, DEFAULT_MAX_TABLES};

    #[test]
    fn ranges_and_comparisons_with_the_average() {
        let model = shop();
        let plan = make_plan(
            &model,
            "orders with a total between 10 and 20",
            DEFAULT_MAX_TABLES,
        );
        assert!(
            plan.sql.contains("WHERE orders.total BETWEEN 10 AND 20"),
            "{}",
            plan.sql
        );
        let plan = make_plan(
            &model,
            "orders with a total above the average",
            DEFAULT_MAX_TABLES,
        );
        assert!(
            plan.sql
                .contains("WHERE orders.total > (SELECT avg(total) FROM public.orders)"),
            "{}",
            plan.sql
        );
        assert!(plan.aggregations.is_empty());
    }

    #[test]
    fn quoted_substrings_become_patterns() {
        let model = shop();
        let plan = make_plan(
            &model,
            "customers whose name contains 'Jo_'",
            DEFAULT_MAX_TABLES,
        );
        assert!(
            plan.sql.contains("WHERE customers.name ILIKE '%Jo\\_%'"),
            "{}",
            plan.sql
        );
    }

    #[test]
    fn a_window_back_from_today_compares_a_date_column() {
        let model = shop();
        let plan = make_plan(&model, "orders in the last 30 days", DEFAULT_MAX_TABLES);
        assert!(
            plan.sql
                .contains("WHERE orders.ordered_at >= CURRENT_DATE - INTERVAL '30 days'"),
            "{}",
            plan.sql
        );
    }
}
