//! DDL tracking per transaction: each statement only notes what it touched
//! (the one thing that moment can give), and the transaction's touched
//! objects are synchronised once, at pre-commit, or earlier when a
//! planner_meta reader in the same transaction needs the new structure.
//! A migration of many statements in one transaction pays for one sync.
//!
//! The note lives in backend memory and dies with the transaction.  A
//! statement rolled back to a savepoint may leave its objects in the note;
//! that is harmless, since the sync compares cache and catalog and finds
//! nothing for them.

use std::cell::{Cell, RefCell};

use pgrx::pg_sys;
use pgrx::pg_sys::panic::ErrorReport;
use pgrx::prelude::*;

use crate::error::Result;
use crate::knowledge::catalog::Scope;
use crate::tracking::changelog::{self, ChangeRow};
use crate::tracking::sync;

/// One tracked statement of the open transaction, in statement order.
#[derive(Debug)]
pub struct Statement {
    pub tag: String,
    pub acting_role: String,
    pub scope: Scope,
}

thread_local! {
    static PENDING: RefCell<Vec<Statement>> = const { RefCell::new(Vec::new()) };
    static CALLBACK_REGISTERED: Cell<bool> = const { Cell::new(false) };
}

/// Notes a statement's touched objects for the pre-commit synchronisation.
pub fn note(statement: Statement) {
    register_callback();
    PENDING.with(|p| p.borrow_mut().push(statement));
}

fn take() -> Vec<Statement> {
    PENDING.with(|p| std::mem::take(&mut *p.borrow_mut()))
}

fn is_empty() -> bool {
    PENDING.with(|p| p.borrow().is_empty())
}

fn register_callback() {
    if CALLBACK_REGISTERED.get() {
        return;
    }
    // SAFETY: registers a callback for the life of the backend; it is
    // registered once, and the function is 'static.
    unsafe { pg_sys::RegisterXactCallback(Some(on_transaction_event), std::ptr::null_mut()) };
    CALLBACK_REGISTERED.set(true);
}

#[pg_guard]
unsafe extern "C-unwind" fn on_transaction_event(
    event: pg_sys::XactEvent::Type,
    _arg: *mut std::ffi::c_void,
) {
    match event {
        pg_sys::XactEvent::XACT_EVENT_PRE_COMMIT | pg_sys::XactEvent::XACT_EVENT_PRE_PREPARE => {
            flush();
        }
        pg_sys::XactEvent::XACT_EVENT_ABORT
        | pg_sys::XactEvent::XACT_EVENT_PARALLEL_ABORT
        | pg_sys::XactEvent::XACT_EVENT_COMMIT
        | pg_sys::XactEvent::XACT_EVENT_PREPARE => {
            take();
        }
        _ => {}
    }
}

/// Synchronises what the transaction's statements touched, if anything.
/// It runs the SECURITY DEFINER `track_pending()` in a subtransaction, so
/// that a failure is rolled back alone and becomes the same WARNING,
/// `tracking_errors` row and stale mark as a failure at the statement:
/// nothing escapes into the user's commit.
pub fn flush() {
    synchronize_pending(false);
}

/// `version_checked`: the caller has just made sure the installed SQL
/// objects are this release's.  Otherwise that comes first, so that SQL
/// objects of another release (an update not yet run) are reported as
/// such, not as whatever their older shape fails with; and an extension
/// dropped later in the transaction leaves nothing to synchronise.
fn synchronize_pending(version_checked: bool) {
    if is_empty() {
        return;
    }
    let tag = PENDING.with(|p| p.borrow().last().map(|s| s.tag.clone()));
    if let Err(failure) = crate::subxact::run_caught(|| {
        if !version_checked && !crate::version::is_installed()? {
            return Ok(());
        }
        Spi::run("SELECT planner_meta.track_pending()")?;
        Ok::<(), crate::error::PlannerError>(())
    }) {
        take();
        record_failure(tag.as_deref(), &failure);
    }
}

fn record_failure(tag: Option<&str>, failure: &crate::subxact::Failure) {
    // As the owner: the committing role may hold no privilege on
    // planner_meta's private tables, and the stale mark must still be set.
    let recorded = crate::subxact::run_caught(|| {
        crate::as_owner::read_as_owner(|| {
            Spi::run_with_args(
                "SELECT planner_meta.record_tracking_failure($1, $2, $3, NULL, 'at commit')",
                &[
                    tag.into(),
                    failure.sqlstate.as_str().into(),
                    failure.message.as_str().into(),
                ],
            )?;
            Ok(())
        })
    });
    let hint = if recorded.is_ok() {
        "The statement succeeded; the cache is marked stale and is repaired by the next read or planner_meta.refresh()."
    } else {
        "The statement succeeded; run planner_meta.refresh() to repair the cache."
    };
    ErrorReport::new(
        PgSqlErrorCode::ERRCODE_WARNING,
        format!(
            "planner_meta could not track {}: {}",
            tag.unwrap_or("DDL"),
            failure.message
        ),
        "planner_meta",
    )
    .set_hint(hint)
    .report(PgLogLevel::WARNING);
}

/// Before a planner_meta function reads: the library matches the installed
/// SQL objects, and the transaction's own DDL so far is in the cache, so a
/// migration that asks after its DDL gets the new structure.
pub fn ready_to_read() -> Result<()> {
    crate::version::ensure_installed_matches()?;
    synchronize_pending(true);
    Ok(())
}

/// Which statement a change row belongs to, among those that touched its
/// object: a creation to the first; a comment change to the last COMMENT;
/// any other change to the last statement that is not a COMMENT.  Rows
/// about no noted object go to the last statement.
pub fn statement_of(row: &ChangeRow, statements: &[Statement]) -> usize {
    let touches = |s: &Statement| match (row.rel_oid, row.schema_oid) {
        (Some(rel), _) => s.scope.relations.as_deref().unwrap_or(&[]).contains(&rel),
        (None, Some(schema)) => s.scope.schemas.as_deref().unwrap_or(&[]).contains(&schema),
        (None, None) => false,
    };
    let last = statements.len().saturating_sub(1);
    let last_where = |fits: &dyn Fn(&Statement) -> bool| {
        statements
            .iter()
            .rposition(|s| touches(s) && fits(s))
            .or_else(|| statements.iter().rposition(touches))
            .unwrap_or(last)
    };
    if row.action.starts_with("created_") {
        statements.iter().position(touches).unwrap_or(last)
    } else if row.action == "comment_changed" {
        last_where(&|s| s.tag == "COMMENT")
    } else {
        last_where(&|s| s.tag != "COMMENT")
    }
}

/// The union of the statements' scopes.
fn union_scope(statements: &[Statement]) -> Scope {
    let merged = |pick: fn(&Scope) -> &Option<Vec<u32>>| {
        let mut all: Vec<u32> = statements
            .iter()
            .flat_map(|s| pick(&s.scope).iter().flatten().copied())
            .collect();
        all.sort_unstable();
        all.dedup();
        Some(all)
    };
    Scope {
        schemas: merged(|s| &s.schemas),
        relations: merged(|s| &s.relations),
        types: merged(|s| &s.types),
    }
}

/// Synchronises the noted statements at once and logs each change under the
/// statement it belongs to, in statement order.
fn synchronize_noted(statements: &[Statement]) -> Result<()> {
    let scope = union_scope(statements);
    let rows = sync::synchronize_ddl(&scope)?;
    let mut by_statement: Vec<Vec<ChangeRow>> = vec![Vec::new(); statements.len()];
    for row in rows {
        by_statement[statement_of(&row, statements)].push(row);
    }
    for (statement, rows) in statements.iter().zip(&by_statement) {
        changelog::write_as(rows, Some(&statement.tag), &statement.acting_role)?;
    }
    Ok(())
}

/// Called by flush(); as the owner, with the rendering settings pinned as
/// for the statement-time tracking.  Any role may call it: it synchronises
/// only what this backend's own DDL noted, which that role's DDL caused.
#[pg_extern(sql = "
    CREATE FUNCTION track_pending() RETURNS void
    VOLATILE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
    SET datestyle = 'ISO, YMD' SET intervalstyle = 'postgres' SET extra_float_digits = 1
    SET plan_cache_mode = force_generic_plan
    LANGUAGE c AS 'MODULE_PATHNAME', 'track_pending_wrapper';
")]
fn track_pending() -> std::result::Result<(), ErrorReport> {
    let statements = take();
    if statements.is_empty() {
        return Ok(());
    }
    synchronize_noted(&statements).map_err(Into::into)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn statement(tag: &str, relations: &[u32]) -> Statement {
        Statement {
            tag: tag.into(),
            acting_role: "app".into(),
            scope: Scope {
                schemas: Some(vec![]),
                relations: Some(relations.to_vec()),
                types: Some(vec![]),
            },
        }
    }

    fn row(action: &str, rel: Option<u32>) -> ChangeRow {
        let mut row = ChangeRow::unattached(action, "table", json!({}));
        row.rel_oid = rel;
        row
    }

    #[test]
    fn a_creation_belongs_to_the_first_statement_and_a_change_to_the_last_of_its_kind() {
        let statements = [
            statement("CREATE TABLE", &[10]),
            statement("ALTER TABLE", &[20]),
            statement("ALTER TABLE", &[10]),
            statement("CREATE INDEX", &[10, 30]),
            statement("COMMENT", &[20]),
        ];
        assert_eq!(
            statement_of(&row("created_table", Some(10)), &statements),
            0
        );
        assert_eq!(
            statement_of(&row("updated_table_structure", Some(10)), &statements),
            3
        );
        assert_eq!(
            statement_of(&row("updated_table_structure", Some(20)), &statements),
            1
        );
        assert_eq!(
            statement_of(&row("comment_changed", Some(20)), &statements),
            4
        );
        assert_eq!(
            statement_of(&row("comment_changed", Some(10)), &statements),
            3
        );
        assert_eq!(statement_of(&row("comment_changed", None), &statements), 4);
        assert_eq!(
            statement_of(&row("dropped_table", Some(99)), &statements),
            4
        );
    }

    #[test]
    fn the_union_scope_lists_each_object_once() {
        let scope = union_scope(&[statement("A", &[3, 1]), statement("B", &[1, 2])]);
        assert_eq!(scope.relations, Some(vec![1, 2, 3]));
        assert!(scope.is_partial());
    }
}
