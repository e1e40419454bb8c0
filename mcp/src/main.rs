//! planner-meta-mcp: planner_meta's knowledge as MCP tools and live
//! resources, over stdio or streamable HTTP.
//!
//! options (command line) -> db (connections, role check) -> server (one
//! MCP session: tools.rs, resources, subscriptions) <- listen (LISTEN on
//! the extension's channel, notifications to subscribed sessions).

mod bounded;
mod db;
mod listen;
mod options;
mod read_only;
mod server;
mod sql;
mod tools;
mod uri;

use std::sync::Arc;

use rmcp::transport::streamable_http_server::session::local::LocalSessionManager;
use rmcp::transport::streamable_http_server::{StreamableHttpServerConfig, StreamableHttpService};
use rmcp::ServiceExt;

use crate::listen::Registry;
use crate::options::Options;
use crate::server::{PlannerMeta, Shared};

#[tokio::main]
async fn main() {
    let options = match Options::parse(std::env::args().skip(1)) {
        Ok(options) => options,
        Err(message) => {
            eprintln!("{message}");
            std::process::exit(2);
        }
    };
    if let Err(message) = serve(options).await {
        eprintln!("planner-meta-mcp: {message}");
        std::process::exit(1);
    }
}

async fn serve(options: Options) -> Result<(), String> {
    let config = db::config(options.dsn.as_deref())?;
    let shared = Arc::new(startup_checks(&config, options).await?);
    let registry = Arc::clone(&shared.registry);
    let listen_config = config.clone();
    // A lost listening connection (a server restart, a terminated backend)
    // is opened again; changes committed in between are not announced.
    tokio::spawn(async move {
        loop {
            match listen::run(listen_config.clone(), Arc::clone(&registry)).await {
                Ok(()) => eprintln!("planner-meta-mcp: listening connection lost; reconnecting"),
                Err(e) => eprintln!(
                    "planner-meta-mcp: change notifications interrupted: {e}; reconnecting"
                ),
            }
            tokio::time::sleep(std::time::Duration::from_secs(1)).await;
        }
    });
    match shared.options.http {
        None => {
            let service = PlannerMeta::new(Arc::clone(&shared))
                .serve(rmcp::transport::stdio())
                .await
                .map_err(|e| format!("MCP session failed to start: {e}"))?;
            service
                .waiting()
                .await
                .map_err(|e| format!("MCP session ended: {e}"))?;
        }
        Some(addr) => {
            let factory_shared = Arc::clone(&shared);
            let service: StreamableHttpService<PlannerMeta, LocalSessionManager> =
                StreamableHttpService::new(
                    move || Ok(PlannerMeta::new(Arc::clone(&factory_shared))),
                    Default::default(),
                    StreamableHttpServerConfig::default(),
                );
            let router = axum::Router::new().nest_service("/mcp", service);
            let listener = tokio::net::TcpListener::bind(addr)
                .await
                .map_err(|e| format!("cannot bind {addr}: {e}"))?;
            eprintln!("planner-meta-mcp: serving http://{addr}/mcp");
            axum::serve(listener, router)
                .await
                .map_err(|e| format!("HTTP server failed: {e}"))?;
        }
    }
    Ok(())
}

/// Refuses to start without the extension, and decides whether the
/// connecting role may be offered `run_query`.
async fn startup_checks(
    config: &tokio_postgres::Config,
    options: Options,
) -> Result<Shared, String> {
    let client = db::connect(config)
        .await
        .map_err(|e| format!("cannot connect: {e}"))?;
    let version = db::extension_version(&client)
        .await
        .map_err(|e| e.to_string())?;
    let Some(version) = version else {
        return Err("the extension planner_meta is not installed in this database (CREATE EXTENSION planner_meta)".into());
    };
    let privileged = db::privileged_roles(&client)
        .await
        .map_err(|e| e.to_string())?;
    let offers_run_query = privileged.is_empty() || options.allow_privileged_role;
    if !offers_run_query {
        eprintln!(
            "planner-meta-mcp: run_query is not offered: the connecting role is or belongs to {privileged}, \
             which can read or write server files; connect as a low-privilege role or pass --allow-privileged-role"
        );
    }
    eprintln!(
        "planner-meta-mcp: planner_meta {version}, pool of {}",
        options.pool_size
    );
    let pool = db::Pool::new(config.clone(), options.pool_size);
    Ok(Shared {
        pool,
        options,
        offers_run_query,
        registry: Arc::new(Registry::default()),
    })
}
