//! The tools: each a thin call of one extension function as the connecting
//! role, its output bounded.  A database error is a tool error carrying the
//! SQLSTATE (the agent can read and fix it); a malformed call is refused by
//! the argument schema before any SQL runs.

use rmcp::handler::server::wrapper::Parameters;
use rmcp::model::{CallToolResult, ContentBlock as Content};
use rmcp::{schemars, tool, tool_router, ErrorData};
use serde::Deserialize;
use serde_json::Value;
use tokio_postgres::types::ToSql;

use crate::bounded::{bounded_json, bounded_text, DEFAULT_MAX_TOKENS, MAX_TOKENS};
use crate::db::Pooled;
use crate::read_only;
use crate::server::PlannerMeta;
use crate::sql;

type ToolResult = Result<CallToolResult, ErrorData>;

#[derive(Debug, Deserialize, schemars::JsonSchema)]
pub struct Budget {
    /// Most tokens (about four characters each) of output; longer results are shortened and say so.
    pub max_tokens: Option<u32>,
}

#[derive(Debug, Deserialize, schemars::JsonSchema, Clone, Copy)]
#[serde(rename_all = "lowercase")]
pub enum TableDetail {
    /// schema, table and kind only
    Names,
    /// with row estimates, column counts and comments
    Summary,
    /// also each table's columns and types
    Columns,
}

#[derive(Debug, Deserialize, schemars::JsonSchema)]
pub struct ListTables {
    /// Schema to list (all visible schemas when omitted).
    pub schema: Option<String>,
    pub detail: Option<TableDetail>,
    pub max_tokens: Option<u32>,
}

#[derive(Debug, Deserialize, schemars::JsonSchema, Clone, Copy)]
#[serde(rename_all = "lowercase")]
pub enum DescribeDetail {
    /// columns, keys, constraints and relationships
    Summary,
    /// everything describe() knows, triggers, policies and indexes too
    Full,
}

#[derive(Debug, Deserialize, schemars::JsonSchema)]
pub struct DescribeTable {
    /// Schema of the table (default public).
    pub schema: Option<String>,
    pub table: String,
    pub detail: Option<DescribeDetail>,
    pub max_tokens: Option<u32>,
}

#[derive(Debug, Deserialize, schemars::JsonSchema)]
pub struct PlanQuestion {
    /// The question in natural language.
    pub question: String,
    /// Most tables to choose, 1 to 20 (default 5).
    pub limit: Option<u32>,
    pub max_tokens: Option<u32>,
}

#[derive(Debug, Deserialize, schemars::JsonSchema)]
pub struct SchemaContext {
    pub question: String,
    /// Token budget of the DDL returned (default 2000).
    pub max_tokens: Option<u32>,
}

#[derive(Debug, Deserialize, schemars::JsonSchema)]
pub struct FindValues {
    /// A value as the user wrote it ('Canada', 'comedy').
    pub value: String,
    /// Most matches, 1 to 1000 (default 20).
    pub limit: Option<u32>,
    pub max_tokens: Option<u32>,
}

#[derive(Debug, Deserialize, schemars::JsonSchema)]
pub struct SampleRows {
    pub schema: Option<String>,
    pub table: String,
    /// Rows, 1 to 1000 (default 10).
    pub limit: Option<u32>,
    pub max_tokens: Option<u32>,
}

#[derive(Debug, Deserialize, schemars::JsonSchema)]
pub struct RecentChanges {
    /// Only changes with an id above this one.
    pub since_id: Option<i64>,
    /// Only changes at or after this time (ISO 8601).
    pub since: Option<String>,
    /// Most changes, 1 to 1000 (default 50); the newest are kept.
    pub limit: Option<u32>,
    pub max_tokens: Option<u32>,
}

#[derive(Debug, Deserialize, schemars::JsonSchema)]
pub struct Query {
    /// One SQL statement.
    pub sql: String,
    /// Most rows to return (run_query only; default 100, capped by the server's --row-limit).
    pub limit: Option<u32>,
    pub max_tokens: Option<u32>,
}

fn tool_error(message: impl Into<String>) -> ToolResult {
    Ok(CallToolResult::error(vec![Content::text(message.into())]))
}

fn database_error(e: &tokio_postgres::Error) -> String {
    match e.as_db_error() {
        Some(db) => {
            let hint = db
                .hint()
                .map(|h| format!(" (hint: {h})"))
                .unwrap_or_default();
            format!("ERROR {}: {}{hint}", db.code().code(), db.message())
        }
        None => format!("database connection error: {e}"),
    }
}

/// A number argument within its range, or the message saying which.
fn in_range(name: &str, value: Option<u32>, default: u32, max: u32) -> Result<u32, String> {
    match value.unwrap_or(default) {
        n if (1..=max).contains(&n) => Ok(n),
        n => Err(format!("{name} must be between 1 and {max}, got {n}")),
    }
}

macro_rules! checked {
    ($e:expr) => {
        match $e {
            Ok(v) => v,
            Err(message) => return tool_error(message),
        }
    };
}

fn budget(max_tokens: Option<u32>) -> Result<u32, String> {
    in_range("max_tokens", max_tokens, DEFAULT_MAX_TOKENS, MAX_TOKENS)
}

/// A JSON outcome as a tool result: the value within the budget, or the
/// database error with its SQLSTATE.
fn json_result(outcome: Result<Value, tokio_postgres::Error>, budget: u32) -> ToolResult {
    match outcome {
        Ok(value) => Ok(CallToolResult::success(vec![Content::text(bounded_json(
            value, budget,
        ))])),
        Err(e) => tool_error(database_error(&e)),
    }
}

/// A table's schema, `public` when the agent names none.
fn schema_or_public(schema: Option<String>) -> String {
    schema.unwrap_or_else(|| "public".to_string())
}

impl PlannerMeta {
    /// A pooled connection, or the message a tool returns without one.
    async fn tool_client(&self) -> Result<Pooled<'_>, String> {
        self.shared.pool.get().await.map_err(|e| database_error(&e))
    }

    async fn json_call(
        &self,
        sql: &'static str,
        params: &[&(dyn ToSql + Sync)],
        max_tokens: Option<u32>,
    ) -> ToolResult {
        let budget = checked!(budget(max_tokens));
        let mut client = checked!(self.tool_client().await);
        let outcome = client.query_one(sql, params).await.map(|row| row.get(0));
        json_result(outcome, budget)
    }
}

#[tool_router(vis = "pub")]
impl PlannerMeta {
    #[tool(description = "Schemas the connecting role may use, with relation counts and comments.")]
    async fn list_schemas(&self, Parameters(p): Parameters<Budget>) -> ToolResult {
        self.json_call(sql::LIST_SCHEMAS, &[], p.max_tokens).await
    }

    #[tool(
        description = "Tables, views and other relations of one schema or all, at a detail level: names, summary (default) or columns."
    )]
    async fn list_tables(&self, Parameters(p): Parameters<ListTables>) -> ToolResult {
        let detail = match p.detail.unwrap_or(TableDetail::Summary) {
            TableDetail::Names => "names",
            TableDetail::Summary => "summary",
            TableDetail::Columns => "columns",
        };
        self.json_call(sql::LIST_TABLES, &[&p.schema, &detail], p.max_tokens)
            .await
    }

    #[tool(
        description = "One relation: columns with types and comments, primary key, constraints, foreign keys both ways; detail full adds indexes, triggers and policies."
    )]
    async fn describe_table(&self, Parameters(p): Parameters<DescribeTable>) -> ToolResult {
        let schema = schema_or_public(p.schema);
        let detail = match p.detail.unwrap_or(DescribeDetail::Summary) {
            DescribeDetail::Summary => "summary",
            DescribeDetail::Full => "full",
        };
        self.json_call(
            sql::DESCRIBE_TABLE,
            &[&schema, &p.table, &detail],
            p.max_tokens,
        )
        .await
    }

    #[tool(
        description = "Plan a natural-language question: the tables, columns, joins and values it refers to, with scores and reasons, and a draft SQL statement."
    )]
    async fn plan_question(&self, Parameters(p): Parameters<PlanQuestion>) -> ToolResult {
        let limit = checked!(in_range("limit", p.limit, 5, 20)) as i32;
        self.json_call(sql::PLAN_QUESTION, &[&p.question, &limit], p.max_tokens)
            .await
    }

    #[tool(
        description = "The part of the schema relevant to a question as compact DDL with keys, comments and typical values, within a token budget."
    )]
    async fn schema_context(&self, Parameters(p): Parameters<SchemaContext>) -> ToolResult {
        let budget = checked!(in_range("max_tokens", p.max_tokens, 2000, 100_000)) as i32;
        let mut client = checked!(self.tool_client().await);
        match client
            .query_one(sql::SCHEMA_CONTEXT, &[&p.question, &budget])
            .await
        {
            Ok(row) => Ok(CallToolResult::success(vec![Content::text(bounded_text(
                row.get(0),
                budget as u32,
            ))])),
            Err(e) => tool_error(database_error(&e)),
        }
    }

    #[tool(
        description = "Where a value occurs: columns of the value index whose values match it exactly, ignoring case, by containment or fuzzily, best first."
    )]
    async fn find_values(&self, Parameters(p): Parameters<FindValues>) -> ToolResult {
        let limit = checked!(in_range("limit", p.limit, 20, 1000)) as i32;
        self.json_call(sql::FIND_VALUES, &[&p.value, &limit], p.max_tokens)
            .await
    }

    #[tool(
        description = "A few rows of a table, only the columns the connecting role may read, row-level security applied."
    )]
    async fn sample_rows(&self, Parameters(p): Parameters<SampleRows>) -> ToolResult {
        let schema = schema_or_public(p.schema);
        let limit = checked!(in_range("limit", p.limit, 10, 1000)) as i32;
        self.json_call(sql::SAMPLE_ROWS, &[&schema, &p.table, &limit], p.max_tokens)
            .await
    }

    #[tool(
        description = "Structural changes from the change log, oldest first, since an id or a time: each with its command tag, action, object and a before/after diff."
    )]
    async fn recent_changes(&self, Parameters(p): Parameters<RecentChanges>) -> ToolResult {
        let limit = checked!(in_range("limit", p.limit, 50, 1000)) as i32;
        self.json_call(
            sql::RECENT_CHANGES,
            &[&p.since_id, &p.since, &limit],
            p.max_tokens,
        )
        .await
    }

    #[tool(
        description = "The plan PostgreSQL would use for one statement (EXPLAIN without ANALYZE: the statement is not run), in a read-only transaction."
    )]
    async fn explain_query(&self, Parameters(p): Parameters<Query>) -> ToolResult {
        let statement = checked!(read_only::statement_text(&p.sql).ok_or("sql is empty"));
        let budget = checked!(budget(p.max_tokens));
        let mut client = checked!(self.tool_client().await);
        let timeout = self.shared.options.statement_timeout;
        json_result(
            read_only::explain(client.client(), statement, timeout).await,
            budget,
        )
    }

    #[tool(
        description = "Run one read-only query (SELECT, WITH, VALUES, TABLE) in a READ ONLY transaction with a statement timeout; rows as arrays in column order, capped, with a truncated flag."
    )]
    async fn run_query(&self, Parameters(p): Parameters<Query>) -> ToolResult {
        let options = &self.shared.options;
        let statement = checked!(read_only::statement_text(&p.sql).ok_or("sql is empty"));
        let limit = checked!(in_range(
            "limit",
            p.limit,
            100.min(options.row_limit),
            options.row_limit
        ));
        let budget = checked!(budget(p.max_tokens));
        let mut client = checked!(self.tool_client().await);
        let timeout = options.statement_timeout;
        json_result(
            read_only::run_query(client.client(), statement, limit, timeout).await,
            budget,
        )
    }
}
