"""Where graded code runs: a bubblewrap sandbox, or a weaker fallback that says so.

:func:`detect` picks the strongest mode this machine allows, once per process:

``sandbox``
    bubblewrap (``bwrap``, Debian package ``bubblewrap``, 0.5 or later). New pid, network, ipc and uts
    namespaces: no process outlives its exercise, nothing is reachable over the network. A read-only
    file system that holds only the system's shared libraries, the interpreter and its standard
    library (every site-packages and dist-packages folder hidden), numpy, the two runtime files
    (``child.py``, ``wire.py``) and this submission, plus a private 64 MB ``/tmp``. Run as root, the
    grader gives each parallel slot its own unprivileged uid, which the graded process switches to
    before any learner code runs (a real drop: a root-only file stays unreadable). Run by another
    user, bubblewrap adds a user namespace and the code keeps that user's uid.
``unprivileged``
    No namespaces (no bubblewrap, or a container that forbids them), but the grader is root and the
    interpreter and numpy are usable by anyone: each slot's own unprivileged uid, hard limits, a
    private folder; leftover processes are killed by uid. The code can read whatever that uid may read.
``unsandboxed``
    Not root and no bubblewrap: the code runs as the grader's own user, with hard limits only.
``root``
    Root, no bubblewrap, and the interpreter is not usable by an unprivileged uid (e.g. pyenv under
    a 0700 ``/root``): the code would run as root.

In every mode the graded process gets hard limits on memory, CPU time, file size and open files (and
thread count when it has its own uid) and, on Linux, a system-call filter that lets it start no process
(:func:`~backprop_course.grading.child._seccomp`), sees the course library only as the stand-in of
:mod:`~backprop_course.grading.child`, and runs in a fresh ``python -I -S -B``. ``grade-all`` needs
``sandbox`` and the Gradescope bundle ``sandbox`` or ``unprivileged``, unless ``--unsafe-no-sandbox``.

Environment variables: ``BACKPROP_GRADER_SANDBOX`` asks for a weaker mode (``unprivileged`` or
``unsandboxed``; for tests and debugging); ``BACKPROP_GRADER_FIRST_UID`` moves the slots' uids
(default 62000: uid 62000 + slot, skipping any uid that has a passwd entry or a running process).
"""

import os
import queue
import shutil
import signal
import stat
import subprocess
import sys
import sysconfig
import tempfile
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

RUNTIME = (Path(__file__).resolve().with_name("child.py"), Path(__file__).resolve().with_name("wire.py"))
MODE_ENV, UID_ENV = "BACKPROP_GRADER_SANDBOX", "BACKPROP_GRADER_FIRST_UID"
FIRST_UID = 62000
TMP_BYTES = 64 * 1024 ** 2
INSIDE = "/opt/backprop-grader"             # where the runtime and numpy appear inside the sandbox
SYSTEM_LIBS = ("/usr/lib", "/usr/lib64", "/usr/lib32", "/usr/libx32", "/lib", "/lib64", "/lib32", "/libx32")
MODES = ("sandbox", "unprivileged", "unsandboxed", "root")


@dataclass(frozen=True)
class Mode:
    """How graded code runs here: `name` (one of MODES) and one sentence for people."""

    name: str
    detail: str

    def allows(self, command, unsafe=False):
        """None when `command` ("grade-all" or "gradescope") may run in this mode, else why it refuses."""
        needed = {"grade-all": ("sandbox",), "gradescope": ("sandbox", "unprivileged")}.get(command, MODES)
        if self.name in needed or unsafe:
            return None
        return (f"{command} refuses to run graded code here: {self.detail} Install bubblewrap (Debian: "
                f"apt-get install bubblewrap) and run as root, or pass --unsafe-no-sandbox to grade anyway.")


def interpreter():
    """The real interpreter binary (a virtual environment's python is a link to it)."""
    return os.path.realpath(sys.executable)


def numpy_dirs():
    """numpy's package folder, and numpy.libs next to it when the wheel bundles its libraries."""
    import numpy

    package = os.path.dirname(os.path.realpath(numpy.__file__))
    libs = os.path.join(os.path.dirname(package), "numpy.libs")
    return [package] + ([libs] if os.path.isdir(libs) else [])


def _python_dirs():
    paths = sysconfig.get_paths()
    found = [sysconfig.get_config_var("LIBDIR"), paths.get("stdlib"), sysconfig.get_config_var("DESTSHARED")]
    return [os.path.realpath(p) for p in found if p and os.path.isdir(p)]


def _under(path, folders):
    return any(path == f or path.startswith(f.rstrip("/") + "/") for f in folders)


def _package_dirs(folder):
    """Every Python package folder (site-packages, dist-packages) under `folder`: hidden in the sandbox."""
    found = []
    for parent, dirs, _ in os.walk(folder):
        keep = []
        for name in dirs:
            if name in ("site-packages", "dist-packages"):
                found.append(os.path.join(parent, name))
            elif not os.path.islink(os.path.join(parent, name)):
                keep.append(name)
        dirs[:] = keep
    return sorted(found)


_BASE = None


def _bwrap_base():
    """The bubblewrap arguments every graded process shares (computed once)."""
    global _BASE
    if _BASE is not None:
        return _BASE
    args = ["--unshare-pid", "--unshare-net", "--unshare-ipc", "--unshare-uts", "--unshare-cgroup-try",
            "--die-with-parent", "--new-session", "--proc", "/proc", "--dev", "/dev",
            "--perms", "1777", "--size", str(TMP_BYTES), "--tmpfs", "/tmp"]
    if os.geteuid() != 0:
        args.insert(0, "--unshare-user")
    made, mounted = {"/", "/proc", "/dev", "/tmp"}, []

    def parents(path):
        for ancestor in reversed(Path(path).parents):
            if str(ancestor) not in made:
                made.add(str(ancestor))
                args.extend(["--perms", "0755", "--dir", str(ancestor)])

    def bind(source, target=None):
        target = target or source
        parents(target)
        args.extend(["--ro-bind", source, target])

    for folder in SYSTEM_LIBS:
        if os.path.islink(folder):
            parents(folder)
            args.extend(["--symlink", os.readlink(folder), folder])
        elif os.path.isdir(folder):
            bind(folder)
            mounted.append(folder)
    for path in ("/etc/ld.so.cache", "/etc/alternatives", interpreter(), *_python_dirs()):
        if os.path.exists(path) and not _under(path, mounted):
            bind(path)
            mounted.append(path)
    for folder in mounted:
        for hidden in _package_dirs(folder) if os.path.isdir(folder) else ():
            args.extend(["--perms", "0555", "--size", "65536", "--tmpfs", hidden])
    for path in numpy_dirs():
        bind(path, f"{INSIDE}/lib/{os.path.basename(path)}")
    for path in RUNTIME:
        bind(str(path), f"{INSIDE}/runtime/{path.name}")
    _BASE = args
    return args


def bwrap_command(submission, python_args):
    """The full command line: bubblewrap, the shared mounts, this `submission` folder, then python."""
    return [shutil.which("bwrap") or "bwrap", *_bwrap_base(), "--ro-bind", str(submission), "/submission",
            "--remount-ro", "/", "--chdir", "/tmp", "--", interpreter(), *python_args]


# -- which mode ------------------------------------------------------------------------------------------

def _accessible_to_all(path):
    """True when anyone may read `path` (and execute it if it is a program) and search its folders."""
    try:
        path = Path(os.path.realpath(path))
        st = path.stat()
        if not st.st_mode & 0o004 or (path.is_dir() or os.access(path, os.X_OK)) and not st.st_mode & 0o001:
            return False
        return all(parent.stat().st_mode & 0o001 for parent in path.parents)
    except OSError:
        return False


def _probe(uid):
    """Why bubblewrap cannot run a graded process here, or None when it can (a tiny real run)."""
    if shutil.which("bwrap") is None:
        return "bubblewrap (bwrap) is not installed"
    code = (f"import os, sys; sys.path.insert(0, {INSIDE + '/lib'!r}); import numpy; "
            f"open({INSIDE + '/runtime/child.py'!r}).close(); "
            + (f"os.setgroups([]); os.setresgid({uid}, {uid}, {uid}); os.setresuid({uid}, {uid}, {uid}); "
               f"import json; " if uid is not None else "")
            + "print('sandbox ok')")
    empty = tempfile.mkdtemp(prefix="bp-probe-")
    try:
        proc = subprocess.run(bwrap_command(empty, ["-I", "-S", "-B", "-c", code]), capture_output=True, text=True,
                              timeout=60, env=child_env(), stdin=subprocess.DEVNULL)
    except (OSError, subprocess.SubprocessError) as exc:
        return f"bubblewrap could not start: {exc}"
    finally:
        os.rmdir(empty)
    if proc.stdout.strip() != "sandbox ok":
        last = (proc.stderr.strip().splitlines() or ["no message"])[-1][:200]
        return f"bubblewrap failed here: {last}"
    return None


_MODE, _MODE_LOCK = {}, threading.Lock()


def detect(request=None):
    """The :class:`Mode` graded code runs in on this machine (probed once per process and request)."""
    request = request or os.environ.get(MODE_ENV) or "sandbox"
    if request not in MODES[:3]:
        raise ValueError(f"{MODE_ENV}={request!r}: choose one of {', '.join(MODES[:3])}.")
    with _MODE_LOCK:
        if request not in _MODE:
            _MODE[request] = _detect(request)
        return _MODE[request]


def _detect(request):
    root = os.geteuid() == 0
    why = f"{MODE_ENV}={request} asks for it" if request != "sandbox" else _probe(first_uid() if root else None)
    if why is None:
        who = "an unprivileged uid of its own" if root else "your own uid, in a user namespace"
        return Mode("sandbox", f"Graded code runs in a bubblewrap sandbox as {who}: no network, no other process, "
                               f"a read-only file system with only numpy and the submission.")
    if root and request != "unsandboxed":
        if all(_accessible_to_all(p) for p in (interpreter(), *numpy_dirs())):
            return Mode("unprivileged", f"Graded code runs without a sandbox ({why}), as an unprivileged uid with "
                                        f"hard limits: it can read any file that uid may read.")
        why += f"; and {interpreter()} or numpy cannot be used by an unprivileged uid"
    if root:
        return Mode("root", f"Graded code runs as root, without a sandbox ({why}).")
    return Mode("unsandboxed", f"Graded code runs as your own user with hard limits, without a sandbox ({why}): "
                               f"fine for self-study; install bubblewrap for isolation.")


# -- one uid per parallel slot ----------------------------------------------------------------------------

def first_uid():
    return int(os.environ.get(UID_ENV, FIRST_UID))


def pids_of(uid):
    """Processes whose real uid is `uid`."""
    pids = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/status") as f:
                    uids = next(line for line in f if line.startswith("Uid:")).split()
            except (OSError, StopIteration):
                continue
            if int(uids[1]) == uid:
                pids.append(int(entry))
    return pids


def _lock_dir():
    """A folder only this user may write, where each grader process locks the uids it uses."""
    folder = os.path.join(tempfile.gettempdir(), f"backprop-grader-uids-{os.geteuid()}")
    os.makedirs(folder, mode=0o700, exist_ok=True)
    st = os.lstat(folder)
    if not stat.S_ISDIR(st.st_mode) or st.st_uid != os.geteuid() or st.st_mode & 0o077:
        raise RuntimeError(f"{folder} is not a private folder of this user; remove it or set TMPDIR.")
    return folder


def _free_uids(count):
    """`count` uids from first_uid() on, each with no passwd entry, no process, and locked for this process.

    Returns (uids, lock files): the locks keep two graders running at once from sharing a uid.
    """
    import fcntl
    import pwd

    folder, uids, locks, uid = _lock_dir(), [], [], first_uid()
    while len(uids) < count:
        if uid > first_uid() + 10 * count + 1000:
            for f in locks:
                f.close()
            raise RuntimeError(f"no free uids from {first_uid()} on; set {UID_ENV} to a free range.")
        try:
            pwd.getpwuid(uid)
        except KeyError:
            lock = open(os.path.join(folder, str(uid)), "a")
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                lock.close()
            else:
                if pids_of(uid):
                    lock.close()
                else:
                    uids.append(uid)
                    locks.append(lock)
        uid += 1
    return uids, locks


def kill_uid(uid):
    """Kill every process of `uid` (the unprivileged mode's leftovers: forks, double forks, daemons)."""
    code = "import os, signal\ntry:\n    os.kill(-1, signal.SIGKILL)\nexcept OSError:\n    pass\n"
    for _ in range(20):
        if not pids_of(uid):
            return True
        subprocess.run([interpreter(), "-I", "-S", "-c", code], user=uid, group=uid, extra_groups=[], timeout=30,
                       stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd="/")
        time.sleep(0.02)
    return not pids_of(uid)


class Slots:
    """At most `jobs` graded processes at once; as root each slot has its own unprivileged uid.

    Close it (or use it as a context manager) to release the uids for other grader processes.
    """

    def __init__(self, mode, jobs):
        self.mode, self.size, self.locks = mode, jobs, []
        self.free = queue.SimpleQueue()
        uids = [None] * jobs
        if os.geteuid() == 0 and mode.name in ("sandbox", "unprivileged"):
            uids, self.locks = _free_uids(jobs)
        for uid in uids:
            self.free.put(uid)

    @contextmanager
    def slot(self):
        uid = self.free.get()
        try:
            yield uid
        finally:
            if uid is not None and self.mode.name == "unprivileged":
                kill_uid(uid)
            self.free.put(uid)

    def close(self):
        for lock in self.locks:
            lock.close()
        self.locks = []

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def child_env():
    """The graded process's whole environment (no secret, no path of the grader)."""
    return {"PATH": "/usr/bin:/bin", "LC_ALL": "C.UTF-8", "HOME": "/tmp", "OPENBLAS_NUM_THREADS": "1",
            "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}


def kill(proc):
    """SIGKILL the process group `proc` leads (bubblewrap takes its whole pid namespace with it)."""
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
