//! The MCP server of one session: its tools (`tools.rs`), its resources and
//! subscriptions; what all sessions share (the pool, the options, the
//! sessions to notify) is `Shared`.

use std::collections::HashSet;
use std::sync::{Arc, Mutex};

use rmcp::handler::server::router::tool::ToolRouter;
use rmcp::model::{
    ListResourceTemplatesResult, ListResourcesResult, PaginatedRequestParams,
    ReadResourceRequestParams, ReadResourceResponse, ReadResourceResult, Resource as McpResource,
    ResourceContents, ResourceTemplate, ServerCapabilities, ServerConfig, SubscribeRequestParams,
    UnsubscribeRequestParams,
};
use rmcp::service::{NotificationContext, RequestContext};
use rmcp::{tool_handler, ErrorData, RoleServer, ServerHandler};
use serde_json::{json, Value};

use crate::bounded::bounded_json;
use crate::db::{Pool, Pooled};
use crate::listen::Registry;
use crate::options::Options;
use crate::sql;
use crate::uri::{self, Resource};

pub struct Shared {
    pub pool: Pool,
    pub options: Options,
    /// False when the connecting role could escape a read-only transaction.
    pub offers_run_query: bool,
    pub registry: Arc<Registry>,
}

#[derive(Clone)]
pub struct PlannerMeta {
    pub shared: Arc<Shared>,
    tool_router: ToolRouter<PlannerMeta>,
    subscribed: Arc<Mutex<HashSet<String>>>,
}

const RESOURCES_PER_PAGE: i64 = 500;
/// The change-log resource: its latest rows.
const CHANGELOG_RESOURCE_ROWS: i32 = 50;
/// A resource is read whole by a client, not asked for by an agent with a
/// budget: a larger bound than a tool's default.
const RESOURCE_MAX_TOKENS: u32 = 16_000;

impl PlannerMeta {
    pub fn new(shared: Arc<Shared>) -> PlannerMeta {
        let mut tool_router = Self::tool_router();
        if !shared.offers_run_query {
            tool_router.remove_route("run_query");
        }
        PlannerMeta {
            shared,
            tool_router,
            subscribed: Arc::default(),
        }
    }

    /// A pooled connection, or the error a resource request returns.
    async fn resource_client(&self) -> Result<Pooled<'_>, ErrorData> {
        self.shared.pool.get().await.map_err(|e| internal(&e))
    }

    async fn read(&self, resource: &Resource) -> Result<Value, ErrorData> {
        let mut client = self.resource_client().await?;
        let row = match resource {
            Resource::Schema(s) => client.query_one(sql::LIST_TABLES, &[s, &"summary"]).await,
            Resource::Table(s, t) => {
                client
                    .query_one(sql::DESCRIBE_TABLE, &[s, t, &"full"])
                    .await
            }
            Resource::Changelog => {
                client
                    .query_one(
                        sql::RECENT_CHANGES,
                        &[&None::<i64>, &None::<String>, &CHANGELOG_RESOURCE_ROWS],
                    )
                    .await
            }
        };
        row.map(|r| r.get(0))
            .map_err(|e| not_found_or_internal(resource, &e))
    }

    async fn table_resources(&self, offset: i64) -> Result<Vec<McpResource>, ErrorData> {
        let mut client = self.resource_client().await?;
        let rows = client
            .query(sql::RESOURCE_TABLES, &[&offset, &RESOURCES_PER_PAGE])
            .await
            .map_err(|e| internal(&e))?;
        Ok(rows
            .iter()
            .map(|r| {
                let (schema, table, kind): (String, String, String) =
                    (r.get(0), r.get(1), r.get(2));
                let comment: Option<String> = r.get(3);
                McpResource::new(
                    Resource::Table(schema.clone(), table.clone()).uri(),
                    format!("{schema}.{table}"),
                )
                .with_description(comment.unwrap_or_else(|| format!("{kind} {schema}.{table}")))
                .with_mime_type("application/json")
            })
            .collect())
    }

    async fn schema_resources(&self) -> Result<Vec<McpResource>, ErrorData> {
        let mut client = self.resource_client().await?;
        let row = client
            .query_one(sql::LIST_SCHEMAS, &[])
            .await
            .map_err(|e| internal(&e))?;
        let schemas: Value = row.get(0);
        Ok(schemas
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|s| s["schema_name"].as_str())
            .map(|s| {
                McpResource::new(Resource::Schema(s.to_string()).uri(), format!("schema {s}"))
                    .with_mime_type("application/json")
            })
            .collect())
    }
}

fn internal(e: &tokio_postgres::Error) -> ErrorData {
    ErrorData::internal_error(format!("database error: {e}"), None)
}

/// An unknown or invisible object is the agent's mistake, not ours.
fn not_found_or_internal(resource: &Resource, e: &tokio_postgres::Error) -> ErrorData {
    match e.as_db_error() {
        Some(db) if ["42P01", "3F000", "42501", "42809", "42602"].contains(&db.code().code()) => {
            ErrorData::resource_not_found(
                format!("{}: {}", resource.uri(), db.message()),
                Some(json!({"uri": resource.uri(), "sqlstate": db.code().code()})),
            )
        }
        _ => internal(e),
    }
}

fn parsed(uri: &str) -> Result<Resource, ErrorData> {
    Resource::parse(uri).ok_or_else(|| {
        ErrorData::resource_not_found(
            format!("no such resource {uri:?}"),
            Some(json!({"uri": uri})),
        )
    })
}

#[tool_handler(router = self.tool_router)]
impl ServerHandler for PlannerMeta {
    fn get_info(&self) -> ServerConfig {
        let capabilities = ServerCapabilities::builder()
            .enable_tools()
            .enable_resources()
            .enable_resources_subscribe()
            .enable_resources_list_changed()
            .build();
        ServerConfig::new(capabilities).with_instructions(
            "planner_meta keeps an always-current picture of this PostgreSQL database. Start with \
             list_schemas and list_tables, or plan_question / schema_context for a question; \
             subscribe to planner-meta://table/{schema}/{table} to hear about committed DDL.",
        )
    }

    async fn on_initialized(&self, context: NotificationContext<RoleServer>) {
        self.shared
            .registry
            .add(context.peer, Arc::clone(&self.subscribed));
    }

    async fn list_resources(
        &self,
        request: Option<PaginatedRequestParams>,
        _context: RequestContext<RoleServer>,
    ) -> Result<ListResourcesResult, ErrorData> {
        // Cursor: the offset into the tables; the first page also lists the
        // change log and the schemas.
        let cursor = request.and_then(|r| r.cursor);
        let offset = match &cursor {
            Some(c) => c
                .parse::<i64>()
                .map_err(|_| ErrorData::invalid_params("bad cursor", None))?,
            None => 0,
        };
        let mut items = Vec::new();
        if offset == 0 {
            items.push(
                McpResource::new(uri::CHANGELOG, "change log")
                    .with_description("the latest structural changes")
                    .with_mime_type("application/json"),
            );
            items.extend(self.schema_resources().await?);
        }
        let tables = self.table_resources(offset).await?;
        let full_page = tables.len() as i64 == RESOURCES_PER_PAGE;
        items.extend(tables);
        let mut result = ListResourcesResult::with_all_items(items);
        if full_page {
            result.next_cursor = Some((offset + RESOURCES_PER_PAGE).to_string());
        }
        Ok(result)
    }

    async fn list_resource_templates(
        &self,
        _request: Option<PaginatedRequestParams>,
        _context: RequestContext<RoleServer>,
    ) -> Result<ListResourceTemplatesResult, ErrorData> {
        Ok(ListResourceTemplatesResult::with_all_items(vec![
            ResourceTemplate::new(uri::SCHEMA_TEMPLATE, "schema")
                .with_description("the relations of a schema")
                .with_mime_type("application/json"),
            ResourceTemplate::new(uri::TABLE_TEMPLATE, "table")
                .with_description("one relation as describe() gives it")
                .with_mime_type("application/json"),
        ]))
    }

    async fn read_resource(
        &self,
        request: ReadResourceRequestParams,
        _context: RequestContext<RoleServer>,
    ) -> Result<ReadResourceResponse, ErrorData> {
        let resource = parsed(&request.uri)?;
        let value = self.read(&resource).await?;
        let text = bounded_json(value, RESOURCE_MAX_TOKENS);
        let contents = ResourceContents::text(text, request.uri).with_mime_type("application/json");
        Ok(ReadResourceResult::new(vec![contents]).into())
    }

    #[allow(deprecated)]
    async fn subscribe(
        &self,
        request: SubscribeRequestParams,
        _context: RequestContext<RoleServer>,
    ) -> Result<(), ErrorData> {
        let resource = parsed(&request.uri)?;
        if let Ok(mut subscribed) = self.subscribed.lock() {
            subscribed.insert(resource.uri());
        }
        Ok(())
    }

    #[allow(deprecated)]
    async fn unsubscribe(
        &self,
        request: UnsubscribeRequestParams,
        _context: RequestContext<RoleServer>,
    ) -> Result<(), ErrorData> {
        if let (Some(resource), Ok(mut subscribed)) =
            (Resource::parse(&request.uri), self.subscribed.lock())
        {
            subscribed.remove(&resource.uri());
        }
        Ok(())
    }
}
