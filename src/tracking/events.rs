//! DDL event triggers: find what a statement touched and note it; the
//! transaction's noted objects are synchronised and logged once, at
//! pre-commit (tracking/pending.rs), still inside the DDL's transaction.
//!
//! The event triggers call thin PL/pgSQL wrappers (sql/finalize.sql) that
//! run these functions inside an exception block, so a failure here becomes
//! a WARNING and a row in planner_meta.tracking_errors, never a failed DDL.

use pgrx::pg_sys::panic::ErrorReport;
use pgrx::prelude::*;
use serde::Deserialize;

use crate::error::PlannerError;
use crate::guc;
use crate::knowledge::catalog::Scope;
use crate::spi::{oid_array, select_json, select_json_kept};
use crate::tracking::changelog::{self, ChangeRow};
use crate::tracking::pending;

const DDL_COMMANDS_SQL: &str = include_str!("../../sql/events/ddl_commands.sql");
const OBJECT_RELATIONS_SQL: &str = include_str!("../../sql/events/object_relations.sql");
const FAMILY_SQL: &str = include_str!("../../sql/events/family.sql");
const SCHEMA_MEMBERS_SQL: &str = include_str!("../../sql/events/schema_members.sql");
const EXTENSION_MEMBERS_SQL: &str = include_str!("../../sql/events/extension_members.sql");
const DROP_SCOPE_SQL: &str = include_str!("../../sql/events/drop_scope.sql");
const GRANTS_SQL: &str = "\
    SELECT coalesce(jsonb_agg(DISTINCT lower(object_type)), '[]'::jsonb) \
      FROM pg_event_trigger_ddl_commands() WHERE command_tag IN ('GRANT', 'REVOKE')";

/// Oids of the objects a statement touched, by kind.
#[derive(Debug, Default, Deserialize)]
struct Touched {
    #[serde(default)]
    relations: Vec<u32>,
    #[serde(default)]
    schemas: Vec<u32>,
    #[serde(default)]
    types: Vec<u32>,
}

impl Touched {
    fn absorb(&mut self, other: Touched) {
        self.relations.extend(other.relations);
        self.schemas.extend(other.schemas);
        self.types.extend(other.types);
    }

    fn into_scope(mut self) -> Scope {
        for list in [&mut self.relations, &mut self.schemas, &mut self.types] {
            list.sort_unstable();
            list.dedup();
        }
        Scope {
            schemas: Some(self.schemas),
            relations: Some(self.relations),
            types: Some(self.types),
        }
    }
}

fn oid_list(sql: &str, oids: &[u32]) -> Result<Vec<u32>, PlannerError> {
    Ok(serde_json::from_value(select_json_kept(
        sql,
        &[oid_array(Some(oids))],
    )?)?)
}

fn members(sql: &str, oids: &[u32]) -> Result<Touched, PlannerError> {
    if oids.is_empty() {
        return Ok(Touched::default());
    }
    Ok(serde_json::from_value(select_json_kept(
        sql,
        &[oid_array(Some(oids))],
    )?)?)
}

/// The part of the cache a ddl_command_end may have changed.  Each step is
/// a separate indexed query, and the member expansions run only for the
/// commands that need them, so ordinary DDL pays for what it touched.
fn ddl_scope(tag: &str) -> Result<Scope, PlannerError> {
    let objects: Vec<(u32, u32)> =
        serde_json::from_value(select_json_kept(DDL_COMMANDS_SQL, &[])?)?;
    let of_class = |class: pg_sys::Oid| -> Vec<u32> {
        objects
            .iter()
            .filter(|(c, _)| *c == u32::from(class))
            .map(|(_, o)| *o)
            .collect()
    };
    let mut touched = Touched {
        schemas: of_class(pg_sys::NamespaceRelationId),
        types: of_class(pg_sys::TypeRelationId),
        ..Touched::default()
    };
    // A new schema has no members yet; a renamed one renames them all.
    if tag == "ALTER SCHEMA" {
        let schemas = touched.schemas.clone();
        touched.absorb(members(SCHEMA_MEMBERS_SQL, &schemas)?);
    }
    touched.absorb(members(
        EXTENSION_MEMBERS_SQL,
        &of_class(pg_sys::ExtensionRelationId),
    )?);

    let mut classids: Vec<u32> = objects.iter().map(|(c, _)| *c).collect();
    let mut objids: Vec<u32> = objects.iter().map(|(_, o)| *o).collect();
    for (class, list) in [
        (pg_sys::RelationRelationId, &touched.relations),
        (pg_sys::TypeRelationId, &touched.types),
    ] {
        classids.extend(std::iter::repeat_n(u32::from(class), list.len()));
        objids.extend(list.iter().copied());
    }
    let mut relations: Vec<u32> = if objids.is_empty() {
        Vec::new()
    } else {
        let args = [oid_array(Some(&classids)), oid_array(Some(&objids))];
        serde_json::from_value(select_json_kept(OBJECT_RELATIONS_SQL, &args)?)?
    };
    if !relations.is_empty() {
        relations.extend(oid_list(FAMILY_SQL, &relations)?);
    }
    touched.relations.extend(relations);
    Ok(touched.into_scope())
}

/// The part of the cache an sql_drop removes.
fn drop_scope() -> Result<Scope, PlannerError> {
    let touched: Touched = serde_json::from_value(select_json_kept(DROP_SCOPE_SQL, &[])?)?;
    Ok(touched.into_scope())
}

/// A Rust panic is the harshest failure tracking can meet; the tests use
/// this to prove that even a panic leaves the user's DDL intact.
fn panic_if_injected() {
    if guc::FAULT_INJECTION.get() {
        panic!("fault injected by planner_meta.fault_injection");
    }
}

/// GRANT and REVOKE change no cached structure (visibility is computed at
/// read time), but they are changes a reader may want to see.
fn privilege_rows() -> Result<Vec<ChangeRow>, PlannerError> {
    let kinds: Vec<String> = serde_json::from_value(select_json(GRANTS_SQL, &[])?)?;
    Ok(kinds
        .into_iter()
        .map(|kind| ChangeRow::unattached("privileges_changed", &kind, serde_json::json!({})))
        .collect())
}

fn track(scope: fn(&str) -> Result<Scope, PlannerError>, tag: &str) -> Result<(), PlannerError> {
    if !guc::ENABLED.get() {
        return Ok(());
    }
    if crate::version::in_own_extension_script() {
        return Ok(());
    }
    panic_if_injected();
    let scope = scope(tag)?;
    pending::note(pending::Statement {
        tag: tag.to_string(),
        acting_role: crate::roles::acting_role(),
        scope,
    });
    if tag == "GRANT" || tag == "REVOKE" {
        changelog::write(&privilege_rows()?, Some(tag))?;
    }
    Ok(())
}

/// Called at ddl_command_end by the event trigger's wrapper.  Rendering
/// settings are pinned as in refresh(), so the cache never depends on the
/// session that ran the DDL.  Plans are generic from the first call: every
/// query here is a lookup by key, and re-planning would cost more than it runs.
#[pg_extern(sql = "
    CREATE FUNCTION track_ddl_command_end(tag text) RETURNS void
    VOLATILE SET datestyle = 'ISO, YMD' SET intervalstyle = 'postgres' SET extra_float_digits = 1
    SET plan_cache_mode = force_generic_plan
    LANGUAGE c AS 'MODULE_PATHNAME', 'track_ddl_command_end_wrapper';
")]
fn track_ddl_command_end(tag: &str) -> Result<(), ErrorReport> {
    track(ddl_scope, tag).map_err(ErrorReport::from)
}

/// Called at sql_drop by the event trigger's wrapper.
#[pg_extern(sql = "
    CREATE FUNCTION track_sql_drop(tag text) RETURNS void
    VOLATILE SET datestyle = 'ISO, YMD' SET intervalstyle = 'postgres' SET extra_float_digits = 1
    SET plan_cache_mode = force_generic_plan
    LANGUAGE c AS 'MODULE_PATHNAME', 'track_sql_drop_wrapper';
")]
fn track_sql_drop(tag: &str) -> Result<(), ErrorReport> {
    track(|_| drop_scope(), tag).map_err(ErrorReport::from)
}
