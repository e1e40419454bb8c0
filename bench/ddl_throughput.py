"""Benchmark driver (not a test): SESSIONS sessions run the concurrency
test's DDL mix (create with a foreign key, add column, rename, add and drop
a column of a shared table, drop) in autocommit for SECONDS; prints the
statements committed per second.  Tracking on or off comes from PGOPTIONS."""
import os
import threading
import time

import psycopg

DSN = os.environ["PLANNER_META_DSN"]
SESSIONS = int(os.environ.get("SESSIONS", "4"))
SECONDS = float(os.environ.get("SECONDS", "6"))
PREFIX = os.environ.get("PREFIX", "x")


def worker(n, counts):
    conn = psycopg.connect(DSN, autocommit=True)
    # A table of its own per session: dropped columns still count towards a
    # table's 1,600.
    shared = f"app.shared_{PREFIX}{n}"
    conn.execute(f"CREATE TABLE {shared} (id int PRIMARY KEY)")
    done, i = 0, 0
    deadline = time.monotonic() + SECONDS
    while time.monotonic() < deadline:
        i += 1
        t = f"{PREFIX}{n}_t{i}"
        for sql in (
            f"CREATE TABLE app.{t} (id int PRIMARY KEY, ref bigint REFERENCES app.t1 (id))",
            f"ALTER TABLE app.{t} ADD COLUMN note text",
            f"ALTER TABLE app.{t} RENAME TO {t}_r",
            f"ALTER TABLE {shared} ADD COLUMN c_{i} int",
            f"ALTER TABLE {shared} DROP COLUMN c_{i}",
            f"DROP TABLE app.{t}_r",
        ):
            conn.execute(sql)
            done += 1
    counts[n] = done
    conn.execute(f"DROP TABLE {shared}")
    conn.close()


def main():
    counts = [0] * SESSIONS
    threads = [threading.Thread(target=worker, args=(n, counts)) for n in range(SESSIONS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    print(round(sum(counts) / SECONDS))


main()
