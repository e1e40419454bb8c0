//! plan() and context(): retrieve the part of the database a question can
//! be about (`retrieve`, through the caller's privileges), build the
//! planner's model of just that part and return JSON / text.  All linking
//! logic is in `planner`, which needs no server.

use std::ffi::CString;

use pgrx::pg_sys::panic::ErrorReport;
use pgrx::prelude::*;
use pgrx::JsonB;

use crate::error::PlannerError;
use crate::planning::link::Question;
use crate::planning::model::Model;
use crate::planning::{context, plan, weights};

/// Longest question accepted; longer input is an error, not a slow plan.
const MAX_QUESTION_CHARS: usize = 10_000;
const MAX_CONTEXT_TOKENS: i32 = 1_000_000;

/// The analysed question, with its lexicon alternates, and the planner's
/// model of what it can be about (retrieval brings stale data knowledge
/// of what it reached up to date first).
fn question_model(question: &str) -> Result<(Question, Model), PlannerError> {
    crate::tracking::pending::ready_to_read()?;
    let q = crate::knowledge::lexicon::with_alternates(Question::new(question))?;
    let retrieved = crate::planning::retrieve::for_question(&q)?;
    let model = Model::build_with_counts(retrieved.knowledge, &retrieved.column_counts);
    Ok((q, model))
}

/// Runs `f` under the session's `planner_meta.weights`, if it set any.
fn with_session_weights<T>(f: impl FnOnce() -> Result<T, PlannerError>) -> Result<T, PlannerError> {
    match crate::guc::weights() {
        None => f(),
        Some(changes) => {
            let w = weights::overridden(&changes).map_err(PlannerError::InvalidOption)?;
            weights::with(w, f)
        }
    }
}

fn checked_question(question: Option<&str>) -> Result<&str, PlannerError> {
    let question = question.ok_or(PlannerError::NullArgument("question"))?;
    if question.chars().count() > MAX_QUESTION_CHARS {
        return Err(PlannerError::TooLong("question", MAX_QUESTION_CHARS));
    }
    Ok(question)
}

/// Reads plan()'s options: `{"max_tables": 1..20}`; anything else is an
/// error rather than silently ignored.
fn max_tables_option(options: Option<&JsonB>) -> Result<usize, PlannerError> {
    let Some(JsonB(value)) = options else {
        return Ok(plan::DEFAULT_MAX_TABLES);
    };
    let Some(map) = value.as_object() else {
        return Err(PlannerError::InvalidOption(
            "options must be a JSON object".into(),
        ));
    };
    if let Some(key) = map.keys().find(|k| k.as_str() != "max_tables") {
        return Err(PlannerError::InvalidOption(format!(
            "unknown option \"{key}\""
        )));
    }
    match map.get("max_tables") {
        None => Ok(plan::DEFAULT_MAX_TABLES),
        Some(v) => v
            .as_u64()
            .filter(|n| (1..=20).contains(n))
            .map(|n| n as usize)
            .ok_or_else(|| {
                PlannerError::InvalidOption("max_tables must be an integer from 1 to 20".into())
            }),
    }
}

/// Whether PostgreSQL's parser accepts the statement (it is never run).
fn parses(sql: &str) -> bool {
    let Ok(text) = CString::new(sql) else {
        return false;
    };
    PgTryBuilder::new(|| {
        // SAFETY: raw_parser only reads the string and allocates in the
        // current memory context; an ERROR is caught below.
        unsafe {
            pg_sys::raw_parser(text.as_ptr(), pg_sys::RawParseMode::RAW_PARSE_DEFAULT);
        }
        true
    })
    .catch_others(|_| false)
    .execute()
}

/// A first plan for answering `question` over the database: the tables,
/// columns, joins and values it refers to, with scores and reasons, and a
/// draft SQL statement.  Uses only objects and values the caller may read.
/// `options`: `{"max_tables": n}` caps the tables chosen (default 5).
#[pg_extern(volatile, parallel_unsafe)]
fn plan(
    question: Option<&str>,
    options: default!(Option<JsonB>, "'{}'"),
) -> Result<JsonB, ErrorReport> {
    let question = checked_question(question)?;
    let max_tables = max_tables_option(options.as_ref())?;
    let (q, model) = question_model(question)?;
    let plan = with_session_weights(|| Ok(plan::plan_question(&model, &q, max_tables)))?;
    let version = crate::knowledge::position::current()?;
    let mut doc = plan::to_json(&model, &plan);
    if plan.query_type == "metadata" {
        doc["sql"] = serde_json::Value::String(plan::metadata_sql(&model, &plan));
    }
    let sql = doc["sql"].as_str().unwrap_or_default().to_string();
    doc["sql_parses"] = serde_json::Value::Bool(!sql.is_empty() && parses(&sql));
    doc["cache"] = serde_json::json!({
        "last_change_id": version["last_change_id"],
        "last_updated": version["last_updated"],
    });
    Ok(JsonB(doc))
}

/// The part of the schema relevant to `question` as compact DDL with keys,
/// comments and typical values, most relevant first, within `max_tokens`
/// (about four characters a token).
#[pg_extern(volatile, parallel_unsafe)]
fn context(
    question: Option<&str>,
    max_tokens: default!(Option<i32>, 2000),
) -> Result<String, ErrorReport> {
    let question = checked_question(question)?;
    let budget = max_tokens.ok_or(PlannerError::NullArgument("max_tokens"))?;
    if !(1..=MAX_CONTEXT_TOKENS).contains(&budget) {
        return Err(PlannerError::OutOfRange("max_tokens", 1, MAX_CONTEXT_TOKENS).into());
    }
    let (q, model) = question_model(question)?;
    let plan =
        with_session_weights(|| Ok(plan::plan_question(&model, &q, plan::DEFAULT_MAX_TABLES)))?;
    Ok(context::render(
        &model,
        &plan,
        &plan.linked,
        budget as usize,
    ))
}

/// The schema's visible tables, keys and relationships as a Mermaid
/// erDiagram, ready to paste into Markdown.
#[pg_extern(volatile, parallel_unsafe)]
fn erd(schema: default!(Option<&str>, "NULL")) -> Result<String, ErrorReport> {
    crate::tracking::pending::ready_to_read()?;
    let model = Model::build(crate::planning::retrieve::whole_database()?);
    if let Some(name) = schema {
        crate::api::ensure_schema_visible(name)?;
    }
    Ok(crate::data_api::render_erd(&model, schema))
}
