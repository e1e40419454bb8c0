//! plan(question): deterministic, explainable schema linking.  Plain Rust,
//! no server: `planner_api` fetches the knowledge and returns the JSON.
//!
//! In the server, retrieval comes first (`crate::planning::retrieve`): the
//! question's keys (`terms::question_keys`) are looked up in the on-disk
//! linking index, and the model is built of only the relations they reach
//! and their join neighbourhood.  `terms` holds the phrases an object is
//! indexed by, shared by that index and the model so that both agree.
//!
//! `plan::make_plan` runs the stages in order, each handing the next a
//! typed result:
//!
//! 1. analysis: the question's words, stems and quoted literals
//!    (`link::Question`, over `text`), and its intent cues: aggregates,
//!    comparisons with numbers and dates (`comparisons`), superlatives,
//!    grouping, ordering, limit, negation (`intent`);
//! 2. candidates: the tables, columns and values of the model the words
//!    link to (`link`), with their evidence merged
//!    (`candidates::Candidates`);
//! 3. selection: the tables chosen and connected over foreign keys,
//!    declared or inferred (`select::Selection`, over `joins` and `infer`);
//! 4. the query skeleton: negation, filters, grouping and aggregates,
//!    ordering and limit, select items (`skeleton::Skeleton`);
//! 5. rendering: the `plan::Plan` with its draft SQL and its JSON
//!    (`render`, `sql`), or the schema as DDL for a prompt (`context`).
//!
//! `model` holds what the planner knows of the database; `columns` reads
//! types and names off its columns.

pub mod candidates;
pub mod columns;
pub mod comparisons;
pub mod context;
pub mod conventions;
#[cfg(test)]
mod fixtures;
pub mod infer;
pub mod intent;
pub mod joins;
pub mod lexical;
pub mod link;
pub mod loose;
pub mod model;
pub mod morphology;
pub mod plan;
pub mod render;
pub mod retrieve;
pub mod select;
pub mod skeleton;
pub mod sql;
pub mod superlatives;
pub mod terms;
pub mod text;
pub mod weights;
