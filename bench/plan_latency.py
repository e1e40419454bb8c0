"""plan() latency, measured from a client over a Unix socket, on a database
prepared by bench/plan_latency.sh.  Prints p50 / p95 over CALLS questions
mixing table names, column names, values, aggregates and joins."""
import os
import random
import statistics
import sys
import time

import psycopg

dsn = os.environ["PLANNER_META_DSN"]
tables = int(os.environ["TABLES"])
calls = int(os.environ.get("CALLS", "300"))
random.seed(7)
templates = [
    "show the name and amount of t{a}",
    "how many t{a} have qty more than 5",
    "average amount of t{a} per status",
    "which t{a} has the highest amount",
    "list t{a} with their t{b} note",
    "total amount of t{a} created in 2024",
    "names of t{a} ordered by code",
]
with psycopg.connect(dsn, autocommit=True) as conn:
    conn.execute("SELECT planner_meta.plan('warm up')")  # builds the index once
    samples = []
    for _ in range(calls):
        a = random.randint(2, tables)
        q = random.choice(templates).format(a=a, b=a - 1)
        t0 = time.perf_counter()
        conn.execute("SELECT planner_meta.plan(%s)", (q,)).fetchone()
        samples.append((time.perf_counter() - t0) * 1000)
samples.sort()
p50 = statistics.median(samples)
p95 = samples[int(len(samples) * 0.95) - 1]
print(f"{tables:>6} tables  plan() p50 {p50:6.2f} ms  p95 {p95:6.2f} ms  ({calls} calls)")
sys.exit(0)
