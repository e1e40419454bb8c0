//! The query skeleton: from the selected tables and the question's intent,
//! the parts of a query, each built by its own module in this order:
//! negation (a negated table becomes `NOT IN`), filters (numbers in
//! `filters`, written-out values and patterns in `literals`), grouping and
//! aggregates, ordering and limit, and the select items.

pub mod aggregates;
pub mod combine;
pub mod filters;
pub mod grouping;
pub mod implied;
pub mod literals;
pub mod negation;
pub mod ordering;
pub mod scope;
pub mod select_list;
pub mod shown;
pub mod value_codes;

use std::collections::BTreeSet;

use super::candidates::Candidates;
use super::joins::Join;
use super::select::Selection;
use scope::Scope;
use select_list::ScoredColumn;

/// A condition of the `WHERE` clause.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// The column (or expression of it) as the SQL writes it.
    pub column: String,
    pub operator: &'static str,
    /// What the question said: the value, number or `average`.
    pub value: String,
    /// The right-hand side as SQL.
    pub literal: String,
    /// Where the value came from: the question, or a value's source.
    pub source: String,
    /// The question's word the condition was read at.
    pub at: Option<usize>,
    /// Joined to the next filter by OR ("under 30 or with a black card").
    pub or_next: bool,
}

impl Filter {
    /// The condition as SQL.
    pub fn sql(&self) -> String {
        format!("{} {} {}", self.column, self.operator, self.literal)
    }
}

/// The filters as one condition: AND between them, OR within a run that
/// `or_next` joins, parenthesized when ANDed with more.
pub fn where_condition(filters: &[Filter]) -> String {
    let mut groups: Vec<Vec<String>> = Vec::new();
    let mut joined = false;
    for f in filters {
        match groups.last_mut() {
            Some(group) if joined => group.push(f.sql()),
            _ => groups.push(vec![f.sql()]),
        }
        joined = f.or_next;
    }
    let many = groups.len() > 1;
    groups
        .into_iter()
        .map(|g| match (g.len() > 1, many) {
            (true, true) => format!("({})", g.join(" OR ")),
            _ => g.join(" OR "),
        })
        .collect::<Vec<_>>()
        .join(" AND ")
}

/// The parts of the query, ready to be rendered.
#[derive(Debug, Default)]
pub struct Skeleton {
    pub joins: Vec<Join>,
    /// Joins turned into `NOT IN` filters ("students without friends").
    pub anti_joins: Vec<Join>,
    pub filters: Vec<Filter>,
    pub select: Vec<String>,
    pub aggregations: Vec<String>,
    pub group_by: Vec<String>,
    pub having: Vec<String>,
    pub order_by: Vec<String>,
    pub limit: Option<u64>,
    /// Columns relevant to the query, best first.
    pub columns: Vec<ScoredColumn>,
}

/// Builds the skeleton of the query over the selection.
pub fn build(cands: &Candidates, selection: &Selection) -> Skeleton {
    let mut joins = selection.joins.clone();
    let mut anti_joins = Vec::new();
    let mut usable: BTreeSet<usize> = selection.tables.iter().copied().collect();
    let mut filters = Vec::new();
    if let Some(anti) = negation::anti_join(cands, &selection.tables, &joins) {
        let join = joins.remove(anti.index);
        usable.remove(&join.right);
        anti_joins.push(join);
        filters.push(anti.filter);
    }
    let scope = Scope::new(cands, &selection.tables, usable);
    let conditions = filters::conditions(&scope, filters);
    let grouping = grouping::group(&scope, conditions.counted_per, &conditions.having);
    let ordering = ordering::order(&scope, &grouping);
    let used_joins: Vec<&Join> = joins.iter().chain(&anti_joins).collect();
    let columns =
        select_list::relevant_columns(&scope, &grouping, &used_joins, &conditions.compared);
    let select = select_list::select_items(
        &scope,
        &columns,
        &grouping,
        &conditions.having,
        &conditions.filters,
        &ordering.order_by,
        &used_joins,
    );
    let mut group_by = grouping.group_by;
    let mut having = conditions.having;
    if let Some(all) = conditions.related_to_all {
        // Grouped per row shown, each keeping only the rows related to
        // every value: what INTERSECT of one query per value returns.
        let plain = |s: &String| !s.contains('(') && !s.contains('*');
        let groupable =
            group_by.is_empty() && having.is_empty() && grouping.aggregations.is_empty();
        if groupable && !select.is_empty() && select.iter().all(plain) {
            group_by = select.clone();
            having.push(all);
        }
    }
    Skeleton {
        joins,
        anti_joins,
        filters: conditions.filters,
        select,
        aggregations: grouping.aggregations,
        group_by,
        having,
        order_by: ordering.order_by,
        limit: ordering.limit,
        columns,
    }
}
