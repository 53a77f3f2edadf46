"""Exercise 12 (softmax and its output error): full marks for any correct code, each classic mistake named."""

import numpy as np
import pytest
from submissions import (
    EX12_MISTAKES,
    EX12_OTHER,
    EX12_RIGHT,
    EX12_TEMPLATE,
    assert_named,
    assert_verdicts,
    fill,
    grade_files,
)
from submissions import make_submission as submission

import backprop_course as bp
from backprop_course.grading import diagnoses as dg
from backprop_course.grading.cases import build, get
from backprop_course.grading.harness import grade_many

EXERCISE = "ex12_softmax"


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """The reference, two other correct files, the stub and every mistaken file, graded in one run."""
    files = {"right": fill(EX12_TEMPLATE, EX12_RIGHT), "other": EX12_OTHER,
             "library": fill(EX12_TEMPLATE, {"SOFTMAX": "import backprop_course as bp\n    return bp.softmax(z)",
                                              "DELTA": "a - Y"})}
    files.update({code: fill(EX12_TEMPLATE, EX12_RIGHT, pieces) for code, pieces in EX12_MISTAKES.items()})
    return grade_files(tmp_path_factory.mktemp("ex12"), EXERCISE, files)


def test_any_correct_code_gets_full_marks_the_stub_and_the_library_call_zero(graded):
    assert_verdicts(graded, ["reference", "right", "other"])


@pytest.mark.parametrize("code", EX12_MISTAKES)
def test_each_mistake_earns_partial_credit_and_is_named(graded, code):
    assert_named(graded[code], code, "notebooks/12_softmax_cross_entropy.ipynb")


def test_the_overflow_feedback_says_how_large_z_was_and_what_to_subtract(graded):
    text = graded["softmax_overflow"].text()
    assert "|z| of about 800 to 1000" in text and "709.78" in text and "each column's maximum" in text
    assert "overflow encountered in exp" in text           # the check quotes numpy's warning and the line


def test_only_the_properties_separate_a_literal_softmax_from_a_shifted_one(graded):
    lost = {c.label for c in graded["softmax_overflow"].checks if c.points < c.max_points}
    assert lost == {"no overflow for |z| of about 800 to 1000 (no warning, no inf or nan)",
                    "each column shifted by its own maximum (no warning, no inf or nan)"}
    lost = {c.label for c in graded["softmax_global_shift"].checks if c.points < c.max_points}
    assert "each column shifted by its own maximum (no warning, no inf or nan)" in lost


def test_the_visible_fixture_is_the_notebook_example():
    cases = {c.id: c for c in build(get(EXERCISE))[0]}
    z = cases["s_column"].args[0]
    np.testing.assert_allclose(bp.softmax(z).ravel(), [0.6217, 0.1255, 0.2528], atol=5e-5)
    a, Y = cases["d_column"].args
    np.testing.assert_allclose((a - Y).ravel(), [0.6217, 0.1255, -0.7472], atol=5e-5)


def test_every_target_column_is_one_hot_and_large_cases_really_overflow_without_the_shift():
    for secret in (None, b"a deployment secret"):
        cases = build(get(EXERCISE), secret)[0]
        for case in cases:
            if case.func == "softmax_cross_entropy_delta":
                Y = case.args[1]
                assert set(np.unique(Y)) == {0.0, 1.0} and np.all(Y.sum(axis=0) == 1), case.id
        large = {c.id: c.args[0] for c in cases if c.id in ("s_large", "s_mixed")}
        assert all(np.max(np.abs(z)) > 710 for z in large.values())
        column_gap = np.max(large["s_mixed"], axis=0)
        assert column_gap.max() - column_gap.min() > 710           # a single shift leaves a column at e^-700


def test_hidden_cases_come_from_the_secret_and_the_reference_passes_them(tmp_path):
    visible, hidden = (build(get(EXERCISE), s)[0] for s in (None, b"a deployment secret"))
    assert [c.id for c in visible] == [c.id for c in hidden]
    assert not any(np.array_equal(v.args[0], h.args[0]) for v, h in zip(visible, hidden, strict=True))
    result = grade_many({"me": submission(tmp_path / "me")}, exercises={"me": [EXERCISE]},
                        secret="a deployment secret")["me"].exercises[0]
    assert result.points == 10, result.text()


def test_a_diagnosis_needs_the_values_to_show_the_mistake():
    z = np.array([[0.3, -1.2], [1.1, 0.4]])
    assert dg.diagnose_softmax(z, bp.softmax(z)) == []
    assert dg.diagnose_softmax(z, np.full((2, 2), 0.5)) == []               # wrong, but no catalogued slip
    a = bp.softmax(z)
    Y = np.array([[1.0, 0.0], [0.0, 1.0]])
    assert dg.diagnose_softmax_delta(a, Y, a - Y) == []
    assert [f.code for f in dg.diagnose_softmax_delta(a, Y, -Y * (1 - a))] == ["softmax_delta_diagonal"]


def test_the_notebook_loads_and_checks_the_learners_exercise_12(tmp_path):
    sub = submission(tmp_path / "exercises")
    mine = bp.exercises.load(EXERCISE, submission_dir=sub)
    z = np.array([[1.2], [-0.4], [0.3]])
    np.testing.assert_allclose(mine.softmax(z).ravel(), [0.6217, 0.1255, 0.2528], atol=5e-5)
    y = np.array([[0.0], [0.0], [1.0]])
    np.testing.assert_allclose(mine.softmax_cross_entropy_delta(mine.softmax(z), y).ravel(),
                               [0.6217, 0.1255, -0.7472], atol=5e-5)
    assert bp.check(EXERCISE, submission_dir=sub).points == 10
