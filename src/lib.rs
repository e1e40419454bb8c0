//! planner_meta: an always-current picture of the database, kept inside it.
//!
//! Data path: pg_catalog --(catalog)--> typed rows --(diff)--> delta
//! --(cache)--> planner_meta.cache_* tables --(visible_* views)--> API.
//! DDL: event trigger --(events)--> scope --(sync)--> delta --(changelog)
//! --> change_log rows + NOTIFY, in the DDL's own transaction.

// SQL-facing functions return Result<_, ErrorReport> to raise real SQLSTATEs;
// pgrx raises the error the moment it is returned, so its size never travels
// far and boxing it would only add an allocation.
#![allow(clippy::result_large_err)]

::pgrx::pg_module_magic!(name, version);

// The three subsystems: tracking follows DDL into the knowledge, knowledge
// is what is kept on disk, planning reads it for a question.
mod knowledge;
mod planning;
mod tracking;

// The SQL-facing functions, thin over the subsystems.
mod api;
mod data_api;
mod planner_api;

// Shared plumbing.
mod as_owner;
mod error;
mod guc;
mod roles;
mod spi;
mod subxact;
mod version;

#[pgrx::pg_guard]
pub extern "C-unwind" fn _PG_init() {
    guc::register();
}

// Tables, views and SQL-language functions come first; the Rust functions
// are created after them, and the first discovery runs last.
pgrx::extension_sql_file!("../sql/bootstrap.sql", name = "bootstrap", bootstrap);
pgrx::extension_sql_file!(
    "../sql/changelog.sql",
    name = "changelog",
    requires = ["bootstrap"]
);
pgrx::extension_sql_file!(
    "../sql/link_index.sql",
    name = "link_index",
    requires = ["bootstrap"]
);
pgrx::extension_sql_file!(
    "../sql/lexicon.sql",
    name = "lexicon",
    requires = ["bootstrap"]
);
pgrx::extension_sql_file!("../sql/finalize.sql", name = "finalize", finalize);

#[cfg(any(test, feature = "pg_test"))]
mod pg_tests;

/// Required by `cargo pgrx test`.
#[cfg(test)]
pub mod pg_test {
    pub fn setup(_options: Vec<&str>) {}

    #[must_use]
    pub fn postgresql_conf_options() -> Vec<&'static str> {
        vec![]
    }
}
