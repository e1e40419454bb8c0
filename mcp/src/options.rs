//! Command-line options.  Hand-parsed: the server has few of them, and a
//! parser crate would double the build of this small binary.

use std::net::SocketAddr;
use std::time::Duration;

pub const USAGE: &str = "\
usage: planner-meta-mcp [--dsn CONNINFO] [--http ADDR:PORT] [--allow-privileged-role]
                        [--row-limit N] [--statement-timeout-ms MS] [--pool N]

Serves planner_meta's knowledge over MCP: stdio by default, streamable HTTP
with --http (loopback unless another address is given).  Without --dsn the
usual PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE variables apply.";

#[derive(Debug, Clone)]
pub struct Options {
    pub dsn: Option<String>,
    pub http: Option<SocketAddr>,
    pub allow_privileged_role: bool,
    /// Most rows `run_query` returns, whatever the caller asks.
    pub row_limit: u32,
    pub statement_timeout: Duration,
    pub pool_size: usize,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            dsn: None,
            http: None,
            allow_privileged_role: false,
            row_limit: 1000,
            statement_timeout: Duration::from_millis(5000),
            pool_size: 4,
        }
    }
}

impl Options {
    pub fn parse(args: impl IntoIterator<Item = String>) -> Result<Options, String> {
        let mut options = Options::default();
        let mut args = args.into_iter();
        while let Some(arg) = args.next() {
            let mut value = |name: &str| args.next().ok_or(format!("{name} needs a value"));
            match arg.as_str() {
                "--dsn" => options.dsn = Some(value("--dsn")?),
                "--http" => options.http = Some(parse_addr(&value("--http")?)?),
                "--allow-privileged-role" => options.allow_privileged_role = true,
                "--row-limit" => {
                    options.row_limit = parse_number(&value("--row-limit")?, 1, 100_000)?
                }
                "--statement-timeout-ms" => {
                    let ms = parse_number(&value("--statement-timeout-ms")?, 1, 3_600_000)?;
                    options.statement_timeout = Duration::from_millis(u64::from(ms));
                }
                "--pool" => options.pool_size = parse_number(&value("--pool")?, 1, 64)? as usize,
                "-h" | "--help" => return Err(USAGE.to_string()),
                other => return Err(format!("unknown argument {other:?}\n\n{USAGE}")),
            }
        }
        Ok(options)
    }
}

/// `PORT` alone means loopback: a server reachable from the network must be
/// asked for by address.
fn parse_addr(text: &str) -> Result<SocketAddr, String> {
    let full = if text.contains(':') {
        text.to_string()
    } else {
        format!("127.0.0.1:{text}")
    };
    full.parse()
        .map_err(|_| format!("--http wants ADDR:PORT, got {text:?}"))
}

fn parse_number(text: &str, min: u32, max: u32) -> Result<u32, String> {
    match text.parse::<u32>() {
        Ok(n) if (min..=max).contains(&n) => Ok(n),
        _ => Err(format!("{text:?} is not a number between {min} and {max}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<Options, String> {
        Options::parse(args.iter().map(|s| s.to_string()))
    }

    #[test]
    fn a_bare_port_binds_loopback() {
        let options = parse(&["--http", "8123"]).unwrap();
        assert_eq!(options.http.unwrap().to_string(), "127.0.0.1:8123");
    }

    #[test]
    fn limits_are_checked() {
        assert!(parse(&["--row-limit", "0"]).is_err());
        assert!(parse(&["--pool", "x"]).is_err());
        assert!(parse(&["--dsn"]).is_err());
        assert!(parse(&["--bogus"]).is_err());
        let options = parse(&["--row-limit", "50", "--allow-privileged-role"]).unwrap();
        assert_eq!(options.row_limit, 50);
        assert!(options.allow_privileged_role);
    }
}
