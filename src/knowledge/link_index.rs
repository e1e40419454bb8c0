//! The linking index on disk (`link_terms`, `link_phrases`, `link_values`,
//! sql/link_index.sql): written where the knowledge it derives from is
//! written, for the objects that changed only.  The DDL sync rewrites the
//! terms of the objects whose names or comments it changed; a statistics
//! refresh the values of the relations it read; a value-index refresh
//! those it rebuilt.
//!
//! The phrases come from the same code the in-memory model uses
//! (`planner::terms`), exposed here as immutable SQL functions so that the
//! maintenance statements derive them next to the rows they come from.

use std::collections::BTreeSet;

use pgrx::prelude::*;

use crate::error::Result;
use crate::planning::terms;
use crate::spi::{execute, execute_kept, oid_array, update_json};
use crate::tracking::diff::Delta;

/// Whole relations, and single objects: each head says what is rewritten,
/// the shared end writes it.
const TERMS_SQL: &str = concat!(
    include_str!("../../sql/link/terms_derive.sql"),
    include_str!("../../sql/link/terms_sync.sql"),
    include_str!("../../sql/link/terms_labels.sql"),
    include_str!("../../sql/link/terms_write.sql")
);
const OBJECT_TERMS_SQL: &str = concat!(
    include_str!("../../sql/link/object_terms_sync.sql"),
    include_str!("../../sql/link/terms_labels.sql"),
    include_str!("../../sql/link/terms_write.sql")
);
/// Every relation's terms, written where they differ.
const REBUILD_TERMS_SQL: &str = concat!(
    include_str!("../../sql/link/terms_derive.sql"),
    include_str!("../../sql/link/terms_rebuild.sql"),
    include_str!("../../sql/link/terms_labels.sql"),
    ")\nSELECT to_jsonb(count(*)) FROM added"
);
const STATS_VALUES_SQL: &str = include_str!("../../sql/link/stats_values_sync.sql");
const INDEX_VALUES_SQL: &str = include_str!("../../sql/link/index_values_sync.sql");
const CLEAR_VALUES_SQL: &str = "TRUNCATE planner_meta.link_values";
/// After a bulk write the dictionary's GIN pending list is merged (every
/// lookup scans it whole until then; only autovacuum merges it by itself).
const MERGE_PENDING_SQL: &str =
    "SELECT pg_catalog.gin_clean_pending_list('planner_meta.link_phrases_keys_idx'::regclass)";

/// Columns of an enum type whose labels changed.
const ENUM_USERS_SQL: &str = "\
    SELECT coalesce(jsonb_agg(DISTINCT c.rel_oid::bigint), '[]'::jsonb) \
      FROM planner_meta.cache_columns c WHERE c.type_oid = ANY ($1::oid[])";

/// The phrases an object is known by, as (kind, phrase) rows: kind `n`
/// name, `s` synonym from a comment directive, `c` comment words.
#[pg_extern(immutable, parallel_safe)]
fn object_terms(
    name: &str,
    comment: Option<&str>,
    is_relation: bool,
) -> TableIterator<'static, (name!(kind, String), name!(phrase, String))> {
    let phrases = if is_relation {
        terms::table_phrases(name, comment)
    } else {
        terms::column_phrases(name, comment)
    };
    TableIterator::new(
        phrases
            .into_iter()
            .map(|(via, stems)| (terms::via_code(via).to_string(), terms::phrase_text(&stems))),
    )
}

/// The keys a stored phrase is found by (its stems and `p:` prefixes).
#[pg_extern(immutable, parallel_safe)]
fn phrase_keys(phrase: &str) -> Vec<String> {
    terms::phrase_keys(&terms::phrase_stems(phrase))
}

/// A typical value as a linkable phrase of stems, or NULL when it has no
/// words or too many.
#[pg_extern(immutable, parallel_safe)]
fn value_phrase(value: &str) -> Option<String> {
    terms::value_stems(value).map(|stems| terms::phrase_text(&stems))
}

/// Stems of a text's content words (a synonym's term, as the model reads it).
#[pg_extern(immutable, parallel_safe)]
fn content_stems(text: &str) -> Vec<String> {
    crate::planning::text::content_stems(text)
}

/// A maintenance statement for some relations (`Some`) or all (`None`):
/// the scoped form is kept (an index probe per relation), the full form
/// planned for the whole table.
fn run_scoped(sql: &'static str, relations: Option<&[u32]>) -> Result<()> {
    match relations {
        Some([]) => {}
        Some(oids) => {
            execute_kept(sql, &[oid_array(Some(oids))])?;
        }
        None => {
            execute(
                &crate::knowledge::catalog::full_scope_sql(sql),
                &[oid_array(None)],
            )?;
        }
    }
    Ok(())
}

/// Rewrites the terms the rows of `delta` are made of.  A relation that
/// appeared, went or moved under a parent is rewritten whole, and so are
/// the users of an enum whose labels changed; otherwise only the objects
/// whose name, comment or type changed (an added column costs one
/// column's terms, not its table's).  Other changes (an index, a
/// constraint, a default) leave the index alone.
pub fn sync_delta(delta: &Delta) -> Result<()> {
    let relations = &delta.relations;
    let mut whole: BTreeSet<u32> = relations
        .added
        .iter()
        .chain(&relations.removed)
        .map(|r| r.rel_oid)
        .collect();
    let mut objects: BTreeSet<(u32, i16)> = BTreeSet::new();
    for (before, after) in &relations.changed {
        if before.parent_oid != after.parent_oid {
            whole.insert(after.rel_oid);
        } else if before.rel_name != after.rel_name || before.comment != after.comment {
            objects.insert((after.rel_oid, 0));
        }
    }
    let columns = &delta.columns;
    for c in columns.added.iter().chain(&columns.removed) {
        objects.insert((c.rel_oid, c.attnum));
    }
    for (before, after) in &columns.changed {
        let named = before.column_name != after.column_name || before.comment != after.comment;
        if named || before.type_oid != after.type_oid {
            objects.insert((after.rel_oid, after.attnum));
        }
    }
    let changed_enums: Vec<u32> = delta
        .enums
        .changed
        .iter()
        .map(|(_, e)| e.type_oid)
        .collect();
    if !changed_enums.is_empty() {
        let users = crate::spi::select_json(ENUM_USERS_SQL, &[oid_array(Some(&changed_enums))])?;
        whole.extend(serde_json::from_value::<Vec<u32>>(users)?);
    }
    objects.retain(|(rel, _)| !whole.contains(rel));
    if !whole.is_empty() {
        let whole: Vec<u32> = whole.into_iter().collect();
        run_scoped(TERMS_SQL, Some(&whole))?;
    }
    if !objects.is_empty() {
        let (rels, attnums): (Vec<u32>, Vec<i16>) = objects.into_iter().unzip();
        execute_kept(OBJECT_TERMS_SQL, &[oid_array(Some(&rels)), attnums.into()])?;
    }
    Ok(())
}

/// Rewrites the values linked from statistics, for the relations whose
/// statistics were just copied (`None`: all).
pub fn sync_stats_values(relations: Option<&[u32]>) -> Result<()> {
    run_scoped(STATS_VALUES_SQL, relations)
}

/// Rewrites the values linked from the value index (`None`: all).
pub fn sync_index_values(relations: Option<&[u32]>) -> Result<()> {
    run_scoped(INDEX_VALUES_SQL, relations)
}

/// After a bulk write: the dictionary's pending entries merged, and
/// statistics for the kept generic plans of the maintenance statements and
/// the readers, which must see the index's real size.
pub fn settle() -> Result<()> {
    execute(MERGE_PENDING_SQL, &[])?;
    execute(
        "ANALYZE planner_meta.link_terms, planner_meta.link_phrases, planner_meta.link_values",
        &[],
    )?;
    Ok(())
}

/// Rebuilds the terms, the dictionary they enter and the enum labels from
/// the cache where they differ from it (a forced refresh, which re-links
/// the values from statistics and from the value index as it refreshes
/// them); returns how many terms were written.
pub fn rebuild_terms() -> Result<usize> {
    let sql = crate::knowledge::catalog::full_scope_sql(REBUILD_TERMS_SQL);
    let written = update_json(&sql, &[oid_array(None)])?;
    Ok(written.as_u64().unwrap_or(0) as usize)
}

/// Rebuilds the whole index from the cache.
pub fn rebuild() -> Result<()> {
    execute(CLEAR_VALUES_SQL, &[])?;
    rebuild_terms()?;
    sync_stats_values(None)?;
    sync_index_values(None)?;
    settle()
}
