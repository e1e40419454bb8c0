"""Compares the psql output of one regression file run with and without
planner_meta: statements whose outcome (error or not, and which error)
differs, and WARNINGs raised by planner_meta.  Prints one line:
<differing outcomes> <planner_meta warnings>."""
import re
import sys


def outcomes(path):
    """The error message of each ERROR, in order, with volatile parts
    (oids, pids, numbers in names) masked."""
    out = []
    with open(path, errors="replace") as f:
        for line in f:
            if line.startswith("psql:") and "ERROR:" in line:
                msg = line.split("ERROR:", 1)[1].strip()
                out.append(re.sub(r"\d+", "N", msg))
    return out


def warnings(path):
    with open(path, errors="replace") as f:
        return sum(1 for line in f if "planner_meta could not track" in line)


with_ext, without_ext = sys.argv[1], sys.argv[2]
a, b = outcomes(with_ext), outcomes(without_ext)
# Count positions where the sequences disagree, plus any length difference.
diff = sum(1 for x, y in zip(a, b) if x != y) + abs(len(a) - len(b))
print(diff, warnings(with_ext))
