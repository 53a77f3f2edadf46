"""Grade a submission: every exercise in its own limited child process, scored by the parent.

Isolation: each exercise runs in ``python -m backprop_course.grading._child`` with a wall-clock
limit (the whole process group is killed when it runs out), an address-space limit (MemoryError
instead of swapping), a CPU limit, an output limit (printing megabytes kills the child, not the
grader), and, when the grader runs as root (Gradescope), as the unprivileged user ``nobody`` so it
cannot touch the results file. The child sees a private copy of the submission's ``.py`` files and
returns raw outputs as JSON frames over a pipe; the parent validates them, recomputes every expected
value itself and assigns the points. A child that times out, crashes, exits early or sends garbage
gives its exercise 0 with a message; the other exercises are unaffected.
"""

import os
import re
import selectors
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from . import spec as _spec
from .exercises import EXERCISES, get
from .report import CheckResult, ExerciseResult, SubmissionResult
from .wire import MAX_TOTAL, WireError, decode, split_frames

DEFAULT_TIMEOUT = 20.0          # seconds of wall clock per exercise
DEFAULT_MEMORY = 2 * 1024 ** 3  # bytes of address space per child
DEFAULT_OUTPUT = 1024 ** 2      # bytes a child may print
PACKAGE_ROOT = str(Path(__file__).resolve().parents[2])
SOLUTIONS_DIR = Path(__file__).resolve().parent / "solutions"
MAX_FILES, MAX_FILE_BYTES = 200, 2 * 1024 ** 2


@dataclass
class CaseResult:
    ok: bool
    value: object = None
    error_type: str = ""
    error: str = ""
    warnings: list = field(default_factory=list)
    args_after: object = None


@dataclass
class RawRun:
    """What one child process produced, before scoring."""

    status: str                      # "ok", "timeout", "crashed", "exited", "output_limit", "import_error", ...
    message: str = ""
    results: dict = field(default_factory=dict)
    forbidden: list = field(default_factory=list)


def stage(submission_dir):
    """A private, world-readable copy of the submission's top-level .py files; returns its path."""
    staging = tempfile.mkdtemp(prefix="bp-submission-")
    os.chmod(staging, 0o755)
    src = Path(submission_dir)
    if src.is_dir():
        for count, path in enumerate(sorted(src.glob("*.py"))):
            if count >= MAX_FILES:
                break
            if path.is_file() and path.stat().st_size <= MAX_FILE_BYTES:
                target = Path(staging) / path.name
                shutil.copyfile(path, target)
                os.chmod(target, 0o644)
    return staging


def _world_accessible(path):
    """True when every folder above `path` is world-searchable and the file world-readable."""
    path = Path(path).resolve()
    try:
        if not path.stat().st_mode & 0o004:
            return False
        return all(parent.stat().st_mode & 0o001 for parent in path.parents)
    except OSError:
        return False


def _unprivileged():
    """(user, group) to run children as when we are root and nobody can run Python, else None."""
    if os.environ.get("BACKPROP_GRADER_KEEP_USER") or not hasattr(os, "geteuid") or os.geteuid() != 0:
        return None
    if not (_world_accessible(sys.executable) and _world_accessible(Path(PACKAGE_ROOT) / "backprop_course")):
        return None
    try:
        import grp
        import pwd

        user = pwd.getpwnam("nobody")
        group = grp.getgrgid(user.pw_gid).gr_name
        return user.pw_name, group
    except (KeyError, ImportError):
        return None


def run_child(name, staging, timeout=DEFAULT_TIMEOUT, memory=DEFAULT_MEMORY, output=DEFAULT_OUTPUT):
    """Run exercise `name` on the staged files in a child process; return its :class:`RawRun`."""
    exercise = get(name)
    if not (Path(staging) / exercise.filename).is_file():
        return RawRun("missing", f"{exercise.filename} not found in the submission.")
    read_fd, write_fd = os.pipe()
    workdir = tempfile.mkdtemp(prefix="bp-grade-")
    os.chmod(workdir, 0o755)
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "PYTHONPATH": PACKAGE_ROOT, "HOME": workdir,
           "PYTHONHASHSEED": "0", "PYTHONDONTWRITEBYTECODE": "1", "OPENBLAS_NUM_THREADS": "1",
           "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1", "LC_ALL": "C.UTF-8"}
    cmd = [sys.executable, "-s", "-m", "backprop_course.grading._child", exercise.name, staging, str(write_fd),
           str(memory), str(int(timeout) + 2), str(output)]
    drop = _unprivileged()
    extra = {"user": drop[0], "group": drop[1], "extra_groups": []} if drop else {}
    with tempfile.TemporaryFile() as log:
        try:
            proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=log, stderr=log, cwd=workdir, env=env,
                                    pass_fds=(write_fd,), start_new_session=True, **extra)
        finally:
            os.close(write_fd)
        buffer, timed_out, too_much = _read_all(read_fd, proc, timeout)
        _kill_group(proc)
        returncode = proc.wait()
        log.seek(0)
        tail = log.read()[-2000:].decode(errors="replace")
    shutil.rmtree(workdir, ignore_errors=True)
    return _interpret(exercise, buffer, timed_out, too_much, returncode, tail, timeout)


def _read_all(fd, proc, timeout):
    """Read the pipe until EOF or the deadline; stop keeping data past MAX_TOTAL bytes."""
    deadline = time.monotonic() + timeout
    chunks, size, too_much = [], 0, False
    sel = selectors.DefaultSelector()
    sel.register(fd, selectors.EVENT_READ)
    try:
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                return b"".join(chunks), True, too_much
            if not sel.select(timeout=min(left, 0.5)):
                continue
            data = os.read(fd, 1 << 16)
            if not data:
                return b"".join(chunks), False, too_much
            if size + len(data) > MAX_TOTAL:
                too_much = True
                _kill_group(proc)
                return b"".join(chunks), False, too_much
            chunks.append(data)
            size += len(data)
    finally:
        sel.close()
        os.close(fd)


def _kill_group(proc):
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def _interpret(exercise, buffer, timed_out, too_much, returncode, tail, timeout):
    try:
        frames = split_frames(buffer)
    except WireError as exc:
        return RawRun("invalid", f"the grading process sent malformed data ({exc}); nothing could be graded.")
    run = RawRun("ok")
    done = False
    for frame in frames:
        kind = frame["type"]
        if kind == "forbidden":
            name = str(frame.get("name", "?"))[:80]
            if name not in run.forbidden:
                run.forbidden.append(name)
        elif kind == "import_error":
            run.status = "import_error"
            run.message = f"could not import {exercise.filename}: {str(frame.get('error', ''))[:600]}"
        elif kind == "case":
            try:
                result = CaseResult(ok=bool(frame.get("ok")), error_type=str(frame.get("error_type", ""))[:100],
                                    error=str(frame.get("error", ""))[:800],
                                    warnings=[str(w)[:200] for w in frame.get("warnings", [])[:20]]
                                    if isinstance(frame.get("warnings"), list) else [])
                if result.ok:
                    result.value = decode(frame.get("value"))
                result.args_after = decode(frame.get("args_after"))
            except WireError:
                result = CaseResult(ok=False, error_type="Invalid", error="the result could not be read back.")
            cid = frame.get("id")
            if isinstance(cid, str) and cid not in run.results:
                run.results[cid] = result
        elif kind == "done":
            done = True
    if run.status == "import_error":
        return run
    if too_much:
        return RawRun("invalid", "the grading process sent far too much data; nothing could be graded.")
    if timed_out:
        return RawRun("timeout", f"stopped after {timeout:g} s of wall-clock time: an infinite loop, or far too "
                                 f"slow? (The grader stopped it; the other exercises are still graded.)")
    if returncode == -signal.SIGXFSZ:
        return RawRun("output_limit", "your code printed more than the output limit (about 1 MB); remove the "
                                      "prints inside loops.")
    if returncode == -signal.SIGXCPU:
        return RawRun("timeout", "stopped after using its CPU-time limit: an infinite loop?")
    memory = [r for r in run.results.values() if r.error_type == "MemoryError"]
    if memory or "MemoryError" in tail and not done:
        return RawRun("memory", "ran out of memory (MemoryError): does your code build a huge array?")
    exits = [r for r in run.results.values() if r.error_type == "SystemExit"]
    if exits:
        return RawRun("exited", f"{exits[0].error}: the grader needs your function to return.")
    if not done:
        if returncode == 0 or returncode > 0:
            return RawRun("exited", f"the process ended early (exit code {returncode}): does your code call "
                                    f"sys.exit(), exit() or os._exit()?")
        return RawRun("crashed", f"the process crashed (signal {-returncode}).")
    return run


# -- scoring -----------------------------------------------------------------------------------------

def score(name, run):
    """Turn a :class:`RawRun` into an :class:`ExerciseResult` using the parent's own reference."""
    exercise = get(name)
    spec = _spec.build(exercise.name)
    max_points = float(sum(c.points for c in spec.checks))

    def zero(status, message, findings=()):
        checks = [CheckResult(c.label, c.group, 0.0, c.points, "") for c in spec.checks]
        return ExerciseResult(exercise.name, 0.0, max_points, status, [message], list(findings), checks)

    if run.status != "ok":
        return zero(run.status, run.message)
    if run.forbidden:
        return zero("forbidden", f"calls {', '.join(run.forbidden)}, the library's own version of this exercise: "
                                 f"0 points. Write the computation yourself (earlier exercises' helpers are fine).")
    results = run.results
    if results and all(not r.ok and r.error_type == "NotImplementedError" for r in results.values()):
        first = next(iter(results.values())).error.split(" (in ")[0]
        first = first.removeprefix("NotImplementedError: ")
        if "not implemented yet" not in first:
            first = f"not implemented yet ({first})"
        return zero("not implemented", first)
    missing = [r for r in results.values() if r.error_type == "MissingFunction"]
    if missing and len(missing) == len(results):
        return zero("error", missing[0].error)

    checks, lines = [], []
    for check in spec.checks:
        try:
            passed, message = _spec.evaluate(spec, check, results)
        except Exception as exc:  # odd values from the learner must never crash the grader
            passed, message = False, f"the result could not be checked ({type(exc).__name__})."
        checks.append(CheckResult(check.label, check.group, check.points if passed else 0.0, check.points,
                                  "" if passed else message))
    try:
        findings = _spec.diagnose(spec, results)
    except Exception:  # a diagnosis is a bonus; never let it cost the grade
        findings = []
    points = round(sum(c.points for c in checks), 6)
    helpers = sorted({m.group(1) for r in results.values() if not r.ok
                      for m in [re.search(r"\(in (ex\d\d_\w+\.py), line", r.error)] if m} - {exercise.filename})
    if helpers:
        lines.append(f"Some errors come from {', '.join(helpers)}, an earlier exercise this one uses: "
                     f"grade and fix that one first.")
    for f in findings:
        lines.append(f.message)
    for c in checks:
        if c.points < c.max_points:
            lines.append(f"{c.label}: {c.message}")
    if points >= max_points:
        status, lines = "passed", ["all checks passed"]
    else:
        status = "partial" if points > 0 else "failed"
    return ExerciseResult(exercise.name, points, max_points, status, lines, findings, checks)


def grade_exercise(name, submission_dir=None, staging=None, timeout=DEFAULT_TIMEOUT, memory=DEFAULT_MEMORY,
                   output=DEFAULT_OUTPUT):
    """Grade one exercise of a submission folder (``exercises/``): an :class:`ExerciseResult`."""
    own = staging is None
    staging = staging or stage(submission_dir)
    try:
        return score(name, run_child(name, staging, timeout, memory, output))
    finally:
        if own:
            shutil.rmtree(staging, ignore_errors=True)


def grade_submission(submission_dir, exercises=None, timeout=DEFAULT_TIMEOUT, jobs=None, memory=DEFAULT_MEMORY,
                     output=DEFAULT_OUTPUT, reference=False):
    """Grade every exercise of one submission, in parallel; a :class:`SubmissionResult`.

    Parameters
    ----------
    submission_dir : path
        A folder holding ``ex01_sigmoid.py`` ... (missing files get 0). Ignored when `reference`.
    exercises : list of str, optional
        Exercise names (default: all, in notebook order).
    timeout : float
        Wall-clock seconds per exercise.
    jobs : int, optional
        Parallel child processes (default: the number of cores).
    reference : bool
        Grade the package's reference solutions instead (CI: full marks).
    """
    names = [get(n).name for n in (exercises or [e.name for e in EXERCISES])]
    source = SOLUTIONS_DIR if reference else Path(submission_dir)
    staging = stage(source)
    try:
        jobs = max(1, jobs or os.cpu_count() or 1)
        with ThreadPoolExecutor(max_workers=min(jobs, len(names))) as pool:
            results = list(pool.map(lambda n: score(n, run_child(n, staging, timeout, memory, output)), names))
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return SubmissionResult(str(source), results)


def grade_many(folders, timeout=DEFAULT_TIMEOUT, jobs=None, memory=DEFAULT_MEMORY, output=DEFAULT_OUTPUT,
               exercises=None):
    """Grade several submissions ({student: folder}); every (student, exercise) pair is one parallel task.

    `exercises` optionally maps a student to the exercise names to grade (default: all).
    Returns {student: SubmissionResult} in the order of `folders`.
    """
    everything = [e.name for e in EXERCISES]
    exercises = exercises or {}
    stagings = {student: stage(folder) for student, folder in folders.items()}
    try:
        tasks = [(student, get(n).name) for student in folders for n in exercises.get(student, everything)]
        jobs = max(1, jobs or os.cpu_count() or 1)
        with ThreadPoolExecutor(max_workers=jobs) as pool:
            scored = list(pool.map(lambda t: score(t[1], run_child(t[1], stagings[t[0]], timeout, memory, output)),
                                   tasks))
    finally:
        for staging in stagings.values():
            shutil.rmtree(staging, ignore_errors=True)
    out = {}
    for (student, _), result in zip(tasks, scored, strict=True):
        out.setdefault(student, []).append(result)
    return {student: SubmissionResult(str(folders[student]), results) for student, results in out.items()}
