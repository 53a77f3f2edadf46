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
    for marker in ("BEGIN SOLUTION", "END SOLUTION", "BEGIN BUGGY", "END BUGGY"):
        assert marker not in stub
    assert make_stubs.solution_lines(solution), "the solution must have a marked block"
    if exercise.answers:        # find-the-bug: a fix line may be another function's right line, so per function
        stub_scopes = make_stubs.scopes(stub)
        fixes = make_stubs.fixes_by_scope(solution)
        assert set(fixes) == set(exercise.functions) | {None}, "every function and the answers need a fix block"
        leaked = {scope: [line for line in lines if line in stub_scopes.get(scope, [])]
                  for scope, lines in fixes.items()}
        assert not any(leaked.values()), f"{exercise.filename} leaks fixes: {leaked}"
        return
    stub_lines = {line.strip() for line in stub.splitlines()}
    leaked = [line for line in make_stubs.solution_lines(solution) if line in stub_lines]
    assert not leaked, f"{exercise.filename} leaks solution lines: {leaked}"


@pytest.mark.parametrize("exercise", [e for e in EXERCISES if not e.answers], ids=lambda e: e.name)
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
