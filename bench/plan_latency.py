"""plan() at one database size, measured from clients over a Unix socket
on a database prepared by bench/plan_latency.sh: the first call of a fresh
backend, the first call after a DDL committed by another session, warm
p50 / p95 over CALLS questions (table names, column names, values,
aggregates, joins), and the backend's memory growth from planning.
Prints one JSON line of figures (milliseconds, megabytes)."""
import json
import os
import random
import statistics
import time

import psycopg

dsn = os.environ["PLANNER_META_DSN"]
tables = int(os.environ["TABLES"])
calls = int(os.environ.get("CALLS", "300"))
# Fresh backends whose first call is timed: each asks one random question,
# so the median needs more of them than the warm figures do.
fresh = int(os.environ.get("FRESH", "15"))
random.seed(7)
# Column names of this run's DDL, so that a database can be measured again.
run = int(time.time())
templates = [
    "show the name and amount of t{a}",
    "how many t{a} have qty more than 5",
    "average amount of t{a} per status",
    "which t{a} has the highest amount",
    "list t{a} with their t{b} note",
    "total amount of t{a} created in 2024",
    "names of t{a} ordered by code",
]
MEMORY_SQL = "SELECT sum(total_bytes)::bigint FROM pg_backend_memory_contexts"


def question():
    a = random.randint(2, tables)
    return random.choice(templates).format(a=a, b=a - 1)


def timed_plan(conn, q):
    t0 = time.perf_counter()
    conn.execute("SELECT planner_meta.plan(%s)", (q,)).fetchone()
    return (time.perf_counter() - t0) * 1000


def first_calls(n):
    """First plan() of n fresh backends (median)."""
    out = []
    for _ in range(n):
        with psycopg.connect(dsn, autocommit=True) as conn:
            conn.execute("SELECT 1")
            out.append(timed_plan(conn, question()))
    return statistics.median(out)


def after_ddl(warm, ddl, n):
    """First plan() of a warm backend after another session's DDL (median)."""
    out = []
    for i in range(n):
        ddl.execute(f"ALTER TABLE app.t1 ADD COLUMN bench_extra_{run}_{i} int")
        out.append(timed_plan(warm, question()))
    return statistics.median(out)


with psycopg.connect(dsn, autocommit=True) as warm, psycopg.connect(dsn, autocommit=True) as ddl:
    warm.execute("SELECT 1")
    before = warm.execute(MEMORY_SQL).fetchone()[0]
    first = first_calls(fresh)
    samples = sorted(timed_plan(warm, question()) for _ in range(calls))
    growth = (warm.execute(MEMORY_SQL).fetchone()[0] - before) / 1e6
    after = after_ddl(warm, ddl, 5)
print(json.dumps({
    "tables": tables,
    "first_call_ms": round(first, 2),
    "after_ddl_ms": round(after, 2),
    "p50_ms": round(statistics.median(samples), 2),
    "p95_ms": round(samples[int(len(samples) * 0.95) - 1], 2),
    "memory_growth_mb": round(growth, 2),
}))
