"""exercises: a notebook loads the learner's own exercise file, afresh, with teaching errors."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import backprop_course as bp
from backprop_course import exercises

REPO = Path(__file__).resolve().parents[1]
STUBS = REPO / "exercises"
SOLUTIONS = REPO / "backprop_course" / "grading" / "solutions"


@pytest.fixture
def course(tmp_path, monkeypatch):
    """A learner's course folder: notebooks/ (the kernel's working directory) beside exercises/ (stubs)."""
    (tmp_path / "notebooks").mkdir()
    folder = tmp_path / "exercises"
    folder.mkdir()
    for stub in STUBS.glob("ex*_*.py"):
        shutil.copy(stub, folder)
    monkeypatch.delenv("BACKPROP_EXERCISES", raising=False)
    monkeypatch.chdir(tmp_path / "notebooks")
    return folder


def solve(folder, *names):
    for name in names:
        shutil.copy(SOLUTIONS / f"{name}.py", folder)
        touch_later(folder / f"{name}.py")


def touch_later(path):
    """Move the file's time forward, as a save a few seconds later would."""
    t = path.stat().st_mtime + 5
    os.utime(path, (t, t))


def worked_example():
    Theta = {1: np.array([[0.15, -0.25, 0.40], [0.30, 0.60, -0.10]]),
             2: np.array([[-0.20, 0.70, -0.45], [0.10, -0.35, 0.80]])}
    return Theta, np.array([[0.5], [-1.0]]), np.array([[1.0], [0.0]])


def test_a_notebook_loads_the_learners_function_and_it_gives_the_worked_numbers(course):
    solve(course, "ex01_sigmoid", "ex02_forward", "ex05_deltas")
    path_before = list(sys.path)
    mine = exercises.load("ex05_deltas")
    assert sys.path == path_before, "load must leave sys.path as it was"
    assert mine.path == course / "ex05_deltas.py" and mine.name == "ex05_deltas"
    Theta, x, y = worked_example()
    d = mine.deltas(Theta, x, y)
    np.testing.assert_allclose(d[2].ravel(), [-0.1460, 0.1653], atol=5e-5,
                               err_msg="notebook 05's d(2) from the learner's (here: the reference) deltas")
    for l, expected in bp.deltas(Theta, x, y).items():
        np.testing.assert_allclose(d[l], expected, rtol=1e-12)
    assert "ex05_deltas" in repr(mine) and "deltas" in repr(mine)


def test_a_stub_gives_a_teaching_error_naming_the_exercise_and_its_notebook(course):
    mine = exercises.load("5")
    with pytest.raises(exercises.ExerciseNotDone, match=r"your deltas in ex05_deltas.py is not done yet") as info:
        mine.deltas(*worked_example())
    assert "(BP1), (BP2)" in str(info.value) and "notebooks/05_backprop_one_example.ipynb" in str(info.value)
    assert isinstance(info.value, NotImplementedError)


def test_an_unfinished_earlier_exercise_is_named_not_this_one(course):
    solve(course, "ex02_forward", "ex05_deltas")                  # ex01 is still the stub
    with pytest.raises(exercises.ExerciseNotDone, match=r"uses your ex01_sigmoid.py, which is not done yet"):
        exercises.load("ex05_deltas").deltas(*worked_example())


def test_each_load_reads_the_edited_files_again(course):
    mine = exercises.load("ex01_sigmoid")
    with pytest.raises(exercises.ExerciseNotDone):
        mine.sigmoid(0.0)
    solve(course, "ex01_sigmoid")
    assert exercises.load("ex01_sigmoid").sigmoid(0.0) == pytest.approx(0.5)
    # an earlier exercise edited after the later one was loaded is read again too
    solve(course, "ex02_forward", "ex05_deltas")
    assert exercises.load("ex05_deltas").deltas(*worked_example())[3].shape == (2, 1)
    text = (course / "ex01_sigmoid.py").read_text().replace("def sigmoid_gradient(z):",
                                                            "def sigmoid_gradient(z):\n    return 0 * z\n")
    (course / "ex01_sigmoid.py").write_text(text)
    touch_later(course / "ex01_sigmoid.py")
    d = exercises.load("ex05_deltas").deltas(*worked_example())
    assert np.all(d[2] == 0), "ex05 must use the edited ex01, not the one loaded before"


def test_missing_folder_and_missing_file_and_unknown_name_are_explained(tmp_path, monkeypatch):
    monkeypatch.delenv("BACKPROP_EXERCISES", raising=False)
    monkeypatch.chdir(tmp_path)
    with pytest.raises(FileNotFoundError, match=r"no exercises/ folder.*backprop-course start"):
        exercises.load("ex01_sigmoid")
    folder = tmp_path / "exercises"
    folder.mkdir()
    shutil.copy(STUBS / "ex02_forward.py", folder)
    with pytest.raises(FileNotFoundError, match=r"ex01_sigmoid.py does not exist"):
        exercises.load("ex01_sigmoid")
    with pytest.raises(ValueError, match="unknown exercise"):
        exercises.load("ex99_nothing")


def test_bp_check_is_there_but_importing_the_course_loads_no_grader():
    code = ("import sys, backprop_course as bp\n"
            "check = bp.check\n"
            "print(callable(check), any(m.startswith('backprop_course.grading') for m in sys.modules),"
            " 'matplotlib' in sys.modules, 'ipywidgets' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "False", "False", "False"], (
        "bp.check must exist without importing backprop_course.grading (nor matplotlib, ipywidgets) "
        f"until it is called; got {result.stdout!r}")


def test_bp_check_grades_like_the_grader(course):
    result = bp.check("ex01_sigmoid")
    assert result.status == "not implemented" and result.points == 0
