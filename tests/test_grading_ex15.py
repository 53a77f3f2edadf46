"""Exercise 15 (backprop for any hidden activation and output layer): every combination graded, mistakes named."""

import numpy as np
import pytest
from submissions import (
    EX12_MISTAKES,
    EX12_RIGHT,
    EX12_TEMPLATE,
    EX15_MISTAKES,
    EX15_RIGHT,
    EX15_TEMPLATE,
    assert_named,
    assert_verdicts,
    fill,
    grade_files,
)
from submissions import make_submission as submission

import backprop_course as bp
from backprop_course import misconceptions as mc
from backprop_course.grading import wire
from backprop_course.grading.cases import GENERAL_LOSS, build, get, reference_backprop_general
from backprop_course.grading.harness import grade_many

EXERCISE = "ex15_backprop_general"
# Correct, written around exercise 12's softmax, which it imports as a learner's file would.
USES_OWN_SOFTMAX = fill(EX15_TEMPLATE, EX15_RIGHT).replace(
    "import numpy as np\n", "import numpy as np\nfrom ex12_softmax import softmax\n").replace(
    "        e = np.exp(z[L] - z[L].max(axis=0))\n        a[L] = e / e.sum(axis=0)\n", "        a[L] = softmax(z[L])\n")


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """The reference, two other correct files, the stub and every mistaken file, graded in one run."""
    assert "softmax(z[L])" in USES_OWN_SOFTMAX
    files = {"right": fill(EX15_TEMPLATE, EX15_RIGHT), "own_softmax": USES_OWN_SOFTMAX,
             "library": "import backprop_course as bp\n\n\ndef backprop_general(Theta, X, Y, lambda_, activation, "
                        "output):\n    return bp.backprop(Theta, X, Y, lambda_, activation, output)\n"}
    files.update({code: fill(EX15_TEMPLATE, EX15_RIGHT, pieces) for code, pieces in EX15_MISTAKES.items()})
    wrong_softmax = fill(EX12_TEMPLATE, EX12_RIGHT, EX12_MISTAKES["softmax_wrong_axis"])
    others = {"wrong_ex12": ({"ex12_softmax.py": wrong_softmax}, ["ex12_softmax", EXERCISE])}
    return grade_files(tmp_path_factory.mktemp("ex15"), EXERCISE, files, others)


def test_any_correct_code_gets_full_marks_the_stub_and_the_library_call_zero(graded):
    assert_verdicts(graded, ["reference", "right", "own_softmax"])


def test_a_wrong_softmax_of_exercise_12_costs_exercise_12_only(graded):
    ex12, ex15 = graded["wrong_ex12/ex12_softmax"], graded["wrong_ex12"]
    assert ex12.name == "ex12_softmax" and ex12.points < ex12.max_points
    assert ex15.points == ex15.max_points, ex15.text()            # the reference ex15 imports that softmax
    assert any("ex12_softmax.py (exercise 12) is not right yet" in note for note in ex15.notes), ex15.notes


@pytest.mark.parametrize("code", EX15_MISTAKES)
def test_each_mistake_earns_partial_credit_and_is_named(graded, code):
    assert_named(graded[code], code, "notebooks/1")


def test_every_combination_is_graded_on_its_own(graded):
    labels = [c.label for c in graded["reference"].checks]
    for activation in ("sigmoid", "tanh", "relu"):
        for output in GENERAL_LOSS:
            assert f"hidden {activation}, output {output}" in labels
    lost = {c.label for c in graded["tanh_prime_as_sigmoid"].checks if c.points < c.max_points}
    assert lost == {"hidden tanh, output sigmoid", "hidden tanh, output softmax", "hidden tanh, output identity"}
    lost = {c.label for c in graded["mse_delta_doubled"].checks if c.points < c.max_points}
    assert {"hidden sigmoid, output identity", "hidden tanh, output identity"} <= lost
    assert not any("output softmax" in label or "output sigmoid" in label for label in lost)


def test_relu_at_exactly_zero_follows_the_library_convention(graded):
    assert bp.relu_gradient(0.0) == 0.0 and bp.relu_gradient(1e-300) == 1.0
    case = next(c for c in build(get(EXERCISE))[0] if c.id == "g_relu_zero")
    Theta, X = case.args[:2]
    _, z = bp.forward(Theta, X, activation="relu", output=case.args[5])
    assert np.all(z[2][1] == 0.0)                              # hidden unit 2 of layer 2 sits on the kink
    lost = [c.label for c in graded["relu_prime_one_at_zero"].checks if c.points < c.max_points]
    assert lost == ["ReLU's slope at exactly z = 0 is 0, the course's convention"]


def test_the_reference_is_the_library_backprop_with_each_outputs_cost():
    for case in build(get(EXERCISE))[0]:
        if case.id == "g_relu_zero":            # on the kink a central difference sees the average slope 1/2
            continue
        Theta, X, Y, lambda_, activation, output = case.args
        D = reference_backprop_general(*case.args)
        numerical = bp.numerical_gradient(Theta, X, Y, lambda_, 1e-6, activation=activation, output=output,
                                          loss=GENERAL_LOSS[output])
        assert bp.relative_error(D, numerical) < 1e-6, case.id
        assert lambda_ > 0 and all(np.any(T[:, 0] != 0) for T in Theta.values())   # the bias column is tested


def test_hidden_cases_come_from_the_secret_and_the_reference_passes_them(tmp_path):
    visible, hidden = (build(get(EXERCISE), s)[0] for s in (None, b"a deployment secret"))
    assert [c.id for c in visible] == [c.id for c in hidden]
    assert not any(np.array_equal(v.args[0][1], h.args[0][1]) for v, h in zip(visible, hidden, strict=True))
    assert [c.args[4:] for c in visible] == [c.args[4:] for c in hidden]
    result = grade_many({"me": submission(tmp_path / "me")}, exercises={"me": [EXERCISE]},
                        secret="a deployment secret")["me"].exercises[0]
    assert result.points == 10, result.text()


def test_the_model_names_travel_to_the_graded_process_as_text():
    assert wire.decode(wire.encode(("tanh", "softmax"))) == ("tanh", "softmax")
    assert wire.decode(wire.encode("x" * 5000)) == "x" * wire.MAX_TEXT
    with pytest.raises(wire.WireError):
        wire.decode({"__s__": ["not", "text"]})


def test_the_model_mistakes_are_tried_only_when_asked():
    Theta = bp.init_thetas([3, 4, 3], epsilon_init=1.0, seed=3)
    X = np.sin(np.arange(15.0)).reshape(3, 5)
    Y = np.eye(3)[:, [0, 2, 1, 1, 0]]
    D = mc.simulate_gradient(Theta, X, Y, 0.5, {"softmax_delta_diagonal": True}, "tanh", "softmax", "cross_entropy")
    more = mc.model_mistakes("tanh", "softmax", "cross_entropy")
    named = mc.diagnose_gradient(Theta, X, Y, 0.5, D, "tanh", "softmax", "cross_entropy", more=more)
    assert [f.code for f in named] == ["softmax_delta_diagonal"]
    plain = mc.diagnose_gradient(Theta, X, Y, 0.5, D, "tanh", "softmax", "cross_entropy")
    assert "softmax_delta_diagonal" not in [f.code for f in plain]


def test_the_notebook_loads_and_checks_the_learners_exercise_15(tmp_path):
    sub = submission(tmp_path / "exercises")
    mine = bp.exercises.load(EXERCISE, submission_dir=sub)
    Theta = bp.init_thetas([2, 4, 3], epsilon_init=1.0, seed=0)
    X, Y = np.sin(np.arange(10.0)).reshape(2, 5), np.eye(3)[:, [0, 1, 2, 1, 0]]
    D = mine.backprop_general(Theta, X, Y, 0.3, "tanh", "softmax")
    want = bp.backprop(Theta, X, Y, 0.3, activation="tanh", output="softmax")
    for l in want:
        np.testing.assert_allclose(D[l], want[l], rtol=1e-9, atol=1e-12)
    assert bp.check(EXERCISE, submission_dir=sub).points == 10
