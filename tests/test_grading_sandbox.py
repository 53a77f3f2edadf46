"""Where graded code runs: the sandbox is what exercises/README.md says, and every weaker mode says so.

A probe submission returns facts about its own process (as numbers, the only values the grader
reads back) and the tests check them: a real uid drop, no network, no other process, a read-only
file system with nothing of the course library, hard limits. The fallbacks run with Debian's
``python3`` and ``python3-numpy`` (world-readable, unlike pyenv's interpreter under /root), as an
unprivileged slot uid or as an ordinary user; ``make test`` installs them with bubblewrap. Without
them these tests are skipped, unless BACKPROP_REQUIRE_SANDBOX=1 (CI), where they fail.
"""

import csv
import json
import os
import socket
import subprocess
import sys
import textwrap
import warnings
from pathlib import Path

import pytest
from submissions import make_submission, probe

from backprop_course.cli import main
from backprop_course.grading import gradescope, sandbox

REPO = Path(__file__).resolve().parents[1]
DEBIAN_PYTHON = "/usr/bin/python3"
REQUIRED = os.environ.get("BACKPROP_REQUIRE_SANDBOX") == "1"


def need(condition, reason):
    if not condition:
        if REQUIRED:
            pytest.fail(f"BACKPROP_REQUIRE_SANDBOX=1 but {reason}")
        pytest.skip(reason)


def debian_python_with_numpy():
    return os.path.exists(DEBIAN_PYTHON) and subprocess.run(
        [DEBIAN_PYTHON, "-c", "import numpy"], capture_output=True).returncode == 0


@pytest.fixture
def root_only(tmp_path):
    path = tmp_path / "root-only.txt"
    path.write_text("only root may read this")
    os.chmod(path, 0o600)
    os.chmod(tmp_path, 0o755)
    return path


@pytest.fixture
def listener():
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    yield server.getsockname()[1]
    server.close()


def test_the_sandbox_drops_to_a_real_unprivileged_uid_and_shows_nothing_but_numpy_and_the_submission(
        tmp_path, root_only, listener):
    mode = sandbox.detect()
    need(mode.name == "sandbox", f"bubblewrap cannot run here: {mode.detail}")
    facts, uid = probe(tmp_path, mode, root_only, listener)
    if os.geteuid() == 0:
        assert uid >= sandbox.first_uid() and facts["uid"] == facts["euid"] == facts["suid"] == facts["gid"] == uid
        assert facts["groups"] == 0 and facts["capabilities"] == 0
        assert facts["setuid_root_denied"] == facts["init_environ_denied"] == 1    # root's process: unreadable
    assert facts["root_only_denied"] == 1 and facts["network_denied"] == 1
    assert facts["processes"] <= 3, "bubblewrap's init, the server and this process, nothing else"
    assert facts["library_paths"] == "[]" and facts["package_dirs_nonempty"] == 0
    assert facts["library_module"] == "none"
    assert facts["runtime"] == str(["lib", "lib/numpy", "lib/numpy.libs", "runtime", "runtime/child.py",
                                    "runtime/wire.py"])
    assert set(json.loads(facts["top"].replace("'", '"'))) <= {"dev", "etc", "lib", "lib64", "lib32", "libx32", "opt",
                                                                "proc", "root", "submission", "tmp", "usr"}
    assert json.loads(facts["submission"].replace("'", '"')) == sorted(
        p.name for p in (tmp_path / "probe").glob("*.py"))
    assert facts["write_submission_denied"] == facts["write_usr_denied"] == 1 and facts["write_tmp_denied"] == 0


def test_every_limit_is_hard_so_graded_code_cannot_raise_it(tmp_path, root_only, listener):
    mode = sandbox.detect()
    need(mode.name == "sandbox", f"bubblewrap cannot run here: {mode.detail}")
    facts, _ = probe(tmp_path, mode, root_only, listener)
    assert list(facts["AS"]) == [2 * 1024 ** 3] * 2 and list(facts["FSIZE"]) == [16 * 1024 ** 2] * 2
    assert list(facts["CPU"]) == [21, 22] and list(facts["NOFILE"]) == [128, 128]
    if os.geteuid() == 0:
        assert list(facts["NPROC"]) == [64, 64]


FALLBACK = textwrap.dedent("""
    import json, sys, tempfile
    sys.path[:0] = [REPO, REPO + "/tests"]
    from pathlib import Path
    from submissions import make_submission, probe, probe
    from backprop_course.grading import grade_submission, sandbox
    mode = sandbox.detect()
    work = Path(tempfile.mkdtemp())
    facts, uid = probe(work, mode, ROOT_ONLY, PORT)
    facts = {k: (v.tolist() if hasattr(v, "tolist") else v) for k, v in facts.items()}
    reference = grade_submission(make_submission(work / "reference"))
    print(json.dumps({"mode": mode.name, "detail": mode.detail, "facts": facts, "uid": uid,
                      "points": reference.points, "sandbox": reference.sandbox}))
""")


def fallback(tmp_path, root_only, port, env=None, user=None):
    """Run the probe and the reference solutions with Debian's python3 (as `user`): the result as a dict."""
    need(debian_python_with_numpy(), f"{DEBIAN_PYTHON} with numpy is needed (apt-get install python3-numpy)")
    code = FALLBACK.replace("REPO", repr(str(REPO))).replace("ROOT_ONLY", repr(str(root_only))) \
        .replace("PORT", str(port))
    os.chmod(tmp_path, 0o777)
    full_env = {"PATH": "/usr/bin:/bin", "TMPDIR": str(tmp_path), "HOME": str(tmp_path), **(env or {})}
    proc = subprocess.run([DEBIAN_PYTHON, "-c", code], capture_output=True, text=True, timeout=300, env=full_env,
                          cwd=str(tmp_path), **({"user": user, "group": user, "extra_groups": []} if user else {}))
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(proc.stdout.strip().splitlines()[-1])


def test_without_namespaces_root_grades_as_an_unprivileged_uid_and_says_so(tmp_path, root_only, listener):
    need(os.geteuid() == 0, "the unprivileged fallback needs a grader running as root")
    got = fallback(tmp_path, root_only, listener, env={sandbox.MODE_ENV: "unprivileged"})
    facts = got["facts"]
    assert got["mode"] == got["sandbox"] == "unprivileged" and "without a sandbox" in got["detail"]
    assert facts["uid"] == facts["euid"] == got["uid"] >= sandbox.first_uid() and facts["capabilities"] == 0
    assert facts["root_only_denied"] == 1 and facts["setuid_root_denied"] == 1
    assert facts["NPROC"] == [64, 64] and facts["AS"] == [2 * 1024 ** 3] * 2
    assert got["points"] == 104
    assert [pid for uid in range(sandbox.first_uid(), sandbox.first_uid() + 8) for pid in sandbox.pids_of(uid)] == []


def test_an_ordinary_user_gets_the_sandbox_in_a_user_namespace(tmp_path, root_only, listener):
    need(os.geteuid() == 0, "the test switches to an ordinary user, which needs root")
    got = fallback(tmp_path, root_only, listener, user=62990)
    if got["mode"] != "sandbox":                 # a kernel setting, not something `make test` installs
        pytest.skip(f"unprivileged user namespaces are not available here: {got['detail']}")
    facts = got["facts"]
    assert "user namespace" in got["detail"] and facts["uid"] == 62990 and got["uid"] is None
    assert facts["network_denied"] == facts["root_only_denied"] == 1 and facts["processes"] <= 3
    assert facts["library_paths"] == "[]" and got["points"] == 104


def test_an_ordinary_user_without_a_sandbox_is_graded_with_limits_and_told(tmp_path, root_only, listener):
    need(os.geteuid() == 0, "the test switches to an ordinary user, which needs root")
    got = fallback(tmp_path, root_only, listener, env={sandbox.MODE_ENV: "unsandboxed"}, user=62990)
    assert got["mode"] == "unsandboxed" and "install bubblewrap" in got["detail"]
    assert got["facts"]["uid"] == 62990 and got["facts"]["root_only_denied"] == 1
    assert got["facts"]["AS"] == [2 * 1024 ** 3] * 2 and got["points"] == 104


# -- root without any sandbox: refused where it matters, never silent -------------------------------------
# Only the reference solutions run here: in this mode graded code would run as root.

@pytest.fixture
def as_root_unsandboxed(monkeypatch):
    if os.geteuid() != 0:
        pytest.skip("this mode exists only for a grader running as root")
    monkeypatch.setenv(sandbox.MODE_ENV, "unsandboxed")
    assert sandbox.detect().name == "root"


def test_grade_all_refuses_to_run_graded_code_as_root_unless_told_to(as_root_unsandboxed, tmp_path, capsys):
    make_submission(tmp_path / "class" / "alice")
    book = tmp_path / "gradebook.csv"
    assert main(["grade-all", str(tmp_path / "class"), "--out", str(book)]) == 3
    err = capsys.readouterr().err
    assert "refuses" in err and "--unsafe-no-sandbox" in err and "as root" in err and not book.exists()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        assert main(["grade-all", str(tmp_path / "class"), "--out", str(book), "--unsafe-no-sandbox"]) == 0
    assert "runs as root" in capsys.readouterr().out
    assert next(csv.DictReader(book.open()))["total"] == "104"


def test_the_gradescope_run_refuses_and_records_why_in_the_results(as_root_unsandboxed, tmp_path):
    root = tmp_path / "autograder"
    (root / "submission").mkdir(parents=True)
    for path in make_submission(tmp_path / "ref").glob("ex*_*.py"):
        (root / "submission" / path.name).write_text(path.read_text())
    data = gradescope.run(root)
    assert data["score"] == 0 and "not graded" in data["output"] and "--unsafe-no-sandbox" in data["output"]
    assert data["extra_data"]["sandbox"]["mode"] == "root"
    assert json.loads((root / "results" / "results.json").read_text()) == data
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        data = gradescope.run(root, unsafe=True)
    assert data["score"] == 104 and "runs as root" in data["output"]
    assert data["extra_data"]["sandbox"]["mode"] == "root"


def test_self_study_grading_as_root_without_a_sandbox_warns(as_root_unsandboxed, tmp_path, capsys):
    sub = make_submission(tmp_path / "exercises")
    with pytest.warns(RuntimeWarning, match="runs as root"):
        code = main(["grade", "--submission", str(sub), "--exercise", "ex08", "--quiet"])
    assert code == 0 and "runs as root" in capsys.readouterr().err


def test_each_command_names_the_modes_it_accepts():
    sandboxed = sandbox.Mode("sandbox", "")
    fallback_uid = sandbox.Mode("unprivileged", "no namespaces.")
    as_root = sandbox.Mode("root", "root.")
    assert sandboxed.allows("grade-all") is None and sandboxed.allows("gradescope") is None
    assert "refuses" in fallback_uid.allows("grade-all") and fallback_uid.allows("gradescope") is None
    assert as_root.allows("gradescope") and as_root.allows("grade-all", unsafe=True) is None
    assert as_root.allows("grade") is None                 # self-study: a warning, not a refusal
    assert sys.executable                                  # (the grader's own interpreter is never changed)


def test_two_graders_running_at_once_never_share_a_uid():
    mode = sandbox.detect()
    need(os.geteuid() == 0 and mode.name == "sandbox", "slot uids exist only for a grader running as root")
    with sandbox.Slots(mode, 2) as first, sandbox.Slots(mode, 2) as second:
        mine = {first.free.get() for _ in range(2)}
        theirs = {second.free.get() for _ in range(2)}
    assert len(mine) == len(theirs) == 2 and not mine & theirs and min(mine | theirs) >= sandbox.first_uid()
    with sandbox.Slots(mode, 2) as again:                 # released: the same uids are free again
        assert {again.free.get() for _ in range(2)} == mine
