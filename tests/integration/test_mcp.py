"""The MCP server, driven by the official Python MCP SDK as an agent would.

A superuser connection is not offered run_query; a low-privilege role gets
every tool, sees through them only what it may read, cannot write or read
server files through run_query, and stops at the row cap and the timeout.
A subscribed table hears about a committed ALTER TABLE from another
connection within a second, and nothing about a rolled-back one.  The same
tools answer over streamable HTTP.
"""
import asyncio
import json
import os
import socket
import subprocess
import sys
import time

import psycopg
import mcp.types as types
from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client
from mcp.client.streamable_http import streamable_http_client
from mcp.shared.exceptions import MCPError as McpError

DSN = os.environ["PLANNER_META_DSN"]
BIN = os.environ["PLANNER_META_MCP_BIN"]
AGENT = "mcp_agent"
RESOURCE_NOT_FOUND = -32002
TOOLS = {"list_schemas", "list_tables", "describe_table", "plan_question", "schema_context",
         "find_values", "sample_rows", "recent_changes", "explain_query", "run_query"}


def setup(admin):
    admin.execute("""
        DROP ROLE IF EXISTS mcp_agent;
        CREATE ROLE mcp_agent LOGIN;
        CREATE SCHEMA shop;
        CREATE TABLE shop.customers (id int PRIMARY KEY, name text, country text);
        CREATE TABLE shop.orders (id int PRIMARY KEY, customer_id int REFERENCES shop.customers,
                                  total numeric);
        CREATE TABLE shop.secret_salaries (id int PRIMARY KEY, salary numeric);
        INSERT INTO shop.customers SELECT g, 'customer ' || g,
               (ARRAY['Canada', 'France', 'Japan'])[g % 3 + 1] FROM generate_series(1, 300) g;
        INSERT INTO shop.orders SELECT g, g % 300 + 1, g FROM generate_series(1, 3000) g;
        ANALYZE shop.customers, shop.orders;
        GRANT USAGE ON SCHEMA shop TO mcp_agent;
        GRANT SELECT ON shop.customers, shop.orders TO mcp_agent;
        CREATE SEQUENCE shop.tickets;
        GRANT USAGE ON SEQUENCE shop.tickets TO mcp_agent;
    """)
    admin.execute("SELECT planner_meta.refresh(force => true)")


def params(role, *extra):
    return StdioServerParameters(command=BIN, args=["--dsn", f"{DSN} user={role}", *extra])


def text(result):
    return "".join(c.text for c in result.content if getattr(c, "text", None) is not None)


async def call(session, name, **arguments):
    result = await session.call_tool(name, arguments)
    return result.is_error if hasattr(result, "is_error") else result.isError, text(result)


async def ok(session, name, **arguments):
    failed, body = await call(session, name, **arguments)
    assert not failed, (name, arguments, body)
    return json.loads(body) if body[:1] in "[{" else body


async def fails(session, name, expect, **arguments):
    """A refused call is a clear error (a tool error or an MCP error), and
    the server goes on serving."""
    try:
        failed, body = await call(session, name, **arguments)
        assert failed, (name, arguments, body)
    except McpError as e:
        body = str(e)
    assert expect in body, (name, arguments, expect, body)
    await ok(session, "list_schemas")
    return body


async def privileged_role_gets_no_run_query():
    async with stdio_client(params("postgres")) as (read, write):
        async with ClientSession(read, write) as session:
            await session.initialize()
            names = {t.name for t in (await session.list_tools()).tools}
            assert names == TOOLS - {"run_query"}, names
            await fails(session, "run_query", "not found", sql="SELECT 1")
            # EXPLAIN without ANALYZE plans a write and does not run it.
            plan = await ok(session, "explain_query", sql="DELETE FROM shop.orders")
            assert plan[0]["Plan"]["Node Type"] == "ModifyTable", plan


async def every_tool(session):
    names = {t.name for t in (await session.list_tools()).tools}
    assert names == TOOLS, names
    schemas = [s["schema_name"] for s in await ok(session, "list_schemas")]
    assert "shop" in schemas, schemas
    tables = await ok(session, "list_tables", schema="shop", detail="names")
    assert [t["table"] for t in tables] == ["customers", "orders"], tables
    columns = await ok(session, "list_tables", schema="shop", detail="columns")
    assert "country text" in columns[0]["column_list"], columns
    await fails(session, "list_tables", "3F000", schema="no_such_schema")
    await fails(session, "list_tables", "unknown variant", schema="shop", detail="everything")

    customers = await ok(session, "describe_table", schema="shop", table="customers")
    assert [c["name"] for c in customers["columns"]] == ["id", "name", "country"], customers
    assert "triggers" not in customers and "triggers" in await ok(
        session, "describe_table", schema="shop", table="customers", detail="full")
    await fails(session, "describe_table", "42501", schema="shop", table="secret_salaries")
    await fails(session, "describe_table", "42P01", schema="shop", table="nothing_here")
    await fails(session, "describe_table", "missing field `table`", schema="shop")

    plan = await ok(session, "plan_question", question="total of orders per customer country")
    chosen = json.dumps(plan)
    assert "orders" in chosen and "customers" in chosen, plan
    await fails(session, "plan_question", "limit", question="orders", limit=99)
    context = await ok(session, "schema_context", question="orders of customers", max_tokens=300)
    assert "CREATE TABLE shop.orders" in context and len(context) <= 300 * 4 + 80, context
    values = await ok(session, "find_values", value="Canada", limit=5)
    assert any(v["column_name"] == "country" and v["value"] == "Canada" for v in values), values
    sample = await ok(session, "sample_rows", schema="shop", table="customers", limit=2)
    assert sample["row_count"] == 2, sample
    await fails(session, "sample_rows", "42501", schema="shop", table="secret_salaries")
    changes = await ok(session, "recent_changes", limit=1000)
    seen = {c["object_identity"] for c in changes}
    assert "shop.customers" in seen and "shop.secret_salaries" not in seen, seen
    later = await ok(session, "recent_changes", since_id=changes[-1]["id"])
    assert later == [], later
    small = json.loads(text(await session.call_tool("list_tables", {"detail": "columns", "max_tokens": 60})))
    assert small["truncated"] is True, small
    plan = await ok(session, "explain_query", sql="SELECT * FROM shop.orders WHERE id = 1")
    assert plan[0]["Plan"]["Node Type"], plan


async def run_query_is_read_only(session, admin):
    result = await ok(session, "run_query", sql="SELECT id, name FROM shop.customers ORDER BY id", limit=3)
    assert result["columns"] == ["id", "name"] and result["rows"][0] == [1, "customer 1"], result
    assert result["truncated"] is True and result["row_count"] == 3, result
    whole = await ok(session, "run_query", sql="SELECT count(*) FROM shop.orders;")
    assert whole["rows"] == [[3000]] and whole["truncated"] is False, whole
    capped = await ok(session, "run_query", sql="SELECT g FROM generate_series(1, 100000) g", limit=50)
    assert capped["row_count"] == 50 and capped["truncated"], capped
    await fails(session, "run_query", "limit", sql="SELECT 1", limit=5000)
    for sql, expect in [
        ("DELETE FROM shop.orders", "ERROR"),
        ("WITH d AS (DELETE FROM shop.orders RETURNING *) SELECT count(*) FROM d", "ERROR"),
        ("SELECT 1; DELETE FROM shop.orders", "ERROR"),
        ("SELECT 1) q; DELETE FROM shop.orders; SELECT (1", "ERROR"),
        ("SELECT * FROM shop.orders FOR UPDATE", "25006"),
        ("SELECT pg_read_file('/etc/passwd')", "42501"),
        ("SELECT pg_ls_dir('.')", "42501"),
        ("SELECT lo_import('/etc/passwd')", "42501"),
        ("SELECT set_config('transaction_read_only', 'off', false)", "ERROR"),
        ("SELECT * FROM shop.secret_salaries", "42501"),
        ("SELECT nextval('shop.tickets')", "25006"),
        ("SELECT count(*) FROM (SELECT set_config('role', 'postgres', false)) s", "ERROR"),
    ]:
        await fails(session, "run_query", expect, sql=sql)
    await fails(session, "explain_query", "ERROR", sql="SELECT 1; DROP TABLE shop.orders")
    await fails(session, "explain_query", "42501", sql="DELETE FROM shop.orders")
    started = time.monotonic()
    await fails(session, "run_query", "57014", sql="SELECT pg_sleep(30)")
    assert time.monotonic() - started < 5, "the statement timeout stops a long query"
    # The pooled connection comes back clean: no lock or setting survives.
    await ok(session, "run_query", sql="SELECT pg_advisory_lock(42)")
    held = admin.execute("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'").fetchone()[0]
    assert held == 0, "advisory lock released after run_query"
    assert admin.execute("SELECT count(*) FROM shop.orders").fetchone()[0] == 3000
    assert admin.execute("SELECT count(*) FROM pg_tables WHERE schemaname = 'shop'").fetchone()[0] == 3
    assert admin.execute("SELECT last_value FROM shop.tickets").fetchone()[0] == 1
    admin.rollback()


async def resources(session):
    listed = {r.uri for r in (await session.list_resources()).resources}
    for uri in ["planner-meta://changelog", "planner-meta://schema/shop",
                "planner-meta://table/shop/customers", "planner-meta://table/shop/orders"]:
        assert uri in listed, (uri, listed)
    assert "planner-meta://table/shop/secret_salaries" not in listed
    templates = {t.uri_template if hasattr(t, "uri_template") else t.uriTemplate
                 for t in (await session.list_resource_templates()).resource_templates}
    assert "planner-meta://table/{schema}/{table}" in templates, templates
    body = (await session.read_resource("planner-meta://table/shop/customers")).contents[0].text
    assert json.loads(body)["name"] == "customers", body
    for uri in ["planner-meta://table/shop/secret_salaries", "planner-meta://nothing", "planner-meta://table/shop/none"]:
        try:
            await session.read_resource(uri)
            raise AssertionError(f"{uri} was readable")
        except McpError as e:
            assert e.code == RESOURCE_NOT_FOUND and uri in str(e), (uri, e.code, e)


async def notifications(session, updates, admin):
    for uri in ["planner-meta://table/shop/customers", "planner-meta://table/shop/secret_salaries"]:
        await session.subscribe_resource(uri)
    await asyncio.sleep(0.3)
    updates.clear()
    admin.execute("ALTER TABLE shop.customers ADD COLUMN email text")
    started = time.monotonic()
    admin.commit()
    while "planner-meta://table/shop/customers" not in updates and time.monotonic() - started < 1.0:
        await asyncio.sleep(0.01)
    assert "planner-meta://table/shop/customers" in updates, updates
    print(f"update received {1000 * (time.monotonic() - started):.0f} ms after commit")
    await asyncio.sleep(0.5)
    updates.clear()
    admin.execute("ALTER TABLE shop.customers ADD COLUMN phone text")
    admin.rollback()
    admin.execute("ALTER TABLE shop.secret_salaries ADD COLUMN bonus numeric")
    admin.commit()
    await asyncio.sleep(1.5)
    assert updates == [], f"nothing for a rollback nor an invisible table: {updates}"
    admin.execute("CREATE TABLE shop.returns (id int PRIMARY KEY); GRANT SELECT ON shop.returns TO mcp_agent")
    admin.commit()
    started = time.monotonic()
    while "list_changed" not in updates and time.monotonic() - started < 2.0:
        await asyncio.sleep(0.01)
    assert "list_changed" in updates, updates
    # A lost listening connection is opened again.
    killed = admin.execute("""SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) FROM pg_stat_activity
                               WHERE usename = 'mcp_agent'
                                 AND (query = 'LISTEN planner_meta' OR query LIKE '%l.id = ANY%')""").fetchone()[0]
    admin.commit()
    assert killed == 1, f"the listening connection was found and terminated: {killed}"
    await asyncio.sleep(2.5)
    updates.clear()
    admin.execute("ALTER TABLE shop.customers ADD COLUMN fax text")
    admin.commit()
    started = time.monotonic()
    while "planner-meta://table/shop/customers" not in updates and time.monotonic() - started < 2.0:
        await asyncio.sleep(0.01)
    assert "planner-meta://table/shop/customers" in updates, f"after a reconnect: {updates}"


async def agent_session(admin):
    updates = []

    async def on_message(message):
        note = getattr(message, "root", message)
        if isinstance(note, types.ResourceUpdatedNotification):
            updates.append(note.params.uri)
        elif isinstance(note, types.ResourceListChangedNotification):
            updates.append("list_changed")

    async with stdio_client(params(AGENT, "--statement-timeout-ms", "1000", "--row-limit", "1000")) as (read, write):
        async with ClientSession(read, write, message_handler=on_message) as session:
            await session.initialize()
            await every_tool(session)
            await run_query_is_read_only(session, admin)
            await resources(session)
            await notifications(session, updates, admin)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def over_http():
    port = free_port()
    server = subprocess.Popen([BIN, "--dsn", f"{DSN} user={AGENT}", "--http", str(port)])
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
                break
            except OSError:
                time.sleep(0.05)
        async with streamable_http_client(f"http://127.0.0.1:{port}/mcp") as streams:
            async with ClientSession(streams[0], streams[1]) as session:
                await session.initialize()
                tables = await ok(session, "list_tables", schema="shop", detail="names")
                assert "customers" in [t["table"] for t in tables], tables
                result = await ok(session, "run_query", sql="SELECT 1 AS one")
                assert result["rows"] == [[1]], result
    finally:
        server.terminate()
        server.wait(timeout=10)


def main():
    admin = psycopg.connect(DSN)
    admin.autocommit = True
    setup(admin)
    admin.autocommit = False
    asyncio.run(privileged_role_gets_no_run_query())
    asyncio.run(agent_session(admin))
    asyncio.run(over_http())
    print("test_mcp: ok")


if __name__ == "__main__":
    try:
        main()
    except Exception:
        import traceback
        traceback.print_exc()
        sys.exit(1)
