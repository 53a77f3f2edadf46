"""Gradescope: the ``run_autograder`` entry point and the bundle builder.

Gradescope unzips the bundle into ``/autograder/source``, runs ``setup.sh`` once (it installs Python 3,
numpy and bubblewrap), then for each submission copies the learner's files to
``/autograder/submission`` and runs ``run_autograder``, which calls
``python3 -m backprop_course.grading.gradescope`` and must leave ``/autograder/results/results.json``.
The root is ``/autograder`` unless ``--root`` or the ``AUTOGRADER_ROOT`` environment variable says
otherwise (the tests use a temporary folder).

Graded code runs in the bubblewrap sandbox; where Gradescope's container forbids namespaces, as an
unprivileged uid with hard limits (``setup.sh`` makes the bundle's folder, with the grader and the
secret, root-only). Which of the two is recorded in ``results.json`` (``extra_data.sandbox``, and a
line in the output for the fallback). Anything weaker is refused unless the bundle was built with
``--unsafe-no-sandbox``.
"""

import argparse
import os
import sys
import time
import zipfile
from pathlib import Path

from . import sandbox
from .cases import EXERCISES
from .harness import DEFAULT_TIMEOUT, grade_many, read_files
from .report import write_json_atomic, zero_results

SETUP_SH = """#!/usr/bin/env bash
# Gradescope runs this once when the autograder image is built.
set -euo pipefail
apt-get update -qq
apt-get install -y -qq python3 python3-pip bubblewrap > /dev/null
python3 -m pip install --quiet "numpy>=1.24" || python3 -m pip install --quiet --break-system-packages "numpy>=1.24"
# If the container forbids namespaces, graded code runs as an unprivileged uid instead of in the
# sandbox: keep this folder (the grader, the secret) readable by root only.
chmod 700 "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
"""

RUN_AUTOGRADER = """#!/usr/bin/env bash
# Gradescope runs this for every submission; it always leaves a valid results/results.json.
ROOT="${{AUTOGRADER_ROOT:-/autograder}}"
export PYTHONPATH="$ROOT/source${{PYTHONPATH:+:$PYTHONPATH}}"
exec python3 -m backprop_course.grading.gradescope --root "$ROOT"{flags}
"""


def collect_submission(submission):
    """The exercise files found anywhere under `submission` (the shallowest of each name), read into memory.

    Folders that are links are not entered; a file that is a link is reported, never read.
    """
    wanted = {ex.filename for ex in EXERCISES}
    found = {}
    for folder, dirs, files in sorted(os.walk(submission, followlinks=False), key=lambda w: (w[0].count(os.sep), w[0])):
        dirs[:] = [d for d in dirs if d != "__MACOSX"]
        for name in sorted(files):
            if name in wanted and name not in found:
                found[name] = os.path.join(folder, name)
    return read_files(submission, found)


def run(root, timeout=DEFAULT_TIMEOUT, unsafe=False, secret=None):
    """Grade ``root/submission`` and write ``root/results/results.json`` once; returns the results dict."""
    root = Path(root)
    results_path = root / "results" / "results.json"
    specs = [(ex.name, float(ex.points)) for ex in EXERCISES]
    write_json_atomic(results_path, zero_results(specs))          # a valid file from the first second
    start = time.monotonic()
    mode = sandbox.detect()
    refusal = mode.allows("gradescope", unsafe)
    if refusal:
        data = zero_results(specs, f"This submission was not graded: {refusal}")
        data["extra_data"] = {"sandbox": {"mode": mode.name, "detail": mode.detail}}
        write_json_atomic(results_path, data)
        return data
    submission = collect_submission(root / "submission")
    result = grade_many({"submission": submission}, timeout=timeout, secret=secret, mode=mode)["submission"]
    # Every graded process is dead: this is the only write of the final results.
    data = result.to_gradescope()
    missing = [ex.filename for ex in EXERCISES if ex.filename not in submission.files]
    if missing:
        data["output"] = f"Not found in your submission: {', '.join(missing)}.\n\n" + data["output"]
    data["execution_time"] = round(time.monotonic() - start, 1)
    write_json_atomic(results_path, data)
    return data


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m backprop_course.grading.gradescope")
    parser.add_argument("--root", default=os.environ.get("AUTOGRADER_ROOT", "/autograder"),
                        help="the autograder folder (default: $AUTOGRADER_ROOT or /autograder)")
    parser.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT)
    parser.add_argument("--secret-file", metavar="PATH", help="draw hidden cases from the secret in this file")
    parser.add_argument("--unsafe-no-sandbox", action="store_true",
                        help="grade even where graded code can only run as root or as this user")
    args = parser.parse_args(argv)
    secret = Path(args.secret_file).read_bytes() if args.secret_file else None
    data = run(args.root, args.timeout, unsafe=args.unsafe_no_sandbox, secret=secret)
    print(data["output"])
    return 0


def build_bundle(out, secret=None, unsafe=False):
    """Write the Gradescope autograder zip: setup.sh, run_autograder, the backprop_course package, the secret.

    The reference solutions are left out (they are not in an installed package either).
    """
    package = Path(__file__).resolve().parents[1]
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    flags = (' --secret-file "$ROOT/source/secret"' if secret else "") + (" --unsafe-no-sandbox" if unsafe else "")

    def add(zf, name, data, mode):
        info = zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0))
        info.external_attr = mode << 16
        info.compress_type = zipfile.ZIP_DEFLATED
        zf.writestr(info, data)

    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        add(zf, "setup.sh", SETUP_SH, 0o755)
        add(zf, "run_autograder", RUN_AUTOGRADER.format(flags=flags), 0o755)
        if secret:
            add(zf, "secret", secret if isinstance(secret, bytes) else secret.encode(), 0o600)
        for path in sorted(package.rglob("*")):
            rel = path.relative_to(package)
            if path.is_file() and "__pycache__" not in rel.parts and path.suffix != ".pyc" \
                    and rel.parts[:2] != ("grading", "solutions"):
                add(zf, str(Path("backprop_course") / rel), path.read_bytes(), 0o644)
    return out


if __name__ == "__main__":
    sys.exit(main())
