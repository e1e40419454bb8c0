//! Tracking: DDL event triggers find what a statement touched, the sync
//! brings that part of the cache in line with the catalog, and the change
//! log records the difference, all in the DDL's own transaction.

pub mod changelog;
pub mod diff;
pub mod events;
pub mod full_diff;
pub mod pending;
pub mod sync;
