"""Build submission folders for the grader's tests and benchmarks: the reference solutions plus pieces.

Also the probe: an exercise file that returns facts about the process grading it (tests/test_grading_sandbox.py).
"""

import shutil
import textwrap
from pathlib import Path

import numpy as np

from backprop_course.grading import sandbox
from backprop_course.grading.cases import EXERCISES, SOLUTIONS_DIR
from backprop_course.grading.checks import prepare
from backprop_course.grading.harness import grade_many as run_many
from backprop_course.grading.harness import read_submission, run_exercises

# The full marks of the course's exercise table, for the tests that count points.
TOTAL = sum(e.points for e in EXERCISES)


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
        tmp = os.statvfs("/tmp")
        facts["TMP"] = np.array([tmp.f_blocks * tmp.f_frsize, tmp.f_files])
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
        "AS", "CPU", "FSIZE", "NOFILE", "NPROC", "TMP") else v for k, v in result.value.items()}, uid


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
    env = {"PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}",      # python3 = this interpreter
           "AUTOGRADER_ROOT": str(root), "HOME": str(root), sandbox.UID_ENV: str(sandbox.first_uid())}
    proc = subprocess.run(["bash", str(Path(root) / "source" / "run_autograder")], env=env, capture_output=True,
                          text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    return json.loads((Path(root) / "results" / "results.json").read_text())


# -- exercises 16 and 11: mistaken and differently written submissions, made from the reference by edits ---------

def edited(exercise, *replacements):
    """The reference solution of `exercise` (a file name stem) with each (old, new) text replaced once."""
    text = (SOLUTIONS_DIR / f"{exercise}.py").read_text()
    for old, new in replacements:
        assert text.count(old) == 1, f"{old!r} is not exactly once in the reference {exercise}.py"
        text = text.replace(old, new)
    return text


_M1 = "    velocity = {l: beta * velocity[l] + D[l] for l in Theta}                # (M1)\n"
_M2 = "    Theta = {l: Theta[l] - alpha * velocity[l] for l in Theta}              # (M2)\n"

# code of the diagnosis -> the edits that plant exactly that mistake in ex16_optimizers.py
EX16_MISTAKES = {
    "momentum_velocity_after_step": [(_M1 + _M2, _M2 + _M1)],
    "momentum_sign_wrong": [("Theta[l] - alpha * velocity[l]", "Theta[l] + alpha * velocity[l]")],
    "momentum_dampened": [("beta * velocity[l] + D[l]", "beta * velocity[l] + (1 - beta) * D[l]")],
    "adam_no_bias_correction": [("m[l] / (1 - beta1 ** t)", "m[l]"), ("v[l] / (1 - beta2 ** t)", "v[l]")],
    "adam_bias_power_wrong": [("(1 - beta1 ** t)", "(1 - beta1 ** state[\"t\"])"),
                              ("(1 - beta2 ** t)", "(1 - beta2 ** state[\"t\"])")],
    "adam_betas_swapped": [("    t = state[\"t\"] + 1\n",
                            "    beta1, beta2 = beta2, beta1\n    t = state[\"t\"] + 1\n")],
    "adam_epsilon_in_sqrt": [("(np.sqrt(v_hat) + epsilon)", "np.sqrt(v_hat + epsilon)")],
    "adam_sign_wrong": [("Theta[l] - alpha * m_hat", "Theta[l] + alpha * m_hat")],
}

# Another mistake of the same kind: the bias correction with a fixed power (beta itself, never beta^t).
EX16_FIXED_POWER = [("beta1 ** t)", "beta1)"), ("beta2 ** t)", "beta2)")]

# Correct, but written otherwise: copies updated in place, and Adam's step size folded into alpha_t
# (the same numbers up to rounding: alpha_t = alpha sqrt(1 - beta2^t) / (1 - beta1^t), epsilon scaled alike).
EX16_OTHER_CORRECT = '''
import numpy as np


def momentum_step(Theta, D, velocity, alpha, beta=0.9):
    new_Theta, new_velocity = {}, {}
    for l in sorted(Theta):
        v = np.zeros(np.shape(Theta[l])) if velocity is None else np.array(velocity[l], dtype=float)
        v *= beta
        v += D[l]
        w = np.array(Theta[l], dtype=float)
        w -= alpha * v
        new_Theta[l], new_velocity[l] = w, v
    return new_Theta, new_velocity


def adam_step(Theta, D, state, alpha, beta1=0.9, beta2=0.999, epsilon=1e-8):
    t = 1 if state is None else state["t"] + 1
    alpha_t = alpha * np.sqrt(1.0 - beta2 ** t) / (1.0 - beta1 ** t)
    epsilon_t = epsilon * np.sqrt(1.0 - beta2 ** t)
    out, m, v = {}, {}, {}
    for l in Theta:
        m_old = np.zeros_like(Theta[l]) if state is None else state["m"][l]
        v_old = np.zeros_like(Theta[l]) if state is None else state["v"][l]
        m[l] = beta1 * m_old + (1.0 - beta1) * D[l]
        v[l] = beta2 * v_old + (1.0 - beta2) * np.square(D[l])
        out[l] = Theta[l] - alpha_t * m[l] / (np.sqrt(v[l]) + epsilon_t)
    return out, {"t": t, "m": m, "v": v}
'''

# code of the diagnosis -> the edits that plant exactly that mistake in ex11_value_backward.py
EX11_MISTAKES = {
    "grad_assigned": [("a.grad += out.grad", "a.grad = out.grad"), ("b.grad += out.grad", "b.grad = out.grad"),
                      ("a.grad += b.data", "a.grad = b.data"), ("b.grad += a.data", "b.grad = a.data"),
                      ("a.grad += k", "a.grad = k"), ("a.grad += (1", "a.grad = (1"),
                      ("a.grad += out.data", "a.grad = out.data")],
    "add_rule_wrong": [("a.grad += out.grad", "a.grad += 1.0"), ("b.grad += out.grad", "b.grad += 1.0")],
    "mul_rule_wrong": [("a.grad += b.data * out.grad", "a.grad += a.data * out.grad"),
                       ("b.grad += a.data * out.grad", "b.grad += b.data * out.grad")],
    "pow_rule_wrong": [("k * a.data ** (k - 1) * out.grad", "k * a.data ** k * out.grad")],
    "tanh_rule_wrong": [("(1 - out.data ** 2) * out.grad", "(1 - a.data ** 2) * out.grad")],
    "exp_rule_wrong": [("a.grad += out.data * out.grad", "a.grad += out.data")],
}

# = instead of += in one rule only (multiply): a + a stays right, x x does not.
EX11_ASSIGNED_IN_MUL = [("a.grad += b.data", "a.grad = b.data"), ("b.grad += a.data", "b.grad = a.data")]

# Correct, but written otherwise: the local derivatives recomputed from the inputs, grad = grad + ...
EX11_OTHER_CORRECT_RULES = '''

def add_backward(out, a, b):
    for x in (a, b):
        x.grad = x.grad + 1.0 * out.grad


def mul_backward(out, a, b):
    local_a, local_b = b.data, a.data
    a.grad = a.grad + local_a * out.grad
    b.grad = b.grad + local_b * out.grad


def pow_backward(out, a, k):
    a.grad += out.grad * k * out.data / a.data if a.data != 0 else out.grad * k * a.data ** (k - 1)


def tanh_backward(out, a):
    a.grad += out.grad / math.cosh(a.data) ** 2


def exp_backward(out, a):
    a.grad += math.exp(a.data) * out.grad
'''


def ex11_with_rules(rules):
    """The reference ex11 file with the five rule functions replaced by `rules` (the class kept)."""
    text = (SOLUTIONS_DIR / "ex11_value_backward.py").read_text()
    return text[:text.index("\n\ndef add_backward")] + rules


def codes(result):
    """The diagnosis codes of an ExerciseResult, in order."""
    return [f.code for f in result.findings]
# -- exercises 12 and 15: correct and mistaken files ------------------------------------------------------

EX12_TEMPLATE = textwrap.dedent('''
    import numpy as np


    def softmax(z):
        SOFTMAX


    def softmax_cross_entropy_delta(a, Y):
        return DELTA
''')
EX12_RIGHT = {"SOFTMAX": "e = np.exp(z - z.max(axis=0, keepdims=True))\n    return e / e.sum(axis=0, keepdims=True)",
              "DELTA": "a - Y"}
EX12_MISTAKES = {                     # catalogue code -> the pieces that differ from EX12_RIGHT
    "softmax_wrong_axis": {"SOFTMAX": "e = np.exp(z - z.max(axis=1, keepdims=True))\n"
                                      "    return e / e.sum(axis=1, keepdims=True)"},
    "softmax_overflow": {"SOFTMAX": "return np.exp(z) / np.sum(np.exp(z), axis=0)"},
    "softmax_global_shift": {"SOFTMAX": "e = np.exp(z - np.max(z))\n    return e / e.sum(axis=0)"},
    "softmax_delta_diagonal": {"DELTA": "-Y * (1 - a)"},
    "softmax_delta_sigmoid_slope": {"DELTA": "(a - Y) * a * (1 - a)"},
    "output_delta_sign": {"DELTA": "Y - a"},
    "softmax_delta_over_m": {"DELTA": "(a - Y) / a.shape[1]"},
}
# Correct, but written another way: log-sum-exp for the softmax, the full Jacobian chain rule per column.
EX12_OTHER = textwrap.dedent('''
    import numpy as np


    def softmax(z):
        c = np.max(z, axis=0)
        log_a = z - (c + np.log(np.sum(np.exp(z - c), axis=0)))
        return np.exp(log_a)


    def softmax_cross_entropy_delta(a, Y):
        d = np.empty_like(a)
        for t in range(a.shape[1]):
            a_t, y_t = a[:, t], Y[:, t]
            jacobian = np.diag(a_t) - np.outer(a_t, a_t)
            d[:, t] = jacobian.T @ (-y_t / a_t)
        return d
''')

EX15_TEMPLATE = textwrap.dedent('''
    import numpy as np

    G = {"sigmoid": lambda z: 1 / (1 + np.exp(-z)), "tanh": np.tanh, "relu": lambda z: np.maximum(z, 0)}
    G_PRIME = {"sigmoid": lambda z: G["sigmoid"](z) * (1 - G["sigmoid"](z)),
               "tanh": lambda z: TANH_PRIME,
               "relu": lambda z: RELU_PRIME}


    def output_error(a, z, Y, output, activation):
        return D_L


    def backprop_general(Theta, X, Y, lambda_, activation, output):
        L = len(Theta) + 1
        m = X.shape[1]
        a = {1: np.vstack([np.ones((1, m)), X])}
        z = {}
        for l in range(1, L):
            z[l + 1] = Theta[l] @ a[l]
            if l + 1 < L:
                a[l + 1] = np.vstack([np.ones((1, m)), G[activation](z[l + 1])])
        if output == "softmax":
            e = np.exp(z[L] - z[L].max(axis=0))
            a[L] = e / e.sum(axis=0)
        elif output == "sigmoid":
            a[L] = G["sigmoid"](z[L])
        else:
            a[L] = z[L]
        d = {L: output_error(a[L], z[L], Y, output, activation)}
        for l in range(L - 1, 1, -1):
            d[l] = (Theta[l].T @ d[l + 1])[1:] * G_PRIME[activation](z[l])
        D = {}
        for l in range(1, L):
            D[l] = d[l + 1] @ a[l].T / m
            D[l][:, 1:] += lambda_ / m * Theta[l][:, 1:]
        return D
''')
# Correct (g' from z rather than from a, unlike the reference): the template's own pieces.
EX15_RIGHT = {"TANH_PRIME": "1 - np.tanh(z) ** 2", "RELU_PRIME": "(z > 0) * 1.0", "D_L": "a - Y"}
EX15_MISTAKES = {
    "tanh_prime_as_sigmoid": {"TANH_PRIME": "np.tanh(z) * (1 - np.tanh(z))"},
    "hidden_g_instead_of_g_prime": {"TANH_PRIME": "np.tanh(z)", "RELU_PRIME": "np.maximum(z, 0)"},
    "relu_prime_one_at_zero": {"RELU_PRIME": "(z >= 0) * 1.0"},
    "relu_prime_sign": {"RELU_PRIME": "np.sign(z)"},
    "softmax_delta_diagonal": {"D_L": "-Y * (1 - a) if output == 'softmax' else a - Y"},
    "softmax_delta_sigmoid_slope": {"D_L": "(a - Y) * a * (1 - a) if output == 'softmax' else a - Y"},
    "sigmoid_delta_extra_slope": {"D_L": "(a - Y) * a * (1 - a) if output == 'sigmoid' else a - Y"},
    "output_delta_hidden_g_prime": {"D_L": "(a - Y) * G_PRIME[activation](z) if output == 'identity' else a - Y"},
    "mse_delta_doubled": {"D_L": "2 * (a - Y) if output == 'identity' else a - Y"},
}


def fill(template, pieces, changes=None):
    """`template` with each placeholder replaced by its piece (`changes` first, then `pieces`)."""
    for name, text in {**pieces, **(changes or {})}.items():
        template = template.replace(name, text)
    return template


STUBS_DIR = Path(__file__).resolve().parents[1] / "exercises"


def grade_files(base, exercise, files, others=None):
    """`exercise` graded in one run for the reference, the stubs and one submission per text of `files`.

    Parameters
    ----------
    base : path
    exercise : str
    files : dict {name: text of the exercise's file}
    others : dict {name: ({filename: text}, [exercise names])}, optional
        Further submissions (reference files with these on top) and the exercises to grade in each.

    Returns
    -------
    dict {name: ExerciseResult}
        "reference", "stub", every name of `files` and of `others` (its last exercise), and
        "name/exercise" for every exercise graded in `others`.
    """
    folders = {"reference": make_submission(Path(base) / "reference"), "stub": STUBS_DIR}
    folders.update({name: make_submission(Path(base) / name, files={f"{exercise}.py": text})
                    for name, text in files.items()})
    exercises = dict.fromkeys(folders, [exercise])
    for name, (texts, names) in (others or {}).items():
        folders[name], exercises[name] = make_submission(Path(base) / name, files=texts), names
    results = run_many(folders, exercises=exercises)
    out = {name: result.exercises[-1] for name, result in results.items()}
    out.update({f"{name}/{e.name}": e for name, result in results.items() for e in result.exercises})
    return out


def assert_named(result, code, notebook):
    """`result` lost some points, not all, and its feedback names `code`, alone, in words without code."""
    assert 0 < result.points < result.max_points, result.text()
    assert [f.code for f in result.findings] == [code], result.text()
    finding = result.findings[0]
    assert f"({finding.equation})" in finding.message and notebook in finding.message, finding.message
    assert finding.message in result.text()
    for fragment in ("np.", "@", ".T", "axis=", "keepdims", "def ", "return ", "[1:]"):
        assert fragment not in finding.message, f"{code} shows code ({fragment!r})"


def assert_verdicts(graded, correct):
    """Full marks for the `correct` names; 0 for "library" (forbidden) and "stub" (one not-implemented line)."""
    for name in correct:
        result = graded[name]
        assert result.points == result.max_points == 10 and result.findings == [], result.text()
    assert graded["library"].points == 0 and graded["library"].status == "forbidden", graded["library"].text()
    stub = graded["stub"]
    assert stub.points == 0 and stub.status == "not implemented", stub.text()
    assert len(stub.feedback) == 1 and "not implemented yet" in stub.feedback[0]
# -- exercise 14 (find the bug): the reference with bugs put back and answers changed ---------------------

def ex14_file(unfixed=(), answers=None, replace=()):
    """The text of an ``ex14_find_the_bug.py``: the reference solution, changed.

    Parameters
    ----------
    unfixed : iterable of str
        Functions (``"backprop_a"``) whose bug stays in, as the stub has it; ``"all"`` for every one.
        The answers stay the reference's unless `answers` changes them.
    answers : dict {name: source text}, optional
        BUG_IN fields to set, e.g. ``{"BUG_IN_A": '"BP4"', "BUG_IN_B": "None"}``; a value of ``""``
        deletes the field's line.
    replace : iterable of (old, new)
        Text replacements made last, each of which must match once.
    """
    import re

    from backprop_course.grading.make_stubs import BEGIN, BEGIN_BUGGY, END, END_BUGGY

    source = (SOLUTIONS_DIR / "ex14_find_the_bug.py").read_text()
    out, scope, mode, keep_bug = [], None, None, False
    for line in source.splitlines():
        match = re.match(r"^def (\w+)\(", line)
        scope = match.group(1) if match else scope
        stripped = line.strip()
        if stripped.startswith(BEGIN_BUGGY):
            inside = line.startswith(" ")              # a function's bug; the BUG_IN fields sit at the top level
            mode, keep_bug = "bug", inside and (unfixed == "all" or scope in unfixed)
        elif stripped.startswith(END_BUGGY):
            mode = None
        elif stripped.startswith(BEGIN):
            mode = "fix"
        elif stripped.startswith(END):
            mode = None
        elif mode == "bug":
            if keep_bug and stripped:
                out.append(line.replace("# ", "", 1))
        elif mode != "fix" or not keep_bug:
            out.append(line)
    text = "\n".join(out) + "\n"
    for name, value in (answers or {}).items():
        text, count = re.subn(rf"^{name} = .*\n", f"{name} = {value}\n" if value else "", text, flags=re.M)
        assert count == 1, name
    for old, new in replace:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    return text
