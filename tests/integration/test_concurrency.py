"""Concurrent DDL: several sessions create, alter, rename and drop their own
tables and add and drop columns on a shared one for a few seconds.  Goals:
no error caused by the extension (deadlocks included), exactly one change
row per committed statement, and verify() empty afterwards."""
import os
import sys
import threading
import time

import psycopg

DSN = os.environ["PLANNER_META_DSN"]
SESSIONS = int(os.environ.get("SESSIONS", "4"))
SECONDS = float(os.environ.get("SECONDS", "6"))


def worker(n, results):
    conn = psycopg.connect(DSN, autocommit=True)
    done, errors, i = 0, [], 0
    deadline = time.monotonic() + SECONDS
    while time.monotonic() < deadline:
        i += 1
        t = f"s{n}_t{i}"
        steps = [
            f"CREATE TABLE {t} (id int PRIMARY KEY, shared_id int REFERENCES shared (id))",
            f"ALTER TABLE {t} ADD COLUMN note text",
            f"ALTER TABLE {t} RENAME TO {t}_r",
            f"ALTER TABLE shared ADD COLUMN c_{n}_{i} int",
            f"ALTER TABLE shared DROP COLUMN c_{n}_{i}",
            f"DROP TABLE {t}_r",
        ]
        for sql in steps:
            try:
                conn.execute(sql)
                done += 1
            except psycopg.Error as e:
                errors.append(f"{sql}: {e.sqlstate} {e}")
    results[n] = (done, errors)


def main():
    admin = psycopg.connect(DSN, autocommit=True)
    admin.execute("CREATE TABLE shared (id int PRIMARY KEY)")
    start_id = admin.execute("SELECT coalesce(max(id), 0) FROM planner_meta.change_log").fetchone()[0]
    results = {}
    threads = [threading.Thread(target=worker, args=(n, results)) for n in range(SESSIONS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    committed = sum(r[0] for r in results.values())
    errors = [e for r in results.values() for e in r[1]]
    rows = admin.execute("SELECT count(*) FROM planner_meta.change_log WHERE id > %s", (start_id,)).fetchone()[0]
    failures = admin.execute("SELECT count(*) FROM planner_meta.tracking_errors").fetchone()[0]
    diffs = admin.execute("SELECT count(*) FROM planner_meta.verify()").fetchone()[0]
    print(f"concurrency: {SESSIONS} sessions x {SECONDS:.0f} s: {committed} DDL statements committed, "
          f"{len(errors)} errors, {rows} change rows, {failures} tracking failures, {diffs} verify() differences")
    for e in errors[:5]:
        print("  error:", e)
    ok = not errors and rows == committed and failures == 0 and diffs == 0
    if not ok:
        print("concurrency: FAILED", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
