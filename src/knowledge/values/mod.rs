//! The value index: distinct values of text-like columns with few enough of
//! them, built on demand (refresh_values) within a time budget, searched
//! exactly, case-insensitively or fuzzily (find_values), and used by plan()
//! to link values that pg_stats does not list.

mod pass;

use std::time::Duration;

use pgrx::pg_sys::panic::ErrorReport;
use pgrx::prelude::*;
use pgrx::JsonB;
use serde::Deserialize;
use serde_json::json;

use crate::error::{raise, PlannerError};
use crate::guc;
use crate::planning::text::similarity;
use crate::spi::{execute, oid_array, select_json};
use crate::tracking::changelog::{self, ChangeRow};
use pass::Candidate;

const CANDIDATES_SQL: &str = include_str!("../../../sql/catalog/value_candidates.sql");
const FORGET_SQL: &str = "\
    WITH keep AS (SELECT (e->>'rel_oid')::oid AS rel_oid, (e->>'attnum')::int2 AS attnum \
                    FROM jsonb_array_elements($2) e), \
         v AS (DELETE FROM planner_meta.cache_values c \
                WHERE ($1::oid[] IS NULL OR c.rel_oid = ANY ($1::oid[])) \
                  AND (c.rel_oid, c.attnum) NOT IN (SELECT rel_oid, attnum FROM keep)) \
    DELETE FROM planner_meta.cache_value_columns c \
     WHERE ($1::oid[] IS NULL OR c.rel_oid = ANY ($1::oid[])) \
       AND (c.rel_oid, c.attnum) NOT IN (SELECT rel_oid, attnum FROM keep)";
const CANDIDATE_VALUES_SQL: &str = "\
    SELECT coalesce(jsonb_agg(jsonb_build_object('schema', v.schema_name, 'table', v.table_name, \
                                                 'column', v.column_name, 'value', v.value, 'rows', v.rows)), '[]') \
      FROM (SELECT * FROM planner_meta.visible_values \
             WHERE length(value) BETWEEN length($1) / 2 AND length($1) * 2 + 2 LIMIT 200000) v";

/// Which candidate columns a pass reads again.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Selection {
    /// Every column (a forced refresh).
    All,
    /// Columns not indexed yet or stale.
    StaleOrNew,
    /// Only stale columns: a read keeps what was asked for fresh, but never
    /// starts indexing tables nobody asked about.
    Stale,
}

impl Selection {
    fn wants(self, state: &str) -> bool {
        match self {
            Selection::All => true,
            Selection::StaleOrNew => state != "fresh",
            Selection::Stale => state == "stale",
        }
    }
}

/// Relations (of $1, or any) with a stale column in the value index.
const STALE_RELATIONS_SQL: &str = "\
    SELECT coalesce(jsonb_agg(DISTINCT vc.rel_oid::bigint), '[]'::jsonb) \
      FROM planner_meta.cache_value_columns vc \
     WHERE ($1::oid[] IS NULL OR vc.rel_oid = ANY ($1::oid[])) \
       AND planner_meta.relation_data_is_stale(vc.rel_oid, vc.built_at)";

/// Builds the value index of one relation, or of all: columns not indexed
/// yet and columns gone stale (older than planner_meta.max_age or than the
/// relation's last ANALYZE); with `force`, every column.  Stops when
/// planner_meta.values_time_budget is spent and reports what it skipped;
/// logs what it did.
#[pg_extern(sql = "
    CREATE FUNCTION refresh_values(rel regclass DEFAULT NULL, force boolean DEFAULT false)
    RETURNS jsonb
    VOLATILE PARALLEL UNSAFE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
    SET datestyle = 'ISO, YMD' SET intervalstyle = 'postgres' SET extra_float_digits = 1
    SET jit = off
    LANGUAGE c AS 'MODULE_PATHNAME', 'refresh_values_wrapper';
    COMMENT ON FUNCTION refresh_values(regclass, boolean) IS
        'Builds the value index (distinct values of text columns with few of them): new and stale columns, or all with force.';
")]
fn refresh_values(rel: Option<pg_sys::Oid>, force: Option<bool>) -> Result<JsonB, ErrorReport> {
    crate::tracking::pending::ready_to_read()?;
    let selection = if force.unwrap_or(false) {
        Selection::All
    } else {
        Selection::StaleOrNew
    };
    let scope = rel.map(|r| vec![u32::from(r)]);
    let budget = Duration::from_millis(guc::VALUES_TIME_BUDGET.get().max(0) as u64);
    let details = rebuild(scope.as_deref(), selection, budget)?;
    let row = ChangeRow::unattached("refreshed", "values", details.clone());
    changelog::write(&[row], Some("REFRESH VALUES"))?;
    Ok(JsonB(details))
}

/// Re-reads the stale columns of the value index (of `rels`, or all)
/// within planner_meta.values_read_budget; returns what it did, or NULL
/// when nothing was stale.  Any role may call it (plan() and find_values()
/// do): it only refreshes what an owner already asked to index.
#[pg_extern(sql = "
    CREATE FUNCTION refresh_stale_values(rels oid[] DEFAULT NULL) RETURNS jsonb
    VOLATILE PARALLEL UNSAFE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
    SET datestyle = 'ISO, YMD' SET intervalstyle = 'postgres' SET extra_float_digits = 1
    LANGUAGE c AS 'MODULE_PATHNAME', 'refresh_stale_values_wrapper';
    COMMENT ON FUNCTION refresh_stale_values(oid[]) IS
        'Re-reads stale columns of the value index (of rels, or all) within planner_meta.values_read_budget.';
")]
fn refresh_stale_values(rels: Option<Vec<pg_sys::Oid>>) -> Result<Option<JsonB>, ErrorReport> {
    crate::tracking::pending::ready_to_read()?;
    let rels: Option<Vec<u32>> = rels.map(|list| list.into_iter().map(u32::from).collect());
    let stale: Vec<u32> = serde_json::from_value(select_json(
        STALE_RELATIONS_SQL,
        &[oid_array(rels.as_deref())],
    )?)
    .map_err(PlannerError::from)?;
    if stale.is_empty() {
        return Ok(None);
    }
    let budget = Duration::from_millis(guc::VALUES_READ_BUDGET.get().max(0) as u64);
    let mut details = rebuild(Some(&stale), Selection::Stale, budget)?;
    // Any role runs this, and its change row is shown to the role that ran
    // it: counts only, no names of columns it may not see.
    for list in ["skipped_too_many_values", "skipped_out_of_time"] {
        details[list] = json!(details[list].as_array().map_or(0, Vec::len));
    }
    let row = ChangeRow::unattached("refreshed", "values", details.clone());
    changelog::write(&[row], Some("REFRESH STALE VALUES"))?;
    Ok(Some(JsonB(details)))
}

/// One pass over the candidate columns in `scope` (all relations when
/// None): reads the distinct values of the selected ones until `budget` is
/// spent, and forgets columns that are no longer candidates.
fn rebuild(
    scope: Option<&[u32]>,
    selection: Selection,
    budget: Duration,
) -> Result<serde_json::Value, PlannerError> {
    let max_distinct = guc::VALUES_MAX_DISTINCT.get();
    let max_length = guc::VALUES_MAX_LENGTH.get();
    let candidates_json = select_json(CANDIDATES_SQL, &[oid_array(scope), max_distinct.into()])?;
    let candidates: Vec<Candidate> = serde_json::from_value(candidates_json.clone())?;
    execute(
        FORGET_SQL,
        &[oid_array(scope), JsonB(candidates_json).into()],
    )?;

    let (selected, fresh): (Vec<&Candidate>, Vec<&Candidate>) =
        candidates.iter().partition(|c| selection.wants(&c.state));
    let limits = pass::Limits {
        max_length,
        max_distinct,
        budget,
    };
    let outcome = pass::run(&selected, &limits)?;
    crate::knowledge::link_index::sync_index_values(scope)?;
    Ok(outcome.to_json(fresh.len()))
}

#[derive(Debug, Deserialize)]
struct IndexedValue {
    schema: String,
    table: String,
    column: String,
    value: String,
    rows: i64,
}

/// How a value matches a search term, and how well.
fn rank(term: &str, value: &str) -> Option<(&'static str, f64)> {
    if value == term {
        return Some(("exact", 1.0));
    }
    let (t, v) = (term.to_lowercase(), value.to_lowercase());
    if t == v {
        return Some(("case-insensitive", 0.99));
    }
    if v.contains(&t) || t.contains(&v) {
        return Some((
            "contains",
            0.5 + 0.4 * t.len().min(v.len()) as f64 / t.len().max(v.len()) as f64,
        ));
    }
    let s = similarity(term, value);
    (s >= 0.3).then_some(("fuzzy", s))
}

/// Values of the value index the caller may read that match `term`:
/// exactly, ignoring case, by containment, or fuzzily (trigram similarity
/// of at least 0.3), best first.
#[pg_extern(volatile, parallel_unsafe)]
fn find_values(
    term: Option<&str>,
    max_results: default!(Option<i32>, 20),
) -> TableIterator<
    'static,
    (
        name!(schema_name, String),
        name!(table_name, String),
        name!(column_name, String),
        name!(value, String),
        name!(rows, i64),
        name!(match_kind, String),
        name!(score, f64),
    ),
> {
    let matches = crate::tracking::pending::ready_to_read()
        .and_then(|()| crate::knowledge::stale_data::refresh_on_read(&[]))
        .and_then(|()| matching_values(term, max_results))
        .unwrap_or_else(|e| raise(e));
    TableIterator::new(matches.into_iter().map(|(v, kind, score)| {
        let score = (score * 1000.0).round() / 1000.0;
        (
            v.schema,
            v.table,
            v.column,
            v.value,
            v.rows,
            kind.to_string(),
            score,
        )
    }))
}

type Match = (IndexedValue, &'static str, f64);

fn matching_values(
    term: Option<&str>,
    max_results: Option<i32>,
) -> Result<Vec<Match>, PlannerError> {
    let term = term.ok_or(PlannerError::NullArgument("term"))?;
    let limit = max_results.ok_or(PlannerError::NullArgument("max_results"))?;
    if !(1..=1000).contains(&limit) {
        return Err(PlannerError::OutOfRange("max_results", 1, 1000));
    }
    if term.chars().count() > 1000 {
        return Err(PlannerError::TooLong("term", 1000));
    }
    let values: Vec<IndexedValue> =
        serde_json::from_value(select_json(CANDIDATE_VALUES_SQL, &[term.into()])?)?;
    let mut ranked: Vec<Match> = values
        .into_iter()
        .filter_map(|v| rank(term, &v.value).map(|(kind, score)| (v, kind, score)))
        .collect();
    ranked.sort_by(|a, b| b.2.total_cmp(&a.2).then(b.0.rows.cmp(&a.0.rows)));
    ranked.truncate(limit as usize);
    Ok(ranked)
}

#[cfg(test)]
mod tests {
    use super::rank;

    #[test]
    fn ranks_exact_case_contains_and_fuzzy() {
        assert_eq!(rank("Chicago", "Chicago"), Some(("exact", 1.0)));
        assert_eq!(
            rank("chicago", "Chicago").map(|r| r.0),
            Some("case-insensitive")
        );
        assert_eq!(rank("York", "New York").map(|r| r.0), Some("contains"));
        assert_eq!(rank("Chicgo", "Chicago").map(|r| r.0), Some("fuzzy"));
        assert_eq!(rank("Boston", "Chicago"), None);
    }
}
