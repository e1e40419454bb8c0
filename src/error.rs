//! Errors raised to SQL callers, each with the SQLSTATE a client can act on.

use pgrx::pg_sys::panic::ErrorReport;
use pgrx::prelude::*;
use pgrx::spi::SpiError;

/// Everything that can go wrong in planner_meta's SQL surface.
#[derive(Debug)]
pub enum PlannerError {
    /// A required argument was NULL.
    NullArgument(&'static str),
    /// No relation has this oid.
    UnknownRelation(u32),
    /// The relation exists but planner_meta does not track its kind or schema.
    NotTracked(String),
    /// The object is tracked but the caller holds no privilege on it.
    NotVisible(String),
    /// No visible schema of that name.
    UnknownSchema(String),
    /// A text argument longer than accepted.
    TooLong(&'static str, usize),
    /// plan()'s options are malformed.
    InvalidOption(String),
    /// A number argument outside its range.
    OutOfRange(&'static str, i32, i32),
    /// The cache holds something the code cannot read back.
    Corrupt(String),
    /// The installed SQL objects belong to another release than the library.
    VersionMismatch(String),
    /// The lexicon's source files could not be read.
    LexiconFiles(String),
    /// A query against the server failed.
    Spi(SpiError),
}

impl std::fmt::Display for PlannerError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PlannerError::NullArgument(arg) => write!(f, "argument \"{arg}\" must not be NULL"),
            PlannerError::UnknownRelation(oid) => {
                write!(f, "relation with OID {oid} does not exist")
            }
            PlannerError::NotTracked(what) => write!(f, "{what} is not tracked by planner_meta"),
            PlannerError::NotVisible(what) => write!(f, "permission denied for {what}"),
            PlannerError::UnknownSchema(name) => {
                write!(f, "schema \"{name}\" does not exist or is not visible")
            }
            PlannerError::TooLong(arg, max) => {
                write!(f, "argument \"{arg}\" is longer than {max} characters")
            }
            PlannerError::InvalidOption(msg) => write!(f, "invalid plan option: {msg}"),
            PlannerError::OutOfRange(arg, lo, hi) => {
                write!(f, "argument \"{arg}\" must be between {lo} and {hi}")
            }
            PlannerError::Corrupt(msg) => write!(f, "planner_meta cache is unreadable: {msg}"),
            PlannerError::VersionMismatch(installed) => write!(
                f,
                "planner_meta library {} does not match the installed extension version {installed}",
                crate::version::LIBRARY_VERSION
            ),
            PlannerError::LexiconFiles(msg) => write!(f, "could not read the lexicon: {msg}"),
            PlannerError::Spi(e) => write!(f, "planner_meta query failed: {e}"),
        }
    }
}

impl From<SpiError> for PlannerError {
    fn from(e: SpiError) -> Self {
        PlannerError::Spi(e)
    }
}

impl From<serde_json::Error> for PlannerError {
    fn from(e: serde_json::Error) -> Self {
        PlannerError::Corrupt(e.to_string())
    }
}

impl PlannerError {
    fn sqlstate(&self) -> PgSqlErrorCode {
        match self {
            PlannerError::NullArgument(_) => PgSqlErrorCode::ERRCODE_NULL_VALUE_NOT_ALLOWED,
            PlannerError::UnknownRelation(_) => PgSqlErrorCode::ERRCODE_UNDEFINED_TABLE,
            PlannerError::NotTracked(_) => PgSqlErrorCode::ERRCODE_WRONG_OBJECT_TYPE,
            PlannerError::NotVisible(_) => PgSqlErrorCode::ERRCODE_INSUFFICIENT_PRIVILEGE,
            PlannerError::UnknownSchema(_) => PgSqlErrorCode::ERRCODE_INVALID_SCHEMA_NAME,
            PlannerError::TooLong(..) => PgSqlErrorCode::ERRCODE_PROGRAM_LIMIT_EXCEEDED,
            PlannerError::OutOfRange(..) => PgSqlErrorCode::ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE,
            PlannerError::InvalidOption(_) => PgSqlErrorCode::ERRCODE_INVALID_PARAMETER_VALUE,
            PlannerError::Corrupt(_) => PgSqlErrorCode::ERRCODE_DATA_CORRUPTED,
            PlannerError::VersionMismatch(_) => {
                PgSqlErrorCode::ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE
            }
            PlannerError::LexiconFiles(_) => PgSqlErrorCode::ERRCODE_UNDEFINED_FILE,
            PlannerError::Spi(_) => PgSqlErrorCode::ERRCODE_INTERNAL_ERROR,
        }
    }

    fn hint(&self) -> Option<&'static str> {
        match self {
            PlannerError::NotTracked(_) => Some(
                "planner_meta tracks tables, views, materialized views and foreign tables outside system schemas.",
            ),
            PlannerError::Corrupt(_) => Some("Run SELECT planner_meta.refresh(true) to rebuild the cache."),
            PlannerError::LexiconFiles(_) => Some(
                "Install WordNet's database files (Debian: wordnet-base) or set planner_meta.lexicon_path to their folder.",
            ),
            PlannerError::VersionMismatch(installed) => {
                if crate::version::is_older(installed, crate::version::LIBRARY_VERSION) {
                    Some("Run ALTER EXTENSION planner_meta UPDATE.")
                } else {
                    Some("Reconnect: this session still runs the library it loaded before the update.")
                }
            }
            _ => None,
        }
    }
}

impl From<PlannerError> for ErrorReport {
    fn from(e: PlannerError) -> Self {
        let report = ErrorReport::new(e.sqlstate(), e.to_string(), "planner_meta");
        match e.hint() {
            Some(hint) => report.set_hint(hint),
            None => report,
        }
    }
}

pub type Result<T> = std::result::Result<T, PlannerError>;

/// Raises an error from a function whose return type cannot carry a Result
/// (set-returning functions).
pub fn raise(e: PlannerError) -> ! {
    ErrorReport::from(e).report(PgLogLevel::ERROR);
    unreachable!("an ERROR report does not return")
}
