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

The pool's questions use the schema's own words, so by themselves they
would teach nothing about links through the lexicon.  Each sampled
question therefore also appears reworded (`reword`): words that name one of
its gold tables or columns are replaced, with a seeded choice, by a
synonym or broader term of the lexicon that names nothing in the
database, as users do ("vocalists" for singers).  The objective averages
the original and the reworded questions.
"""
import ast
import json
import os
import random
import re
import sys

import psycopg

sys.path.insert(0, os.path.dirname(__file__))
from eval_plan import score  # noqa: E402

EVAL_DIR = os.environ.get("EVALDATA", "../shared/evaldata")
POOL = os.path.join(EVAL_DIR, "questions", "spider_train.jsonl")
WEIGHTS = os.environ.get("WEIGHTS_FILE", "src/planning/weights.json")
BASE_DSN = os.environ["PLANNER_META_DSN"]
SAMPLE = int(os.environ.get("TRAIN_SAMPLE", "1500"))
HOLDOUT = int(os.environ.get("TRAIN_HOLDOUT", "1500"))
ROUNDS = int(os.environ.get("TRAIN_ROUNDS", "2"))
# The weights searched (comma-separated names; default all of the file).
ONLY = [n for n in os.environ.get("TRAIN_ONLY", "").split(",") if n]
FACTORS = [0.6, 0.8, 1.25, 1.6]
SEED = 20261202
# Share of a question's schema words a rewording replaces, and the
# lexicon relations it draws from, with the weight a choice needs.
REWORD_SHARE = float(os.environ.get("TRAIN_REWORD_SHARE", "0.7"))
REWORD_RELATIONS = ("synonym", "broader")
REWORD_MIN_WEIGHT = 0.5
WORD = re.compile(r"[A-Za-z][A-Za-z']*")


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


def stems_of(conn, texts):
    """Content stems of each text, as the planner reads it."""
    rows = conn.execute(
        "SELECT t, planner_meta.content_stems(t) FROM unnest(%s::text[]) AS t", (texts,)
    ).fetchall()
    return dict(rows)


def schema_stems(conn):
    """Every stem of the database's relation and column names."""
    rows = conn.execute(
        "SELECT DISTINCT unnest(planner_meta.content_stems(replace(n, '_', ' '))) "
        "FROM (SELECT rel_name::text FROM planner_meta.cache_relations "
        "      UNION SELECT column_name::text FROM planner_meta.cache_columns) AS x(n)"
    ).fetchall()
    return {r[0] for r in rows}


def replacements(conn, stem, schema):
    """Lexicon neighbours of `stem` that name nothing in the database."""
    rows = conn.execute(
        "SELECT related FROM planner_meta.lexicon WHERE phrase = %s AND relation = ANY(%s) "
        "AND weight >= %s ORDER BY related",
        (stem, list(REWORD_RELATIONS), REWORD_MIN_WEIGHT),
    ).fetchall()
    return [r[0] for r in rows if not set(r[0].split()) & schema]


def reword(conn, record, schema, neighbours, rng):
    """The question with some of its gold schema words replaced by lexicon
    neighbours, or None when none could be.  `neighbours` keeps the
    database's lookups, which recur from question to question."""
    names = [n.split(".")[-1].replace("_", " ") for n in
             record["gold_tables"] + record["gold_columns"]]
    words = WORD.findall(record["question"])
    stems = stems_of(conn, sorted(set(names + words)))
    gold = {st for n in names for st in stems.get(n) or []}
    out, changed = record["question"], False
    for word in dict.fromkeys(words):
        own = stems.get(word) or []
        if len(own) != 1 or own[0] not in gold or rng.random() > REWORD_SHARE:
            continue
        if own[0] not in neighbours:
            neighbours[own[0]] = replacements(conn, own[0], schema)
        choices = neighbours[own[0]]
        if choices:
            out = re.sub(rf"\b{re.escape(word)}\b", rng.choice(choices), out)
            changed = True
    return dict(record, question=out, reworded=True) if changed else None


def with_rewordings(planner, rows):
    """`rows` and the rewording of each that has one (seeded, so the same
    for every candidate weight)."""
    rng = random.Random(SEED)
    schemas, neighbours = {}, {}
    out = list(rows)
    for r in rows:
        db = r["pg_database"]
        conn = planner.conn(db)
        if db not in schemas:
            schemas[db], neighbours[db] = schema_stems(conn), {}
        new = reword(conn, r, schemas[db], neighbours[db], rng)
        if new:
            out.append(new)
    return out


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
    sample, holdout = with_rewordings(planner, sample), with_rewordings(planner, holdout)
    print(f"sample {len(sample)} questions, held out {len(holdout)}, rewordings included",
          flush=True)
    for r in [r for r in sample if r.get("reworded")][:10]:
        print(f"  reworded: {r['question']}", flush=True)
    best = planner.objective(sample, weights)
    before_holdout = planner.objective(holdout, weights)
    print(f"start: sample {best[0]:.4f} (strict {best[1]:.3f}, precision {best[2]:.3f}, "
          f"columns {best[3]:.3f}); held out {before_holdout[0]:.4f}", flush=True)
    for rnd in range(ROUNDS):
        changed = False
        for name in ONLY or list(weights):
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
