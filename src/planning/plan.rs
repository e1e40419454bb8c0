//! Planning a question, as a pipeline of stages with typed hand-offs:
//!
//! 1. analysis: the question's words, stems and quoted literals
//!    ([`Question`]) and its intent cues (`intent`);
//! 2. candidate retrieval: the tables, columns and values the words link
//!    to, with merged evidence ([`Candidates`]);
//! 3. selection: the tables chosen and connected over foreign keys
//!    ([`select::Selection`]);
//! 4. the query skeleton: filters, grouping, aggregates, ordering, limit,
//!    negation and the select items ([`skeleton::Skeleton`]);
//! 5. rendering: the [`Plan`] with its draft SQL, and its JSON.

use super::candidates::Candidates;
use super::intent::{meta_question, MetaQuestion};
use super::joins::Join;
use super::link::{Evidence, Question};
use super::model::Model;
use super::{render, select, skeleton};

pub use super::render::to_json;
pub use super::skeleton::Filter;
pub use super::sql::metadata_sql;

/// Most tables a plan chooses unless the caller asks otherwise.
pub const DEFAULT_MAX_TABLES: usize = 5;

/// A plan before it is rendered as JSON.
#[derive(Debug, Default)]
pub struct Plan {
    /// `sql`, or `metadata` for a question about the database itself.
    pub query_type: &'static str,
    /// The plan's tables, the one asked for first, with their evidence.
    pub tables: Vec<(usize, Evidence)>,
    /// Columns relevant to the query, best first.
    pub columns: Vec<((usize, usize), Evidence)>,
    pub joins: Vec<Join>,
    /// Joins turned into `NOT IN` filters ("students without friends").
    pub anti_joins: Vec<Join>,
    pub filters: Vec<Filter>,
    pub select: Vec<String>,
    pub aggregations: Vec<String>,
    pub group_by: Vec<String>,
    pub having: Vec<String>,
    pub order_by: Vec<String>,
    pub limit: Option<u64>,
    /// The draft statement; empty when no table was found.
    pub sql: String,
    pub confidence: f64,
    /// Words of the question that linked to nothing.
    pub unmatched: Vec<String>,
    /// The plan in words.
    pub instructions: String,
    pub meta: Option<MetaQuestion>,
    /// Every table the question's words linked, itself or through a
    /// column, chosen or not (context() shows them after the plan's).
    pub linked: Vec<usize>,
}

/// Plans `question` over `model`, choosing at most `max_tables` tables
/// (bridges come on top), without lexicon alternates.
#[cfg(test)]
pub fn make_plan(model: &Model, question: &str, max_tables: usize) -> Plan {
    plan_question(model, &Question::new(question), max_tables)
}

/// Plans an analysed question (its lexicon alternates included).
pub fn plan_question(model: &Model, question: &Question, max_tables: usize) -> Plan {
    let candidates = Candidates::retrieve(model, question);
    let chosen = select::choose_tables(&candidates, max_tables);
    let links = &candidates.links;
    let linked = links
        .tables
        .keys()
        .copied()
        .chain(links.columns.keys().map(|(t, _)| *t))
        .collect();
    let plan = if let Some(meta) = meta_question(question, !links.tables.is_empty()) {
        render::metadata_plan(&candidates, &chosen, meta)
    } else {
        let selection = select::connect_chosen(&candidates, chosen);
        let skeleton = skeleton::build(&candidates, &selection);
        render::sql_plan(&candidates, selection, skeleton)
    };
    Plan { linked, ..plan }
}
