"""Fits the planner's weights on the public tuning pool (Spider train).

The weights of src/planning/weights.json (link scores, selection
thresholds, lexicon factors) are searched by coordinate ascent: each
weight in turn is scaled by a few factors, every candidate is scored by
planning a fixed sample of the pool's questions with the candidate in
`planner_meta.weights`, and a change is kept when it raises the
objective.  Objective: strict table recall (every gold table chosen) plus
table precision plus half the column recall, averaged over the sample.
The rest of the pool is held out and scored at the start and the end.
Never run on the evaluation sets: only spider_train.jsonl is read.
"""
import ast
import json
import os
import random
import sys

import psycopg

sys.path.insert(0, os.path.dirname(__file__))
from eval_plan import score  # noqa: E402

EVAL_DIR = os.environ.get("EVALDATA", "../shared/evaldata")
POOL = os.path.join(EVAL_DIR, "questions", "spider_train.jsonl")
WEIGHTS = os.environ.get("WEIGHTS_FILE", "src/planning/weights.json")
BASE_DSN = os.environ["PLANNER_META_DSN"]
SAMPLE = int(os.environ.get("TRAIN_SAMPLE", "2000"))
HOLDOUT = int(os.environ.get("TRAIN_HOLDOUT", "2000"))
ROUNDS = int(os.environ.get("TRAIN_ROUNDS", "2"))
FACTORS = [0.6, 0.8, 1.25, 1.6]
SEED = 20261202


def listed(value):
    """The pool writes lists as Python literals ("['faculty']")."""
    if isinstance(value, str):
        return ast.literal_eval(value) if value.strip() else []
    return value or []


def load_pool():
    rows = []
    with open(POOL) as f:
        for line in f:
            r = json.loads(line)
            if r.get("pg_exec") != "ok":
                continue
            r["gold_tables"] = listed(r.get("gold_tables"))
            r["gold_columns"] = listed(r.get("gold_columns"))
            if r["gold_tables"]:
                rows.append(r)
    random.Random(SEED).shuffle(rows)
    return rows[:SAMPLE], rows[SAMPLE:SAMPLE + HOLDOUT]


class Planner:
    """One autocommit connection per database of the pool."""

    def __init__(self):
        self.conns = {}

    def conn(self, db):
        if db not in self.conns:
            self.conns[db] = psycopg.connect(f"{BASE_DSN} dbname={db}", autocommit=True)
        return self.conns[db]

    def objective(self, rows, weights):
        changes = json.dumps(weights)
        applied = set()
        strict = precision = columns = 0.0
        for r in rows:
            c = self.conn(r["pg_database"])
            if r["pg_database"] not in applied:
                c.execute("SELECT set_config('planner_meta.weights', %s, false)", (changes,))
                applied.add(r["pg_database"])
            try:
                plan = c.execute("SELECT planner_meta.plan(%s)", (r["question"],)).fetchone()[0]
            except psycopg.Error:
                plan = {}
            s = score(r, plan)
            strict += s["table_recall"] == 1.0
            precision += s["table_precision"]
            columns += s["column_recall"]
        n = len(rows)
        return (strict + precision + 0.5 * columns) / n, strict / n, precision / n, columns / n


def main():
    sample, holdout = load_pool()
    with open(WEIGHTS) as f:
        weights = json.load(f)
    planner = Planner()
    best = planner.objective(sample, weights)
    before_holdout = planner.objective(holdout, weights)
    print(f"start: sample {best[0]:.4f} (strict {best[1]:.3f}, precision {best[2]:.3f}, "
          f"columns {best[3]:.3f}); held out {before_holdout[0]:.4f}", flush=True)
    for rnd in range(ROUNDS):
        changed = False
        for name in list(weights):
            for factor in FACTORS:
                trial = dict(weights)
                trial[name] = round(weights[name] * factor, 3)
                got = planner.objective(sample, trial)
                if got[0] > best[0] + 1e-4:
                    print(f"round {rnd + 1}: {name} {weights[name]} -> {trial[name]}: "
                          f"{best[0]:.4f} -> {got[0]:.4f}", flush=True)
                    weights, best, changed = trial, got, True
                    save(weights)
        if not changed:
            break
    after_holdout = planner.objective(holdout, weights)
    print(f"end: sample {best[0]:.4f} (strict {best[1]:.3f}, precision {best[2]:.3f}, "
          f"columns {best[3]:.3f}); held out {before_holdout[0]:.4f} -> {after_holdout[0]:.4f} "
          f"(strict {after_holdout[1]:.3f}, precision {after_holdout[2]:.3f}, "
          f"columns {after_holdout[3]:.3f})", flush=True)
    save(weights)


def save(weights):
    """Written after every kept change, so a stopped search keeps its progress."""
    with open(WEIGHTS, "w") as f:
        json.dump(weights, f, indent=2)
        f.write("\n")


if __name__ == "__main__":
    main()
