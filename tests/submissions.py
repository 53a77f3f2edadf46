"""Build submission folders for the grader's tests and benchmarks: the reference solutions plus pieces.

Also the probe: an exercise file that returns facts about the process grading it (tests/test_grading_sandbox.py).
"""

import shutil
import textwrap
from pathlib import Path

import numpy as np

from backprop_course.grading import sandbox
from backprop_course.grading.cases import SOLUTIONS_DIR
from backprop_course.grading.checks import prepare
from backprop_course.grading.harness import read_submission, run_exercises


def make_submission(folder, *overlays, files=None):
    """A folder holding the reference solutions, then each overlay folder's ``ex*_*.py`` on top.

    Parameters
    ----------
    folder : path
        Created if needed.
    *overlays : paths
        Folders whose exercise files replace the reference ones (missing ones stay reference).
    files : dict {filename: text}, optional
        Files written last, e.g. ``{"ex05_deltas.py": "..."}``.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    for source in (SOLUTIONS_DIR, *overlays):
        for path in Path(source).glob("ex*_*.py"):
            shutil.copyfile(path, folder / path.name)
    for name, text in (files or {}).items():
        (folder / name).write_text(text)
    return folder


# Facts about the graded process, as numbers (text travels as arrays of byte values).
PROBE = textwrap.dedent('''
    import json, os, resource, socket, sys
    import numpy as np

    def text(value):
        return np.frombuffer(str(value).encode(), dtype=np.uint8).astype(np.int64)

    def denied(action):
        try:
            action()
            return 0
        except OSError:
            return 1

    SUBMISSION = os.path.dirname(__file__)

    def gradient_descent_step(Theta, D, alpha):
        facts = {"uid": os.getresuid()[0], "euid": os.getresuid()[1], "suid": os.getresuid()[2],
                 "gid": os.getresgid()[0], "groups": len(os.getgroups())}
        facts["setuid_root_denied"] = denied(lambda: os.setuid(0))
        facts["init_environ_denied"] = denied(lambda: open("/proc/1/environ", "rb").read())
        facts["root_only_denied"] = denied(lambda: open(ROOT_ONLY).read())
        status = dict(line.split(":", 1) for line in open("/proc/self/status"))
        facts["capabilities"] = int(status["CapEff"].strip(), 16)
        facts["processes"] = len([p for p in os.listdir("/proc") if p.isdigit()])
        facts["network_denied"] = denied(lambda: socket.create_connection(("127.0.0.1", PORT), timeout=2))
        seen, library = [], []
        for folder, dirs, files in os.walk("/") if SUBMISSION == "/submission" else ():   # only a sandbox is small
            if folder.startswith(("/proc", "/dev", "/sys")):
                dirs[:] = []
                continue
            for name in dirs + files:
                path = os.path.join(folder, name)
                seen.append(path)
                if "backprop" in path.lower() and not path.startswith(("/opt/backprop-grader", SUBMISSION)):
                    library.append(path)
        facts["files_seen"] = len(seen)
        facts["library_paths"] = text(library)
        facts["top"] = text(sorted(os.listdir("/")))
        facts["runtime"] = text(sorted(p.removeprefix("/opt/backprop-grader/") for p in seen
                                       if p.startswith("/opt/backprop-grader/") and "/numpy/" not in p
                                       and "/numpy.libs/" not in p))
        facts["submission"] = text(sorted(os.listdir(os.path.dirname(__file__))))
        facts["package_dirs_nonempty"] = sum(1 for p in seen if p.endswith(("site-packages", "dist-packages"))
                                             and os.path.isdir(p) and os.listdir(p))
        facts["write_submission_denied"] = denied(lambda: open(os.path.join(os.path.dirname(__file__), "x"), "w"))
        facts["write_usr_denied"] = denied(lambda: open("/usr/lib/x", "w"))
        facts["write_tmp_denied"] = denied(lambda: open("/tmp/x", "w").write("ok"))
        for name in ("AS", "CPU", "FSIZE", "NOFILE", "NPROC"):
            soft, hard = resource.getrlimit(getattr(resource, "RLIMIT_" + name))
            facts[name] = np.array([soft, hard])
        facts["library_module"] = text(getattr(sys.modules.get("backprop_course"), "__file__", "none"))
        return facts
''')


def probe(tmp_path, mode, root_only, port):
    """The probe's facts, graded in `mode` by this process (as run_exercises returns them raw)."""
    source = PROBE.replace("ROOT_ONLY", repr(str(root_only))).replace("PORT", str(port))
    sub = read_submission(make_submission(tmp_path / "probe", files={"ex08_gradient_descent_step.py": source}))
    with sandbox.Slots(mode, 1) as slots, slots.slot() as uid:
        (run,) = run_exercises([prepare("ex08")], sub, mode, uid, timeout=20)
    assert run.status == "ok", run.message
    result = run.results["u_fixed1"]
    assert result.ok, result.error
    return {k: bytes(v.astype(np.uint8)).decode() if isinstance(v, np.ndarray) and k not in (
        "AS", "CPU", "FSIZE", "NOFILE", "NPROC") else v for k, v in result.value.items()}, uid


# -- a simulated Gradescope /autograder -------------------------------------------------------------------

def unpack_bundle(bundle, root):
    """Unzip an autograder bundle into ROOT/source, as Gradescope does, with its scripts executable."""
    import os
    import zipfile

    with zipfile.ZipFile(bundle) as zf:
        zf.extractall(Path(root) / "source")
    for script in ("setup.sh", "run_autograder"):
        os.chmod(Path(root) / "source" / script, 0o755)
    return Path(root)


def run_autograder(root, files, folder="nested"):
    """Put `files` ({relative path: text}) in ROOT/submission/FOLDER, run run_autograder, return results.json."""
    import json
    import os
    import subprocess
    import sys

    submission = Path(root) / "submission"
    if submission.exists():
        shutil.rmtree(submission)
    for name, text in files.items():
        path = submission / folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    env = {"PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}", "AUTOGRADER_ROOT": str(root),
           "HOME": str(root)}                                           # python3 = this interpreter
    proc = subprocess.run(["bash", str(Path(root) / "source" / "run_autograder")], env=env, capture_output=True,
                          text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    return json.loads((Path(root) / "results" / "results.json").read_text())
