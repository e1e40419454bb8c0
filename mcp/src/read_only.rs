//! `run_query` and `explain_query`: read-only by the database, not by
//! parsing.  Each runs in a `READ ONLY` transaction with a
//! `statement_timeout`, over the extended protocol (one statement, never a
//! script), and is rolled back.

use std::time::Duration;

use serde_json::{json, Value};
use tokio_postgres::Client;

use crate::sql::ROLLBACK_AND_RESET;

/// A user statement with its trailing semicolons and blanks removed, so it
/// can be wrapped; empty is an error the caller reports.
pub fn statement_text(sql: &str) -> Option<&str> {
    let text = sql
        .trim()
        .trim_end_matches(|c: char| c == ';' || c.is_whitespace());
    (!text.is_empty()).then_some(text)
}

/// Rows of one query as arrays of JSON values, in column order, at most
/// `limit`; `truncated` when there were more.
pub async fn run_query(
    client: &Client,
    sql: &str,
    limit: u32,
    timeout: Duration,
) -> Result<Value, tokio_postgres::Error> {
    // The BEGIN, the query and the rollback go out together, one round
    // trip (tokio-postgres sends requests in the order they are first
    // polled, and the server runs them in that order).  The query can only
    // run read-only: the BEGIN and its SET LOCAL are one simple query,
    // after which the session is in a read-only transaction or in a failed
    // one, where the query fails too; and should the BEGIN itself fail,
    // the query's own condition keeps it from running (see `rows_of`).
    // The BEGIN's error is returned before anything else.
    // A rollback does not release session-level advisory locks, hence the
    // reset: the pooled connection comes back clean either way.
    let begin = begin_read_only(timeout);
    let (begun, outcome, reset) = tokio::join!(
        client.batch_execute(&begin),
        rows_of(client, sql, limit),
        client.batch_execute(ROLLBACK_AND_RESET)
    );
    begun?;
    reset?;
    outcome
}

fn begin_read_only(timeout: Duration) -> String {
    format!(
        "BEGIN READ ONLY; SET LOCAL statement_timeout = {}",
        timeout.as_millis()
    )
}

async fn rows_of(client: &Client, sql: &str, limit: u32) -> Result<Value, tokio_postgres::Error> {
    // json (not jsonb) keeps the columns in the query's order; the LIMIT
    // applies to the wrapped query, so it caps whatever the statement is.
    // The condition, constant for the statement, is tested before the
    // query runs at all: outside a read-only transaction it never starts.
    let wrapped = format!(
        "SELECT pg_catalog.array_to_json(ARRAY(SELECT e.value FROM pg_catalog.json_each(pg_catalog.to_json(q)) e)),
                ARRAY(SELECT e.key FROM pg_catalog.json_each(pg_catalog.to_json(q)) e)
           FROM ({sql}\n) q
          WHERE pg_catalog.current_setting('transaction_read_only')::boolean LIMIT {}",
        limit + 1
    );
    // query_typed sends parse, bind and execute at once: no round trip to
    // prepare a statement that runs once.
    let fetched = client.query_typed(&wrapped, &[]).await?;
    let columns: Vec<String> = match fetched.first() {
        Some(row) => row.get(1),
        None => client
            .prepare(sql)
            .await?
            .columns()
            .iter()
            .map(|c| c.name().to_string())
            .collect(),
    };
    let truncated = fetched.len() > limit as usize;
    let rows: Vec<Value> = fetched
        .iter()
        .take(limit as usize)
        .map(|r| r.get::<_, Value>(0))
        .collect();
    Ok(
        json!({"columns": columns, "rows": rows, "row_count": rows.len(), "truncated": truncated,
              "row_limit": limit}),
    )
}

/// The plan of a statement (EXPLAIN without ANALYZE, so it never runs).
pub async fn explain(
    client: &Client,
    sql: &str,
    timeout: Duration,
) -> Result<Value, tokio_postgres::Error> {
    client.batch_execute(&begin_read_only(timeout)).await?;
    let outcome = client
        .query_typed(&format!("EXPLAIN (FORMAT JSON, VERBOSE) {sql}"), &[])
        .await;
    client.batch_execute(ROLLBACK_AND_RESET).await?;
    let rows = outcome?;
    Ok(rows.first().map(|row| row.get(0)).unwrap_or(Value::Null))
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
