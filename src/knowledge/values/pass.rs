//! One pass of the value index over the candidate columns it selected:
//! each relation's selected columns are read in one scan of the relation,
//! and what was read is written in a few set-wise statements, so that the
//! cost of a pass follows the relations it reads rather than one query
//! round trip per column.

use std::time::{Duration, Instant};

use pgrx::{pg_sys, JsonB};
use serde::Deserialize;
use serde_json::json;

use crate::error::PlannerError;
use crate::spi::{execute_kept, oid_array, select_json};

/// Clears what the index held for the columns about to be stored.  Its own
/// statement: an unreferenced data-modifying CTE runs after the main
/// statement, so a DELETE there would come after the INSERT it must make
/// room for.
const CLEAR_SQL: &str = "\
    DELETE FROM planner_meta.cache_values c USING unnest($1::oid[], $2::int2[]) AS k(rel_oid, attnum) \
     WHERE c.rel_oid = k.rel_oid AND c.attnum = k.attnum";
/// Stores `[[rel_oid, attnum, [[value, rows], ...]], ...]`.
const STORE_SQL: &str = "\
    WITH found AS (SELECT (e->>0)::oid AS rel_oid, (e->>1)::int2 AS attnum, e->2 AS vals \
                     FROM jsonb_array_elements($1) e), \
         cols AS (INSERT INTO planner_meta.cache_value_columns (rel_oid, attnum, distinct_values) \
                  SELECT f.rel_oid, f.attnum, jsonb_array_length(f.vals) FROM found f \
                  ON CONFLICT (rel_oid, attnum) DO UPDATE \
                  SET distinct_values = excluded.distinct_values, built_at = now()) \
    INSERT INTO planner_meta.cache_values (rel_oid, attnum, value, rows) \
    SELECT f.rel_oid, f.attnum, v->>0, (v->>1)::bigint FROM found f, jsonb_array_elements(f.vals) v";
/// Values read but not yet written beyond which the pending columns are
/// written, so that a pass over a large database holds little at a time.
const FLUSH_VALUES: usize = 20_000;

/// A column the value index may cover (sql/catalog/value_candidates.sql).
#[derive(Debug, Deserialize)]
pub struct Candidate {
    pub rel_oid: u32,
    pub attnum: i16,
    /// Quoted by PostgreSQL, ready for the reading query.
    pub relation: String,
    pub column: String,
    /// new, stale or fresh.
    pub state: String,
    /// A table (not a partitioned table or a materialized view).
    pub plain_table: bool,
}

impl Candidate {
    pub fn name(&self) -> String {
        format!("{}.{}", self.relation, self.column)
    }
}

/// The limits of a pass (planner_meta.values_max_length and
/// values_max_distinct) and its time budget.
pub struct Limits {
    pub max_length: i32,
    pub max_distinct: i32,
    pub budget: Duration,
}

/// What a pass did.
#[derive(Default)]
pub struct Outcome {
    pub indexed: usize,
    pub values: usize,
    pub too_many: Vec<String>,
    pub out_of_time: Vec<String>,
}

impl Outcome {
    pub fn to_json(&self, fresh: usize) -> serde_json::Value {
        json!({
            "columns_indexed": self.indexed, "values": self.values, "columns_fresh": fresh,
            "skipped_too_many_values": self.too_many, "skipped_out_of_time": self.out_of_time,
        })
    }
}

/// The distinct values of `columns` (all of one relation), at most
/// max_distinct + 1 per column, by attnum.  Names come quoted by
/// PostgreSQL; the limits are bound parameters.
fn read_relation(
    columns: &[&Candidate],
    limits: &Limits,
) -> Result<serde_json::Map<String, serde_json::Value>, PlannerError> {
    let pairs: Vec<String> = columns
        .iter()
        .map(|c| format!("({}::int2, t.{}::text)", c.attnum, c.column))
        .collect();
    let query = format!(
        "SELECT coalesce(jsonb_object_agg(s.attnum, s.found), '{{}}'::jsonb) FROM ( \
           SELECT g.attnum, jsonb_agg(jsonb_build_array(g.v, g.n)) AS found FROM ( \
             SELECT u.attnum, u.v, count(*) AS n, row_number() OVER (PARTITION BY u.attnum) AS nth \
               FROM {rel} t CROSS JOIN LATERAL (VALUES {pairs}) AS u(attnum, v) \
              WHERE u.v IS NOT NULL AND length(u.v) <= $1 GROUP BY 1, 2) g \
            WHERE g.nth <= $2 GROUP BY g.attnum) s",
        rel = columns[0].relation,
        pairs = pairs.join(", "),
    );
    let found = select_json(
        &query,
        &[limits.max_length.into(), (limits.max_distinct + 1).into()],
    )?;
    Ok(match found {
        serde_json::Value::Object(map) => map,
        _ => serde_json::Map::new(),
    })
}

/// Whether a table has no pages, so holds no values: its read is not even
/// planned (schemas made by migrations hold many empty tables, and a
/// planned read costs about five times the check: 200 against 40 µs on a
/// cold backend).  The table is opened as the
/// read would open it, with the same lock, kept to the end of the
/// transaction; one dropped meanwhile has nothing to read either.
fn has_no_pages(rel_oid: u32) -> bool {
    // SAFETY: try_relation_open returns NULL or an open relation, closed
    // here; both calls raise PostgreSQL errors through pgrx's guard.
    unsafe {
        let rel =
            pg_sys::try_relation_open(pg_sys::Oid::from(rel_oid), pg_sys::AccessShareLock as _);
        if rel.is_null() {
            return true;
        }
        let blocks = pg_sys::RelationGetNumberOfBlocksInFork(rel, pg_sys::ForkNumber::MAIN_FORKNUM);
        pg_sys::relation_close(rel, pg_sys::NoLock as _);
        blocks == 0
    }
}

/// Columns read and waiting to be written.
#[derive(Default)]
struct Pending {
    keys: (Vec<u32>, Vec<i16>),
    rows: Vec<serde_json::Value>,
    values: usize,
}

impl Pending {
    fn push(&mut self, c: &Candidate, values: serde_json::Value) {
        self.values += values.as_array().map_or(0, Vec::len);
        self.keys.0.push(c.rel_oid);
        self.keys.1.push(c.attnum);
        self.rows.push(json!([c.rel_oid, c.attnum, values]));
    }

    fn write(&mut self) -> Result<(), PlannerError> {
        if self.rows.is_empty() {
            return Ok(());
        }
        let (rels, attnums) = std::mem::take(&mut self.keys);
        execute_kept(CLEAR_SQL, &[oid_array(Some(&rels)), attnums.into()])?;
        let rows = serde_json::Value::Array(std::mem::take(&mut self.rows));
        execute_kept(STORE_SQL, &[JsonB(rows).into()])?;
        self.values = 0;
        Ok(())
    }
}

/// Reads and stores `selected` (ordered by relation) until the budget is
/// spent; a column over max_distinct is stored empty and reported.
pub fn run(selected: &[&Candidate], limits: &Limits) -> Result<Outcome, PlannerError> {
    let started = Instant::now();
    let mut outcome = Outcome::default();
    let mut pending = Pending::default();
    for columns in selected.chunk_by(|a, b| a.rel_oid == b.rel_oid) {
        if started.elapsed() > limits.budget {
            outcome.out_of_time.extend(columns.iter().map(|c| c.name()));
            continue;
        }
        let mut found = if columns[0].plain_table && has_no_pages(columns[0].rel_oid) {
            serde_json::Map::new()
        } else {
            read_relation(columns, limits)?
        };
        for c in columns {
            let values = found
                .remove(&c.attnum.to_string())
                .unwrap_or_else(|| json!([]));
            let count = values.as_array().map_or(0, Vec::len);
            if count as i32 > limits.max_distinct {
                outcome.too_many.push(c.name());
                pending.push(c, json!([]));
            } else {
                outcome.indexed += 1;
                outcome.values += count;
                pending.push(c, values);
            }
        }
        if pending.values > FLUSH_VALUES {
            pending.write()?;
        }
    }
    pending.write()?;
    Ok(outcome)
}
