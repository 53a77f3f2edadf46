"""The grading commands of ``backprop-course``: ``grade``, ``grade-all`` and ``gradescope-bundle``.

Each is an object with ``add_arguments(parser)`` and ``run(args) -> int``, as ``backprop_course.cli``
expects of a subcommand.
"""

import csv
import os
import sys
from collections import Counter
from pathlib import Path
from types import SimpleNamespace

from . import find_submission, sandbox
from .cases import EXERCISES, SECRET_ENV
from .harness import DEFAULT_TIMEOUT, grade_many, grade_submission
from .report import write_json_atomic, zero_results

UNSAFE_HELP = ("grade even where graded code cannot be sandboxed (it then runs with limits only; see the security "
               "model in exercises/README.md)")


def _secret(args):
    """The deployment secret from --secret-file, --secret or BACKPROP_GRADER_SECRET (None: visible cases)."""
    if getattr(args, "secret_file", None):
        return Path(args.secret_file).read_bytes()
    return getattr(args, "secret", None) or os.environ.get(SECRET_ENV) or None


def _add_secret(parser):
    parser.add_argument("--secret", metavar="TEXT", help=f"draw hidden cases from this deployment secret (default: "
                                                         f"${SECRET_ENV}; without one, the visible cases)")
    parser.add_argument("--secret-file", metavar="PATH", help="read the secret from a file (keeps it out of the "
                                                              "process list)")


# -- grade ------------------------------------------------------------------------------------------------

def _grade_arguments(parser):
    parser.add_argument("--submission", metavar="DIR", help="folder with ex01_sigmoid.py ... (default: the "
                                                            "exercises/ folder found from the current directory)")
    parser.add_argument("--reference", action="store_true",
                        help="grade the reference solutions through the same harness (from a checkout: full marks)")
    parser.add_argument("--json", metavar="PATH", help="also write Gradescope's results.json format to PATH")
    parser.add_argument("--exercise", action="append", metavar="NAME", help="only this exercise (repeatable)")
    parser.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT, help="seconds per exercise")
    parser.add_argument("--jobs", type=int, default=None, help="parallel processes (default: all cores)")
    parser.add_argument("--quiet", action="store_true", help="only the table")
    _add_secret(parser)


def _grade(args):
    if args.json:
        write_json_atomic(args.json, zero_results([(ex.name, float(ex.points)) for ex in EXERCISES]))
    try:
        submission = None if args.reference else find_submission(args.submission)
        result = grade_submission(submission, exercises=args.exercise, timeout=args.timeout, jobs=args.jobs,
                                  reference=args.reference, secret=_secret(args))
    except (FileNotFoundError, ValueError) as exc:
        print(f"backprop-course grade: {exc}" + (" (use --submission DIR)" if not args.reference else ""),
              file=sys.stderr)
        return 2
    print(result.table())
    if not args.quiet:
        for e in result.exercises:
            if e.status != "passed":
                print()
                print(e.text())
        for note in result.notes:
            print(f"\nnote: {note}")
    if result.sandbox != "sandbox":
        print(f"\nnote: {result.isolation}", file=sys.stderr)
    if args.json:
        write_json_atomic(args.json, result.to_gradescope())
        print(f"\nwrote {Path(args.json)}")
    return 0 if result.points >= result.max_points else 1


grade = SimpleNamespace(add_arguments=_grade_arguments, run=_grade)


# -- grade-all --------------------------------------------------------------------------------------------

def _grade_all_arguments(parser):
    parser.add_argument("submissions", metavar="SUBMISSIONS_DIR", help="one subfolder per student")
    parser.add_argument("--out", default="gradebook.csv", help="CSV gradebook to write (default: gradebook.csv)")
    parser.add_argument("--jobs", type=int, default=None, help="parallel processes (default: every core)")
    parser.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT, help="seconds per exercise")
    parser.add_argument("--unsafe-no-sandbox", action="store_true", help=UNSAFE_HELP)
    _add_secret(parser)


def student_folders(root):
    """{student: folder}: one subfolder per student (its files inside, or in an ``exercises/`` subfolder).

    A subfolder that is a symbolic link is kept as it is: grading reports it instead of following it.
    """
    root = Path(root)
    if not root.is_dir():
        raise SystemExit(f"grade-all: {root} is not a folder (expected one subfolder per student).")
    folders = {}
    for sub in sorted(p for p in root.iterdir() if not p.name.startswith(".")):
        if sub.is_symlink() or not sub.is_dir():
            if sub.is_symlink():
                folders[sub.name] = sub
            continue
        inner = sub / "exercises"
        nested = (inner.is_dir() or inner.is_symlink()) and not any(sub.glob("ex*_*.py"))
        folders[sub.name] = inner if nested else sub
    return folders


def _grade_all(args):
    mode = sandbox.detect()
    refusal = mode.allows("grade-all", args.unsafe_no_sandbox)
    if refusal:
        print(f"grade-all: {refusal}", file=sys.stderr)
        return 3
    folders = student_folders(args.submissions)
    if not folders:
        print(f"grade-all: no student subfolders in {args.submissions}")
        return 1
    jobs = args.jobs or os.cpu_count() or 1
    graded = grade_many(folders, timeout=args.timeout, jobs=jobs, secret=_secret(args), mode=mode)
    # Every graded process is dead now: the gradebook is written once, by this process alone.
    names = [ex.name for ex in EXERCISES]
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".tmp")
    with open(tmp, "w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["student", *names, "total", "max", "diagnoses", "notes"])
        for student, result in graded.items():
            codes = sorted({d.code for e in result.exercises for d in e.findings})
            errors = [f"{e.name}: {e.first_line}" for e in result.exercises if e.status == "grader error"]
            notes = list(dict.fromkeys(errors + result.notes))
            writer.writerow([student, *[f"{e.points:g}" for e in result.exercises], f"{result.points:g}",
                             f"{result.max_points:g}", " ".join(codes), " | ".join(notes)])
    os.replace(tmp, out)

    n = len(graded)
    print(f"graded {n} submission(s) with {jobs} parallel process(es); gradebook: {out}")
    print(f"{mode.detail}\n")
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
    errors = [student for student, r in graded.items() if any(e.status == "grader error" for e in r.exercises)]
    if errors:
        print(f"\ngrader errors (see the notes column): {', '.join(errors)}")
    return 0


grade_all = SimpleNamespace(add_arguments=_grade_all_arguments, run=_grade_all)


# -- gradescope-bundle ---------------------------------------------------------------------------------------

def _bundle_arguments(parser):
    parser.add_argument("--out", default="autograder.zip", help="zip to write (default: autograder.zip)")
    parser.add_argument("--unsafe-no-sandbox", action="store_true", help=UNSAFE_HELP)
    _add_secret(parser)


def _bundle(args):
    from .gradescope import build_bundle

    secret = _secret(args)
    path = build_bundle(args.out, secret=secret, unsafe=args.unsafe_no_sandbox)
    print(f"wrote {path}: upload it as the assignment's autograder (setup.sh, run_autograder, backprop_course/)"
          + ("; its cases are drawn from your secret" if secret else
             "; without --secret its cases are the visible ones of self-study"))
    return 0


gradescope_bundle = SimpleNamespace(add_arguments=_bundle_arguments, run=_bundle)
