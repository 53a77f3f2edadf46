"""``backprop-course grade-all SUBMISSIONS_DIR --out gradebook.csv``: grade a whole class in parallel.

One subfolder per student (its exercise files directly inside, or in an ``exercises/`` subfolder).
Every (student, exercise) pair runs in its own child process; as many run at once as there are
cores. Prints per-exercise pass rates and the most common diagnosed mistakes across the cohort.
"""

import csv
import os
from collections import Counter
from pathlib import Path

from .exercises import EXERCISES
from .harness import DEFAULT_TIMEOUT, grade_many


def add_arguments(parser):
    parser.add_argument("submissions", metavar="SUBMISSIONS_DIR", help="one subfolder per student")
    parser.add_argument("--out", default="gradebook.csv", help="CSV gradebook to write (default: gradebook.csv)")
    parser.add_argument("--jobs", type=int, default=None, help="parallel processes (default: every core)")
    parser.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT, help="seconds per exercise")


def student_folders(root):
    root = Path(root)
    if not root.is_dir():
        raise SystemExit(f"grade-all: {root} is not a folder (expected one subfolder per student).")
    folders = {}
    for sub in sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith(".")):
        inner = sub / "exercises"
        folders[sub.name] = inner if inner.is_dir() and not any(sub.glob("ex*_*.py")) else sub
    return folders


def run(args):
    folders = student_folders(args.submissions)
    if not folders:
        print(f"grade-all: no student subfolders in {args.submissions}")
        return 1
    jobs = args.jobs or os.cpu_count() or 1
    graded = grade_many(folders, timeout=args.timeout, jobs=jobs)
    names = [ex.name for ex in EXERCISES]
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".tmp")
    with open(tmp, "w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["student", *names, "total", "max", "diagnoses"])
        for student, result in graded.items():
            codes = sorted({d.code for e in result.exercises for d in e.findings})
            writer.writerow([student, *[f"{e.points:g}" for e in result.exercises], f"{result.points:g}",
                             f"{result.max_points:g}", " ".join(codes)])
    os.replace(tmp, out)

    n = len(graded)
    print(f"graded {n} submission(s) with {jobs} parallel process(es); gradebook: {out}\n")
    print(f"{'exercise':28s} {'full marks':>10s} {'mean points':>12s}")
    for i, name in enumerate(names):
        results = [r.exercises[i] for r in graded.values()]
        full = sum(e.points >= e.max_points for e in results)
        mean = sum(e.points for e in results) / n
        print(f"{name:28s} {full:>4d}/{n:<5d} {mean:>12.2f}")
    counts = Counter((e.name, d.code) for r in graded.values() for e in r.exercises for d in e.findings)
    if counts:
        print("\nmost common diagnosed mistakes:")
        for (exercise, code), k in counts.most_common(10):
            print(f"  {k:4d} x {code} ({exercise})")
    return 0
