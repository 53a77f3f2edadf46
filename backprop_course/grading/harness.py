"""Grade submissions: read each privately, run every exercise in its own graded process, score in the parent.

For every (submission, exercise) task, just before it runs:

1. the submission's ``.py`` files are read into memory (once per submission) by the one collector
   (:mod:`~backprop_course.grading.collect`): exercise files in any subfolder, near-miss names,
   helper modules; a symbolic link, a special file or a file that is too large is reported and
   never opened through;
2. they are written to a private folder of that task only, which becomes ``/submission`` in the
   sandbox (:mod:`~backprop_course.grading.sandbox`);
3. the graded process (:mod:`~backprop_course.grading.child`) receives the cases and the oracle on
   stdin and sends raw results back as frames on a pipe of its own. The parent reads a bounded amount
   of those frames and of the process's output (only the last few kilobytes of output are kept), stops
   the process at the wall-clock limit, and checks every frame strictly
   (:mod:`~backprop_course.grading.wire`);
4. the parent scores the run with its own reference values (:mod:`~backprop_course.grading.checks`).

A task that fails in the grader itself becomes an exercise with status ``grader error``, never an
exception: one submission can neither stop nor change the grading of another. Every graded process
is dead (and, without a pid namespace, every process of its uid killed) before its task returns.
"""

import json
import os
import re
import selectors
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
import warnings
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from . import sandbox
from .cases import EXERCISES, OWNER, SECRET_ENV, SOLUTIONS_DIR, get, secret_bytes
from .checks import CaseResult, RawRun, prepare, score
from .collect import Submission, SubmissionError, collect, read_files  # noqa: F401  (read_files: the bundle's)
from .report import CheckResult, ExerciseResult, SubmissionResult
from .wire import MAX_TOTAL, WireError, decode, recv_message, send_message, split_frames

DEFAULT_TIMEOUT = 20.0          # seconds of wall clock per exercise
DEFAULT_MEMORY = 2 * 1024 ** 3  # bytes of address space per graded process
DEFAULT_OUTPUT = 1024 ** 2      # bytes a graded process may print
FILE_BYTES = 16 * 1024 ** 2     # the largest file a graded process may write (in its private /tmp)
TAIL = 8 * 1024                 # bytes of printed output kept (for the line of a crash)


def read_submission(folder, exercises=None):
    """The :class:`~backprop_course.grading.collect.Submission` of `folder`, read by the one collector."""
    return collect(folder, exercises or [e.name for e in EXERCISES])


# -- one graded process -------------------------------------------------------------------------------------

def _task_folder():
    """A fresh private folder for one server; in a temp folder a slot's uid can reach (else /tmp)."""
    base = tempfile.gettempdir()
    if not all(os.stat(p).st_mode & 0o001 for p in (base, *map(str, Path(base).parents))):
        base = "/tmp"
    return Path(tempfile.mkdtemp(prefix="bp-grader-", dir=base))


def _layout(mode, task, files, uid):
    """Stage one submission for its server; returns (command, popen options, settings)."""
    submission = task / "submission"
    submission.mkdir(mode=0o755)
    for name, data in files.items():
        fd = os.open(submission / name, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o644)
        with os.fdopen(fd, "wb") as f:
            f.write(data)
    python = ["-I", "-S", "-B"]
    settings = {"mode": mode.name, "uid": uid}
    if mode.name == "sandbox":
        settings.update(submission="/submission", paths=[f"{sandbox.INSIDE}/lib"], tmp="/tmp")
        return sandbox.bwrap_command(submission, [*python, f"{sandbox.INSIDE}/runtime/child.py"]), {}, settings
    # Without a sandbox: the runtime is a root-owned copy, the submission and /tmp belong to the slot's uid.
    os.chmod(task, 0o711)
    for name in ("runtime", "lib", "tmp"):
        (task / name).mkdir(mode=0o755)
    for path in sandbox.RUNTIME:
        shutil.copyfile(path, task / "runtime" / path.name)
    for path in sandbox.numpy_dirs():
        os.symlink(path, task / "lib" / os.path.basename(path))
    if uid is not None:
        for path in [submission, *submission.iterdir(), task / "tmp"]:
            os.chown(path, uid, uid)
        os.chmod(submission, 0o500)
        os.chmod(task / "tmp", 0o700)
    settings.update(submission=str(submission), paths=[str(task / "lib")], tmp=str(task / "tmp"))
    return [sandbox.interpreter(), *python, str(task / "runtime" / "child.py")], {"cwd": str(task)}, settings


def _limits(uid, timeout, memory):
    limits = {"RLIMIT_AS": int(memory), "RLIMIT_CPU": int(timeout) + 1, "RLIMIT_FSIZE": FILE_BYTES,
              "RLIMIT_NOFILE": 128, "RLIMIT_CORE": 0}
    if uid is not None:
        limits["RLIMIT_NPROC"] = 64              # counted per uid: a slot's own uid, so only this exercise's
    return limits


class ServerGone(Exception):
    """The submission's server ended; the exercise is run again in a fresh one."""


class Server:
    """One submission's graded-process server (``child.py``), in the sandbox when there is one.

    It imports numpy once and forks a fresh process for each exercise (:meth:`run`), so an exercise
    costs a fork instead of an interpreter and a numpy import. Closing it kills it (and, with
    bubblewrap, its whole pid namespace) and removes its private folder.
    """

    def __init__(self, mode, uid, submission, start_timeout=60.0):
        self.mode, self.uid, self.proc, self.alive = mode, uid, None, False
        self.task = _task_folder()
        self.log = tempfile.TemporaryFile()
        self.control, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            command, options, settings = _layout(mode, self.task, submission.files, uid)
            settings["control"] = theirs.fileno()
            self.proc = subprocess.Popen([*command, json.dumps(settings)], stdin=subprocess.DEVNULL, stdout=self.log,
                                         stderr=self.log, pass_fds=(theirs.fileno(),), start_new_session=True,
                                         env=sandbox.child_env(), **options)
            theirs.close()
            self.control.settimeout(start_timeout)
            ready, _ = recv_message(self.control)
            self.control.settimeout(None)
            if not ready or ready.get("type") != "ready":
                raise OSError("it ended before it was ready")
            self.alive = True
        except (OSError, ValueError) as exc:
            theirs.close()
            self.close()
            raise RuntimeError(f"the graded process could not start ({exc}; {self._log_tail()})") from None

    def _log_tail(self):
        try:
            self.log.seek(0, os.SEEK_END)
            self.log.seek(max(0, self.log.tell() - 400))
            return " ".join(self.log.read().decode(errors="replace").split())[-300:] or "no message"
        except (OSError, ValueError):
            return "no message"

    def run(self, prep, timeout=DEFAULT_TIMEOUT, memory=DEFAULT_MEMORY, output=DEFAULT_OUTPUT):
        """Run one exercise in a fresh process of this server: a :class:`RawRun` (raises ServerGone)."""
        job_r, job_w = os.pipe()
        result_r, result_w = os.pipe()
        out_r, out_w = os.pipe()
        request = {"type": "run", "limits": _limits(self.uid, timeout, memory), "timeout": timeout}
        try:
            send_message(self.control, request, [job_r, result_w, out_w])
        except OSError:
            for fd in (job_w, result_r, out_r):
                os.close(fd)
            self.close()
            raise ServerGone() from None
        finally:
            for fd in (job_r, result_w, out_w):
                os.close(fd)
        got = _communicate(self, prep.job, job_w, result_r, out_r, timeout, output)
        if got.server_gone and got.status is None:
            self.close()
            raise ServerGone()
        if got.too_much or got.too_loud or got.status is None:
            self.close()                        # the exercise is still running: stop all of it
        return interpret(prep, got, self.mode, timeout)

    def close(self):
        self.alive = False
        if self.proc is not None:
            sandbox.kill(self.proc)
            self.proc.wait()
        if self.uid is not None and self.mode.name == "unprivileged":
            sandbox.kill_uid(self.uid)
        for closeable in (self.control, self.log):
            try:
                closeable.close()
            except OSError:
                pass
        shutil.rmtree(self.task, ignore_errors=True)


@dataclass
class _Got:
    results: bytes = b""
    tail: bytes = b""
    printed: int = 0
    too_much: bool = False
    too_loud: bool = False
    timed_out: bool = False
    server_gone: bool = False
    status: int = None               # the wait status the server reported
    cpu: float = 0.0                 # CPU seconds the exercise's process used


def _communicate(server, job, job_w, result_r, out_r, timeout, output):
    """Feed the job, read results and output with bounds, until the server reports the exit (or a backstop)."""
    got, chunks, size = _Got(), [], 0
    deadline = time.monotonic() + timeout + 10.0        # the server stops the exercise at `timeout` itself
    os.set_blocking(job_w, False)
    sel = selectors.DefaultSelector()
    for fd in (result_r, out_r, server.control.fileno()):
        sel.register(fd, selectors.EVENT_READ)
    sel.register(job_w, selectors.EVENT_WRITE)
    sent, reading, grace = 0, {result_r, out_r}, None
    try:
        while reading or got.status is None:
            now = time.monotonic()
            if now > deadline or grace is not None and now > grace:
                got.timed_out = got.timed_out or got.status is None
                break
            for key, _ in sel.select(timeout=0.2):
                if key.fd == job_w:
                    try:
                        sent += os.write(job_w, job[sent:sent + 65536])
                    except (BlockingIOError, InterruptedError):
                        continue
                    except OSError:                      # the process is gone before reading its job
                        sent = len(job)
                    if sent >= len(job):
                        sel.unregister(job_w)
                        os.close(job_w)
                        job_w = None
                elif key.fd == server.control.fileno():
                    try:
                        report, _ = recv_message(server.control)
                    except (OSError, ValueError):
                        report = None
                    sel.unregister(key.fd)
                    if report is None:
                        got.server_gone = True
                    else:
                        got.status, got.cpu = int(report["status"]), float(report["cpu"])
                        got.timed_out = bool(report["timed_out"])
                    grace = time.monotonic() + 2.0      # the pipes close now (leftovers are killed)
                else:
                    data = os.read(key.fd, 65536)
                    if not data:
                        sel.unregister(key.fd)
                        reading.discard(key.fd)
                    elif key.fd == result_r:
                        size += len(data)
                        if size > MAX_TOTAL:
                            got.too_much = True
                            return got
                        chunks.append(data)
                    else:
                        got.printed += len(data)
                        got.tail = (got.tail + data)[-TAIL:]
                        if got.printed > output:
                            got.too_loud = True
                            return got
            if got.server_gone and not reading:
                break
    finally:
        sel.close()
        for fd in (result_r, out_r, job_w):
            if fd is not None:
                os.close(fd)
        got.results = b"".join(chunks)
    return got


def run_exercises(preps, submission, mode, uid, timeout=DEFAULT_TIMEOUT, memory=DEFAULT_MEMORY,
                  output=DEFAULT_OUTPUT):
    """Run exercises `preps` of one `submission` one after the other in one server: a list of RawRun.

    `timeout` is seconds of wall clock per exercise, or a dict {exercise name: seconds}. A server that
    ends (or had to be stopped) is replaced for the next exercise; an exercise whose server ended under
    it is run once more in a fresh one.
    """
    server, runs = None, []
    try:
        for prep in preps:
            name = prep.exercise.filename
            limit = timeout.get(prep.exercise.name, DEFAULT_TIMEOUT) if isinstance(timeout, dict) else timeout
            if name in submission.problems:
                runs.append(RawRun("missing", f"{name} {submission.problems[name]}"))
                continue
            if name not in submission.files:
                runs.append(RawRun("missing", f"{name} not found in the submission (the grader looked in every "
                                              f"subfolder, for near-miss names too)."))
                continue
            for _ in range(2):
                try:
                    if server is None or not server.alive:
                        server = Server(mode, uid, submission)
                    run = server.run(prep, limit, memory, output)
                    break
                except ServerGone:
                    server = None
                    run = RawRun("grader error", "grader error: the graded process's server ended unexpectedly.")
                except RuntimeError as exc:
                    server = None
                    run = RawRun("grader error", f"grader error: {exc}")
                    break
            runs.append(run)
    finally:
        if server is not None:
            server.close()
    return runs


_SIGNALS = {int(s): s.name for s in signal.Signals}


def _learner_line(tail, folder):
    """'line N of FILE' where a crash or a timeout dump (faulthandler) found the learner's code, else ''.

    `folder` is a regular expression for the submission folder as the graded process saw it.
    """
    text = tail.decode(errors="replace")
    for dump in reversed(text.split("most recent call first")[1:]):
        match = re.search(rf'File "{folder}/(\w+\.py)", line (\d+)', dump)
        if match:
            return f"line {match.group(2)} of {match.group(1)}"
    return ""


def interpret(prep, got, mode, timeout):
    """What a graded process's frames, exit status and output mean: a :class:`RawRun`."""
    exercise = prep.exercise
    if got.too_much:
        return RawRun("invalid", "the graded process sent far too much data; nothing could be graded.")
    if got.too_loud:
        return RawRun("output_limit", "your code printed more than the output limit (about 1 MB); remove the "
                                      "prints inside loops.")
    try:
        frames = split_frames(got.results)
    except WireError as exc:
        return RawRun("invalid", f"the graded process sent malformed data ({exc}); nothing could be graded.")
    run, started, imported, done, current = RawRun("ok"), False, False, False, None
    for frame in frames:
        kind = frame["type"]
        if kind == "sandbox_error":
            return RawRun("grader error", f"grader error: {str(frame.get('error'))[:300]}")
        if kind == "start":
            started = True
        elif kind == "import_error":
            return RawRun("import_error", f"could not import {exercise.filename}: {str(frame.get('error', ''))[:600]}",
                          notes=run.notes)
        elif kind in ("imported", "done"):
            imported, done = True, done or kind == "done"
            notes = frame.get("notes")
            if isinstance(notes, list):
                run.notes = list(dict.fromkeys(str(n)[:400] for n in notes[:20]))
        elif kind == "call":
            current = frame.get("id") if frame.get("id") in prep.by_id else None
        elif kind == "case" and frame.get("id") in prep.by_id and frame["id"] not in run.results:
            run.results[frame["id"]] = _case_result(frame)
            for name in frame.get("forbidden") or []:
                if isinstance(name, str) and name[:80] not in run.forbidden:
                    run.forbidden.append(name[:80])
            for name in frame.get("fallbacks") or []:
                if name in exercise.uses and name not in run.fallbacks:
                    run.fallbacks.append(name)
    rc = os.waitstatus_to_exitcode(got.status) if got.status is not None else -signal.SIGKILL
    signum = -rc if rc < 0 else None
    where = _learner_line(got.tail, "/submission" if mode.name == "sandbox" else r'[^"]*/submission')
    if not started and not got.timed_out:
        last = (got.tail.decode(errors="replace").strip().splitlines() or [f"exit status {rc}"])[-1][:200]
        return RawRun("grader error", f"grader error: the graded process did not start ({last}).")
    if got.timed_out:
        return RawRun("timeout", f"stopped after {timeout:g} s of wall-clock time: an infinite loop, or far too "
                                 f"slow?{f' It was running {where}.' if where else ''} (The other exercises are "
                                 f"still graded.)", notes=run.notes)
    if signum in (signal.SIGXCPU, signal.SIGKILL) and got.cpu >= int(timeout) + 0.5:
        return RawRun("timeout", f"stopped after using its CPU-time limit: an infinite loop?"
                                 f"{f' It was running {where}.' if where else ''}", notes=run.notes)
    if any(r.error_type == "MemoryError" for r in run.results.values()) or b"MemoryError" in got.tail and not done:
        return RawRun("memory", "ran out of memory (MemoryError): does your code build a huge array?", notes=run.notes)
    exits = [r for r in run.results.values() if r.error_type == "SystemExit"]
    if exits:
        return RawRun("exited", f"{exits[0].error}: the grader needs your function to return.", notes=run.notes)
    if not done:
        during = f" while running {prep.by_id[current].about}" if current else (" on import" if not imported else "")
        if signum:
            return RawRun("crashed", f"the process crashed ({_SIGNALS.get(signum, f'signal {signum}')}){during}"
                                     f"{f', at {where}' if where else ''}.", notes=run.notes)
        return RawRun("exited", f"the process ended early (exit code {rc}){during}: does your code call "
                                f"os._exit() or exit()?", notes=run.notes)
    return run


def _case_result(frame):
    try:
        result = CaseResult(ok=frame.get("ok") is True, error_type=str(frame.get("error_type", ""))[:100],
                            error=str(frame.get("error", ""))[:800],
                            warnings=[str(w)[:400] for w in frame.get("warnings")[:20]]
                            if isinstance(frame.get("warnings"), list) else [])
        if result.ok:
            result.value = decode(frame.get("value"))
        result.args_after = decode(frame.get("args_after"))
        return result
    except (WireError, RecursionError) as exc:
        return CaseResult(ok=False, error_type="Unreadable",
                          error=f"your result is not numbers the grader can read ({exc}): return arrays, floats, "
                                f"ints, or dicts and lists of them keyed by ints or strings.")


# -- whole submissions ----------------------------------------------------------------------------------------

def _error_result(name, message, secret, assignment=None):
    exercise = get(name)
    try:
        prep = prepare(name, secret, assignment)
        checks = [CheckResult(c.label, c.group, 0.0, c.points, "") for c in prep.checks]
        max_points = prep.max_points
    except Exception:
        checks = []
        max_points = float(assignment.points[exercise.name] if assignment else exercise.points)
    return ExerciseResult(exercise.name, 0.0, max_points, "grader error", [message], [], checks)


def _cross_notes(results):
    """Tell a learner when an earlier exercise this one uses is not done (it was graded with a correct one)."""
    by_name = {e.name: e for e in results}
    for e in results:
        if e.status in ("not implemented", "missing", "grader error", "import_error"):
            continue
        for owner in {OWNER[f].name: OWNER[f] for f in get(e.name).uses}.values():
            other = by_name.get(owner.name)
            if other is None or other.points >= other.max_points:
                continue
            state = {"not implemented": "is not written yet (it still raises NotImplementedError)",
                     "missing": "is missing"}.get(other.status, "is not right yet")
            e.notes.append(f"Your {owner.filename} (exercise {owner.number}) {state}; this exercise needs it and "
                           f"was graded with correct versions of its functions, so that costs exercise "
                           f"{owner.number} only.")


def grade_many(folders, timeout=None, jobs=None, memory=DEFAULT_MEMORY, output=DEFAULT_OUTPUT,
               exercises=None, secret=None, mode=None, assignment=None):
    """Grade several submissions ({student: folder or :class:`Submission`}), every (student, exercise) in parallel.

    Parameters
    ----------
    folders : dict {student: path or Submission}
        A folder is read by the one collector (:func:`~backprop_course.grading.collect.collect`).
    timeout : float, optional
        Wall-clock seconds per exercise; default: the assignment's time limits (20 s).
    exercises : dict {student: list of exercise names}, optional
        Default: the assignment's exercises (every exercise without one).
    secret : str or bytes, optional
        The deployment secret of the hidden cases; default: the ``BACKPROP_GRADER_SECRET`` environment
        variable, else the visible cases.
    mode : sandbox.Mode, optional
        Default: :func:`sandbox.detect`.
    assignment : Assignment or path, optional
        Which exercises, their points, time limits and private cases
        (:mod:`~backprop_course.grading.assignment`); default: every exercise, 10 points, 20 s.

    Returns
    -------
    dict {student: SubmissionResult}, in the order of `folders`. A submission that cannot be read gets
    a ``grader error`` for each exercise; nothing here raises for a bad submission.
    """
    from .assignment import load

    mode = mode or sandbox.detect()
    if mode.name == "root":
        warnings.warn(f"{mode.detail} Install bubblewrap.", RuntimeWarning, stacklevel=2)
    secret = secret_bytes(secret if secret is not None else os.environ.get(SECRET_ENV) or None)
    assignment = load(assignment, secret)
    limits = dict(assignment.time_limits) if timeout is None else float(timeout)
    wanted = {student: [get(n).name for n in (exercises or {}).get(student, assignment.exercises)]
              for student in folders}
    jobs = max(1, jobs or os.cpu_count() or 1)
    # One server (one sandbox) per chunk of a submission's exercises: one chunk per submission, or more
    # when there are fewer submissions than parallel jobs.
    split = max(1, -(-jobs // max(1, len(folders))))
    chunks = [(student, names[i::split]) for student, names in wanted.items() for i in range(min(split, len(names)))]
    slots = sandbox.Slots(mode, max(1, min(jobs, len(chunks))))
    loaded, locks = {}, {student: threading.Lock() for student in folders}

    def load_submission(student):
        with locks[student]:                    # read just before this student's first exercise
            if student not in loaded:
                source = folders[student]
                try:
                    loaded[student] = source if isinstance(source, Submission) else collect(source, wanted[student])
                except SubmissionError as exc:
                    loaded[student] = exc
            return loaded[student]

    def grade(chunk):
        student, names = chunk
        done = {}
        try:
            sub = load_submission(student)
            if isinstance(sub, SubmissionError):
                return {name: _error_result(name, f"grader error: {sub}", secret, assignment) for name in names}
            preps = [prepare(name, secret, assignment) for name in names]
            with slots.slot() as uid:
                runs = run_exercises(preps, sub, mode, uid, limits, memory, output)
            for prep, run in zip(preps, runs, strict=True):
                try:
                    done[prep.exercise.name] = score(prep, run)
                except Exception as exc:   # a scoring bug is a row, never a crash
                    done[prep.exercise.name] = _error_result(prep.exercise.name, f"grader error: "
                                                             f"{type(exc).__name__}: {str(exc)[:300]}", secret,
                                                             assignment)
        except Exception as exc:   # every task is wrapped: a grader error is a row, never a crash
            message = f"grader error: {type(exc).__name__}: {str(exc)[:300]}"
            done.update({name: _error_result(name, message, secret, assignment) for name in names
                         if name not in done})
        return done

    with slots, ThreadPoolExecutor(max_workers=slots.size) as pool:
        graded = {}
        for (student, _), done in zip(chunks, pool.map(grade, chunks), strict=True):
            graded.setdefault(student, {}).update(done)
    # Every graded process is dead here (each server is closed, its pid namespace or uid emptied).
    submissions = {}
    for student in folders:
        results = [graded[student][name] for name in wanted[student]] if wanted[student] else []
        _cross_notes(results)
        sub = loaded.get(student)
        notes = [f"grader error: {sub}"] if isinstance(sub, SubmissionError) else list(getattr(sub, "notes", []))
        source = folders[student].source if isinstance(folders[student], Submission) else str(folders[student])
        submissions[student] = SubmissionResult(source, results, mode.name, mode.detail, notes,
                                                None if isinstance(sub, SubmissionError) else sub, assignment)
    return submissions


def grade_submission(submission_dir, exercises=None, timeout=None, jobs=None, memory=DEFAULT_MEMORY,
                     output=DEFAULT_OUTPUT, reference=False, secret=None, assignment=None):
    """Grade every exercise of one submission, in parallel; a :class:`SubmissionResult`.

    Parameters
    ----------
    submission_dir : path or Submission
        A folder holding ``ex01_sigmoid.py`` ... (in any subfolder; missing files get 0). Ignored when
        `reference`.
    exercises : list of str, optional
        Exercise names (default: the assignment's, in notebook order).
    timeout : float, optional
        Wall-clock seconds per exercise (default: the assignment's time limits, 20 s).
    jobs : int, optional
        Parallel graded processes (default: the number of cores).
    reference : bool
        Grade the reference solutions instead (from a checkout of the repository; CI: full marks).
    secret : str or bytes, optional
        Draw hidden cases from this deployment secret (default: ``BACKPROP_GRADER_SECRET``).
    assignment : Assignment or path, optional
        See :func:`grade_many`.
    """
    from .assignment import load

    if reference and not SOLUTIONS_DIR.is_dir():
        raise FileNotFoundError(f"the reference solutions are not installed ({SOLUTIONS_DIR} does not exist): they "
                                f"ship only in a checkout of the repository, not in the package.")
    assignment = load(assignment, secret_bytes(secret if secret is not None else os.environ.get(SECRET_ENV) or None))
    names = [get(n).name for n in (exercises or assignment.exercises)]
    source = SOLUTIONS_DIR if reference else submission_dir
    return grade_many({"submission": source}, timeout=timeout, jobs=jobs, memory=memory, output=output,
                      exercises={"submission": names}, secret=secret, assignment=assignment)["submission"]


def grade_exercise(name, submission_dir, timeout=None, memory=DEFAULT_MEMORY, output=DEFAULT_OUTPUT,
                   secret=None, assignment=None):
    """Grade one exercise of a submission folder (``exercises/``): an :class:`ExerciseResult`."""
    result = grade_submission(submission_dir, exercises=[name], timeout=timeout, jobs=1, memory=memory,
                              output=output, secret=secret, assignment=assignment)
    return result.exercises[0]
