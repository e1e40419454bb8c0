//! Connections to the database: the configuration (a conninfo string or the
//! libpq environment variables), a small pool, and what the connecting role
//! may be trusted with.

use std::collections::HashMap;
use std::str::FromStr;
use std::sync::{Arc, Mutex as SyncMutex};

use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tokio_postgres::types::ToSql;
use tokio_postgres::{Client, Config, NoTls, Row, Statement};

use crate::sql::{EXTENSION_VERSION, PRIVILEGED_ROLES};

pub fn config(dsn: Option<&str>) -> Result<Config, String> {
    let mut config = match dsn {
        Some(dsn) => Config::from_str(dsn).map_err(|e| format!("bad --dsn: {e}"))?,
        None => Config::new(),
    };
    let env = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
    if config.get_hosts().is_empty() {
        let host = env("PGHOST").unwrap_or_else(|| "/var/run/postgresql".to_string());
        for h in host.split(',') {
            config.host(h);
        }
    }
    if config.get_ports().is_empty() {
        if let Some(port) = env("PGPORT") {
            config.port(port.parse().map_err(|_| format!("bad PGPORT {port:?}"))?);
        }
    }
    if config.get_user().is_none() {
        let user = env("PGUSER")
            .or_else(|| env("USER"))
            .ok_or("no user: set PGUSER or --dsn")?;
        config.user(&user);
    }
    if config.get_dbname().is_none() {
        if let Some(db) = env("PGDATABASE") {
            config.dbname(&db);
        }
    }
    if config.get_password().is_none() {
        if let Some(pw) = env("PGPASSWORD") {
            config.password(pw);
        }
    }
    if config.get_application_name().is_none() {
        config.application_name("planner-meta-mcp");
    }
    Ok(config)
}

pub async fn connect(config: &Config) -> Result<Client, tokio_postgres::Error> {
    let (client, connection) = config.connect(NoTls).await?;
    tokio::spawn(async move {
        if let Err(e) = connection.await {
            eprintln!("planner-meta-mcp: connection closed: {e}");
        }
    });
    Ok(client)
}

/// A connection with the server's fixed statements prepared once: a call
/// then costs one round trip, as over a plain connection.
struct Connection {
    client: Client,
    statements: HashMap<&'static str, Statement>,
}

/// A few connections, each used by one call at a time (a transaction needs
/// the connection to itself); a closed one is replaced on checkout.
pub struct Pool {
    config: Config,
    idle: SyncMutex<Vec<Connection>>,
    permits: Arc<Semaphore>,
}

pub struct Pooled<'a> {
    pool: &'a Pool,
    connection: Option<Connection>,
    _permit: OwnedSemaphorePermit,
}

impl Pool {
    pub fn new(config: Config, size: usize) -> Pool {
        Pool {
            config,
            idle: SyncMutex::new(Vec::new()),
            permits: Arc::new(Semaphore::new(size)),
        }
    }

    pub async fn get(&self) -> Result<Pooled<'_>, tokio_postgres::Error> {
        let permit = Arc::clone(&self.permits)
            .acquire_owned()
            .await
            .expect("pool semaphore is never closed");
        let kept = self.idle.lock().map(|mut idle| idle.pop()).unwrap_or(None);
        let connection = match kept {
            Some(connection) if !connection.client.is_closed() => connection,
            _ => Connection {
                client: connect(&self.config).await?,
                statements: HashMap::new(),
            },
        };
        Ok(Pooled {
            pool: self,
            connection: Some(connection),
            _permit: permit,
        })
    }
}

impl Pooled<'_> {
    fn connection(&mut self) -> &mut Connection {
        self.connection.as_mut().expect("present until drop")
    }

    pub fn client(&mut self) -> &mut Client {
        &mut self.connection().client
    }

    async fn statement(&mut self, sql: &'static str) -> Result<Statement, tokio_postgres::Error> {
        let connection = self.connection();
        if let Some(statement) = connection.statements.get(sql) {
            return Ok(statement.clone());
        }
        let statement = connection.client.prepare(sql).await?;
        connection.statements.insert(sql, statement.clone());
        Ok(statement)
    }

    pub async fn query_one(
        &mut self,
        sql: &'static str,
        params: &[&(dyn ToSql + Sync)],
    ) -> Result<Row, tokio_postgres::Error> {
        let statement = self.statement(sql).await?;
        self.client().query_one(&statement, params).await
    }

    pub async fn query(
        &mut self,
        sql: &'static str,
        params: &[&(dyn ToSql + Sync)],
    ) -> Result<Vec<Row>, tokio_postgres::Error> {
        let statement = self.statement(sql).await?;
        self.client().query(&statement, params).await
    }
}

impl Drop for Pooled<'_> {
    fn drop(&mut self) {
        if let (Some(connection), Ok(mut idle)) = (self.connection.take(), self.pool.idle.lock()) {
            idle.push(connection);
        }
    }
}

pub async fn privileged_roles(client: &Client) -> Result<String, tokio_postgres::Error> {
    client
        .query_one(PRIVILEGED_ROLES, &[])
        .await
        .map(|row| row.get(0))
}

pub async fn extension_version(client: &Client) -> Result<Option<String>, tokio_postgres::Error> {
    let row = client.query_opt(EXTENSION_VERSION, &[]).await?;
    Ok(row.map(|r| r.get(0)))
}
