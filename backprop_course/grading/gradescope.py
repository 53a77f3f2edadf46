"""Gradescope: the ``run_autograder`` entry point and the bundle builder.

Gradescope unzips the bundle into ``/autograder/source``, runs ``setup.sh`` once (it installs Python 3,
numpy at the version the bundle was built and checked with, and bubblewrap), then for each submission
copies the learner's files to ``/autograder/submission`` and runs ``run_autograder``, which calls
``python3 -m backprop_course.grading.gradescope`` and must leave ``/autograder/results/results.json``.
The root is ``/autograder`` unless ``--root`` or the ``AUTOGRADER_ROOT`` environment variable says
otherwise (the tests use a temporary folder).

The bundle carries the assignment as ``assignment.json`` (exercises, points, time limits, visibility,
private cases: see :mod:`~backprop_course.grading.assignment`), so what Gradescope grades is what the
instructor configured; the submission is read by the same collector as ``grade`` and ``grade-all``
(:mod:`~backprop_course.grading.collect`), so the same files get the same score.

Graded code runs in the bubblewrap sandbox; where Gradescope's container forbids namespaces, as an
unprivileged uid with hard limits (``setup.sh`` makes the bundle's folder, with the grader and the
secret, root-only). Which of the two is recorded in ``results.json`` (``extra_data.sandbox``, and a
line in the output for the fallback). Anything weaker is refused unless the bundle was built with
``--unsafe-no-sandbox``.
"""

import argparse
import json
import os
import sys
import time
import zipfile
from pathlib import Path

import numpy as np

from . import sandbox
from .assignment import AssignmentError, load
from .cases import SOLUTIONS_DIR
from .collect import METADATA, collect, read_metadata
from .gradebook import late_hours
from .harness import grade_many
from .report import write_json_atomic, zero_results

ASSIGNMENT_FILE = "assignment.json"

SETUP_SH = """#!/usr/bin/env bash
# Gradescope runs this once when the autograder image is built.
set -euo pipefail
apt-get update -qq
apt-get install -y -qq python3 python3-pip bubblewrap > /dev/null
# numpy exactly as the bundle was built and checked with (numpy {numpy}, Python {python}): a rebuilt image
# mid-semester grades like the first one.
NUMPY="numpy=={numpy}"
if ! python3 -m pip install --quiet "$NUMPY" && ! python3 -m pip install --quiet --break-system-packages "$NUMPY"; then
    echo "setup.sh: could not install $NUMPY for $(python3 --version 2>&1). Choose a base image whose Python" >&2
    echo "numpy {numpy} supports (it was built with Python {python}), or rebuild the bundle in an environment" >&2
    echo "with the numpy this image can install." >&2
    exit 1
fi
# If the container forbids namespaces, graded code runs as an unprivileged uid instead of in the
# sandbox: keep this folder (the grader, the secret) readable by root only.
chmod 700 "$(cd "$(dirname "${{BASH_SOURCE[0]}}")" && pwd)"
"""

RUN_AUTOGRADER = """#!/usr/bin/env bash
# Gradescope runs this for every submission; it always leaves a valid results/results.json.
ROOT="${{AUTOGRADER_ROOT:-/autograder}}"
export PYTHONPATH="$ROOT/source${{PYTHONPATH:+:$PYTHONPATH}}"
exec python3 -m backprop_course.grading.gradescope --root "$ROOT" --assignment "$ROOT/source/{assignment}"{flags}
"""


class BundleError(Exception):
    """The bundle cannot be built (the reference fails a check, the assignment is broken)."""


def collect_submission(submission, assignment=None):
    """The submission under `submission`, read by the one collector for the assignment's exercises."""
    return collect(submission, (assignment or load()).exercises)


def run(root, timeout=None, unsafe=False, secret=None, assignment=None):
    """Grade ``root/submission`` and write ``root/results/results.json`` once; returns the results dict."""
    root = Path(root)
    results_path = root / "results" / "results.json"
    assignment = assignment if assignment is not None else load()
    write_json_atomic(results_path, zero_results(assignment))          # a valid file from the first second
    start = time.monotonic()
    mode = sandbox.detect()
    refusal = mode.allows("gradescope", unsafe)
    if refusal:
        data = zero_results(assignment, f"This submission was not graded: {refusal}")
        data["extra_data"] = {"sandbox": {"mode": mode.name, "detail": mode.detail}}
        write_json_atomic(results_path, data)
        return data
    submission = collect_submission(root / "submission", assignment)
    result = grade_many({"submission": submission}, timeout=timeout, secret=secret, mode=mode,
                        assignment=assignment)["submission"]
    # Every graded process is dead: this is the only write of the final results.
    data = result.to_gradescope()
    if submission.missing:
        data["output"] = f"Not found in your submission: {', '.join(submission.missing)}.\n\n" + data["output"]
    created, _, gradescope_due = read_metadata(root / METADATA)
    late = late_hours(created, assignment.due or gradescope_due)
    data["extra_data"]["late_hours"] = None if late is None else round(late, 2)
    data["execution_time"] = round(time.monotonic() - start, 1)
    write_json_atomic(results_path, data)
    return data


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m backprop_course.grading.gradescope")
    parser.add_argument("--root", default=os.environ.get("AUTOGRADER_ROOT", "/autograder"),
                        help="the autograder folder (default: $AUTOGRADER_ROOT or /autograder)")
    parser.add_argument("--assignment", metavar="PATH", help="the bundle's assignment.json")
    parser.add_argument("--timeout", type=float, default=None, help="seconds per exercise (default: the "
                                                                    "assignment's time limits)")
    parser.add_argument("--secret-file", metavar="PATH", help="draw hidden cases from the secret in this file")
    parser.add_argument("--unsafe-no-sandbox", action="store_true",
                        help="grade even where graded code can only run as root or as this user")
    args = parser.parse_args(argv)
    secret = Path(args.secret_file).read_bytes().strip() if args.secret_file else None
    try:
        assignment = load(args.assignment, secret) if args.assignment and Path(args.assignment).exists() else load()
    except AssignmentError as exc:      # a broken bundle: still a valid results.json that says so
        data = zero_results(load(), f"The autograder's assignment file is broken: {exc}")
        write_json_atomic(Path(args.root) / "results" / "results.json", data)
        print(data["output"])
        return 0
    data = run(args.root, args.timeout, unsafe=args.unsafe_no_sandbox, secret=secret, assignment=assignment)
    print(data["output"])
    return 0


def check_reference(assignment, secret=None):
    """Grade the reference solutions (a checkout only) under `assignment`; raise BundleError unless full marks."""
    if not SOLUTIONS_DIR.is_dir():
        return None
    result = grade_many({"reference": SOLUTIONS_DIR}, secret=secret, assignment=assignment,
                        mode=sandbox.detect())["reference"]
    failing = [e for e in result.exercises if e.points < e.max_points]
    if failing:
        details = "; ".join(f"{e.name}: " + "; ".join(f"{c.label}: {c.message}" for c in e.checks
                                                      if c.points < c.max_points)[:400] for e in failing)
        raise BundleError(f"the reference solutions do not get full marks under this assignment, so students "
                          f"could not either: {details}")
    return result


def build_bundle(out, secret=None, unsafe=False, assignment=None):
    """Write the Gradescope autograder zip; returns (path, numpy version pinned in setup.sh).

    It holds setup.sh, run_autograder, the backprop_course package, ``assignment.json`` and the secret,
    never the reference solutions. In a checkout the reference solutions are graded first under the
    assignment (with the secret's cases and the private cases): if they miss a point, nothing is written.
    """
    assignment = assignment if assignment is not None else load()
    if isinstance(secret, str):
        secret = secret.encode()
    check_reference(assignment, secret)
    package = Path(__file__).resolve().parents[1]
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    flags = (' --secret-file "$ROOT/source/secret"' if secret else "") + (" --unsafe-no-sandbox" if unsafe else "")
    python = ".".join(map(str, sys.version_info[:2]))

    def add(zf, name, data, mode):
        info = zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0))
        info.external_attr = mode << 16
        info.compress_type = zipfile.ZIP_DEFLATED
        zf.writestr(info, data)

    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        add(zf, "setup.sh", SETUP_SH.format(numpy=np.__version__, python=python), 0o755)
        add(zf, "run_autograder", RUN_AUTOGRADER.format(assignment=ASSIGNMENT_FILE, flags=flags), 0o755)
        add(zf, ASSIGNMENT_FILE, json.dumps({"format": "backprop-course assignment",
                                             "assignment": assignment.to_json()}, indent=1), 0o644)
        if secret:
            add(zf, "secret", secret, 0o600)
        for path in sorted(package.rglob("*")):
            rel = path.relative_to(package)
            if path.is_file() and "__pycache__" not in rel.parts and path.suffix != ".pyc" \
                    and rel.parts[:2] != ("grading", "solutions"):
                add(zf, str(Path("backprop_course") / rel), path.read_bytes(), 0o644)
    return out, np.__version__


if __name__ == "__main__":
    sys.exit(main())
