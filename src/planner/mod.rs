//! plan(question): deterministic, explainable schema linking.  Plain Rust,
//! no server: `planner_api` fetches the knowledge and returns the JSON.
//!
//! question -> words (text) -> links to tables / columns / values (link)
//! -> intent (intent) -> chosen tables and join tree (joins) -> plan JSON
//! with a draft SQL statement (plan), or a metadata answer.

pub mod context;
pub mod infer;
pub mod intent;
pub mod joins;
pub mod link;
pub mod model;
pub mod plan;
pub mod terms;
pub mod text;
