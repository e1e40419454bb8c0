//! Looking at the data and drawing the schema: sample() and erd().

use pgrx::pg_sys::panic::ErrorReport;
use pgrx::prelude::*;
use pgrx::JsonB;

use crate::error::PlannerError;
use crate::planning::model::Model;
use crate::spi::select_json;

/// Largest sample a caller may ask for.
const MAX_SAMPLE_ROWS: i32 = 1000;

/// The relation's quoted name and the columns the caller may SELECT, as a
/// ready select list (both rendered by PostgreSQL's own quoting).
const SAMPLE_SHAPE_SQL: &str = "\
    SELECT jsonb_build_object(
        'name', $1::regclass::text,
        'select_list', (SELECT string_agg(quote_ident(a.attname), ', ' ORDER BY a.attnum)
                          FROM pg_catalog.pg_attribute a
                         WHERE a.attrelid = $1 AND a.attnum > 0 AND NOT a.attisdropped
                           AND has_column_privilege($1, a.attnum, 'SELECT')),
        'columns', (SELECT jsonb_agg(a.attname ORDER BY a.attnum)
                      FROM pg_catalog.pg_attribute a
                     WHERE a.attrelid = $1 AND a.attnum > 0 AND NOT a.attisdropped
                       AND has_column_privilege($1, a.attnum, 'SELECT')),
        'row_estimate', (SELECT CASE WHEN c.reltuples < 0 THEN NULL ELSE c.reltuples::bigint END
                           FROM pg_catalog.pg_class c WHERE c.oid = $1))";

/// Up to `n` rows of a relation, read as the caller: table and column
/// privileges and row-level security apply (this function is not SECURITY
/// DEFINER).  Only columns the caller may SELECT are shown.
#[pg_extern(sql = "
    CREATE FUNCTION sample(rel regclass, n integer DEFAULT 10) RETURNS jsonb
    VOLATILE PARALLEL UNSAFE LANGUAGE c AS 'MODULE_PATHNAME', 'sample_wrapper';
    COMMENT ON FUNCTION sample(regclass, integer) IS
        'Up to n rows of a relation as the caller may see them: {columns, rows, row_count, row_estimate}.';
")]
fn sample(rel: Option<pg_sys::Oid>, n: Option<i32>) -> Result<JsonB, ErrorReport> {
    let rel = rel.ok_or(PlannerError::NullArgument("rel"))?;
    let n = n.ok_or(PlannerError::NullArgument("n"))?;
    if !(1..=MAX_SAMPLE_ROWS).contains(&n) {
        return Err(PlannerError::OutOfRange("n", 1, MAX_SAMPLE_ROWS).into());
    }
    crate::tracking::pending::ready_to_read()?;
    let shape = select_json(SAMPLE_SHAPE_SQL, &[rel.into()])?;
    let (Some(name), Some(select_list)) = (shape["name"].as_str(), shape["select_list"].as_str())
    else {
        return Err(PlannerError::NotVisible(format!(
            "relation {}: no column may be selected",
            shape["name"].as_str().unwrap_or("?")
        ))
        .into());
    };
    // Both pieces come from PostgreSQL's quoting of catalog names; the row
    // count is a bound parameter.
    let query = format!(
        "SELECT coalesce(jsonb_agg(to_jsonb(s)), '[]'::jsonb) FROM (SELECT {select_list} FROM {name} LIMIT $1) s"
    );
    let rows = select_json(&query, &[n.into()])?;
    let count = rows.as_array().map_or(0, Vec::len);
    Ok(JsonB(serde_json::json!({
        "relation": name,
        "columns": shape["columns"],
        "rows": rows,
        "row_count": count,
        "row_estimate": shape["row_estimate"],
    })))
}

/// Mermaid identifiers allow letters, digits, `_` and `-`.
fn mermaid_name(text: &str) -> String {
    let cleaned: String = text
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '_' || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect();
    if cleaned.is_empty() {
        "_".into()
    } else {
        cleaned
    }
}

/// The visible tables of a schema (or all) as a Mermaid erDiagram.
pub fn render_erd(model: &Model, schema: Option<&str>) -> String {
    let in_scope: Vec<usize> = (0..model.tables.len())
        .filter(|&t| schema.is_none_or(|s| model.tables[t].schema == s))
        .collect();
    let schemas: std::collections::BTreeSet<&str> = in_scope
        .iter()
        .map(|&t| model.tables[t].schema.as_str())
        .collect();
    let entity = |t: usize| {
        let table = &model.tables[t];
        if schemas.len() > 1 {
            mermaid_name(&format!("{}__{}", table.schema, table.name))
        } else {
            mermaid_name(&table.name)
        }
    };
    let mut out = String::from("erDiagram\n");
    for &t in &in_scope {
        let table = &model.tables[t];
        let fk_columns: std::collections::BTreeSet<&String> = model
            .foreign_keys
            .iter()
            .filter(|(f, _, _)| *f == t)
            .flat_map(|(_, _, fk)| fk.from_columns.iter())
            .collect();
        out += &format!("    {} {{\n", entity(t));
        for column in &table.columns {
            let mut keys = Vec::new();
            if table.primary_key.contains(&column.name) {
                keys.push("PK");
            }
            if fk_columns.contains(&column.name) {
                keys.push("FK");
            }
            out += &format!(
                "        {} {}{}\n",
                mermaid_name(&column.data_type),
                mermaid_name(&column.name),
                if keys.is_empty() {
                    String::new()
                } else {
                    format!(" {}", keys.join(","))
                }
            );
        }
        out += "    }\n";
    }
    for (f, t, fk) in &model.foreign_keys {
        if in_scope.contains(f) && in_scope.contains(t) {
            let cardinality = if fk.one_to_one { "||--o|" } else { "||--o{" };
            out += &format!(
                "    {} {} {} : \"{}\"\n",
                entity(*t),
                cardinality,
                entity(*f),
                fk.name.replace('"', "'")
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mermaid_names_are_plain() {
        assert_eq!(mermaid_name("Order Details"), "Order_Details");
        assert_eq!(mermaid_name("numeric(10,2)"), "numeric_10_2_");
        assert_eq!(mermaid_name("表"), "表");
    }
}
