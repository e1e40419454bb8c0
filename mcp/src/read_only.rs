//! `run_query` and `explain_query`: read-only by the database, not by
//! parsing.  Each runs in a `READ ONLY` transaction with a
//! `statement_timeout`, over the extended protocol (one statement, never a
//! script), and is rolled back.

use std::time::Duration;

use serde_json::{json, Value};
use tokio_postgres::Client;

use crate::sql::RESET_SESSION;

/// A user statement with its trailing semicolons and blanks removed, so it
/// can be wrapped; empty is an error the caller reports.
pub fn statement_text(sql: &str) -> Option<&str> {
    let text = sql.trim().trim_end_matches(|c: char| c == ';' || c.is_whitespace());
    (!text.is_empty()).then_some(text)
}

/// Rows of one query as arrays of JSON values, in column order, at most
/// `limit`; `truncated` when there were more.
pub async fn run_query(
    client: &mut Client,
    sql: &str,
    limit: u32,
    timeout: Duration,
) -> Result<Value, tokio_postgres::Error> {
    let outcome = run_in_read_only(client, sql, limit, timeout).await;
    // A rollback does not release session-level advisory locks nor undo a
    // committed SET; the pooled connection must come back clean either way.
    client.batch_execute(RESET_SESSION).await?;
    outcome
}

async fn run_in_read_only(
    client: &mut Client,
    sql: &str,
    limit: u32,
    timeout: Duration,
) -> Result<Value, tokio_postgres::Error> {
    let tx = client.build_transaction().read_only(true).start().await?;
    tx.batch_execute(&format!("SET LOCAL statement_timeout = {}", timeout.as_millis())).await?;
    let columns: Vec<String> =
        tx.prepare(sql).await?.columns().iter().map(|c| c.name().to_string()).collect();
    // json (not jsonb) keeps the columns in the query's order.
    let wrapped = format!(
        "SELECT pg_catalog.array_to_json(ARRAY(SELECT e.value FROM pg_catalog.json_each(pg_catalog.to_json(q)) e))
           FROM ({sql}\n) q"
    );
    let statement = tx.prepare(&wrapped).await?;
    let portal = tx.bind(&statement, &[]).await?;
    let fetched = tx.query_portal(&portal, limit as i32 + 1).await?;
    let truncated = fetched.len() > limit as usize;
    let rows: Vec<Value> = fetched.iter().take(limit as usize).map(|r| r.get::<_, Value>(0)).collect();
    tx.rollback().await?;
    Ok(json!({"columns": columns, "rows": rows, "row_count": rows.len(), "truncated": truncated,
              "row_limit": limit}))
}

/// The plan of a statement (EXPLAIN without ANALYZE, so it never runs).
pub async fn explain(
    client: &mut Client,
    sql: &str,
    timeout: Duration,
) -> Result<Value, tokio_postgres::Error> {
    let tx = client.build_transaction().read_only(true).start().await?;
    tx.batch_execute(&format!("SET LOCAL statement_timeout = {}", timeout.as_millis())).await?;
    let row = tx.query_one(&format!("EXPLAIN (FORMAT JSON, VERBOSE) {sql}"), &[]).await?;
    let plan: Value = row.get(0);
    tx.rollback().await?;
    Ok(plan)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trailing_semicolons_go() {
        assert_eq!(statement_text(" SELECT 1 ;; \n"), Some("SELECT 1"));
        assert_eq!(statement_text(" ; "), None);
    }
}
