"""The graded process: one exercise's cases run on a learner's files; raw results go back as frames.

The harness starts one server per submission as ``python -I -S -B child.py SETTINGS`` (inside the
sandbox when there is one). The server imports numpy once, then for each exercise receives a request
and three pipes over its control socket and forks a fresh process, which sets hard limits, drops to
the slot's unprivileged uid, reads its job (the cases and the oracle's table) and runs it; the server
waits for it (killing it at the time limit), kills whatever it left running, empties ``/tmp`` and
reports how it ended. This file and ``wire.py`` next to it are the whole runtime: the standard library
and numpy, never the course library. Nothing a graded process sends is trusted: learner code may
change anything in its own process, so the parent checks every frame and computes every score itself.

What the learner's code finds here:

- its own exercise files, imported one top-level statement at a time: a statement that fails when the
  file is imported (debugging code, a notebook leftover) is skipped and reported as a note, so it never
  costs the exercise;
- the functions of the earlier exercises this one uses (``from ex02_forward import forward``, or
  ``backprop_course.forward``), answered by an oracle: the reference values for exactly the inputs a
  correct solution passes them, precomputed by the grader. Other inputs fall back to the learner's own
  function, and the feedback says so;
- ``import backprop_course``: a stand-in holding only those helpers. Any other name of the library is a
  placeholder: called at import time it does nothing (a note says so); called while the exercise is
  graded it raises an error that says why, and for the exercise's own answer the exercise scores 0.
"""

import sys

SUBMISSION = "/submission"
_MISS = object()


def _send_raw(fd, obj):
    """A frame without wire.py (before numpy is importable): length prefix and JSON."""
    import json
    import os
    import struct

    data = json.dumps(obj).encode()
    os.write(fd, struct.pack(">I", len(data)) + data)


def _limit(limits):
    """Hard resource limits: soft = hard, so the graded code cannot raise them again."""
    import resource

    for name, value in limits.items():
        which = getattr(resource, name, None)
        if which is None:                     # a platform without this limit (the tests check Linux's)
            continue
        _, hard = resource.getrlimit(which)
        value = value if hard == resource.RLIM_INFINITY else min(value, hard)
        soft = value
        if name == "RLIMIT_CPU":             # SIGXCPU at the soft limit, SIGKILL one second later
            value = value + 1 if hard == resource.RLIM_INFINITY else min(value + 1, hard)
        try:
            resource.setrlimit(which, (soft, value))
        except (ValueError, OSError):         # macOS refuses some (RLIMIT_AS); Linux never refuses a lower one
            pass


def _drop(uid, fd):
    """Become `uid` (and its group) for good, with no supplementary groups; stop if that fails."""
    import os

    try:
        os.setgroups([])
        os.setresgid(uid, uid, uid)
        os.setresuid(uid, uid, uid)
        dropped = os.getresuid() == (uid, uid, uid) and os.getresgid() == (uid, uid, uid) and not os.getgroups()
    except OSError as exc:
        dropped, reason = False, str(exc)
    else:
        reason = "the ids did not change"
    if not dropped:
        _send_raw(fd, {"type": "sandbox_error", "error": f"could not switch to uid {uid}: {reason}"})
        os._exit(70)


class _State:
    graded = False                 # True only while a case calls the learner's function
    forbidden = ()                 # library names that are this exercise's answer
    called = []                    # forbidden names called while graded (this case)
    fallbacks = set()              # helpers whose oracle missed while graded (this case)
    helpers = {}                   # name -> oracle-backed function
    helper_text = ""
    notes = {}                     # (file, line) -> note


def _learner_line():
    """(file name, line) of the innermost frame running a submission file, or None."""
    import os

    frame = sys._getframe(1)
    while frame is not None:
        if os.path.dirname(frame.f_code.co_filename) == SUBMISSION:
            return os.path.basename(frame.f_code.co_filename), frame.f_lineno
        frame = frame.f_back
    return None


def _note(where, text):
    if where is not None and where not in _State.notes and len(_State.notes) < 20:
        _State.notes[where] = f"{where[0]}, line {where[1]}: {text}"


def _describe(exc):
    try:
        if isinstance(exc, SyntaxError):             # name the file that has it: it may be another exercise's
            import os

            where = f" in {os.path.basename(exc.filename)}" if exc.filename else ""
            text = (exc.text or "").strip()[:120]
            return f"{type(exc).__name__}{where}, line {exc.lineno}: {exc.msg}{f' ({text})' if text else ''}"
        return f"{type(exc).__name__}: {str(exc)[:300]}"
    except BaseException:
        return type(exc).__name__


def _warning_where():
    """' (in FILE, line N, function NAME: TEXT)' for the innermost submission frame running now, or ''."""
    import linecache
    import os

    frame = sys._getframe(1)
    while frame is not None:
        if os.path.dirname(frame.f_code.co_filename) == SUBMISSION:
            code = frame.f_code
            text = linecache.getline(code.co_filename, frame.f_lineno).strip()[:120]
            return f" (in {os.path.basename(code.co_filename)}, line {frame.f_lineno}, function {code.co_name}: {text})"
        frame = frame.f_back
    return ""


# -- the stand-in for the course library ----------------------------------------------------------------

class LibraryUnavailable(RuntimeError):
    """A course-library name called while the exercise is graded."""


def _library_call(name):
    short = name.rsplit(".", 1)[-1]
    if not _State.graded:
        _note(_learner_line(), f"calls {name}, which does not exist while grading (graded code gets numpy and your "
                               f"own exercise files{_State.helper_text}), so this line did nothing. Keep such "
                               f"checks in the notebook.")
        return Unavailable(f"{name}(...)")
    if short in _State.forbidden:
        _State.called.append(name)
        raise LibraryUnavailable(f"{name} is the library's own solution of this exercise; the grader does not allow "
                                 f"it while grading. Write the computation yourself.")
    raise LibraryUnavailable(f"{name} is not available while grading: graded code gets numpy and your own exercise "
                             f"files{_State.helper_text}. Write what you need with numpy.")


class Unavailable:
    """A name of the course library that does not exist while grading (see the module docstring)."""

    def __init__(self, name):
        object.__setattr__(self, "_name", name)

    def __getattr__(self, attr):
        if attr.startswith("__") and attr.endswith("__"):
            raise AttributeError(attr)
        return _State.helpers.get(attr) or Unavailable(f"{self._name}.{attr}")

    def __setattr__(self, attr, value):
        pass                                   # monkeypatching the absent library changes nothing

    def __call__(self, *args, **kwargs):
        return _library_call(self._name)

    def __getitem__(self, key):
        return Unavailable(f"{self._name}[...]")

    def __iter__(self):
        raise TypeError(f"{self._name} is not available while grading")

    def __repr__(self):
        return f"<{self._name}: not available while grading>"


def _library_module(name):
    import types

    class LibraryModule(types.ModuleType):
        def __getattr__(self, attr):
            if attr.startswith("__") and attr.endswith("__"):
                raise AttributeError(attr)
            return _State.helpers.get(attr) or Unavailable(f"{self.__name__}.{attr}")

    module = LibraryModule(name, "The course library's stand-in while grading: only earlier exercises' helpers.")
    module.__path__ = []
    return module


class _LibraryFinder:
    """``import backprop_course`` (and any submodule) gives the stand-in."""

    @staticmethod
    def find_spec(fullname, path=None, target=None):
        if fullname == "backprop_course" or fullname.startswith("backprop_course."):
            import importlib.machinery

            return importlib.machinery.ModuleSpec(fullname, _LibraryLoader(), is_package=True)
        return None


class _LibraryLoader:
    @staticmethod
    def create_module(spec):
        return _library_module(spec.name)

    @staticmethod
    def exec_module(module):
        pass


# -- the learner's files, imported one statement at a time ------------------------------------------------

class _StatementLoader:
    """Runs a submission file's top-level statements one by one; one that raises is skipped with a note."""

    def __init__(self, path):
        self.path = path

    @staticmethod
    def create_module(spec):
        return None

    def exec_module(self, module):
        import __future__

        import ast
        import os

        with open(self.path, "rb") as f:
            source = f.read()
        tree = compile(source, self.path, "exec", ast.PyCF_ONLY_AST, dont_inherit=True)   # SyntaxError: whole file
        flags = 0
        for node in tree.body:
            if isinstance(node, ast.ImportFrom) and node.module == "__future__":
                for alias in node.names:
                    flags |= getattr(__future__, alias.name, None).compiler_flag
        name = module.__name__.removeprefix("your_")
        for node in tree.body:
            code = compile(ast.Module(body=[node], type_ignores=[]), self.path, "exec", flags=flags, dont_inherit=True)
            try:
                exec(code, module.__dict__)
            except BaseException as exc:   # noqa: B036  (SystemExit at import too: a note, not a verdict)
                other = getattr(exc, "filename", None) if isinstance(exc, SyntaxError) else None
                if other and os.path.basename(other) != f"{name}.py":
                    _note((f"{name}.py", node.lineno), f"imports {os.path.basename(other)}, which has a syntax error "
                                                       f"(line {exc.lineno}: {exc.msg}), so the grader skipped this "
                                                       f"line. Fix {os.path.basename(other)} first.")
                    continue
                what = "calls exit()" if isinstance(exc, SystemExit) else f"raised {_describe(exc)}"
                _note((f"{name}.py", node.lineno), f"{what} when the file was imported, so the grader skipped this "
                                                   f"line. Module-level code runs on import: keep checks in the "
                                                   f"notebook or under `if __name__ == \"__main__\":`.")


class _SubmissionFinder:
    """Top-level modules from the submission folder (after the standard library and numpy)."""

    def __init__(self, folder):
        import os

        self.folder = folder
        self.names = {n[:-3] for n in os.listdir(folder) if n.endswith(".py") and n[:-3].isidentifier()}

    def find_spec(self, fullname, path=None, target=None):
        if path is None and fullname in self.names:
            return _spec(fullname, f"{self.folder}/{fullname}.py")
        return None


def _spec(name, path):
    import importlib.util

    return importlib.util.spec_from_file_location(name, path, loader=_StatementLoader(path))


# -- the oracle: earlier exercises' helpers answered with reference values --------------------------------

class _Keyed:
    """Answers from (args, result) pairs: equal float64 arguments, or equal to about 1e-12."""

    def __init__(self, calls, wire, np):
        self.np, self.canonical, groups, self.exact = np, wire.canonical, {}, {}
        for args_enc, result_enc in calls:
            args, result = wire.decode(args_enc), wire.decode(result_enc)
            key, signature, flat = wire.canonical(args)
            self.exact[key] = result
            groups.setdefault(signature, ([], []))
            groups[signature][0].append(flat)
            groups[signature][1].append(result)
        self.groups = {sig: (np.stack(flats), results) for sig, (flats, results) in groups.items()}

    def __call__(self, args):
        import copy

        np = self.np
        try:
            key, signature, flat = self.canonical(args)
        except (TypeError, ValueError):
            return _MISS
        if key in self.exact:
            return copy.deepcopy(self.exact[key])
        if signature in self.groups:
            M, results = self.groups[signature]
            close = np.all(np.abs(M - flat) <= 1e-14 + 1e-12 * np.abs(flat), axis=1)
            if close.any():
                return copy.deepcopy(results[int(np.argmax(close))])
        return _MISS


class _Elementwise:
    """Answers a one-argument elementwise function from a sorted table of inputs and outputs."""

    def __init__(self, table, wire, np):
        self.np, self.x, self.y = np, wire.decode(table["x"]), wire.decode(table["y"])

    def __call__(self, args):
        np, x = self.np, self.x
        try:
            arr = np.asarray(args[0])
        except (TypeError, ValueError):
            return _MISS
        if arr.dtype.kind not in "biuf" or x.size == 0:
            return _MISS
        q = arr.astype(np.float64).ravel()
        i = np.searchsorted(x, q).clip(1, max(1, x.size - 1)) if x.size > 1 else np.zeros(q.size, dtype=int)
        pick = np.where(np.abs(q - x[i - 1]) <= np.abs(q - x[i]), i - 1, i) if x.size > 1 else i
        if not np.all(np.abs(x[pick] - q) <= 1e-14 + 1e-12 * np.abs(q)):
            return _MISS
        out = self.y[pick].reshape(arr.shape)
        return out if arr.ndim else out[()]


_OWN = {}


def _own_file(module, why):
    """The learner's own `module` file, loaded once under another name (the oracle's fallback)."""
    import importlib.util
    import os

    if module not in _OWN:
        path = f"{SUBMISSION}/{module}.py"
        if not os.path.isfile(path):
            raise LibraryUnavailable(f"{why}, and {module}.py is not in your submission.")
        spec = _spec(f"your_{module}", path)
        mod = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = mod
        spec.loader.exec_module(mod)
        _OWN[module] = mod
    return _OWN[module]


def _own(module, function):
    """The learner's own `function` from their `module` file."""
    why = f"{function} was called on values a correct solution never passes it, so your own {function} had to answer"
    found = _own_file(module, why).__dict__.get(function)
    if not callable(found):
        raise LibraryUnavailable(f"{why}, and {module}.py defines no {function}().")
    return found


def _bind(function, names, defaults, args, kwargs):
    if len(args) > len(names):
        raise TypeError(f"{function}() takes {len(names)} arguments ({', '.join(names)}) but {len(args)} were given")
    values = dict(zip(names, args, strict=False))
    for k, v in kwargs.items():
        if k not in names:
            raise TypeError(f"{function}() got an unexpected keyword argument {k!r}; it takes {', '.join(names)}")
        if k in values:
            raise TypeError(f"{function}() got multiple values for argument {k!r}")
        values[k] = v
    missing = [k for k in names if k not in values and k not in defaults]
    if missing:
        raise TypeError(f"{function}() is missing the argument {missing[0]!r}")
    return tuple(values[k] if k in values else defaults[k] for k in names)


def _helper(function, spec, answer):
    names, defaults = spec["args"], spec["defaults"]

    def helper(*args, **kwargs):
        values = _bind(function, names, defaults, args, kwargs)
        found = answer(values)
        if found is not _MISS:
            return found
        if _State.graded:
            _State.fallbacks.add(function)
        return _own(spec["module"], function)(*values)

    helper.__name__ = helper.__qualname__ = function
    helper.__module__ = spec["module"]
    helper.__doc__ = f"{function} of exercise {spec['number']}, answered by the grader while this exercise is graded."
    return helper


def _helper_module(name):
    import types

    class HelperModule(types.ModuleType):
        def __getattr__(self, attr):
            if attr.startswith("__") and attr.endswith("__"):
                raise AttributeError(attr)
            return getattr(_own_file(self.__name__, f"{self.__name__}.{attr} was imported"), attr)

    return HelperModule(name)


# -- running the cases ----------------------------------------------------------------------------------

def _where(exc):
    import os
    import traceback

    try:
        frames = [f for f in traceback.extract_tb(exc.__traceback__) if os.path.dirname(f.filename) == SUBMISSION]
    except BaseException:
        return ""
    if not frames:
        return ""
    f = frames[-1]
    return f" (in {os.path.basename(f.filename)}, line {f.lineno}: {(f.line or '').strip()[:120]})"


def run_exercise(job, fd, timeout):
    """Import the exercise's file and call its function on every case; frames go to `fd`."""
    import faulthandler
    import importlib
    import warnings

    import numpy as np
    import wire

    faulthandler.enable()                    # a crash prints where it happened: the parent names the line
    faulthandler.dump_traceback_later(max(1.0, timeout - 0.5), exit=False)
    _State.forbidden = set(job["forbidden"])
    for function, spec in job["helpers"].items():
        table = job["oracle"][function]
        answer = _Elementwise(table, wire, np) if "x" in table else _Keyed(table["calls"], wire, np)
        spec["defaults"] = {k: wire.decode(v) for k, v in spec["defaults"].items()}
        _State.helpers[function] = _helper(function, spec, answer)
    for module in {spec["module"] for spec in job["helpers"].values()}:
        sys.modules[module] = _helper_module(module)
        for function, spec in job["helpers"].items():
            if spec["module"] == module:
                setattr(sys.modules[module], function, _State.helpers[function])
    names = sorted(job["helpers"])
    if names:
        _State.helper_text = (f", and the earlier exercises' {', '.join(names[:-1])}{' and ' if len(names) > 1 else ''}"
                              f"{names[-1]}")
    sys.meta_path.insert(0, _LibraryFinder())
    sys.meta_path.append(_SubmissionFinder(SUBMISSION))

    wire.write_frame(fd, {"type": "start"})
    try:
        module = importlib.import_module(job["exercise"])
    except SyntaxError as exc:
        wire.write_frame(fd, {"type": "import_error", "error": _describe(exc)})
        return
    except BaseException as exc:   # noqa: B036  (an unreadable file, a loader broken by the learner's code)
        wire.write_frame(fd, {"type": "import_error", "error": f"{_describe(exc)}{_where(exc)}"})
        return
    wire.write_frame(fd, {"type": "imported", "notes": list(_State.notes.values())})

    for case in job["cases"]:
        wire.write_frame(fd, {"type": "call", "id": case["id"]})
        frame = {"type": "case", "id": case["id"]}
        function = module.__dict__.get(case["func"])
        if not callable(function):
            frame.update(ok=False, error_type="MissingFunction",
                         error=f"{job['filename']} defines no function {case['func']}()")
            wire.write_frame(fd, frame)
            continue
        args = list(wire.decode(case["args"]))
        _State.called, _State.fallbacks = [], set()
        caught = []

        def record(message, category, filename, lineno, file=None, line=None, caught=caught):
            if len(caught) < 20:                 # where the learner's code was when numpy warned
                caught.append(f"{message}"[:200] + _warning_where())

        with warnings.catch_warnings():
            warnings.simplefilter("always")
            warnings.showwarning = record
            try:
                with np.errstate(over="warn", invalid="warn", divide="warn"):
                    _State.graded = True
                    value = function(*args)
                _State.graded = False
                frame.update(ok=True, value=wire.encode(value))
            except SystemExit as exc:
                _State.graded = False
                frame.update(ok=False, error_type="SystemExit",
                             error=f"your code called sys.exit({exc.code!r}) or exit()")
            except BaseException as exc:   # noqa: B036  (a learner's exception is a failed case, not a crash)
                _State.graded = False
                frame.update(ok=False, error_type=type(exc).__name__, error=f"{_describe(exc)}{_where(exc)}")
        try:
            frame["warnings"] = [str(w)[:400] for w in caught[:20]]
            frame["args_after"] = wire.encode(args)
        except BaseException:   # noqa: B036
            frame["warnings"], frame["args_after"] = [], None
        frame["forbidden"] = sorted(set(_State.called))[:5]
        frame["fallbacks"] = sorted(_State.fallbacks)
        try:
            wire.write_frame(fd, frame)
        except (TypeError, ValueError):        # a value json cannot write (the learner replaced the encoder)
            wire.write_frame(fd, {"type": "case", "id": case["id"], "ok": False, "error_type": "Unreadable",
                                  "error": "the result could not be sent back to the grader"})
    wire.write_frame(fd, {"type": "done", "notes": list(_State.notes.values())})


# -- the server: one per submission, a fresh process per exercise ---------------------------------------------

def _child(control, request, fds, settings):
    """In the forked process: take the request's pipes, limit, drop privileges, run the exercise, exit."""
    import os

    control.close()
    job_r, fd, out = fds
    os.dup2(out, 1)
    os.dup2(out, 2)
    os.close(out)
    os.setsid()
    chunks = []
    while True:
        data = os.read(job_r, 1 << 20)
        if not data:
            break
        chunks.append(data)
    os.close(job_r)
    os.closerange(3, fd)                       # nothing of the server's stays open: only the result pipe
    os.closerange(fd + 1, 1 << 16)
    _limit(request["limits"])
    if settings.get("uid") is not None:
        _drop(int(settings["uid"]), fd)
    os.chdir(settings["tmp"])
    import json

    run_exercise(json.loads(b"".join(chunks)), fd, float(request["timeout"]))
    sys.stdout.flush()
    sys.stderr.flush()


def _wait(pid, timeout):
    """Wait for process `pid` at most `timeout` seconds, then kill it: (wait status, CPU seconds, timed out)."""
    import os
    import select
    import signal
    import time

    deadline = time.monotonic() + timeout
    try:
        pidfd = os.pidfd_open(pid)
    except (AttributeError, OSError):
        pidfd = None
    try:
        while True:
            done, status, usage = os.wait4(pid, os.WNOHANG)
            if done == pid:
                return status, usage.ru_utime + usage.ru_stime, False
            left = deadline - time.monotonic()
            if left <= 0:
                break
            if pidfd is not None:
                select.select([pidfd], [], [], left)
            else:
                time.sleep(min(left, 0.01))
    finally:
        if pidfd is not None:
            os.close(pidfd)
    os.kill(pid, signal.SIGKILL)
    _, status, usage = os.wait4(pid, 0)
    return status, usage.ru_utime + usage.ru_stime, True


def _live_pids(uid=None):
    """Processes other than this one and pid 1 (of `uid`, if given) that are not zombies."""
    import os

    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit() or int(entry) in (1, os.getpid()):
            continue
        try:
            with open(f"/proc/{entry}/status") as f:
                fields = dict(line.split(":", 1) for line in f if ":" in line)
        except OSError:
            continue
        if fields.get("State", "").strip().startswith("Z"):
            continue
        if uid is None or int(fields.get("Uid", "-1").split()[0]) == uid:
            found.append(int(entry))
    return found


def _cleanup(settings, pid):
    """After an exercise: no process it started survives, and its files in the private /tmp are gone."""
    import os
    import shutil
    import signal
    import time

    mode, uid = settings["mode"], settings.get("uid")
    for _ in range(100):
        if mode == "sandbox":                  # this pid namespace holds only us, bwrap and the exercise's leftovers
            leftovers = _live_pids()
            for other in leftovers:
                try:
                    os.kill(other, signal.SIGKILL)
                except OSError:
                    pass
        elif mode == "unprivileged" and uid is not None:
            leftovers = _live_pids(uid)
            if leftovers:
                killer = os.fork()
                if killer == 0:
                    try:
                        os.setresuid(uid, uid, uid)
                        os.kill(-1, signal.SIGKILL)
                    finally:
                        os._exit(0)
                os.waitpid(killer, 0)
        else:                                  # same user, no namespace: the exercise's own session
            leftovers = []
            try:
                os.killpg(pid, signal.SIGKILL)
            except OSError:
                pass
        if not leftovers:
            break
        time.sleep(0.005)
    for name in os.listdir(settings["tmp"]):
        path = os.path.join(settings["tmp"], name)
        shutil.rmtree(path, ignore_errors=True) if os.path.isdir(path) and not os.path.islink(path) else os.unlink(path)


def serve(settings):
    """Receive run requests on the control socket; fork a fresh process for each; report how it ended."""
    import os
    import socket

    global SUBMISSION
    SUBMISSION = settings["submission"]
    here = os.path.dirname(os.path.abspath(__file__))
    sys.path[:0] = [here, *settings["paths"]]
    import numpy  # noqa: F401  (loaded once here, shared by every exercise's process)
    import wire

    try:                                       # same-uid exercises may not inspect this process
        import ctypes

        ctypes.CDLL(None).prctl(4, 0, 0, 0, 0)     # PR_SET_DUMPABLE = 0
    except (OSError, AttributeError):
        pass
    control = socket.socket(fileno=int(settings["control"]))
    wire.send_message(control, {"type": "ready"})
    while True:
        try:
            request, fds = wire.recv_message(control, 3)
        except (OSError, ValueError):
            break
        if request is None or len(fds) != 3:
            for fd in fds:
                os.close(fd)
            break
        pid = os.fork()
        if pid == 0:
            try:
                _child(control, request, fds, settings)
            except BaseException:   # noqa: B036  (before the learner's code runs: a grader error, with its reason)
                import traceback

                traceback.print_exc()
            finally:
                os._exit(0)
        for fd in fds:
            os.close(fd)
        status, cpu, timed_out = _wait(pid, float(request["timeout"]))
        _cleanup(settings, pid)
        wire.send_message(control, {"type": "exit", "status": status, "cpu": cpu, "timed_out": timed_out})
    os._exit(0)


if __name__ == "__main__":
    import json

    serve(json.loads(sys.argv[1]))
