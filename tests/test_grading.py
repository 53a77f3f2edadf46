"""The grader on whole submissions: reference, stubs, differently written correct code, determinism, APIs."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from submissions import TOTAL
from submissions import make_submission as submission

from backprop_course.grading import EXERCISE_NAMES, check, find_submission, grade_submission
from backprop_course.grading.harness import grade_many

REPO = Path(__file__).resolve().parents[1]
EXERCISES_DIR = REPO / "exercises"
VARIANTS = sorted(p for p in (REPO / "tests" / "correct_variants").iterdir() if p.is_dir())


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """Reference, stubs and every correct variant, graded together in parallel (and the reference twice)."""
    base = tmp_path_factory.mktemp("subs")
    folders = {"reference": submission(base / "reference"), "reference_again": submission(base / "again"),
               "stubs": EXERCISES_DIR}
    for v in VARIANTS:
        folders[v.name] = submission(base / v.name, v)
    return grade_many(folders)


def test_reference_solutions_get_full_marks(graded):
    result = graded["reference"]
    failing = [e.text() for e in result.exercises if e.points < e.max_points]
    assert not failing, "the reference solutions must pass their own grader:\n" + "\n".join(failing)
    assert result.points == result.max_points == TOTAL


def test_grade_reference_flag_uses_the_package_solutions():
    result = grade_submission(None, exercises=["ex08", "ex09"], reference=True)
    assert [e.status for e in result.exercises] == ["passed", "passed"]


def test_unmodified_stubs_get_zero_with_one_not_implemented_message_each(graded):
    result = graded["stubs"]
    assert result.points == 0
    for e in result.exercises:
        if e.name == "ex14_find_the_bug":      # its stub is broken code: "not started yet" (test_grading_ex14)
            continue
        assert e.status == "not implemented", e.text()
        assert len(e.feedback) == 1, f"{e.name}: one clear message, got {e.feedback}"
        assert "not implemented yet" in e.feedback[0]
        assert e.name in e.feedback[0] or "ex0" in e.feedback[0]


@pytest.mark.parametrize("variant", [v.name for v in VARIANTS])
def test_differently_written_correct_code_gets_full_marks(graded, variant):
    result = graded[variant]
    failing = [e.text() for e in result.exercises if e.points < e.max_points]
    assert not failing, f"correct code in {variant} lost points:\n" + "\n".join(failing)


def test_a_submission_graded_twice_gets_the_same_result(graded):
    first, second = graded["reference"].to_gradescope(), graded["reference_again"].to_gradescope()
    assert first == second


def test_grading_is_deterministic_for_partial_credit(tmp_path):
    sub = submission(tmp_path / "s", REPO / "tests" / "buggy")   # the buggy files do not match ex*_*.py names
    buggy = REPO / "tests" / "buggy" / "bias_regularized__ex06_backprop_loop.py"   # right where lambda = 0
    shutil.copyfile(buggy, sub / "ex06_backprop_loop.py")
    runs = [grade_submission(sub, exercises=["ex06"]).to_gradescope() for _ in range(2)]
    assert runs[0] == runs[1]
    assert 0 < runs[0]["score"] < 10


def test_results_json_matches_the_gradescope_format(graded):
    data = json.loads(json.dumps(graded["reference"].to_gradescope(), allow_nan=False))
    assert data["score"] == TOTAL
    assert {"score", "output", "tests", "visibility", "stdout_visibility"} <= set(data)
    for t in data["tests"]:
        assert {"score", "max_score", "name", "number", "output", "visibility"} <= set(t)
        assert t["visibility"] in ("hidden", "after_due_date", "after_published", "visible")
    assert sum(t["max_score"] for t in data["tests"]) == TOTAL


def test_table_lists_exercise_points_max_status_and_feedback(graded):
    table = graded["stubs"].table()
    header = table.splitlines()[0].split()
    assert header == ["exercise", "points", "max", "status", "feedback"]
    for name in EXERCISE_NAMES:
        assert name in table
    assert "total" in table


def test_check_finds_exercises_from_a_notebook_folder_and_shows_a_deterministic_table(tmp_path, monkeypatch):
    sub = submission(tmp_path / "exercises")
    (tmp_path / "notebooks").mkdir()
    monkeypatch.chdir(tmp_path / "notebooks")
    monkeypatch.delenv("BACKPROP_EXERCISES", raising=False)
    assert find_submission() == sub.resolve()
    first, second = check("ex08_gradient_descent_step"), check("8")
    assert first.points == first.max_points
    assert repr(first) == repr(second) and first._repr_html_() == second._repr_html_()
    assert "<table>" in first._repr_html_()


def test_check_reports_stubs_as_not_implemented():
    result = check("ex05_deltas", submission_dir=EXERCISES_DIR)
    assert result.points == 0 and "not implemented yet" in repr(result)


def test_find_submission_prefers_argument_then_environment(tmp_path, monkeypatch):
    sub = submission(tmp_path / "mine")
    monkeypatch.setenv("BACKPROP_EXERCISES", str(sub))
    assert find_submission() == sub.resolve()
    with pytest.raises(FileNotFoundError, match="submission_dir"):
        find_submission(tmp_path / "nope")


def test_pytest_exercises_grades_and_ends_with_the_table(tmp_path):
    sub = submission(tmp_path / "exercises")
    shutil.copyfile(EXERCISES_DIR / "conftest.py", sub / "conftest.py")
    shutil.copyfile(EXERCISES_DIR / "test_exercises.py", sub / "test_exercises.py")
    shutil.copyfile(EXERCISES_DIR / "ex08_gradient_descent_step.py", sub / "ex08_gradient_descent_step.py")
    proc = subprocess.run([sys.executable, "-m", "pytest", "-p", "no:nbval", "-p", "no:cacheprovider", "-q",
                           str(sub)], capture_output=True, text=True, cwd=tmp_path, timeout=300,
                          env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"})
    out = proc.stdout
    assert proc.returncode == 1, out
    assert f"{len(EXERCISE_NAMES) - 1} passed" in out and "1 failed" in out, out
    table = out[out.index("backprop-course grade"):]
    assert "ex08_gradient_descent_step" in table and "not implemented" in table and "total" in table
    assert out.rstrip().splitlines()[-1].startswith("total"), "the run must end with the table"
