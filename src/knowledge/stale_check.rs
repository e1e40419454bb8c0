//! The check every read of data knowledge makes (see `stale_data`), read
//! natively by index probes: of the relations a question reached and one
//! slice of all relations (the session's sweeps), which were analyzed
//! since the cache copied their statistics and, when a value refresh is
//! due, which have a stale column in the value index.  Nothing here checks
//! privileges: the answer only decides what the definer refreshes.

use std::collections::BTreeSet;

use pgrx::direct_function_call;
use pgrx::pg_sys::{self, Oid};

use crate::error::PlannerError;
use crate::knowledge::scan::{Key, Table};

/// Relations each sweep looks at per read.
const SWEEP_SLICE: usize = 50;

#[derive(Debug, Default, PartialEq)]
pub struct Check {
    /// Where each sweep stopped (None: at the end, or not swept).
    pub stats_sweep_at: Option<u32>,
    pub values_sweep_at: Option<u32>,
    pub analyzed: Vec<u32>,
    pub values_stale: Vec<u32>,
}

/// When the relation was last analyzed, by hand or by autovacuum.
fn last_analyzed(rel: Oid) -> Option<pg_sys::TimestampTz> {
    let arg = [Some(pg_sys::Datum::from(rel))];
    // SAFETY: the statistics functions take an oid and return a
    // timestamptz or NULL.
    let (manual, auto) = unsafe {
        (
            direct_function_call::<pg_sys::TimestampTz>(
                pg_sys::pg_stat_get_last_analyze_time,
                &arg,
            ),
            direct_function_call::<pg_sys::TimestampTz>(
                pg_sys::pg_stat_get_last_autoanalyze_time,
                &arg,
            ),
        )
    };
    manual.max(auto)
}

/// Up to `SWEEP_SLICE` distinct relations of `index` (leading column
/// rel_oid) after `from`, in oid order.
fn slice(table: &Table, index: &str, from: u32) -> Result<Vec<u32>, PlannerError> {
    let rel_oid = table.column("rel_oid")?;
    let mut out: Vec<u32> = Vec::new();
    table.scan_index(index, &[Key::OidAfter(1, Oid::from(from))], |row| {
        if let Some(rel) = row.oid(rel_oid).map(|o| o.to_u32()) {
            if out.last() != Some(&rel) {
                out.push(rel);
            }
        }
        Ok(out.len() < SWEEP_SLICE)
    })?;
    Ok(out)
}

/// The relations of `rels` whose statistics the cache copied before
/// their last ANALYZE.
fn analyzed(rels: &BTreeSet<u32>) -> Result<Vec<u32>, PlannerError> {
    let stats = Table::open("cache_relation_stats")?;
    let updated = stats.column("stats_updated")?;
    let mut out = Vec::new();
    for &rel in rels {
        let mut copied_at = None;
        stats.scan_index(
            "cache_relation_stats_pkey",
            &[Key::Oid(1, Oid::from(rel))],
            |row| {
                copied_at = row.timestamptz(updated);
                Ok(false)
            },
        )?;
        if let Some(at) = copied_at {
            if last_analyzed(Oid::from(rel)).is_some_and(|last| last > at) {
                out.push(rel);
            }
        }
    }
    Ok(out)
}

/// The relations of `rels` with a value-index column older than
/// planner_meta.max_age or than the relation's last ANALYZE
/// (`relation_data_is_stale`).
fn values_stale(columns: &Table, rels: &BTreeSet<u32>) -> Result<Vec<u32>, PlannerError> {
    let built = columns.column("built_at")?;
    let max_age_us = i64::from(crate::guc::MAX_AGE.get()) * 1_000_000;
    // SAFETY: reads the transaction's start time, which now() returns.
    let cutoff = unsafe { pg_sys::GetCurrentTransactionStartTimestamp() } - max_age_us;
    let mut out = Vec::new();
    for &rel in rels {
        let last = last_analyzed(Oid::from(rel));
        let mut stale = false;
        columns.scan_index(
            "cache_value_columns_pkey",
            &[Key::Oid(1, Oid::from(rel))],
            |row| {
                stale = row
                    .timestamptz(built)
                    .is_some_and(|at| at < cutoff || last.is_some_and(|l| l > at));
                Ok(!stale)
            },
        )?;
        if stale {
            out.push(rel);
        }
    }
    Ok(out)
}

/// The check for the relations `reached`, the statistics sweep resuming
/// after `stats_from` and, when `values_due`, the value sweep after
/// `values_from`.
pub fn check(
    reached: &[u32],
    stats_from: u32,
    values_from: u32,
    values_due: bool,
) -> Result<Check, PlannerError> {
    let stats = Table::open("cache_relation_stats")?;
    let stats_slice = slice(&stats, "cache_relation_stats_pkey", stats_from)?;
    let mut to_check: BTreeSet<u32> = reached.iter().copied().collect();
    to_check.extend(&stats_slice);
    let mut out = Check {
        stats_sweep_at: stats_slice.last().copied(),
        analyzed: analyzed(&to_check)?,
        ..Check::default()
    };
    if values_due {
        let columns = Table::open("cache_value_columns")?;
        let values_slice = slice(&columns, "cache_value_columns_pkey", values_from)?;
        let mut to_check: BTreeSet<u32> = reached.iter().copied().collect();
        to_check.extend(&values_slice);
        out.values_sweep_at = values_slice.last().copied();
        out.values_stale = values_stale(&columns, &to_check)?;
    }
    Ok(out)
}

#[cfg(any(test, feature = "pg_test"))]
#[pgrx::pg_schema]
mod tests {
    use pgrx::prelude::*;
    use serde::Deserialize;

    use crate::spi::{oid_array, select_json};

    /// The same check as one SQL statement: the oracle the native check is
    /// compared with.
    const CHECK_SQL: &str = "\
        WITH RECURSIVE stats_slice AS ( \
            SELECT st.rel_oid FROM planner_meta.cache_relation_stats st \
             WHERE st.rel_oid > $2::oid ORDER BY st.rel_oid LIMIT 50 \
        ), values_slice (rel_oid, n) AS ( \
            (SELECT vc.rel_oid, 1 FROM planner_meta.cache_value_columns vc \
              WHERE $4 AND vc.rel_oid > $3::oid ORDER BY vc.rel_oid LIMIT 1) \
            UNION ALL \
            SELECT (SELECT vc.rel_oid FROM planner_meta.cache_value_columns vc \
                     WHERE vc.rel_oid > s.rel_oid ORDER BY vc.rel_oid LIMIT 1), s.n + 1 \
              FROM values_slice s WHERE s.rel_oid IS NOT NULL AND s.n < 50 \
        ) \
        SELECT jsonb_build_object( \
            'stats_sweep_at', (SELECT max(rel_oid)::bigint FROM stats_slice), \
            'values_sweep_at', (SELECT max(rel_oid)::bigint FROM values_slice), \
            'analyzed', (SELECT coalesce(jsonb_agg(st.rel_oid::bigint), '[]'::jsonb) \
                           FROM planner_meta.cache_relation_stats st \
                          WHERE st.rel_oid = ANY (ARRAY(SELECT unnest($1::oid[]) \
                                                        UNION SELECT rel_oid FROM stats_slice)) \
                            AND greatest(pg_catalog.pg_stat_get_last_analyze_time(st.rel_oid), \
                                         pg_catalog.pg_stat_get_last_autoanalyze_time(st.rel_oid)) \
                                > st.stats_updated), \
            'values_stale', (SELECT coalesce(jsonb_agg(DISTINCT vc.rel_oid::bigint), '[]'::jsonb) \
                               FROM planner_meta.cache_value_columns vc \
                              WHERE $4 AND vc.rel_oid = ANY (ARRAY(SELECT unnest($1::oid[]) \
                                                            UNION SELECT rel_oid FROM values_slice)) \
                                AND planner_meta.relation_data_is_stale(vc.rel_oid, vc.built_at)))";

    #[derive(Deserialize)]
    struct SqlCheck {
        stats_sweep_at: Option<u32>,
        values_sweep_at: Option<u32>,
        analyzed: Vec<u32>,
        values_stale: Vec<u32>,
    }

    fn through_sql(reached: &[u32], stats_from: u32, values_from: u32, due: bool) -> super::Check {
        let json = select_json(
            CHECK_SQL,
            &[
                oid_array(Some(reached)),
                i64::from(stats_from).into(),
                i64::from(values_from).into(),
                due.into(),
            ],
        )
        .expect("the check runs");
        let c: SqlCheck = serde_json::from_value(json).expect("a check document");
        let sorted = |mut v: Vec<u32>| {
            v.sort_unstable();
            v
        };
        super::Check {
            stats_sweep_at: c.stats_sweep_at,
            values_sweep_at: c.values_sweep_at,
            analyzed: sorted(c.analyzed),
            values_stale: sorted(c.values_stale),
        }
    }

    #[pg_test]
    fn native_check_finds_what_the_sql_check_finds() {
        Spi::run(
            "SET stats_fetch_consistency = none;
             CREATE TABLE fresh (id int); CREATE TABLE reanalyzed (id int);
             CREATE TABLE old_values (id int, tag text);
             INSERT INTO reanalyzed SELECT generate_series(1, 10);",
        )
        .expect("setup runs");
        crate::tracking::pending::flush();
        Spi::run(
            "ANALYZE reanalyzed;
             INSERT INTO planner_meta.cache_value_columns (rel_oid, attnum, distinct_values, built_at)
             VALUES ('old_values'::regclass, 2, 3, '2000-01-01'), ('fresh'::regclass, 1, 3, now())",
        )
        .expect("analyze and value columns");
        let oid = |n: &str| {
            let sql = format!("SELECT '{n}'::regclass::oid");
            u32::from(
                Spi::get_one::<pg_sys::Oid>(&sql)
                    .expect("runs")
                    .expect("exists"),
            )
        };
        let reached = [oid("fresh"), oid("reanalyzed")];
        for (stats_from, values_from, due) in [(0, 0, true), (0, 0, false), (oid("fresh"), 0, true)]
        {
            let native =
                super::check(&reached, stats_from, values_from, due).expect("native check");
            assert_eq!(native, through_sql(&reached, stats_from, values_from, due));
        }
        let first = super::check(&reached, 0, 0, true).expect("native check");
        assert_eq!(first.analyzed, [oid("reanalyzed")]);
        assert_eq!(first.values_stale, [oid("old_values")]);
    }
}
