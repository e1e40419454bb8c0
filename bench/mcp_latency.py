"""Driven by bench/mcp_latency.sh: notification delay and tool latency of
planner-meta-mcp against plain SQL over psycopg, in one run.  Each tool is
called through the official Python SDK and through a bare JSON-RPC client
(one line written, one read), which shows what the server itself adds."""
import asyncio
import json
import os
import statistics
import subprocess
import time

import psycopg
import mcp.types as types
from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client

DSN = os.environ["PLANNER_META_DSN"]
BIN = os.environ["PLANNER_META_MCP_BIN"]
TABLES = int(os.environ["TABLES"])
ROUNDS = int(os.environ.get("ROUNDS", "40"))
TABLE = f"t{TABLES // 2}"

# Each tool with the SQL the server runs for it (the same statement, with
# the arguments inlined as the server binds them).
CASES = [
    ("list_schemas", {}, "SELECT jsonb_agg(to_jsonb(s)) FROM planner_meta.schemas() s"),
    ("describe_table", {"schema": "app", "table": TABLE, "detail": "full"},
     f"SELECT planner_meta.describe('app.{TABLE}'::regclass)"),
    ("plan_question", {"question": f"total amount of {TABLE} by status"},
     f"SELECT planner_meta.plan('total amount of {TABLE} by status', '{{\"max_tables\": 5}}')"),
    ("schema_context", {"question": f"names of {TABLE}", "max_tokens": 500},
     f"SELECT planner_meta.context('names of {TABLE}', 500)"),
    ("recent_changes", {"limit": 20},
     "SELECT jsonb_agg(to_jsonb(c)) FROM (SELECT id, at, action, object_identity, details"
     " FROM planner_meta.changelog ORDER BY id DESC LIMIT 21) c"),
    ("run_query", {"sql": f"SELECT id, name FROM app.{TABLE} LIMIT 10"},
     ["BEGIN READ ONLY", "SET LOCAL statement_timeout = 5000",
      f"SELECT id, name FROM app.{TABLE} LIMIT 10", "ROLLBACK"]),
    ("run_query (vs the bare query)", {"sql": f"SELECT id, name FROM app.{TABLE} LIMIT 10"},
     f"SELECT id, name FROM app.{TABLE} LIMIT 10"),
]


def run_plain(plain, sql):
    """The SQL a tool runs, over a plain connection: one statement, or the
    statements of run_query's read-only transaction in turn."""
    for statement in [sql] if isinstance(sql, str) else sql:
        cursor = plain.execute(statement)
        if cursor.description:
            cursor.fetchall()


class RawClient:
    """MCP over stdio with nothing but JSON lines: the server's own cost."""

    def __init__(self):
        self.proc = subprocess.Popen([BIN, "--dsn", DSN, "--allow-privileged-role"],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.DEVNULL, text=True, bufsize=1)
        self.next_id = 0
        self.request("initialize", {"protocolVersion": "2025-06-18", "capabilities": {},
                                    "clientInfo": {"name": "bench", "version": "0"}})
        self.send({"jsonrpc": "2.0", "method": "notifications/initialized"})

    def send(self, message):
        self.proc.stdin.write(json.dumps(message) + "\n")

    def request(self, method, params):
        self.next_id += 1
        self.send({"jsonrpc": "2.0", "id": self.next_id, "method": method, "params": params})
        while True:
            reply = json.loads(self.proc.stdout.readline())
            if reply.get("id") == self.next_id:
                assert "error" not in reply and not reply["result"].get("isError"), reply
                return reply["result"]

    def close(self):
        self.proc.stdin.close()
        self.proc.wait()


def raw_latencies(raw):
    out = {}
    for name, arguments, _ in CASES:
        call = {"name": name.split(" ")[0], "arguments": arguments}
        raw.request("tools/call", call)
        samples = []
        for _ in range(ROUNDS):
            t0 = time.perf_counter()
            raw.request("tools/call", call)
            samples.append((time.perf_counter() - t0) * 1000)
        out[name] = statistics.median(samples)
    return out


def quantile(values, q):
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))]


async def notification_delays(session, updates, admin):
    uri = f"planner-meta://table/app/{TABLE}"
    await session.subscribe_resource(uri)
    delays = []
    for i in range(ROUNDS):
        updates.clear()
        admin.execute(f"ALTER TABLE app.{TABLE} ADD COLUMN bench_{i} int")
        started = time.perf_counter()
        admin.commit()
        while uri not in updates and time.perf_counter() - started < 5:
            await asyncio.sleep(0.0005)
        delays.append((time.perf_counter() - started) * 1000)
    return delays


async def tool_latencies(session, plain):
    rows = []
    for name, arguments, sql in CASES:
        tool = name.split(" ")[0]
        await session.call_tool(tool, arguments)
        run_plain(plain, sql)
        over_mcp, over_sql = [], []
        for _ in range(ROUNDS):
            t0 = time.perf_counter()
            result = await session.call_tool(tool, arguments)
            over_mcp.append((time.perf_counter() - t0) * 1000)
            assert not result.is_error, (name, result)
            t0 = time.perf_counter()
            run_plain(plain, sql)
            over_sql.append((time.perf_counter() - t0) * 1000)
        rows.append((name, statistics.median(over_mcp), statistics.median(over_sql)))
    return rows


async def main():
    updates = []

    async def on_message(message):
        note = getattr(message, "root", message)
        if isinstance(note, types.ResourceUpdatedNotification):
            updates.append(note.params.uri)

    admin = psycopg.connect(DSN)
    plain = psycopg.connect(DSN, autocommit=True)
    server = StdioServerParameters(command=BIN, args=["--dsn", DSN, "--allow-privileged-role"])
    async with stdio_client(server) as (read, write):
        async with ClientSession(read, write, message_handler=on_message) as session:
            await session.initialize()
            delays = await notification_delays(session, updates, admin)
            rows = await tool_latencies(session, plain)
    raw = RawClient()
    bare = raw_latencies(raw)
    raw.close()
    print(f"\nplanner-meta-mcp at {TABLES:,} tables, {ROUNDS} rounds each")
    print(f"commit -> notifications/resources/updated: p50 {quantile(delays, 0.5):.1f} ms,"
          f" p95 {quantile(delays, 0.95):.1f} ms, max {max(delays):.1f} ms")
    print(f"{'tool':<32}{'SDK p50':>10}{'JSON p50':>10}{'SQL p50':>10}{'SDK/SQL':>9}{'JSON/SQL':>10}")
    for name, over_mcp, over_sql in rows:
        print(f"{name:<32}{over_mcp:>8.2f}ms{bare[name]:>8.2f}ms{over_sql:>8.2f}ms"
              f"{over_mcp / over_sql:>9.2f}{bare[name] / over_sql:>10.2f}")


asyncio.run(main())
