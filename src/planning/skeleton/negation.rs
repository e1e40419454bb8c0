//! Negation: "students who do not have any friends".  A table named after
//! a negation, joined as a leaf by a key that points at the table it hangs
//! from, becomes `key NOT IN (SELECT ... FROM it)` instead of a join.

use super::super::candidates::Candidates;
use super::super::columns::sql_literal;
use super::super::joins::Join;
use super::Filter;
use crate::knowledge::rows::quote_ident;

/// A join the negation turns into a filter.
pub struct AntiJoin {
    /// Index of the join in the selection's joins.
    pub index: usize,
    pub filter: Filter,
}

/// The join to drop and the `NOT IN` filter replacing it, if the question
/// negates a leaf table of the join tree.
pub fn anti_join(cands: &Candidates, tables: &[usize], joins: &[Join]) -> Option<AntiJoin> {
    let negation = cands.intent.negation?;
    let (index, join) = joins.iter().enumerate().find(|(_, j)| {
        let mentioned_after = cands.first_mention(j.right).is_some_and(|p| p > negation);
        let leaf = !joins.iter().any(|o| o.left == j.right);
        mentioned_after && leaf && tables.first() != Some(&j.right)
    })?;
    let model = cands.model;
    let (from, to, fk) = &model.foreign_keys[join.fk];
    // The dropped table holds the key; the kept one is referenced.
    if *from != join.right || *to != join.left || fk.from_columns.len() != 1 {
        return None;
    }
    let kept = format!("{}.{}", model.short(*to), quote_ident(&fk.to_columns[0]));
    let key = quote_ident(&fk.from_columns[0]);
    let mut conditions = vec![format!("{key} IS NOT NULL")];
    conditions.extend(values_of(cands, *from));
    let subquery = format!(
        "(SELECT {key} FROM {} WHERE {})",
        model.qualified(*from),
        conditions.join(" AND ")
    );
    Some(AntiJoin {
        index,
        filter: Filter {
            column: kept,
            operator: "NOT IN",
            value: format!("no {}", model.tables[*from].name),
            literal: subquery,
            source: "question".into(),
            ..Filter::default()
        },
    })
}

/// The question's values on the negated table narrow what is excluded:
/// "channels with no cartoons directed by Ben Jones".
fn values_of(cands: &Candidates, table: usize) -> Vec<String> {
    let mut per_column: Vec<(usize, Vec<String>)> = Vec::new();
    for v in cands.links.values.iter().filter(|v| v.table == table) {
        let literal = sql_literal(&v.value);
        match per_column.iter_mut().find(|(c, _)| *c == v.column) {
            Some((_, literals)) if !literals.contains(&literal) => literals.push(literal),
            Some(_) => {}
            None => per_column.push((v.column, vec![literal])),
        }
    }
    per_column
        .into_iter()
        .map(|(c, literals)| {
            let column = quote_ident(&cands.model.tables[table].columns[c].name);
            match literals.as_slice() {
                [one] => format!("{column} = {one}"),
                many => format!("{column} IN ({})", many.join(", ")),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use crate::planning::fixtures::{assert_sql_contains, cartoons, shop};
    use crate::planning::plan::{make_plan, to_json, DEFAULT_MAX_TABLES};

    #[test]
    fn a_negated_table_becomes_not_in() {
        let model = shop();
        let plan = make_plan(&model, "customers who have no orders", DEFAULT_MAX_TABLES);
        assert!(!plan.sql.contains("JOIN"), "{}", plan.sql);
        assert!(
            plan.sql.contains(
                "WHERE customers.id NOT IN (SELECT customer_id FROM public.orders WHERE customer_id IS NOT NULL)"
            ),
            "{}",
            plan.sql
        );
        let doc = to_json(&model, &plan);
        assert_eq!(doc["joins"][0]["anti"], true);
        assert_eq!(doc["primary_table_or_datasource"], "customers JOIN orders");
        // A contraction splits into "don" and "t".
        assert_sql_contains(&model, "customers who don't have orders", "NOT IN");
    }

    #[test]
    fn the_negated_tables_values_narrow_the_subquery() {
        let model = cartoons();
        let plan = make_plan(
            &model,
            "series names of channels with no cartoons directed by Ben Jones",
            DEFAULT_MAX_TABLES,
        );
        assert!(
            plan.sql.contains(
                "WHERE channel.id NOT IN (SELECT channel_id FROM public.cartoon WHERE channel_id IS NOT NULL AND directed_by = 'Ben Jones')"
            ),
            "{}",
            plan.sql
        );
    }
}
