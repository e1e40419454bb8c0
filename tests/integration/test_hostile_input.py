"""Hostile input: random and adversarial text thrown at every SQL function.
Goals: the backend never crashes, every failure is a clean ERROR with a
specific SQLSTATE (XX000, an internal error or a caught Rust panic, counts
as a failure), and every call returns within a bound."""
import os
import random
import sys
import time

import psycopg

DSN = os.environ["PLANNER_META_DSN"]
CALLS = int(os.environ.get("CALLS", "400"))
BOUND_S = 2.0
random.seed(int(os.environ.get("SEED", "20261125")))

FIXED = [
    "", " ", "\t\n\r", "'", "''", '"', "\\", "%", "_", ";", "--", "/*", "*/",
    "'; DROP TABLE t; --", "\" OR 1=1 --", "SELECT * FROM pg_authid", "$$", "$1", "NULL",
    "🦄" * 50, "\u202e\u200b\u00ad", "Ω≈ç√∫˜µ≤≥÷", "表" * 300, "a" * 10_001, "x" * 9_999,
    "how many " * 800, "orders " * 1000, "1e308", "-0", "99999999999999999999999",
    "in 2005 before 1800 after 2100", "top 0", "top -5", "first 99999999999",
    "\u0001\u0002\u0003", "a\u0000b".replace("\u0000", ""), "café naïve ﬁ", "ǅungla",
    "orders whose note contains '%_\\''", "notes containing \"", "containing '' and \"\"",
]


def random_text():
    alphabet = "abcdefghijklmnopqrstuvwxyz ABC'\";%_\\-.,()*0123456789🦄表\t\n"
    n = random.choice([0, 1, 5, 30, 200, 2000])
    return "".join(random.choice(alphabet) for _ in range(n))


CALLS_SQL = [
    ("plan", "SELECT planner_meta.plan(%s)"),
    ("plan options", "SELECT planner_meta.plan('orders', %s::jsonb)"),
    ("context", "SELECT planner_meta.context(%s, 200)"),
    ("describe", "SELECT planner_meta.describe(%s)"),
    ("metadata", "SELECT planner_meta.metadata(%s)"),
    ("tables", "SELECT * FROM planner_meta.tables(%s)"),
    ("find_values", "SELECT * FROM planner_meta.find_values(%s)"),
    ("sample", "SELECT planner_meta.sample(%s, 3)"),
    ("erd", "SELECT planner_meta.erd(%s)"),
    ("refresh_stats", "SELECT planner_meta.refresh_stats(%s)"),
    ("refresh_values", "SELECT planner_meta.refresh_values(%s)"),
]


def main():
    conn = psycopg.connect(DSN, autocommit=True)
    conn.execute("CREATE TABLE IF NOT EXISTS orders (id int PRIMARY KEY, note text)")
    inputs = FIXED + [random_text() for _ in range(CALLS)]
    failures, errors, calls, slowest = [], 0, 0, 0.0
    for text in inputs:
        for name, sql in CALLS_SQL:
            calls += 1
            t0 = time.perf_counter()
            try:
                conn.execute(sql, (text,)).fetchall()
            except psycopg.errors.InternalError_ as e:
                failures.append(f"{name}({text[:40]!r}): XX000 {e}")
            except psycopg.Error as e:
                if conn.broken or e.sqlstate is None:
                    failures.append(f"{name}({text[:40]!r}): connection lost: {e}")
                    conn = psycopg.connect(DSN, autocommit=True)
                else:
                    errors += 1
            elapsed = time.perf_counter() - t0
            slowest = max(slowest, elapsed)
            if elapsed > BOUND_S:
                failures.append(f"{name}({text[:40]!r}): {elapsed:.2f} s")
    alive = conn.execute("SELECT 1").fetchone() == (1,)
    print(f"hostile input: {calls} calls, {errors} clean errors, {len(failures)} failures, "
          f"slowest {slowest * 1000:.0f} ms, backend alive: {alive}")
    for f in failures[:10]:
        print("  ", f)
    if failures or not alive:
        sys.exit(1)


if __name__ == "__main__":
    main()
