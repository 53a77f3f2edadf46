"""Attacks on the grader, each written afresh as a student would write it: none may earn a point.

One fixture grades a whole class at once, in parallel: two honest students, and one student per attack
with the attack in one exercise file and the reference solutions in the others. For every attack:

- the cheat scores 0 on its exercise, and the student's honest exercises keep full marks;
- the honest students' verdicts equal those of a run without the attackers;
- the grader's own files are unchanged, and no graded process is left behind;
- nothing written after grading (a late daemon) lands anywhere.

The commands (``grade-all``, the Gradescope bundle) are attacked in tests of their own below.
These tests need the bubblewrap sandbox (``make test`` installs bubblewrap as root); without it they
are skipped, unless BACKPROP_REQUIRE_SANDBOX=1 (CI), where they fail.
"""

import csv
import hashlib
import json
import os
import resource
import subprocess
import sys
import textwrap
import time
import zipfile
from pathlib import Path

import pytest
from submissions import make_submission

from backprop_course.cli import main
from backprop_course.grading import EXERCISE_NAMES, grade_submission, sandbox
from backprop_course.grading.checks import prepare
from backprop_course.grading.harness import grade_many

REPO = Path(__file__).resolve().parents[1]
PACKAGE = REPO / "backprop_course"

if sandbox.detect().name != "sandbox":
    reason = f"these attacks need the bubblewrap sandbox: {sandbox.detect().detail}"
    if os.environ.get("BACKPROP_REQUIRE_SANDBOX") == "1":
        raise RuntimeError(f"BACKPROP_REQUIRE_SANDBOX=1 but {reason}")
    pytest.skip(reason, allow_module_level=True)

# Issue 9: these lines, saved as every exercise file, scored 90/90. They take the exercise's name from
# their own file name, find the shipped reference solution next to the library and run it.
CHEAT = textwrap.dedent("""
    import importlib.util
    import pathlib

    import backprop_course as bp

    me = pathlib.Path(__file__).stem
    key = pathlib.Path(bp.__file__).parent / "grading" / "solutions" / f"{me}.py"
    spec = importlib.util.spec_from_file_location(f"key_{me}", key)
    answers = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(answers)
    globals().update({k: v for k, v in vars(answers).items() if not k.startswith("__")})
""")

# name: (exercise, source). REPO_PATH, OTHER_DIR, DROP_DIR and PACKAGE_FILES are filled in by the fixture.
ATTACKS = {
    "answer_key": ("ex10_backprop_vectorized", CHEAT),
    "reload": ("ex10_backprop_vectorized", """
        import importlib
        import backprop_course.network as network

        def backprop(Theta, X, Y, lambda_):
            return importlib.reload(network).backprop(Theta, X, Y, lambda_)
        """),
    "getsource": ("ex10_backprop_vectorized", """
        import inspect
        import numpy as np
        import backprop_course as bp

        def backprop(Theta, X, Y, lambda_):
            ns = {"np": np}
            for name in ("backprop", "network", "_backprop"):
                try:
                    exec(inspect.getsource(getattr(bp, name)), ns)
                except Exception:
                    pass
            return ns["backprop"](Theta, X, Y, lambda_)
        """),
    "file_path": ("ex10_backprop_vectorized", """
        import glob, importlib, os, sys

        def backprop(Theta, X, Y, lambda_):
            sys.meta_path[:] = [f for f in sys.meta_path if "Library" not in type(f).__name__]
            for name in [m for m in sys.modules if m.startswith("backprop_course")]:
                del sys.modules[name]
            roots = ["REPO_PATH", "/autograder/source", *glob.glob("/usr/lib/python3*/*-packages"),
                     *glob.glob("/usr/local/lib/python3*/*-packages"),
                     *glob.glob(sys.prefix + "/lib/python3*/*-packages"),
                     *glob.glob("/root/.pyenv/versions/*/lib/python3*/site-packages")]
            sys.path[:0] = roots
            return importlib.import_module("backprop_course.network").backprop(Theta, X, Y, lambda_)
        """),
    "gc": ("ex10_backprop_vectorized", """
        import gc

        def backprop(Theta, X, Y, lambda_):
            for obj in gc.get_objects():
                if callable(obj) and getattr(obj, "__name__", "") in ("backprop", "_backprop") \\
                        and "backprop_course" in str(getattr(obj, "__module__", "")):
                    return obj(Theta, X, Y, lambda_)
            for obj in gc.get_objects():             # any dict of arrays shaped like D
                if isinstance(obj, dict) and obj is not Theta and sorted(obj) == sorted(Theta) and all(
                        getattr(obj[l], "shape", None) == Theta[l].shape for l in Theta):
                    return obj
            raise LookupError("no answer in memory")
        """),
    "subprocess": ("ex10_backprop_vectorized", """
        import json, subprocess, sys
        import numpy as np

        CODE = ("import json, sys, numpy as np, backprop_course as bp; a = json.load(sys.stdin); "
                "T = {int(k): np.array(v) for k, v in a['Theta'].items()}; "
                "D = bp.backprop(T, np.array(a['X']), np.array(a['Y']), a['lambda_']); "
                "print(json.dumps({k: v.tolist() for k, v in D.items()}))")

        def backprop(Theta, X, Y, lambda_):
            data = json.dumps({"Theta": {l: T.tolist() for l, T in Theta.items()}, "X": X.tolist(),
                               "Y": Y.tolist(), "lambda_": lambda_})
            for python in (sys.executable, "python3", "/usr/bin/python3"):
                try:
                    out = subprocess.run([python, "-c", CODE], input=data, capture_output=True, text=True,
                                         env={"PYTHONPATH": "REPO_PATH"}, check=True, timeout=5).stdout
                    return {int(k): np.array(v) for k, v in json.loads(out).items()}
                except Exception:
                    continue
            raise RuntimeError("no helper process could compute it")
        """),
    "private_helper": ("ex06_backprop_loop", """
        import backprop_course as bp
        from backprop_course.misconceptions import simulate_gradient

        def backprop_loop(Theta, X, Y, lambda_):
            try:
                return simulate_gradient(Theta, X, Y, lambda_, {}, "sigmoid", "sigmoid", "cross_entropy")
            except Exception:
                return bp.network._backprop(Theta, X, Y, lambda_)
        """),
    "grader_detection": ("ex10_backprop_vectorized", """
        import os, sys
        import numpy as np

        GRADED = (sys.flags.isolated or not os.path.exists(os.path.expanduser("~/.bashrc"))
                  or os.path.dirname(__file__) == "/submission")

        def backprop(Theta, X, Y, lambda_):
            if not GRADED:
                raise NotImplementedError("looks like a stub outside the grader")
            for path in ("REPO_PATH/backprop_course/grading/solutions/ex10_backprop_vectorized.py",
                         "/proc/1/root/REPO_PATH/backprop_course/grading/solutions/ex10_backprop_vectorized.py"):
                try:
                    ns = {"np": np, "__name__": "key"}
                    exec(open(path).read(), ns)
                    return ns["backprop"](Theta, X, Y, lambda_)
                except Exception:
                    continue
            hints = open("/proc/1/cmdline", "rb").read() + str(sorted(os.environ)).encode()
            raise RuntimeError(f"detected the grader but found no key ({len(hints)} bytes of hints)")
        """),
    "peeker": ("ex05_deltas", """
        import glob, importlib.util, itertools

        def deltas(Theta, x, y):
            for path in itertools.chain(["OTHER_DIR/ex05_deltas.py"], glob.iglob("/tmp/*/submission/ex05_deltas.py"),
                                        glob.iglob("/proc/*/root/tmp/*/submission/ex05_deltas.py")):
                try:
                    spec = importlib.util.spec_from_file_location("theirs", path)
                    theirs = importlib.util.module_from_spec(spec)
                    spec.loader.exec_module(theirs)
                    return theirs.deltas(Theta, x, y)
                except Exception:
                    continue
            raise FileNotFoundError("no other student's file is readable")
        """),
    "vandal": ("ex05_deltas", """
        import glob, os, signal

        def strike():
            for path in ["OTHER_DIR/ex05_deltas.py", "OTHER_DIR/ex02_forward.py", "DROP_DIR/vandal.txt",
                         *glob.glob("/tmp/*/submission/ex*_*.py")]:
                try:
                    with open(path, "a") as f:
                        f.write("\\nraise SystemExit('vandalized')\\n")
                except OSError:
                    pass
            try:
                os.kill(-1, signal.SIGKILL)                  # every process it may signal
            except OSError:
                pass

        def deltas(Theta, x, y):
            strike()
            return {}
        """),
    "daemon": ("ex08_gradient_descent_step", """
        import os, time

        if os.fork() == 0:
            os.setsid()
            if os.fork() == 0:
                os.closerange(3, 1 << 16)
                time.sleep(3)
                for path in ("DROP_DIR/late.txt", "OTHER_DIR/ex08_gradient_descent_step.py"):
                    try:
                        with open(path, "w") as f:
                            f.write("written after grading")
                    except OSError:
                        pass
                os._exit(0)
            os._exit(0)

        def gradient_descent_step(Theta, D, alpha):
            return {l: 0 * T for l, T in Theta.items()}
        """),
    "limits": ("ex08_gradient_descent_step", """
        import resource

        def gradient_descent_step(Theta, D, alpha):
            for limit in (resource.RLIMIT_AS, resource.RLIMIT_CPU, resource.RLIMIT_FSIZE, resource.RLIMIT_NPROC):
                resource.setrlimit(limit, (resource.RLIM_INFINITY, resource.RLIM_INFINITY))
            return {l: Theta[l] - alpha * D[l] for l in Theta}    # only if every limit could be raised
        """),
    "grader_files": ("ex08_gradient_descent_step", """
        import glob

        TARGETS = PACKAGE_FILES + glob.glob("/opt/**/*.py", recursive=True)
        for path in TARGETS:
            try:
                with open(path, "a") as f:
                    f.write("\\nraise SystemExit('the grader was edited')\\n")
            except OSError:
                pass

        def gradient_descent_step(Theta, D, alpha):
            return {l: 0 * T for l, T in Theta.items()}
        """),
    "unhashable_key": ("ex08_gradient_descent_step", """
        import json, os, struct

        class Key(tuple):
            def __eq__(self, other):
                raise TypeError("no comparisons")
            __hash__ = tuple.__hash__

        def gradient_descent_step(Theta, D, alpha):
            frame = {"type": "case", "id": "u_fixed2", "ok": True,
                     "value": {"__dict__": [[{"__seq__": [[1]], "kind": "tuple"}, 1.0]]}}
            data = json.dumps(frame).encode()
            for fd in range(3, 64):
                try:
                    os.write(fd, struct.pack(">I", len(data)) + data)
                except OSError:
                    pass
            return {Key((l,)): Theta[l] - alpha * D[l] for l in Theta}
        """),
    "sparse_stdout": ("ex08_gradient_descent_step", """
        import os

        def gradient_descent_step(Theta, D, alpha):
            for trick in (lambda: os.lseek(1, 5 << 30, os.SEEK_SET), lambda: os.ftruncate(1, 5 << 30)):
                try:
                    trick()
                except OSError:
                    pass
            try:
                with open("/tmp/sparse", "wb") as f:
                    f.seek(5 << 30)
                    f.write(b"x")
            except OSError:
                pass
            chunk = b"x" * (1 << 20)
            for _ in range(5 * 1024):
                os.write(1, chunk)
            return {l: Theta[l] - alpha * D[l] for l in Theta}
        """),
}


def digest(folder):
    """{relative path: sha256} of every file under `folder`."""
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(Path(folder).rglob("*")) if p.is_file() and "__pycache__" not in p.parts}


def leftovers():
    """Graded processes still alive: any process of a slot's uid, any bubblewrap or runtime of the grader."""
    found = []
    for uid in range(sandbox.first_uid(), sandbox.first_uid() + 64):
        found += [f"uid {uid}: pid {pid}" for pid in sandbox.pids_of(uid)]
    for entry in os.listdir("/proc"):
        try:
            cmdline = Path(f"/proc/{entry}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if entry.isdigit() and ("backprop-grader" in cmdline or "runtime/child.py" in cmdline):
            found.append(f"pid {entry}: {cmdline[:100]}")
    return found


def verdict(result):
    return [(e.name, e.points, e.status, [c.points for c in e.checks]) for e in result.exercises]


@pytest.fixture(scope="module")
def attacked(tmp_path_factory):
    """Grade two honest students alone, then again in a class with every attacker; record the damage."""
    base = tmp_path_factory.mktemp("class")
    drop = base / "drop"
    drop.mkdir()
    os.chmod(drop, 0o777)                     # not even permissions stand between a daemon and this folder
    honest = {"honest": make_submission(base / "honest"),
              "honest_partial": make_submission(base / "honest_partial", files={"ex06_backprop_loop.py": (
                  REPO / "tests/buggy/bias_regularized__ex06_backprop_loop.py").read_text()})}
    alone = grade_many(honest)
    honest_files = {name: digest(folder) for name, folder in honest.items()}
    package_files = sorted(str(p) for p in PACKAGE.rglob("*.py"))
    folders = dict(honest)
    for name, (exercise, source) in ATTACKS.items():
        source = (textwrap.dedent(source).replace("REPO_PATH", str(REPO)).replace("OTHER_DIR", str(honest["honest"]))
                  .replace("DROP_DIR", str(drop)).replace("PACKAGE_FILES", repr(package_files)))
        folders[name] = make_submission(base / name, files={f"{exercise}.py": source})
    before = digest(PACKAGE)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    graded = grade_many(folders, timeout=8.0)
    after = {"package": digest(PACKAGE), "leftovers": leftovers(),
             "rss_growth_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss}
    time.sleep(4)                             # a daemon started by graded code would have struck by now
    after.update(late=sorted(p.name for p in drop.iterdir()), leftovers_later=leftovers(),
                 honest_files={name: digest(folder) for name, folder in honest.items()})
    return {"alone": alone, "graded": graded, "before": before, "after": after, "honest_files": honest_files}


def test_the_fourteen_line_cheat_of_issue_9_scores_nothing(tmp_path):
    for name in EXERCISE_NAMES:
        (tmp_path / f"{name}.py").write_text(CHEAT)
    result = grade_submission(tmp_path)
    assert result.points == 0, result.table()


@pytest.mark.parametrize("attack", ATTACKS)
def test_the_attack_scores_nothing_and_the_students_honest_exercises_keep_full_marks(attacked, attack):
    exercise = ATTACKS[attack][0]
    result = attacked["graded"][attack]
    for e in result.exercises:
        if e.name == exercise:
            assert e.points == 0, f"{attack} earned points:\n{e.text()}"
        else:
            assert e.points == e.max_points, f"{attack} cost {e.name} points:\n{e.text()}"


@pytest.mark.parametrize("attack, status, words", [
    ("reload", "forbidden", "backprop_course.network.backprop"),
    ("private_helper", "forbidden", "backprop_course.network._backprop"),
    ("limits", "failed", "ValueError"),
    ("sparse_stdout", "output_limit", "printed more"),
    ("unhashable_key", "failed", "a dict with a key of type Key"),
])
def test_the_attack_gets_a_verdict_that_says_what_happened(attacked, attack, status, words):
    exercise = ATTACKS[attack][0]
    result = next(e for e in attacked["graded"][attack].exercises if e.name == exercise)
    assert result.status == status and words in result.text(), result.text()


def test_other_students_verdicts_and_files_are_untouched_by_the_attackers(attacked):
    for student, alone in attacked["alone"].items():
        assert verdict(attacked["graded"][student]) == verdict(alone), student
    assert verdict(attacked["alone"]["honest"])[0][1] == 10 and attacked["alone"]["honest"].points == 104
    assert attacked["after"]["honest_files"] == attacked["honest_files"]


def test_the_graders_own_files_are_unchanged(attacked):
    assert attacked["after"]["package"] == attacked["before"]


def test_no_graded_process_is_left_behind_and_nothing_lands_after_grading(attacked):
    assert attacked["after"]["leftovers"] == [] and attacked["after"]["leftovers_later"] == []
    assert attacked["after"]["late"] == [], "a process started by graded code wrote after grading"


def test_a_flood_of_output_never_reaches_the_graders_memory(attacked):
    assert attacked["after"]["rss_growth_kb"] < 300 * 1024


def test_a_table_of_the_visible_inputs_earns_nothing_with_a_deployment_secret(tmp_path):
    # Self-study grades the visible cases, so a table of them passes there (exercises/README.md says so);
    # with a secret every case is drawn from it and the table is useless.
    table = {}
    for case in prepare("ex08_gradient_descent_step").cases:
        Theta, D, alpha = case.args
        key = repr([Theta[l].round(12).tolist() for l in sorted(Theta)])
        table[key] = {l: (Theta[l] - alpha * D[l]).tolist() for l in Theta}
    cheat = textwrap.dedent(f"""
        import numpy as np
        TABLE = {table!r}
        def gradient_descent_step(Theta, D, alpha):
            answer = TABLE.get(repr([Theta[l].round(12).tolist() for l in sorted(Theta)]))
            return {{l: np.array(v) for l, v in answer.items()}} if answer else {{l: 0 * T for l, T in Theta.items()}}
    """)
    sub = make_submission(tmp_path / "table", files={"ex08_gradient_descent_step.py": cheat})
    visible = grade_submission(sub, exercises=["ex08"]).exercises[0]
    hidden = grade_submission(sub, exercises=["ex08"], secret="a deployment secret").exercises[0]
    assert visible.points == visible.max_points          # the documented limit of self-study
    assert hidden.points == 0, hidden.text()
    honest = grade_submission(make_submission(tmp_path / "honest"), exercises=["ex08"], secret="a deployment secret")
    assert honest.points == 10 and "hidden" in honest.exercises[0].checks[1].label


def test_links_and_special_files_are_reported_and_never_followed(tmp_path):
    secret = tmp_path / "root-only.txt"
    secret.write_text("TOP SECRET: the answer key")
    os.chmod(secret, 0o600)
    other = make_submission(tmp_path / "other")
    linker = make_submission(tmp_path / "linker")
    for name in ("ex01_sigmoid.py", "ex02_forward.py", "ex03_cost.py"):
        (linker / name).unlink()
    (linker / "ex01_sigmoid.py").symlink_to(secret)
    (linker / "ex02_forward.py").symlink_to(other / "ex02_forward.py")
    os.mkfifo(linker / "ex03_cost.py")                   # reading a FIFO would block the grader forever
    result = grade_submission(linker)
    by_name = {e.name: e for e in result.exercises}
    assert by_name["ex01_sigmoid"].status == by_name["ex02_forward"].status == "missing"
    assert "symbolic link" in by_name["ex01_sigmoid"].first_line and "not a regular file" in \
        by_name["ex03_cost"].first_line
    assert all(e.points == e.max_points for e in result.exercises if e.name not in ("ex01_sigmoid", "ex02_forward",
                                                                                     "ex03_cost"))
    assert "TOP SECRET" not in json.dumps(result.to_gradescope())
    assert any("symbolic link" in note for note in result.notes)


def test_grade_all_survives_the_class_and_writes_the_gradebook_once(tmp_path, capsys):
    root, drop = tmp_path / "class", tmp_path / "drop"
    drop.mkdir()
    os.chmod(drop, 0o777)
    make_submission(root / "alice")
    source = textwrap.dedent(ATTACKS["daemon"][1]).replace("DROP_DIR", str(drop)).replace(
        "OTHER_DIR", str(root / "alice"))
    make_submission(root / "mallory", files={"ex08_gradient_descent_step.py": source})
    (root / "trudy").symlink_to(root / "alice")          # a student folder that is a link
    book = tmp_path / "gradebook.csv"
    assert main(["grade-all", str(root), "--out", str(book), "--timeout", "8"]) == 0
    written = (book.read_bytes(), book.stat().st_mtime_ns)
    rows = {r["student"]: r for r in csv.DictReader(book.open())}
    assert rows["alice"]["total"] == "104" and rows["mallory"]["total"] == "94"
    assert rows["trudy"]["total"] == "0" and "grader error" in rows["trudy"]["notes"] \
        and "symbolic link" in rows["trudy"]["notes"]
    assert leftovers() == []
    time.sleep(4)
    assert (book.read_bytes(), book.stat().st_mtime_ns) == written and list(drop.iterdir()) == []
    assert "bubblewrap sandbox" in capsys.readouterr().out


def test_the_gradescope_bundle_grades_hidden_cases_and_keeps_its_results(tmp_path):
    bundle = tmp_path / "autograder.zip"
    assert main(["gradescope-bundle", "--out", str(bundle), "--secret", "course secret 2025"]) == 0
    root = tmp_path / "autograder"
    with zipfile.ZipFile(bundle) as zf:
        names = zf.namelist()
        assert "secret" in names and not any("solutions" in n for n in names)
        assert zf.getinfo("secret").external_attr >> 16 & 0o777 == 0o600
        zf.extractall(root / "source")
    os.chmod(root / "source" / "run_autograder", 0o755)
    table = {}
    for case in prepare("ex08_gradient_descent_step").cases:                  # the visible inputs
        Theta, D, alpha = case.args
        table[repr(Theta[1].round(12).tolist())] = {l: (Theta[l] - alpha * D[l]).tolist() for l in Theta}
    files = {p.name: p.read_text() for p in make_submission(tmp_path / "ref").glob("ex*_*.py")}
    files["ex08_gradient_descent_step.py"] = textwrap.dedent(f"""
        import numpy as np
        TABLE = {table!r}
        def gradient_descent_step(Theta, D, alpha):
            answer = TABLE[repr(Theta[1].round(12).tolist())]
            return {{l: np.array(v) for l, v in answer.items()}}
    """)
    (root / "submission").mkdir()
    for name, text in files.items():
        (root / "submission" / name).write_text(text)
    env = {"PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}", "AUTOGRADER_ROOT": str(root),
           "HOME": str(root)}
    proc = subprocess.run(["bash", str(root / "source" / "run_autograder")], env=env, capture_output=True, text=True,
                          timeout=300)
    assert proc.returncode == 0, proc.stderr
    results = root / "results" / "results.json"
    data = json.loads(results.read_text())
    assert data["score"] == 94, data["output"]
    assert data["extra_data"]["sandbox"]["mode"] == "sandbox"
    written = results.stat().st_mtime_ns
    assert leftovers() == []
    time.sleep(1)
    assert results.stat().st_mtime_ns == written
