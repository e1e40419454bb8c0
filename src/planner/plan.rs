//! Assembling a plan: choose tables, join them, pick columns, filters,
//! aggregation, ordering and limit, and draft the SQL.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{json, Value};

use super::intent::{intent, meta_question, Aggregate, Intent, MetaQuestion};
use super::joins::{connect, Join};
use super::link::{link, unmatched, Evidence, Links, Question};
use super::model::Model;
use super::text::{is_generic, stem};
use crate::rows::quote_ident;

/// Tables whose evidence is below this are not chosen.
const MIN_TABLE_SCORE: f64 = 1.2;
/// Other tables must reach this share of the best table's score.
const RELATIVE_TABLE_SCORE: f64 = 0.3;
/// Most tables a plan chooses unless the caller asks otherwise.
pub const DEFAULT_MAX_TABLES: usize = 5;

/// A plan before it is rendered as JSON.
#[derive(Debug, Default)]
pub struct Plan {
    pub query_type: &'static str,
    pub tables: Vec<(usize, Evidence)>,
    pub columns: Vec<((usize, usize), Evidence)>,
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
    pub sql: String,
    pub confidence: f64,
    pub unmatched: Vec<String>,
    pub instructions: String,
    pub meta: Option<MetaQuestion>,
}

#[derive(Debug, Clone)]
pub struct Filter {
    pub column: String,
    pub operator: &'static str,
    pub value: String,
    pub literal: String,
    pub source: String,
}

fn sql_literal(value: &str) -> String {
    format!("'{}'", value.replace('\'', "''"))
}

fn is_numeric(data_type: &str) -> bool {
    [
        "int", "numeric", "real", "double", "decimal", "money", "float", "serial",
    ]
    .iter()
    .any(|t| data_type.contains(t))
}

fn is_text(data_type: &str) -> bool {
    ["text", "character", "name", "citext"]
        .iter()
        .any(|t| data_type.starts_with(t))
}

fn is_temporal(data_type: &str) -> bool {
    data_type.contains("date")
        || data_type.contains("timestamp")
        || data_type == "year"
        || data_type.ends_with(".year")
}

struct Planner<'a> {
    model: &'a Model,
    q: &'a Question,
    links: Links,
    intent: Intent,
    tables: BTreeMap<usize, Evidence>,
    columns: BTreeMap<(usize, usize), Evidence>,
    max_tables: usize,
    /// Word positions naming a table of the plan, once its tables are
    /// chosen.  Such words ("singers") also match columns named after the
    /// table (singer_id), which the question did not ask for.
    table_words: BTreeSet<usize>,
}

impl<'a> Planner<'a> {
    fn new(model: &'a Model, q: &'a Question, max_tables: usize) -> Self {
        let mut links = link(model, q);
        let intent = intent(q);
        // "older than average" is about an average, not a column called so.
        let average_words: BTreeSet<usize> =
            intent.above_average.iter().map(|&(_, at)| at).collect();
        links
            .columns
            .retain(|_, ev| !named_only_by(ev, &average_words));
        let mut tables = links.tables.clone();
        let mut columns = links.columns.clone();
        for v in &links.values {
            let name = &model.tables[v.table].columns[v.column].name;
            let reason = format!("value '{}' in {}", v.value, name);
            let e = tables.entry(v.table).or_default();
            e.score += 1.2;
            e.reasons.insert(reason.clone());
            e.first_at = Some(e.first_at.map_or(v.start, |f| f.min(v.start)));
            let c = columns.entry((v.table, v.column)).or_default();
            c.score += 1.5;
            c.reasons.insert(format!("value '{}'", v.value));
        }
        for (&(t, c), ev) in &links.columns {
            let col = &model.tables[t].columns[c].name;
            let specific = super::text::identifier_words(col)
                .iter()
                .any(|w| !is_generic(&stem(w)));
            // Half a column name is enough to show the column, not to
            // bring its table into the plan.
            let partial = is_partial(ev);
            let share = if specific && !partial {
                0.8 * ev.score.min(2.0)
            } else {
                0.2
            };
            let e = tables.entry(t).or_default();
            e.score += share;
            e.reasons.insert(format!("column {col}"));
            e.first_at = Some(e.first_at.map_or(ev.first_at.unwrap_or(0), |f| {
                f.min(ev.first_at.unwrap_or(0))
            }));
        }
        Planner {
            model,
            q,
            links,
            intent,
            tables,
            columns,
            max_tables,
            table_words: BTreeSet::new(),
        }
    }

    /// Tables named well enough, best first, with a FK-reachable set.
    fn choose_tables(&self) -> Vec<usize> {
        let mut ranked: Vec<(usize, f64)> =
            self.tables.iter().map(|(&t, e)| (t, e.score)).collect();
        ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        let Some(&(_, top)) = ranked.first() else {
            return Vec::new();
        };
        let mut chosen: Vec<usize> = ranked
            .iter()
            .filter(|(_, s)| *s >= MIN_TABLE_SCORE && *s >= RELATIVE_TABLE_SCORE * top)
            .map(|(t, _)| *t)
            .take(self.max_tables)
            .collect();
        if chosen.is_empty() && top > 0.0 {
            chosen.push(ranked[0].0);
        }
        // A column-only mention of a column that another chosen table also
        // has belongs to that table, and half a column name holds nothing:
        // drop tables held up only by such mentions.
        let named = |t: usize| {
            self.links
                .tables
                .get(&t)
                .is_some_and(|e| !e.name_positions.is_empty())
                || self.links.values.iter().any(|v| v.table == t)
        };
        let snapshot = chosen.clone();
        let first = chosen.first().copied();
        chosen.retain(|&t| {
            Some(t) == first
                || named(t)
                || self.links.columns.iter().any(|(&(ct, c), ev)| {
                    ct == t && !is_partial(ev) && !shared_with_other(self.model, t, c, &snapshot)
                })
        });
        // A table matched only by words that a longer name also matched
        // ("template" inside "template types") gives way to that name.
        let positions = |t: usize| {
            self.links
                .tables
                .get(&t)
                .map(|e| e.name_positions.clone())
                .unwrap_or_default()
        };
        let has_values = |t: usize| self.links.values.iter().any(|v| v.table == t);
        let snapshot = chosen.clone();
        chosen.retain(|&t| {
            let mine = positions(t);
            mine.is_empty()
                || has_values(t)
                || !snapshot.iter().any(|&o| {
                    o != t && {
                        let other = positions(o);
                        mine.is_subset(&other) && other.len() > mine.len()
                    }
                })
        });
        // Several tables matched loosely by the same words ("car" in
        // car_names and cars_data) are told apart by their columns: one
        // held up by nothing else gives way.
        let loose_only = |t: usize| {
            self.links
                .tables
                .get(&t)
                .is_some_and(|e| e.reasons.iter().all(|r| r.starts_with("words ")))
        };
        let own_column = |t: usize| {
            self.links
                .columns
                .iter()
                .any(|(&(ct, _), ev)| ct == t && !is_partial(ev))
        };
        let snapshot = chosen.clone();
        chosen.retain(|&t| {
            Some(t) == first
                || has_values(t)
                || own_column(t)
                || !loose_only(t)
                || !snapshot
                    .iter()
                    .any(|&o| o != t && !positions(t).is_empty() && positions(o) == positions(t))
        });
        // A table held up only by columns named with words that name another
        // chosen table ("countries" for car_makers.country beside table
        // countries) gives way to that table.
        let snapshot = chosen.clone();
        chosen.retain(|&t| {
            if Some(t) == first || has_values(t) || !positions(t).is_empty() {
                return true;
            }
            let others: BTreeSet<usize> = snapshot
                .iter()
                .filter(|&&o| o != t)
                .flat_map(|&o| positions(o))
                .collect();
            self.links.columns.iter().any(|(&(ct, _), ev)| {
                ct == t && !is_partial(ev) && !ev.name_positions.is_subset(&others)
            })
        });
        chosen
    }

    /// A word naming a column that no chosen table has, but a table one
    /// foreign key away does ("names of poker players": `people.name`
    /// beside `poker_player`), brings that table in.
    fn add_attribute_neighbours(&mut self, chosen: &mut Vec<usize>) {
        const MAX_ADDED: usize = 2;
        let mut covered: BTreeSet<usize> = BTreeSet::new();
        for (&(t, _), ev) in &self.links.columns {
            if chosen.contains(&t) {
                covered.extend(ev.name_positions.iter().copied());
            }
        }
        for t in chosen.iter() {
            if let Some(e) = self.links.tables.get(t) {
                covered.extend(e.name_positions.iter().copied());
            }
        }
        // A word that is any word of a chosen table's column names is
        // covered too ("country" by invoice.billing_country).
        let chosen_words: BTreeSet<String> = chosen
            .iter()
            .flat_map(|&t| &self.model.tables[t].columns)
            .flat_map(|c| super::text::identifier_words(&c.name))
            .map(|w| stem(&w))
            .collect();
        let neighbours: BTreeSet<usize> = self
            .model
            .foreign_keys
            .iter()
            .filter_map(|(f, t, _)| {
                if chosen.contains(f) {
                    Some(*t)
                } else if chosen.contains(t) {
                    Some(*f)
                } else {
                    None
                }
            })
            .collect();
        let mut added: Vec<(usize, usize)> = Vec::new();
        for (&(u, c), ev) in &self.links.columns {
            if added.len() == MAX_ADDED
                || !neighbours.contains(&u)
                || chosen.contains(&u)
                || added.iter().any(|&(a, _)| a == u)
                || is_partial(ev)
                || ev.name_positions.is_empty()
                || ev
                    .name_positions
                    .iter()
                    .any(|&p| covered.contains(&p) || chosen_words.contains(&self.q.stems[p]))
            {
                continue;
            }
            covered.extend(ev.name_positions.iter().copied());
            added.push((u, c));
        }
        for (u, c) in added {
            let column = self.model.tables[u].columns[c].name.clone();
            let e = self.tables.entry(u).or_default();
            e.reasons
                .insert(format!("holds {column}, which no other chosen table has"));
            chosen.push(u);
        }
    }

    fn column_ref(&self, t: usize, c: usize) -> String {
        format!(
            "{}.{}",
            self.model.short(t),
            quote_ident(&self.model.tables[t].columns[c].name)
        )
    }

    /// The linked column nearest to word position `at` (after it first)
    /// among `tables`, satisfying `accept`.
    fn column_near(
        &self,
        at: usize,
        tables: &BTreeSet<usize>,
        accept: impl Fn(&str) -> bool,
    ) -> Option<(usize, usize)> {
        self.columns
            .iter()
            .filter(|(&(t, c), e)| {
                tables.contains(&t)
                    && accept(&self.model.tables[t].columns[c].data_type)
                    && !named_only_by(e, &self.table_words)
            })
            .filter_map(|(&k, e)| e.first_at.map(|p| (k, p, e.score)))
            // Nearest first (words after `at` before words before it); at equal
            // distance the better-matched column.
            .min_by(|a, b| {
                let dist = |p: usize| if p >= at { (0, p - at) } else { (1, at - p) };
                dist(a.1).cmp(&dist(b.1)).then(b.2.total_cmp(&a.2))
            })
            .map(|(k, _, _)| k)
    }

    /// The column a superlative adjective is about when the question names
    /// none ("the youngest singer": age, ascending; or a birth date,
    /// descending), with the direction to order it in.
    fn implied_attribute(
        &self,
        at: usize,
        desc: bool,
        tables: &[usize],
    ) -> Option<((usize, usize), bool)> {
        let word = self.q.words.get(at)?.as_str();
        // (words a column name may hold, whether a date reverses the order)
        let (names, dates_reverse): (&[&str], bool) = match word {
            "oldest" | "youngest" | "older" | "younger" => (&["age", "birth", "born", "dob"], true),
            "longest" | "shortest" => (&["length", "duration", "height", "milliseconds"], false),
            "tallest" | "taller" => (&["height"], false),
            "heaviest" | "lightest" => (&["weight"], false),
            "latest" | "earliest" | "newest" => (&["date", "time", "year"], false),
            "cheapest" => (&["price", "cost", "fee"], false),
            _ => return None,
        };
        tables.iter().find_map(|&t| {
            self.model.tables[t]
                .columns
                .iter()
                .enumerate()
                .find_map(|(c, col)| {
                    let words = super::text::identifier_words(&col.name);
                    let hit = names.iter().any(|n| words.iter().any(|w| w == n));
                    let numeric = is_numeric(&col.data_type);
                    let temporal = is_temporal(&col.data_type);
                    (hit && (numeric || temporal)).then_some((
                        (t, c),
                        if temporal && dates_reverse {
                            !desc
                        } else {
                            desc
                        },
                    ))
                })
        })
    }

    /// What rows of `counted` are counted per: a row of another chosen
    /// table (its label), or, with one table, the column asked for before
    /// word `before` ("type codes with less than three templates").
    fn count_key(
        &self,
        counted: usize,
        before: usize,
        in_plan: &[usize],
        table_set: &BTreeSet<usize>,
    ) -> Option<(usize, usize)> {
        if let Some(owner) = in_plan
            .iter()
            .copied()
            .find(|&t| t != counted && table_set.contains(&t))
        {
            return Some((owner, self.label_column(owner)));
        }
        self.columns
            .iter()
            .filter(|(&(t, _), e)| {
                t == counted
                    && !named_only_by(e, &self.table_words)
                    && e.first_at.is_some_and(|p| p < before)
            })
            .min_by_key(|(_, e)| e.first_at)
            .map(|(&k, _)| k)
    }

    /// Word position of the question's negation, if any.
    fn negation(&self) -> Option<usize> {
        const NEGATIONS: &[&str] = &["not", "no", "without", "never", "dont", "doesnt", "didnt"];
        self.q
            .words
            .iter()
            .position(|w| NEGATIONS.contains(&w.as_str()))
    }

    /// "students who do not have any friends": a table named after a
    /// negation, joined as a leaf by a key that points at the table it
    /// hangs from, becomes `key NOT IN (SELECT ... FROM it)` instead of a
    /// join.  Returns the join to drop and the filter.
    fn anti_join(&self, in_plan: &[usize], joins: &[Join]) -> Option<(usize, Filter)> {
        let negation = self.negation()?;
        let (index, join) = joins.iter().enumerate().find(|(_, j)| {
            let mentioned_after = self.first_mention(j.right).is_some_and(|p| p > negation);
            let leaf = !joins.iter().any(|o| o.left == j.right);
            mentioned_after && leaf && in_plan.first() != Some(&j.right)
        })?;
        let (from, to, fk) = &self.model.foreign_keys[join.fk];
        // The dropped table holds the key; the kept one is referenced.
        if *from != join.right || *to != join.left || fk.from_columns.len() != 1 {
            return None;
        }
        let kept = format!(
            "{}.{}",
            self.model.short(*to),
            quote_ident(&fk.to_columns[0])
        );
        let subquery = format!(
            "(SELECT {} FROM {} WHERE {} IS NOT NULL)",
            quote_ident(&fk.from_columns[0]),
            self.model.qualified(*from),
            quote_ident(&fk.from_columns[0])
        );
        Some((
            index,
            Filter {
                column: kept,
                operator: "NOT IN",
                value: format!("no {}", self.model.tables[*from].name),
                literal: subquery,
                source: "question".into(),
            },
        ))
    }

    /// Word positions naming one of `tables`.
    fn words_naming(&self, tables: &BTreeSet<usize>) -> BTreeSet<usize> {
        self.links
            .tables
            .iter()
            .filter(|(t, _)| tables.contains(t))
            .flat_map(|(_, e)| e.name_positions.iter().copied())
            .collect()
    }

    /// The first word position naming table `t`.
    fn first_mention(&self, t: usize) -> Option<usize> {
        self.links
            .tables
            .get(&t)?
            .name_positions
            .iter()
            .next()
            .copied()
    }

    /// The table among `tables` that word `at` names.
    fn table_named_at(&self, at: usize, tables: &[usize]) -> Option<usize> {
        tables.iter().copied().find(|t| {
            self.links
                .tables
                .get(t)
                .is_some_and(|e| e.name_positions.contains(&at))
        })
    }

    /// A column naming the table's rows: name, title, something_name, or
    /// one called like the table (airlines.airline).
    fn name_column(&self, t: usize) -> Option<usize> {
        let table = self.model.tables[t].name.to_lowercase();
        let singular = stem(&table);
        self.model.tables[t].columns.iter().position(|c| {
            let n = c.name.to_lowercase();
            n == "name"
                || n == "title"
                || n.ends_with("_name")
                || n.ends_with("name") && n.len() <= 12
                || (n == table || n == singular) && !is_numeric(&c.data_type)
        })
    }

    /// A readable label column of a table: one named like name/title, else
    /// its primary key, else its first column.
    fn label_column(&self, t: usize) -> usize {
        let table = &self.model.tables[t];
        self.name_column(t)
            .or_else(|| {
                table
                    .primary_key
                    .first()
                    .and_then(|pk| table.columns.iter().position(|c| &c.name == pk))
            })
            .unwrap_or(0)
    }

    fn plan(mut self) -> Plan {
        let mut plan = Plan {
            query_type: "sql",
            ..Plan::default()
        };
        let chosen = self.choose_tables();
        if let Some(meta) = meta_question(self.q, !self.links.tables.is_empty()) {
            plan.query_type = "metadata";
            plan.meta = Some(meta);
            plan.tables = chosen
                .iter()
                .take(1)
                .map(|&t| (t, self.tables[&t].clone()))
                .collect();
            plan.confidence = 0.9;
            return plan;
        }
        // The table the question asks for comes first: named (not just
        // holding a value or a column), earliest in the question; never one
        // named after a negation ("customers with no orders").
        let mut chosen = chosen;
        self.add_attribute_neighbours(&mut chosen);
        let negation = self.negation();
        chosen.sort_by_key(|t| {
            let negated = negation.is_some_and(|n| self.first_mention(*t).is_some_and(|p| p > n));
            let named = self
                .links
                .tables
                .get(t)
                .map(|e| e.score >= MIN_TABLE_SCORE)
                .unwrap_or(false);
            let at = self
                .tables
                .get(t)
                .and_then(|e| e.first_at)
                .unwrap_or(usize::MAX);
            (negated, !named, at)
        });
        let (joins, unreachable) = connect(self.model, &chosen);
        let mut in_plan: Vec<usize> = chosen
            .iter()
            .copied()
            .filter(|t| !unreachable.contains(t))
            .collect();
        for j in &joins {
            if !in_plan.contains(&j.right) {
                in_plan.push(j.right);
                let e = self.tables.entry(j.right).or_default();
                e.reasons.insert("bridge: joins the chosen tables".into());
            }
        }
        let mut table_set: BTreeSet<usize> = in_plan.iter().copied().collect();
        let mut joins = joins;
        let anti = self.anti_join(&in_plan, &joins);
        if let Some((j, _)) = &anti {
            table_set.remove(&joins[*j].right);
            plan.anti_joins.push(joins.remove(*j));
        }
        plan.joins = joins;
        self.table_words = self.words_naming(&table_set);
        if let Some((_, filter)) = anti {
            plan.filters.push(filter);
        }

        let mut consumed: BTreeSet<usize> = self.intent.consumed.iter().copied().collect();
        // Filters from values found in the question.
        for v in &self.links.values {
            if table_set.contains(&v.table) && !plan.filters.iter().any(|f| f.value == v.value) {
                plan.filters.push(Filter {
                    column: self.column_ref(v.table, v.column),
                    operator: "=",
                    value: v.value.clone(),
                    literal: sql_literal(&v.value),
                    source: v.source.clone(),
                });
            }
        }
        // "names containing 'Al'": a quoted text the question says is
        // contained becomes a case-insensitive pattern on a text column.
        let contains_at = self.q.words.iter().position(|w| {
            matches!(
                w.as_str(),
                "contain"
                    | "contains"
                    | "containing"
                    | "substring"
                    | "include"
                    | "includes"
                    | "including"
            )
        });
        if let Some(at) = contains_at {
            for text in &self.q.quoted {
                if plan.filters.iter().any(|f| f.value == *text) {
                    continue;
                }
                if let Some((t, c)) = self.column_near(at, &table_set, is_text) {
                    let escaped = text
                        .replace('\\', "\\\\")
                        .replace('%', "\\%")
                        .replace('_', "\\_");
                    plan.filters.push(Filter {
                        column: self.column_ref(t, c),
                        operator: "ILIKE",
                        value: text.clone(),
                        literal: sql_literal(&format!("%{escaped}%")),
                        source: "question".into(),
                    });
                }
            }
        }
        // Comparisons with numbers and years.  A number of rows of another
        // chosen table ("airlines with at least 10 flights") is a count per
        // row of the first: HAVING.
        let mut counted_per: Option<(usize, usize)> = None;
        for cmp in self.intent.comparisons.clone() {
            consumed.insert(cmp.at);
            let counted = self.table_named_at(cmp.at + 1, &in_plan);
            if let Some(key) = counted.and_then(|c| self.count_key(c, cmp.at, &in_plan, &table_set))
            {
                plan.having
                    .push(format!("count(*) {} {}", cmp.operator, cmp.number));
                counted_per.get_or_insert(key);
                continue;
            }
            let accept: &dyn Fn(&str) -> bool = if cmp.is_year || cmp.within {
                &is_temporal
            } else {
                &is_numeric
            };
            // A year is compared with a column named like one, or a date.
            let year_column = || {
                in_plan.iter().find_map(|&t| {
                    let cols = &self.model.tables[t].columns;
                    cols.iter()
                        .position(|c| c.name.to_lowercase().contains("year"))
                        .map(|c| (t, c))
                })
            };
            let linked = self.column_near(cmp.at, &table_set, accept);
            let linked = if cmp.is_year {
                year_column().or(linked)
            } else {
                linked
            };
            let column = linked.or_else(|| {
                in_plan.iter().find_map(|&t| {
                    self.model.tables[t]
                        .columns
                        .iter()
                        .position(|c| accept(&c.data_type))
                        .map(|c| (t, c))
                })
            });
            if let Some((t, c)) = column {
                let col = self.column_ref(t, c);
                let temporal = is_temporal(&self.model.tables[t].columns[c].data_type);
                let (column, literal) = if cmp.is_year
                    && temporal
                    && !self.model.tables[t].columns[c].data_type.contains("year")
                {
                    (format!("EXTRACT(YEAR FROM {col})"), cmp.number.clone())
                } else {
                    (col, cmp.number.clone())
                };
                self.columns
                    .entry((t, c))
                    .or_default()
                    .reasons
                    .insert("compared with a number".into());
                plan.filters.push(Filter {
                    column,
                    operator: cmp.operator,
                    value: cmp.number,
                    literal,
                    source: "question".into(),
                });
            }
        }
        // "above the average age": the column against its own average.
        for &(operator, at) in &self.intent.above_average {
            let implied = (at.saturating_sub(3)..at)
                .find_map(|p| self.implied_attribute(p, true, &in_plan).map(|(k, _)| k));
            let column = implied.or_else(|| self.column_near(at, &table_set, is_numeric));
            if let Some((t, c)) = column {
                let col = self.column_ref(t, c);
                let average = format!(
                    "(SELECT avg({}) FROM {})",
                    quote_ident(&self.model.tables[t].columns[c].name),
                    self.model.qualified(t)
                );
                plan.filters.push(Filter {
                    column: col,
                    operator,
                    value: "average".into(),
                    literal: average,
                    source: "question".into(),
                });
            }
        }
        // Grouping.
        let mut group_cols: Vec<(usize, usize)> = Vec::new();
        if let Some(at) = self.intent.group_at {
            let by_column = self
                .columns
                .iter()
                .find(|(&(t, _), e)| table_set.contains(&t) && e.first_at == Some(at))
                .map(|(&k, _)| k);
            let by_table = self
                .links
                .tables
                .iter()
                .find(|(t, e)| table_set.contains(t) && e.first_at == Some(at))
                .map(|(&t, _)| (t, self.label_column(t)));
            // "each student" over friend(student_id): the chosen table's
            // column named after the word.
            let by_key = self.q.stems.get(at).and_then(|word| {
                in_plan.iter().find_map(|&t| {
                    self.model.tables[t]
                        .columns
                        .iter()
                        .position(|c| {
                            super::text::identifier_words(&c.name)
                                .iter()
                                .any(|w| stem(w) == *word)
                        })
                        .map(|c| (t, c))
                })
            });
            if let Some(k) = by_table.or(by_column).or(by_key) {
                group_cols.push(k);
            }
        }
        if let Some(key) = counted_per.filter(|_| group_cols.is_empty()) {
            group_cols.push(key);
        }
        // "the student with the most friends", "the record company used by
        // the greatest number of orchestras": a superlative over a count of
        // rows, per row of another chosen table or per asked column.
        let mut count_order = false;
        if let (Some((_, at)), true, None) = (
            self.intent.superlative,
            group_cols.is_empty(),
            self.intent.aggregate,
        ) {
            let w = |k: usize| self.q.words.get(k).map(String::as_str).unwrap_or("");
            let noun_at = if w(at + 1) == "number" && w(at + 2) == "of" {
                at + 3
            } else {
                at + 1
            };
            let counted = self.table_named_at(noun_at, &in_plan);
            if let Some(counted) = counted {
                let key = self.count_key(counted, at, &in_plan, &table_set);
                if let Some(key) = key {
                    group_cols.push(key);
                    count_order = true;
                }
            }
        }
        // Aggregation.
        if let Some((agg, at)) = self.intent.aggregate {
            let target = match agg {
                Aggregate::Count => None,
                _ => self.column_near(at, &table_set, is_numeric),
            };
            let expr = match (agg, target) {
                (Aggregate::Count, _) if self.intent.distinct => {
                    match self.column_near(at, &table_set, |_| true) {
                        Some((t, c)) => format!("count(DISTINCT {})", self.column_ref(t, c)),
                        None => "count(*)".into(),
                    }
                }
                (Aggregate::Count, _) => "count(*)".into(),
                (_, Some((t, c))) => format!("{}({})", agg.sql(), self.column_ref(t, c)),
                (_, None) => "count(*)".into(),
            };
            plan.aggregations.push(expr);
            // "average, minimum and maximum age": every kind, over the
            // column the first one found.
            for &(more, more_at) in &self.intent.more_aggregates {
                if let Some((t, c)) =
                    target.or_else(|| self.column_near(more_at, &table_set, is_numeric))
                {
                    plan.aggregations
                        .push(format!("{}({})", more.sql(), self.column_ref(t, c)));
                }
            }
        }
        if plan.aggregations.is_empty()
            && !group_cols.is_empty()
            && self.intent.superlative.is_some()
        {
            plan.aggregations.push("count(*)".into());
        }
        // A count only ordered by is not shown unless asked for.
        let hidden_count = count_order && !self.q.words.iter().any(|w| w == "many");
        plan.group_by = if plan.aggregations.is_empty() && plan.having.is_empty() {
            Vec::new()
        } else {
            group_cols
                .iter()
                .map(|&(t, c)| self.column_ref(t, c))
                .collect()
        };
        // Ordering and limit.
        if let Some((desc, at)) = self.intent.superlative {
            let implied = self.implied_attribute(at, desc, &in_plan);
            let desc = implied.map_or(desc, |(_, d)| d);
            let key = if !plan.group_by.is_empty() {
                plan.aggregations.first().cloned()
            } else if let Some(((t, c), _)) = implied {
                Some(self.column_ref(t, c))
            } else {
                self.column_near(at, &table_set, |ty| is_numeric(ty) || is_temporal(ty))
                    .map(|(t, c)| self.column_ref(t, c))
            };
            if let Some(key) = key {
                plan.order_by
                    .push(format!("{key} {}", if desc { "DESC" } else { "ASC" }));
                plan.limit = self.intent.limit;
            }
        } else if let Some((desc, at)) = self.intent.order {
            if let Some((t, c)) = self.column_near(at, &table_set, |_| true) {
                plan.order_by.push(format!(
                    "{} {}",
                    self.column_ref(t, c),
                    if desc { "DESC" } else { "ASC" }
                ));
            }
            plan.limit = self.intent.limit;
        } else {
            plan.limit = self.intent.limit;
        }
        // Columns: everything linked in the plan's tables.
        let mut cols: Vec<((usize, usize), Evidence)> = self
            .columns
            .iter()
            .filter(|(&(t, _), e)| {
                table_set.contains(&t) && e.score >= 0.4
                    || table_set.contains(&t) && !e.reasons.is_empty() && e.score == 0.0
            })
            .map(|(&k, e)| (k, e.clone()))
            .collect();
        for &k in &group_cols {
            if !cols.iter().any(|(c, _)| *c == k) {
                let mut e = Evidence::default();
                e.reasons.insert("grouping key".into());
                cols.push((k, e));
            }
        }
        // Join keys and the columns used by filters, grouping and ordering
        // are relevant too: the SQL cannot be written without them.
        let mut used: Vec<((usize, usize), &'static str)> = Vec::new();
        for j in plan.joins.iter().chain(&plan.anti_joins) {
            let (f, t, fk) = &self.model.foreign_keys[j.fk];
            for (table, names) in [(*f, &fk.from_columns), (*t, &fk.to_columns)] {
                for name in names.iter() {
                    if let Some(c) = self.model.tables[table]
                        .columns
                        .iter()
                        .position(|x| &x.name == name)
                    {
                        used.push(((table, c), "join key"));
                    }
                }
            }
        }
        for (&(t, c), e) in &self.columns {
            if table_set.contains(&t)
                && e.reasons
                    .iter()
                    .any(|r| r.starts_with("compared") || r.starts_with("value"))
            {
                used.push(((t, c), "filter"));
            }
        }
        for (k, why) in used {
            if let Some((_, e)) = cols.iter_mut().find(|(c, _)| *c == k) {
                e.reasons.insert(why.into());
            } else {
                let mut e = Evidence::default();
                e.reasons.insert(why.into());
                cols.push((k, e));
            }
        }
        cols.sort_by(|a, b| b.1.score.total_cmp(&a.1.score).then(a.0.cmp(&b.0)));
        // SELECT list.
        let filter_cols: BTreeSet<String> = plan.filters.iter().map(|f| f.column.clone()).collect();
        plan.select = if !plan.aggregations.is_empty() || !plan.having.is_empty() {
            let shown_aggregations = if hidden_count {
                &[][..]
            } else {
                &plan.aggregations[..]
            };
            plan.group_by
                .iter()
                .cloned()
                .chain(shown_aggregations.iter().cloned())
                .collect()
        } else {
            let bookkeeping = |r: &String| r == "join key" || r == "filter" || r == "grouping key";
            // Shown in the order the question asks for them, without the
            // columns that only a table's name matched (singer_id for
            // "singers").
            let mut asked: Vec<&((usize, usize), Evidence)> = cols
                .iter()
                .filter(|(_, e)| !e.reasons.iter().all(bookkeeping))
                .filter(|(_, e)| !named_only_by(e, &self.table_words))
                .collect();
            // A longer name wins: "song names" asks for song_name, not also
            // for name.
            let spans: Vec<BTreeSet<usize>> = asked
                .iter()
                .map(|(_, e)| e.name_positions.clone())
                .collect();
            asked.retain(|(_, e)| {
                let mine = &e.name_positions;
                mine.is_empty()
                    || !spans
                        .iter()
                        .any(|other| mine.is_subset(other) && other.len() > mine.len())
            });
            // "the birth date of the player with the lowest earnings": the
            // superlative's own column orders the rows; it is not asked for.
            let order_key = plan
                .order_by
                .first()
                .and_then(|o| o.rsplit_once(' '))
                .map(|(key, _)| key.to_string());
            if let (Some((_, at)), Some(key)) = (self.intent.superlative, order_key) {
                let is_key = |(t, c): &(usize, usize), e: &Evidence| {
                    self.column_ref(*t, *c) == key
                        && e.first_at.is_some_and(|p| p > at && p <= at + 3)
                };
                if asked.len() > 1 && asked.iter().any(|(k, e)| is_key(k, e)) {
                    asked.retain(|(k, e)| !is_key(k, e));
                }
            }
            asked.sort_by_key(|(k, e)| (e.first_at.unwrap_or(usize::MAX), *k));
            let shown: Vec<String> = asked
                .into_iter()
                .map(|((t, c), _)| self.column_ref(*t, *c))
                .filter(|c| !filter_cols.contains(c))
                .collect();
            // Nothing asked by name: the rows' names, or the whole rows.
            if shown.is_empty() {
                in_plan
                    .first()
                    .map(|&t| match self.name_column(t) {
                        Some(c) => vec![self.column_ref(t, c)],
                        None => vec![format!("{}.*", self.model.short(t))],
                    })
                    .unwrap_or_default()
            } else {
                shown
            }
        };
        plan.columns = cols;
        plan.tables = in_plan
            .iter()
            .map(|&t| (t, self.tables.get(&t).cloned().unwrap_or_default()))
            .collect();
        plan.unmatched = unmatched(self.q, &self.links, &consumed);
        plan.sql = self.draft_sql(&plan, &in_plan);
        plan.confidence = self.confidence(&plan, &unreachable);
        plan.instructions = self.instructions(&plan);
        plan
    }

    fn draft_sql(&self, plan: &Plan, in_plan: &[usize]) -> String {
        let Some(&first) = in_plan.first() else {
            return String::new();
        };
        let distinct = self.intent.distinct && plan.aggregations.is_empty();
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
            self.model.qualified(first),
            self.model.short(first)
        );
        for j in &plan.joins {
            let (f, t, fk) = &self.model.foreign_keys[j.fk];
            let on: Vec<String> = fk
                .from_columns
                .iter()
                .zip(&fk.to_columns)
                .map(|(a, b)| {
                    format!(
                        "{}.{} = {}.{}",
                        self.model.short(*f),
                        quote_ident(a),
                        self.model.short(*t),
                        quote_ident(b)
                    )
                })
                .collect();
            sql += &format!(
                "\nJOIN {} AS {} ON {}",
                self.model.qualified(j.right),
                self.model.short(j.right),
                on.join(" AND ")
            );
        }
        if !plan.filters.is_empty() {
            let conds: Vec<String> = plan
                .filters
                .iter()
                .map(|f| format!("{} {} {}", f.column, f.operator, f.literal))
                .collect();
            sql += &format!("\nWHERE {}", conds.join(" AND "));
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

    fn confidence(&self, plan: &Plan, unreachable: &[usize]) -> f64 {
        let Some((_, top)) = plan.tables.first() else {
            return 0.05;
        };
        let content = self
            .q
            .words
            .iter()
            .filter(|w| !super::text::is_stopword(w))
            .count()
            .max(1);
        let matched = 1.0 - plan.unmatched.len() as f64 / content as f64;
        let strength = (top.score / 3.0).min(1.0);
        let penalty = if unreachable.is_empty() { 0.0 } else { 0.2 };
        ((0.15 + 0.45 * strength + 0.4 * matched - penalty).clamp(0.05, 0.99) * 100.0).round()
            / 100.0
    }

    fn instructions(&self, plan: &Plan) -> String {
        let names: Vec<String> = plan
            .tables
            .iter()
            .map(|(t, _)| self.model.qualified(*t))
            .collect();
        let mut text = format!("Query {}", names.join(", "));
        if !plan.joins.is_empty() {
            text += " joined along their foreign keys";
        }
        if !plan.filters.is_empty() {
            text += ", keeping rows where ";
            text += &plan
                .filters
                .iter()
                .map(|f| format!("{} {} {}", f.column, f.operator, f.literal))
                .collect::<Vec<_>>()
                .join(" and ");
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
}

/// Whether another of `chosen` has a column of the same name as `t.c`.
/// Linked only through words that name something else.
fn named_only_by(e: &Evidence, words: &BTreeSet<usize>) -> bool {
    !e.name_positions.is_empty() && e.name_positions.is_subset(words)
}

/// Linked only through some words of the column's name.
fn is_partial(ev: &Evidence) -> bool {
    ev.reasons.iter().all(|r| r.starts_with("some words"))
}

fn shared_with_other(model: &Model, t: usize, c: usize, chosen: &[usize]) -> bool {
    let name = &model.tables[t].columns[c].name;
    chosen
        .iter()
        .any(|&o| o != t && model.tables[o].columns.iter().any(|x| &x.name == name))
}

pub fn make_plan(model: &Model, question: &str, max_tables: usize) -> Plan {
    let q = Question::new(question);
    Planner::new(model, &q, max_tables).plan()
}

fn reasons(e: &Evidence) -> Value {
    json!(e.reasons.iter().collect::<Vec<_>>())
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
        .map(|((t, c), _)| {
            format!(
                "{}.{}",
                model.qualified(*t),
                quote_ident(&model.tables[*t].columns[*c].name)
            )
        })
        .collect();
    let filtering = plan
        .filters
        .iter()
        .map(|f| format!("{} {} {}", f.column, f.operator, f.literal))
        .collect::<Vec<_>>()
        .join(" AND ");
    json!({
        "query_type": plan.query_type,
        "primary_table_or_datasource": primary.join(" JOIN "),
        "relevant_columns": relevant,
        "filtering_conditions": filtering,
        "processing_instructions": plan.instructions,
        "tables": plan.tables.iter().map(|(t, e)| json!({
            "table": model.qualified(*t), "score": (e.score * 100.0).round() / 100.0, "reasons": reasons(e)})).collect::<Vec<_>>(),
        "columns": plan.columns.iter().map(|((t, c), e)| json!({
            "column": format!("{}.{}", model.qualified(*t), quote_ident(&model.tables[*t].columns[*c].name)),
            "type": model.tables[*t].columns[*c].data_type,
            "score": (e.score * 100.0).round() / 100.0, "reasons": reasons(e)})).collect::<Vec<_>>(),
        "joins": plan.joins.iter().map(|j| {
            let (f, t, fk) = &model.foreign_keys[j.fk];
            let on: Vec<String> = fk.from_columns.iter().zip(&fk.to_columns)
                .map(|(a, b)| format!("{}.{} = {}.{}", model.short(*f), quote_ident(a), model.short(*t), quote_ident(b))).collect();
            json!({"from": model.qualified(*f), "to": model.qualified(*t), "constraint": fk.name,
                   "on": on.join(" AND "), "one_to_one": fk.one_to_one, "inferred": fk.inferred,
                   "anti": false})
        }).chain(plan.anti_joins.iter().map(|j| {
            // Written as NOT IN in the draft: rows of `to` without any in `from`.
            let (f, t, fk) = &model.foreign_keys[j.fk];
            json!({"from": model.qualified(*f), "to": model.qualified(*t), "constraint": fk.name,
                   "on": format!("{}.{} NOT IN {}.{}", model.short(*t), quote_ident(&fk.to_columns[0]),
                                 model.short(*f), quote_ident(&fk.from_columns[0])),
                   "one_to_one": fk.one_to_one, "inferred": fk.inferred, "anti": true})
        })).collect::<Vec<_>>(),
        "filters": plan.filters.iter().map(|f| json!({
            "column": f.column, "operator": f.operator, "value": f.value, "source": f.source})).collect::<Vec<_>>(),
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
    use super::*;
    use crate::planner::model::Knowledge;

    fn model_of(knowledge: Value) -> Model {
        Model::build(serde_json::from_value::<Knowledge>(knowledge).expect("knowledge parses"))
    }

    fn shop() -> Model {
        model_of(json!({
            "tables": [
                {"schema": "public", "name": "customers", "kind": "table", "comment": null,
                 "primary_key": ["id"],
                 "columns": [{"name": "id", "type": "integer", "comment": null},
                             {"name": "name", "type": "text", "comment": null},
                             {"name": "city", "type": "text", "comment": null},
                             {"name": "state", "type": "text", "comment": null}]},
                {"schema": "public", "name": "orders", "kind": "table", "comment": "purchases",
                 "primary_key": ["id"],
                 "columns": [{"name": "id", "type": "integer", "comment": null},
                             {"name": "customer_id", "type": "integer", "comment": null},
                             {"name": "total", "type": "numeric(10,2)", "comment": null},
                             {"name": "ordered_at", "type": "date", "comment": null}]},
                {"schema": "public", "name": "products", "kind": "table", "comment": null,
                 "primary_key": ["id"],
                 "columns": [{"name": "id", "type": "integer", "comment": null},
                             {"name": "title", "type": "text", "comment": null}]}
            ],
            "foreign_keys": [
                {"name": "orders_customer_id_fkey", "from_schema": "public", "from_table": "orders",
                 "from_columns": ["customer_id"], "to_schema": "public", "to_table": "customers",
                 "to_columns": ["id"], "one_to_one": false}
            ],
            "values": [
                {"schema": "public", "table": "customers", "column": "city", "value": "New York", "source": "pg_stats"},
                {"schema": "public", "table": "customers", "column": "state", "value": "NY", "source": "pg_stats"}
            ],
            "synonyms": []
        }))
    }

    #[test]
    fn seed_question_joins_orders_and_customers_with_a_city_filter() {
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
        assert!(plan
            .sql
            .contains("JOIN public.customers AS customers ON orders.customer_id = customers.id"));
        assert!(plan.sql.contains("WHERE customers.city = 'New York'"));
    }

    #[test]
    fn counts_per_group_and_superlatives() {
        let model = shop();
        let plan = make_plan(
            &model,
            "How many orders does each customer have?",
            DEFAULT_MAX_TABLES,
        );
        assert_eq!(plan.aggregations, vec!["count(*)"]);
        assert_eq!(plan.group_by, vec!["customers.name"]);
        let plan = make_plan(
            &model,
            "Which order has the highest total?",
            DEFAULT_MAX_TABLES,
        );
        assert_eq!(plan.order_by, vec!["orders.total DESC"]);
        assert_eq!(plan.limit, Some(1));
        let plan = make_plan(&model, "average total of orders", DEFAULT_MAX_TABLES);
        assert_eq!(plan.aggregations, vec!["avg(orders.total)"]);
    }

    #[test]
    fn unknown_words_give_a_low_confidence_plan() {
        let model = shop();
        let plan = make_plan(&model, "🦄 zebra quantum flux", DEFAULT_MAX_TABLES);
        assert!(plan.tables.is_empty());
        assert!(plan.confidence <= 0.1);
        assert_eq!(plan.unmatched, vec!["zebra", "quantum", "flux"]);
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

    fn poker() -> Model {
        model_of(json!({
            "tables": [
                {"schema": "public", "name": "people", "kind": "table", "comment": null,
                 "primary_key": ["people_id"],
                 "columns": [{"name": "people_id", "type": "integer", "comment": null},
                             {"name": "name", "type": "text", "comment": null},
                             {"name": "height", "type": "numeric", "comment": null}]},
                {"schema": "public", "name": "poker_player", "kind": "table", "comment": null,
                 "primary_key": ["poker_player_id"],
                 "columns": [{"name": "poker_player_id", "type": "integer", "comment": null},
                             {"name": "people_id", "type": "integer", "comment": null},
                             {"name": "earnings", "type": "numeric", "comment": null}]}
            ],
            "foreign_keys": [
                {"name": "poker_player_people_id_fkey", "from_schema": "public", "from_table": "poker_player",
                 "from_columns": ["people_id"], "to_schema": "public", "to_table": "people",
                 "to_columns": ["people_id"], "one_to_one": false}
            ],
            "values": [],
            "synonyms": []
        }))
    }

    #[test]
    fn an_attribute_one_key_away_brings_its_table() {
        let model = poker();
        let doc = to_json(
            &model,
            &make_plan(
                &model,
                "names of poker players by earnings",
                DEFAULT_MAX_TABLES,
            ),
        );
        assert_eq!(
            doc["primary_table_or_datasource"],
            "poker_player JOIN people"
        );
        // A word the chosen table answers itself brings nothing in.
        let doc = to_json(
            &model,
            &make_plan(&model, "earnings of poker players", DEFAULT_MAX_TABLES),
        );
        assert_eq!(doc["primary_table_or_datasource"], "poker_player");
    }

    #[test]
    fn draft_sql_counts_totals_keeps_orderings_and_distinct_values() {
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
        // An explicit ordering keeps every row; the superlative after it
        // gives the direction.
        let plan = make_plan(
            &model,
            "orders sorted by total from the highest to the lowest",
            DEFAULT_MAX_TABLES,
        );
        assert_eq!(plan.order_by, vec!["orders.total DESC"]);
        assert_eq!(plan.limit, None);
        let plan = make_plan(&model, "different cities of customers", DEFAULT_MAX_TABLES);
        assert!(
            plan.sql.starts_with("SELECT DISTINCT customers.city\n"),
            "{}",
            plan.sql
        );
        // Asked columns in the question's order, not the table's name key.
        let plan = make_plan(&model, "state and name of customers", DEFAULT_MAX_TABLES);
        assert_eq!(plan.select, vec!["customers.state", "customers.name"]);
    }

    #[test]
    fn superlative_adjectives_imply_their_column() {
        let model = poker();
        let plan = make_plan(&model, "name of the tallest person", DEFAULT_MAX_TABLES);
        assert_eq!(plan.order_by, vec!["people.height DESC"]);
        assert_eq!(plan.limit, Some(1));
    }

    #[test]
    fn a_number_of_rows_of_another_table_is_a_having_count() {
        let model = shop();
        let plan = make_plan(
            &model,
            "customers with at least 3 orders",
            DEFAULT_MAX_TABLES,
        );
        assert_eq!(plan.having, vec!["count(*) >= 3"]);
        assert_eq!(plan.group_by, vec!["customers.name"]);
        assert_eq!(plan.limit, None);
        // With one table, per the column asked for.
        let one = make_plan(
            &model,
            "cities with more than 2 customers",
            DEFAULT_MAX_TABLES,
        );
        assert_eq!(one.group_by, vec!["customers.city"]);
        assert_eq!(one.having, vec!["count(*) > 2"]);
        assert!(
            plan.sql
                .ends_with("GROUP BY customers.name\nHAVING count(*) >= 3"),
            "{}",
            plan.sql
        );
    }

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
    }

    #[test]
    fn a_longer_column_name_wins_in_the_select_list() {
        let model = model_of(json!({
            "tables": [
                {"schema": "public", "name": "singer", "kind": "table", "comment": null,
                 "primary_key": ["singer_id"],
                 "columns": [{"name": "singer_id", "type": "integer", "comment": null},
                             {"name": "name", "type": "text", "comment": null},
                             {"name": "song_name", "type": "text", "comment": null},
                             {"name": "age", "type": "integer", "comment": null}]}
            ],
            "foreign_keys": [], "values": [], "synonyms": []
        }));
        let plan = make_plan(
            &model,
            "song names of singers older than 30",
            DEFAULT_MAX_TABLES,
        );
        assert_eq!(plan.select, vec!["singer.song_name"]);
    }

    #[test]
    fn quoted_substrings_and_the_superlatives_own_column() {
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
        let model = poker();
        let plan = make_plan(
            &model,
            "height of the poker player with the highest earnings",
            DEFAULT_MAX_TABLES,
        );
        assert_eq!(plan.order_by, vec!["poker_player.earnings DESC"]);
        assert_eq!(plan.select, vec!["people.height"]);
    }

    #[test]
    fn a_superlative_over_a_count_groups_and_orders_by_it() {
        let model = shop();
        let plan = make_plan(
            &model,
            "the customer with the most orders",
            DEFAULT_MAX_TABLES,
        );
        assert_eq!(plan.group_by, vec!["customers.name"]);
        assert_eq!(plan.order_by, vec!["count(*) DESC"]);
        assert_eq!(plan.select, vec!["customers.name"]);
        assert_eq!(plan.limit, Some(1));
        let plan = make_plan(
            &model,
            "the city with the greatest number of customers",
            DEFAULT_MAX_TABLES,
        );
        assert_eq!(plan.group_by, vec!["customers.city"]);
        assert_eq!(plan.order_by, vec!["count(*) DESC"]);
    }

    #[test]
    fn of_two_keys_to_one_table_the_earlier_column_joins() {
        let fk = |name: &str, column: &str| {
            json!({"name": name, "from_schema": "public", "from_table": "friend",
                   "from_columns": [column], "to_schema": "public", "to_table": "highschooler",
                   "to_columns": ["id"], "one_to_one": false})
        };
        let model = model_of(json!({
            "tables": [
                {"schema": "public", "name": "highschooler", "kind": "table", "comment": null,
                 "primary_key": ["id"],
                 "columns": [{"name": "id", "type": "integer", "comment": null},
                             {"name": "name", "type": "text", "comment": null}]},
                {"schema": "public", "name": "friend", "kind": "table", "comment": null,
                 "primary_key": ["student_id", "friend_id"],
                 "columns": [{"name": "student_id", "type": "integer", "comment": null},
                             {"name": "friend_id", "type": "integer", "comment": null}]}
            ],
            // In name order, as planner_meta reads them: friend_id's key first.
            "foreign_keys": [fk("friend_friend_id_fkey", "friend_id"), fk("friend_student_id_fkey", "student_id")],
            "values": [], "synonyms": []
        }));
        let doc = to_json(
            &model,
            &make_plan(
                &model,
                "names of high schoolers and their friends",
                DEFAULT_MAX_TABLES,
            ),
        );
        assert_eq!(doc["joins"][0]["on"], "friend.student_id = highschooler.id");
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
