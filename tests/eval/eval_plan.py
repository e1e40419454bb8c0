"""Scores plan() against the gold SQL of the public evaluation questions.

For every answerable question: table recall and precision, exact table-set
match, column recall and join correctness, per database set and overall,
then the 20 worst misses.  Gold tables and columns come with each record
(derived from the gold SQL with a SQL parser by the data set's authors).
Execution accuracy: the draft SQL of plan() and the gold SQL (or any of
its listed alternatives) are run read-only with a time limit, and their
results compared as multisets of rows (numbers rounded to 4 places).
Strict recall is the share of questions whose every gold table is chosen.
The rewordings (Spider-Syn, Spider-Realistic) are scored per set and
beside the same questions as originally worded.
Not a pass/fail test: it prints figures.
"""
import json
import os
import sys
import time
from collections import defaultdict

from decimal import Decimal

import psycopg

EVAL_DIR = os.environ.get("EVALDATA", "../shared/evaldata")
FILES = ["spider_dev.jsonl", "defog.jsonl", "spider2lite_pagila.jsonl", "chinook_spider.jsonl"]
# Rewordings of Spider dev questions (synonyms for schema words; column
# names left out): scored apart and beside their originals, never in OVERALL.
REWORDINGS = ["spider_syn.jsonl", "spider_realistic.jsonl"]
BASE_DSN = os.environ["PLANNER_META_DSN"]


def norm_table(name):
    return name.split(".")[-1].replace('"', "").lower()


def norm_column(name):
    parts = [p.replace('"', "").lower() for p in name.split(".")]
    return ".".join(parts[-2:])


def score(record, plan):
    gold_t = {norm_table(t) for t in record.get("gold_tables") or []}
    gold_c = {norm_column(c) for c in record.get("gold_columns") or []}
    pred_t = {norm_table(t["table"]) for t in plan.get("tables", [])}
    pred_c = {norm_column(c) for c in plan.get("relevant_columns", [])}
    hit_t = len(gold_t & pred_t)
    joins_ok = None
    if len(gold_t) >= 2:
        joins_ok = pred_t == gold_t and len(plan.get("joins", [])) == len(pred_t) - 1
    return {
        "table_recall": hit_t / len(gold_t) if gold_t else 1.0,
        "table_precision": hit_t / len(pred_t) if pred_t else 0.0,
        "exact": pred_t == gold_t,
        "column_recall": len(gold_c & pred_c) / len(gold_c) if gold_c else 1.0,
        "joins_ok": joins_ok,
        "gold_t": sorted(gold_t),
        "pred_t": sorted(pred_t),
    }


def result_rows(conn, sql):
    """Rows of a query as a sorted list of normalised tuples, or None."""
    if not sql:
        return None
    try:
        with conn.transaction():
            conn.execute("SET TRANSACTION READ ONLY")
            conn.execute("SET LOCAL statement_timeout = '2s'")
            rows = conn.execute(sql).fetchall()
            raise psycopg.Rollback()
    except psycopg.Rollback:
        pass
    except psycopg.Error:
        return None
    def norm(v):
        if isinstance(v, (float, Decimal)):
            return repr(round(float(v), 4))
        return repr(v)
    return sorted(tuple(norm(v) for v in row) for row in rows)


def executes_like_gold(conn, rec, sql):
    """True when the draft returns what the gold SQL returns; None when the
    gold SQL itself does not run here."""
    golds = [rec["gold_sql"]] + [g for g in rec.get("gold_sql_alternatives_raw") or [] if g != rec["gold_sql"]]
    draft = result_rows(conn, sql)
    ran = False
    for gold in golds:
        expected = result_rows(conn, gold)
        if expected is None:
            continue
        ran = True
        if draft is not None and draft == expected:
            return True
    return False if ran else None


def main():
    conns = {}
    rows = []
    latencies = []
    for name in FILES + REWORDINGS:
        path = os.path.join(EVAL_DIR, "questions", name)
        with open(path) as f:
            for line in f:
                rec = json.loads(line)
                if rec.get("answerable") is False or not rec.get("gold_tables"):
                    continue
                db = rec["pg_database"]
                if db not in conns:
                    conns[db] = psycopg.connect(f"{BASE_DSN} dbname={db}", autocommit=True)
                t0 = time.perf_counter()
                plan = conns[db].execute("SELECT planner_meta.plan(%s)", (rec["question"],)).fetchone()[0]
                latencies.append((time.perf_counter() - t0) * 1000)
                s = score(rec, plan)
                s.update(set=rec["set"], db=db, question=rec["question"], sql=plan.get("sql", ""),
                         id=rec["id"], base_id=rec.get("base_id"))
                s["executes"] = (executes_like_gold(conns[db], rec, plan.get("sql", ""))
                                 if plan.get("query_type") == "sql" else False)
                rows.append(s)

    def summary(items):
        n = len(items)
        joins = [r["joins_ok"] for r in items if r["joins_ok"] is not None]
        return (
            n,
            sum(r["table_recall"] for r in items) / n,
            sum(r["table_precision"] for r in items) / n,
            sum(r["exact"] for r in items) / n,
            sum(r["column_recall"] for r in items) / n,
            (sum(joins) / len(joins)) if joins else float("nan"),
            len(joins),
            execution(items),
            sum(r["table_recall"] == 1.0 for r in items) / n,
        )

    def execution(items):
        ran = [r["executes"] for r in items if r["executes"] is not None]
        return (sum(ran) / len(ran)) if ran else float("nan")

    header = (f"{'set / database':34} {'n':>5} {'tbl rec':>8} {'tbl prec':>9} {'exact':>7} {'col rec':>8} "
              f"{'joins':>7} {'(n)':>5} {'exec':>6} {'strict':>7}")
    print(header)
    print("-" * len(header))
    by_set = defaultdict(list)
    by_db = defaultdict(list)
    reworded_sets = {r["set"] for r in rows if r["base_id"]}
    originals = [r for r in rows if r["set"] not in reworded_sets]
    for r in originals:
        by_db[r["db"]].append(r)
    for r in rows:
        by_set[r["set"]].append(r)
    for key, items in sorted(by_db.items()):
        print("{:34} {:5d} {:8.3f} {:9.3f} {:7.3f} {:8.3f} {:7.3f} {:5d} {:6.3f} {:7.3f}".format(key, *summary(items)))
    print("-" * len(header))
    for key, items in sorted(by_set.items()):
        print("{:34} {:5d} {:8.3f} {:9.3f} {:7.3f} {:8.3f} {:7.3f} {:5d} {:6.3f} {:7.3f}".format("set " + key, *summary(items)))
    print("{:34} {:5d} {:8.3f} {:9.3f} {:7.3f} {:8.3f} {:7.3f} {:5d} {:6.3f} {:7.3f}".format("OVERALL", *summary(originals)))
    by_id = {r["id"]: r for r in originals}
    print("\nrewordings beside their originals (the same questions, as first worded):")
    for key in sorted(reworded_sets):
        pairs = [(r, by_id[r["base_id"]]) for r in by_set[key] if r["base_id"] in by_id]
        for label, items in ((key + " reworded", [p[0] for p in pairs]),
                             (key + " original", [p[1] for p in pairs])):
            print("{:34} {:5d} {:8.3f} {:9.3f} {:7.3f} {:8.3f} {:7.3f} {:5d} {:6.3f} {:7.3f}".format(
                label, *summary(items)))
    latencies.sort()
    print(f"\nplan() latency over {len(latencies)} calls: p50 {latencies[len(latencies) // 2]:.1f} ms, "
          f"p95 {latencies[int(len(latencies) * 0.95)]:.1f} ms (client round trip included)")
    print("\n20 worst misses (lowest table recall, then precision):")
    worst = sorted(originals, key=lambda r: (r["table_recall"], r["table_precision"]))[:20]
    for r in worst:
        print(f"- [{r['db']}] {r['question']}\n    gold {r['gold_t']}  planned {r['pred_t']}")


if __name__ == "__main__":
    sys.exit(main())
