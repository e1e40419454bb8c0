//! Settings, all named planner_meta.*.  Those that change what is tracked
//! or what the server reads are superuser-only (switching tracking off
//! hides DDL from the log; the lexicon path names server files); those
//! that change only the session's own reads (max_age, weights) are not.

use std::ffi::CString;

use pgrx::{GucContext, GucFlags, GucRegistry, GucSetting};

pub static ENABLED: GucSetting<bool> = GucSetting::<bool>::new(true);
pub static LOG_STATEMENTS: GucSetting<bool> = GucSetting::<bool>::new(false);
pub static NOTIFY: GucSetting<bool> = GucSetting::<bool>::new(true);
pub static FAULT_INJECTION: GucSetting<bool> = GucSetting::<bool>::new(false);
pub static VALUES_MAX_DISTINCT: GucSetting<i32> = GucSetting::<i32>::new(1000);
pub static VALUES_MAX_LENGTH: GucSetting<i32> = GucSetting::<i32>::new(100);
pub static VALUES_TIME_BUDGET: GucSetting<i32> = GucSetting::<i32>::new(2000);
/// What plan() and find_values() may spend re-reading stale indexed columns.
pub static VALUES_READ_BUDGET: GucSetting<i32> = GucSetting::<i32>::new(100);
/// Seconds after which data knowledge (statistics) counts as stale.
pub static MAX_AGE: GucSetting<i32> = GucSetting::<i32>::new(86_400);
/// Where `load_lexicon()` and CREATE EXTENSION look for WordNet's files
/// (Debian's wordnet-base installs them there).
pub static LEXICON_PATH: GucSetting<Option<CString>> =
    GucSetting::<Option<CString>>::new(Some(c"/usr/share/wordnet"));

/// Changes to the planner's shipped weights for this session (JSON).
pub static WEIGHTS: GucSetting<Option<CString>> = GucSetting::<Option<CString>>::new(None);

/// The session's `planner_meta.weights`, when set and not empty.
pub fn weights() -> Option<String> {
    WEIGHTS
        .get()
        .map(|w| w.to_string_lossy().into_owned())
        .filter(|w| !w.trim().is_empty())
}

/// The folder `planner_meta.lexicon_path` names (empty when unset).
pub fn lexicon_path() -> String {
    LEXICON_PATH
        .get()
        .map(|p| p.to_string_lossy().into_owned())
        .unwrap_or_default()
}

pub fn register() {
    GucRegistry::define_bool_guc(
        c"planner_meta.enabled",
        c"Track DDL into the cache and the change log.",
        c"Off: DDL is not tracked (for bulk loads such as pg_restore); run planner_meta.refresh() afterwards.",
        &ENABLED,
        GucContext::Suset,
        GucFlags::default(),
    );
    GucRegistry::define_bool_guc(
        c"planner_meta.log_statements",
        c"Record the statement text of tracked DDL in the change log.",
        c"Off by default: DDL such as CREATE USER MAPPING can carry passwords.",
        &LOG_STATEMENTS,
        GucContext::Suset,
        GucFlags::default(),
    );
    GucRegistry::define_bool_guc(
        c"planner_meta.notify",
        c"Send NOTIFY planner_meta for each change.",
        c"Notifications are delivered when the DDL's transaction commits.",
        &NOTIFY,
        GucContext::Suset,
        GucFlags::default(),
    );
    GucRegistry::define_int_guc(
        c"planner_meta.max_age",
        c"Age after which data knowledge (statistics) is refreshed on read.",
        c"Data knowledge is also stale once the relation was ANALYZEd after it was read.",
        &MAX_AGE,
        0,
        i32::MAX,
        GucContext::Userset,
        GucFlags::UNIT_S,
    );
    GucRegistry::define_int_guc(
        c"planner_meta.values_max_distinct",
        c"Columns with more distinct values stay out of the value index.",
        c"",
        &VALUES_MAX_DISTINCT,
        1,
        1_000_000,
        GucContext::Suset,
        GucFlags::default(),
    );
    GucRegistry::define_int_guc(
        c"planner_meta.values_max_length",
        c"Longer values stay out of the value index.",
        c"",
        &VALUES_MAX_LENGTH,
        1,
        10_000,
        GucContext::Suset,
        GucFlags::default(),
    );
    GucRegistry::define_int_guc(
        c"planner_meta.values_time_budget",
        c"Time refresh_values() may spend before it stops and reports what it skipped.",
        c"",
        &VALUES_TIME_BUDGET,
        0,
        i32::MAX,
        GucContext::Suset,
        GucFlags::UNIT_MS,
    );
    GucRegistry::define_int_guc(
        c"planner_meta.values_read_budget",
        c"Time plan() and find_values() may spend re-reading stale columns of the value index.",
        c"At most one pass every few seconds per session; 0 turns refreshing on read off.",
        &VALUES_READ_BUDGET,
        0,
        i32::MAX,
        GucContext::Suset,
        GucFlags::UNIT_MS,
    );
    GucRegistry::define_string_guc(
        c"planner_meta.lexicon_path",
        c"Folder of WordNet's database files, read by load_lexicon() and CREATE EXTENSION.",
        c"Superuser-only: the server reads the files named there.",
        &LEXICON_PATH,
        GucContext::Suset,
        GucFlags::default(),
    );
    GucRegistry::define_string_guc(
        c"planner_meta.weights",
        c"Planner weights to use instead of the shipped ones, as a JSON object.",
        c"For training and experiments: {\"lexical\": 0.7} changes one weight for this session.",
        &WEIGHTS,
        GucContext::Userset,
        GucFlags::default(),
    );
    GucRegistry::define_bool_guc(
        c"planner_meta.fault_injection",
        c"Make DDL tracking fail on purpose (tests only).",
        c"Proves that a failure inside tracking never aborts the user's DDL.",
        &FAULT_INJECTION,
        GucContext::Suset,
        GucFlags::NO_SHOW_ALL,
    );
}
