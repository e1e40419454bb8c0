//! Rendering: the plan assembled from the selection and the skeleton, with
//! its draft SQL, confidence and instructions, and the plan as the JSON
//! document plan() returns.

use serde_json::{json, Value};

use super::candidates::Candidates;
use super::intent::MetaQuestion;
use super::link::{unmatched, Evidence};
use super::model::Model;
use super::plan::Plan;
use super::select::Selection;
use super::skeleton::{where_condition, Filter, Skeleton};
use super::sql::{draft_sql, on_clause};
use super::text::is_stopword;
use crate::knowledge::rows::quote_ident;

/// The plan answering a question about the database itself, about the
/// best chosen table if any.
pub fn metadata_plan(cands: &Candidates, chosen: &[usize], meta: MetaQuestion) -> Plan {
    Plan {
        query_type: "metadata",
        meta: Some(meta),
        tables: chosen
            .iter()
            .take(1)
            .map(|&t| (t, cands.tables.get(&t).cloned().unwrap_or_default()))
            .collect(),
        confidence: 0.9,
        ..Plan::default()
    }
}

/// The plan of a query, with its draft SQL.
pub fn sql_plan(cands: &Candidates, selection: Selection, skeleton: Skeleton) -> Plan {
    let intent = &cands.intent;
    let consumed = intent
        .consumed
        .iter()
        .copied()
        .chain(intent.comparisons.iter().map(|c| c.at))
        .collect();
    let mut plan = Plan {
        query_type: "sql",
        tables: selection
            .tables
            .iter()
            .map(|&t| (t, selection.evidence.get(&t).cloned().unwrap_or_default()))
            .collect(),
        columns: skeleton.columns,
        joins: skeleton.joins,
        anti_joins: skeleton.anti_joins,
        filters: skeleton.filters,
        select: skeleton.select,
        aggregations: skeleton.aggregations,
        group_by: skeleton.group_by,
        having: skeleton.having,
        order_by: skeleton.order_by,
        limit: skeleton.limit,
        unmatched: unmatched(cands.question, &cands.links, &consumed),
        ..Plan::default()
    };
    let distinct = intent.distinct && plan.aggregations.is_empty();
    plan.sql = draft_sql(cands.model, &plan, distinct);
    plan.confidence = confidence(cands, &plan, &selection.unreachable);
    plan.instructions = instructions(cands.model, &plan);
    plan
}

/// How sure the plan is: the best table's strength and the share of the
/// question's words it accounts for, less when a table cannot be joined.
fn confidence(cands: &Candidates, plan: &Plan, unreachable: &[usize]) -> f64 {
    let Some((_, top)) = plan.tables.first() else {
        return 0.05;
    };
    let content = cands
        .question
        .words
        .iter()
        .filter(|w| !is_stopword(w))
        .count()
        .max(1);
    let matched = 1.0 - plan.unmatched.len() as f64 / content as f64;
    let strength = (top.score / 3.0).min(1.0);
    let penalty = if unreachable.is_empty() { 0.0 } else { 0.2 };
    ((0.15 + 0.45 * strength + 0.4 * matched - penalty).clamp(0.05, 0.99) * 100.0).round() / 100.0
}

/// The plan in words, for a reader or a language model.
fn instructions(model: &Model, plan: &Plan) -> String {
    let names: Vec<String> = plan
        .tables
        .iter()
        .map(|(t, _)| model.qualified(*t))
        .collect();
    let mut text = format!("Query {}", names.join(", "));
    if !plan.joins.is_empty() {
        text += " joined along their foreign keys";
    }
    if !plan.filters.is_empty() {
        text += ", keeping rows where ";
        text += &where_condition(&plan.filters);
    }
    if !plan.aggregations.is_empty() {
        text += &format!(", computing {}", plan.aggregations.join(", "));
        if !plan.group_by.is_empty() {
            text += &format!(" per {}", plan.group_by.join(", "));
        }
    }
    if !plan.order_by.is_empty() {
        text += &format!(", ordered by {}", plan.order_by.join(", "));
    }
    if let Some(n) = plan.limit {
        text += &format!(", first {n} rows");
    }
    text += ". Check the draft SQL against the question before running it.";
    text
}

fn reasons(e: &Evidence) -> Value {
    json!(e.reasons.iter().collect::<Vec<_>>())
}

fn score(e: &Evidence) -> f64 {
    (e.score * 100.0).round() / 100.0
}

/// Column `c` of table `t`, schema-qualified.
fn qualified_column(model: &Model, t: usize, c: usize) -> String {
    format!(
        "{}.{}",
        model.qualified(t),
        quote_ident(&model.tables[t].columns[c].name)
    )
}

/// The plan as the JSON document plan() returns (without the cache
/// position and parse check, which the server adds).
pub fn to_json(model: &Model, plan: &Plan) -> Value {
    let primary: Vec<String> = plan
        .tables
        .iter()
        .map(|(t, _)| model.tables[*t].name.clone())
        .collect();
    let relevant: Vec<String> = plan
        .columns
        .iter()
        .map(|((t, c), _)| qualified_column(model, *t, *c))
        .collect();
    json!({
        "query_type": plan.query_type,
        "primary_table_or_datasource": primary.join(" JOIN "),
        "relevant_columns": relevant,
        "filtering_conditions": where_condition(&plan.filters),
        "processing_instructions": plan.instructions,
        "tables": plan.tables.iter().map(|(t, e)| json!({
            "table": model.qualified(*t), "score": score(e), "reasons": reasons(e)})).collect::<Vec<_>>(),
        "columns": plan.columns.iter().map(|((t, c), e)| json!({
            "column": qualified_column(model, *t, *c),
            "type": model.tables[*t].columns[*c].data_type,
            "score": score(e), "reasons": reasons(e)})).collect::<Vec<_>>(),
        "joins": joins_json(model, plan),
        "filters": plan.filters.iter().map(filter_json).collect::<Vec<_>>(),
        "aggregations": plan.aggregations,
        "group_by": plan.group_by,
        "having": plan.having,
        "order_by": plan.order_by,
        "limit": plan.limit,
        "sql": plan.sql,
        "confidence": plan.confidence,
        "unmatched_terms": plan.unmatched,
    })
}

/// The joins, then the anti-joins, as JSON.
fn joins_json(model: &Model, plan: &Plan) -> Vec<Value> {
    let joins = plan.joins.iter().map(|j| {
        let (f, t, fk) = &model.foreign_keys[j.fk];
        json!({"from": model.qualified(*f), "to": model.qualified(*t), "constraint": fk.name,
               "on": on_clause(model, j.fk), "one_to_one": fk.one_to_one, "inferred": fk.inferred,
               "anti": false})
    });
    let anti_joins = plan.anti_joins.iter().map(|j| {
        // Written as NOT IN in the draft: rows of `to` without any in `from`.
        let (f, t, fk) = &model.foreign_keys[j.fk];
        json!({"from": model.qualified(*f), "to": model.qualified(*t), "constraint": fk.name,
               "on": format!("{}.{} NOT IN {}.{}", model.short(*t), quote_ident(&fk.to_columns[0]),
                             model.short(*f), quote_ident(&fk.from_columns[0])),
               "one_to_one": fk.one_to_one, "inferred": fk.inferred, "anti": true})
    });
    joins.chain(anti_joins).collect()
}

/// A filter as the plan shows it; `"or_next": true` where the next filter
/// is its alternative.
fn filter_json(f: &Filter) -> Value {
    let mut v = json!({
        "column": f.column, "operator": f.operator, "value": f.value, "source": f.source});
    if f.or_next {
        v["or_next"] = json!(true);
    }
    v
}

#[cfg(test)]
mod tests {
    use crate::planning::fixtures::shop;
    use crate::planning::plan::{make_plan, to_json, DEFAULT_MAX_TABLES};

    #[test]
    fn the_seed_question_as_json() {
        let model = shop();
        let plan = make_plan(
            &model,
            "Show me all orders from customers in New York",
            DEFAULT_MAX_TABLES,
        );
        let doc = to_json(&model, &plan);
        assert_eq!(doc["query_type"], "sql");
        assert_eq!(doc["primary_table_or_datasource"], "orders JOIN customers");
        assert_eq!(doc["filtering_conditions"], "customers.city = 'New York'");
        assert_eq!(doc["joins"][0]["on"], "orders.customer_id = customers.id");
    }

    #[test]
    fn unknown_words_give_a_low_confidence_plan() {
        let model = shop();
        let plan = make_plan(&model, "🦄 zebra quantum flux", DEFAULT_MAX_TABLES);
        assert!(plan.tables.is_empty());
        assert!(plan.confidence <= 0.1);
        assert_eq!(plan.unmatched, vec!["zebra", "quantum", "flux"]);
    }
}
