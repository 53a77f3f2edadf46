"""Gradescope: the ``run_autograder`` entry point and the bundle builder.

Gradescope unzips the bundle into ``/autograder/source``, runs ``setup.sh`` once, then for each
submission copies the learner's files to ``/autograder/submission`` and runs ``run_autograder``,
which calls ``python3 -m backprop_course.grading.gradescope`` and must leave
``/autograder/results/results.json``. The root is ``/autograder`` unless ``--root`` or the
``AUTOGRADER_ROOT`` environment variable says otherwise (the tests use a temporary folder).
"""

import argparse
import os
import shutil
import signal
import sys
import tempfile
import time
import zipfile
from pathlib import Path

from .exercises import EXERCISES
from .harness import DEFAULT_TIMEOUT, grade_submission
from .report import write_json_atomic, zero_results

SETUP_SH = """#!/usr/bin/env bash
# Gradescope runs this once when the autograder image is built.
set -euo pipefail
apt-get update -qq
apt-get install -y -qq python3 python3-pip > /dev/null
python3 -m pip install --quiet "numpy>=1.24" || python3 -m pip install --quiet --break-system-packages "numpy>=1.24"
"""

RUN_AUTOGRADER = """#!/usr/bin/env bash
# Gradescope runs this for every submission; it always leaves a valid results/results.json.
ROOT="${AUTOGRADER_ROOT:-/autograder}"
export PYTHONPATH="$ROOT/source${PYTHONPATH:+:$PYTHONPATH}"
exec python3 -m backprop_course.grading.gradescope --root "$ROOT"
"""


def collect_submission(submission, target):
    """Copy the exercise files found anywhere under `submission` (first match by name) into `target`."""
    wanted = {ex.filename for ex in EXERCISES}
    found = {}
    for path in sorted(Path(submission).rglob("ex*_*.py"), key=lambda p: (len(p.parts), str(p))):
        if path.name in wanted and path.name not in found and path.is_file() and "__MACOSX" not in path.parts:
            found[path.name] = path
    for name, path in found.items():
        shutil.copyfile(path, Path(target) / name)
    return sorted(found)


def _become_subreaper():
    """Adopt orphaned descendants (Linux), so a daemon forked by learner code cannot outlive grading."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(36, 1, 0, 0, 0) == 0          # PR_SET_CHILD_SUBREAPER
    except (OSError, AttributeError):
        return False


def _kill_leftover_children():
    """Kill and reap every process still parented to us once all grading children are done."""
    me = os.getpid()
    try:
        entries = [e for e in os.listdir("/proc") if e.isdigit()]
    except OSError:
        return
    for entry in entries:
        try:
            with open(f"/proc/{entry}/stat") as f:
                ppid = int(f.read().rsplit(")", 1)[1].split()[1])
            if ppid == me:
                os.kill(int(entry), signal.SIGKILL)
        except (OSError, ValueError, IndexError):
            continue
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            break
        if pid == 0:
            break


def run(root, timeout=DEFAULT_TIMEOUT):
    """Grade ``root/submission`` and write ``root/results/results.json``; returns the results dict.

    Meant to run in its own process (``run_autograder``): it makes itself the subreaper of anything
    learner code forks and kills those leftovers before writing the final results.
    """
    root = Path(root)
    subreaper = _become_subreaper()
    results_path = root / "results" / "results.json"
    specs = [(ex.name, float(ex.points)) for ex in EXERCISES]
    write_json_atomic(results_path, zero_results(specs))          # a valid file from the first second
    start = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="bp-gradescope-") as staging:
        found = collect_submission(root / "submission", staging)
        result = grade_submission(staging, timeout=timeout)
    if subreaper:
        _kill_leftover_children()
    data = result.to_gradescope()
    missing = [ex.filename for ex in EXERCISES if ex.filename not in found]
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
    args = parser.parse_args(argv)
    data = run(args.root, args.timeout)
    print(data["output"])
    return 0


def build_bundle(out):
    """Write the Gradescope autograder zip: setup.sh, run_autograder and the backprop_course package.

    The reference solutions are left out: learner code runs on the grading machine and its exception
    messages reach the feedback, so nothing there should be worth reading.
    """
    package = Path(__file__).resolve().parents[1]
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, text in (("setup.sh", SETUP_SH), ("run_autograder", RUN_AUTOGRADER)):
            info = zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0))
            info.external_attr = 0o755 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, text)
        for path in sorted(package.rglob("*")):
            if (path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc"
                    and "solutions" not in path.relative_to(package).parts):   # learners' errors are shown
                rel = Path("backprop_course") / path.relative_to(package)
                info = zipfile.ZipInfo(str(rel), date_time=(2020, 1, 1, 0, 0, 0))
                info.external_attr = 0o644 << 16
                info.compress_type = zipfile.ZIP_DEFLATED
                zf.writestr(info, path.read_bytes())
    return out


if __name__ == "__main__":
    sys.exit(main())
