"""Exercise 16 (momentum_step, adam_step): full marks for correct code, and each classic mistake named alone."""

from pathlib import Path

import numpy as np
import pytest
from submissions import EX16_FIXED_POWER, EX16_MISTAKES, EX16_OTHER_CORRECT, codes, edited, grade_files

import backprop_course as bp
from backprop_course.grading import diagnoses as dg
from backprop_course.grading.checks import prepare

EXERCISE = "ex16_optimizers"
STUB = (Path(__file__).resolve().parents[1] / "exercises" / f"{EXERCISE}.py").read_text()
_M2 = "    Theta = {l: Theta[l] - alpha * velocity[l] for l in Theta}              # (M2)\n"


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """Every ex16 submission of this module, graded together: {name: ExerciseResult}."""
    reference = edited(EXERCISE)
    texts = {code: edited(EXERCISE, *edits) for code, edits in EX16_MISTAKES.items()}
    texts.update({
        "fixed_power": edited(EXERCISE, *EX16_FIXED_POWER),
        "other_correct": EX16_OTHER_CORRECT,
        "stub": STUB,
        "momentum_only": reference.split("def adam_step")[0] + "def adam_step" + STUB.split("def adam_step")[1],
        "mutates": edited(EXERCISE, (_M2, "    for l in Theta:\n        Theta[l] -= alpha * velocity[l]\n")),
    })
    return grade_files(tmp_path_factory.mktemp("ex16"), EXERCISE, texts)


@pytest.mark.parametrize("name", ["reference", "other_correct"])
def test_correct_momentum_and_adam_get_full_marks(graded, name):
    result = graded[name]
    assert result.points == result.max_points == 10, result.text()
    assert result.findings == []


def test_the_stub_scores_zero_without_a_crash(graded):
    result = graded["stub"]
    assert result.points == 0 and result.status == "not implemented", result.text()
    assert "not implemented yet" in result.feedback[0]


def test_each_function_earns_its_own_points(graded):
    result = graded["momentum_only"]
    assert result.points == 5, result.text()
    assert all(c.points == c.max_points for c in result.checks if c.label.startswith("momentum_step"))


@pytest.mark.parametrize("code", sorted(EX16_MISTAKES))
def test_each_mistake_loses_points_and_is_named_alone(graded, code):
    result = graded[code]
    assert result.points < result.max_points, f"{code} kept full marks"
    assert codes(result) == [code], f"{code}: expected only that diagnosis, got {codes(result)}\n{result.text()}"
    finding = result.findings[0]
    assert f"({finding.equation})" in finding.message and "notebooks/16_optimizers.ipynb" in finding.message
    assert finding.message in result.text()


def test_the_mistakes_of_one_function_leave_the_other_functions_points(graded):
    for code in EX16_MISTAKES:
        mine, other = ("momentum_step", "adam_step") if code.startswith("momentum") else ("adam_step", "momentum_step")
        checks = graded[code].checks
        assert all(c.points == c.max_points for c in checks if c.label.startswith(other)), code
        assert any(c.points < c.max_points for c in checks if c.label.startswith(mine)), code


def test_a_fixed_power_in_the_bias_correction_is_named_with_its_power(graded):
    result = graded["fixed_power"]
    assert codes(result) == ["adam_bias_power_wrong"], result.text()
    assert "a fixed power" in result.findings[0].message
    first = next(c for c in result.checks if c.label.startswith("adam_step: the first step"))
    assert first.points == first.max_points, "at t = 1 the power 1 is the right one"


def test_the_power_t_minus_1_divides_by_zero_at_the_first_step_and_is_named(graded):
    result = graded["adam_bias_power_wrong"]
    assert "t - 1" in result.findings[0].message
    first = next(c for c in result.checks if c.label.startswith("adam_step: the first step"))
    assert first.points == 0 and "inf or nan" in first.message


def test_changing_theta_in_place_is_named(graded):
    result = graded["mutates"]
    assert "inputs_mutated" in codes(result), result.text()
    mutation = next(c for c in result.checks if c.label == "momentum_step: inputs not mutated")
    assert mutation.points == 0 and "Theta" in mutation.message


def test_hidden_cases_come_from_the_secret_and_keep_their_settings():
    visible, hidden, again = prepare(EXERCISE), prepare(EXERCISE, b"one secret"), prepare(EXERCISE, b"one secret")
    other = prepare(EXERCISE, b"another secret")
    assert [c.id for c in visible.cases] == [c.id for c in hidden.cases]
    for v, h, a, o in zip(visible.cases, hidden.cases, again.cases, other.cases, strict=True):
        assert v.args[3:] == h.args[3:], "alpha and the betas are the case's settings"
        assert all(h.args[0][l].shape == v.args[0][l].shape for l in v.args[0])
        assert all(np.array_equal(h.args[0][l], a.args[0][l]) for l in h.args[0]), "the same secret, the same case"
        assert not np.allclose(h.args[0][1], v.args[0][1]) and not np.allclose(h.args[0][1], o.args[0][1])
    assert "hidden" in hidden.cases[0].about and "fixed" in visible.cases[0].about


def test_every_case_starts_where_the_librarys_run_is_at_that_step():
    prep = prepare(EXERCISE)
    late = [c for c in prep.cases if c.func == "adam_step" and c.args[2] is not None and c.args[2]["t"] >= 99]
    assert [c.args[2]["t"] for c in late] == [99, 399], "Adam is graded at steps 100 and 400"
    for case in prep.cases:
        Theta, D = case.args[:2]
        assert set(Theta) == set(D) and all(np.all(D[l] != 0) for l in D), case.id


@pytest.mark.parametrize("code", sorted(EX16_MISTAKES))
def test_every_mistake_is_told_apart_from_the_others_on_the_graded_cases(code):
    """On some graded case the step made with the mistake is named as that mistake and no other."""
    prep = prepare(EXERCISE)
    step = "momentum_step" if code.startswith("momentum") else "adam_step"
    simulate = dg._momentum_variants if step == "momentum_step" else dg._adam_variants
    named = []
    for case in (c for c in prep.cases if c.func == step):
        variants = simulate(*_memory(step, case.args))
        named += [dg._named_variant(V, variants) == key for key, V in variants.items() if key[0] == code
                  and all(np.isfinite(W).all() for W in V.values())]
    assert any(named), f"no graded case tells {code} apart from the right step and the other mistakes"


def _memory(step, args):
    """The step's arguments with a None velocity or state replaced by the zeros it stands for."""
    Theta, D, memory, alpha, *options = args
    if memory is None:
        zeros = {l: np.zeros_like(T) for l, T in Theta.items()}
        memory = zeros if step == "momentum_step" else {"t": 0, "m": zeros, "v": dict(zeros)}
    return (Theta, D, memory, alpha, *options)


def test_the_diagnoses_stay_silent_on_the_librarys_own_steps():
    prep = prepare(EXERCISE)
    for case in prep.cases:
        diagnose = dg.diagnose_momentum if case.func == "momentum_step" else dg.diagnose_adam
        assert diagnose(*case.args, bp.momentum_step(*case.args) if case.func == "momentum_step"
                        else bp.adam_step(*case.args)) == [], case.id


@pytest.mark.parametrize("exercise", [EXERCISE, "ex11_value_backward"])
def test_a_private_case_for_an_exercise_that_takes_none_is_refused_clearly(tmp_path, exercise):
    from backprop_course.grading import assignment as A

    (tmp_path / "cases.toml").write_text(f'[[case]]\nexercise = "{exercise}"\nabout = "x"\nsizes = [2, 2, 1]\n')
    path = tmp_path / "assignment.toml"
    path.write_text(f'exercises = ["{exercise}"]\nextra_cases = "cases.toml"\n')
    with pytest.raises(A.AssignmentError, match=f"{exercise} takes no private cases"):
        A.load(path)
