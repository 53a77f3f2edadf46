"""One source: the stubs in exercises/ are generated from the reference solutions and leak nothing."""

import re
from pathlib import Path

import pytest

from backprop_course.grading import make_stubs
from backprop_course.grading.cases import EXERCISES, SOLUTIONS_DIR

EXERCISES_DIR = Path(__file__).resolve().parents[1] / "exercises"



def test_stubs_are_up_to_date_with_the_solutions():
    stale = [name for name, text in make_stubs.expected_stubs().items()
             if not (EXERCISES_DIR / name).exists() or (EXERCISES_DIR / name).read_text() != text]
    assert not stale, (f"exercises/ stubs out of date: {stale}; run python -m backprop_course.grading.make_stubs")
    assert make_stubs.main(["--check"]) == 0


@pytest.mark.parametrize("exercise", EXERCISES, ids=lambda e: e.name)
def test_no_solution_line_or_marker_survives_in_a_stub(exercise):
    stub = (EXERCISES_DIR / exercise.filename).read_text()
    solution = (SOLUTIONS_DIR / exercise.filename).read_text()
    assert "BEGIN SOLUTION" not in stub and "END SOLUTION" not in stub
    stub_lines = {line.strip() for line in stub.splitlines()}
    leaked = [line for line in make_stubs.solution_lines(solution) if line in stub_lines]
    assert not leaked, f"{exercise.filename} leaks solution lines: {leaked}"
    assert make_stubs.solution_lines(solution), "the solution must have a marked block"


@pytest.mark.parametrize("exercise", EXERCISES, ids=lambda e: e.name)
def test_each_stub_names_exercise_notebook_and_equations_with_a_sized_hint(exercise):
    stub = (EXERCISES_DIR / exercise.filename).read_text()
    for function, hint in exercise.hints.items():
        assert re.search(rf"^def {function}\(", stub, re.M), f"{function} missing from the stub"
        assert f"{exercise.name}.{function} is not implemented yet" in stub
        assert exercise.notebook_path in stub
        for label in hint.equations:
            assert f"({label})" in stub
        assert hint.size in stub.replace("\n    # ", " ")


def test_the_generator_rejects_unbalanced_markers():
    ex = EXERCISES[0]
    with pytest.raises(ValueError, match="never closed"):
        make_stubs.stub_for(ex, "def sigmoid(z):\n    # BEGIN SOLUTION\n    return z\n")
    with pytest.raises(ValueError, match="without"):
        make_stubs.stub_for(ex, "def sigmoid(z):\n    # END SOLUTION\n")
