"""The grading commands of ``backprop-course``: ``grade``, ``grade-all`` and ``gradescope-bundle``.

Each is an object with ``add_arguments(parser)`` and ``run(args) -> int``, as ``backprop_course.cli``
expects of a subcommand. Every input (the assignment file, exercise names, the roster, the due date)
is checked before anything is graded; a problem is one line that names it, never a traceback.
"""

import difflib
import os
import sys
from pathlib import Path
from types import SimpleNamespace

from . import find_submission, sandbox
from .assignment import AssignmentError, load
from .cases import EXERCISE_NAMES, SECRET_ENV, SOLUTIONS_DIR, get, secret_bytes
from .collect import SubmissionError, student_folders
from .harness import grade_many, grade_submission
from .report import write_json_atomic, zero_results

UNSAFE_HELP = ("grade even where graded code cannot be sandboxed (it then runs with limits only; see the security "
               "model in exercises/README.md)")


def _secret(args):
    """The deployment secret from --secret-file, --secret or BACKPROP_GRADER_SECRET (None: visible cases)."""
    if getattr(args, "secret_file", None):
        return Path(args.secret_file).read_bytes()
    return getattr(args, "secret", None) or os.environ.get(SECRET_ENV) or None


def _add_common(parser, secret=True):
    parser.add_argument("--assignment", metavar="PATH", help="an assignment.toml: which exercises, their points, time "
                                                             "limits, visibility and private cases (see "
                                                             "exercises/assignment.example.toml)")
    if secret:
        parser.add_argument("--secret", metavar="TEXT", help=f"draw hidden cases from this deployment secret (default: "
                                                             f"${SECRET_ENV}; without one, the visible cases)")
        parser.add_argument("--secret-file", metavar="PATH", help="read the secret from a file (keeps it out of the "
                                                                  "process list)")


def _setup(args, command):
    """(assignment, secret bytes) from the arguments, or an error message for the command's one line."""
    try:
        secret = secret_bytes(_secret(args))
    except OSError as exc:
        return None, None, f"{command}: cannot read the secret file ({exc.strerror})."
    except ValueError as exc:
        return None, None, f"{command}: {exc}"
    try:
        return load(getattr(args, "assignment", None), secret), secret, None
    except AssignmentError as exc:
        return None, None, f"{command}: {exc}"


def exercise_names(requested, assignment):
    """The full names of `requested` exercises (e.g. "ex05", "5", "ex05_deltas"), checked against `assignment`.

    Raises ValueError naming the unknown or excluded exercise, the closest name and the valid ones.
    """
    names = []
    for word in requested:
        try:
            name = get(word).name
        except ValueError:
            near = difflib.get_close_matches(str(word), EXERCISE_NAMES, n=1, cutoff=0.5)
            raise ValueError(f"there is no exercise {word!r}{f' (did you mean {near[0]}?)' if near else ''}; the "
                             f"exercises are {', '.join(EXERCISE_NAMES)}.") from None
        if name not in assignment.exercises:
            raise ValueError(f"{name} is not part of {assignment.name!r} ({assignment.source}); its exercises are "
                             f"{', '.join(assignment.exercises)}.")
        names.append(name)
    return names


# -- grade ------------------------------------------------------------------------------------------------

def _grade_arguments(parser):
    parser.add_argument("--submission", metavar="DIR", help="folder with your exercise files (default: the "
                                                            "exercises/ folder found from the current directory)")
    parser.add_argument("--reference", action="store_true",
                        help="grade the reference solutions through the same harness (from a checkout: full marks)")
    parser.add_argument("--json", metavar="PATH", help="also write Gradescope's results.json format to PATH")
    parser.add_argument("--exercise", action="append", metavar="NAME",
                        help="only this exercise, e.g. ex05 (repeatable)")
    parser.add_argument("--timeout", type=float, default=None, help="seconds per exercise (default: 20, or the "
                                                                    "assignment's time limits)")
    parser.add_argument("--jobs", type=int, default=None, help="parallel processes (default: all cores)")
    parser.add_argument("--quiet", action="store_true", help="only the table")
    parser.add_argument("--all", action="store_true", help="the full feedback of every exercise, even the ones not "
                                                           "started yet")
    _add_common(parser)


def _grade(args):
    assignment, secret, error = _setup(args, "backprop-course grade")
    if error:
        print(error, file=sys.stderr)
        return 2
    try:
        names = exercise_names(args.exercise, assignment) if args.exercise else list(assignment.exercises)
    except ValueError as exc:
        print(f"backprop-course grade: {exc}", file=sys.stderr)
        return 2
    try:
        submission = None if args.reference else find_submission(args.submission)
    except FileNotFoundError as exc:
        print(f"backprop-course grade: {exc} (use --submission DIR)", file=sys.stderr)
        return 2
    if args.json:
        write_json_atomic(args.json, zero_results(assignment))
    try:
        result = grade_submission(submission, exercises=names, timeout=args.timeout, jobs=args.jobs,
                                  reference=args.reference, secret=secret, assignment=assignment)
    except FileNotFoundError as exc:
        print(f"backprop-course grade: {exc}", file=sys.stderr)
        return 2
    print(result.table())
    if not args.quiet:
        every = args.all or bool(args.exercise)
        later = [e.name for e in result.exercises if not e.started]
        for e in result.exercises:
            if e.started or every:
                if e.status != "passed" or e.notes:
                    print()
                    print(e.text())
        if later and not every:
            print(f"\nnot started yet (one line each in the table above): {', '.join(later)}. When you start one, "
                  f"grade it alone with --exercise, e.g. --exercise {later[0][:4]}.")
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
    from .gradebook import LMS_WRITERS

    parser.add_argument("submissions", metavar="SUBMISSIONS_DIR", help="one subfolder per student (the files may "
                                                                       "sit in any subfolder of it)")
    parser.add_argument("--out", default="gradebook.csv", help="CSV gradebook to write (default: gradebook.csv); the "
                                                               "cohort summary goes beside it (.summary.md)")
    parser.add_argument("--roster", metavar="CSV", help="the class list (columns id, email and/or name): every "
                                                        "student gets a row, submissions not on it are listed")
    parser.add_argument("--due", metavar="WHEN", help="due date and time, e.g. 2025-10-14T23:59+02:00, for lateness "
                                                      "(default: the assignment's due)")
    parser.add_argument("--feedback-dir", metavar="DIR", help="write one Markdown feedback file per student here")
    parser.add_argument("--lms", choices=sorted(LMS_WRITERS), help="also write a CSV your LMS imports "
                                                                   "(gradebook.moodle.csv; see docs/instructors.md)")
    parser.add_argument("--jobs", type=int, default=None, help="parallel processes (default: every core)")
    parser.add_argument("--timeout", type=float, default=None, help="seconds per exercise (default: the "
                                                                    "assignment's time limits, 20)")
    parser.add_argument("--unsafe-no-sandbox", action="store_true", help=UNSAFE_HELP)
    _add_common(parser)


def _grade_all(args):
    from .gradebook import parse_due, read_roster, write_all

    assignment, secret, error = _setup(args, "grade-all")
    if error:
        print(error, file=sys.stderr)
        return 2
    try:
        roster = read_roster(args.roster) if args.roster else None
        due = parse_due(args.due) if args.due else None
        folders = student_folders(args.submissions)
    except (OSError, ValueError, SubmissionError) as exc:
        print(f"grade-all: {exc}", file=sys.stderr)
        return 2
    mode = sandbox.detect()
    refusal = mode.allows("grade-all", args.unsafe_no_sandbox)
    if refusal:
        print(f"grade-all: {refusal}", file=sys.stderr)
        return 3
    if not folders:
        print(f"grade-all: no student subfolders in {args.submissions}")
        return 1
    jobs = args.jobs or os.cpu_count() or 1
    graded = grade_many(folders, timeout=args.timeout, jobs=jobs, secret=secret, mode=mode, assignment=assignment)
    # Every graded process is dead now: the gradebook and the rest are written once, by this process alone.
    paths, book, unmatched = write_all(args.out, graded, assignment, roster, due, args.feedback_dir, args.lms,
                                       mode.detail)
    n = len(graded)
    print(f"graded {n} submission(s) of {assignment.name!r} with {jobs} parallel process(es)")
    print(f"{mode.detail}\n")
    print(f"{'exercise':28s} {'full marks':>10s} {'mean points':>12s}")
    for name in assignment.exercises:
        results = [e for r in graded.values() for e in r.exercises if e.name == name]
        full = sum(e.points >= e.max_points for e in results)
        mean = sum(e.points for e in results) / max(1, len(results))
        print(f"{name:28s} {full:>4d}/{len(results):<5d} {mean:>12.2f}")
    counts = {}
    for r in graded.values():
        for e in r.exercises:
            for d in e.findings:
                counts[(e.name, d.code)] = counts.get((e.name, d.code), 0) + 1
    if counts:
        print("\nmost common diagnosed mistakes:")
        for (exercise, code), k in sorted(counts.items(), key=lambda kv: -kv[1])[:10]:
            print(f"  {k:4d} x {code} ({exercise})")
    errors = [student for student, r in graded.items() if any(e.status == "grader error" for e in r.exercises)]
    if errors:
        print(f"\ngrader errors (see the notes column): {', '.join(errors)}")
    absent = [r.who for r in book if r.result is None]
    if absent:
        print(f"\non the roster without a submission ({len(absent)}): "
              + ", ".join(s.name or s.email or s.id for s in absent))
    if unmatched:
        print(f"\nsubmissions not on the roster ({len(unmatched)}): {', '.join(unmatched)}")
    print()
    for what, path in paths.items():
        print(f"wrote {what}: {path}")
    return 0


grade_all = SimpleNamespace(add_arguments=_grade_all_arguments, run=_grade_all)


# -- gradescope-bundle ---------------------------------------------------------------------------------------

def _bundle_arguments(parser):
    parser.add_argument("--out", default="autograder.zip", help="zip to write (default: autograder.zip)")
    parser.add_argument("--unsafe-no-sandbox", action="store_true", help=UNSAFE_HELP)
    _add_common(parser)


def _bundle(args):
    from .gradescope import BundleError, build_bundle

    assignment, secret, error = _setup(args, "gradescope-bundle")
    if error:
        print(error, file=sys.stderr)
        return 2
    try:
        path, numpy_version = build_bundle(args.out, secret=secret, unsafe=args.unsafe_no_sandbox,
                                           assignment=assignment)
    except BundleError as exc:
        print(f"gradescope-bundle: {exc}", file=sys.stderr)
        return 2
    checked = "; the reference solutions passed every check, private cases included" if SOLUTIONS_DIR.is_dir() \
        else ""
    print(f"wrote {path} for {assignment.name!r} ({', '.join(assignment.exercises)}; {assignment.total:g} points): "
          f"upload it as the assignment's autograder (setup.sh installs numpy {numpy_version}, the version it was "
          f"built and checked with){checked}"
          + ("; its cases are drawn from your secret" if secret else
             "; without --secret its cases are the visible ones of self-study"))
    return 0


gradescope_bundle = SimpleNamespace(add_arguments=_bundle_arguments, run=_bundle)

__all__ = ["grade", "grade_all", "gradescope_bundle", "exercise_names"]
