//! context(question): the relevant part of the schema as compact DDL for a
//! language model's prompt, most relevant first, within a token budget.

use std::collections::BTreeSet;

use super::model::Model;
use super::plan::Plan;
use crate::knowledge::rows::quote_ident;

/// Rough tokens of a text for budgeting: about four characters a token.
pub fn estimate_tokens(text: &str) -> usize {
    text.chars().count().div_ceil(4)
}

/// Tables in order of relevance: the plan's tables, then tables one foreign
/// key away from them, then every other table with some evidence.
fn ranked_tables(model: &Model, plan: &Plan, linked: &[usize]) -> Vec<usize> {
    let mut order: Vec<usize> = plan.tables.iter().map(|(t, _)| *t).collect();
    let mut seen: BTreeSet<usize> = order.iter().copied().collect();
    let core = order.clone();
    for (f, t, _) in &model.foreign_keys {
        for (a, b) in [(f, t), (t, f)] {
            if core.contains(a) && seen.insert(*b) {
                order.push(*b);
            }
        }
    }
    for &t in linked {
        if seen.insert(t) {
            order.push(t);
        }
    }
    order
}

/// Table `t` as `CREATE TABLE` DDL, with comments, keys and typical values.
fn table_ddl(model: &Model, t: usize) -> String {
    let table = &model.tables[t];
    let mut out = String::new();
    if let Some(comment) = &table.comment {
        out += &format!("-- {}\n", comment.replace('\n', " "));
    }
    let kind = match table.kind.as_str() {
        "view" => "VIEW",
        "materialized_view" => "MATERIALIZED VIEW",
        "foreign_table" => "FOREIGN TABLE",
        _ => "TABLE",
    };
    out += &format!("CREATE {kind} {} (\n", model.qualified(t));
    let mut lines: Vec<String> = (0..table.columns.len())
        .map(|c| column_line(model, t, c))
        .collect();
    if !table.primary_key.is_empty() {
        let pk: Vec<String> = table.primary_key.iter().map(|c| quote_ident(c)).collect();
        lines.push(format!("  PRIMARY KEY ({})", pk.join(", ")));
    }
    let hints = foreign_keys(model, t, &mut lines);
    // Comments come after the comma, so each line's comment moves behind it.
    let n = lines.len();
    for (i, line) in lines.into_iter().enumerate() {
        let comma = if i + 1 < n { "," } else { "" };
        match line.split_once(" -- ") {
            Some((code, note)) => out += &format!("{code}{comma} -- {note}\n"),
            None => out += &format!("{line}{comma}\n"),
        }
    }
    out += ");\n";
    out + &hints
}

/// A column's line: name, type, NOT NULL, and a comment holding the
/// column's comment and up to three typical values.
fn column_line(model: &Model, t: usize, c: usize) -> String {
    let col = &model.tables[t].columns[c];
    let mut line = format!("  {} {}", quote_ident(&col.name), col.data_type);
    if col.not_null {
        line += " NOT NULL";
    }
    let mut notes: Vec<String> = Vec::new();
    if let Some(comment) = &col.comment {
        notes.push(comment.replace('\n', " "));
    }
    let samples: Vec<String> = model
        .values
        .iter()
        .filter(|v| v.table == t && v.column == c)
        .take(3)
        .map(|v| format!("'{}'", v.value.replace('\'', "''")))
        .collect();
    if !samples.is_empty() {
        notes.push(format!("e.g. {}", samples.join(", ")));
    }
    if !notes.is_empty() {
        line += &format!(" -- {}", notes.join("; "));
    }
    line
}

/// Adds table `t`'s declared foreign keys to `lines`; returns its inferred
/// ones as comment lines.  An inferred key is a hint for the reader, not a
/// constraint: it is written after the table.
fn foreign_keys(model: &Model, t: usize, lines: &mut Vec<String>) -> String {
    let mut hints = String::new();
    for (f, to, fk) in &model.foreign_keys {
        if *f == t {
            let from = key_columns(&fk.from_columns, fk.is_temporal);
            let target = key_columns(&fk.to_columns, fk.is_temporal);
            let (from, to, target) = (from.join(", "), model.qualified(*to), target.join(", "));
            if fk.inferred {
                hints += &format!("-- ({from}) joins {to} ({target}), inferred from names\n");
            } else {
                lines.push(format!("  FOREIGN KEY ({from}) REFERENCES {to} ({target})"));
            }
        }
    }
    hints
}

/// A key's column list as DDL writes it: `PERIOD` before a temporal key's
/// last column.
fn key_columns(columns: &[String], temporal: bool) -> Vec<String> {
    let last = columns.len().saturating_sub(1);
    columns
        .iter()
        .enumerate()
        .map(|(i, c)| {
            if temporal && i == last {
                format!("PERIOD {}", quote_ident(c))
            } else {
                quote_ident(c)
            }
        })
        .collect()
}

/// Renders the most relevant tables' DDL until `max_tokens` is reached.
pub fn render(model: &Model, plan: &Plan, linked: &[usize], max_tokens: usize) -> String {
    let mut out = String::new();
    let mut used = 0;
    for t in ranked_tables(model, plan, linked) {
        let ddl = table_ddl(model, t);
        let cost = estimate_tokens(&ddl) + 1;
        if used + cost > max_tokens {
            if out.is_empty() {
                // Not even one table fits: give as many whole lines as fit.
                for line in ddl.lines() {
                    let c = estimate_tokens(line) + 1;
                    if used + c > max_tokens {
                        break;
                    }
                    out += line;
                    out.push('\n');
                    used += c;
                }
            }
            break;
        }
        out += &ddl;
        out.push('\n');
        used += cost;
    }
    out
}
