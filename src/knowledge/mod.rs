//! Knowledge: the picture of the database kept in planner_meta's tables:
//! catalog rows read from pg_catalog, the cache they are written to, data
//! statistics and the value index, the linking index and the lexicon.

pub mod cache;
pub mod catalog;
pub mod lexicon;
pub mod link_index;
pub mod pg_major;
pub mod position;
pub mod rows;
pub mod scan;
pub mod stale_check;
pub mod stale_data;
pub mod values;
pub mod visibility;
