"""How long does grading take? Wall-clock seconds measured in one run.

    python benchmarks/bench_grading.py            # 3 repeats of each case
    python benchmarks/bench_grading.py --quick    # 1 repeat

Printed: the time to grade one whole submission (all 9 exercises, each in its own child process,
as many at once as there are cores) for the reference solutions, the unmodified stubs and a
submission with a diagnosed mistake; the time per exercise with one process at a time (the cost of
isolation: interpreter start, numpy import, the cases); and grade-all on a small class, as
submissions per minute. The target of issue 5 is printed beside the one-submission time: under 15 s
on this machine (2 cores).
"""

import argparse
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from backprop_course.grading import EXERCISE_NAMES, grade_submission
from backprop_course.grading.harness import grade_many
from backprop_course.grading.testing import make_submission

REPO = Path(__file__).resolve().parents[1]
TARGET_SECONDS = 15.0


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
    args = parser.parse_args(argv)
    repeats = 1 if args.quick else 3
    cores = os.cpu_count()
    print(f"python {platform.python_version()}, {cores} cores, {len(EXERCISE_NAMES)} exercises, "
          f"median of {repeats} run(s)\n")

    work = Path(tempfile.mkdtemp(prefix="bench-grading-"))
    try:
        reference = make_submission(work / "reference")
        buggy = make_submission(work / "buggy", files={
            "ex06_backprop_loop.py": (REPO / "tests/buggy/delta_assigned__ex06_backprop_loop.py").read_text()})
        stubs = REPO / "exercises"

        print(f"{'one submission (all exercises, parallel)':46s} {'seconds':>8s}  {'points':>6s}  target")
        for label, folder in (("reference solutions", reference), ("unmodified stubs", stubs),
                              ("one diagnosed mistake (ex06)", buggy)):
            seconds, result = timed(lambda f=folder: grade_submission(f), repeats)
            verdict = "PASS" if seconds < TARGET_SECONDS else "MISS"
            print(f"  {label:44s} {seconds:8.2f}  {result.points:6g}  < {TARGET_SECONDS:g} s {verdict}")

        print(f"\n{'one exercise at a time (jobs=1)':46s} {'seconds':>8s}")
        for name in EXERCISE_NAMES:
            seconds, _ = timed(lambda n=name: grade_submission(reference, exercises=[n], jobs=1), repeats)
            print(f"  {name:44s} {seconds:8.2f}")

        students = 6
        folders = {f"student{i}": make_submission(work / "class" / f"student{i}") for i in range(students)}
        seconds, graded = timed(lambda: grade_many(folders), 1)
        assert all(r.points == r.max_points for r in graded.values())
        print(f"\ngrade-all, {students} submissions on {cores} cores: {seconds:.1f} s "
              f"({students / seconds * 60:.0f} submissions per minute)")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
