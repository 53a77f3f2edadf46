"""A second round of attacks on the grader, beyond tests/test_grading_attacks.py: each states a guarantee.

One fixture grades a class at once, in parallel, with hidden cases (a deployment secret) and a smaller
memory limit (512 MB of address space, so the memory attacks stay small on a shared machine): two
honest students, and one student per attack with the attack in one exercise file and the reference
solutions in the others. Every attack returns the right answer only if it got around a guarantee, so
a guarantee that holds shows as a 0 on the attacked exercise; the other exercises of the attacker keep
full marks, the honest students get full marks, no graded process is left, and the grader's prepared cases
(shared by every student) are unchanged.

Kinds of attack:

- around the limits: a user namespace of its own with its own tmpfs, System V shared memory, several
  processes (each with its own address-space limit), extended attributes filling the private /tmp;
- at the parent: frames with unhashable ids, a float too large for float64, a flood of tiny frames, a
  forged "sandbox_error", a directory tree too deep for the cleanup, all to turn the learner's own
  mistake into a "grader error" (or to make the parent crash or spin);
- at the score: a step function for the sigmoid, a numerical gradient instead of backpropagation,
  a rotation instead of a shuffle;
- across students: a key left in the kernel keyring of a slot's uid, read by the next student graded
  on that uid.

Every attack checks that it runs inside the sandbox (a small pid in a new pid namespace, /submission,
an unprivileged uid) before doing anything, and does nothing otherwise. These tests need the bubblewrap
sandbox; without it they are skipped, unless BACKPROP_REQUIRE_SANDBOX=1 (CI), where they fail.
"""

import hashlib
import json
import os
import struct
import textwrap
from pathlib import Path

import numpy as np
import pytest
from submissions import make_submission

from backprop_course.grading import EXERCISE_NAMES, sandbox
from backprop_course.grading.cases import EXERCISES
from backprop_course.grading.checks import compare, prepare
from backprop_course.grading.harness import _Got, grade_many, grade_submission, interpret
from backprop_course.grading.wire import WireError, decode, split_frames

REPO = Path(__file__).resolve().parents[1]
SECRET = "red team secret"
MEMORY = 512 * 1024 ** 2

if sandbox.detect().name != "sandbox":
    reason = f"these attacks need the bubblewrap sandbox: {sandbox.detect().detail}"
    if os.environ.get("BACKPROP_REQUIRE_SANDBOX") == "1":
        raise RuntimeError(f"BACKPROP_REQUIRE_SANDBOX=1 but {reason}")
    pytest.skip(reason, allow_module_level=True)

# Every attack starts with this: it acts only where the grader's sandbox is around it.
GUARD = '''
import ctypes
import os as _os

libc = ctypes.CDLL(None, use_errno=True)
libc.shmat.restype = ctypes.c_void_p


def inside_the_sandbox():
    """A small pid (a new pid namespace), /submission holding this file, the runtime, an unprivileged uid."""
    return (_os.getpid() < 100 and _os.path.dirname(_os.path.abspath(__file__)) == "/submission"
            and _os.path.isdir("/opt/backprop-grader/runtime") and _os.getuid() >= 1000)


def attempt(bypass):
    """bypass() inside the sandbox, False anywhere else or when it raises."""
    if not inside_the_sandbox():
        return False
    try:
        return bool(bypass())
    except Exception:
        return False
'''

RIGHT = "{l: Theta[l] - alpha * D[l] for l in Theta}"
ZEROS = "{l: 0 * T for l, T in Theta.items()}"

# Writes frames on every file descriptor above 2 (the result pipe is one of them).
FORGE = '''
import json, struct

def forge(*frames, raw=b""):
    if not inside_the_sandbox():
        return
    data = raw + b"".join(struct.pack(">I", len(f)) + f for f in (json.dumps(x).encode() for x in frames))
    for fd in (int(n) for n in _os.listdir("/proc/self/fd")):
        if fd > 2:
            try:
                _os.write(fd, data)
            except OSError:
                pass
'''

# name: (exercise, source). Each ex08 attack returns the right update only if its bypass worked.
ATTACKS = {
    # A user namespace of its own makes the graded process root there: it mounts a tmpfs of any size and
    # fills it, outside the 64 MB of /tmp and outside its address-space limit (memory without a bound).
    "own_tmpfs": ("ex08_gradient_descent_step", GUARD + '''
def bypass():
    uid, (r, w) = _os.getuid(), _os.pipe()
    pid = _os.fork()                             # unshare(CLONE_NEWUSER) needs a single-threaded process
    if pid == 0:
        ok = b"0"
        try:
            libc.prctl(4, 1, 0, 0, 0)            # PR_SET_DUMPABLE, so /proc/self is this process's own
            if libc.unshare(0x10000000 | 0x00020000) == 0:          # CLONE_NEWUSER | CLONE_NEWNS
                for name, text in (("setgroups", "deny"), ("uid_map", f"0 {uid} 1"), ("gid_map", f"0 {uid} 1")):
                    with open(f"/proc/self/{name}", "w") as f:
                        f.write(text)
                if libc.mount(b"none", b"/tmp", b"tmpfs", 0, b"size=1g") == 0:
                    chunk = b"x" * (1 << 20)
                    for i in range(8):                               # 80 MB, in files under the 16 MB limit
                        with open(f"/tmp/f{i}", "wb") as f:
                            for _ in range(10):
                                f.write(chunk)
                    ok = b"1"
        except BaseException:
            pass
        _os.write(w, ok)
        _os._exit(0)
    _os.close(w)
    _os.waitpid(pid, 0)
    return _os.read(r, 1) == b"1"

BYPASSED = attempt(bypass)

def gradient_descent_step(Theta, D, alpha):
    return ''' + f"{RIGHT} if BYPASSED else {ZEROS}\n"),
    # System V shared memory lives outside the address space once detached: 5 x 256 MB under a 512 MB limit.
    "sysv_shm": ("ex08_gradient_descent_step", GUARD + '''
def bypass():
    segments, touched = [], 0
    try:
        for _ in range(5):
            sid = libc.shmget(0, 256 << 20, 0o1600)                  # IPC_PRIVATE, IPC_CREAT | 0600
            if sid < 0:
                break
            segments.append(sid)
            addr = libc.shmat(sid, None, 0)
            if addr is None or addr == ctypes.c_void_p(-1).value:
                break
            ctypes.memset(addr, 1, 256 << 20)
            libc.shmdt(ctypes.c_void_p(addr))
            touched += 1
    finally:
        for sid in segments:
            libc.shmctl(sid, 0, None)                                # IPC_RMID
    return touched == 5

BYPASSED = attempt(bypass)

def gradient_descent_step(Theta, D, alpha):
    return ''' + f"{RIGHT} if BYPASSED else {ZEROS}\n"),
    # Each process has its own address-space limit: four processes hold 4 x 300 MB at once under 512 MB.
    "processes": ("ex08_gradient_descent_step", GUARD + '''
def bypass():
    (r, w), (go_r, go_w) = _os.pipe(), _os.pipe()
    children = []
    try:
        for _ in range(4):
            pid = _os.fork()
            if pid == 0:
                try:
                    _os.close(go_w)
                    block = b"\\1" * (300 << 20)
                    _os.write(w, block[:1])
                    _os.read(go_r, 1)                                # hold it until told to stop
                finally:
                    _os._exit(0)
            children.append(pid)
        _os.close(w)
        held = b""
        while len(held) < 4:
            got = _os.read(r, 4)
            if not got:
                break
            held += got
        return len(held) == 4
    finally:
        _os.close(go_w)
        for pid in children:
            _os.waitpid(pid, 0)

BYPASSED = attempt(bypass)

def gradient_descent_step(Theta, D, alpha):
    return ''' + f"{RIGHT} if BYPASSED else {ZEROS}\n"),
    # The private /tmp holds 64 MB of data, but extended attributes are counted against its inodes: 84 MB.
    "tmp_xattrs": ("ex08_gradient_descent_step", GUARD + '''
def bypass():
    stored, value = 0, b"x" * 60000
    for i in range(1400):
        path = f"/tmp/x{i // 100}"
        if i % 100 == 0:
            open(path, "w").close()
        _os.setxattr(path, f"user.a{i}", value)
        stored += len(value)
    return stored > 64 * 1024 ** 2

BYPASSED = attempt(bypass)

def gradient_descent_step(Theta, D, alpha):
    return ''' + f"{RIGHT} if BYPASSED else {ZEROS}\n"),
    # The processes of the grader: the sandbox's init (pid 1) and the submission's server (pid 2, root).
    "grader_processes": ("ex08_gradient_descent_step", GUARD + '''
def reached():
    found = []
    extra = [n for n in _os.listdir("/proc/self/fd") if int(n) > 2]
    if len(extra) > 2:                             # the result pipe and listdir's own descriptor
        found.append(f"descriptors {extra}")
    for pid in (1, 2):
        try:
            _os.kill(pid, 0)                       # signal 0: only whether a signal would be allowed
            found.append(f"may signal {pid}")
        except OSError:
            pass
        for name in ("environ", "mem", "fd", "root/tmp", "cwd"):
            try:
                if name in ("environ", "mem"):
                    open(f"/proc/{pid}/{name}", "rb").read(1)
                else:
                    _os.listdir(f"/proc/{pid}/{name}")
                found.append(f"/proc/{pid}/{name}")
            except OSError:
                pass
        if libc.ptrace(16, pid, None, None) == 0:               # PTRACE_ATTACH
            found.append(f"ptrace {pid}")
            libc.ptrace(17, pid, None, None)                     # PTRACE_DETACH
    for path in ("/proc/sys/kernel/shmmax", "/proc/sys/kernel/hostname", "/dev/shm/x", "/submission/x"):
        try:
            with open(path, "a") as f:
                f.write("0")
            found.append(f"wrote {path}")
        except OSError:
            pass
    return found

BYPASSED = attempt(reached)

def gradient_descent_step(Theta, D, alpha):
    return ''' + f"{RIGHT} if BYPASSED else {ZEROS}\n"),
    # Frames the parent cannot hash or convert: before, any of them made every exercise of the
    # submission a "grader error"; the learner's own exercise must pay, and only it.
    "unhashable_ids": ("ex08_gradient_descent_step", GUARD + FORGE + '''
forge({"type": "call", "id": ["u_fixed1"]}, {"type": "case", "id": {"u_fixed1": 1}, "ok": True, "value": 1.0})

def gradient_descent_step(Theta, D, alpha):
    return ''' + f"{ZEROS}\n"),
    "huge_float": ("ex08_gradient_descent_step", GUARD + FORGE + '''
forge({"type": "case", "id": "u_fixed1", "ok": True, "value": {"__f__": 10 ** 400}})

def gradient_descent_step(Theta, D, alpha):
    return ''' + f"{ZEROS}\n"),
    "not_lists": ("ex08_gradient_descent_step", GUARD + FORGE + '''
forge({"type": "case", "id": "u_fixed1", "ok": True, "value": 1.0, "forbidden": 5, "fallbacks": 7})

def gradient_descent_step(Theta, D, alpha):
    return ''' + f"{ZEROS}\n"),
    # A "grader error" written by the learner's code: the verdict must stay the learner's.
    "forged_grader_error": ("ex08_gradient_descent_step", GUARD + FORGE + '''
forge({"type": "sandbox_error", "error": "could not switch to uid 62000: the ids did not change"})

def gradient_descent_step(Theta, D, alpha):
    return ''' + f"{ZEROS}\n"),
    # A tree of 1500 nested folders in /tmp: the cleanup after the exercise must survive it.
    "deep_tree": ("ex08_gradient_descent_step", GUARD + '''
def build():
    _os.chdir("/tmp")
    for _ in range(1500):
        _os.mkdir("d")
        _os.chdir("d")
    return True

attempt(build)

def gradient_descent_step(Theta, D, alpha):
    return ''' + f"{ZEROS}\n"),
    # About a million frames of a few bytes each: cheap to write, costly to parse one by one.
    "frame_flood": ("ex08_gradient_descent_step", GUARD + FORGE + '''
one = json.dumps({"type": "x"}).encode()
forge(raw=(struct.pack(">I", len(one)) + one) * 900000)

def gradient_descent_step(Theta, D, alpha):
    return ''' + f"{RIGHT}\n"),
    # Right only where any step function is right (|z| >= 705, and g' = 0 there): no value is really right.
    "step_function": ("ex01_sigmoid", '''
import numpy as np

def sigmoid(z):
    return np.asarray(z, dtype=float) * 0 + (np.asarray(z) > 0)

def sigmoid_gradient(z):
    return np.asarray(z, dtype=float) * 0
'''),
    # Exercise 10 answered with the learner's own numerical gradient (exercise 7): not backpropagation.
    "numerical_backprop": ("ex10_backprop_vectorized", '''
from ex07_numerical_gradient import numerical_gradient

def backprop(Theta, X, Y, lambda_):
    return numerical_gradient(Theta, X, Y, lambda_, 1e-5)
'''),
    # The columns rotated by an amount that depends on the seed: no shuffle, no random generator.
    "rotation": ("ex09_minibatches", '''
import numpy as np

def minibatches(X, Y, batch_size, seed):
    m = X.shape[1]
    order = np.roll(np.arange(m), 1 + seed % max(1, m - 1))
    X, Y = X[:, order], Y[:, order]
    return [(X[:, i:i + batch_size], Y[:, i:i + batch_size]) for i in range(0, m, batch_size)]
'''),
}


def leftovers():
    """Graded processes of this module still alive: of one of its slot uids, or a server for one of them."""
    uids = range(sandbox.first_uid(), sandbox.first_uid() + 64)
    found = [f"uid {uid}: pid {pid}" for uid in uids for pid in sandbox.pids_of(uid)]
    for entry in filter(str.isdigit, os.listdir("/proc")):
        try:
            cmdline = Path(f"/proc/{entry}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if "runtime/child.py" in cmdline and any(f'"uid": {uid},' in cmdline for uid in uids):
            found.append(f"pid {entry}: {cmdline[:100]}")
    return found


def prepared_digest():
    """A digest of every prepared case's arguments and expected value (shared by all students)."""
    h = hashlib.sha256()
    for name in EXERCISE_NAMES:
        prep = prepare(name, SECRET.encode())
        h.update(prep.job)
        for cid in sorted(prep.expected):
            h.update(repr(prep.expected[cid]).encode())
        for case in prep.cases:
            h.update(repr(case.args).encode())
    return h.hexdigest()


@pytest.fixture(scope="module")
def own_uids():
    """Slot uids of this module's own (other graders may run on the machine at the same time)."""
    old = os.environ.get(sandbox.UID_ENV)
    os.environ[sandbox.UID_ENV] = "63400"
    yield
    if old is None:
        del os.environ[sandbox.UID_ENV]
    else:
        os.environ[sandbox.UID_ENV] = old


@pytest.fixture(scope="module")
def graded(tmp_path_factory, own_uids):
    base = tmp_path_factory.mktemp("redteam")
    folders = {"honest": make_submission(base / "honest"), "honest_too": make_submission(base / "honest_too")}
    for name, (exercise, source) in ATTACKS.items():
        folders[name] = make_submission(base / name, files={f"{exercise}.py": textwrap.dedent(source)})
    before = prepared_digest()
    result = grade_many(folders, timeout=8.0, memory=MEMORY, secret=SECRET)
    return {"result": result, "leftovers": leftovers(), "prepared": (before, prepared_digest())}


def exercise(graded, student, name):
    return next(e for e in graded["result"][student].exercises if e.name == name)


def others_keep_full_marks(graded, student):
    attacked = ATTACKS[student][0]
    for e in graded["result"][student].exercises:
        if e.name != attacked:
            assert e.points == e.max_points, f"{student} cost {e.name} points:\n{e.text()}"


def test_honest_students_keep_full_marks_and_nothing_is_left_running(graded):
    for student in ("honest", "honest_too"):
        result = graded["result"][student]
        assert result.max_points == sum(e.points for e in EXERCISES), result.table()
        assert result.points == result.max_points, result.table()
    assert graded["leftovers"] == []
    assert graded["prepared"][0] == graded["prepared"][1], "grading changed the cases every student shares"


@pytest.mark.parametrize("attack", ["own_tmpfs", "sysv_shm", "processes", "tmp_xattrs"])
def test_the_limits_bound_what_one_exercise_can_hold(graded, attack):
    # exercises/README.md: "The limits bound one exercise": 2 GB of address space (here 512 MB), 64 MB of /tmp.
    result = exercise(graded, attack, "ex08_gradient_descent_step")
    assert result.points == 0, f"{attack} got around the limits:\n{result.text()}"
    others_keep_full_marks(graded, attack)


def test_graded_code_reaches_none_of_the_graders_processes(graded):
    result = exercise(graded, "grader_processes", "ex08_gradient_descent_step")
    assert result.points == 0, result.text()
    others_keep_full_marks(graded, "grader_processes")


@pytest.mark.parametrize("attack", ["unhashable_ids", "huge_float", "not_lists", "forged_grader_error", "deep_tree"])
def test_the_learners_own_mistake_never_becomes_a_grader_error(graded, attack):
    # "Decode child results strictly ... anything else counts as a wrong answer with a clear message";
    # a grader error means the grader failed, so graded code must not be able to produce one.
    result = exercise(graded, attack, "ex08_gradient_descent_step")
    assert result.status != "grader error" and "grader error" not in result.text(), result.text()
    assert result.points == 0, result.text()
    others_keep_full_marks(graded, attack)


def test_a_flood_of_frames_is_malformed_data_that_the_parent_stops_reading(graded):
    # "A parent that cannot be crashed or starved": a run has a few frames per case, never a million.
    result = exercise(graded, "frame_flood", "ex08_gradient_descent_step")
    assert result.points == 0 and result.status == "invalid", result.text()
    others_keep_full_marks(graded, "frame_flood")


def test_a_step_function_for_the_sigmoid_earns_nothing(graded):
    # "No points for type and shape alone when no value is right": a step function is right only at
    # |z| >= 705, where every saturating function is; the overflow check is not a value that counts.
    result = exercise(graded, "step_function", "ex01_sigmoid")
    assert result.points == 0, result.text()
    others_keep_full_marks(graded, "step_function")


def test_a_numerical_gradient_in_place_of_backpropagation_never_earns_full_marks(graded):
    # The grader checks values, not the method: finite differences are close enough to pass some value
    # checks (5 of 10 with hidden cases, 7.5 with the visible ones). They must never pass all of them.
    result = exercise(graded, "numerical_backprop", "ex10_backprop_vectorized")
    assert result.points < result.max_points, result.text()
    others_keep_full_marks(graded, "numerical_backprop")


@pytest.mark.xfail(strict=True, reason="the batch_seed check accepts any order that depends on the seed and is "
                                       "not the identity, so a rotation by the seed passes as a shuffle (10/10); "
                                       "not shuffling at all still earns 9/10")
def test_a_rotation_is_not_a_shuffle(graded):
    result = exercise(graded, "rotation", "ex09_minibatches")
    assert result.points < result.max_points, result.text()


# -- the system-call filter, call by call ----------------------------------------------------------------------

FILTER_PROBE = GUARD + '''
import errno, threading
import numpy as np

libc.syscall.restype = ctypes.c_long


def errno_of(number, *args):
    """The errno of a raw system call (0 when it succeeded)."""
    result = libc.syscall(ctypes.c_long(number), *[ctypes.c_long(a) for a in args])
    return (0, result) if result >= 0 else (ctypes.get_errno(), result)


def probe():
    facts = {}
    facts["unshare_user"] = errno_of(272, 0x10000000)[0]          # EINVAL without the filter (threads)
    facts["setns"] = errno_of(308, -1, 0)[0]                      # EBADF without it
    facts["clone3"] = errno_of(435, 0, 0)[0]                      # EFAULT or EINVAL without it
    facts["perf_event_open"] = errno_of(298, 0, 0, -1, -1, 0)[0]  # EFAULT without it
    code, sid = errno_of(29, 0, 4096, 0o1600)                     # shmget
    if code == 0:
        libc.shmctl(sid, 0, None)
    facts["shmget"] = code
    code, fd = errno_of(319, ctypes.addressof(ctypes.create_string_buffer(b"x")), 0)   # memfd_create
    if code == 0:
        _os.close(fd)
    facts["memfd_create"] = code
    facts["keyctl"] = errno_of(250, 0, -4, 0)[0]                  # KEYCTL_GET_KEYRING_ID of this uid
    try:
        pid = _os.fork()
        if pid == 0:
            _os._exit(0)
        _os.waitpid(pid, 0)
        facts["fork"] = 0
    except OSError as exc:
        facts["fork"] = exc.errno
    box = []
    thread = threading.Thread(target=lambda: box.append(float(np.sum(np.ones(3)))))
    thread.start()
    thread.join()
    facts["thread"] = box == [3.0]
    return facts


FACTS = probe() if inside_the_sandbox() else {}


def gradient_descent_step(Theta, D, alpha):
    return {k: int(v) for k, v in FACTS.items()}
'''


def test_the_system_call_filter_denies_what_graded_code_never_needs_and_allows_threads(tmp_path):
    import platform

    from backprop_course.grading.harness import read_submission, run_exercises

    if platform.machine() != "x86_64":
        pytest.skip("the probe uses x86_64 system-call numbers")
    sub = read_submission(make_submission(tmp_path / "probe", files={"ex08_gradient_descent_step.py": FILTER_PROBE}))
    mode = sandbox.detect()
    with sandbox.Slots(mode, 1) as slots, slots.slot() as uid:
        (run,) = run_exercises([prepare("ex08")], sub, mode, uid, timeout=20)
    facts = run.results["u_fixed1"].value
    assert run.status == "ok" and facts, run.message
    eperm, enosys = 1, 38
    assert facts == {"unshare_user": eperm, "setns": eperm, "clone3": enosys, "perf_event_open": eperm,
                     "shmget": eperm, "memfd_create": eperm, "keyctl": eperm, "fork": eperm, "thread": 1}


# -- across students: state a slot's uid keeps between sandboxes ---------------------------------------------

KEY_WRITER = GUARD + '''
def store():
    # The kernel keyring of this uid: add_key(type "user", description, payload, KEY_SPEC_USER_KEYRING)
    payload = open(__file__, "rb").read()
    return libc.syscall(248, b"user", b"backprop-redteam", payload, len(payload), ctypes.c_long(-4)) > 0

attempt(store)

def gradient_descent_step(Theta, D, alpha):
    return ''' + f"{RIGHT}\n"

KEY_READER = GUARD + '''
theirs = []

def fetch():
    # keyctl(KEYCTL_SEARCH, KEY_SPEC_USER_KEYRING, "user", description), then read, revoke and unlink it
    key = libc.syscall(250, 10, ctypes.c_long(-4), b"user", b"backprop-redteam", 0)
    if key <= 0:
        return None
    buffer = ctypes.create_string_buffer(1 << 16)
    size = libc.syscall(250, 11, ctypes.c_long(key), buffer, 1 << 16)
    libc.syscall(250, 3, ctypes.c_long(key))
    libc.syscall(250, 9, ctypes.c_long(key), ctypes.c_long(-4))
    namespace = {"__name__": "theirs", "__file__": "/submission/theirs.py"}
    exec(buffer.raw[:size], namespace)
    theirs.append(namespace["gradient_descent_step"])
    return True

attempt(fetch)

def gradient_descent_step(Theta, D, alpha):
    return theirs[0](Theta, D, alpha) if theirs else ''' + f"{ZEROS}\n"

KEY_JANITOR = GUARD + '''
attempt(lambda: libc.syscall(250, 7, ctypes.c_long(-4)))         # KEYCTL_CLEAR this uid's keyring

def gradient_descent_step(Theta, D, alpha):
    return ''' + f"{RIGHT}\n"


def test_no_state_passes_from_one_students_sandbox_to_the_next_through_the_slot_uid(tmp_path, own_uids):
    # "Each submission is graded in a bubblewrap sandbox of its own": the keyring of a uid is not in any
    # namespace, and every student graded on a slot gets that slot's uid. A key left there by one
    # student lets the next one on the same slot run code that is in no file of theirs (copying that no
    # comparison of submissions can find), and it stays in the kernel after grading.
    if os.geteuid() != 0:
        pytest.skip("slot uids exist only for a grader running as root")
    files = {"writer": KEY_WRITER, "reader": KEY_READER, "janitor": KEY_JANITOR}
    folders = {name: make_submission(tmp_path / name, files={"ex08_gradient_descent_step.py": source})
               for name, source in files.items()}
    # One slot: the three students are graded one after the other, on the same uid.
    result = grade_many(folders, jobs=1, exercises={name: ["ex08"] for name in folders})
    assert result["writer"].points == 10 and result["janitor"].points == 10
    assert result["reader"].points == 0, result["reader"].exercises[0].text()


# -- the parent's decoding, directly -------------------------------------------------------------------------

@pytest.mark.parametrize("value", [{"__f__": 10 ** 400}, 10 ** 400, {"__dict__": [[1, 10 ** 30]]}],
                         ids=["float", "int", "int_in_dict"])
def test_numbers_too_large_for_float64_are_malformed_data(value):
    with pytest.raises(WireError):
        decode(json.loads(json.dumps(value)))


def frames(*objects):
    return b"".join(struct.pack(">I", len(d)) + d for d in (json.dumps(o).encode() for o in objects))


@pytest.mark.parametrize("bad", [
    {"type": "call", "id": ["u_fixed1"]},
    {"type": "case", "id": {"a": 1}, "ok": True, "value": 1.0},
    {"type": "case", "id": "u_fixed1", "ok": True, "value": {"__f__": 10 ** 400}},
    {"type": "case", "id": "u_fixed1", "ok": True, "value": 1.0, "forbidden": 5},
    {"type": "case", "id": "u_fixed1", "ok": True, "value": 1.0, "fallbacks": 7},
    {"type": "imported", "notes": {"a": 1}},
])
def test_interpreting_any_frame_never_raises(bad):
    prep = prepare("ex08")
    got = _Got(results=frames({"type": "start"}, bad, {"type": "done"}), status=0)
    run = interpret(prep, got, sandbox.detect(), 20.0)
    assert run.status in ("ok", "invalid"), run.message


def test_a_sandbox_error_counts_only_before_the_learners_code_starts():
    prep = prepare("ex08")
    error = {"type": "sandbox_error", "error": "could not switch to uid 62000"}
    assert interpret(prep, _Got(results=frames(error), status=0), sandbox.detect(), 20.0).status == "grader error"
    forged = interpret(prep, _Got(results=frames({"type": "start"}, error, {"type": "done"}), status=0),
                       sandbox.detect(), 20.0)
    assert forged.status != "grader error", forged.message


def test_split_frames_stops_at_a_bounded_number_of_frames():
    with pytest.raises(WireError):
        split_frames(frames(*[{"type": "x"}] * 100000))


# -- the oracle -----------------------------------------------------------------------------------------------

def numbers(value):
    """Every number in a value (arrays, dicts, tuples and lists of them) as one flat float64 array."""
    if isinstance(value, dict):
        value = list(value.values())
    if isinstance(value, (list, tuple)):
        return np.concatenate([numbers(v) for v in value] or [np.zeros(0)])
    return np.ravel(np.asarray(value, dtype=np.float64))


@pytest.mark.parametrize("secret", [None, SECRET.encode()])
@pytest.mark.parametrize("name", EXERCISE_NAMES)
def test_nothing_in_the_job_answers_the_exercise_it_is_for(name, secret):
    # The oracle answers earlier exercises' helpers; no answer it holds may be, or hold every number
    # of, an expected value of the exercise being graded (else graded code could find it in memory).
    prep = prepare(name, secret)
    job = json.loads(prep.job)
    keyed = [decode(result) for table in job["oracle"].values() for _, result in table.get("calls", [])]
    held = np.round(numbers(keyed), 12)
    for cid, want in prep.expected.items():
        for answer in keyed:
            assert compare(answer, want, 1e-6, 1e-6, "x") is not None, f"the oracle of {name} holds the answer {cid}"
        flat = np.round(numbers(want), 12)
        flat = flat[(flat != 0) & (flat != 1)]                 # bias units and zeros are everywhere
        assert flat.size == 0 or not np.isin(flat, held).all(), f"every number of {cid} of {name} is in the oracle"


def test_an_assignment_with_many_private_cases_is_not_a_flood(tmp_path):
    # The frame limit bounds a flood, not an honest run: an instructor's 600 private cases (two frames
    # each) still grade, and the reference keeps full marks.
    case = textwrap.dedent('''
        [[case]]
        exercise = "ex08_gradient_descent_step"
        about = "alpha = {alpha} on a 2-2 network"
        Theta = {{ 1 = [[0.1, 0.2, 0.3], [0.4, 0.5, 0.6]] }}
        D = {{ 1 = [[1.0, -1.0, 0.5], [0.0, 2.0, -0.5]] }}
        alpha = {alpha}
        points = 0.01
    ''')
    (tmp_path / "cases.toml").write_text("".join(case.format(alpha=(i + 1) / 100) for i in range(600)))
    (tmp_path / "a.toml").write_text('exercises = ["ex08_gradient_descent_step"]\nextra_cases = "cases.toml"\n')
    (result,) = grade_submission(make_submission(tmp_path / "s"), assignment=tmp_path / "a.toml").exercises
    assert result.status == "passed" and result.points == result.max_points, result.text()
