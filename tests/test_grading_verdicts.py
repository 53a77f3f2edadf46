"""Verdicts that blame the right exercise and say what is wrong without giving the answer away."""

import re
import textwrap
from pathlib import Path

import numpy as np
import pytest
from submissions import make_submission

from backprop_course.grading.cases import SECRET_ENV, build, get
from backprop_course.grading.checks import prepare
from backprop_course.grading.harness import grade_many

REPO = Path(__file__).resolve().parents[1]
BUGGY = REPO / "tests" / "buggy"

# The README's debugging line, pasted at the bottom of a correct ex10 with what it needs above it.
DEBUGGING = """

import backprop_course as bp

Theta = bp.init_thetas([2, 3, 1], seed=0)
X, Y = np.array([[0.0, 0, 1, 1], [0, 1, 0, 1]]), np.array([[0.0, 1, 1, 0]])
print(bp.check_gradients(Theta, X, Y, 0.0, D=backprop))
print(bp.backprop(Theta, X, Y, 0.0))
"""

DELTAS_OF_ALL_EXAMPLES = """
import numpy as np
from ex02_forward import forward
from ex05_deltas import deltas


def backprop_loop(Theta, X, Y, lambda_):
    L, m = len(Theta) + 1, X.shape[1]
    a, _ = forward(Theta, X)
    d = deltas(Theta, X, Y)              # every example at once: not a call a loop over examples makes
    D = {l: d[l + 1] @ a[l].T / m for l in range(1, L)}
    for l in D:
        D[l][:, 1:] += lambda_ / m * Theta[l][:, 1:]
    return D
"""

SUBMISSIONS = {
    # name: {file: source}
    "forward_wrong": {"ex02_forward.py": (BUGGY / "bias_unit_missing__ex02_forward.py").read_text()},
    "sigmoid_wrong": {"ex01_sigmoid.py": (BUGGY / "g_prime_is_g__ex01_sigmoid.py").read_text()},
    "deltas_wrong": {"ex05_deltas.py": (BUGGY / "g_instead_of_g_prime__ex05_deltas.py").read_text()},
    "cost_wrong": {"ex03_cost.py": (BUGGY / "cost_bias_regularized__ex03_cost.py").read_text()},
    "debugging_left_in": {"ex10_backprop_vectorized.py": (
        REPO / "backprop_course/grading/solutions/ex10_backprop_vectorized.py").read_text() + DEBUGGING},
    "zeros": {"ex08_gradient_descent_step.py": "def gradient_descent_step(Theta, D, alpha):\n"
                                               "    return {l: 0 * T for l, T in Theta.items()}\n",
              "ex10_backprop_vectorized.py": "import numpy as np\n\ndef backprop(Theta, X, Y, lambda_):\n"
                                             "    return {l: np.zeros_like(T) for l, T in Theta.items()}\n"},
    "crash": {"ex08_gradient_descent_step.py": "def gradient_descent_step(Theta, D, alpha):\n"
                                               "    return {l: Theta[l] - alpha * D[l + 1] for l in Theta}\n"},
    "off_by_a_little": {"ex03_cost.py": textwrap.dedent("""
        from ex02_forward import forward
        import numpy as np

        def cost(Theta, X, Y, lambda_):
            L, m = len(Theta) + 1, X.shape[1]
            h = forward(Theta, X)[0][L]
            J = -np.sum(Y * np.log(h) + (1 - Y) * np.log(1 - h)) / m
            return J + lambda_ / (2 * m) * sum(np.sum(T[:, 1:] ** 2) for T in Theta.values()) + 0.25
        """),
        "ex08_gradient_descent_step.py": (BUGGY / "update_adds_gradient__ex08_gradient_descent_step.py").read_text()},
    "deltas_of_all_examples": {"ex06_backprop_loop.py": DELTAS_OF_ALL_EXAMPLES},
    "deltas_of_all_examples_stub_ex05": {"ex06_backprop_loop.py": DELTAS_OF_ALL_EXAMPLES,
                                         "ex05_deltas.py": (REPO / "exercises/ex05_deltas.py").read_text()},
}


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    base = tmp_path_factory.mktemp("verdicts")
    return grade_many({name: make_submission(base / name, files=files) for name, files in SUBMISSIONS.items()})


def exercise(graded, student, name):
    return next(e for e in graded[student].exercises if e.name == name)


@pytest.mark.parametrize("student, wrong, users", [
    ("forward_wrong", "ex02_forward", ["ex03_cost", "ex05_deltas", "ex06_backprop_loop", "ex10_backprop_vectorized"]),
    ("sigmoid_wrong", "ex01_sigmoid", ["ex02_forward", "ex05_deltas", "ex06_backprop_loop",
                                       "ex10_backprop_vectorized"]),
    ("deltas_wrong", "ex05_deltas", ["ex06_backprop_loop"]),
    ("cost_wrong", "ex03_cost", ["ex07_numerical_gradient"]),
])
def test_a_mistake_in_an_earlier_exercise_costs_that_exercise_only(graded, student, wrong, users):
    assert exercise(graded, student, wrong).points < 10
    number = int(wrong[2:4])
    for name in users:
        later = exercise(graded, student, name)
        assert later.points == later.max_points, later.text()
        assert any(f"{wrong}.py (exercise {number}) is not right yet" in note for note in later.notes), later.notes
    assert graded[student].points == 104 - (10 - exercise(graded, student, wrong).points)


def test_debugging_code_left_at_module_level_earns_a_note_not_a_zero(graded):
    result = exercise(graded, "debugging_left_in", "ex10_backprop_vectorized")
    assert result.points == 10 and result.status == "passed", result.text()
    notes = " ".join(result.notes)
    for name in ("backprop_course.init_thetas", "backprop_course.check_gradients", "backprop_course.backprop"):
        assert name in notes, notes
    assert re.search(r"ex10_backprop_vectorized\.py, line \d+: calls backprop_course\.check_gradients", notes)
    assert "Keep such checks in the notebook" in notes


@pytest.mark.parametrize("name", ["ex08_gradient_descent_step", "ex10_backprop_vectorized"])
def test_zeros_of_the_right_shape_score_nothing(graded, name):
    result = exercise(graded, "zeros", name)
    assert result.points == 0 and result.status == "failed", result.text()
    assert all(c.points == 0 for c in result.checks)
    assert any("No value is right yet" in line for line in result.feedback)


def test_a_crash_names_the_exception_and_the_learners_line(graded):
    result = exercise(graded, "crash", "ex08_gradient_descent_step")
    assert result.points == 0
    assert "KeyError" in result.text() and "(in ex08_gradient_descent_step.py, line 2: return {l: Theta[l] - alpha " \
                                          "* D[l + 1] for l in Theta})" in result.text()


def _expected_numbers(name):
    """Every expected value of a graded case of `name`, formatted as feedback might print it."""
    prep = prepare(name)
    texts = set()
    for value in prep.expected.values():
        leaves = value.values() if isinstance(value, dict) else [value]
        for leaf in leaves:
            for v in np.ravel(leaf):
                if abs(v) > 1e-3:
                    texts |= {f"{v:.6g}", f"{v:.5g}", f"{v:.4g}", f"{v:.3g}"}
    labels = " ".join([c.about for c in prep.cases] + [c.label for c in prep.checks])
    return {t for t in texts if len(t.lstrip("-").replace(".", "")) >= 3 and t not in labels}


@pytest.mark.parametrize("name", ["ex03_cost", "ex08_gradient_descent_step"])
def test_feedback_says_how_far_off_a_value_is_but_never_the_expected_value(graded, name):
    result = exercise(graded, "off_by_a_little", name)
    text = result.text() + " ".join(f.message for f in result.findings)
    assert result.points < result.max_points and ("off by" in text or "larger" in text or "too large" in text)
    leaked = sorted(t for t in _expected_numbers(name) if re.search(rf"(?<![\d.]){re.escape(t)}(?![\d])", text))
    assert not leaked, f"the feedback of {name} states expected values {leaked}:\n{text}"


def test_a_helper_called_on_inputs_no_correct_solution_passes_is_answered_by_the_learners_own(graded):
    ok = exercise(graded, "deltas_of_all_examples", "ex06_backprop_loop")
    assert ok.points == 10 and any("your own deltas (exercise 5) answered them" in n for n in ok.notes), ok.notes
    stub = exercise(graded, "deltas_of_all_examples_stub_ex05", "ex06_backprop_loop")
    assert stub.points == 0 and stub.status == "failed", stub.text()
    assert "Some errors come from ex05_deltas.py" in stub.feedback[0] and "not implemented yet" in stub.text()


def test_hidden_cases_depend_on_the_secret_alone():
    ex = get("ex10")
    visible, first, again, other = (build(ex, s)[0] for s in (None, b"one secret", b"one secret", b"another"))
    theta = [c.args[0][1] for c in visible], [c.args[0][1] for c in first], [c.args[0][1] for c in again], \
        [c.args[0][1] for c in other]
    assert all(np.array_equal(a, b) for a, b in zip(theta[1], theta[2], strict=True))
    assert not any(np.array_equal(a, b) for a, b in zip(theta[0], theta[1], strict=True))
    assert not any(np.array_equal(a, b) for a, b in zip(theta[1], theta[3], strict=True))
    assert [c.args[0][1].shape for c in first] == [c.args[0][1].shape for c in visible]


def test_the_environment_variable_selects_the_hidden_cases(tmp_path, monkeypatch):
    monkeypatch.setenv(SECRET_ENV, "one secret")
    result = grade_many({"me": make_submission(tmp_path / "me")}, exercises={"me": ["ex05"]})["me"]
    assert result.points == 10
    assert [c.label for c in result.exercises[0].checks][1] == "hidden 2-3-1 network"
