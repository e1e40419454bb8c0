//! Running a step in its own subtransaction and catching what it raises,
//! the way a PL/pgSQL exception block does, for code that runs where no
//! error may escape (the pre-commit synchronisation).

use pgrx::pg_sys;
use pgrx::prelude::*;

/// What a caught error said.
pub struct Failure {
    pub sqlstate: String,
    pub message: String,
}

/// Runs `step` in a subtransaction with an active snapshot; on any error
/// (or panic) rolls the subtransaction back and returns what it said.
pub fn run_caught<F, E>(step: F) -> Result<(), Failure>
where
    F: FnOnce() -> Result<(), E> + std::panic::UnwindSafe,
    E: std::fmt::Display,
{
    // SAFETY: the sequence is the one PL/pgSQL's exception blocks use:
    // begin an internal subtransaction, run, then release it or roll it
    // back, restoring the caller's memory context and resource owner.
    unsafe {
        let context = pg_sys::CurrentMemoryContext;
        let owner = pg_sys::CurrentResourceOwner;
        pg_sys::BeginInternalSubTransaction(std::ptr::null());
        pg_sys::MemoryContextSwitchTo(context);
        let pushed = !pg_sys::ActiveSnapshotSet();
        if pushed {
            pg_sys::PushActiveSnapshot(pg_sys::GetTransactionSnapshot());
        }
        let outcome = PgTryBuilder::new(|| {
            step().map_err(|e| Failure {
                sqlstate: "XX000".into(),
                message: e.to_string(),
            })
        })
        .catch_others(|caught| Err(failure_of(caught)))
        .execute();
        match outcome {
            Ok(()) => {
                if pushed {
                    pg_sys::PopActiveSnapshot();
                }
                pg_sys::ReleaseCurrentSubTransaction();
            }
            Err(_) => pg_sys::RollbackAndReleaseCurrentSubTransaction(),
        }
        pg_sys::MemoryContextSwitchTo(context);
        pg_sys::CurrentResourceOwner = owner;
        outcome
    }
}

fn failure_of(caught: pg_sys::panic::CaughtError) -> Failure {
    let report = match caught {
        pg_sys::panic::CaughtError::PostgresError(report)
        | pg_sys::panic::CaughtError::ErrorReport(report) => report,
        pg_sys::panic::CaughtError::RustPanic { ereport, .. } => ereport,
    };
    Failure {
        sqlstate: sqlstate_text(report.sql_error_code()),
        message: report.message().to_string(),
    }
}

/// The five-character SQLSTATE, as SQL reports it.
fn sqlstate_text(code: pg_sys::errcodes::PgSqlErrorCode) -> String {
    // SAFETY: unpack_sql_state writes into a static buffer and returns it;
    // the text is copied out at once.
    unsafe { std::ffi::CStr::from_ptr(pg_sys::unpack_sql_state(code as i32)) }
        .to_string_lossy()
        .into_owned()
}
