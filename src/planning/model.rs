//! What the planner knows of the database: the visible schema, foreign
//! keys, typical values and synonyms, plus the word index built over them
//! once per backend (see `planner_api`).

use std::collections::HashMap;

use serde::Deserialize;

use super::terms::{column_phrases, table_phrases, value_stems};
use super::text::content_stems;

#[derive(Debug, Clone, Deserialize)]
pub struct ColumnInfo {
    pub name: String,
    #[serde(rename = "type")]
    pub data_type: String,
    #[serde(default)]
    pub not_null: bool,
    pub comment: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct TableInfo {
    pub schema: String,
    pub name: String,
    pub kind: String,
    pub comment: Option<String>,
    #[serde(default)]
    pub primary_key: Vec<String>,
    pub columns: Vec<ColumnInfo>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct ForeignKey {
    pub name: String,
    pub from_schema: String,
    pub from_table: String,
    pub from_columns: Vec<String>,
    pub to_schema: String,
    pub to_table: String,
    pub to_columns: Vec<String>,
    pub one_to_one: bool,
    /// A PERIOD key: the last column pair holds ranges that overlap where
    /// rows match, the others are equal.
    #[serde(default)]
    pub is_temporal: bool,
    /// Not declared: inferred from names (see `infer`).
    #[serde(default)]
    pub inferred: bool,
}

/// A value seen in a column: from pg_stats most-common values, enum labels
/// or the value index.
#[derive(Debug, Clone, Deserialize)]
pub struct ValueInfo {
    pub schema: String,
    pub table: String,
    pub column: String,
    pub value: String,
    pub source: String,
}

/// A user synonym: a term standing for a table, a column or a value.
#[derive(Debug, Clone, Deserialize)]
pub struct Synonym {
    pub term: String,
    pub schema: Option<String>,
    pub table: Option<String>,
    pub column: Option<String>,
    pub value: Option<String>,
}

/// Everything fetched from the cache for one role, as one JSON document.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Knowledge {
    #[serde(default)]
    pub tables: Vec<TableInfo>,
    #[serde(default)]
    pub foreign_keys: Vec<ForeignKey>,
    #[serde(default)]
    pub values: Vec<ValueInfo>,
    #[serde(default)]
    pub synonyms: Vec<Synonym>,
}

/// A directive in an object's comment, e.g. `planner: synonyms=client,buyer`
/// or `planner: hide`.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Directives {
    pub hide: bool,
    pub synonyms: Vec<String>,
}

pub fn directives(comment: Option<&str>) -> Directives {
    let mut out = Directives::default();
    let Some(comment) = comment else { return out };
    for line in comment.lines() {
        let Some(rest) = line.trim().strip_prefix("planner:") else {
            continue;
        };
        for item in rest.split(';') {
            let item = item.trim();
            if item.eq_ignore_ascii_case("hide") {
                out.hide = true;
            } else if let Some(list) = item.strip_prefix("synonyms=") {
                out.synonyms.extend(
                    list.split(',')
                        .map(|s| s.trim().to_lowercase())
                        .filter(|s| !s.is_empty()),
                );
            }
        }
    }
    out
}

/// Where a word points.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Target {
    Table(usize),
    Column(usize, usize),
}

/// Why a word points there.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Via {
    Name,
    Comment,
    Synonym,
}

/// One indexed phrase: a sequence of stems standing for an object.
#[derive(Debug, Clone)]
pub struct Phrase {
    pub stems: Vec<String>,
    pub target: Target,
    pub via: Via,
}

/// A value phrase: the stems of a typical value of a column.
#[derive(Debug, Clone)]
pub struct ValuePhrase {
    pub stems: Vec<String>,
    pub table: usize,
    pub column: usize,
    pub value: String,
    pub source: String,
}

/// The linking index, built once per backend and cache position.
#[derive(Debug, Default)]
pub struct Model {
    pub tables: Vec<TableInfo>,
    pub foreign_keys: Vec<(usize, usize, ForeignKey)>,
    pub phrases: Vec<Phrase>,
    pub values: Vec<ValuePhrase>,
    /// first stem of a phrase -> phrase indexes, to scan only candidates.
    pub by_first_stem: HashMap<String, Vec<usize>>,
    pub values_by_first_stem: HashMap<String, Vec<usize>>,
    /// Any stem of a phrase, and the first letters of long stems, -> phrase
    /// indexes: the loose matching pass looks only at phrases sharing a
    /// word (or a word's beginning) with the question.
    pub by_any_stem: HashMap<String, Vec<usize>>,
    pub by_prefix: HashMap<String, Vec<usize>>,
    /// How many tables have a column of this name: a name most tables
    /// share (id, name, created_at) says nothing about which table is meant.
    pub column_name_tables: HashMap<Vec<String>, usize>,
}

/// A column name shared by more tables than this only counts where its
/// table is named too.
pub const COMMON_COLUMN_TABLES: usize = 20;

/// Length of the word beginnings indexed for similar-word matching.
pub const PREFIX_LEN: usize = 5;

/// The first `PREFIX_LEN` characters of a long enough word.
pub fn prefix_of(word: &str) -> Option<String> {
    (word.chars().count() >= PREFIX_LEN).then(|| word.chars().take(PREFIX_LEN).collect())
}

impl Model {
    pub fn build(knowledge: Knowledge) -> Self {
        Self::build_with_counts(knowledge, &HashMap::new())
    }

    /// A model of part of the database: `column_counts` says how many
    /// tables of the whole database have a column of each name, where the
    /// part alone would count too few to see the name as common.
    pub fn build_with_counts(
        knowledge: Knowledge,
        column_counts: &HashMap<Vec<String>, usize>,
    ) -> Self {
        let mut model = Model::default();
        let mut index: HashMap<(String, String), usize> = HashMap::new();
        for table in knowledge.tables {
            if directives(table.comment.as_deref()).hide {
                continue;
            }
            index.insert(
                (table.schema.clone(), table.name.clone()),
                model.tables.len(),
            );
            model.tables.push(table);
        }
        for t in 0..model.tables.len() {
            model.index_table(t);
        }
        for fk in knowledge.foreign_keys {
            let from = index.get(&(fk.from_schema.clone(), fk.from_table.clone()));
            let to = index.get(&(fk.to_schema.clone(), fk.to_table.clone()));
            if let (Some(&f), Some(&t)) = (from, to) {
                model.foreign_keys.push((f, t, fk));
            }
        }
        let inferred = super::infer::inferred_keys(&model.tables, &model.foreign_keys);
        model.foreign_keys.extend(inferred);
        for v in knowledge.values {
            let Some(&t) = index.get(&(v.schema.clone(), v.table.clone())) else {
                continue;
            };
            let Some(c) = model.tables[t]
                .columns
                .iter()
                .position(|c| c.name == v.column)
            else {
                continue;
            };
            let Some(stems) = value_stems(&v.value) else {
                continue;
            };
            model.values.push(ValuePhrase {
                stems,
                table: t,
                column: c,
                value: v.value,
                source: v.source,
            });
        }
        for s in knowledge.synonyms {
            model.index_synonym(&index, s);
        }
        model.finish();
        for (stems, &count) in column_counts {
            let local = model.column_name_tables.entry(stems.clone()).or_default();
            *local = (*local).max(count);
        }
        model
    }

    fn add(&mut self, stems: Vec<String>, target: Target, via: Via) {
        if !stems.is_empty() {
            self.phrases.push(Phrase { stems, target, via });
        }
    }

    fn index_table(&mut self, t: usize) {
        let table = &self.tables[t];
        let mut phrases: Vec<(Vec<String>, Target, Via)> =
            table_phrases(&table.name, table.comment.as_deref())
                .into_iter()
                .map(|(via, stems)| (stems, Target::Table(t), via))
                .collect();
        for (c, column) in table.columns.iter().enumerate() {
            phrases.extend(
                column_phrases(&column.name, column.comment.as_deref())
                    .into_iter()
                    .map(|(via, stems)| (stems, Target::Column(t, c), via)),
            );
        }
        for (stems, target, via) in phrases {
            self.add(stems, target, via);
        }
    }

    fn index_synonym(&mut self, index: &HashMap<(String, String), usize>, s: Synonym) {
        let (Some(schema), Some(table)) = (s.schema.clone(), s.table.clone()) else {
            return;
        };
        let Some(&t) = index.get(&(schema, table)) else {
            return;
        };
        let column = s
            .column
            .as_ref()
            .and_then(|c| self.tables[t].columns.iter().position(|x| &x.name == c));
        match (column, s.value) {
            (Some(c), Some(value)) => {
                let stems = content_stems(&s.term);
                if !stems.is_empty() {
                    self.values.push(ValuePhrase {
                        stems,
                        table: t,
                        column: c,
                        value,
                        source: "synonym".into(),
                    });
                }
            }
            (Some(c), None) => self.add(content_stems(&s.term), Target::Column(t, c), Via::Synonym),
            (None, _) => self.add(content_stems(&s.term), Target::Table(t), Via::Synonym),
        }
    }

    /// Whether a column phrase is too common to point to its table alone.
    pub fn is_common_column(&self, stems: &[String]) -> bool {
        self.column_name_tables
            .get(stems)
            .is_some_and(|&n| n > COMMON_COLUMN_TABLES)
    }

    fn finish(&mut self) {
        for p in &self.phrases {
            if matches!(p.target, Target::Column(..)) && p.via == Via::Name {
                *self.column_name_tables.entry(p.stems.clone()).or_default() += 1;
            }
        }
        for (i, p) in self.phrases.iter().enumerate() {
            let mut stems: Vec<&String> = p.stems.iter().collect();
            stems.sort();
            stems.dedup();
            for s in stems {
                self.by_any_stem.entry(s.clone()).or_default().push(i);
                if let Some(prefix) = prefix_of(s) {
                    self.by_prefix.entry(prefix).or_default().push(i);
                }
            }
            self.by_first_stem
                .entry(p.stems[0].clone())
                .or_default()
                .push(i);
        }
        for (i, v) in self.values.iter().enumerate() {
            self.values_by_first_stem
                .entry(v.stems[0].clone())
                .or_default()
                .push(i);
        }
    }

    pub fn qualified(&self, t: usize) -> String {
        let table = &self.tables[t];
        format!(
            "{}.{}",
            crate::knowledge::rows::quote_ident(&table.schema),
            crate::knowledge::rows::quote_ident(&table.name)
        )
    }

    pub fn short(&self, t: usize) -> String {
        crate::knowledge::rows::quote_ident(&self.tables[t].name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_comment_directives() {
        let d = directives(Some("people\nplanner: synonyms=client, Buyer; hide"));
        assert_eq!(
            d,
            Directives {
                hide: true,
                synonyms: vec!["client".into(), "buyer".into()]
            }
        );
        assert_eq!(directives(None), Directives::default());
    }
}
