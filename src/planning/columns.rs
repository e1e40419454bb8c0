//! What the planner reads off the schema's columns: the family of a type,
//! how a column is written in SQL, and which column names a table's rows.

use super::model::Model;
use super::text::{identifier_words, stem};
use crate::knowledge::rows::quote_ident;

/// A text as a single-quoted SQL literal.
pub fn sql_literal(value: &str) -> String {
    format!("'{}'", value.replace('\'', "''"))
}

/// Whether a column of this type holds numbers.
pub fn is_numeric(data_type: &str) -> bool {
    [
        "int", "numeric", "real", "double", "decimal", "money", "float", "serial",
    ]
    .iter()
    .any(|t| data_type.contains(t))
}

/// Whether a column of this type holds text.
pub fn is_text(data_type: &str) -> bool {
    ["text", "character", "name", "citext"]
        .iter()
        .any(|t| data_type.starts_with(t))
}

/// Whether a column of this type holds dates, times or years.
pub fn is_temporal(data_type: &str) -> bool {
    data_type.contains("date")
        || data_type.contains("timestamp")
        || data_type == "year"
        || data_type.ends_with(".year")
}

/// Column `c` of table `t` as the draft SQL writes it: `alias.column`.
pub fn column_ref(model: &Model, t: usize, c: usize) -> String {
    format!(
        "{}.{}",
        model.short(t),
        quote_ident(&model.tables[t].columns[c].name)
    )
}

/// A column naming the table's rows: name, title, something_name, or
/// one called like the table (airlines.airline).
pub fn name_column(model: &Model, t: usize) -> Option<usize> {
    let table = model.tables[t].name.to_lowercase();
    let singular = stem(&table);
    model.tables[t].columns.iter().position(|c| {
        let n = c.name.to_lowercase();
        n == "name"
            || n == "title"
            || n.ends_with("_name")
            || n.ends_with("name") && n.len() <= 12
            || (n == table || n == singular || stem(&n) == singular) && !is_numeric(&c.data_type)
    })
}

/// Whether a column identifies rows (the primary key, or a name ending in
/// id): a number in a question is rarely compared with one.
pub fn is_identifier(model: &Model, t: usize, c: usize) -> bool {
    let table = &model.tables[t];
    let name = &table.columns[c].name;
    table.primary_key.contains(name)
        || identifier_words(name).last().is_some_and(|w| w == "id")
        // pid, stuid: a letter or two and "id".
        || name.len() <= 5 && name.to_lowercase().ends_with("id")
}

/// The column of table `t`'s primary key, when the key is one column.
pub fn single_key(model: &Model, t: usize) -> Option<usize> {
    let table = &model.tables[t];
    let [key] = table.primary_key.as_slice() else {
        return None;
    };
    table.columns.iter().position(|c| &c.name == key)
}

/// A readable label column of a table: one named like name/title, else
/// its primary key, else its first column.
pub fn label_column(model: &Model, t: usize) -> usize {
    let table = &model.tables[t];
    name_column(model, t)
        .or_else(|| {
            table
                .primary_key
                .first()
                .and_then(|pk| table.columns.iter().position(|c| &c.name == pk))
        })
        .unwrap_or(0)
}
