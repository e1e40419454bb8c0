//! Rendering as SQL: the draft statement of a plan, and the statement
//! answering a metadata question from planner_meta's own views.

use super::columns::sql_literal;
use super::intent::MetaQuestion;
use super::model::Model;
use super::plan::Plan;
use super::skeleton::where_condition;
use crate::knowledge::rows::quote_ident;

/// The join condition of foreign key `fk`: `from.a = to.b AND ...`; the
/// period of a temporal key joins rows whose validity overlaps (`&&`).
pub fn on_clause(model: &Model, fk: usize) -> String {
    let (f, t, key) = &model.foreign_keys[fk];
    let pairs = key.from_columns.len().min(key.to_columns.len());
    let on: Vec<String> = key
        .from_columns
        .iter()
        .zip(&key.to_columns)
        .enumerate()
        .map(|(i, (a, b))| {
            let operator = if key.is_temporal && i + 1 == pairs {
                "&&"
            } else {
                "="
            };
            format!(
                "{}.{} {operator} {}.{}",
                model.short(*f),
                quote_ident(a),
                model.short(*t),
                quote_ident(b)
            )
        })
        .collect();
    on.join(" AND ")
}

/// The draft statement: `SELECT [DISTINCT]`, the plan's tables joined,
/// then its filters, groups, ordering and limit; empty without a table.
pub fn draft_sql(model: &Model, plan: &Plan, distinct: bool) -> String {
    let Some(&(first, _)) = plan.tables.first() else {
        return String::new();
    };
    let mut sql = format!(
        "SELECT {}{}",
        if distinct { "DISTINCT " } else { "" },
        if plan.select.is_empty() {
            "*".into()
        } else {
            plan.select.join(", ")
        }
    );
    sql += &format!(
        "\nFROM {} AS {}",
        model.qualified(first),
        model.short(first)
    );
    for j in &plan.joins {
        sql += &format!(
            "\nJOIN {} AS {} ON {}",
            model.qualified(j.right),
            model.short(j.right),
            on_clause(model, j.fk)
        );
    }
    if !plan.filters.is_empty() {
        sql += &format!("\nWHERE {}", where_condition(&plan.filters));
    }
    if !plan.group_by.is_empty() {
        sql += &format!("\nGROUP BY {}", plan.group_by.join(", "));
    }
    if !plan.having.is_empty() {
        sql += &format!("\nHAVING {}", plan.having.join(" AND "));
    }
    if !plan.order_by.is_empty() {
        sql += &format!("\nORDER BY {}", plan.order_by.join(", "));
    }
    if let Some(n) = plan.limit {
        sql += &format!("\nLIMIT {n}");
    }
    sql
}

/// The SQL answering a metadata question from planner_meta's views.
pub fn metadata_sql(model: &Model, plan: &Plan) -> String {
    let table = plan.tables.first().map(|(t, _)| &model.tables[*t]);
    let lit = |s: &str| sql_literal(s);
    match (&plan.meta, table) {
        (Some(MetaQuestion::Schemas), _) => "SELECT schema_name, owner, relations, comment FROM planner_meta.schemas()".into(),
        (Some(MetaQuestion::Columns), Some(t)) => format!(
            "SELECT c->>'name' AS column_name, c->>'type' AS data_type, c->'nullable' AS nullable, c->>'comment' AS comment\nFROM jsonb_array_elements(planner_meta.describe({})->'columns') c",
            lit(&format!("{}.{}", quote_ident(&t.schema), quote_ident(&t.name)))
        ),
        (Some(MetaQuestion::References), Some(t)) => format!(
            "SELECT from_schema, from_table, from_columns, to_columns, constraint_name\nFROM planner_meta.visible_relationships\nWHERE to_schema = {} AND to_table = {}",
            lit(&t.schema), lit(&t.name)
        ),
        (Some(MetaQuestion::Changes(window)), _) => format!(
            "SELECT at, acting_role, action, object_identity, details\nFROM planner_meta.changelog\nWHERE at > now() - interval '{window}'\nORDER BY id"
        ),
        _ => "SELECT schema_name, table_name, kind, row_estimate, comment FROM planner_meta.tables()".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::metadata_sql;
    use crate::planning::fixtures::shop;
    use crate::planning::plan::{make_plan, DEFAULT_MAX_TABLES};

    #[test]
    fn seed_question_joins_orders_and_customers_with_a_city_filter() {
        let model = shop();
        let plan = make_plan(
            &model,
            "Show me all orders from customers in New York",
            DEFAULT_MAX_TABLES,
        );
        assert!(plan
            .sql
            .contains("JOIN public.customers AS customers ON orders.customer_id = customers.id"));
        assert!(plan.sql.contains("WHERE customers.city = 'New York'"));
    }

    #[test]
    fn a_temporal_key_joins_its_periods_by_overlap() {
        let model = crate::planning::fixtures::bookings();
        assert_eq!(
            super::on_clause(&model, 0),
            "bookings.room_id = rooms.id AND bookings.booked && rooms.valid_at"
        );
        let context = crate::planning::context::render(
            &model,
            &make_plan(&model, "bookings of rooms", DEFAULT_MAX_TABLES),
            &[0, 1],
            500,
        );
        assert!(context.contains(
            "FOREIGN KEY (room_id, PERIOD booked) REFERENCES public.rooms (id, PERIOD valid_at)"
        ));
    }

    #[test]
    fn unknown_words_give_no_statement_or_a_select() {
        let model = shop();
        let plan = make_plan(&model, "'; DROP TABLE customers; --", DEFAULT_MAX_TABLES);
        assert!(plan.sql.is_empty() || plan.sql.starts_with("SELECT"));
    }

    #[test]
    fn metadata_questions_are_answered_from_planner_meta() {
        let model = shop();
        let plan = make_plan(&model, "list all tables", DEFAULT_MAX_TABLES);
        assert_eq!(plan.query_type, "metadata");
        assert!(metadata_sql(&model, &plan).contains("planner_meta.tables()"));
        let plan = make_plan(
            &model,
            "which tables reference customers",
            DEFAULT_MAX_TABLES,
        );
        assert!(metadata_sql(&model, &plan).contains("to_table = 'customers'"));
    }
}
