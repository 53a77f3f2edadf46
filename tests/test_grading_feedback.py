"""Feedback that never misleads (issue 15): each learner's variant, what the feedback must say and must not.

Every submission is graded together by one fixture (the reference solutions plus the learner's file);
each test looks at one outcome. A diagnosis names a mistake only when the values show it; otherwise the
feedback says where (layer, unit, example) and by how much the result differs, once.
"""

import re
import textwrap
from pathlib import Path

import numpy as np
import pytest
from submissions import make_submission

import backprop_course as bp
from backprop_course.cli import main
from backprop_course.grading import diagnoses as dg
from backprop_course.grading.checks import prepare
from backprop_course.grading.harness import grade_many

REPO = Path(__file__).resolve().parents[1]
BUGGY = REPO / "tests" / "buggy"
SOLUTION = REPO / "backprop_course" / "grading" / "solutions"
STUB = REPO / "exercises"


def stable_sigmoid_and(gradient_body):
    """An ex01 file with a correct, stable sigmoid and the given body of sigmoid_gradient."""
    return (BUGGY / "g_prime_is_g__ex01_sigmoid.py").read_text().split("def sigmoid_gradient")[0] + \
        "def sigmoid_gradient(z):\n" + textwrap.indent(textwrap.dedent(gradient_body), "    ")


EX05 = (SOLUTION / "ex05_deltas.py").read_text()

LEARNERS = {
    # name: ({file: source}, [exercises graded])
    "one_minus_g": ({"ex01_sigmoid.py": (BUGGY / "g_prime_one_minus_g__ex01_sigmoid.py").read_text()}, ["ex01"]),
    "g_times_one_minus_z": ({"ex01_sigmoid.py": (BUGGY / "g_prime_mixes_z__ex01_sigmoid.py").read_text()}, ["ex01"]),
    "g_itself": ({"ex01_sigmoid.py": (BUGGY / "g_prime_is_g__ex01_sigmoid.py").read_text()}, ["ex01"]),
    "gradient_overflows": ({"ex01_sigmoid.py": (BUGGY / "sigmoid_gradient_overflow__ex01_sigmoid.py").read_text()},
                           ["ex01"]),
    "sigmoid_overflows": ({"ex01_sigmoid.py": (BUGGY / "sigmoid_overflow__ex01_sigmoid.py").read_text()}, ["ex01"]),
    "where": ({"ex01_sigmoid.py": (BUGGY / "where_evaluates_both__ex01_sigmoid.py").read_text()}, ["ex01"]),
    "to_layer_1_keyerror": ({"ex05_deltas.py": (BUGGY / "recursion_to_layer_1__ex05_deltas.py").read_text()},
                            ["ex05"]),
    "to_layer_1_returned": ({"ex05_deltas.py": EX05.replace("range(L - 1, 1, -1)", "range(L - 1, 0, -1)").replace(
        "sigmoid_gradient(z[l])", "(a[l] * (1 - a[l]))[1:]")}, ["ex05"]),
    "ex01_in_place": ({"ex01_sigmoid.py": stable_sigmoid_and("""
        z = np.asarray(z, dtype=float)
        g = sigmoid(z)
        z *= 0                       # the caller's array, changed
        return g * (1 - g)
        """)}, ["ex01"]),
    "ex01_syntax_error": ({"ex01_sigmoid.py": (SOLUTION / "ex01_sigmoid.py").read_text().replace(
        "def sigmoid_gradient(z):", "def sigmoid_gradient(z)"),
        "ex02_forward.py": (SOLUTION / "ex02_forward.py").read_text().replace(
            "from ex01_sigmoid import sigmoid", "from ex01_sigmoid import sigmoid, sigmoid_gradient")},
        ["ex01", "ex02"]),
    "ex01_stub": ({"ex01_sigmoid.py": (STUB / "ex01_sigmoid.py").read_text()}, ["ex01", "ex02", "ex05"]),
    "zero_d": ({"ex01_sigmoid.py": stable_sigmoid_and("return sigmoid(z) * (1 - sigmoid(z))\n").replace(
        "return g[()] if g.ndim == 0 else g", "return g")}, ["ex01"]),
    "off_in_layer_1": ({"ex06_backprop_loop.py": (SOLUTION / "ex06_backprop_loop.py").read_text().replace(
        "    return D\n", "    D[1] = D[1] * 1.1\n    return D\n")}, ["ex06"]),
}


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    base = tmp_path_factory.mktemp("learners")
    folders = {name: make_submission(base / name, files=files) for name, (files, _) in LEARNERS.items()}
    return grade_many(folders, exercises={name: names for name, (_, names) in LEARNERS.items()})


def result(graded, learner, exercise):
    return next(e for e in graded[learner].exercises if e.name.startswith(exercise))


def codes(e):
    return [f.code for f in e.findings]


# -- sigmoid_gradient: only what the values show ------------------------------------------------------------

@pytest.mark.parametrize("learner, code", [("one_minus_g", "g_prime_one_minus_g"),
                                           ("g_times_one_minus_z", "g_prime_mixes_z")])
def test_a_wrong_derivative_is_never_called_g_itself(graded, learner, code):
    e = result(graded, learner, "ex01")
    assert "g_prime_is_g" not in codes(e) and "returns g(z) itself" not in e.text(), e.text()
    assert codes(e) == [code], e.text()
    failing = [c for c in e.checks if "sigmoid_gradient" in c.label and c.points < c.max_points]
    assert failing and all(re.search(r"off by up to [\d.e+-]+ .*at z = ", c.message) for c in failing), e.text()


def test_returning_g_itself_is_still_named(graded):
    assert codes(result(graded, "g_itself", "ex01")) == ["g_prime_is_g"]


def test_a_case_where_mistakes_coincide_names_none():
    # At z = 0: g = 1 - g = g(1 - z) = 1/2. Such values fit three mistakes, so they show none of them.
    for wrong in (0.5, np.array([0.5])):
        assert dg.diagnose_sigmoid(np.asarray(0.0) if np.ndim(wrong) == 0 else np.array([0.0]), wrong, [],
                                   which="sigmoid_gradient") == []
    z = np.linspace(-3, 3, 7)
    assert [f.code for f in dg.diagnose_sigmoid(z, 1 - bp.sigmoid(z), [], "sigmoid_gradient")] == \
        ["g_prime_one_minus_g"]


# -- overflow: the function that overflowed, and why numpy's where does not help -----------------------------

def test_an_overflow_in_sigmoid_gradient_is_blamed_on_sigmoid_gradient(graded):
    e = result(graded, "gradient_overflows", "ex01")
    assert codes(e) == ["sigmoid_gradient_overflow"], e.text()
    finding = e.findings[0]
    assert "Rewrite g(z)" not in finding.message and "The sigmoid overflows" not in finding.message
    assert "numpy warned in sigmoid_gradient, line 13 of ex01_sigmoid.py" in finding.message
    assert "(G2)" in finding.message and "notebooks/01_neuron_and_sigmoid.ipynb" in finding.message


def test_an_overflow_in_sigmoid_is_blamed_on_sigmoid_even_when_sigmoid_gradient_calls_it(graded):
    e = result(graded, "sigmoid_overflows", "ex01")
    assert codes(e) == ["sigmoid_overflow"], e.text()
    assert "numpy warned in sigmoid, line 6 of ex01_sigmoid.py" in e.findings[0].message


def test_numpys_where_is_recognized_and_explained(graded):
    e = result(graded, "where", "ex01")
    assert codes(e) == ["where_evaluates_both"], e.text()
    message = e.findings[0].message
    assert "both computed in full before it chooses" in message and "numpy warned in sigmoid, line 7" in message
    assert "sigmoid_overflow" not in codes(e)


# -- ex05: the recursion that runs to layer 1 -----------------------------------------------------------------

@pytest.mark.parametrize("learner", ["to_layer_1_keyerror", "to_layer_1_returned"])
def test_a_layer_loop_down_to_layer_1_is_named_with_bp2_and_notebook_05(graded, learner):
    e = result(graded, learner, "ex05")
    assert codes(e)[0] == "recursion_to_layer_1", e.text()
    message = e.findings[0].message
    assert "the recursion runs to layer 1; it stops at 2" in message.lower()
    assert "(BP2)" in message and "notebooks/05_backprop_one_example.ipynb" in message
    assert "notebooks/06" not in e.text() and "D(l) has the shape" not in e.text()


def test_a_crash_in_every_check_is_shown_once(graded):
    e = result(graded, "to_layer_1_keyerror", "ex05")
    text = e.text()
    assert e.status == "failed" and e.crash and text.count("KeyError: 1 (in ex05_deltas.py") == 1, text
    assert "The same error in 7 more checks" in text


# -- general findings name the exercise's own notebook ----------------------------------------------------

def test_inputs_changed_in_ex01_points_to_notebook_01(graded):
    e = result(graded, "ex01_in_place", "ex01")
    (finding,) = [f for f in e.findings if f.code == "inputs_mutated"]
    assert "notebooks/01_neuron_and_sigmoid.ipynb" in finding.message and "notebooks/08" not in finding.message
    assert finding.notebook == "notebooks/01_neuron_and_sigmoid.ipynb" and "Changed: z." in finding.message


def test_every_exercise_has_an_exercise_section_to_send_learners_to():
    import json

    from backprop_course.grading.cases import EXERCISES

    for ex in EXERCISES:
        cells = json.loads((REPO / ex.notebook_path).read_text())["cells"]
        headings = {line.lstrip("#").strip() for cell in cells if cell["cell_type"] == "markdown"
                    for line in "".join(cell["source"]).splitlines() if line.startswith("#")}
        assert "Exercise" in headings, ex.notebook_path


# -- errors in earlier exercises are blamed on them ----------------------------------------------------------

def test_a_syntax_error_in_ex01_is_reported_against_ex01(graded):
    own, later = result(graded, "ex01_syntax_error", "ex01"), result(graded, "ex01_syntax_error", "ex02")
    assert own.status == "import_error" and "SyntaxError in ex01_sigmoid.py, line" in own.first_line, own.text()
    assert "could not import ex02_forward.py" not in later.text()
    assert any("imports ex01_sigmoid.py, which has a syntax error" in n for n in later.notes), later.notes
    assert later.points == later.max_points


@pytest.mark.parametrize("later", ["ex02", "ex05"])
def test_an_unfinished_ex01_is_named_when_a_later_exercise_needs_it(graded, later):
    e = result(graded, "ex01_stub", later)
    assert e.points == e.max_points, e.text()                         # graded with the correct ex01 (the oracle)
    assert any("ex01_sigmoid.py (exercise 1) is not written yet" in n for n in e.notes), e.notes
    assert result(graded, "ex01_stub", "ex01").status == "not implemented"


# -- detail lines: the course's terms and the size of the error --------------------------------------------

def test_detail_lines_speak_of_layers_and_units_never_of_indices(graded):
    e = result(graded, "off_in_layer_1", "ex06")
    messages = " ".join(c.message for c in e.checks)
    assert "index" not in messages, messages
    assert re.search(r"D\[1\] is off by up to [\d.e-]+ \(\d+ of \d+ entries differ\); the largest difference is "
                     r"the weight from (the bias unit|unit \d) of layer 1 to unit \d of layer 2, too (large|small)",
                     messages), messages
    assert codes(e) == ["recursion_wrong"], e.text()                  # one pattern, not two that contradict


def test_hidden_cases_name_neither_inputs_nor_expected_values(tmp_path):
    files = {"ex01_sigmoid.py": (BUGGY / "g_prime_one_minus_g__ex01_sigmoid.py").read_text()}
    e = grade_many({"s": make_submission(tmp_path / "s", files=files)}, exercises={"s": ["ex01"]},
                   secret="a course secret")["s"].exercises[0]
    text = e.text()
    assert "at z =" not in text and "index" not in text
    expected = {t for value in prepare("ex01", b"a course secret").expected.values() for v in np.ravel(value)
                for t in (f"{v:.2g}", f"{v:.3g}", f"{v:.4g}") if len(t.lstrip("-").replace(".", "")) >= 3}
    assert not [t for t in expected if re.search(rf"(?<![\d.]){re.escape(t)}(?![\d])", text)], text


def test_a_float_gives_a_float_rejects_a_0d_array(graded):
    e = result(graded, "zero_d", "ex01")
    (shape,) = [c for c in e.checks if c.group == "type and shape"]
    assert shape.points == 0 and "0-dimensional numpy array" in shape.message, e.text()
    assert e.points == e.max_points - shape.max_points


# -- the grade command's default output -----------------------------------------------------------------------

def test_grade_shows_started_exercises_in_full_and_one_line_for_the_rest(tmp_path, capsys):
    sub = tmp_path / "exercises"
    sub.mkdir()
    for stub in STUB.glob("ex*_*.py"):
        (sub / stub.name).write_text(stub.read_text())
    (sub / "ex01_sigmoid.py").write_text((BUGGY / "g_prime_one_minus_g__ex01_sigmoid.py").read_text())
    assert main(["grade", "--submission", str(sub)]) == 1
    out = capsys.readouterr().out
    assert "diagnosis [g_prime_one_minus_g]" in out and "sigmoid_gradient on fixed values" in out
    assert "returns (a, z): dicts with the right keys" not in out          # ex02's checklist: not started
    assert "ex01_sigmoid: 6/10 (partial)" in out and "ex02_forward: 0/10" not in out
    assert "not started yet (one line each in the table above): ex02_forward, ex03_cost" in out
    assert main(["grade", "--submission", str(sub), "--all", "--quiet"]) == 1


# -- words -----------------------------------------------------------------------------------------------------

def test_no_grader_message_calls_the_source_article_the_seed():
    # "seed" means a random seed ("the same seed gives the same batches"); the article is never "the seed".
    article = re.compile(r"\bthe seed's\b|\b(in|of|from|by|follows) the seed\b(?! argument)|\bseed's notation",
                         re.IGNORECASE)
    texts = {code: m.explanation for code, m in dg.MISTAKES.items()}
    texts.update({str(p): p.read_text() for p in STUB.glob("*") if p.is_file()})
    texts.update({str(p): p.read_text() for p in (REPO / "backprop_course" / "grading").glob("*.py")})
    texts.update({name: (REPO / name).read_text() for name in ("README.md", "docs/instructors.md")})
    offending = {where: article.search(text).group(0) for where, text in texts.items() if article.search(text)}
    assert not offending, offending
