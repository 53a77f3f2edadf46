"""How long does grading take? Wall-clock seconds measured in one run, in the sandbox this machine allows.

    python benchmarks/bench_grading.py            # 3 repeats of each case
    python benchmarks/bench_grading.py --quick    # 1 repeat

Printed: the isolation mode; the time to grade one whole submission (every exercise) for the
reference solutions, the unmodified stubs, a submission with a diagnosed mistake and one with a
crash, a hang and a flood of output (the worst case of the limits); the time per exercise with one
process at a time; and ``backprop-course grade-all`` on a class of 60 mixed submissions (a third of
them nested in subfolders with near-miss file names), with a roster, feedback files and the Moodle
file, as submissions per minute. The targets of issue 9 are printed beside them: one submission under 15 s,
grade-all at 60 or more submissions a minute (on this machine's cores).
"""

import argparse
import contextlib
import io
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))

from submissions import make_submission  # noqa: E402  (tests/ holds the submission builder)

from backprop_course.cli import main as cli  # noqa: E402
from backprop_course.grading import EXERCISE_NAMES, grade_submission, sandbox  # noqa: E402

ONE_SUBMISSION_SECONDS = 15.0
SUBMISSIONS_PER_MINUTE = 60.0
WORST = {
    "ex05_deltas.py": "import os, signal\ndef deltas(Theta, x, y):\n    os.kill(os.getpid(), signal.SIGSEGV)\n",
    "ex08_gradient_descent_step.py": "def gradient_descent_step(Theta, D, alpha):\n    while True:\n        pass\n",
    "ex09_minibatches.py": "def minibatches(X, Y, batch_size, seed):\n    while True:\n        print('x' * 1000)\n",
}


def timed(fn, repeats):
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--students", type=int, default=60, help="submissions in the grade-all class")
    args = parser.parse_args(argv)
    repeats = 1 if args.quick else 3
    cores = os.cpu_count()
    mode = sandbox.detect()
    print(f"python {platform.python_version()}, {cores} cores, {len(EXERCISE_NAMES)} exercises, "
          f"median of {repeats} run(s)\nisolation: {mode.name}: {mode.detail}\n")

    work = Path(tempfile.mkdtemp(prefix="bench-grading-"))
    try:
        reference = make_submission(work / "reference")
        buggy = make_submission(work / "buggy", files={
            "ex06_backprop_loop.py": (REPO / "tests/buggy/delta_assigned__ex06_backprop_loop.py").read_text()})
        worst = make_submission(work / "worst", files=WORST)
        stubs = REPO / "exercises"

        print(f"{'one submission (all exercises)':46s} {'seconds':>8s}  {'points':>6s}  target")
        for label, folder, runs, timeout in (("reference solutions", reference, repeats, 20.0),
                                              ("unmodified stubs", stubs, repeats, 20.0),
                                              ("one diagnosed mistake (ex06)", buggy, repeats, 20.0),
                                              ("a crash, a 5 s hang, a flood of output", worst, 1, 5.0)):
            seconds, result = timed(lambda f=folder, t=timeout: grade_submission(f, timeout=t), runs)
            verdict = "PASS" if seconds < ONE_SUBMISSION_SECONDS else "MISS"
            print(f"  {label:44s} {seconds:8.2f}  {result.points:6g}  < {ONE_SUBMISSION_SECONDS:g} s {verdict}")

        print(f"\n{'one exercise at a time (jobs=1)':46s} {'seconds':>8s}")
        for name in EXERCISE_NAMES:
            seconds, _ = timed(lambda n=name: grade_submission(reference, exercises=[n], jobs=1), repeats)
            print(f"  {name:44s} {seconds:8.2f}")

        classroom = work / "class"
        kinds = [reference, buggy, stubs]
        roster = ["id,name,email"]
        for i in range(args.students):
            target = classroom / f"student{i:03d}" / ("hw/code" if i % 3 == 1 else "")
            shutil.copytree(kinds[i % len(kinds)], target, ignore=shutil.ignore_patterns(
                "*.md", "*.toml", "conftest.py", "test_*.py", "__pycache__"))
            if i % 3 == 1:                                          # messy: a near-miss name in a subfolder
                (target / "ex03_cost.py").rename(target / "ex03_cost (1).py")
            roster.append(f"student{i:03d},Student {i},student{i:03d}@example.edu")
        (work / "roster.csv").write_text("\n".join(roster) + "\n")
        book = work / "gradebook.csv"
        with contextlib.redirect_stdout(io.StringIO()):
            seconds, code = timed(lambda: cli(["grade-all", str(classroom), "--out", str(book), "--roster",
                                               str(work / "roster.csv"), "--feedback-dir", str(work / "feedback"),
                                               "--lms", "moodle"]), 1)
        assert code == 0, "grade-all failed"
        rate = args.students / seconds * 60
        verdict = "PASS" if rate >= SUBMISSIONS_PER_MINUTE else "MISS"
        print(f"\ngrade-all, {args.students} submissions (reference, one mistake, stubs; a third nested, with a "
              f"near-miss name), roster, feedback files and Moodle file, on {cores} cores: "
              f"{seconds:.1f} s = {rate:.0f} submissions per minute (target >= {SUBMISSIONS_PER_MINUTE:g}) {verdict}")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
