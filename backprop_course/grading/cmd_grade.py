"""``backprop-course grade``: grade one submission (default: ./exercises) and print the table."""

import sys
from pathlib import Path

from . import find_submission
from .exercises import EXERCISES
from .harness import DEFAULT_TIMEOUT, grade_submission
from .report import write_json_atomic, zero_results


def add_arguments(parser):
    parser.add_argument("--submission", metavar="DIR", help="folder with ex01_sigmoid.py ... (default: the "
                                                            "exercises/ folder found from the current directory)")
    parser.add_argument("--reference", action="store_true",
                        help="grade the package's reference solutions through the same harness (full marks)")
    parser.add_argument("--json", metavar="PATH", help="also write Gradescope's results.json format to PATH")
    parser.add_argument("--exercise", action="append", metavar="NAME", help="only this exercise (repeatable)")
    parser.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT, help="seconds per exercise")
    parser.add_argument("--jobs", type=int, default=None, help="parallel processes (default: all cores)")
    parser.add_argument("--quiet", action="store_true", help="only the table")


def run(args):
    if args.json:
        write_json_atomic(args.json, zero_results([(ex.name, float(ex.points)) for ex in EXERCISES]))
    try:
        submission = None if args.reference else find_submission(args.submission)
    except FileNotFoundError as exc:
        print(f"backprop-course grade: {exc} (use --submission DIR)", file=sys.stderr)
        return 2
    result = grade_submission(submission, exercises=args.exercise, timeout=args.timeout, jobs=args.jobs,
                              reference=args.reference)
    print(result.table())
    if not args.quiet:
        for e in result.exercises:
            if e.status != "passed":
                print()
                print(e.text())
    if args.json:
        write_json_atomic(args.json, result.to_gradescope())
        print(f"\nwrote {Path(args.json)}")
    return 0 if result.points >= result.max_points else 1
