"""A second session learns of DDL through LISTEN/NOTIFY, without polling.

The listener blocks on its socket (psycopg's notifies() waits in select()),
and must hear nothing while the DDL's transaction is open, then exactly the
change rows once it commits, and nothing for a rolled-back DDL.
"""
import json
import os
import sys

import psycopg

DSN = os.environ["PLANNER_META_DSN"]


def drain(conn, timeout):
    return [json.loads(n.payload) for n in conn.notifies(timeout=timeout)]


def main():
    listener = psycopg.connect(DSN, autocommit=True)
    listener.execute("LISTEN planner_meta")
    writer = psycopg.connect(DSN)
    writer.execute("CREATE TABLE notify_customers (id int PRIMARY KEY)")
    writer.commit()
    drain(listener, 1.0)

    # One transaction: a table created (and altered: it is logged once, as
    # created, with its structure at commit) and an existing table altered.
    writer.execute("CREATE TABLE notify_orders (id int PRIMARY KEY, note text)")
    writer.execute("ALTER TABLE notify_orders ADD COLUMN total numeric")
    writer.execute("ALTER TABLE notify_customers ADD COLUMN name text")
    assert drain(listener, 1.0) == [], "no notification before commit"
    seen = listener.execute(
        "SELECT count(*) FROM planner_meta.changelog WHERE object_identity = 'public.notify_orders'"
    ).fetchone()[0]
    assert seen == 0, "uncommitted change rows are invisible to other sessions"

    writer.commit()
    got = drain(listener, 5.0)
    actions = [(n["action"], n["object"]) for n in got]
    assert actions == [
        ("created_table", "public.notify_orders"),
        ("updated_table_structure", "public.notify_customers"),
    ], actions
    for n in got:
        row = listener.execute(
            "SELECT action FROM planner_meta.changelog WHERE id = %s", (n["id"],)
        ).fetchone()
        assert row == (n["action"],), (row, n)
    columns = listener.execute(
        "SELECT jsonb_path_query_array(planner_meta.describe('notify_orders'), '$.columns[*].name')"
    ).fetchone()[0]
    assert columns == ["id", "note", "total"], columns

    writer.execute("CREATE TABLE notify_ghost (id int)")
    writer.rollback()
    assert drain(listener, 1.0) == [], "a rolled-back DDL notifies nobody"

    writer.execute("DROP TABLE notify_orders")
    writer.commit()
    got = drain(listener, 5.0)
    assert [(n["action"], n["object"]) for n in got] == [("dropped_table", "public.notify_orders")], got
    print("notify: ok (silent before commit, delivered at commit, nothing on rollback)")


if __name__ == "__main__":
    try:
        main()
    except AssertionError as e:
        print(f"notify: FAILED: {e}", file=sys.stderr)
        sys.exit(1)
